//! The embedded SQLite backend. All SQL of the SQLite backend lives here and
//! in `migrations/`.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Row, TransactionBehavior};
use verdict_core::{Aspect, Confidence, Diagnostic, Film, Rating, Span, Verdict};

use crate::{
    Alias, FilmChoice, FilmRecord, NewReview, Put, Result, ScoreRow, Store, StoreError,
    StoredReview,
};

mod embedded {
    refinery::embed_migrations!("migrations/sqlite");
}

/// Bulk imports, catalogues and cached statistics.
mod bulk;

/// Followed feeds and their entries.
mod feeds;

/// The one statement and binder that insert reviews.
mod insert;

/// A new database built by one bulk load, put in place when it is whole.
mod load;

/// Runs and removals.
mod jobs;
/// The portable export's rows.
mod portable;
mod published;
mod runs;
pub use load::NewDatabase;

/// Written into the SQLite header (`PRAGMA application_id`) so that a Verdict
/// database can be told from other SQLite files: "VRDT".
const APPLICATION_ID: i32 = 0x5652_4454;

/// The table in which `refinery` records applied migrations.
const HISTORY_TABLE: &str = "refinery_schema_history";

/// How long to wait for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Pause between retries of an operation that found the database busy.
const RETRY_PAUSE: Duration = Duration::from_millis(25);

/// Display name of an in-memory database in error messages.
const MEMORY: &str = ":memory:";

/// Verdict's store in an embedded SQLite database (one file, plus the `-wal`
/// and `-shm` files SQLite keeps beside it while in use).
///
/// The database runs in WAL mode with foreign keys enforced and a busy
/// timeout, so several processes may read while one writes (a new
/// database being built by an import, [`NewDatabase`], is in WAL mode once
/// it is in place).
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// How the file is journaled.
    journal: Journal,
}

/// How a store's file is journaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Journal {
    /// WAL with synchronous NORMAL: what every database in place uses.
    Wal,
    /// A database no one else can see yet ([`NewDatabase`]): the rollback
    /// journal in memory and no syncs, so every page is written once, to
    /// the file, instead of to the WAL and then again to the file. A crash
    /// leaves a broken file, but that file is the load's own temporary
    /// one, never the database in place.
    Load,
    /// In memory: nothing to journal to disk.
    Memory,
}

