//! What the store's tests share: the stores a rule is checked on.
#![allow(dead_code)]

use verdict_store::{Database, PgStore, SqliteStore};

/// One store per backend there is, named: SQLite in memory always, and a
/// fresh database of a real PostgreSQL server when it can run here (a
/// visible skip otherwise; under `VERDICT_REQUIRE_POSTGRES=1`, a failure).
pub fn named_stores() -> Vec<(&'static str, Database)> {
    let mut out = vec![(
        "sqlite",
        Database::Sqlite(SqliteStore::open_in_memory().unwrap()),
    )];
    if let Some(pg) = verdict_testkit::postgres::shared() {
        out.push((
            "postgres",
            Database::Postgres(PgStore::open(&pg.database()).unwrap()),
        ));
    }
    out
}

/// [`named_stores`] without their names.
pub fn stores() -> Vec<Database> {
    named_stores().into_iter().map(|(_, s)| s).collect()
}
