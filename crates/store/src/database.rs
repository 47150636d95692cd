//! [`Database`]: the store a command names, on whichever backend: a SQLite
//! file (the default) or a PostgreSQL URL. Commands hold one and use it as
//! a [`Store`]; nothing above this crate asks which backend it is, but for
//! what only one of them has (SQLite's whole-database bulk load).

use std::path::{Path, PathBuf};

use verdict_core::{Film, PublishedScore};

use crate::*;

/// A Verdict database on one of the backends.
#[derive(Debug)]
pub enum Database {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// What `--db` (or `VERDICT_DB`) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file.
    File(PathBuf),
    /// A PostgreSQL database (`postgres://…`).
    Postgres(String),
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Self {
        Location::File(path)
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Self {
        Location::File(path.to_path_buf())
    }
}

impl Location {
    /// The location as messages show it (a PostgreSQL password hidden).
    pub fn shown(&self) -> String {
        match self {
            Location::File(p) => std::path::absolute(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string(),
            Location::Postgres(url) => shown_url(url),
        }
    }
}

impl Database {
    /// Opens the database at `location`: a SQLite file is created (folders
    /// included) when `create` says so, else it must exist; a PostgreSQL
    /// database must exist (its schema is created or brought up to date).
    pub fn open(location: &Location, create: bool) -> Result<Database> {
        Ok(match location {
            Location::File(path) if create => Database::Sqlite(SqliteStore::open(path)?),
            Location::File(path) => Database::Sqlite(SqliteStore::open_existing(path)?),
            Location::Postgres(url) => Database::Postgres(PgStore::open(url)?),
        })
    }

    /// Opens a connection for reading only, as a server's readers: a SQLite
    /// file read-only (it must be at this build's schema version), a
    /// PostgreSQL database as any connection (its schema brought up to
    /// date, under the migrations' lock).
    pub fn open_reader(location: &Location) -> Result<Database> {
        Ok(match location {
            Location::File(path) => Database::Sqlite(SqliteStore::open_read_only(path)?),
            Location::Postgres(url) => Database::Postgres(PgStore::open(url)?),
        })
    }

    /// The database as messages name it: the file, or the URL with its
    /// password hidden.
    pub fn path(&self) -> &Path {
        match self {
            Database::Sqlite(s) => s.path(),
            Database::Postgres(p) => p.path(),
        }
    }

    /// Which backend: "sqlite" or "postgres".
    pub fn backend(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres(_) => "postgres",
        }
    }

    /// The version of the newest migration applied to the database.
    pub fn schema_version(&self) -> Result<u32> {
        match self {
            Database::Sqlite(s) => s.schema_version(),
            Database::Postgres(p) => p.schema_version(),
        }
    }

    /// A number that changes whenever another connection or process writes.
    pub fn data_version(&self) -> Result<i64> {
        match self {
            Database::Sqlite(s) => s.data_version(),
            Database::Postgres(p) => p.data_version(),
        }
    }
}

macro_rules! on {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            Database::Sqlite($s) => $e,
            Database::Postgres($s) => $e,
        }
    };
}

