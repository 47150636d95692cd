//! The whole database as rows of the portable export (`crate::portable`),
//! and rows read back (SQLite).

use rusqlite::types::Value as Sql;
use serde_json::Value;

use super::{SqliteStore, backend};
use crate::portable::{Kind, Row, Table, parse_time, time_text};
use crate::{Result, StoreError};

fn to_json(kind: Kind, v: Sql) -> std::result::Result<Value, String> {
    Ok(match (kind, v) {
        (_, Sql::Null) => Value::Null,
        (Kind::Int, Sql::Integer(i)) => Value::from(i),
        (Kind::Real, Sql::Real(x)) => Value::from(x),
        (Kind::Real, Sql::Integer(i)) => Value::from(i as f64),
        (Kind::Bool, Sql::Integer(i)) => Value::Bool(i != 0),
        (Kind::Text | Kind::Date, Sql::Text(s)) => Value::String(s),
        (Kind::Time, Sql::Text(s)) => Value::String(
            parse_time(&s)
                .map(time_text)
                .ok_or_else(|| format!("bad time {s:?}"))?,
        ),
        (Kind::Json, Sql::Text(s)) => {
            serde_json::from_str(&s).map_err(|e| format!("bad JSON {s:?}: {e}"))?
        }
        (kind, v) => return Err(format!("{v:?} is no {kind:?}")),
    })
}

fn to_sql(kind: Kind, v: &Value) -> Sql {
    match (kind, v) {
        (_, Value::Null) => Sql::Null,
        (Kind::Int, Value::Number(n)) => n.as_i64().map_or(Sql::Null, Sql::Integer),
        (Kind::Real, Value::Number(n)) => n.as_f64().map_or(Sql::Null, Sql::Real),
        (Kind::Bool, Value::Bool(b)) => Sql::Integer(i64::from(*b)),
        (Kind::Time, Value::String(s)) => {
            Sql::Text(parse_time(s).map(time_text).unwrap_or_else(|| s.clone()))
        }
        (Kind::Json, v) => Sql::Text(v.to_string()),
        (_, Value::String(s)) => Sql::Text(s.clone()),
        (_, v) => Sql::Text(v.to_string()),
    }
}

/// Every row of every exported table, in one read transaction: one state
/// of the database, whatever other processes write meanwhile.
pub(super) fn export(
    store: &SqliteStore,
    visit: &mut dyn FnMut(&'static Table, &Row) -> Result<()>,
) -> Result<()> {
    let tx = store
        .conn
        .unchecked_transaction()
        .map_err(|e| store.backend(e))?;
    for table in crate::portable::TABLES {
        export_table(store, &tx, table, &mut |row| visit(table, row))?;
    }
    Ok(())
}

fn export_table(
    store: &SqliteStore,
    tx: &rusqlite::Transaction<'_>,
    table: &Table,
    visit: &mut dyn FnMut(&Row) -> Result<()>,
) -> Result<()> {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        table.name,
        table.order
    );
    let mut stmt = tx.prepare(&sql).map_err(|e| store.backend(e))?;
    let mut rows = stmt.query([]).map_err(|e| store.backend(e))?;
    while let Some(r) = rows.next().map_err(|e| store.backend(e))? {
        let mut row = Row::new();
        for (i, (column, kind)) in table.columns.iter().enumerate() {
            let v: Sql = r.get(i).map_err(|e| store.backend(e))?;
            let v = to_json(*kind, v).map_err(|reason| StoreError::Backend {
                path: store.path.clone(),
                reason: format!("{}.{column}: {reason}", table.name),
            })?;
            row.insert((*column).to_string(), v);
        }
        visit(&row)?;
    }
    Ok(())
}

pub(super) fn import_rows(store: &mut SqliteStore, table: &Table, rows: &[Row]) -> Result<()> {
    let path = store.path.clone();
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let params: Vec<String> = (1..=columns.len()).map(|n| format!("?{n}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table.name,
        columns.join(", "),
        params.join(", ")
    );
    let tx = store.conn.transaction().map_err(|e| backend(&path, e))?;
    {
        let mut stmt = tx.prepare_cached(&sql).map_err(|e| backend(&path, e))?;
        for row in rows {
            let values: Vec<Sql> = table
                .columns
                .iter()
                .map(|(c, kind)| to_sql(*kind, row.get(*c).unwrap_or(&Value::Null)))
                .collect();
            stmt.execute(rusqlite::params_from_iter(values))
                .map_err(|e| StoreError::Rejected {
                    path: path.clone(),
                    source_name: crate::portable::row_name(table, row),
                    content_hash: String::new(),
                    reason: e.to_string(),
                })?;
        }
    }
    tx.commit().map_err(|e| backend(&path, e))
}
