//! Everything Verdict stores, behind one interface.
//!
//! The rest of Verdict talks to storage only through the [`Store`] trait and
//! the plain types in this module; no backend type (no `rusqlite`, no
//! `postgres`, no SQL) appears in it. There are two backends:
//! [`SqliteStore`], an embedded SQLite database (the default), and
//! [`PgStore`], a PostgreSQL database that many servers and workers share;
//! [`Database`] is whichever a [`Location`] names. Each backend's schema is
//! managed by versioned migrations embedded at build time with `refinery`,
//! `migrations/sqlite/` and `migrations/postgres/`, with the same version
//! numbers (a migration's checksum covers its name and SQL, not its path).
//! Never edit a migration that has shipped: add `V<n+1>__<what>.sql` to
//! both. A database whose newest applied migration is newer than this
//! build's is refused ([`StoreError::SchemaTooNew`]).
//!
//! What the store guarantees:
//! - [`Store::put`] is all-or-nothing: the film change, the review and its
//!   aspects are written in one transaction, or nothing is.
//! - A review is identified by its `content_hash`; putting the same document
//!   twice yields [`Put::Duplicate`] and changes nothing.
//! - The store never decides which film a review belongs to: the resolver
//!   does, and says so with a [`FilmChoice`].
//! - Every review written by a run ([`Store::begin_run`]) carries the run's
//!   id; a removal ([`Store::remove`]) is one transaction, and takes the
//!   films left without reviews with it.
//! - A syndicated copy is one review (V11): a document whose main text is
//!   a near-duplicate of a stored review of the same film
//!   (`verdict_core::copies`; the review's signature is kept in
//!   `review_signatures`) is stored as another address of it
//!   (`review_copies`, [`StoredReview::copies`], [`Put::Copy`]), never as
//!   a review, so no number counts it; removing an address keeps the
//!   review while another is left ([`Removal::Sources`]).

use std::path::{Path, PathBuf};

use verdict_core::{Aspect, Assessment, Diagnostic, Film, Rating, Review, Verdict};

mod bulk;
mod database;
mod feeds;
mod jobs;
pub mod portable;
mod postgres;
mod row;
mod runs;
mod sqlite;

pub use bulk::{
    BatchOutcome, CatalogueDecision, CatalogueEntry, CatalogueTitle, CatalogueWrite,
    CriticHarshness, ExternalId, FilmCatalogue, FilmRef, FilmUpdate, ImportBatch, ImportedReview,
    IndexedFilm, NewFilm, ReviewState, ScoreLine, StatLine, StatLines, StatsSnapshot, TitleKind,
};
pub use database::{Database, Location};
pub use feeds::{EntryAttempt, EntryState, FeedEntryRecord, FeedRecord, FeedSync};
pub use jobs::{Job, JobRecord, JobResult, JobState, NewJob};
pub use postgres::{PgStore, is_postgres_url, shown_url};
pub use runs::{FilmRemoval, Removal, Removed, RunRecord};

mod copies;
pub use sqlite::{NewDatabase, SqliteStore};

pub type Result<T> = std::result::Result<T, StoreError>;