impl SqliteStore {
    /// Opens the database at `path`, creating the parent directories and the
    /// file if needed, and brings its schema up to date.
    ///
    /// Fails with a clear error, without touching the file, when it is not a
    /// SQLite database, belongs to another application, or was written by a
    /// newer Verdict.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(path, true)
    }

    /// Opens the database at `path`, which must exist: unlike
    /// [`SqliteStore::open`], nothing is ever created (no file, no
    /// folder), so that a mistyped path fails with
    /// [`StoreError::Missing`] instead of leaving an empty database behind.
    /// The schema is brought up to date as `open` does.
    pub fn open_existing(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with(path, false)
    }

    /// [`SqliteStore::open`] (`create`) or [`SqliteStore::open_existing`].
    fn open_with(path: &Path, create: bool) -> Result<SqliteStore> {
        let open_err = |reason: String| StoreError::Open {
            path: path.to_path_buf(),
            reason,
        };
        if create {
            create_parent(path)?;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => return Err(open_err("it is a directory".to_string())),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => {
                return Err(StoreError::Missing {
                    path: path.to_path_buf(),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(open_err(e.to_string())),
        }
        // No SQLITE_OPEN_URI: the path is a file name, never a URI. Without
        // SQLITE_OPEN_CREATE, a file removed meanwhile is an error, not a
        // new database.
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_err(e.to_string()))?;
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            journal: Journal::Wal,
        };
        store.init()?;
        Ok(store)
    }

    /// Opens an existing database for reading only, as a server's read
    /// connection: no migration (the database must be at this build's schema
    /// version; open it with [`SqliteStore::open`] first), writes refused,
    /// the file memory-mapped (up to 1 GiB) and a 64 MiB page cache, so
    /// that random reads of a large database do not go through a system
    /// call each.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore> {
        let open_err = |reason: String| StoreError::Open {
            path: path.to_path_buf(),
            reason,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_err(e.to_string()))?;
        let store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            journal: Journal::Wal,
        };
        store
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| open_err(e.to_string()))?;
        let application_id: i32 = retry_busy(|| {
            store
                .conn
                .pragma_query_value(None, "application_id", |r| r.get(0))
        })
        .map_err(|e| open_err(format!("reading the application id: {e}")))?;
        if application_id != APPLICATION_ID {
            return Err(StoreError::Foreign {
                path: path.to_path_buf(),
            });
        }
        let (found, known) = (store.schema_version()?, Self::latest_schema_version());
        if found != known {
            return Err(open_err(format!(
                "schema version {found}, this Verdict reads version {known}"
            )));
        }
        for (pragma, value) in [("mmap_size", 1i64 << 30), ("cache_size", -65536)] {
            store
                .conn
                .pragma_update(None, pragma, value)
                .map_err(|e| open_err(format!("setting {pragma}: {e}")))?;
        }
        Ok(store)
    }

    /// A number that changes whenever another connection commits to the
    /// database (SQLite's `data_version`): cheap to ask, for noticing
    /// writes by other connections and processes.
    pub fn data_version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .map_err(|e| self.backend(e))
    }

    /// A fresh database in memory, gone when the store is dropped (for tests
    /// and dry runs).
    pub fn open_in_memory() -> Result<SqliteStore> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::Open {
            path: PathBuf::from(MEMORY),
            reason: e.to_string(),
        })?;
        let mut store = SqliteStore {
            conn,
            path: PathBuf::from(MEMORY),
            journal: Journal::Memory,
        };
        store.init()?;
        Ok(store)
    }

    /// Where the database is (`:memory:` for an in-memory one).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The version of the newest migration applied to the database.
    pub fn schema_version(&self) -> Result<u32> {
        let version: Option<i64> = self
            .conn
            .query_row(
                &format!("SELECT MAX(version) FROM {HISTORY_TABLE}"),
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.backend(e))?;
        Ok(version.and_then(|v| u32::try_from(v).ok()).unwrap_or(0))
    }

    /// The version of the newest migration this build knows.
    pub fn latest_schema_version() -> u32 {
        embedded::migrations::runner()
            .get_migrations()
            .iter()
            .filter_map(|m| u32::try_from(m.version()).ok())
            .max()
            .unwrap_or(0)
    }

    fn init(&mut self) -> Result<()> {
        let path = self.path.clone();
        let open_err = |doing: &str, e: rusqlite::Error| match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                StoreError::NotADatabase {
                    path: path.clone(),
                    reason: e.to_string(),
                }
            }
            _ => StoreError::Open {
                path: path.clone(),
                reason: format!("{doing}: {e}"),
            },
        };
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| open_err("setting the busy timeout", e))?;

        // SQLite opens lazily: the first read of the file tells whether it is
        // a database at all.
        let tables: Vec<String> = retry_busy(|| {
            self.conn
                .prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'",
                )?
                .query_map([], |r| r.get(0))?
                .collect()
        })
        .map_err(|e| open_err("reading the schema", e))?;
        let application_id: i32 = retry_busy(|| {
            self.conn
                .pragma_query_value(None, "application_id", |r| r.get(0))
        })
        .map_err(|e| open_err("reading the application id", e))?;
        let has_history = tables.iter().any(|t| t == HISTORY_TABLE);
        if (application_id != 0 && application_id != APPLICATION_ID)
            || (!has_history && !tables.is_empty())
        {
            return Err(StoreError::Foreign { path: path.clone() });
        }
        let known = Self::latest_schema_version();
        if has_history {
            let found = self.schema_version()?;
            if found > known {
                return Err(StoreError::SchemaTooNew {
                    path: path.clone(),
                    found,
                    known,
                });
            }
        }

        let wanted = match self.journal {
            Journal::Wal => Some("WAL"),
            Journal::Load => Some("MEMORY"),
            Journal::Memory => None,
        };
        if let Some(wanted) = wanted {
            // Switching the journal mode needs an exclusive lock, for which
            // SQLite does not always wait; hence the retries.
            let mode: String = retry_busy(|| {
                self.conn
                    .pragma_update_and_check(None, "journal_mode", wanted, |r| r.get(0))
            })
            .map_err(|e| open_err("switching the journal mode", e))?;
            if !mode.eq_ignore_ascii_case(wanted) {
                return Err(StoreError::Open {
                    path: path.clone(),
                    reason: format!("cannot switch to {wanted} journal mode (got {mode})"),
                });
            }
        }
        if self.journal == Journal::Load {
            self.conn
                .pragma_update(None, "synchronous", "OFF")
                .map_err(|e| open_err("turning syncs off for the load", e))?;
        }
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| open_err("enabling foreign keys", e))?;

        // Grouped: all pending migrations in one transaction, so a failure
        // leaves the schema as it was, and retrying is safe.
        let deadline = Instant::now() + BUSY_TIMEOUT;
        loop {
            let Err(e) = embedded::migrations::runner()
                .set_grouped(true)
                .run(&mut self.conn)
            else {
                break;
            };
            // Another process opening the same new database at the same time
            // may have applied the migrations first; then all is well.
            if self.schema_version().ok() == Some(known) {
                break;
            }
            let busy = std::error::Error::source(&e)
                .and_then(|s| s.downcast_ref::<rusqlite::Error>())
                .is_some_and(is_busy);
            if !busy || Instant::now() >= deadline {
                return Err(StoreError::Migrate {
                    path: path.clone(),
                    reason: e.to_string(),
                });
            }
            std::thread::sleep(RETRY_PAUSE);
        }

        if application_id == 0 {
            self.conn
                .pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(|e| self.backend(e))?;
        }
        Ok(())
    }

    fn backend(&self, e: rusqlite::Error) -> StoreError {
        backend(&self.path, e)
    }

    fn aliases_of(&self, film_id: i64) -> rusqlite::Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT alias, alias_key FROM film_aliases WHERE film_id = ?1 ORDER BY id",
        )?;
        stmt.query_map([film_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    fn film_record(&self, id: i64) -> rusqlite::Result<Option<FilmRecord>> {
        let head = self
            .conn
            .prepare_cached("SELECT id, title, title_key, year FROM films WHERE id = ?1")?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get(3)?,
                ))
            })
            .optional()?;
        let Some((id, title, title_key, year)) = head else {
            return Ok(None);
        };
        let (aliases, alias_keys) = self.aliases_of(id)?.into_iter().unzip();
        Ok(Some(FilmRecord {
            film: Film {
                id,
                title,
                year,
                aliases,
            },
            title_key,
            alias_keys,
        }))
    }

    fn select_reviews(&self, filter: &str, arg: i64) -> rusqlite::Result<Vec<StoredReview>> {
        let sql = format!("SELECT {REVIEW_COLUMNS} FROM reviews r WHERE {filter}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut reviews: Vec<StoredReview> = stmt
            .query_map([arg], review_from_row)?
            .collect::<rusqlite::Result<_>>()?;

        let sql = format!(
            "SELECT a.review_id, a.name, a.raw, a.value, a.best, a.score, a.span_start, a.span_end
             FROM review_aspects a JOIN reviews r ON r.id = a.review_id
             WHERE {filter} ORDER BY a.review_id, a.ord"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut aspects: HashMap<i64, Vec<Aspect>> = HashMap::new();
        let rows = stmt.query_map([arg], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Aspect {
                    name: r.get(1)?,
                    raw: r.get(2)?,
                    value: r.get(3)?,
                    best: r.get(4)?,
                    score: r.get(5)?,
                    span: span_from_row(r, 6)?,
                },
            ))
        })?;
        for row in rows {
            let (review_id, aspect) = row?;
            aspects.entry(review_id).or_default().push(aspect);
        }
        let sql = format!(
            "SELECT c.review_id, c.id, c.source, c.content_hash, c.format, c.critic, c.outlet,
                    c.link, c.similarity, c.ingested_at
             FROM review_copies c JOIN reviews r ON r.id = c.review_id
             WHERE {filter} ORDER BY c.review_id, c.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut copies: HashMap<i64, Vec<crate::ReviewCopy>> = HashMap::new();
        let rows = stmt.query_map([arg], |r| {
            let at: String = r.get(9)?;
            Ok((
                r.get::<_, i64>(0)?,
                crate::ReviewCopy {
                    id: r.get(1)?,
                    source: r.get(2)?,
                    content_hash: r.get(3)?,
                    format: r.get(4)?,
                    critic: r.get(5)?,
                    outlet: r.get(6)?,
                    link: r.get(7)?,
                    similarity: r.get(8)?,
                    ingested_at: DateTime::parse_from_rfc3339(&at)
                        .map_err(|e| corrupt(9, format!("bad timestamp {at:?}: {e}")))?
                        .with_timezone(&Utc),
                },
            ))
        })?;
        for row in rows {
            let (review_id, copy) = row?;
            copies.entry(review_id).or_default().push(copy);
        }
        for review in &mut reviews {
            review.aspects = aspects.remove(&review.id).unwrap_or_default();
            review.copies = copies.remove(&review.id).unwrap_or_default();
        }
        Ok(reviews)
    }
}

