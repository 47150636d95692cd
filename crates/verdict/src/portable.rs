//! `verdict export` and reading an export back (`verdict import FILE`):
//! the whole database as NDJSON, on either backend (the format is
//! `verdict_store::portable`'s, documented in `docs/export.md`).
//!
//! An export ends with a trailer that counts its rows per table, so that a
//! truncated file is told from a whole one. Reading one back checks the
//! whole file first (every line, every value, the trailer's counts) and
//! writes nothing when anything is wrong; it goes into an empty database
//! only, ids kept, and rebuilds the cached statistics after.

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::path::Path;

use serde_json::{Value, json};
use verdict_store::portable::{self, FORMAT_VERSION, HEADER, TABLES};
use verdict_store::{Store, StoreError};

/// Why an export cannot be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum PortableError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file is no export, or a damaged one: line and reason.
    #[error("{file}: line {line}: {reason}; nothing was imported")]
    Bad {
        file: String,
        line: u64,
        reason: String,
    },
    /// Writing stopped part way (a row the database refused): what was
    /// written stays, and is said.
    #[error(
        "{database}: the import stopped after writing part of the export ({source}); the database holds that part: read the export into a new database"
    )]
    Partial {
        database: String,
        source: Box<PortableError>,
    },
    #[error(
        "{database}: not empty ({films} films, {reviews} reviews, {feeds} feeds, {catalogue} catalogue entries); an export is read back into an empty database only"
    )]
    NotEmpty {
        database: String,
        films: u64,
        reviews: u64,
        feeds: usize,
        catalogue: u64,
    },
}

/// Rows per table, as the trailer counts them.
pub type Counts = BTreeMap<String, u64>;

/// Writes the whole database to `out`: header, rows, trailer.
pub fn export(
    store: &dyn Store,
    backend: &str,
    schema_version: u32,
    out: &mut dyn Write,
) -> Result<Counts, PortableError> {
    let header = json!({
        "record": HEADER,
        "format_version": FORMAT_VERSION,
        "schema_version": schema_version,
        "exported_at": portable::time_text(chrono::Utc::now()),
        "backend": backend,
        "tables": TABLES.iter().map(|t| t.name).collect::<Vec<_>>(),
    });
    writeln!(out, "{header}")?;
    let mut counts: Counts = TABLES.iter().map(|t| (t.name.to_string(), 0)).collect();
    let mut io_error = None;
    store
        .export(&mut |table, row| {
            // the table first, for whoever reads the file; JSON values
            // with their keys in one order whatever the backend kept
            // (PostgreSQL's JSONB orders keys its own way); the columns in
            // the table's order, whatever the build
            let mut line = format!("{{\"table\":{},\"row\":{{", Value::from(table.name));
            for (i, (column, _)) in table.columns.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                let value = canonical(row.get(*column).unwrap_or(&Value::Null));
                line.push_str(&format!("{}:{value}", Value::from(*column)));
            }
            line.push_str("}}");
            if let Err(e) = writeln!(out, "{line}") {
                io_error = Some(e);
                return Err(StoreError::Backend {
                    path: std::path::PathBuf::from("-"),
                    reason: "output closed".to_string(),
                });
            }
            *counts.entry(table.name.to_string()).or_default() += 1;
            Ok(())
        })
        .map_err(|e| match io_error.take() {
            Some(io) => PortableError::Io(io),
            None => PortableError::Store(e),
        })?;
    writeln!(out, "{}", json!({"record": "end", "rows": counts}))?;
    out.flush()?;
    Ok(counts)
}