/// Why a storage operation failed. Every message names the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be created or opened (permissions, a directory
    /// in the way, a locked file…).
    #[error("{}: cannot open the Verdict database: {reason}", path.display())]
    Open { path: PathBuf, reason: String },

    /// There is no database at the path, and it was asked to exist
    /// ([`SqliteStore::open_existing`]): nothing was created.
    #[error("{}: no such database", path.display())]
    Missing { path: PathBuf },

    /// The file exists but is not a SQLite database, or is damaged.
    #[error(
        "{}: not a Verdict database (not SQLite, or damaged): {reason}",
        path.display()
    )]
    NotADatabase { path: PathBuf, reason: String },

    /// The file is a SQLite database that belongs to something else; Verdict
    /// refuses to add its tables to it.
    #[error(
        "{}: a SQLite database of another application (it has tables but no Verdict schema history); refusing to modify it",
        path.display()
    )]
    Foreign { path: PathBuf },

    /// The database was written by a newer Verdict.
    #[error(
        "{}: schema version {found}, but this Verdict knows only up to version {known}; use a newer Verdict",
        path.display()
    )]
    SchemaTooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },

    /// Bringing the schema up to date failed; the database is left as it was
    /// before the failing migration.
    #[error("{}: cannot migrate the database to the current schema: {reason}", path.display())]
    Migrate { path: PathBuf, reason: String },

    /// Something the operation refers to does not exist (a film id given to
    /// [`Store::put`] as [`FilmChoice::Existing`]).
    #[error("database {}: {what} not found", path.display())]
    NotFound { path: PathBuf, what: String },

    /// The data was refused by the database's integrity rules (a score out of
    /// 0–100, a NaN, an unknown verdict…); nothing was written.
    #[error("database {}: the review from {source_name} was rejected: {reason}", path.display())]
    Rejected {
        path: PathBuf,
        /// Where the review came from ([`Review::source`]).
        source_name: String,
        content_hash: String,
        reason: String,
    },

    /// Any other failure of the backend (I/O error, disk full, a row that
    /// cannot be read back…).
    #[error("database {}: {reason}", path.display())]
    Backend { path: PathBuf, reason: String },
}

/// A new review to store, fully processed by the pipeline.
#[derive(Debug, Clone, Copy)]
pub struct NewReview<'a> {
    /// Extracted fields, rating, aspects, body.
    pub review: &'a Review,
    /// Its score, verdict, confidence, P(favourable) and the judge's
    /// reading (`verdict_judge::Judge::assess`).
    pub assessment: &'a Assessment,
    pub diagnostics: &'a [Diagnostic],
    /// The run that stores it ([`Store::begin_run`]), if any.
    pub run: Option<i64>,
}

/// A title a film is also known by (defined with the other title rules).
pub use verdict_core::title::Alias;

/// Which film a review belongs to, decided by the resolver (the store never
/// decides); the resolver's own type.
pub use verdict_core::FilmChoice;

/// A site's own published aggregate of a film (never a review).
pub use verdict_core::PublishedScore;

/// What [`Store::put`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    /// The review was stored.
    Inserted { review_id: i64, film_id: i64 },
    /// A review with the same content hash was already stored (under these
    /// ids); nothing changed.
    Duplicate { review_id: i64, film_id: i64 },
    /// The review's main text is a near-duplicate of this stored review's
    /// (the same film, no different critic named; `verdict_core::copies`):
    /// the document was stored as another address of it, a copy that no
    /// number counts.
    Copy { review_id: i64, film_id: i64 },
}

impl Put {
    pub fn review_id(&self) -> i64 {
        match *self {
            Put::Inserted { review_id, .. }
            | Put::Duplicate { review_id, .. }
            | Put::Copy { review_id, .. } => review_id,
        }
    }

    pub fn film_id(&self) -> i64 {
        match *self {
            Put::Inserted { film_id, .. }
            | Put::Duplicate { film_id, .. }
            | Put::Copy { film_id, .. } => film_id,
        }
    }

    pub fn is_duplicate(&self) -> bool {
        matches!(self, Put::Duplicate { .. })
    }
}

/// A film with its lookup keys.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmRecord {
    pub film: Film,
    pub title_key: String,
    /// The keys of `film.aliases`, in the same order.
    pub alias_keys: Vec<String>,
}

/// A review as stored, for presenting and aggregating.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReview {
    pub id: i64,
    pub film_id: i64,
    pub source: String,
    pub content_hash: String,
    pub format: String,
    pub title_seen: Option<String>,
    pub year_seen: Option<i32>,
    pub critic: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    pub body: String,
    pub score: f64,
    pub verdict: Verdict,
    pub confidence: f64,
    pub inferred: bool,
    pub rating: Option<Rating>,
    pub aspects: Vec<Aspect>,
    pub evidence: Vec<String>,
    pub judge_model: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub ingested_at: chrono::DateTime<chrono::Utc>,
    /// The verdict the source itself gave (an export's fresh/rotten label,
    /// a listing page's mark).
    pub source_verdict: Option<Verdict>,
    /// The source's "top critic" flag (imported exports only).
    pub top_critic: Option<bool>,
    /// Our reading's probability that the review is favourable.
    pub p_positive: Option<f64>,
    /// The review's own address, when it was read from a page that quotes
    /// it (a listing page's item).
    pub link: Option<String>,
    /// The passages the judge read, with their roles (a document's
    /// review); `None` for an export's row (its text is read whole) and
    /// for reviews stored before V10.
    pub passages: Option<Vec<verdict_core::Passage>>,
    /// The review's other addresses: syndicated copies of its text, in the
    /// order they were stored (V11). Its own address is `source`.
    pub copies: Vec<ReviewCopy>,
}

