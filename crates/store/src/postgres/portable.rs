//! The whole database as rows of the portable export (`crate::portable`),
//! and rows read back (PostgreSQL).

use chrono::{DateTime, NaiveDate, Utc};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use serde_json::Value;

use super::{PgStore, backend, describe};
use crate::portable::{Kind, Row, Table, parse_time, time_text};
use crate::{Result, StoreError};

fn cast(kind: Kind) -> &'static str {
    match kind {
        Kind::Int => "BIGINT",
        Kind::Real => "DOUBLE PRECISION",
        Kind::Text => "TEXT",
        Kind::Bool => "BOOLEAN",
        Kind::Date => "DATE",
        Kind::Time => "TIMESTAMPTZ",
        Kind::Json => "JSONB",
    }
}

/// The order clause, text compared byte by byte (as SQLite compares it).
fn order(table: &Table) -> String {
    table
        .order
        .split(',')
        .map(|c| {
            let c = c.trim();
            match table.columns.iter().find(|(n, _)| *n == c) {
                Some((_, Kind::Text)) => format!("{c} COLLATE \"C\""),
                _ => c.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn to_json(kind: Kind, r: &postgres::Row, i: usize) -> Value {
    match kind {
        Kind::Int => r.get::<_, Option<i64>>(i).map_or(Value::Null, Value::from),
        Kind::Real => r.get::<_, Option<f64>>(i).map_or(Value::Null, Value::from),
        Kind::Text => r
            .get::<_, Option<String>>(i)
            .map_or(Value::Null, Value::from),
        Kind::Bool => r.get::<_, Option<bool>>(i).map_or(Value::Null, Value::from),
        Kind::Date => r.get::<_, Option<NaiveDate>>(i).map_or(Value::Null, |d| {
            Value::from(d.format("%Y-%m-%d").to_string())
        }),
        Kind::Time => r
            .get::<_, Option<DateTime<Utc>>>(i)
            .map_or(Value::Null, |t| Value::from(time_text(t))),
        Kind::Json => r.get::<_, Option<Value>>(i).unwrap_or(Value::Null),
    }
}

/// Every row of every exported table, in one `REPEATABLE READ` snapshot:
/// one state of the database, whatever other processes write meanwhile.
pub(super) fn export(
    store: &PgStore,
    visit: &mut dyn FnMut(&'static Table, &Row) -> Result<()>,
) -> Result<()> {
    let mut failed: Option<StoreError> = None;
    store.read(|c| {
        for table in crate::portable::TABLES {
            let sql = select(table);
            let mut rows = c.query_raw(&sql, std::iter::empty::<&(dyn ToSql + Sync)>())?;
            while let Some(r) = rows.next()? {
                let mut row = Row::new();
                for (i, (column, kind)) in table.columns.iter().enumerate() {
                    row.insert((*column).to_string(), to_json(*kind, &r, i));
                }
                if let Err(e) = visit(table, &row) {
                    failed = Some(e);
                    return Ok(());
                }
            }
        }
        Ok(())
    })?;
    failed.map_or(Ok(()), Err)
}

/// The query that reads a table's rows, each value cast to its kind.
fn select(table: &Table) -> String {
    let select: Vec<String> = table
        .columns
        .iter()
        .map(|(c, kind)| format!("{c}::{}", cast(*kind)))
        .collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        select.join(", "),
        table.name,
        order(table)
    )
}

/// A value as a parameter of its column's kind.
fn param(kind: Kind, v: &Value) -> Box<dyn ToSql + Sync> {
    match kind {
        Kind::Int => Box::new(v.as_i64()),
        Kind::Real => Box::new(v.as_f64()),
        Kind::Text => Box::new(v.as_str().map(str::to_string)),
        Kind::Bool => Box::new(v.as_bool()),
        Kind::Date => Box::new(
            v.as_str()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()),
        ),
        Kind::Time => Box::new(v.as_str().and_then(parse_time)),
        Kind::Json => Box::new((!v.is_null()).then(|| v.clone())),
    }
}

pub(super) fn import_rows(store: &mut PgStore, table: &Table, rows: &[Row]) -> Result<()> {
    let name = store.name().to_path_buf();
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let params: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(n, (_, kind))| format!("${}::{}", n + 1, cast(*kind)))
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        columns.join(", "),
        params.join(", ")
    );
    let client = store.client();
    let mut tx = client.transaction().map_err(|e| backend(&name, &e))?;
    let statement = tx.prepare(&sql).map_err(|e| backend(&name, &e))?;
    for row in rows {
        let values: Vec<Box<dyn ToSql + Sync>> = table
            .columns
            .iter()
            .map(|(c, kind)| param(*kind, row.get(*c).unwrap_or(&Value::Null)))
            .collect();
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| &**v).collect();
        tx.execute(&statement, &refs)
            .map_err(|e| StoreError::Rejected {
                path: name.clone(),
                source_name: crate::portable::row_name(table, row),
                content_hash: String::new(),
                reason: describe(&e),
            })?;
    }
    tx.commit().map_err(|e| backend(&name, &e))
}

/// Moves every identity past the ids read back.
pub(super) fn finish_import(store: &mut PgStore) -> Result<()> {
    let tables: Vec<&str> = crate::portable::TABLES
        .iter()
        .filter(|t| t.identity)
        .map(|t| t.name)
        .collect();
    store.write(|c| {
        for t in tables {
            c.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', 'id'),
                                   COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
                ),
                &[],
            )?;
        }
        Ok(())
    })
}
