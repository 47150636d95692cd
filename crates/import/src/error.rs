//! Why an export cannot be read as asked. A bad row is not an error of
//! this kind: it is reported with its file and line and costs only itself
//! ([`crate::BadRow`]).

use std::path::PathBuf;

/// Why a unit of files, or a column mapping, cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file cannot be opened or read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A `--map` pair is not `FIELD=COLUMN`.
    #[error("--map: {pair:?} is not FIELD=COLUMN (fields: {fields})")]
    MapSyntax { pair: String, fields: String },
    /// A `--map` field Verdict does not know.
    #[error("--map: unknown field {field:?} (fields: {fields})")]
    MapField { field: String, fields: String },
    /// A `--map` column the file does not have.
    #[error("--map: {} has no column {column:?} (it has {})", path.display(), shown(columns))]
    MapColumn {
        path: PathBuf,
        column: String,
        columns: Vec<String>,
    },
    /// A generic file with no film title column.
    #[error("{}: no film title column (looked for {looked_for}; its columns: {}); use --map title=COLUMN", path.display(), shown(columns))]
    NoTitleColumn {
        path: PathBuf,
        looked_for: String,
        columns: Vec<String>,
    },
    /// A generic file with nothing to score a review by.
    #[error("{}: no rating, review text or verdict column (its columns: {}); use --map rating=COLUMN or text=COLUMN", path.display(), shown(columns))]
    NothingToScore { path: PathBuf, columns: Vec<String> },
    /// A table whose header is no layout Verdict knows, nor a generic
    /// review table (a title column and a rating, text or verdict column).
    #[error("{}: not a table Verdict knows (its columns: {}); for reviews in a CSV of your own, name the columns: verdict import FILE --map title=COLUMN,rating=COLUMN (or text=COLUMN)", path.display(), shown(columns))]
    UnknownLayout { path: PathBuf, columns: Vec<String> },
    /// Reviews were asked of a catalogue.
    #[error("{unit} is a film catalogue, not reviews")]
    NotReviews { unit: String },
    /// A catalogue was asked of reviews.
    #[error("{unit} holds reviews, not a film catalogue")]
    NotCatalogue { unit: String },
}

/// The most columns, and characters of each, an error shows.
const SHOWN_COLUMNS: usize = 20;
const SHOWN_CHARS: usize = 40;

/// A header's columns as an error shows them: the first
/// [`SHOWN_COLUMNS`], each cut to [`SHOWN_CHARS`] characters and escaped
/// (a binary file's "header" must not write control codes to a terminal);
/// "none" for an empty header.
fn shown(columns: &[String]) -> String {
    if columns.is_empty() {
        return "none".to_string();
    }
    let mut out: Vec<String> = columns
        .iter()
        .take(SHOWN_COLUMNS)
        .map(|c| {
            let cut: String = c.chars().take(SHOWN_CHARS).collect();
            let escaped: String = cut.escape_debug().collect();
            if c.chars().count() > SHOWN_CHARS {
                format!("{escaped}…")
            } else {
                escaped
            }
        })
        .collect();
    if columns.len() > SHOWN_COLUMNS {
        out.push(format!("… {} more", columns.len() - SHOWN_COLUMNS));
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_shown_escaped_and_capped() {
        assert_eq!(shown(&[]), "none");
        assert_eq!(shown(&["title".into(), "rating".into()]), "title, rating");
        let hostile = vec!["a\u{1b}[2Jb".to_string(); 25];
        let text = shown(&hostile);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.ends_with("… 5 more"), "{text}");
        assert!(shown(&["x".repeat(100)]).ends_with('…'));
    }
}