/// A JSON value with every object's keys in byte order, recursively.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&o[k])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// Whether the file at `path` starts like an export (its first line the
/// header).
pub fn is_export(path: &Path) -> bool {
    // Only a regular file is opened: opening a FIFO blocks until something
    // writes to it.
    if !path.is_file() {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    let mut reader = std::io::BufReader::new(file).take(64 * 1024);
    if reader.read_line(&mut first).is_err() {
        return false;
    }
    serde_json::from_str::<Value>(&first)
        .ok()
        .is_some_and(|v| v["record"] == HEADER)
}

/// One line of an export read back.
enum Line {
    Header,
    Row(&'static portable::Table, portable::Row),
    End(Counts),
}

fn read_line(text: &str, first: bool) -> Result<Line, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if first {
        if v["record"] != HEADER {
            return Err("no export header (the first line says what the file is)".to_string());
        }
        let version = v["format_version"].as_u64().unwrap_or(0);
        if version == 0 || version > u64::from(FORMAT_VERSION) {
            return Err(format!(
                "export format version {version}; this Verdict reads up to {FORMAT_VERSION}"
            ));
        }
        return Ok(Line::Header);
    }
    if v["record"] == "end" {
        let counts = v["rows"]
            .as_object()
            .ok_or("a trailer without row counts")?
            .iter()
            .map(|(k, n)| {
                Ok((
                    k.clone(),
                    n.as_u64().ok_or("a row count that is no number")?,
                ))
            })
            .collect::<Result<Counts, String>>()?;
        return Ok(Line::End(counts));
    }
    let name = v["table"].as_str().ok_or("a line with no table")?;
    let table = portable::table(name).ok_or_else(|| format!("unknown table {name:?}"))?;
    let Value::Object(row) = v["row"].clone() else {
        return Err(format!("{name}: a line with no row"));
    };
    portable::check_row(table, &row)?;
    Ok(Line::Row(table, row))
}

/// Reads every line of `file`, calling `each` with the table rows; checks
/// the header, each line and the trailer's counts.
fn read_all(
    file: &Path,
    each: &mut dyn FnMut(&'static portable::Table, portable::Row) -> Result<(), PortableError>,
) -> Result<Counts, PortableError> {
    let shown = file.display().to_string();
    let bad = |line: u64, reason: String| PortableError::Bad {
        file: shown.clone(),
        line,
        reason,
    };
    let mut reader = std::io::BufReader::new(std::fs::File::open(file)?);
    let mut counts = Counts::new();
    let mut trailer = None;
    let mut number = 0u64;
    // tables come in TABLES' order: each after those it refers to
    let mut at = 0usize;
    let mut buf = Vec::new();
    loop {
        // one line at a time, never longer than MAX_LINE (a hostile file
        // is not read whole into memory)
        buf.clear();
        let read = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| bad(number + 1, e.to_string()))?;
        if read == 0 {
            break;
        }
        number += 1;
        if buf.len() > MAX_LINE {
            return Err(bad(
                number,
                format!("a line longer than {} MiB", MAX_LINE >> 20),
            ));
        }
        let text =
            std::str::from_utf8(&buf).map_err(|e| bad(number, format!("not UTF-8 text: {e}")))?;
        if text.trim().is_empty() {
            continue;
        }
        if trailer.is_some() {
            return Err(bad(number, "a line after the trailer".to_string()));
        }
        match read_line(text, number == 1).map_err(|r| bad(number, r))? {
            Line::Header => {}
            Line::Row(table, row) => {
                let index = TABLES
                    .iter()
                    .position(|t| t.name == table.name)
                    .unwrap_or(0);
                if index < at {
                    return Err(bad(
                        number,
                        format!(
                            "{} rows after {} rows (out of order)",
                            table.name, TABLES[at].name
                        ),
                    ));
                }
                at = index;
                *counts.entry(table.name.to_string()).or_default() += 1;
                each(table, row)?;
            }
            Line::End(c) => trailer = Some(c),
        }
    }
    if number == 0 {
        return Err(bad(1, "an empty file".to_string()));
    }
    let Some(expected) = trailer else {
        return Err(bad(
            number,
            "no trailer: the file ends early (a truncated export)".to_string(),
        ));
    };
    for (table, n) in &expected {
        let got = counts.get(table).copied().unwrap_or(0);
        if got != *n {
            return Err(bad(
                number,
                format!("the trailer counts {n} {table} rows, the file holds {got}"),
            ));
        }
    }
    Ok(counts)
}

/// A line of an export is at most this long (a review's text is cut at
/// 16 MiB when read).
const MAX_LINE: usize = 64 << 20;

/// An export checked whole ([`check`]): what [`import`] takes, so that
/// nothing is written from a file that was not.
pub struct Checked<'a> {
    file: &'a Path,
    pub counts: Counts,
}

/// Checks the export at `file` whole (every line, every value, the
/// trailer's counts) without writing anything.
pub fn check(file: &Path) -> Result<Checked<'_>, PortableError> {
    let counts = read_all(file, &mut |_, _| Ok(()))?;
    Ok(Checked { file, counts })
}

/// Reads a checked export into `store`, which must be empty, table by
/// table, ids kept. A row the database refuses stops it: the error says
/// that what was written stays ([`PortableError::Partial`]).
pub fn import(
    store: &mut dyn Store,
    checked: &Checked<'_>,
    shown: &str,
) -> Result<Counts, PortableError> {
    let file = checked.file;
    let (films, reviews) = store.counts()?;
    let feeds = store.feeds()?.len();
    let catalogue = store.catalogue_count()?;
    if films + reviews + catalogue > 0 || feeds > 0 {
        return Err(PortableError::NotEmpty {
            database: shown.to_string(),
            films,
            reviews,
            feeds,
            catalogue,
        });
    }
    const BATCH: usize = 5_000;
    let mut batch: Vec<portable::Row> = Vec::with_capacity(BATCH);
    let mut current: Option<&'static portable::Table> = None;
    let partial = |e: PortableError| PortableError::Partial {
        database: shown.to_string(),
        source: Box::new(e),
    };
    let counts = read_all(file, &mut |table, row| {
        if table.derived {
            return Ok(());
        }
        if current.is_some_and(|t| t.name != table.name) || batch.len() >= BATCH {
            if let Some(t) = current {
                store.import_rows(t, &batch)?;
            }
            batch.clear();
        }
        current = Some(table);
        batch.push(row);
        Ok(())
    })
    .map_err(partial)?;
    if let Some(t) = current
        && !batch.is_empty()
    {
        store
            .import_rows(t, &batch)
            .map_err(|e| partial(e.into()))?;
    }
    store.finish_import()?;
    verdict_present::refresh_stats(store)?;
    Ok(counts)
}
