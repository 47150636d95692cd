//! The resolve stage: which film is this review about?
//!
//! Resolution is pure: it gets the review and the films that share one of
//! its title keys (the caller looks those up in the store) and returns a
//! [`Resolution`]. It never writes anything and never merges silently: when
//! two known films fit equally well, the review is left unmatched with the
//! reason.
//!
//! Rules:
//! - titles match on [`title_key`] (case, diacritics, punctuation and a
//!   leading article folded), against a film's title **and** its aliases;
//! - the year is evidence, not a key: years within one of each other are the
//!   same film (festival 2023, UK release 2024); further apart they are
//!   different films (a remake); a missing year matches anything;
//! - a film's year is the earliest year its reviews give within that window
//!   (a film is dated by its first release);
//! - every title a review uses for the film that the film does not know yet
//!   becomes an alias.

mod catalogue;
mod index;

pub use catalogue::{CatalogueCandidate, CatalogueMatch, match_catalogue};
pub use index::{Evidence, FilmIndex, match_confidence};

use serde::Serialize;
use verdict_core::title::{is_all_caps, title_case, title_key};
use verdict_core::{Diagnostic, Film, Review};

/// How far apart two years may be and still be the same film.
pub const YEAR_TOLERANCE: i32 = 1;

pub use verdict_core::FilmChoice;
pub use verdict_core::title::Alias;

/// Where the review goes: the film the store is to write it under, or
/// why none could be chosen.
pub type Resolution = Result<FilmChoice, Unresolved>;

/// Why no film could be chosen for a review (no title, or several films
/// fitting equally): said, never guessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    pub reason: String,
}

/// The keys a review can be found under: its film title and aliases.
pub fn keys(review: &Review) -> Vec<String> {
    title_keys(review.film_title.as_deref(), &review.aliases)
}