impl Store for Database {
    fn contains(&self, content_hash: &str) -> Result<Option<i64>> {
        on!(self, s => s.contains(content_hash))
    }
    fn films_by_keys(&self, keys: &[String]) -> Result<Vec<FilmRecord>> {
        on!(self, s => s.films_by_keys(keys))
    }
    fn put(&mut self, review: NewReview<'_>, film: FilmChoice) -> Result<Put> {
        on!(self, s => s.put(review, film))
    }
    fn films(&self) -> Result<Vec<Film>> {
        on!(self, s => s.films())
    }
    fn film(&self, id: i64) -> Result<Option<Film>> {
        on!(self, s => s.film(id))
    }
    fn reviews_of(&self, film_id: i64) -> Result<Vec<StoredReview>> {
        on!(self, s => s.reviews_of(film_id))
    }
    fn review(&self, id: i64) -> Result<Option<StoredReview>> {
        on!(self, s => s.review(id))
    }
    fn score_rows(&self) -> Result<Vec<ScoreRow>> {
        on!(self, s => s.score_rows())
    }
    fn counts(&self) -> Result<(u64, u64)> {
        on!(self, s => s.counts())
    }
    fn review_count(&self, film_id: i64) -> Result<u64> {
        on!(self, s => s.review_count(film_id))
    }
    fn begin_run(&mut self, command: &str, args: &str) -> Result<i64> {
        on!(self, s => s.begin_run(command, args))
    }
    fn finish_run(&mut self, id: i64) -> Result<()> {
        on!(self, s => s.finish_run(id))
    }
    fn run(&self, id: i64) -> Result<Option<RunRecord>> {
        on!(self, s => s.run(id))
    }
    fn removal(&self, what: &Removal) -> Result<Removed> {
        on!(self, s => s.removal(what))
    }
    fn remove(&mut self, what: &Removal) -> Result<Removed> {
        on!(self, s => s.remove(what))
    }
    fn write_batch(&mut self, batch: &ImportBatch) -> Result<BatchOutcome> {
        on!(self, s => s.write_batch(batch))
    }
    fn film_index(&self) -> Result<Vec<IndexedFilm>> {
        on!(self, s => s.film_index())
    }
    fn external_ids(&self, film_id: Option<i64>) -> Result<Vec<(i64, ExternalId)>> {
        on!(self, s => s.external_ids(film_id))
    }
    fn put_catalogue(&mut self, entries: &[CatalogueEntry]) -> Result<CatalogueWrite> {
        on!(self, s => s.put_catalogue(entries))
    }
    fn catalogue_by_keys(&self, keys: &[String]) -> Result<Vec<CatalogueEntry>> {
        on!(self, s => s.catalogue_by_keys(keys))
    }
    fn catalogue_count(&self) -> Result<u64> {
        on!(self, s => s.catalogue_count())
    }
    fn films_without_catalogue_decision(&self) -> Result<Vec<FilmRecord>> {
        on!(self, s => s.films_without_catalogue_decision())
    }
    fn set_film_catalogue(&mut self, decisions: &[CatalogueDecision]) -> Result<()> {
        on!(self, s => s.set_film_catalogue(decisions))
    }
    fn film_catalogue(&self, film_id: Option<i64>) -> Result<Vec<FilmCatalogue>> {
        on!(self, s => s.film_catalogue(film_id))
    }
    fn for_each_score(&self, visit: &mut dyn FnMut(&ScoreLine<'_>)) -> Result<()> {
        on!(self, s => s.for_each_score(visit))
    }
    fn for_each_stat_line(&self, visit: &mut dyn FnMut(&StatLine<'_>)) -> Result<()> {
        on!(self, s => s.for_each_stat_line(visit))
    }
    fn review_state(&self) -> Result<ReviewState> {
        on!(self, s => s.review_state())
    }
    fn put_stats(&mut self, stats: &StatsSnapshot, critics: &[CriticHarshness]) -> Result<()> {
        on!(self, s => s.put_stats(stats, critics))
    }
    fn stats(&self) -> Result<Option<StatsSnapshot>> {
        on!(self, s => s.stats())
    }
    fn critic_stats(&self, keys: Option<&[String]>) -> Result<Vec<CriticHarshness>> {
        on!(self, s => s.critic_stats(keys))
    }
    fn follow_feed(&mut self, url: &str, title: Option<&str>) -> Result<(FeedRecord, bool)> {
        on!(self, s => s.follow_feed(url, title))
    }
    fn feeds(&self) -> Result<Vec<FeedRecord>> {
        on!(self, s => s.feeds())
    }
    fn feed_entries(&self, feed_id: i64) -> Result<Vec<FeedEntryRecord>> {
        on!(self, s => s.feed_entries(feed_id))
    }
    fn record_feed_entry(&mut self, feed_id: i64, attempt: &EntryAttempt<'_>) -> Result<()> {
        on!(self, s => s.record_feed_entry(feed_id, attempt))
    }
    fn record_feed_sync(&mut self, feed_id: i64, sync: &FeedSync<'_>) -> Result<()> {
        on!(self, s => s.record_feed_sync(feed_id, sync))
    }
    fn review_by_source(&self, source: &str) -> Result<Option<(i64, i64)>> {
        on!(self, s => s.review_by_source(source))
    }
    fn reviews_from_page(&self, page: &str) -> Result<Vec<(i64, i64)>> {
        on!(self, s => s.reviews_from_page(page))
    }
    fn put_published(
        &mut self,
        film_id: i64,
        score: &PublishedScore,
        run: Option<i64>,
    ) -> Result<()> {
        on!(self, s => s.put_published(film_id, score, run))
    }
    fn published(&self, film_id: i64) -> Result<Vec<PublishedScore>> {
        on!(self, s => s.published(film_id))
    }
    fn enqueue(&mut self, job: &NewJob<'_>) -> Result<(i64, bool)> {
        on!(self, s => s.enqueue(job))
    }
    fn claim_job(&mut self, worker: &str, lease: std::time::Duration) -> Result<Option<Job>> {
        on!(self, s => s.claim_job(worker, lease))
    }
    fn finish_job(&mut self, id: i64, worker: &str, result: JobResult<'_>) -> Result<JobState> {
        on!(self, s => s.finish_job(id, worker, result))
    }
    fn jobs(&self) -> Result<Vec<JobRecord>> {
        on!(self, s => s.jobs())
    }
    fn export(
        &self,
        visit: &mut dyn FnMut(&'static portable::Table, &portable::Row) -> Result<()>,
    ) -> Result<()> {
        on!(self, s => s.export(visit))
    }
    fn import_rows(&mut self, table: &portable::Table, rows: &[portable::Row]) -> Result<()> {
        on!(self, s => s.import_rows(table, rows))
    }
    fn finish_import(&mut self) -> Result<()> {
        on!(self, s => s.finish_import())
    }
    fn update_assessment(
        &mut self,
        review_id: i64,
        assessment: &verdict_core::Assessment,
    ) -> Result<()> {
        on!(self, s => s.update_assessment(review_id, assessment))
    }
}
