//! A Letterboxd account export (a folder with `reviews.csv`,
//! `ratings.csv`, `diary.csv`, `watched.csv`), read as one.
//!
//! Each film the account reviewed or rated becomes one review by the
//! account's owner (the critic) at the outlet "Letterboxd":
//! - `reviews.csv` rows are reviews (text and, when given, a rating out of
//!   5; `<blockquote>` passages are quotes, never judged);
//! - `ratings.csv` rows are rating-only reviews of the films not reviewed;
//! - `diary.csv` rows with a rating count only for films neither reviewed
//!   nor rated (the first entry of each);
//! - `watched.csv` says nothing about the film and is not read.
//!
//! The owner is the folder's name (`letterboxd-NAME-2024-…-utc` → NAME).

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use verdict_core::title::title_key;

use crate::input::Progress;
use crate::reviews::{Films, ReviewRows, Style, letterboxd_columns};
use crate::row::{BadRow, Item};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Reviews,
    Ratings,
    Diary,
}

/// The files of an export, as found in its folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub dir: PathBuf,
    pub reviews: Option<PathBuf>,
    pub ratings: Option<PathBuf>,
    pub diary: Option<PathBuf>,
    pub owner: String,
}

/// The export's owner from its folder name.
pub fn owner_of(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "letterboxd user".to_string());
    let Some(rest) = name.strip_prefix("letterboxd-") else {
        return name;
    };
    // letterboxd-NAME-2024-01-31-12-00-utc
    let parts: Vec<&str> = rest.split('-').collect();
    let date_at = parts
        .iter()
        .position(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()));
    match date_at {
        Some(i) if i > 0 => parts[..i].join("-"),
        _ => rest.to_string(),
    }
}

/// The rows of an export.
pub(crate) struct Rows {
    export: Export,
    progress: Progress,
    parts: VecDeque<(Part, PathBuf)>,
    current: Option<(Part, ReviewRows)>,
    reviewed: HashSet<(String, Option<i32>)>,
    rated: HashSet<(String, Option<i32>)>,
    skipped: usize,
    pending: VecDeque<Item>,
}

impl Rows {
    pub(crate) fn new(export: Export, progress: &Progress) -> Rows {
        let mut parts = VecDeque::new();
        if let Some(p) = &export.reviews {
            parts.push_back((Part::Reviews, p.clone()));
        }
        if let Some(p) = &export.ratings {
            parts.push_back((Part::Ratings, p.clone()));
        }
        if let Some(p) = &export.diary {
            parts.push_back((Part::Diary, p.clone()));
        }
        Rows {
            export,
            progress: progress.clone(),
            parts,
            current: None,
            reviewed: HashSet::new(),
            rated: HashSet::new(),
            skipped: 0,
            pending: VecDeque::new(),
        }
    }

    fn open_next(&mut self) -> bool {
        while let Some((part, path)) = self.parts.pop_front() {
            let style = Style {
                html: part == Part::Reviews,
                critic: Some(self.export.owner.clone()),
                outlet: Some("Letterboxd".to_string()),
                scale: Some(5.0),
                id_prefix: match part {
                    Part::Reviews => "review:",
                    Part::Ratings => "rating:",
                    Part::Diary => "diary:",
                },
            };
            match ReviewRows::open(
                &path,
                &self.progress,
                "letterboxd",
                letterboxd_columns,
                Films::PerRow,
                style,
            ) {
                Ok(rows) => {
                    self.current = Some((part, rows));
                    return true;
                }
                Err(e) => self.pending.push_back(Item::Bad(BadRow {
                    origin: Arc::from(path.display().to_string()),
                    line: 0,
                    reason: format!("cannot read: {e}"),
                })),
            }
        }
        false
    }
}

impl Iterator for Rows {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.current.is_none() && !self.open_next() {
                if self.skipped > 0 {
                    let n = std::mem::take(&mut self.skipped);
                    return Some(Item::Note(format!(
                        "{}: {n} rating(s) and diary entries of films already counted (reviewed or rated) were not counted again",
                        self.export.dir.display()
                    )));
                }
                if self.pending.is_empty() {
                    return None;
                }
                continue;
            }
            let Some((part, rows)) = self.current.as_mut() else {
                continue;
            };
            let part = *part;
            let Some(item) = rows.next() else {
                self.current = None;
                continue;
            };
            let Item::Row(row) = item else {
                return Some(item);
            };
            let key = (
                title_key(row.film.title.as_deref().unwrap_or_default()),
                row.film.year,
            );
            match part {
                Part::Reviews => {
                    if row.text.is_empty() && row.rating.is_none() {
                        continue;
                    }
                    self.reviewed.insert(key);
                }
                Part::Ratings | Part::Diary => {
                    if row.rating.is_none() {
                        continue;
                    }
                    if self.reviewed.contains(&key) || self.rated.contains(&key) {
                        self.skipped += 1;
                        continue;
                    }
                    self.rated.insert(key);
                }
            }
            return Some(Item::Row(row));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_from_folder_names() {
        assert_eq!(owner_of(Path::new("/x/bcentner")), "bcentner");
        assert_eq!(
            owner_of(Path::new("/x/letterboxd-ann-lee-2024-01-31-12-00-utc")),
            "ann-lee"
        );
    }
}
