//! The PostgreSQL backend: one database shared by many servers and workers.
//! All of its SQL lives here, in `postgres/` and in `migrations/postgres/`
//! (the same versions as SQLite's, in PostgreSQL's types).
//!
//! It implements the same [`Store`] as [`crate::SqliteStore`], with the
//! same guarantees: [`Store::put`] is one transaction; a review is known
//! by its content hash (a concurrent insert of the same review is a
//! duplicate, never an error); removals are one transaction each. Reads
//! of several statements run in one `REPEATABLE READ` transaction, so that
//! they see one state of a database others write to. Bulk imports load
//! their reviews with `COPY` (`postgres/bulk.rs`).
//!
//! Migrations run when a store is opened, under an advisory lock, so that
//! processes started together apply them once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use postgres::error::SqlState;
use postgres::{Client, GenericClient, NoTls, Row};
use verdict_core::{Aspect, Diagnostic, Film, Rating, Span, Verdict};

use crate::row::{ReviewRow, confidence_from, confidence_str, span_columns};
use crate::{
    Alias, FilmChoice, FilmRecord, NewReview, Put, Result, ScoreRow, Store, StoreError,
    StoredReview,
};

mod embedded {
    refinery::embed_migrations!("migrations/postgres");
}

/// Bulk imports, catalogues and cached statistics.
mod bulk;
/// Followed feeds and their entries.
mod feeds;
/// The queue of work.
mod jobs;
/// The portable export's rows.
mod portable;
/// The sites' published aggregates; a listing page's reviews.
mod published;
/// Runs and removals.
mod runs;

/// The table in which `refinery` records applied migrations.
const HISTORY_TABLE: &str = "refinery_schema_history";

/// How long connecting may take, unless the URL says otherwise.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The advisory lock that serialises migrations ("VRDT").
const MIGRATION_LOCK: i64 = 0x5652_4454;

