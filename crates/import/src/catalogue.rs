//! Film catalogues: IMDb `title.basics` (TSV with `\N`, or the CSV with
//! snake_case names; gzip or not) and MovieLens `movies.csv` (with its
//! `links.csv` beside it for IMDb ids).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::input::{Progress, parse_year};
pub use verdict_core::title::TitleKind;

use crate::records::Records;
use crate::row::BadRow;

/// A reference film read from a catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueRecord {
    /// "imdb", "movielens".
    pub source: &'static str,
    pub external_id: String,
    pub title: String,
    pub year: Option<i32>,
    pub imdb_id: Option<String>,
    /// Every title with its kind, the primary one first.
    pub titles: Vec<(String, TitleKind)>,
}

/// What a catalogue reader yields.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogueItem {
    Entry(CatalogueRecord),
    Bad(BadRow),
}

fn null(s: Option<String>) -> Option<String> {
    s.filter(|v| v != "\\N")
}

/// Title types kept from IMDb (when the file has a `titleType` column).
const FILM_TYPES: [&str; 4] = ["movie", "tvMovie", "video", "short"];

/// The entries of an IMDb `title.basics` file.
pub(crate) struct ImdbRows {
    records: Records,
    cols: [Option<usize>; 5],
}

impl ImdbRows {
    pub(crate) fn open(path: &Path, progress: &Progress) -> std::io::Result<ImdbRows> {
        let records = Records::open(path, progress)?;
        let h = &records.header;
        let cols = [
            h.find(&["tconst"]),
            h.find(&["primaryTitle", "primary_title"]),
            h.find(&["originalTitle", "original_title"]),
            h.find(&["startYear", "start_year"]),
            h.find(&["titleType", "title_type"]),
        ];
        Ok(ImdbRows { records, cols })
    }
}

impl Iterator for ImdbRows {
    type Item = CatalogueItem;

    fn next(&mut self) -> Option<CatalogueItem> {
        loop {
            let line = match self.records.advance()? {
                Ok(line) => line,
                Err(bad) => return Some(CatalogueItem::Bad(bad)),
            };
            let r = &self.records;
            let [id, primary, original, year, kind] = self.cols;
            if let Some(kind) = null(r.owned(kind))
                && !FILM_TYPES.contains(&kind.as_str())
            {
                continue;
            }
            let (Some(id), Some(title)) = (null(r.owned(id)), null(r.owned(primary))) else {
                return Some(CatalogueItem::Bad(BadRow {
                    origin: r.origin.clone(),
                    line,
                    reason: "no tconst or title; entry skipped".into(),
                }));
            };
            let mut titles = vec![(title.clone(), TitleKind::Primary)];
            if let Some(o) = null(r.owned(original))
                && o != title
            {
                titles.push((o, TitleKind::Original));
            }
            return Some(CatalogueItem::Entry(CatalogueRecord {
                source: "imdb",
                imdb_id: Some(id.clone()),
                external_id: id,
                title,
                year: null(r.owned(year)).and_then(|y| parse_year(&y)),
                titles,
            }));
        }
    }
}

/// Leading articles MovieLens moves to the end ("Matrix, The").
const ARTICLES: [&str; 16] = [
    "The", "A", "An", "Les", "Le", "La", "L'", "Il", "Der", "Die", "Das", "El", "Los", "Las", "Lo",
    "Det",
];

/// "Matrix, The" → "The Matrix"; "Amants, Les" → "Les Amants".
fn unswap(title: &str) -> String {
    let t = title.trim();
    if let Some((name, article)) = t.rsplit_once(", ") {
        let article = article.trim();
        if ARTICLES.iter().any(|a| a.eq_ignore_ascii_case(article)) {
            return if article.ends_with('\'') {
                format!("{article}{name}")
            } else {
                format!("{article} {name}")
            };
        }
    }
    t.to_string()
}

/// A MovieLens title: "City of Lost Children, The (Cité des enfants
/// perdus, La) (1995)" → ("The City of Lost Children", [alternative "La
/// Cité des enfants perdus"], 1995).
pub fn parse_movielens_title(raw: &str) -> (String, Vec<String>, Option<i32>) {
    let mut t = raw.trim().to_string();
    let mut year = None;
    // A trailing "(1995)" or "(2006-2007)".
    if t.ends_with(')')
        && let Some(open) = t.rfind('(')
    {
        let inside = &t[open + 1..t.len() - 1];
        if let Some(y) = parse_year(inside)
            && inside.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        {
            year = Some(y);
            t = t[..open].trim().to_string();
        }
    }
    let mut alternatives = Vec::new();
    // Trailing parenthesised alternatives: "(a.k.a. X)", "(Original title)".
    while t.ends_with(')') {
        let Some(open) = t.rfind('(') else { break };
        if open == 0 {
            break;
        }
        let inside = t[open + 1..t.len() - 1].trim();
        let inside = inside
            .strip_prefix("a.k.a. ")
            .or_else(|| inside.strip_prefix("aka "))
            .unwrap_or(inside);
        if !inside.is_empty() {
            alternatives.push(unswap(inside));
        }
        t = t[..open].trim().to_string();
    }
    alternatives.reverse();
    (unswap(&t), alternatives, year)
}

