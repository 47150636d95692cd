//! Resolution in memory, for bulk imports: every known film by title key
//! and by external id, so that a million rows resolve without a database
//! query each.
//!
//! The rules are [`crate::resolve_title`]'s, plus one: a film that already
//! carries an id of the importing source is a *different* film from one
//! with another id of that source (two films of one export are never
//! merged, whatever their titles).

use std::collections::HashMap;

use verdict_core::title::title_key;
use verdict_core::{Film, FilmChoice};

use crate::{Alias, Resolution, YEAR_TOLERANCE, resolve_title, title_keys};

/// How a film was named, for [`FilmIndex::resolve`].
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    pub title: &'a str,
    pub year: Option<i32>,
    pub aliases: &'a [String],
    /// The export the film comes from, when it has its own id there.
    pub source: Option<&'a str>,
}

#[derive(Debug, Clone)]
struct Entry {
    film: Film,
    keys: Vec<String>,
    external: Vec<(String, String)>,
}

/// Known films, by title key and external id.
#[derive(Debug, Clone, Default)]
pub struct FilmIndex {
    films: HashMap<i64, Entry>,
    by_key: HashMap<String, Vec<i64>>,
    by_external: HashMap<(String, String), i64>,
    /// Per title key and source: how many of the key's films carry an id
    /// of that source. A film of the source skips a key all of whose films
    /// do (an export's remakes and namesakes, looked at once each).
    key_sources: HashMap<String, HashMap<String, usize>>,
}

/// The distinct sources of a film's external ids.
fn sources(external: &[(String, String)]) -> Vec<&str> {
    let mut s: Vec<&str> = external.iter().map(|(s, _)| s.as_str()).collect();
    s.sort_unstable();
    s.dedup();
    s
}

fn film_keys(film: &Film) -> Vec<String> {
    title_keys(Some(&film.title), &film.aliases)
}

impl FilmIndex {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.films.len()
    }

    pub fn is_empty(&self) -> bool {
        self.films.is_empty()
    }

    /// Adds (or replaces) a film with its (source, id) pairs.
    pub fn insert(&mut self, film: Film, external: &[(String, String)]) {
        let id = film.id;
        self.remove(id);
        let keys = film_keys(&film);
        for k in &keys {
            self.by_key.entry(k.clone()).or_default().push(id);
        }
        for x in external {
            self.by_external.insert(x.clone(), id);
        }
        for source in sources(external) {
            for k in &keys {
                *self
                    .key_sources
                    .entry(k.clone())
                    .or_default()
                    .entry(source.to_string())
                    .or_default() += 1;
            }
        }
        self.films.insert(
            id,
            Entry {
                film,
                keys,
                external: external.to_vec(),
            },
        );
    }

    fn remove(&mut self, id: i64) -> Option<Entry> {
        let entry = self.films.remove(&id)?;
        for k in &entry.keys {
            if let Some(ids) = self.by_key.get_mut(k) {
                ids.retain(|x| *x != id);
                if ids.is_empty() {
                    self.by_key.remove(k);
                }
            }
        }
        for x in &entry.external {
            self.by_external.remove(x);
        }
        for source in sources(&entry.external) {
            for k in &entry.keys {
                self.uncount(k, source);
            }
        }
        Some(entry)
    }

    fn uncount(&mut self, key: &str, source: &str) {
        if let Some(counts) = self.key_sources.get_mut(key) {
            if let Some(n) = counts.get_mut(source) {
                *n -= 1;
                if *n == 0 {
                    counts.remove(source);
                }
            }
            if counts.is_empty() {
                self.key_sources.remove(key);
            }
        }
    }

    pub fn film(&self, id: i64) -> Option<&Film> {
        self.films.get(&id).map(|e| &e.film)
    }

    /// The film an external id belongs to.
    pub fn find_external(&self, source: &str, id: &str) -> Option<i64> {
        self.by_external
            .get(&(source.to_string(), id.to_string()))
            .copied()
    }

    /// Ties an external id to a known film.
    pub fn add_external(&mut self, film_id: i64, source: &str, id: &str) {
        if let Some(e) = self.films.get_mut(&film_id) {
            let pair = (source.to_string(), id.to_string());
            if !e.external.iter().any(|(s, _)| s == source) {
                for k in &e.keys {
                    *self
                        .key_sources
                        .entry(k.clone())
                        .or_default()
                        .entry(source.to_string())
                        .or_default() += 1;
                }
            }
            if !e.external.contains(&pair) {
                e.external.push(pair.clone());
            }
            self.by_external.insert(pair, film_id);
        }
    }

    /// Films sharing one of `keys`, ordered by id.
    pub fn candidates(&self, keys: &[String]) -> Vec<&Film> {
        self.ids_under(keys.iter())
            .iter()
            .filter_map(|id| self.film(*id))
            .collect()
    }

    /// The ids of the films under `keys`, each once, in order.
    fn ids_under<'k>(&self, keys: impl Iterator<Item = &'k String>) -> Vec<i64> {
        let mut ids: Vec<i64> = keys
            .filter_map(|k| self.by_key.get(k))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Which known film `evidence` names: [`crate::resolve_title`] over the
    /// films sharing a key, leaving out films with another id of the same
    /// source.
    pub fn resolve(
        &self,
        evidence: &Evidence<'_>,
        diagnostics: &mut Vec<verdict_core::Diagnostic>,
    ) -> Resolution {
        let keys = title_keys(Some(evidence.title), evidence.aliases);
        // As `candidates`, each film looked up once, and none from a key
        // whose films all carry an id of the source.
        let open = |k: &String| match evidence.source {
            None => true,
            Some(source) => {
                let of_source = self
                    .key_sources
                    .get(k.as_str())
                    .and_then(|c| c.get(source))
                    .copied()
                    .unwrap_or(0);
                self.by_key.get(k).is_some_and(|ids| ids.len() > of_source)
            }
        };
        let candidates: Vec<Film> = self
            .ids_under(keys.iter().filter(|k| open(k)))
            .iter()
            .filter_map(|id| self.films.get(id))
            .filter(|e| match evidence.source {
                Some(source) => !e.external.iter().any(|(s, _)| s == source),
                None => true,
            })
            .map(|e| e.film.clone())
            .collect();
        resolve_title(
            evidence.title,
            evidence.year,
            evidence.aliases,
            &candidates,
            diagnostics,
        )
    }

    /// Records what a resolution decided: a new film under `new_id`, or the
    /// year and aliases an existing film gains.
    pub fn apply(&mut self, choice: &FilmChoice, new_id: i64) {
        match choice {
            FilmChoice::New {
                title,
                year,
                aliases,
                ..
            } => self.insert(
                Film {
                    id: new_id,
                    title: title.clone(),
                    year: *year,
                    aliases: aliases.iter().map(|a| a.title.clone()).collect(),
                },
                &[],
            ),
            FilmChoice::Existing {
                id,
                year,
                new_aliases,
            } => self.update(*id, *year, new_aliases),
        }
    }

    /// Sets a known film's year and adds aliases.
    pub fn update(&mut self, film_id: i64, year: Option<i32>, new_aliases: &[Alias]) {
        let Some(mut entry) = self.remove(film_id) else {
            return;
        };
        if year.is_some() {
            entry.film.year = year;
        }
        for a in new_aliases {
            if !entry.film.aliases.contains(&a.title) {
                entry.film.aliases.push(a.title.clone());
            }
        }
        self.insert(entry.film, &entry.external);
    }

    /// Gives a film its new id (a film created under a provisional id).
    pub fn rename(&mut self, old: i64, new: i64) {
        if let Some(mut entry) = self.remove(old) {
            entry.film.id = new;
            self.insert(entry.film, &entry.external);
        }
    }
}

