//! Which database a command works on, and how it is opened. Commands that
//! only read (`show`, `films`, `catalog match`, `serve`…) open an existing
//! database and create nothing; commands that store (`ingest`, `import`,
//! `follow`, `sync`) create it, folders included, and say where.

use std::path::{Path, PathBuf};

use verdict_store::{Database, Location, StoreError};

/// Why the database a command names cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    /// `--db` (or `VERDICT_DB`) is a URL of no backend Verdict has.
    #[error("{given}: not a supported database (a SQLite file path, or a postgres:// URL)")]
    Url { given: String },
    /// A read command named a database that does not exist.
    #[error(
        "{}: no such database; nothing was created (`verdict ingest` or `verdict import` creates one)",
        path.display()
    )]
    Missing { path: PathBuf },
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for DatabaseError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Missing { path } => DatabaseError::Missing { path },
            e => DatabaseError::Store(e),
        }
    }
}

/// The scheme of a string written as a URL (`postgres` of
/// `postgres://host/db`).
fn url_scheme(s: &str) -> Option<&str> {
    let (scheme, _) = s.split_once("://")?;
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// The database `--db` names, or the default one: a `postgres://` URL is
/// a PostgreSQL database; any other URL is refused, never taken for a file
/// name.
pub fn location(db: Option<PathBuf>) -> Result<Location, DatabaseError> {
    let path = db.unwrap_or_else(verdict_store::default_path);
    if let Some(given) = path.to_str()
        && url_scheme(given).is_some()
    {
        if verdict_store::is_postgres_url(given) {
            return Ok(Location::Postgres(given.to_string()));
        }
        return Err(DatabaseError::Url {
            given: given.to_string(),
        });
    }
    Ok(Location::File(path))
}

/// Opens the database a read command names; it must exist.
pub fn open_existing(db: Option<PathBuf>) -> Result<Database, DatabaseError> {
    Ok(Database::open(&location(db)?, false)?)
}

/// Opens the database a write names, creating it (and its folders) when
/// it is a file that does not exist yet, and saying so.
pub fn open_or_create(db: Option<PathBuf>) -> Result<Database, DatabaseError> {
    open_or_create_at(&location(db)?)
}

/// [`open_or_create`] of a location already read.
pub fn open_or_create_at(location: &Location) -> Result<Database, DatabaseError> {
    let existed = match location {
        Location::File(path) => std::fs::symlink_metadata(path).is_ok(),
        Location::Postgres(_) => true,
    };
    let store = Database::open(location, true)?;
    if !existed {
        created(store.path());
    }
    Ok(store)
}

/// Says that the database at `path` was just created.
pub fn created(path: &Path) {
    say!("created database {}", shown(path));
}

/// A database's path as summaries show it: absolute when it can be told
/// (a PostgreSQL URL as it is, its password hidden).
pub fn shown(path: &Path) -> String {
    if path.to_str().is_some_and(verdict_store::is_postgres_url) {
        return path.display().to_string();
    }
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert_eq!(url_scheme("postgres://u@host/db"), Some("postgres"));
        assert_eq!(url_scheme("sqlite:///tmp/v.db"), Some("sqlite"));
        assert_eq!(url_scheme("/tmp/v.db"), None);
        assert_eq!(url_scheme("v.db"), None);
        assert_eq!(url_scheme("C:\\data\\v.db"), None);
        assert_eq!(url_scheme("dir/a://b"), None);
        assert_eq!(
            location(Some("postgres://localhost/verdict".into())).unwrap(),
            Location::Postgres("postgres://localhost/verdict".into())
        );
        assert!(matches!(
            location(Some("mysql://localhost/verdict".into())),
            Err(DatabaseError::Url { .. })
        ));
        assert_eq!(
            location(Some("data/v.db".into())).unwrap(),
            Location::File(PathBuf::from("data/v.db"))
        );
    }
}