/// Another address of a stored review: a document whose main text is a
/// near-duplicate of the review's (a reprint, the critic's own blog), kept
/// as a source of the review, never counted as a review of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewCopy {
    pub id: i64,
    /// Where the copy was read from (a path or URL).
    pub source: String,
    pub content_hash: String,
    pub format: String,
    pub critic: Option<String>,
    pub outlet: Option<String>,
    /// Its own address, when it was read from a page that quotes it.
    pub link: Option<String>,
    /// The estimated Jaccard similarity of its text's shingles to the
    /// review's (`verdict_core::copies`).
    pub similarity: f64,
    pub ingested_at: chrono::DateTime<chrono::Utc>,
}

impl StoredReview {
    /// An unjudged review: it gave no rating and no text the judge could
    /// read (no judgement was kept). Its stored score (50) and verdict
    /// (mixed) are placeholders: it is shown as unjudged and counted in no
    /// number but the aggregate's `unjudged`.
    pub fn unjudged(&self) -> bool {
        self.inferred && self.judge_model.is_none()
    }
}

/// The few numbers aggregation needs per review (cheap to list for every
/// film).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRow {
    pub film_id: i64,
    pub score: f64,
    pub verdict: Verdict,
    pub inferred: bool,
}

/// Everything Verdict stores. Reads take `&self`; writes take `&mut self`.
pub trait Store {
    /// The id of the stored review with this content hash (its own, or one
    /// of its copies'), if any.
    fn contains(&self, content_hash: &str) -> Result<Option<i64>>;

    /// Films whose title key or any alias key is in `keys`, ordered by id,
    /// each at most once.
    fn films_by_keys(&self, keys: &[String]) -> Result<Vec<FilmRecord>>;

