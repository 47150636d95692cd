//! What readers produce: raw rows (one review each), bad rows with their
//! file and line, and notes about a whole file.

use std::sync::Arc;

use chrono::NaiveDate;
use verdict_core::{Diagnostic, Verdict};
use verdict_rating::{Reading, ScaleHint};

/// A film as an export names it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilmInfo {
    /// The export's id space ("rt" for Rotten Tomatoes URL slugs,
    /// "rt-flatiron", "rt-movie-id"), with `external_id`.
    pub source: Option<&'static str>,
    pub external_id: Option<String>,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub aliases: Vec<String>,
    /// The export's own published % positive (the Tomatometer).
    pub published_percent: Option<f64>,
    pub published_count: Option<i64>,
}

impl FilmInfo {
    /// The title to give a film the export names only by id.
    pub fn display_title(&self) -> String {
        match (&self.title, self.source, &self.external_id) {
            (Some(t), _, _) => t.clone(),
            (None, Some(source), Some(id)) => format!("{source} film {id}"),
            _ => "untitled film".to_string(),
        }
    }
}

/// One review row of an export, as read: nothing judged yet.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// The file the row came from, as given.
    pub origin: Arc<str>,
    /// The line the row starts on (1-based; the header is line 1).
    pub line: u64,
    /// The layout ("rt-csv", "rt-kaggle-csv", "flatiron-tsv", "letterboxd",
    /// "csv").
    pub format: &'static str,
    pub film: Arc<FilmInfo>,
    /// The export's own review id, when it has one (identity for
    /// idempotence).
    pub review_id: Option<String>,
    /// The film title as this row shows it (when the row carries one).
    pub title_seen: Option<String>,
    pub year_seen: Option<i32>,
    pub critic: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<NaiveDate>,
    pub top_critic: Option<bool>,
    /// The export's verdict (fresh → positive, rotten → negative).
    pub label: Option<Verdict>,
    /// The rating as written ("3.5/5", "B+", "8").
    pub rating: Option<String>,
    /// The scale learned for this critic or outlet, for bare numbers.
    pub hint: Option<ScaleHint>,
    /// The rating already read (with no hint: none applies), when the
    /// reader read it to learn its critic's scale; `None`: read it with
    /// `hint`.
    pub reading: Option<Reading>,
    /// The critic's words (judged).
    pub text: String,
    /// Words the critic quotes (kept, never judged).
    pub quotes: Vec<String>,
    /// What the reader noticed.
    pub notes: Vec<Diagnostic>,
}

/// A row that could not be read; the import goes on.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub origin: Arc<str>,
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.origin, self.line, self.reason)
    }
}

/// What a reader yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Row(Box<RawRow>),
    Bad(BadRow),
    /// A note about a whole file ("decoded as windows-1252").
    Note(String),
}
