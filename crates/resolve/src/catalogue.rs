//! Matching a film to a catalogue (IMDb, MovieLens): by title key, year
//! and alternative titles, with a confidence, never silently.
//!
//! Rules:
//! - an entry fits when one of its titles has the key of the film's title
//!   (or of one of its aliases) and the years are at most one apart (a
//!   missing year on either side fits, with less confidence);
//! - entries of different catalogues with the same IMDb id are one film;
//! - the entry with the closest year wins, then the one whose *primary*
//!   title is the film's title over an original or alternative title,
//!   then one whose title is the film's letter for letter (its leading
//!   article too: "The Silence" over "Silence");
//! - when two entries are equally good (two "Inside Out" and no year to
//!   choose by), the film is left unmatched, with the reason.
//!
//! Confidence = title factor × year factor: primary title 1, original
//! 0.95, alternative 0.9, through a film alias 0.85; same year 1, a year
//! apart 0.85, the film's year unknown 0.6, the entry's year unknown 0.7.

use std::collections::HashMap;

use verdict_core::title::{TitleKind, fold, title_key};

use crate::YEAR_TOLERANCE;

/// A catalogue entry as the matcher sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueCandidate {
    pub id: i64,
    pub title: String,
    pub year: Option<i32>,
    pub imdb_id: Option<String>,
    /// (title key, kind) of every title of the entry.
    pub titles: Vec<(String, TitleKind)>,
}

/// The decision for one film.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogueMatch {
    Matched {
        id: i64,
        confidence: f64,
        /// The rule: "primary title and year", "original title, year ± 1"…
        method: String,
    },
    /// Left unmatched: `method` is "ambiguous" or "not found".
    Unmatched {
        method: &'static str,
        reason: String,
    },
}

#[derive(Debug, Clone, Copy)]
struct Fit<'a> {
    entry: &'a CatalogueCandidate,
    /// 0 same year, 1 a year apart, 2 a year unknown.
    distance: u8,
    /// 0 primary, 1 original, 2 alternative, 3 through a film alias.
    rank: u8,
    /// 0 when the entry's title is the film's, article included; else 1.
    inexact: u8,
}

impl Fit<'_> {
    fn confidence(&self, film_year_known: bool) -> f64 {
        let title = [1.0, 0.95, 0.9, 0.85][usize::from(self.rank)];
        let year = match self.distance {
            0 => 1.0,
            1 => 0.85,
            _ if !film_year_known => 0.6,
            _ => 0.7,
        };
        let c: f64 = title * year;
        (c * 100.0).round() / 100.0
    }

    fn method(&self) -> String {
        let title = [
            "primary title",
            "original title",
            "alternative title",
            "film alias",
        ][usize::from(self.rank)];
        let year =
            ["and year", "and year ± 1", "only (a year unknown)"][usize::from(self.distance)];
        format!("{title} {year}")
    }
}

fn describe(c: &CatalogueCandidate) -> String {
    let id = c
        .imdb_id
        .as_deref()
        .map(|i| format!(", {i}"))
        .unwrap_or_default();
    match c.year {
        Some(y) => format!("{} ({y}{id})", c.title),
        None => format!("{} (year unknown{id})", c.title),
    }
}