impl Store for SqliteStore {
    fn contains(&self, content_hash: &str) -> Result<Option<i64>> {
        self.conn
            .prepare_cached(
                "SELECT id FROM reviews WHERE content_hash = ?1
                 UNION ALL SELECT review_id FROM review_copies WHERE content_hash = ?1
                 LIMIT 1",
            )
            .and_then(|mut s| s.query_row([content_hash], |r| r.get(0)).optional())
            .map_err(|e| self.backend(e))
    }

    fn films_by_keys(&self, keys: &[String]) -> Result<Vec<FilmRecord>> {
        let read = || -> rusqlite::Result<Vec<FilmRecord>> {
            let tx = self.conn.unchecked_transaction()?;
            let ids = ids_for_keys(
                &tx,
                "SELECT id FROM films WHERE title_key = ?1
                 UNION SELECT film_id FROM film_aliases WHERE alias_key = ?1",
                keys,
            )?;
            let mut films = Vec::with_capacity(ids.len());
            for id in ids {
                films.extend(self.film_record(id)?);
            }
            Ok(films)
        };
        read().map_err(|e| self.backend(e))
    }

    fn put(&mut self, review: NewReview<'_>, film: FilmChoice) -> Result<Put> {
        crate::row::check_finite(&self.path, &review)?;
        let path = self.path.clone();
        let hash = review.review.content_hash.as_str();
        let source = review.review.source.as_str();
        let fail = |e: PutError| match e {
            PutError::Sql(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                StoreError::Rejected {
                    path: path.clone(),
                    source_name: source.to_string(),
                    content_hash: hash.to_string(),
                    reason: e.to_string(),
                }
            }
            PutError::Sql(e) => backend(&path, e),
            PutError::FilmNotFound(id) => StoreError::NotFound {
                path: path.clone(),
                what: format!("film {id}"),
            },
            PutError::Invalid(reason) => StoreError::Rejected {
                path: path.clone(),
                source_name: source.to_string(),
                content_hash: hash.to_string(),
                reason,
            },
        };
        // IMMEDIATE: take the write lock now, so that the duplicate check and
        // the insert see the same database even with other writers about.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| fail(PutError::Sql(e)))?;
        let put = put_in(&tx, &review, film).map_err(fail)?;
        match put {
            // Nothing was written; dropping the transaction rolls it back.
            Put::Duplicate { .. } => drop(tx),
            Put::Inserted { .. } | Put::Copy { .. } => {
                tx.commit().map_err(|e| fail(PutError::Sql(e)))?
            }
        }
        Ok(put)
    }

