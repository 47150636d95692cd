//! Your data, portable: the whole database as NDJSON, read back on either
//! backend (`verdict export`, `verdict import`). The format is documented
//! in `docs/export.md`; this module is its one definition.
//!
//! The first line is a header (`{"record": "verdict-export",
//! "format_version": 2, …}`); then one line per row, `{"table": NAME,
//! "row": {COLUMN: VALUE, …}}`, tables in [`TABLES`]' order (each after
//! the tables it refers to), rows in key order. Values are JSON: integers
//! and reals as numbers, flags as `true`/`false`, dates as `YYYY-MM-DD`,
//! times as RFC 3339 in UTC with microseconds, the evidence and
//! diagnostics as JSON, absent values as `null`. Ids are kept: a database
//! read back is the same database, its films at the same addresses.
//!
//! Derived data is not exported (the cached statistics are rebuilt after
//! an import) but for the critics' harshness, which is written as
//! `critic_stats` rows for whoever reads the file, and not read back.
//! Queued work is not data: the `jobs` table is not exported.

use serde_json::{Map, Value};

/// The format's version: a reader refuses a newer one. Version 2 added
/// `review_signatures` and `review_copies` (syndicated copies); a file of
/// version 1 is read as it is.
pub const FORMAT_VERSION: u32 = 2;

/// The header line's `record`.
pub const HEADER: &str = "verdict-export";

/// How a column's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Real,
    Text,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339, UTC.
    Time,
    /// A JSON value.
    Json,
}

/// One exported table.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// The order rows are written in.
    pub order: &'static str,
    /// Whether `id` is an identity the database hands out (to be moved
    /// past the ids read back).
    pub identity: bool,
    /// Derived: written for readers, never read back.
    pub derived: bool,
}

use Kind::*;

/// Every exported table, each after the tables it refers to.
pub const TABLES: &[Table] = &[
    Table {
        name: "runs",
        columns: &[
            ("id", Int),
            ("command", Text),
            ("args", Text),
            ("started_at", Time),
            ("finished_at", Time),
        ],
        order: "id",
        identity: true,
        derived: false,
    },
    Table {
        name: "films",
        columns: &[
            ("id", Int),
            ("title", Text),
            ("title_key", Text),
            ("year", Int),
            ("created_at", Time),
        ],
        order: "id",
        identity: true,
        derived: false,
    },
    Table {
        name: "film_aliases",
        columns: &[
            ("id", Int),
            ("film_id", Int),
            ("alias", Text),
            ("alias_key", Text),
        ],
        order: "id",
        identity: true,
        derived: false,
    },
    Table {
        name: "reviews",
        columns: &[
            ("id", Int),
            ("film_id", Int),
            ("content_hash", Text),
            ("source", Text),
            ("format", Text),
            ("title_seen", Text),
            ("year_seen", Int),
            ("critic", Text),
            ("outlet", Text),
            ("published", Date),
            ("body", Text),
            ("score", Real),
            ("verdict", Text),
            ("confidence", Real),
            ("inferred", Bool),
            ("rating_raw", Text),
            ("rating_value", Real),
            ("rating_best", Real),
            ("rating_worst", Real),
            ("rating_score", Real),
            ("rating_scale", Text),
            ("rating_confidence", Text),
            ("rating_span_start", Int),
            ("rating_span_end", Int),
            ("judge_model", Text),
            ("judge_score", Real),
            ("judge_verdict", Text),
            ("judge_probability", Real),
            ("evidence", Json),
            ("diagnostics", Json),
            ("ingested_at", Time),
            ("source_verdict", Text),
            ("top_critic", Bool),
            ("p_positive", Real),
            ("run_id", Int),
            ("link", Text),
            ("passages", Json),
        ],
        order: "id",
        identity: true,
        derived: false,
    },
    Table {
        name: "review_aspects",
        columns: &[
            ("review_id", Int),
            ("ord", Int),
            ("name", Text),
            ("raw", Text),
            ("value", Real),
            ("best", Real),
            ("score", Real),
            ("span_start", Int),
            ("span_end", Int),
        ],
        order: "review_id, ord",
        identity: false,
        derived: false,
    },
    Table {
        name: "review_signatures",
        columns: &[("review_id", Int), ("signature", Text)],
        order: "review_id",
        identity: false,
        derived: false,
    },
    Table {
        name: "review_copies",
        columns: &[
            ("id", Int),
            ("review_id", Int),
            ("content_hash", Text),
            ("source", Text),
            ("format", Text),
            ("critic", Text),
            ("outlet", Text),
            ("link", Text),
            ("similarity", Real),
            ("run_id", Int),
            ("ingested_at", Time),
        ],
        order: "id",
        identity: true,
        derived: false,
    },
    Table {
        name: "film_external_ids",
        columns: &[
            ("film_id", Int),
            ("source", Text),
            ("external_id", Text),
            ("published_percent", Real),
            ("published_count", Int),
            ("match_method", Text),
            ("match_confidence", Real),
        ],
        order: "film_id, source, external_id",
        identity: false,
        derived: false,
    },
    Table {
        name: "published_scores",
        columns: &[
            ("id", Int),
            ("film_id", Int),
            ("site", Text),
            ("name", Text),
            ("value", Real),
            ("best", Real),
            ("worst", Real),
            ("count", Int),
            ("percent", Bool),
            ("source", Text),
            ("run_id", Int),
            ("seen_at", Time),
        ],
        order: "id",
        identity: true,
        derived: false,
    },
    Table {
        name: "catalogue",
        columns: &[
            ("id", Int),
            ("source", Text),
            ("external_id", Text),
            ("title", Text),
            ("year", Int),
            ("imdb_id", Text),
        ],
        order: "id",
        identity: true,
        derived: false,
    },
    Table {
        name: "catalogue_titles",
        columns: &[
            ("catalogue_id", Int),
            ("title", Text),
            ("title_key", Text),
            ("kind", Text),
        ],
        order: "catalogue_id, title_key",
        identity: false,
        derived: false,
    },
    Table {
        name: "film_catalogue",
        columns: &[
            ("film_id", Int),
            ("catalogue_id", Int),
            ("confidence", Real),
            ("method", Text),
            ("note", Text),
            ("decided_at", Time),
        ],
        order: "film_id",
        identity: false,
        derived: false,
    },
    Table {
        name: "feeds",
        columns: &[
            ("id", Int),
            ("url", Text),
            ("title", Text),
            ("etag", Text),
            ("last_modified", Text),
            ("added_at", Time),
            ("synced_at", Time),
            ("last_error", Text),
        ],
        order: "id",
        identity: true,
        derived: false,
    },
    Table {
        name: "feed_entries",
        columns: &[
            ("feed_id", Int),
            ("entry_key", Text),
            ("link", Text),
            ("title", Text),
            ("state", Text),
            ("review_id", Int),
            ("attempts", Int),
            ("error", Text),
            ("first_seen_at", Time),
            ("last_attempt_at", Time),
        ],
        order: "feed_id, first_seen_at, entry_key",
        identity: false,
        derived: false,
    },
    Table {
        name: "critic_stats",
        columns: &[
            ("critic_key", Text),
            ("critic", Text),
            ("reviews", Int),
            ("films", Int),
            ("mean_offset", Real),
            ("shrunk_offset", Real),
        ],
        order: "critic_key",
        identity: false,
        derived: true,
    },
];