/// Matches a film (title, year, aliases) against the catalogue entries that
/// share one of its keys.
pub fn match_catalogue(
    title: &str,
    year: Option<i32>,
    aliases: &[String],
    candidates: &[CatalogueCandidate],
) -> CatalogueMatch {
    let key = title_key(title);
    let folded = fold(title);
    let alias_keys: Vec<String> = aliases
        .iter()
        .map(|a| title_key(a))
        .filter(|k| !k.is_empty() && *k != key)
        .collect();
    let mut too_far = Vec::new();
    let mut fits: Vec<Fit<'_>> = Vec::new();
    for c in candidates {
        let rank = c
            .titles
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, kind)| *kind as u8)
            .min()
            .or_else(|| {
                c.titles
                    .iter()
                    .any(|(k, _)| alias_keys.contains(k))
                    .then_some(3)
            });
        let Some(rank) = rank else { continue };
        let distance = match (year, c.year) {
            (Some(a), Some(b)) if (a - b).abs() > YEAR_TOLERANCE => {
                let d = describe(c);
                if !too_far.contains(&d) {
                    too_far.push(d);
                }
                continue;
            }
            (Some(a), Some(b)) => u8::from(a != b),
            _ => 2,
        };
        fits.push(Fit {
            entry: c,
            distance,
            rank,
            inexact: u8::from(fold(&c.title) != folded),
        });
    }
    // Entries of several catalogues with one IMDb id are one film: keep the
    // best of each.
    let mut best_of: HashMap<&str, usize> = HashMap::new();
    let mut kept: Vec<Fit<'_>> = Vec::new();
    for f in fits {
        match f.entry.imdb_id.as_deref() {
            Some(imdb) => match best_of.get(imdb) {
                Some(&i) => {
                    if (f.distance, f.rank, f.inexact, f.entry.id)
                        < (
                            kept[i].distance,
                            kept[i].rank,
                            kept[i].inexact,
                            kept[i].entry.id,
                        )
                    {
                        kept[i] = f;
                    }
                }
                None => {
                    best_of.insert(imdb, kept.len());
                    kept.push(f);
                }
            },
            None => kept.push(f),
        }
    }
    kept.sort_by_key(|f| (f.distance, f.rank, f.inexact, f.entry.id));
    let tier = |f: &Fit<'_>| (f.distance, f.rank, f.inexact);
    match kept.as_slice() {
        [] if too_far.is_empty() => CatalogueMatch::Unmatched {
            method: "not found",
            reason: format!("no catalogue entry is titled {title:?}"),
        },
        [] => CatalogueMatch::Unmatched {
            method: "not found",
            reason: format!(
                "no catalogue entry titled {title:?} within a year of {}; further off: {}",
                year.map_or("?".to_string(), |y| y.to_string()),
                too_far.join(", ")
            ),
        },
        [a, b, ..] if tier(a) == tier(b) => {
            let tied: Vec<String> = kept
                .iter()
                .take_while(|f| tier(f) == tier(a))
                .map(|f| describe(f.entry))
                .collect();
            CatalogueMatch::Unmatched {
                method: "ambiguous",
                reason: format!(
                    "{title:?}{} fits {} catalogue entries equally: {}; left unmatched rather than guessed",
                    year.map(|y| format!(" ({y})")).unwrap_or_default(),
                    tied.len(),
                    tied.join(", ")
                ),
            }
        }
        [best, ..] => CatalogueMatch::Matched {
            id: best.entry.id,
            confidence: best.confidence(year.is_some()),
            method: best.method(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TitleKind::*;

    fn entry(id: i64, title: &str, year: Option<i32>, imdb: Option<&str>) -> CatalogueCandidate {
        CatalogueCandidate {
            id,
            title: title.into(),
            year,
            imdb_id: imdb.map(str::to_string),
            titles: vec![(title_key(title), Primary)],
        }
    }

    fn inside_out() -> Vec<CatalogueCandidate> {
        vec![
            entry(1, "Inside Out", Some(2011), Some("tt1606180")),
            entry(2, "Inside Out", Some(2015), Some("tt2096673")),
        ]
    }

    #[test]
    fn year_resolves_namesakes() {
        let c = inside_out();
        match match_catalogue("Inside Out", Some(2015), &[], &c) {
            CatalogueMatch::Matched {
                id,
                confidence,
                method,
            } => {
                assert_eq!((id, confidence), (2, 1.0));
                assert_eq!(method, "primary title and year");
            }
            other => panic!("{other:?}"),
        }
        // A year off by one still picks the right one, less surely.
        assert!(matches!(
            match_catalogue("Inside Out", Some(2010), &[], &c),
            CatalogueMatch::Matched { id: 1, confidence, .. } if confidence == 0.85
        ));
    }

    #[test]
    fn namesakes_without_a_year_stay_unmatched_with_the_reason() {
        match match_catalogue("Inside Out", None, &[], &inside_out()) {
            CatalogueMatch::Unmatched { method, reason } => {
                assert_eq!(method, "ambiguous");
                assert!(
                    reason.contains("2011") && reason.contains("2015"),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_same_imdb_id_in_two_catalogues_is_one_film() {
        let mut c = vec![
            entry(1, "Poltergeist", Some(1982), Some("tt0084516")),
            entry(5, "Poltergeist", Some(1982), Some("tt0084516")),
            entry(3, "Poltergeist", Some(2015), Some("tt1029360")),
        ];
        assert!(matches!(
            match_catalogue("Poltergeist", Some(1982), &[], &c),
            CatalogueMatch::Matched { id: 1, .. }
        ));
        // Remake years are too far apart to fit at all.
        c.truncate(2);
        match match_catalogue("Poltergeist", Some(2015), &[], &c) {
            CatalogueMatch::Unmatched { method, reason } => {
                assert_eq!(method, "not found");
                assert!(reason.contains("1982"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_title_letter_for_letter_breaks_a_tie() {
        let c = vec![
            entry(1, "Silence", Some(2016), Some("tt0490215")),
            entry(2, "The Silence", Some(2016), Some("tt6143030")),
        ];
        assert!(matches!(
            match_catalogue("The Silence", Some(2016), &[], &c),
            CatalogueMatch::Matched { id: 2, .. }
        ));
        assert!(matches!(
            match_catalogue("Silence", Some(2016), &[], &c),
            CatalogueMatch::Matched { id: 1, .. }
        ));
        // Two entries with the very same title and year stay a tie.
        let c = vec![
            entry(1, "The Two Escobars", Some(2010), Some("tt1522863")),
            entry(2, "The Two Escobars", Some(2010), Some("tt2700330")),
        ];
        assert!(matches!(
            match_catalogue("The Two Escobars", Some(2010), &[], &c),
            CatalogueMatch::Unmatched {
                method: "ambiguous",
                ..
            }
        ));
    }

    #[test]
    fn original_and_alias_titles_match_with_less_confidence() {
        let mut e = entry(9, "Red Rooms", Some(2023), None);
        e.titles.push((title_key("Les Chambres Rouges"), Original));
        let c = vec![e];
        assert!(matches!(
            match_catalogue("Les Chambres rouges", Some(2023), &[], &c),
            CatalogueMatch::Matched { id: 9, confidence, .. } if confidence == 0.95
        ));
        assert!(matches!(
            match_catalogue("Chambres", Some(2023), &["Red Rooms".to_string()], &c),
            CatalogueMatch::Matched { id: 9, confidence, .. } if confidence == 0.85
        ));
        assert!(matches!(
            match_catalogue("Red Rooms", None, &[], &c),
            CatalogueMatch::Matched { id: 9, confidence, .. } if confidence == 0.6
        ));
    }
}
