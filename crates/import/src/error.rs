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
    #[error("--map: {} has no column {column:?} (it has {})", path.display(), columns.join(", "))]
    MapColumn {
        path: PathBuf,
        column: String,
        columns: Vec<String>,
    },
    /// A generic file with no film title column.
    #[error("{}: no film title column (looked for {looked_for}; its columns: {}); use --map title=COLUMN", path.display(), columns.join(", "))]
    NoTitleColumn {
        path: PathBuf,
        looked_for: String,
        columns: Vec<String>,
    },
    /// A generic file with nothing to score a review by.
    #[error("{}: no rating, review text or verdict column (its columns: {}); use --map rating=COLUMN or text=COLUMN", path.display(), columns.join(", "))]
    NothingToScore { path: PathBuf, columns: Vec<String> },
    /// A table whose header is no layout Verdict knows, nor a generic
    /// review table (a title column and a rating, text or verdict column).
    #[error("{}: not a table Verdict knows (its columns: {}); for reviews in a CSV of your own, name the columns: verdict import FILE --map title=COLUMN,rating=COLUMN (or text=COLUMN)", path.display(), columns.join(", "))]
    UnknownLayout { path: PathBuf, columns: Vec<String> },
    /// Reviews were asked of a catalogue.
    #[error("{unit} is a film catalogue, not reviews")]
    NotReviews { unit: String },
    /// A catalogue was asked of reviews.
    #[error("{unit} holds reviews, not a film catalogue")]
    NotCatalogue { unit: String },
}