/// The entries of a MovieLens `movies.csv`.
pub(crate) struct MovieLensRows {
    records: Records,
    id: Option<usize>,
    title: Option<usize>,
    imdb: HashMap<String, String>,
}

impl MovieLensRows {
    pub(crate) fn open(
        movies: &Path,
        links: Option<&Path>,
        progress: &Progress,
    ) -> std::io::Result<(MovieLensRows, Vec<CatalogueItem>)> {
        let mut bad = Vec::new();
        let mut imdb = HashMap::new();
        if let Some(links) = links {
            let mut l = Records::open(links, progress)?;
            let (id, imdb_col) = (l.header.find(&["movieId"]), l.header.find(&["imdbId"]));
            while let Some(next) = l.advance() {
                if let Err(b) = next {
                    bad.push(CatalogueItem::Bad(b));
                    continue;
                }
                if let (Some(m), Some(i)) = (l.owned(id), l.owned(imdb_col))
                    && i.bytes().all(|b| b.is_ascii_digit())
                {
                    imdb.insert(m, format!("tt{i:0>7}"));
                }
            }
        }
        let records = Records::open(movies, progress)?;
        let id = records.header.find(&["movieId"]);
        let title = records.header.find(&["title"]);
        Ok((
            MovieLensRows {
                records,
                id,
                title,
                imdb,
            },
            bad,
        ))
    }
}

impl Iterator for MovieLensRows {
    type Item = CatalogueItem;

    fn next(&mut self) -> Option<CatalogueItem> {
        let line = match self.records.advance()? {
            Ok(line) => line,
            Err(bad) => return Some(CatalogueItem::Bad(bad)),
        };
        let r = &self.records;
        let (Some(id), Some(raw)) = (r.owned(self.id), r.owned(self.title)) else {
            return Some(CatalogueItem::Bad(BadRow {
                origin: r.origin.clone(),
                line,
                reason: "no movieId or title; entry skipped".into(),
            }));
        };
        let (title, alternatives, year) = parse_movielens_title(&raw);
        if title.is_empty() {
            return Some(CatalogueItem::Bad(BadRow {
                origin: r.origin.clone(),
                line,
                reason: format!("no title in {raw:?}; entry skipped"),
            }));
        }
        let mut titles = vec![(title.clone(), TitleKind::Primary)];
        titles.extend(
            alternatives
                .into_iter()
                .map(|a| (a, TitleKind::Alternative)),
        );
        Some(CatalogueItem::Entry(CatalogueRecord {
            source: "movielens",
            imdb_id: self.imdb.get(&id).cloned(),
            external_id: id,
            title,
            year,
            titles,
        }))
    }
}

/// A boxed catalogue reader.
pub type CatalogueRows = Box<dyn Iterator<Item = CatalogueItem> + Send>;

pub(crate) fn bad_open(path: &Path, e: std::io::Error) -> CatalogueItem {
    CatalogueItem::Bad(BadRow {
        origin: Arc::from(path.display().to_string()),
        line: 0,
        reason: format!("cannot read: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movielens_titles() {
        assert_eq!(
            parse_movielens_title("Toy Story (1995)"),
            ("Toy Story".to_string(), vec![], Some(1995))
        );
        assert_eq!(
            parse_movielens_title(
                "City of Lost Children, The (Cité des enfants perdus, La) (1995)"
            ),
            (
                "The City of Lost Children".to_string(),
                vec!["La Cité des enfants perdus".to_string()],
                Some(1995)
            )
        );
        assert_eq!(
            parse_movielens_title("Seven (a.k.a. Se7en) (1995)"),
            ("Seven".to_string(), vec!["Se7en".to_string()], Some(1995))
        );
        assert_eq!(
            parse_movielens_title("Babylon 5"),
            ("Babylon 5".to_string(), vec![], None)
        );
        assert_eq!(
            parse_movielens_title("Stranger Things (2016-2018)").2,
            Some(2016)
        );
        assert_eq!(parse_movielens_title("Amants, Les (1999)").0, "Les Amants");
    }
}