/// Whether `s` names a PostgreSQL database (`postgres://…`,
/// `postgresql://…`).
pub fn is_postgres_url(s: &str) -> bool {
    let lower = s.trim().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A PostgreSQL URL as messages show it: the password replaced by `***`.
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{scheme}://{name}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Verdict's store in a PostgreSQL database.
pub struct PgStore {
    /// Interior mutability: [`Store`]'s reads take `&self`, and a client
    /// needs `&mut` to send anything. A store is used by one thread at a
    /// time (it is `Send`, not `Sync`), as a SQLite connection is.
    client: RefCell<Client>,
    /// The database as messages name it (password hidden).
    name: PathBuf,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("name", &self.name).finish()
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`)
    /// and brings its schema up to date. Fails, touching nothing, when the
    /// database holds another application's tables or was written by a
    /// newer Verdict.
    pub fn open(url: &str) -> Result<PgStore> {
        let name = PathBuf::from(shown_url(url));
        let open = |reason: String| StoreError::Open {
            path: name.clone(),
            reason,
        };
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| open(format!("not a PostgreSQL URL: {e}")))?;
        // A server that does not answer is an error in seconds, not a
        // command that hangs (the URL's own `connect_timeout` wins).
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let mut client = config.connect(NoTls).map_err(|e| open(describe(&e)))?;
        migrate(&mut client, &name)?;
        Ok(PgStore {
            client: RefCell::new(client),
            name,
        })
    }

    /// The database as messages name it: its URL, password hidden.
    pub fn path(&self) -> &Path {
        &self.name
    }

    /// The version of the newest migration applied to the database.
    pub fn schema_version(&self) -> Result<u32> {
        schema_version(&mut self.client.borrow_mut()).map_err(|e| self.backend(e))
    }

    /// The version of the newest migration this build knows (the same as
    /// SQLite's).
    pub fn latest_schema_version() -> u32 {
        embedded::migrations::runner()
            .get_migrations()
            .iter()
            .filter_map(|m| u32::try_from(m.version()).ok())
            .max()
            .unwrap_or(0)
    }

    /// A number that changes whenever anything is written to the reviews,
    /// films or statistics, by any process: for a server to notice other
    /// processes' writes.
    pub fn data_version(&self) -> Result<i64> {
        self.read(|c| {
            let row = c.query_one(
                "SELECT COALESCE((SELECT MAX(id) FROM reviews), 0)
                      + (SELECT COUNT(*) FROM reviews)
                      + (SELECT COUNT(*) FROM films)
                      + COALESCE((SELECT EXTRACT(EPOCH FROM computed_at)::BIGINT
                                  FROM aggregate_stats WHERE id = 1), 0)",
                &[],
            )?;
            Ok(row.get::<_, Option<i64>>(0).unwrap_or(0))
        })
    }

    pub(crate) fn backend(&self, e: postgres::Error) -> StoreError {
        backend(&self.name, &e)
    }

    /// Runs `f` on the client, as one statement or several in one
    /// read-only snapshot (`REPEATABLE READ`).
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        let mut client = self.client.borrow_mut();
        let run = |client: &mut Client| {
            let mut tx = client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let out = f(&mut tx)?;
            tx.commit()?;
            Ok(out)
        };
        run(&mut client).map_err(|e| backend(&self.name, &e))
    }

    /// Runs `f` in one read-write transaction, committed when it succeeds.
    pub(crate) fn write<T>(
        &mut self,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        let name = self.name.clone();
        let client = self.client.get_mut();
        let run = |client: &mut Client| {
            let mut tx = client.transaction()?;
            let out = f(&mut tx)?;
            tx.commit()?;
            Ok(out)
        };
        run(client).map_err(|e| backend(&name, &e))
    }

    /// The client itself, for work that manages its own transactions.
    pub(crate) fn client(&mut self) -> &mut Client {
        self.client.get_mut()
    }

    pub(crate) fn name(&self) -> &Path {
        &self.name
    }
}

/// A PostgreSQL error, with the server's message and detail when it sent
/// one.
pub(crate) fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        // "error connecting to server: Connection refused (os error 111)"
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

pub(crate) fn backend(name: &Path, e: &postgres::Error) -> StoreError {
    StoreError::Backend {
        path: name.to_path_buf(),
        reason: describe(e),
    }
}

/// Whether an error is a rule of the schema refusing the data (a CHECK, a
/// NOT NULL, a foreign key, a unique key, a value out of a type's range):
/// what SQLite calls a constraint violation.
pub(crate) fn is_rejection(e: &postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::CHECK_VIOLATION
            || *c == SqlState::NOT_NULL_VIOLATION
            || *c == SqlState::FOREIGN_KEY_VIOLATION
            || *c == SqlState::UNIQUE_VIOLATION
            || *c == SqlState::NUMERIC_VALUE_OUT_OF_RANGE
            || *c == SqlState::INVALID_TEXT_REPRESENTATION
            || *c == SqlState::DATETIME_FIELD_OVERFLOW
            || *c == SqlState::CHARACTER_NOT_IN_REPERTOIRE
            || *c == SqlState::UNTRANSLATABLE_CHARACTER
    )
}

fn schema_version(client: &mut Client) -> std::result::Result<u32, postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables
                            WHERE table_schema = current_schema() AND table_name = $1)",
            &[&HISTORY_TABLE],
        )?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let v: Option<i32> = client
        .query_one(&format!("SELECT MAX(version) FROM {HISTORY_TABLE}"), &[])?
        .get(0);
    Ok(v.and_then(|v| u32::try_from(v).ok()).unwrap_or(0))
}

/// Refuses a database of another application or of a newer Verdict, then
/// applies the pending migrations in one transaction, under an advisory
/// lock (several processes may open a new database at once).
fn migrate(client: &mut Client, name: &Path) -> Result<()> {
    let fail = |e: postgres::Error| StoreError::Open {
        path: name.to_path_buf(),
        reason: describe(&e),
    };
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .map_err(fail)?;
    let result = (|| {
        let tables: Vec<String> = client
            .query(
                "SELECT table_name::TEXT FROM information_schema.tables
                 WHERE table_schema = current_schema()",
                &[],
            )
            .map_err(fail)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let has_history = tables.iter().any(|t| t == HISTORY_TABLE);
        if !has_history && !tables.is_empty() {
            return Err(StoreError::Foreign {
                path: name.to_path_buf(),
            });
        }
        let known = PgStore::latest_schema_version();
        let found = schema_version(client).map_err(fail)?;
        if found > known {
            return Err(StoreError::SchemaTooNew {
                path: name.to_path_buf(),
                found,
                known,
            });
        }
        if found < known {
            embedded::migrations::runner()
                .set_grouped(true)
                .run(client)
                .map_err(|e| StoreError::Migrate {
                    path: name.to_path_buf(),
                    reason: e.to_string(),
                })?;
        }
        Ok(())
    })();
    let _ = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
    result
}

/// The columns a review is read with, in [`review_from_row`]'s order.
pub(crate) const REVIEW_COLUMNS: &str = "r.id, r.film_id, r.source, r.content_hash, r.format,
    r.title_seen, r.year_seen, r.critic, r.outlet, r.published, r.body, r.score, r.verdict,
    r.confidence, r.inferred, r.rating_raw, r.rating_value, r.rating_best, r.rating_worst,
    r.rating_score, r.rating_scale, r.rating_confidence, r.rating_span_start, r.rating_span_end,
    r.judge_model, r.evidence, r.diagnostics, r.ingested_at, r.source_verdict, r.top_critic,
    r.p_positive, r.link, r.passages";

/// A value read back that is no domain value (a database edited by hand).
fn corrupt(what: String) -> StoreError {
    StoreError::Backend {
        path: PathBuf::new(),
        reason: what,
    }
}

pub(crate) fn verdict_of(s: &str) -> std::result::Result<Verdict, String> {
    Verdict::parse(s).ok_or_else(|| format!("unknown verdict {s:?}"))
}

fn span_of(start: Option<i64>, end: Option<i64>) -> std::result::Result<Option<Span>, String> {
    match (start, end) {
        (Some(s), Some(e)) => {
            let s = usize::try_from(s).map_err(|_| format!("bad span start {s}"))?;
            let e = usize::try_from(e).map_err(|_| format!("bad span end {e}"))?;
            Ok(Some(Span::new(s, e)))
        }
        _ => Ok(None),
    }
}

pub(crate) fn review_from_row(r: &Row) -> std::result::Result<StoredReview, String> {
    let rating = match r.get::<_, Option<String>>(15) {
        None => None,
        Some(raw) => {
            let confidence: String = r.get(21);
            Some(Rating {
                raw,
                value: r.get(16),
                best: r.get(17),
                worst: r.get(18),
                score: r.get(19),
                scale: r.get(20),
                confidence: confidence_from(&confidence)
                    .ok_or_else(|| format!("unknown confidence {confidence:?}"))?,
                span: span_of(r.get(22), r.get(23))?,
            })
        }
    };
    let evidence: serde_json::Value = r.get(25);
    let diagnostics: serde_json::Value = r.get(26);
    Ok(StoredReview {
        id: r.get(0),
        film_id: r.get(1),
        source: r.get(2),
        content_hash: r.get(3),
        format: r.get(4),
        title_seen: r.get(5),
        year_seen: r.get(6),
        critic: r.get(7),
        outlet: r.get(8),
        date: r.get::<_, Option<NaiveDate>>(9),
        body: r.get(10),
        score: r.get(11),
        verdict: verdict_of(r.get(12))?,
        confidence: r.get(13),
        inferred: r.get(14),
        rating,
        aspects: Vec::new(),
        evidence: serde_json::from_value(evidence).map_err(|e| format!("bad evidence: {e}"))?,
        judge_model: r.get(24),
        diagnostics: serde_json::from_value::<Vec<Diagnostic>>(diagnostics)
            .map_err(|e| format!("bad diagnostics: {e}"))?,
        ingested_at: r.get::<_, DateTime<Utc>>(27),
        source_verdict: r.get::<_, Option<&str>>(28).map(verdict_of).transpose()?,
        top_critic: r.get(29),
        p_positive: r.get(30),
        link: r.get(31),
        passages: r
            .get::<_, Option<serde_json::Value>>(32)
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| format!("bad passages: {e}"))?,
        copies: Vec::new(),
    })
}

/// The reviews `filter` (with one `$1` parameter) selects, with their
/// aspects.
fn select_reviews(
    c: &mut impl GenericClient,
    filter: &str,
    arg: i64,
) -> std::result::Result<std::result::Result<Vec<StoredReview>, String>, postgres::Error> {
    let rows = c.query(
        &format!("SELECT {REVIEW_COLUMNS} FROM reviews r WHERE {filter}"),
        &[&arg],
    )?;
    let mut reviews = Vec::with_capacity(rows.len());
    for row in &rows {
        match review_from_row(row) {
            Ok(r) => reviews.push(r),
            Err(e) => return Ok(Err(e)),
        }
    }
    let mut aspects: HashMap<i64, Vec<Aspect>> = HashMap::new();
    for row in c.query(
        &format!(
            "SELECT a.review_id, a.name, a.raw, a.value, a.best, a.score, a.span_start, a.span_end
             FROM review_aspects a JOIN reviews r ON r.id = a.review_id
             WHERE {filter} ORDER BY a.review_id, a.ord"
        ),
        &[&arg],
    )? {
        let span = match span_of(row.get(6), row.get(7)) {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        aspects.entry(row.get(0)).or_default().push(Aspect {
            name: row.get(1),
            raw: row.get(2),
            value: row.get(3),
            best: row.get(4),
            score: row.get(5),
            span,
        });
    }
    let mut copies: HashMap<i64, Vec<crate::ReviewCopy>> = HashMap::new();
    for row in c.query(
        &format!(
            "SELECT c.review_id, c.id, c.source, c.content_hash, c.format, c.critic, c.outlet,
                    c.link, c.similarity, c.ingested_at
             FROM review_copies c JOIN reviews r ON r.id = c.review_id
             WHERE {filter} ORDER BY c.review_id, c.id"
        ),
        &[&arg],
    )? {
        copies
            .entry(row.get(0))
            .or_default()
            .push(crate::ReviewCopy {
                id: row.get(1),
                source: row.get(2),
                content_hash: row.get(3),
                format: row.get(4),
                critic: row.get(5),
                outlet: row.get(6),
                link: row.get(7),
                similarity: row.get(8),
                ingested_at: row.get(9),
            });
    }
    for review in &mut reviews {
        review.aspects = aspects.remove(&review.id).unwrap_or_default();
        review.copies = copies.remove(&review.id).unwrap_or_default();
    }
    Ok(Ok(reviews))
}

pub(crate) fn film_record(
    c: &mut impl GenericClient,
    id: i64,
) -> std::result::Result<Option<FilmRecord>, postgres::Error> {
    let Some(head) = c.query_opt(
        "SELECT id, title, title_key, year FROM films WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let (aliases, alias_keys): (Vec<String>, Vec<String>) = c
        .query(
            "SELECT alias, alias_key FROM film_aliases WHERE film_id = $1 ORDER BY id",
            &[&id],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .unzip();
    Ok(Some(FilmRecord {
        film: Film {
            id: head.get(0),
            title: head.get(1),
            year: head.get(3),
            aliases,
        },
        title_key: head.get(2),
        alias_keys,
    }))
}

/// Adds aliases to a film, skipping empty keys, the film's own title key and
/// keys it already has.
pub(crate) fn add_aliases(
    c: &mut impl GenericClient,
    film_id: i64,
    title_key: &str,
    aliases: &[Alias],
) -> std::result::Result<(), postgres::Error> {
    for alias in aliases {
        if alias.key.is_empty() || alias.key == title_key {
            continue;
        }
        c.execute(
            "INSERT INTO film_aliases (film_id, alias, alias_key) VALUES ($1, $2, $3)
             ON CONFLICT (film_id, alias_key) DO NOTHING",
            &[&film_id, &alias.title, &alias.key],
        )?;
    }
    Ok(())
}

/// The columns a review is inserted with; `$n` is the n-th.
pub(crate) use crate::row::COLUMNS as INSERT_COLUMNS;

/// One review's values, in [`INSERT_COLUMNS`]' order.
pub(crate) struct ReviewValues<'a> {
    row: &'a ReviewRow<'a>,
    evidence: serde_json::Value,
    diagnostics: serde_json::Value,
    passages: Option<serde_json::Value>,
    at: DateTime<Utc>,
    run: Option<i64>,
}

impl<'a> ReviewValues<'a> {
    pub(crate) fn new(row: &'a ReviewRow<'a>, at: DateTime<Utc>, run: Option<i64>) -> Self {
        let evidence = row
            .assessment
            .judgement
            .as_ref()
            .map(|j| serde_json::to_value(&j.evidence).unwrap_or_default())
            .unwrap_or_else(|| serde_json::Value::Array(Vec::new()));
        let diagnostics = serde_json::to_value(row.diagnostics)
            .unwrap_or_else(|_| serde_json::Value::Array(Vec::new()));
        let passages = row
            .passages
            .filter(|p| !p.is_empty())
            .and_then(|p| serde_json::to_value(p).ok());
        ReviewValues {
            row,
            evidence,
            diagnostics,
            passages,
            at,
            run,
        }
    }

    /// The values as parameters.
    pub(crate) fn params(&self) -> Vec<Box<dyn postgres::types::ToSql + Sync + '_>> {
        let r = self.row;
        let a = r.assessment;
        let rating = r.rating;
        let j = a.judgement.as_ref();
        vec![
            Box::new(r.film_id),
            Box::new(r.content_hash),
            Box::new(r.source),
            Box::new(r.format),
            Box::new(r.title_seen),
            Box::new(r.year_seen),
            Box::new(r.critic),
            Box::new(r.outlet),
            Box::new(r.date),
            Box::new(r.body),
            Box::new(a.score),
            Box::new(a.verdict.as_str()),
            Box::new(a.confidence),
            Box::new(a.inferred),
            Box::new(rating.map(|x| x.raw.as_str())),
            Box::new(rating.map(|x| x.value)),
            Box::new(rating.map(|x| x.best)),
            Box::new(rating.map(|x| x.worst)),
            Box::new(rating.map(|x| x.score)),
            Box::new(rating.map(|x| x.scale.as_str())),
            Box::new(rating.map(|x| confidence_str(x.confidence))),
            Box::new(r.rating_span.0),
            Box::new(r.rating_span.1),
            Box::new(j.map(|j| j.model.as_str())),
            Box::new(j.map(|j| j.score)),
            Box::new(j.map(|j| j.verdict.as_str())),
            Box::new(j.map(|j| j.probability)),
            Box::new(&self.evidence),
            Box::new(&self.diagnostics),
            Box::new(self.at),
            Box::new(r.source_verdict.map(Verdict::as_str)),
            Box::new(r.top_critic),
            Box::new(a.p_positive),
            Box::new(self.run),
            Box::new(r.link),
            Box::new(&self.passages),
        ]
    }
}

/// `INSERT INTO reviews (…) VALUES ($1, …, $36)`, then `suffix`.
pub(crate) fn insert_review_sql(suffix: &str) -> String {
    let params: Vec<String> = (1..=INSERT_COLUMNS.len())
        .map(|n| format!("${n}"))
        .collect();
    format!(
        "INSERT INTO reviews ({}) VALUES ({}) {suffix}",
        INSERT_COLUMNS.join(", "),
        params.join(", ")
    )
}

/// Why `put_in` failed, before it is turned into a [`StoreError`].
enum PutError {
    Sql(postgres::Error),
    FilmNotFound(i64),
    Invalid(String),
}

impl From<postgres::Error> for PutError {
    fn from(e: postgres::Error) -> Self {
        PutError::Sql(e)
    }
}

/// The body of [`Store::put`], inside its transaction.
fn put_in(
    tx: &mut postgres::Transaction<'_>,
    new: &NewReview<'_>,
    film: FilmChoice,
) -> std::result::Result<Put, PutError> {
    let review = new.review;
    let existing = tx.query_opt(
        "SELECT id, film_id FROM reviews WHERE content_hash = $1",
        &[&review.content_hash],
    )?;
    if let Some(row) = existing {
        return Ok(Put::Duplicate {
            review_id: row.get(0),
            film_id: row.get(1),
        });
    }
    let copied = tx.query_opt(
        "SELECT c.review_id, r.film_id FROM review_copies c JOIN reviews r ON r.id = c.review_id
         WHERE c.content_hash = $1",
        &[&review.content_hash],
    )?;
    if let Some(row) = copied {
        return Ok(Put::Duplicate {
            review_id: row.get(0),
            film_id: row.get(1),
        });
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
                .query_opt(
                    "SELECT title_key FROM films WHERE id = $1 FOR UPDATE",
                    &[&id],
                )?
                .ok_or(PutError::FilmNotFound(id))?
                .get(0);
            if let Some(year) = year {
                tx.execute("UPDATE films SET year = $2 WHERE id = $1", &[&id, &year])?;
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
            let id: i64 = tx
                .query_one(
                    "INSERT INTO films (title, title_key, year, created_at)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                    &[&title, &title_key, &year, &Utc::now()],
                )?
                .get(0);
            add_aliases(tx, id, &title_key, &aliases)?;
            id
        }
    };
    let row = ReviewRow::document(film_id, new).map_err(PutError::Invalid)?;
    let values = ReviewValues::new(&row, Utc::now(), new.run);
    let params = values.params();
    let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params.iter().map(|p| &**p).collect();
    let inserted = tx.query_opt(
        &insert_review_sql("ON CONFLICT (content_hash) DO NOTHING RETURNING id"),
        &refs,
    )?;
    let Some(inserted) = inserted else {
        // Another process stored the same review meanwhile: a duplicate.
        let row = tx.query_one(
            "SELECT id, film_id FROM reviews WHERE content_hash = $1",
            &[&review.content_hash],
        )?;
        return Ok(Put::Duplicate {
            review_id: row.get(0),
            film_id: row.get(1),
        });
    };
    let review_id: i64 = inserted.get(0);
    if let Some(signature) = &signature {
        tx.execute(
            "INSERT INTO review_signatures (review_id, signature) VALUES ($1, $2)",
            &[&review_id, &signature.to_hex()],
        )?;
    }
    for (ord, a) in review.aspects.iter().enumerate() {
        let ord = i32::try_from(ord).map_err(|e| PutError::Invalid(e.to_string()))?;
        let (start, end) = span_columns(a.span).map_err(PutError::Invalid)?;
        tx.execute(
            "INSERT INTO review_aspects
                (review_id, ord, name, raw, value, best, score, span_start, span_end)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &review_id, &ord, &a.name, &a.raw, &a.value, &a.best, &a.score, &start, &end,
            ],
        )?;
    }
    Ok(Put::Inserted { review_id, film_id })
}

/// Stores `new` as a copy of the stored review of `film_id` its body is a
/// near-duplicate of, if there is one (`crate::copies::best_match`). The
/// film's row is locked first, so that two copies stored at once by two
/// processes see each other (as the first review and its copy).
fn put_copy(
    tx: &mut postgres::Transaction<'_>,
    new: &NewReview<'_>,
    signature: &verdict_core::copies::Signature,
    film_id: i64,
) -> std::result::Result<Option<Put>, PutError> {
    let review = new.review;
    if tx
        .query_opt("SELECT id FROM films WHERE id = $1 FOR UPDATE", &[&film_id])?
        .is_none()
    {
        return Ok(None);
    }
    let candidates: Vec<crate::copies::Candidate> = tx
        .query(
            "SELECT r.id, r.critic, s.signature FROM reviews r
             JOIN review_signatures s ON s.review_id = r.id
             WHERE r.film_id = $1 ORDER BY r.id",
            &[&film_id],
        )?
        .iter()
        .map(|r| crate::copies::Candidate {
            review_id: r.get(0),
            critic: r.get(1),
            signature: r.get(2),
        })
        .collect();
    let Some((review_id, similarity)) =
        crate::copies::best_match(signature, review.critic.as_deref(), candidates)
    else {
        return Ok(None);
    };
    tx.execute(
        "INSERT INTO review_copies (review_id, content_hash, source, format, critic, outlet,
                                    link, similarity, run_id, ingested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &review_id,
            &review.content_hash,
            &review.source,
            &review.format,
            &review.critic,
            &review.outlet,
            &review.link,
            &similarity,
            &new.run,
            &Utc::now(),
        ],
    )?;
    Ok(Some(Put::Copy { review_id, film_id }))
}

impl Store for PgStore {
    fn contains(&self, content_hash: &str) -> Result<Option<i64>> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT id FROM reviews WHERE content_hash = $1
                 UNION ALL SELECT review_id FROM review_copies WHERE content_hash = $1
                 LIMIT 1",
                &[&content_hash],
            )?
            .map(|r| r.get(0)))
        })
    }

    fn films_by_keys(&self, keys: &[String]) -> Result<Vec<FilmRecord>> {
        self.read(|c| {
            let ids: Vec<i64> = c
                .query(
                    "SELECT id FROM films WHERE title_key = ANY($1)
                     UNION SELECT film_id FROM film_aliases WHERE alias_key = ANY($1)
                     ORDER BY 1",
                    &[&keys],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let mut films = Vec::with_capacity(ids.len());
            for id in ids {
                films.extend(film_record(c, id)?);
            }
            Ok(films)
        })
    }

    fn put(&mut self, review: NewReview<'_>, film: FilmChoice) -> Result<Put> {
        crate::row::check_finite(&self.name, &review)?;
        let name = self.name.clone();
        let hash = review.review.content_hash.as_str();
        let source = review.review.source.as_str();
        let fail = |e: PutError| match e {
            PutError::Sql(e) if is_rejection(&e) => StoreError::Rejected {
                path: name.clone(),
                source_name: source.to_string(),
                content_hash: hash.to_string(),
                reason: describe(&e),
            },
            PutError::Sql(e) => backend(&name, &e),
            PutError::FilmNotFound(id) => StoreError::NotFound {
                path: name.clone(),
                what: format!("film {id}"),
            },
            PutError::Invalid(reason) => StoreError::Rejected {
                path: name.clone(),
                source_name: source.to_string(),
                content_hash: hash.to_string(),
                reason,
            },
        };
        let client = self.client.get_mut();
        let mut tx = client.transaction().map_err(|e| fail(PutError::Sql(e)))?;
        let put = put_in(&mut tx, &review, film).map_err(fail)?;
        match put {
            Put::Duplicate { .. } => drop(tx),
            Put::Inserted { .. } | Put::Copy { .. } => {
                tx.commit().map_err(|e| fail(PutError::Sql(e)))?
            }
        }
        Ok(put)
    }

    fn films(&self) -> Result<Vec<Film>> {
        self.read(|c| {
            let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
            for r in c.query("SELECT film_id, alias FROM film_aliases ORDER BY id", &[])? {
                aliases.entry(r.get(0)).or_default().push(r.get(1));
            }
            let mut films: Vec<(String, Film)> = c
                .query("SELECT id, title, year FROM films", &[])?
                .iter()
                .map(|r| {
                    let id: i64 = r.get(0);
                    let title: String = r.get(1);
                    (
                        title.to_lowercase(),
                        Film {
                            id,
                            title,
                            year: r.get(2),
                            aliases: aliases.remove(&id).unwrap_or_default(),
                        },
                    )
                })
                .collect();
            // Sorted here, as SQLite's are, so that the order never depends
            // on a database's collation.
            films.sort_by(|(a_key, a), (b_key, b)| {
                a_key
                    .cmp(b_key)
                    .then_with(|| a.title.cmp(&b.title))
                    .then(a.id.cmp(&b.id))
            });
            Ok(films.into_iter().map(|(_, f)| f).collect())
        })
    }

    fn film(&self, id: i64) -> Result<Option<Film>> {
        self.read(|c| Ok(film_record(c, id)?.map(|r| r.film)))
    }

    fn reviews_of(&self, film_id: i64) -> Result<Vec<StoredReview>> {
        let mut reviews = self
            .read(|c| select_reviews(c, "r.film_id = $1", film_id))?
            .map_err(corrupt)?;
        reviews.sort_by(|a, b| {
            (a.date.is_none(), a.date, a.id).cmp(&(b.date.is_none(), b.date, b.id))
        });
        Ok(reviews)
    }

    fn review(&self, id: i64) -> Result<Option<StoredReview>> {
        Ok(self
            .read(|c| select_reviews(c, "r.id = $1", id))?
            .map_err(corrupt)?
            .pop())
    }

    fn score_rows(&self) -> Result<Vec<ScoreRow>> {
        let rows = self.read(|c| {
            c.query(
                "SELECT film_id, score, verdict, inferred FROM reviews ORDER BY film_id, id",
                &[],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(ScoreRow {
                    film_id: r.get(0),
                    score: r.get(1),
                    verdict: verdict_of(r.get(2)).map_err(corrupt)?,
                    inferred: r.get(3),
                })
            })
            .collect()
    }

    fn counts(&self) -> Result<(u64, u64)> {
        self.read(|c| {
            let r = c.query_one(
                "SELECT (SELECT COUNT(*) FROM films), (SELECT COUNT(*) FROM reviews)",
                &[],
            )?;
            Ok((
                r.get::<_, i64>(0).max(0).unsigned_abs(),
                r.get::<_, i64>(1).max(0).unsigned_abs(),
            ))
        })
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
        portable::finish_import(self)
    }

    fn update_assessment(
        &mut self,
        review_id: i64,
        assessment: &verdict_core::Assessment,
    ) -> Result<()> {
        let j = assessment.judgement.as_ref();
        let evidence = j
            .map(|j| serde_json::to_value(&j.evidence).unwrap_or_default())
            .unwrap_or_else(|| serde_json::Value::Array(Vec::new()));
        let changed = self.write(|c| {
            // the cached statistics no longer describe the reviews, whatever
            // the newest id says (as after a removal)
            c.execute("UPDATE aggregate_stats SET max_review_id = -1", &[])?;
            c.execute(
                "UPDATE reviews SET score = $2, verdict = $3, confidence = $4, inferred = $5,
                        p_positive = $6, judge_model = $7, judge_score = $8, judge_verdict = $9,
                        judge_probability = $10, evidence = $11
                 WHERE id = $1",
                &[
                    &review_id,
                    &assessment.score,
                    &assessment.verdict.as_str(),
                    &assessment.confidence,
                    &assessment.inferred,
                    &assessment.p_positive,
                    &j.map(|j| j.model.as_str()),
                    &j.map(|j| j.score),
                    &j.map(|j| j.verdict.as_str()),
                    &j.map(|j| j.probability),
                    &evidence,
                ],
            )
        })?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                path: self.name.clone(),
                what: format!("review {review_id}"),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_apart_and_passwords_hidden() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("PostgreSQL://u@h/db"));
        assert!(!is_postgres_url("postgres.db"));
        assert!(!is_postgres_url("mysql://u@h/db"));
        assert_eq!(
            shown_url("postgres://ana:secret@db.example:5432/verdict"),
            "postgres://ana:***@db.example:5432/verdict"
        );
        assert_eq!(shown_url("postgres://ana@h/v"), "postgres://ana@h/v");
    }

    #[test]
    fn a_malformed_url_is_named_and_says_why() {
        let err = PgStore::open("postgres://ana:secret@db:notaport/verdict")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a PostgreSQL URL"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }

    #[test]
    fn the_same_schema_versions_as_sqlite() {
        assert_eq!(
            PgStore::latest_schema_version(),
            crate::SqliteStore::latest_schema_version()
        );
    }
}