    fn films(&self) -> Result<Vec<Film>> {
        let read = || -> rusqlite::Result<Vec<Film>> {
            let tx = self.conn.unchecked_transaction()?;
            let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
            {
                let mut stmt = tx.prepare("SELECT film_id, alias FROM film_aliases ORDER BY id")?;
                for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))? {
                    let (film_id, alias) = row?;
                    aliases.entry(film_id).or_default().push(alias);
                }
            }
            let mut stmt = tx.prepare("SELECT id, title, year FROM films")?;
            let films = stmt.query_map([], |r| {
                let id = r.get(0)?;
                Ok(Film {
                    id,
                    title: r.get(1)?,
                    year: r.get(2)?,
                    aliases: aliases.remove(&id).unwrap_or_default(),
                })
            })?;
            let mut films: Vec<(String, Film)> = films
                .map(|f| f.map(|f| (f.title.to_lowercase(), f)))
                .collect::<rusqlite::Result<_>>()?;
            films.sort_by(|(a_key, a), (b_key, b)| {
                a_key
                    .cmp(b_key)
                    .then_with(|| a.title.cmp(&b.title))
                    .then(a.id.cmp(&b.id))
            });
            Ok(films.into_iter().map(|(_, f)| f).collect())
        };
        read().map_err(|e| self.backend(e))
    }

    fn film(&self, id: i64) -> Result<Option<Film>> {
        let read = || -> rusqlite::Result<Option<Film>> {
            let _tx = self.conn.unchecked_transaction()?;
            Ok(self.film_record(id)?.map(|r| r.film))
        };
        read().map_err(|e| self.backend(e))
    }

    fn reviews_of(&self, film_id: i64) -> Result<Vec<StoredReview>> {
        let read = || -> rusqlite::Result<Vec<StoredReview>> {
            let _tx = self.conn.unchecked_transaction()?;
            let mut reviews = self.select_reviews("r.film_id = ?1", film_id)?;
            // Undated last, then by date, then by id; done here rather than in
            // SQL so the order does not depend on how a backend sorts NULLs.
            reviews.sort_by(|a, b| {
                (a.date.is_none(), a.date, a.id).cmp(&(b.date.is_none(), b.date, b.id))
            });
            Ok(reviews)
        };
        read().map_err(|e| self.backend(e))
    }

    fn review(&self, id: i64) -> Result<Option<StoredReview>> {
        let read = || -> rusqlite::Result<Option<StoredReview>> {
            let _tx = self.conn.unchecked_transaction()?;
            Ok(self.select_reviews("r.id = ?1", id)?.pop())
        };
        read().map_err(|e| self.backend(e))
    }

    fn score_rows(&self) -> Result<Vec<ScoreRow>> {
        let read = || -> rusqlite::Result<Vec<ScoreRow>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT film_id, score, verdict, inferred FROM reviews ORDER BY film_id, id",
            )?;
            stmt.query_map([], |r| {
                Ok(ScoreRow {
                    film_id: r.get(0)?,
                    score: r.get(1)?,
                    verdict: verdict_from_row(r, 2)?,
                    inferred: r.get(3)?,
                })
            })?
            .collect()
        };
        read().map_err(|e| self.backend(e))
    }

    fn counts(&self) -> Result<(u64, u64)> {
        let (films, reviews): (i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM films), (SELECT COUNT(*) FROM reviews)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.backend(e))?;
        Ok((films.max(0).unsigned_abs(), reviews.max(0).unsigned_abs()))
    }

    fn review_count(&self, film_id: i64) -> Result<u64> {
        runs::review_count(self, film_id)
    }

    fn begin_run(&mut self, command: &str, args: &str) -> Result<i64> {
        runs::begin_run(self, command, args)
    }

    fn finish_run(&mut self, id: i64) -> Result<()> {
        runs::finish_run(self, id)
    }

    fn run(&self, id: i64) -> Result<Option<crate::RunRecord>> {
        runs::run(self, id)
    }

    fn removal(&self, what: &crate::Removal) -> Result<crate::Removed> {
        runs::removal(self, what)
    }

    fn remove(&mut self, what: &crate::Removal) -> Result<crate::Removed> {
        runs::remove(self, what)
    }

    fn write_batch(&mut self, batch: &crate::ImportBatch) -> Result<crate::BatchOutcome> {
        bulk::write_batch(self, batch)
    }

    fn film_index(&self) -> Result<Vec<crate::IndexedFilm>> {
        bulk::film_index(self)
    }

    fn external_ids(&self, film_id: Option<i64>) -> Result<Vec<(i64, crate::ExternalId)>> {
        bulk::external_ids(self, film_id)
    }

    fn put_catalogue(
        &mut self,
        entries: &[crate::CatalogueEntry],
    ) -> Result<crate::CatalogueWrite> {
        bulk::put_catalogue(self, entries)
    }

    fn catalogue_by_keys(&self, keys: &[String]) -> Result<Vec<crate::CatalogueEntry>> {
        bulk::catalogue_by_keys(self, keys)
    }

    fn catalogue_count(&self) -> Result<u64> {
        bulk::catalogue_count(self)
    }

    fn films_without_catalogue_decision(&self) -> Result<Vec<FilmRecord>> {
        bulk::films_without_catalogue_decision(self)
    }

    fn set_film_catalogue(&mut self, decisions: &[crate::CatalogueDecision]) -> Result<()> {
        bulk::set_film_catalogue(self, decisions)
    }

    fn film_catalogue(&self, film_id: Option<i64>) -> Result<Vec<crate::FilmCatalogue>> {
        bulk::film_catalogue(self, film_id)
    }

    fn for_each_score(&self, visit: &mut dyn FnMut(&crate::ScoreLine<'_>)) -> Result<()> {
        bulk::for_each_score(self, visit)
    }

    fn for_each_stat_line(&self, visit: &mut dyn FnMut(&crate::StatLine<'_>)) -> Result<()> {
        bulk::for_each_stat_line(self, visit)
    }

    fn review_state(&self) -> Result<crate::ReviewState> {
        bulk::review_state(self)
    }

    fn put_stats(
        &mut self,
        stats: &crate::StatsSnapshot,
        critics: &[crate::CriticHarshness],
    ) -> Result<()> {
        bulk::put_stats(self, stats, critics)
    }

    fn stats(&self) -> Result<Option<crate::StatsSnapshot>> {
        bulk::stats(self)
    }

    fn critic_stats(&self, keys: Option<&[String]>) -> Result<Vec<crate::CriticHarshness>> {
        bulk::critic_stats(self, keys)
    }

    fn follow_feed(&mut self, url: &str, title: Option<&str>) -> Result<(crate::FeedRecord, bool)> {
        feeds::follow_feed(self, url, title)
    }

    fn feeds(&self) -> Result<Vec<crate::FeedRecord>> {
        feeds::feeds(self)
    }

    fn feed_entries(&self, feed_id: i64) -> Result<Vec<crate::FeedEntryRecord>> {
        feeds::feed_entries(self, feed_id)
    }

    fn record_feed_entry(&mut self, feed_id: i64, attempt: &crate::EntryAttempt<'_>) -> Result<()> {
        feeds::record_feed_entry(self, feed_id, attempt)
    }

    fn record_feed_sync(&mut self, feed_id: i64, sync: &crate::FeedSync<'_>) -> Result<()> {
        feeds::record_feed_sync(self, feed_id, sync)
    }

    fn review_by_source(&self, source: &str) -> Result<Option<(i64, i64)>> {
        feeds::review_by_source(self, source)
    }

    fn reviews_from_page(&self, page: &str) -> Result<Vec<(i64, i64)>> {
        published::reviews_from_page(self, page)
    }

    fn put_published(
        &mut self,
        film_id: i64,
        score: &verdict_core::PublishedScore,
        run: Option<i64>,
    ) -> Result<()> {
        published::put_published(self, film_id, score, run)
    }

    fn published(&self, film_id: i64) -> Result<Vec<verdict_core::PublishedScore>> {
        published::published(self, film_id)
    }

    fn enqueue(&mut self, job: &crate::NewJob<'_>) -> Result<(i64, bool)> {
        jobs::enqueue(self, job)
    }

    fn claim_job(
        &mut self,
        worker: &str,
        lease: std::time::Duration,
    ) -> Result<Option<crate::Job>> {
        jobs::claim_job(self, worker, lease)
    }

    fn finish_job(
        &mut self,
        id: i64,
        worker: &str,
        result: crate::JobResult<'_>,
    ) -> Result<crate::JobState> {
        jobs::finish_job(self, id, worker, result)
    }

    fn jobs(&self) -> Result<Vec<crate::JobRecord>> {
        jobs::jobs(self)
    }

    fn export(
        &self,
        visit: &mut dyn FnMut(&'static crate::portable::Table, &crate::portable::Row) -> Result<()>,
    ) -> Result<()> {
        portable::export(self, visit)
    }

    fn import_rows(
        &mut self,
        table: &crate::portable::Table,
        rows: &[crate::portable::Row],
    ) -> Result<()> {
        portable::import_rows(self, table, rows)
    }

    fn finish_import(&mut self) -> Result<()> {
        Ok(())
    }

    fn update_assessment(
        &mut self,
        review_id: i64,
        assessment: &verdict_core::Assessment,
    ) -> Result<()> {
        let j = assessment.judgement.as_ref();
        let evidence = j
            .map(|j| serde_json::to_string(&j.evidence).unwrap_or_else(|_| "[]".into()))
            .unwrap_or_else(|| "[]".into());
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| backend(&path, e))?;
        // the cached statistics no longer describe the reviews, whatever
        // the newest id says (as after a removal)
        tx.execute("UPDATE aggregate_stats SET max_review_id = -1", [])
            .map_err(|e| backend(&path, e))?;
        let changed = tx
            .execute(
                "UPDATE reviews SET score = ?2, verdict = ?3, confidence = ?4, inferred = ?5,
                        p_positive = ?6, judge_model = ?7, judge_score = ?8, judge_verdict = ?9,
                        judge_probability = ?10, evidence = ?11
                 WHERE id = ?1",
                rusqlite::params![
                    review_id,
                    assessment.score,
                    assessment.verdict.as_str(),
                    assessment.confidence,
                    assessment.inferred,
                    assessment.p_positive,
                    j.map(|j| j.model.as_str()),
                    j.map(|j| j.score),
                    j.map(|j| j.verdict.as_str()),
                    j.map(|j| j.probability),
                    evidence,
                ],
            )
            .map_err(|e| backend(&path, e))?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                path,
                what: format!("review {review_id}"),
            });
        }
        tx.commit().map_err(|e| backend(&path, e))
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Runs `f` again while another connection holds a lock it needs, for up to
/// [`BUSY_TIMEOUT`]. SQLite's own busy handler covers most waits, but not
/// all (it returns at once where waiting could deadlock).
fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match f() {
            Err(e) if is_busy(&e) && Instant::now() < deadline => std::thread::sleep(RETRY_PAUSE),
            result => return result,
        }
    }
}