    /// Stores a review under the film the resolver chose, in one transaction:
    /// creates or updates the film (year, new aliases), inserts the review and
    /// its aspects, and the MinHash signature of its body (when it is long
    /// enough to have one). A review whose content hash is already stored
    /// (as a review or a copy) gives [`Put::Duplicate`] and changes nothing
    /// (not even the film). A review whose body is a near-duplicate of a
    /// stored review of the same existing film, and that names no other
    /// critic, is stored as a copy of it ([`Put::Copy`]: the film's
    /// numbers do not change). On error nothing is written.
    fn put(&mut self, review: NewReview<'_>, film: FilmChoice) -> Result<Put>;

    /// Every film with its aliases, ordered by title (case-insensitively),
    /// then id.
    fn films(&self) -> Result<Vec<Film>>;

    /// One film with its aliases.
    fn film(&self, id: i64) -> Result<Option<Film>>;

    /// The reviews of a film, ordered by date (undated last), then id.
    fn reviews_of(&self, film_id: i64) -> Result<Vec<StoredReview>>;

    /// One stored review.
    fn review(&self, id: i64) -> Result<Option<StoredReview>>;

    /// Every review's score row, ordered by film id, then review id.
    fn score_rows(&self) -> Result<Vec<ScoreRow>>;

    /// (number of films, number of reviews).
    fn counts(&self) -> Result<(u64, u64)>;

    /// How many reviews a film has.
    fn review_count(&self, film_id: i64) -> Result<u64>;

    // Runs and removals (see `runs.rs` for the types).

    /// Records the start of a run (a command that writes reviews) and
    /// gives its id, for [`NewReview::run`] and [`ImportBatch::run`].
    fn begin_run(&mut self, command: &str, args: &str) -> Result<i64>;

    /// Records that a run finished.
    fn finish_run(&mut self, id: i64) -> Result<()>;

    /// One run.
    fn run(&self, id: i64) -> Result<Option<RunRecord>>;

    /// What [`Store::remove`] would take away, changing nothing. A review
    /// or film that does not exist is [`StoreError::NotFound`], as is a run
    /// never recorded; a run whose reviews are gone gives nothing.
    fn removal(&self, what: &Removal) -> Result<Removed>;

    /// Removes reviews (with their aspects), and every film they leave
    /// without a review (with its aliases, external ids and catalogue
    /// decision), in one transaction; the cached cross-film statistics
    /// are marked stale in it. Fails as [`Store::removal`] does, writing
    /// nothing.
    fn remove(&mut self, what: &Removal) -> Result<Removed>;

    // Bulk imports (see `bulk.rs` for the types).

    /// Writes a batch of imported films, film updates, external ids and
    /// reviews in one transaction. A review whose content hash is stored
    /// already is skipped (counted as a duplicate); a review the database's
    /// rules refuse is reported in [`BatchOutcome::rejected`] and the rest
    /// is written. On any other error nothing is written.
    fn write_batch(&mut self, batch: &ImportBatch) -> Result<BatchOutcome>;

    /// Every film with its lookup keys and external ids, ordered by id.
    fn film_index(&self) -> Result<Vec<IndexedFilm>>;

    /// External ids with the film they belong to: one film's, or every
    /// film's (`None`), ordered by film id, then source.
    fn external_ids(&self, film_id: Option<i64>) -> Result<Vec<(i64, ExternalId)>>;

    // Film catalogues.

    /// Stores catalogue entries (one transaction); an entry whose source and
    /// id are stored already is left as it is.
    fn put_catalogue(&mut self, entries: &[CatalogueEntry]) -> Result<CatalogueWrite>;

    /// Catalogue entries with a title whose key is in `keys`, ordered by id.
    fn catalogue_by_keys(&self, keys: &[String]) -> Result<Vec<CatalogueEntry>>;

    /// Number of catalogue entries.
    fn catalogue_count(&self) -> Result<u64>;

    /// Films that have no catalogue decision yet, ordered by id.
    fn films_without_catalogue_decision(&self) -> Result<Vec<FilmRecord>>;

    /// Records catalogue decisions (replacing earlier ones for the same
    /// films) and adds the aliases they bring, in one transaction.
    fn set_film_catalogue(&mut self, decisions: &[CatalogueDecision]) -> Result<()>;

    /// Catalogue decisions: one film's or every film's (`None`).
    fn film_catalogue(&self, film_id: Option<i64>) -> Result<Vec<FilmCatalogue>>;

    // Aggregation.

    /// Calls `visit` with every review's score line, ordered by film id,
    /// then review id, without holding them all in memory.
    fn for_each_score(&self, visit: &mut dyn FnMut(&ScoreLine<'_>)) -> Result<()>;

    /// Calls `visit` with what the cross-film statistics read of every
    /// review, in the order of [`Store::for_each_score`]; a backend may
    /// read them faster than whole score lines.
    fn for_each_stat_line(&self, visit: &mut dyn FnMut(&StatLine<'_>)) -> Result<()> {
        self.for_each_score(&mut |l| {
            visit(&StatLine {
                film_id: l.film_id,
                score: l.score,
                inferred: l.inferred,
                critic: l.critic,
            })
        })
    }

    /// How many reviews are stored, and the newest id.
    fn review_state(&self) -> Result<ReviewState>;

    /// Replaces the cached cross-film statistics, in one transaction.
    fn put_stats(&mut self, stats: &StatsSnapshot, critics: &[CriticHarshness]) -> Result<()>;

    /// The cached cross-film statistics, if computed.
    fn stats(&self) -> Result<Option<StatsSnapshot>>;

    /// The cached harshness of the critics whose keys are given (`None`:
    /// every critic).
    fn critic_stats(&self, keys: Option<&[String]>) -> Result<Vec<CriticHarshness>>;

    // Followed feeds (see `feeds.rs` for the types).

    /// Follows a feed. A feed followed already is returned as it is, with
    /// `false`; a new one with `true`.
    fn follow_feed(&mut self, url: &str, title: Option<&str>) -> Result<(FeedRecord, bool)>;

    /// Every followed feed, ordered by id.
    fn feeds(&self) -> Result<Vec<FeedRecord>>;

    /// The entries syncing has seen in a feed, in the order first seen.
    fn feed_entries(&self, feed_id: i64) -> Result<Vec<FeedEntryRecord>>;

    /// Records an attempt at a feed entry: the first creates the entry, a
    /// later one replaces its state, review and error and counts one more
    /// attempt.
    fn record_feed_entry(&mut self, feed_id: i64, attempt: &EntryAttempt<'_>) -> Result<()>;

    /// Records a sync of the feed itself: now as its sync time, and what
    /// [`FeedSync`] says.
    fn record_feed_sync(&mut self, feed_id: i64, sync: &FeedSync<'_>) -> Result<()>;

    /// The first review stored from the document at `source` (a path or
    /// URL; a review's own address, else one of its copies'), as (review
    /// id, film id). Rows of a bulk import (source
    /// `file:line`) are found by their content hash, not here.
    fn review_by_source(&self, source: &str) -> Result<Option<(i64, i64)>>;

    /// The reviews stored from the items of the listing page `page` (a
    /// path or URL; their sources are `PAGE#review-N`), as (review id,
    /// film id), in id order.
    fn reviews_from_page(&self, page: &str) -> Result<Vec<(i64, i64)>>;

    /// Records a site's published aggregate of a film (`run`: the run
    /// that read it), replacing that site's earlier reading of the same
    /// aggregate. Never a review: no aggregate counts it.
    fn put_published(
        &mut self,
        film_id: i64,
        score: &PublishedScore,
        run: Option<i64>,
    ) -> Result<()>;

    /// The sites' published aggregates of a film.
    fn published(&self, film_id: i64) -> Result<Vec<PublishedScore>>;

    /// Queues a job, to run as soon as a worker takes it. With a key, a
    /// job of the same key already queued or running is the answer
    /// instead: (its id, `false`); else (the new id, `true`).
    fn enqueue(&mut self, job: &NewJob<'_>) -> Result<(i64, bool)>;

    /// Claims the next job for `worker`, holding it for `lease`: the oldest
    /// queued job whose time has come, or a running one whose worker's
    /// lease ran out (a worker that died). Workers never take the same
    /// job (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer).
    fn claim_job(&mut self, worker: &str, lease: std::time::Duration) -> Result<Option<Job>>;

    /// Ends `worker`'s attempt at a job: done, or failed (queued again
    /// after the delay while attempts are left). A worker whose lease ran
    /// out and whose job another took is told so
    /// ([`StoreError::NotFound`]) and changes nothing.
    fn finish_job(&mut self, id: i64, worker: &str, result: JobResult<'_>) -> Result<JobState>;

    /// Every job, by id.
    fn jobs(&self) -> Result<Vec<JobRecord>>;

    /// Every row of every table of the portable export
    /// ([`portable::TABLES`], in their order, each table's rows in its
    /// order), as the export writes it, read in one snapshot of the
    /// database: other processes' writes meanwhile are all in it or none.
    fn export(
        &self,
        visit: &mut dyn FnMut(&'static portable::Table, &portable::Row) -> Result<()>,
    ) -> Result<()>;

    /// Writes rows read back from an export, ids kept, in one
    /// transaction: all of them or none.
    fn import_rows(&mut self, table: &portable::Table, rows: &[portable::Row]) -> Result<()>;

    /// After an import: the ids the database hands out next follow the
    /// ids read back.
    fn finish_import(&mut self) -> Result<()>;

    /// Replaces a stored review's assessment (its score, verdict,
    /// confidence, P(favourable) and the judge's reading), as re-judging
    /// after a model change does; its rating, text and sources stay.
    fn update_assessment(&mut self, review_id: i64, assessment: &Assessment) -> Result<()>;
}

impl<S: Store + ?Sized> Store for Box<S> {
    fn contains(&self, content_hash: &str) -> Result<Option<i64>> {
        (**self).contains(content_hash)
    }
    fn films_by_keys(&self, keys: &[String]) -> Result<Vec<FilmRecord>> {
        (**self).films_by_keys(keys)
    }
    fn put(&mut self, review: NewReview<'_>, film: FilmChoice) -> Result<Put> {
        (**self).put(review, film)
    }
    fn films(&self) -> Result<Vec<Film>> {
        (**self).films()
    }
    fn film(&self, id: i64) -> Result<Option<Film>> {
        (**self).film(id)
    }
    fn reviews_of(&self, film_id: i64) -> Result<Vec<StoredReview>> {
        (**self).reviews_of(film_id)
    }
    fn review(&self, id: i64) -> Result<Option<StoredReview>> {
        (**self).review(id)
    }
    fn score_rows(&self) -> Result<Vec<ScoreRow>> {
        (**self).score_rows()
    }
    fn counts(&self) -> Result<(u64, u64)> {
        (**self).counts()
    }
    fn review_count(&self, film_id: i64) -> Result<u64> {
        (**self).review_count(film_id)
    }
    fn begin_run(&mut self, command: &str, args: &str) -> Result<i64> {
        (**self).begin_run(command, args)
    }
    fn finish_run(&mut self, id: i64) -> Result<()> {
        (**self).finish_run(id)
    }
    fn run(&self, id: i64) -> Result<Option<RunRecord>> {
        (**self).run(id)
    }
    fn removal(&self, what: &Removal) -> Result<Removed> {
        (**self).removal(what)
    }
    fn remove(&mut self, what: &Removal) -> Result<Removed> {
        (**self).remove(what)
    }
    fn write_batch(&mut self, batch: &ImportBatch) -> Result<BatchOutcome> {
        (**self).write_batch(batch)
    }
    fn film_index(&self) -> Result<Vec<IndexedFilm>> {
        (**self).film_index()
    }
    fn external_ids(&self, film_id: Option<i64>) -> Result<Vec<(i64, ExternalId)>> {
        (**self).external_ids(film_id)
    }
    fn put_catalogue(&mut self, entries: &[CatalogueEntry]) -> Result<CatalogueWrite> {
        (**self).put_catalogue(entries)
    }
    fn catalogue_by_keys(&self, keys: &[String]) -> Result<Vec<CatalogueEntry>> {
        (**self).catalogue_by_keys(keys)
    }
    fn catalogue_count(&self) -> Result<u64> {
        (**self).catalogue_count()
    }
    fn films_without_catalogue_decision(&self) -> Result<Vec<FilmRecord>> {
        (**self).films_without_catalogue_decision()
    }
    fn set_film_catalogue(&mut self, decisions: &[CatalogueDecision]) -> Result<()> {
        (**self).set_film_catalogue(decisions)
    }
    fn film_catalogue(&self, film_id: Option<i64>) -> Result<Vec<FilmCatalogue>> {
        (**self).film_catalogue(film_id)
    }
    fn for_each_score(&self, visit: &mut dyn FnMut(&ScoreLine<'_>)) -> Result<()> {
        (**self).for_each_score(visit)
    }
    fn for_each_stat_line(&self, visit: &mut dyn FnMut(&StatLine<'_>)) -> Result<()> {
        (**self).for_each_stat_line(visit)
    }
    fn review_state(&self) -> Result<ReviewState> {
        (**self).review_state()
    }
    fn put_stats(&mut self, stats: &StatsSnapshot, critics: &[CriticHarshness]) -> Result<()> {
        (**self).put_stats(stats, critics)
    }
    fn stats(&self) -> Result<Option<StatsSnapshot>> {
        (**self).stats()
    }
    fn critic_stats(&self, keys: Option<&[String]>) -> Result<Vec<CriticHarshness>> {
        (**self).critic_stats(keys)
    }
    fn follow_feed(&mut self, url: &str, title: Option<&str>) -> Result<(FeedRecord, bool)> {
        (**self).follow_feed(url, title)
    }
    fn feeds(&self) -> Result<Vec<FeedRecord>> {
        (**self).feeds()
    }
    fn feed_entries(&self, feed_id: i64) -> Result<Vec<FeedEntryRecord>> {
        (**self).feed_entries(feed_id)
    }
    fn record_feed_entry(&mut self, feed_id: i64, attempt: &EntryAttempt<'_>) -> Result<()> {
        (**self).record_feed_entry(feed_id, attempt)
    }
    fn record_feed_sync(&mut self, feed_id: i64, sync: &FeedSync<'_>) -> Result<()> {
        (**self).record_feed_sync(feed_id, sync)
    }
    fn review_by_source(&self, source: &str) -> Result<Option<(i64, i64)>> {
        (**self).review_by_source(source)
    }
    fn reviews_from_page(&self, page: &str) -> Result<Vec<(i64, i64)>> {
        (**self).reviews_from_page(page)
    }
    fn put_published(
        &mut self,
        film_id: i64,
        score: &PublishedScore,
        run: Option<i64>,
    ) -> Result<()> {
        (**self).put_published(film_id, score, run)
    }
    fn published(&self, film_id: i64) -> Result<Vec<PublishedScore>> {
        (**self).published(film_id)
    }
    fn enqueue(&mut self, job: &NewJob<'_>) -> Result<(i64, bool)> {
        (**self).enqueue(job)
    }
    fn claim_job(&mut self, worker: &str, lease: std::time::Duration) -> Result<Option<Job>> {
        (**self).claim_job(worker, lease)
    }
    fn finish_job(&mut self, id: i64, worker: &str, result: JobResult<'_>) -> Result<JobState> {
        (**self).finish_job(id, worker, result)
    }
    fn jobs(&self) -> Result<Vec<JobRecord>> {
        (**self).jobs()
    }
    fn export(
        &self,
        visit: &mut dyn FnMut(&'static portable::Table, &portable::Row) -> Result<()>,
    ) -> Result<()> {
        (**self).export(visit)
    }
    fn import_rows(&mut self, table: &portable::Table, rows: &[portable::Row]) -> Result<()> {
        (**self).import_rows(table, rows)
    }
    fn finish_import(&mut self) -> Result<()> {
        (**self).finish_import()
    }
    fn update_assessment(&mut self, review_id: i64, assessment: &Assessment) -> Result<()> {
        (**self).update_assessment(review_id, assessment)
    }
}

/// The default database location: `$XDG_DATA_HOME/verdict/verdict.db`,
/// falling back to `$HOME/.local/share/verdict/verdict.db`.
///
/// Plain environment variables are used rather than
/// `directories::ProjectDirs`, so the location is the same on every Unix
/// (ProjectDirs would pick `~/Library/Application Support` on macOS). Only
/// where neither variable is usable (Windows, a bare environment) does it
/// fall back to the platform data directory from `directories`, and last to
/// `verdict.db` in the working directory. Per the XDG specification, an
/// empty or relative `XDG_DATA_HOME` is ignored.
pub fn default_path() -> PathBuf {
    default_path_from(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
}

fn default_path_from(
    xdg_data_home: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> PathBuf {
    let absolute = |v: Option<std::ffi::OsString>| {
        v.map(PathBuf::from)
            .filter(|p| !p.as_os_str().is_empty() && p.is_absolute())
    };
    let data_dir = absolute(xdg_data_home)
        .or_else(|| absolute(home).map(|h| h.join(".local").join("share")))
        .or_else(|| directories::BaseDirs::new().map(|d| d.data_dir().to_path_buf()));
    match data_dir {
        Some(dir) => dir.join("verdict").join("verdict.db"),
        None => Path::new("verdict.db").to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_prefers_xdg_data_home() {
        let p = default_path_from(Some("/data".into()), Some("/home/a".into()));
        assert_eq!(p, Path::new("/data/verdict/verdict.db"));
    }

    #[test]
    fn default_path_falls_back_to_home() {
        let p = default_path_from(None, Some("/home/a".into()));
        assert_eq!(p, Path::new("/home/a/.local/share/verdict/verdict.db"));
        let p = default_path_from(Some("".into()), Some("/home/a".into()));
        assert_eq!(p, Path::new("/home/a/.local/share/verdict/verdict.db"));
        let p = default_path_from(Some("relative".into()), Some("/home/a".into()));
        assert_eq!(p, Path::new("/home/a/.local/share/verdict/verdict.db"));
    }

    #[test]
    fn default_path_ends_in_verdict_db() {
        assert!(
            default_path().ends_with("verdict/verdict.db")
                || default_path() == Path::new("verdict.db")
        );
    }
}