/// How sure a match of `title` (and `year`) to `film` is, and the rule:
/// the film's own title counts more than an alias; the same year more than
/// a year apart; a missing year least.
pub fn match_confidence(film: &Film, title: &str, year: Option<i32>) -> (f64, String) {
    let key = title_key(title);
    let (base, what) = if title_key(&film.title) == key {
        (1.0, "title")
    } else {
        (0.9, "alias")
    };
    let (factor, how) = match (film.year, year) {
        (Some(a), Some(b)) if a == b => (1.0, "and year"),
        (Some(a), Some(b)) if (a - b).abs() <= YEAR_TOLERANCE => (0.9, "and year ± 1"),
        (Some(_), Some(_)) => (0.0, "but not year"),
        _ => (0.7, "only (no year to compare)"),
    };
    let confidence: f64 = base * factor;
    (
        (confidence * 100.0).round() / 100.0,
        format!("{what} {how}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Unresolved;

    fn film(id: i64, title: &str, year: Option<i32>) -> Film {
        Film {
            id,
            title: title.into(),
            year,
            aliases: vec![],
        }
    }

    fn ev<'a>(title: &'a str, year: Option<i32>, source: Option<&'a str>) -> Evidence<'a> {
        Evidence {
            title,
            year,
            aliases: &[],
            source,
        }
    }

    #[test]
    fn finds_by_key_and_year_and_external_id() {
        let mut ix = FilmIndex::new();
        ix.insert(film(1, "Poltergeist", Some(1982)), &[]);
        ix.insert(
            film(2, "Poltergeist", Some(2015)),
            &[("rt".into(), "m/poltergeist_2015".into())],
        );
        let mut d = vec![];
        assert!(matches!(
            ix.resolve(&ev("POLTERGEIST", Some(2015), None), &mut d),
            Ok(FilmChoice::Existing { id: 2, .. })
        ));
        assert!(matches!(
            ix.resolve(&ev("Poltergeist", Some(1983), None), &mut d),
            Ok(FilmChoice::Existing { id: 1, .. })
        ));
        // No year: both fit, never merged.
        assert!(matches!(
            ix.resolve(&ev("Poltergeist", None, None), &mut d),
            Err(Unresolved { .. })
        ));
        assert_eq!(ix.find_external("rt", "m/poltergeist_2015"), Some(2));
        assert_eq!(ix.find_external("rt", "m/other"), None);
    }

    #[test]
    fn another_id_of_the_same_source_is_another_film() {
        let mut ix = FilmIndex::new();
        ix.insert(
            film(1, "The Return", Some(2006)),
            &[("rt".into(), "m/a".into())],
        );
        let mut d = vec![];
        // Same title and year from the same export, another id: a new film.
        assert!(matches!(
            ix.resolve(&ev("The Return", Some(2006), Some("rt")), &mut d),
            Ok(FilmChoice::New { .. })
        ));
        // From another source, the same title and year is the same film.
        assert!(matches!(
            ix.resolve(&ev("The Return", Some(2006), Some("letterboxd")), &mut d),
            Ok(FilmChoice::Existing { id: 1, .. })
        ));
    }

    #[test]
    fn apply_and_rename_keep_the_maps_right() {
        let mut ix = FilmIndex::new();
        let mut d = vec![];
        let r = ix.resolve(&ev("Red Rooms", Some(2023), None), &mut d);
        ix.apply(r.as_ref().expect("a new film"), -1);
        ix.add_external(-1, "rt", "m/red_rooms");
        ix.rename(-1, 7);
        assert_eq!(ix.find_external("rt", "m/red_rooms"), Some(7));
        assert!(ix.film(-1).is_none());
        let r = ix.resolve(&ev("Red Rooms", Some(2024), None), &mut d);
        assert!(matches!(r, Ok(FilmChoice::Existing { id: 7, .. })));
        let aliases = [Alias::of("Les Chambres Rouges")];
        ix.update(7, Some(2022), &aliases);
        assert_eq!(ix.film(7).unwrap().year, Some(2022));
        assert!(matches!(
            ix.resolve(&ev("les chambres rouges", None, None), &mut d),
            Ok(FilmChoice::Existing { id: 7, .. })
        ));
        assert_eq!(ix.len(), 1);
    }

    #[test]
    fn confidence_ranks_title_year_alias() {
        let mut f = film(1, "Red Rooms", Some(2023));
        f.aliases.push("Les Chambres Rouges".into());
        assert_eq!(match_confidence(&f, "Red Rooms", Some(2023)).0, 1.0);
        assert_eq!(match_confidence(&f, "Red Rooms", Some(2024)).0, 0.9);
        assert_eq!(match_confidence(&f, "Red Rooms", None).0, 0.7);
        let (c, how) = match_confidence(&f, "Les Chambres Rouges", Some(2023));
        assert_eq!((c, how.as_str()), (0.9, "alias and year"));
    }

    /// `resolve` as its rule reads, over every film sharing a key.
    fn brute(ix: &FilmIndex, e: &Evidence<'_>) -> Resolution {
        let keys = title_keys(Some(e.title), e.aliases);
        let candidates: Vec<Film> = ix
            .candidates(&keys)
            .into_iter()
            .filter(|f| match e.source {
                Some(source) => !ix.films[&f.id].external.iter().any(|(s, _)| s == source),
                None => true,
            })
            .cloned()
            .collect();
        resolve_title(e.title, e.year, e.aliases, &candidates, &mut vec![])
    }

    #[test]
    fn keys_whose_films_all_carry_the_source_are_skipped_exactly() {
        let mut ix = FilmIndex::new();
        ix.insert(
            film(1, "Hamlet", Some(1948)),
            &[("rt".into(), "m/h1".into())],
        );
        ix.insert(
            film(2, "Hamlet", Some(1990)),
            &[("rt".into(), "m/h2".into())],
        );
        ix.insert(film(3, "Hamlet", Some(1996)), &[]);
        ix.insert(
            film(4, "Solaris", Some(1972)),
            &[("imdb".into(), "tt1".into())],
        );
        let cases = [
            ev("Hamlet", Some(1996), Some("rt")),
            ev("Hamlet", Some(1990), Some("rt")),
            ev("Hamlet", Some(1990), None),
            ev("Solaris", Some(1972), Some("rt")),
            ev("Solaris", Some(1972), Some("imdb")),
        ];
        let check = |ix: &FilmIndex| {
            for e in &cases {
                assert_eq!(ix.resolve(e, &mut vec![]), brute(ix, e), "{e:?}");
            }
        };
        check(&ix);
        // Every Hamlet now carries an rt id: the key is closed to rt.
        ix.add_external(3, "rt", "m/h3");
        assert!(matches!(
            ix.resolve(&cases[0], &mut vec![]),
            Ok(FilmChoice::New { .. })
        ));
        check(&ix);
        // A second id of a source counts the film once; updates, renames
        // and a film of the key without ids open it again.
        ix.add_external(3, "rt", "m/h3b");
        ix.update(3, Some(1997), &[]);
        ix.rename(2, 20);
        check(&ix);
        ix.insert(film(5, "Hamlet", Some(2000)), &[]);
        check(&ix);
        ix.insert(
            film(5, "Hamlet", Some(2000)),
            &[("rt".into(), "m/h5".into())],
        );
        check(&ix);
        assert_eq!(ix.key_sources["hamlet"]["rt"], 4);
    }
}