/// A row as messages name it: its table and its key ("reviews row id
/// 12"), never its whole text.
pub fn row_name(table: &Table, row: &Row) -> String {
    let key: Vec<String> = table
        .order
        .split(',')
        .map(str::trim)
        .map(|c| {
            let v = row.get(c).map(|v| v.to_string()).unwrap_or_default();
            let v: String = v.chars().take(80).collect();
            format!("{c} {v}")
        })
        .collect();
    format!("{} row {}", table.name, key.join(", "))
}

/// The table named `name`.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// One row as exported.
pub type Row = Map<String, Value>;

/// A time as the export writes it: RFC 3339, UTC, microseconds.
pub fn time_text(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Reads a time the export wrote (any RFC 3339 time is taken).
pub fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// Checks a row against its table: every column present with a value of
/// its kind (or null), no other column. The reason names the column.
pub fn check_row(table: &Table, row: &Row) -> Result<(), String> {
    for key in row.keys() {
        if !table.columns.iter().any(|(c, _)| c == key) {
            return Err(format!("{}: unknown column {key:?}", table.name));
        }
    }
    for (column, kind) in table.columns {
        let v = row.get(*column).unwrap_or(&Value::Null);
        let fits = match (kind, v) {
            (_, Value::Null) => true,
            (Int, Value::Number(n)) => n.is_i64(),
            (Real, Value::Number(_)) => true,
            (Text, Value::String(_)) => true,
            (Bool, Value::Bool(_)) => true,
            (Date, Value::String(s)) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
            (Time, Value::String(s)) => parse_time(s).is_some(),
            (Json, _) => true,
            _ => false,
        };
        if !fits {
            return Err(format!(
                "{}.{column}: {v} is no {}",
                table.name,
                match kind {
                    Int => "integer",
                    Real => "number",
                    Text => "text",
                    Bool => "true/false",
                    Date => "YYYY-MM-DD date",
                    Time => "RFC 3339 time",
                    Json => "JSON",
                }
            ));
        }
    }
    Ok(())
}