/// The keys of a title and its aliases, each once, empty ones left out.
pub fn title_keys(title: Option<&str>, aliases: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for t in title.into_iter().chain(aliases.iter().map(String::as_str)) {
        let k = title_key(t);
        if !k.is_empty() && !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

/// The title to show for a film first seen under `title`: titles written
/// all in capitals are title-cased.
pub fn display_title(title: &str) -> String {
    if is_all_caps(title) && title.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        title_case(title)
    } else {
        title.trim().to_string()
    }
}

/// Resolves a review against the candidate films (those sharing a key).
pub fn resolve(
    review: &Review,
    candidates: &[Film],
    diagnostics: &mut Vec<Diagnostic>,
) -> Resolution {
    let Some(title) = review.film_title.as_deref() else {
        return Err(Unresolved {
            reason: "no film title found (looked at front matter, og:title, <title>, <h1> and the first line)"
                .to_string(),
        });
    };
    resolve_title(title, review.year, &review.aliases, candidates, diagnostics)
}

/// [`resolve`] for a film named by a title, a year and other titles (an
/// export's row, a catalogue entry).
pub fn resolve_title(
    title: &str,
    year: Option<i32>,
    aliases: &[String],
    candidates: &[Film],
    diagnostics: &mut Vec<Diagnostic>,
) -> Resolution {
    let review_keys = title_keys(Some(title), aliases);
    let film_keys = |f: &Film| -> Vec<String> {
        std::iter::once(&f.title)
            .chain(&f.aliases)
            .map(|t| title_key(t))
            .collect()
    };
    let mut fitting: Vec<(&Film, i32)> = Vec::new();
    for film in candidates {
        let fk = film_keys(film);
        if !review_keys.iter().any(|k| fk.contains(k)) {
            continue;
        }
        let distance = match (film.year, year) {
            (Some(a), Some(b)) => (a - b).abs(),
            _ => 0,
        };
        if distance <= YEAR_TOLERANCE {
            fitting.push((film, distance));
        } else {
            diagnostics.push(Diagnostic::info(
                "resolve.year-mismatch",
                format!(
                    "{:?} ({}) not taken: the review's year {} is too far",
                    film.title,
                    film.year.map_or("?".into(), |y| y.to_string()),
                    year.map_or("?".into(), |y| y.to_string())
                ),
            ));
        }
    }
    fitting.sort_by_key(|(f, d)| (*d, f.id));
    let new_aliases_for = |film: &Film| -> Vec<Alias> {
        let known = film_keys(film);
        let mut out: Vec<Alias> = Vec::new();
        for t in std::iter::once(title).chain(aliases.iter().map(String::as_str)) {
            let key = title_key(t);
            if !key.is_empty() && !known.contains(&key) && !out.iter().any(|a| a.key == key) {
                out.push(Alias {
                    title: display_title(t),
                    key,
                });
            }
        }
        out
    };
    match fitting.as_slice() {
        [] => {
            let key = title_key(title);
            let aliases = aliases
                .iter()
                .map(|a| Alias {
                    title: display_title(a),
                    key: title_key(a),
                })
                .filter(|a| !a.key.is_empty() && a.key != key)
                .fold(Vec::<Alias>::new(), |mut v, a| {
                    if !v.iter().any(|b| b.key == a.key) {
                        v.push(a);
                    }
                    v
                });
            Ok(FilmChoice::New {
                title: display_title(title),
                title_key: key,
                year,
                aliases,
            })
        }
        [(film, _)] => existing(film, year, new_aliases_for(film)),
        [(a, da), (b, db), ..] if da == db => {
            let reason = format!(
                "{:?} fits several films equally ({} and {}); left unmatched rather than merged: give the film's year",
                title,
                describe(a),
                describe(b)
            );
            diagnostics.push(Diagnostic::warning("resolve.ambiguous", reason.clone()));
            Err(Unresolved { reason })
        }
        [(film, _), ..] => existing(film, year, new_aliases_for(film)),
    }
}

/// A film as a message names it: its id when it is stored; a film an
/// import is creating has only a provisional id (zero or below), which
/// means nothing to the reader.
fn describe(film: &Film) -> String {
    let title = match film.year {
        Some(y) => format!("{} ({y})", film.title),
        None => film.title.clone(),
    };
    if film.id > 0 {
        format!("#{} {title}", film.id)
    } else {
        format!("{title} [new in this import]")
    }
}

fn existing(film: &Film, year: Option<i32>, new_aliases: Vec<Alias>) -> Resolution {
    let year = match (film.year, year) {
        (Some(f), Some(r)) if r < f => Some(r),
        (None, Some(r)) => Some(r),
        _ => None,
    };
    Ok(FilmChoice::Existing {
        id: film.id,
        year,
        new_aliases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(title: &str, year: Option<i32>, aliases: &[&str]) -> Review {
        Review {
            source: "x".into(),
            content_hash: "h".into(),
            format: "text".into(),
            title_seen: None,
            film_title: Some(title.into()),
            year,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            critic: None,
            outlet: None,
            date: None,
            body: String::new(),
            passages: vec![],
            rating: None,
            aspects: vec![],
            source_verdict: None,
            link: None,
        }
    }

    fn film(id: i64, title: &str, year: Option<i32>, aliases: &[&str]) -> Film {
        Film {
            id,
            title: title.into(),
            year,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn new_film_with_aliases_and_display_title() {
        let r = review("RED ROOMS", None, &["Les Chambres Rouges"]);
        let mut d = vec![];
        match resolve(&r, &[], &mut d) {
            Ok(FilmChoice::New {
                title,
                title_key,
                aliases,
                ..
            }) => {
                assert_eq!(title, "Red Rooms");
                assert_eq!(title_key, "red rooms");
                assert_eq!(
                    aliases,
                    vec![Alias {
                        title: "Les Chambres Rouges".into(),
                        key: "chambres rouges".into()
                    }]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn year_is_evidence_within_one() {
        let films = [film(1, "Red Rooms", Some(2024), &[])];
        let mut d = vec![];
        assert_eq!(
            resolve(
                &review("Red Rooms", Some(2023), &["Les Chambres Rouges"]),
                &films,
                &mut d
            ),
            Ok(FilmChoice::Existing {
                id: 1,
                year: Some(2023),
                new_aliases: vec![Alias {
                    title: "Les Chambres Rouges".into(),
                    key: "chambres rouges".into()
                }]
            })
        );
        // A later year never moves the film's year.
        assert_eq!(
            resolve(&review("red rooms", Some(2025), &[]), &films, &mut d),
            Ok(FilmChoice::Existing {
                id: 1,
                year: None,
                new_aliases: vec![]
            })
        );
    }

    #[test]
    fn remakes_are_different_films() {
        let films = [
            film(1, "Poltergeist", Some(1982), &[]),
            film(2, "Poltergeist", Some(2015), &[]),
        ];
        let mut d = vec![];
        assert!(matches!(
            resolve(&review("Poltergeist", Some(2015), &[]), &films, &mut d),
            Ok(FilmChoice::Existing { id: 2, .. })
        ));
        assert!(matches!(
            resolve(&review("Poltergeist", Some(1999), &[]), &films, &mut d),
            Ok(FilmChoice::New { .. })
        ));
        assert!(d.iter().any(|x| x.code == "resolve.year-mismatch"));
    }

    #[test]
    fn found_by_alias() {
        let films = [film(7, "Red Rooms", Some(2023), &["Les Chambres Rouges"])];
        let mut d = vec![];
        assert_eq!(
            resolve(&review("Les chambres rouges", None, &[]), &films, &mut d),
            Ok(FilmChoice::Existing {
                id: 7,
                year: None,
                new_aliases: vec![]
            })
        );
    }

    #[test]
    fn ambiguity_is_never_merged_silently() {
        let films = [
            film(1, "Inside Out", Some(2015), &[]),
            film(2, "Inside Out", Some(2015), &[]),
        ];
        let mut d = vec![];
        assert!(matches!(
            resolve(&review("Inside Out", Some(2015), &[]), &films, &mut d),
            Err(Unresolved { .. })
        ));
        assert!(d.iter().any(|x| x.code == "resolve.ambiguous"));
        assert!(
            d[0].message
                .contains("(#1 Inside Out (2015) and #2 Inside Out (2015))"),
            "{}",
            d[0].message
        );
        // Films a bulk import is creating (provisional ids) are named
        // without their ids.
        let films = [
            film(-4, "Inside Out", Some(2015), &[]),
            film(-9, "Inside Out", Some(2015), &[]),
        ];
        let mut d = vec![];
        let _ = resolve(&review("Inside Out", Some(2015), &[]), &films, &mut d);
        assert!(
            d[0].message.contains(
                "(Inside Out (2015) [new in this import] and Inside Out (2015) [new in this import])"
            ),
            "{}",
            d[0].message
        );
        assert!(!d[0].message.contains('#'), "{}", d[0].message);
        // Without a year, two films of different years are just as ambiguous.
        let films = [
            film(1, "Poltergeist", Some(1982), &[]),
            film(2, "Poltergeist", Some(2015), &[]),
        ];
        assert!(matches!(
            resolve(&review("Poltergeist", None, &[]), &films, &mut d),
            Err(Unresolved { .. })
        ));
    }
}