/// Creates the directories a database file at `path` goes in.
fn create_parent(path: &Path) -> Result<()> {
    let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    fs::create_dir_all(parent).map_err(|e| StoreError::Open {
        path: path.to_path_buf(),
        reason: format!("cannot create the directory {}: {e}", parent.display()),
    })
}

fn backend(path: &Path, e: rusqlite::Error) -> StoreError {
    StoreError::Backend {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Why `put_in` failed, before it is turned into a [`StoreError`].
enum PutError {
    Sql(rusqlite::Error),
    FilmNotFound(i64),
    Invalid(String),
}

impl From<rusqlite::Error> for PutError {
    fn from(e: rusqlite::Error) -> Self {
        PutError::Sql(e)
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The body of [`Store::put`], inside its transaction.
fn put_in(
    tx: &rusqlite::Transaction<'_>,
    new: &NewReview<'_>,
    film: FilmChoice,
) -> std::result::Result<Put, PutError> {
    let review = new.review;
    let existing = tx
        .prepare_cached("SELECT id, film_id FROM reviews WHERE content_hash = ?1")?
        .query_row([&review.content_hash], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((review_id, film_id)) = existing {
        return Ok(Put::Duplicate { review_id, film_id });
    }
    let copied = tx
        .prepare_cached(
            "SELECT c.review_id, r.film_id FROM review_copies c JOIN reviews r ON r.id = c.review_id
             WHERE c.content_hash = ?1",
        )?
        .query_row([&review.content_hash], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((review_id, film_id)) = copied {
        return Ok(Put::Duplicate { review_id, film_id });
    }
    let signature = verdict_core::copies::Signature::of(&review.body);
    if let (Some(signature), FilmChoice::Existing { id: film_id, .. }) = (&signature, &film)
        && let Some(put) = put_copy(tx, new, signature, *film_id)?
    {
        return Ok(put);
    }

    let film_id = match film {
        FilmChoice::Existing {
            id,
            year,
            new_aliases,
        } => {
            let title_key: String = tx
                .query_row("SELECT title_key FROM films WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or(PutError::FilmNotFound(id))?;
            if let Some(year) = year {
                tx.execute("UPDATE films SET year = ?2 WHERE id = ?1", (id, year))?;
            }
            add_aliases(tx, id, &title_key, &new_aliases)?;
            id
        }
        FilmChoice::New {
            title,
            title_key,
            year,
            aliases,
        } => {
            tx.execute(
                "INSERT INTO films (title, title_key, year, created_at) VALUES (?1, ?2, ?3, ?4)",
                (&title, &title_key, year, now()),
            )?;
            let id = tx.last_insert_rowid();
            add_aliases(tx, id, &title_key, &aliases)?;
            id
        }
    };

    let row = insert::ReviewRow::document(film_id, new).map_err(PutError::Invalid)?;
    let mut insert_review = tx.prepare_cached(insert::insert_review_sql())?;
    insert::bind_review(
        &mut insert_review,
        &mut insert::TextParams::new(insert::REVIEW_PARAMS),
        0,
        &row,
    )?;
    insert_review.raw_bind_parameter(insert::STAMP_PARAM, now())?;
    insert_review.raw_bind_parameter(insert::RUN_PARAM, new.run)?;
    if insert_review.raw_execute()? == 0 {
        // The content hash was looked for above, in this transaction: a
        // review stored meanwhile is impossible, but said as a duplicate.
        let (review_id, film_id) = tx
            .prepare_cached("SELECT id, film_id FROM reviews WHERE content_hash = ?1")?
            .query_row([&review.content_hash], |r| Ok((r.get(0)?, r.get(1)?)))?;
        return Ok(Put::Duplicate { review_id, film_id });
    }
    let review_id = tx.last_insert_rowid();
    if let Some(signature) = &signature {
        tx.prepare_cached("INSERT INTO review_signatures (review_id, signature) VALUES (?1, ?2)")?
            .execute((review_id, signature.to_hex()))?;
    }

    let mut stmt = tx.prepare_cached(
        "INSERT INTO review_aspects
            (review_id, ord, name, raw, value, best, score, span_start, span_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (ord, a) in review.aspects.iter().enumerate() {
        let ord = i64::try_from(ord).map_err(|e| PutError::Invalid(e.to_string()))?;
        let (start, end) = span_columns(a.span)?;
        stmt.execute(rusqlite::params![
            review_id, ord, a.name, a.raw, a.value, a.best, a.score, start, end
        ])?;
    }
    Ok(Put::Inserted { review_id, film_id })
}

/// Stores `new` as a copy of the stored review of `film_id` its body is a
/// near-duplicate of, if there is one (`crate::copies::best_match`).
fn put_copy(
    tx: &rusqlite::Transaction<'_>,
    new: &NewReview<'_>,
    signature: &verdict_core::copies::Signature,
    film_id: i64,
) -> std::result::Result<Option<Put>, PutError> {
    let review = new.review;
    let candidates = tx
        .prepare_cached(
            "SELECT r.id, r.critic, s.signature FROM reviews r
             JOIN review_signatures s ON s.review_id = r.id
             WHERE r.film_id = ?1 ORDER BY r.id",
        )?
        .query_map([film_id], |r| {
            Ok(crate::copies::Candidate {
                review_id: r.get(0)?,
                critic: r.get(1)?,
                signature: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let Some((review_id, similarity)) =
        crate::copies::best_match(signature, review.critic.as_deref(), candidates)
    else {
        return Ok(None);
    };
    tx.prepare_cached(
        "INSERT INTO review_copies (review_id, content_hash, source, format, critic, outlet,
                                    link, similarity, run_id, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(rusqlite::params![
        review_id,
        review.content_hash,
        review.source,
        review.format,
        review.critic,
        review.outlet,
        review.link,
        similarity,
        new.run,
        now(),
    ])?;
    Ok(Some(Put::Copy { review_id, film_id }))
}

/// Adds aliases to a film, skipping empty keys, the film's own title key and
/// keys it already has.
fn add_aliases(
    tx: &rusqlite::Transaction<'_>,
    film_id: i64,
    title_key: &str,
    aliases: &[Alias],
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO film_aliases (film_id, alias, alias_key) VALUES (?1, ?2, ?3)
         ON CONFLICT (film_id, alias_key) DO NOTHING",
    )?;
    for alias in aliases {
        if alias.key.is_empty() || alias.key == title_key {
            continue;
        }
        stmt.execute((film_id, &alias.title, &alias.key))?;
    }
    Ok(())
}

fn span_columns(span: Option<Span>) -> std::result::Result<(Option<i64>, Option<i64>), PutError> {
    crate::row::span_columns(span).map_err(PutError::Invalid)
}

/// A column value that cannot be turned back into a domain value.
fn corrupt(idx: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, what.into())
}

fn verdict_from_row(r: &Row<'_>, idx: usize) -> rusqlite::Result<Verdict> {
    let s: String = r.get(idx)?;
    Verdict::parse(&s).ok_or_else(|| corrupt(idx, format!("unknown verdict {s:?}")))
}

fn span_from_row(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Span>> {
    let start: Option<i64> = r.get(idx)?;
    let end: Option<i64> = r.get(idx + 1)?;
    let offset = |i: usize, v: i64| {
        usize::try_from(v).map_err(|_| corrupt(i, format!("bad span offset {v}")))
    };
    match (start, end) {
        (Some(s), Some(e)) => Ok(Some(Span::new(offset(idx, s)?, offset(idx + 1, e)?))),
        _ => Ok(None),
    }
}

fn json_from_row<T: serde::de::DeserializeOwned>(r: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let s: String = r.get(idx)?;
    serde_json::from_str(&s).map_err(|e| corrupt(idx, format!("bad JSON: {e}")))
}

const REVIEW_COLUMNS: &str = "r.id, r.film_id, r.source, r.content_hash, r.format, r.title_seen,
    r.year_seen, r.critic, r.outlet, r.published, r.body, r.score, r.verdict, r.confidence,
    r.inferred, r.rating_raw, r.rating_value, r.rating_best, r.rating_worst, r.rating_score,
    r.rating_scale, r.rating_confidence, r.rating_span_start, r.rating_span_end, r.judge_model,
    r.evidence, r.diagnostics, r.ingested_at, r.source_verdict, r.top_critic, r.p_positive, r.link,
    r.passages";

fn review_from_row(r: &Row<'_>) -> rusqlite::Result<StoredReview> {
    let date = match r.get::<_, Option<String>>(9)? {
        None => None,
        Some(s) => Some(
            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|e| corrupt(9, format!("bad date {s:?}: {e}")))?,
        ),
    };
    let rating = match r.get::<_, Option<String>>(15)? {
        None => None,
        Some(raw) => {
            let confidence: String = r.get(21)?;
            let confidence = match confidence.as_str() {
                "low" => Confidence::Low,
                "medium" => Confidence::Medium,
                "high" => Confidence::High,
                other => return Err(corrupt(21, format!("unknown confidence {other:?}"))),
            };
            Some(Rating {
                raw,
                value: r.get(16)?,
                best: r.get(17)?,
                worst: r.get(18)?,
                score: r.get(19)?,
                scale: r.get(20)?,
                confidence,
                span: span_from_row(r, 22)?,
            })
        }
    };
    let ingested_at: String = r.get(27)?;
    let ingested_at = DateTime::parse_from_rfc3339(&ingested_at)
        .map_err(|e| corrupt(27, format!("bad timestamp {ingested_at:?}: {e}")))?
        .with_timezone(&Utc);
    Ok(StoredReview {
        id: r.get(0)?,
        film_id: r.get(1)?,
        source: r.get(2)?,
        content_hash: r.get(3)?,
        format: r.get(4)?,
        title_seen: r.get(5)?,
        year_seen: r.get(6)?,
        critic: r.get(7)?,
        outlet: r.get(8)?,
        date,
        body: r.get(10)?,
        score: r.get(11)?,
        verdict: verdict_from_row(r, 12)?,
        confidence: r.get(13)?,
        inferred: r.get(14)?,
        rating,
        aspects: Vec::new(),
        evidence: json_from_row(r, 25)?,
        judge_model: r.get(24)?,
        diagnostics: json_from_row::<Vec<Diagnostic>>(r, 26)?,
        ingested_at,
        source_verdict: match r.get_ref(28)?.as_str_or_null()? {
            None => None,
            Some(s) => Some(
                Verdict::parse(s).ok_or_else(|| corrupt(28, format!("unknown verdict {s:?}")))?,
            ),
        },
        top_critic: r.get(29)?,
        p_positive: r.get(30)?,
        link: r.get(31)?,
        passages: match r.get::<_, Option<String>>(32)? {
            None => None,
            Some(s) => Some(
                serde_json::from_str(&s).map_err(|e| corrupt(32, format!("bad passages: {e}")))?,
            ),
        },
        copies: Vec::new(),
    })
}
/// The ids `sql` (one `?1` parameter) gives for each distinct key, once
/// each, in order.
pub(crate) fn ids_for_keys(
    conn: &Connection,
    sql: &str,
    keys: &[String],
) -> rusqlite::Result<BTreeSet<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut ids = BTreeSet::new();
    let keys: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
    for key in keys {
        for id in stmt.query_map([key], |r| r.get::<_, i64>(0))? {
            ids.insert(id?);
        }
    }
    Ok(ids)
}
