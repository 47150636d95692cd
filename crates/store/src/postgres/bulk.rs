//! Bulk imports, catalogues and the cached statistics (PostgreSQL).
//!
//! A batch is one transaction. Its reviews are loaded with `COPY` (binary)
//! into a session's temporary table, then moved into `reviews` by one
//! `INSERT … SELECT` in the batch's order, skipping content hashes already
//! stored (`ON CONFLICT DO NOTHING` for those stored meanwhile by another
//! process), so re-importing a file writes nothing. Every result, order and
//! error is [`crate::SqliteStore`]'s (`sqlite/bulk.rs`).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{NaiveDate, Utc};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{GenericClient, Transaction};
use verdict_core::Film;

use super::{
    INSERT_COLUMNS, PgStore, ReviewValues, add_aliases, backend, describe, insert_review_sql,
    is_rejection, verdict_of,
};
use crate::row::{ReviewRow, invalid};
use crate::{
    BatchOutcome, CatalogueDecision, CatalogueEntry, CatalogueTitle, CatalogueWrite,
    CriticHarshness, ExternalId, FilmCatalogue, FilmRecord, FilmRef, ImportBatch, IndexedFilm,
    Result, ReviewState, ScoreLine, StatLine, StatsSnapshot, StoreError, TitleKind,
};

type PgResult<T> = std::result::Result<T, postgres::Error>;

/// Whether the database refused one row (a rule of the schema, a film or
/// run that is not there, text PostgreSQL cannot hold): the row is
/// rejected and the rest of the batch written, as SQLite rejects a row on
/// any constraint violation.
fn refused(e: &postgres::Error) -> bool {
    is_rejection(e) || e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION)
}

/// Why a review naming a film or run that is not there is rejected: the
/// words of SQLite's refusal, so that both backends give the same reason.
const FOREIGN_KEY: &str = "FOREIGN KEY constraint failed";

/// The session's table the reviews of a batch are copied into: made on a
/// session's first batch (with `reviews`' own column types), emptied by
/// every commit.
const BATCH_TABLE: &str = "verdict_batch_reviews";

/// Errors of a batch: the database's, or a film the batch names that is
/// not there.
enum BatchError {
    Sql(postgres::Error),
    NotFound(String),
}

impl From<postgres::Error> for BatchError {
    fn from(e: postgres::Error) -> Self {
        BatchError::Sql(e)
    }
}

pub(super) fn write_batch(store: &mut PgStore, batch: &ImportBatch) -> Result<BatchOutcome> {
    let name = store.name().to_path_buf();
    let client = store.client();
    let written = (|| -> std::result::Result<BatchOutcome, BatchError> {
        let mut tx = client.transaction()?;
        let out = write_batch_in(&mut tx, batch)?;
        tx.commit()?;
        Ok(out)
    })();
    written.map_err(|e| match e {
        BatchError::Sql(e) => backend(&name, &e),
        BatchError::NotFound(what) => StoreError::NotFound { path: name, what },
    })
}

fn write_batch_in(
    tx: &mut Transaction<'_>,
    batch: &ImportBatch,
) -> std::result::Result<BatchOutcome, BatchError> {
    if let Some(what) = missing(tx, batch)? {
        return Err(BatchError::NotFound(what));
    }
    let mut out = BatchOutcome::default();
    let stamp = Utc::now();
    let insert_film = tx.prepare(
        "INSERT INTO films (title, title_key, year, created_at) VALUES ($1, $2, $3, $4)
         RETURNING id",
    )?;
    for f in &batch.films {
        let id: i64 = tx
            .query_one(&insert_film, &[&f.title, &f.title_key, &f.year, &stamp])?
            .get(0);
        add_aliases(tx, id, &f.title_key, &f.aliases)?;
        out.film_ids.push(id);
    }
    for u in &batch.updates {
        let title_key: String = tx
            .query_opt("SELECT title_key FROM films WHERE id = $1", &[&u.film_id])?
            .ok_or_else(|| BatchError::NotFound(format!("film {}", u.film_id)))?
            .get(0);
        if let Some(year) = u.year {
            tx.execute(
                "UPDATE films SET year = $2 WHERE id = $1",
                &[&u.film_id, &year],
            )?;
        }
        add_aliases(tx, u.film_id, &title_key, &u.new_aliases)?;
    }
    let film_ids = out.film_ids.clone();
    let film_id = |r: FilmRef| -> std::result::Result<i64, BatchError> {
        match r {
            FilmRef::Stored(id) => Ok(id),
            FilmRef::New(i) => film_ids
                .get(i)
                .copied()
                .ok_or_else(|| BatchError::NotFound(format!("new film #{i} of the batch"))),
        }
    };
    let insert_link = tx.prepare(
        "INSERT INTO film_external_ids (film_id, source, external_id, published_percent,
            published_count, match_method, match_confidence)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (source, external_id) DO NOTHING",
    )?;
    for (film, x) in &batch.links {
        tx.execute(
            &insert_link,
            &[
                &film_id(*film)?,
                &x.source,
                &x.external_id,
                &x.published_percent.filter(|p| p.is_finite()),
                &x.published_count,
                &x.method,
                &x.confidence,
            ],
        )?;
    }

    // The reviews to write, in the batch's order: those refused by the
    // rules (`invalid`) are rejected first, as SQLite's are, and every
    // other one's film is resolved (a batch naming a new film it does not
    // have fails whole, as SQLite's does).
    let mut rejected = Vec::new();
    let mut candidates: Vec<(usize, i64)> = Vec::with_capacity(batch.reviews.len());
    for (i, (film, r)) in batch.reviews.iter().enumerate() {
        if let Some(reason) = invalid(r) {
            rejected.push((i, reason));
            continue;
        }
        candidates.push((i, film_id(*film)?));
    }
    // A row naming a film (or run) that is not there is refused by the
    // foreign key, unless its content hash is stored already (a duplicate,
    // as SQLite's `ON CONFLICT DO NOTHING` decides first). Told here, so
    // that the COPY below never fails for it and no id is spent on it.
    let missing_films: HashSet<i64> = {
        let wanted: Vec<i64> = candidates
            .iter()
            .map(|&(_, f)| f)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let found: HashSet<i64> = if wanted.is_empty() {
            HashSet::new()
        } else {
            tx.query("SELECT id FROM films WHERE id = ANY($1)", &[&wanted])?
                .iter()
                .map(|r| r.get(0))
                .collect()
        };
        wanted.into_iter().filter(|f| !found.contains(f)).collect()
    };
    let run_missing = match batch.run {
        Some(run) => tx
            .query_opt("SELECT 1 FROM runs WHERE id = $1", &[&run])?
            .is_none(),
        None => false,
    };
    let orphan = |film_id: i64| run_missing || missing_films.contains(&film_id);
    let stored: HashSet<String> = {
        let hashes: Vec<&str> = candidates
            .iter()
            .filter(|&&(_, f)| orphan(f))
            .map(|&(i, _)| batch.reviews[i].1.content_hash.as_str())
            .collect();
        if hashes.is_empty() {
            HashSet::new()
        } else {
            tx.query(
                "SELECT content_hash FROM reviews WHERE content_hash = ANY($1)",
                &[&hashes],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect()
        }
    };
    // A review whose content hash came earlier in the batch is a
    // duplicate (the first written wins); the others are copied. `kept`:
    // all but the rejected, for the one-by-one path.
    let mut seen: HashSet<&str> = HashSet::with_capacity(candidates.len());
    let mut copied: Vec<(usize, i64)> = Vec::with_capacity(candidates.len());
    let mut kept: Vec<(usize, i64)> = Vec::with_capacity(candidates.len());
    let mut repeated = 0;
    for &(i, film_id) in &candidates {
        let hash = batch.reviews[i].1.content_hash.as_str();
        if seen.contains(hash) {
            repeated += 1;
        } else if orphan(film_id) {
            if !stored.contains(hash) {
                rejected.push((i, FOREIGN_KEY.to_string()));
                continue;
            }
            seen.insert(hash);
            repeated += 1;
        } else {
            seen.insert(hash);
            copied.push((i, film_id));
        }
        kept.push((i, film_id));
    }
    let (inserted, duplicates) = if copied.is_empty() {
        (0, repeated)
    } else {
        let mut attempt = tx.savepoint("verdict_batch_copy")?;
        match copy_reviews(&mut attempt, batch, &copied, stamp) {
            Ok(n) => {
                attempt.commit()?;
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                (n, repeated + copied.len().saturating_sub(n))
            }
            // A row the database refuses fails the whole COPY (or
            // INSERT): nothing of it was written, so the reviews go one
            // by one, to tell which it refused.
            Err(e) if refused(&e) => {
                drop(attempt);
                one_by_one(tx, batch, &kept, stamp, &mut rejected)?
            }
            Err(e) => return Err(e.into()),
        }
    };
    // Rows refused one by one come after the others refused before.
    rejected.sort_by_key(|r| r.0);
    out.inserted = inserted;
    out.duplicates = duplicates;
    out.rejected = rejected;
    Ok(out)
}

/// The film a batch names that is not there, which fails it whole, told
/// before anything is written: PostgreSQL does not give back the ids a
/// rolled-back transaction took, and a failed batch must leave the next
/// films their ids (SQLite's). The same film SQLite's write names, in its
/// order: the updates', the links', then the written reviews'. `None` also
/// when one of the batch's films would be refused first (an empty title):
/// the batch then fails there, as SQLite's does.
fn missing(tx: &mut Transaction<'_>, batch: &ImportBatch) -> PgResult<Option<String>> {
    let new = |r: &FilmRef| match *r {
        FilmRef::New(i) if i >= batch.films.len() => Some(format!("new film #{i} of the batch")),
        _ => None,
    };
    let mut what = None;
    for u in &batch.updates {
        if tx
            .query_opt("SELECT 1 FROM films WHERE id = $1", &[&u.film_id])?
            .is_none()
        {
            what = Some(format!("film {}", u.film_id));
            break;
        }
    }
    let what = what
        .or_else(|| batch.links.iter().find_map(|(film, _)| new(film)))
        .or_else(|| {
            batch
                .reviews
                .iter()
                .filter(|(_, r)| invalid(r).is_none())
                .find_map(|(film, _)| new(film))
        });
    Ok(what.filter(|_| batch.films.iter().all(|f| !f.title.is_empty())))
}

/// Copies `rows` (index in the batch, film id) into the batch table and
/// inserts those whose content hash is not stored yet, in their order (so
/// that their ids follow the batch's order, as SQLite's do, and no id is
/// spent on a duplicate). The number inserted.
fn copy_reviews(
    tx: &mut Transaction<'_>,
    batch: &ImportBatch,
    rows: &[(usize, i64)],
    stamp: chrono::DateTime<Utc>,
) -> PgResult<u64> {
    let columns = INSERT_COLUMNS.join(", ");
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS {BATCH_TABLE} ON COMMIT DELETE ROWS AS
            SELECT 0::BIGINT AS ord, {columns} FROM reviews WITH NO DATA"
    ))?;
    // The columns' types, as the table has them (BIGINT ids, INTEGER
    // years, DATE, TIMESTAMPTZ, JSONB).
    let types: Vec<Type> = tx
        .prepare(&format!("SELECT ord, {columns} FROM {BATCH_TABLE}"))?
        .columns()
        .iter()
        .map(|c| c.type_().clone())
        .collect();
    let sink = tx.copy_in(&format!(
        "COPY {BATCH_TABLE} (ord, {columns}) FROM STDIN (FORMAT binary)"
    ))?;
    let mut writer = BinaryCopyInWriter::new(sink, &types);
    for (ord, &(i, film_id)) in rows.iter().enumerate() {
        let ord = i64::try_from(ord).unwrap_or(i64::MAX);
        let row = ReviewRow::imported(film_id, &batch.reviews[i].1);
        let values = ReviewValues::new(&row, stamp, batch.run);
        let params = values.params();
        let mut refs: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(params.len() + 1);
        refs.push(&ord);
        refs.extend(params.iter().map(|p| &**p as &(dyn ToSql + Sync)));
        writer.write(&refs)?;
    }
    writer.finish()?;
    // The planner then knows the batch's size: an anti-join by the index
    // of content hashes, not a scan of every review.
    tx.batch_execute(&format!("ANALYZE {BATCH_TABLE}"))?;
    tx.execute(
        &format!(
            "INSERT INTO reviews ({columns})
             SELECT {columns} FROM {BATCH_TABLE} b
             WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.content_hash = b.content_hash)
             ORDER BY b.ord
             ON CONFLICT (content_hash) DO NOTHING"
        ),
        &[],
    )
}

/// The reviews of `rows` (index in the batch, film id; repeated hashes
/// included) inserted one at a time, each under a savepoint, a row the
/// database refuses rejected with its reason. (inserted, duplicates).
fn one_by_one(
    tx: &mut Transaction<'_>,
    batch: &ImportBatch,
    rows: &[(usize, i64)],
    stamp: chrono::DateTime<Utc>,
    rejected: &mut Vec<(usize, String)>,
) -> PgResult<(usize, usize)> {
    let (mut inserted, mut duplicates) = (0, 0);
    let stored = tx.prepare("SELECT 1 FROM reviews WHERE content_hash = $1")?;
    let insert = tx.prepare(&insert_review_sql("ON CONFLICT (content_hash) DO NOTHING"))?;
    for &(i, film_id) in rows {
        let r = &batch.reviews[i].1;
        // Checked first, so that no id is spent on a duplicate.
        if tx.query_opt(&stored, &[&r.content_hash])?.is_some() {
            duplicates += 1;
            continue;
        }
        let row = ReviewRow::imported(film_id, r);
        let values = ReviewValues::new(&row, stamp, batch.run);
        let params = values.params();
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| &**p).collect();
        let mut one = tx.savepoint("verdict_batch_review")?;
        match one.execute(&insert, &refs) {
            Ok(n) => {
                one.commit()?;
                if n == 0 {
                    duplicates += 1;
                } else {
                    inserted += 1;
                }
            }
            Err(e) if refused(&e) => rejected.push((i, describe(&e))),
            Err(e) => return Err(e),
        }
    }
    Ok((inserted, duplicates))
}

/// Every film (or those `filter` keeps, an SQL condition on `f`) with its
/// keys, in two queries.
fn film_records(c: &mut impl GenericClient, filter: &str) -> PgResult<Vec<FilmRecord>> {
    let mut aliases: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for r in c.query(
        "SELECT film_id, alias, alias_key FROM film_aliases ORDER BY id",
        &[],
    )? {
        aliases
            .entry(r.get(0))
            .or_default()
            .push((r.get(1), r.get(2)));
    }
    let rows = c.query(
        &format!(
            "SELECT f.id, f.title, f.title_key, f.year FROM films f WHERE {filter} ORDER BY f.id"
        ),
        &[],
    )?;
    let mut films = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.get(0);
        let (aliases, alias_keys) = aliases.remove(&id).unwrap_or_default().into_iter().unzip();
        films.push(FilmRecord {
            film: Film {
                id,
                title: r.get(1),
                year: r.get(3),
                aliases,
            },
            title_key: r.get(2),
            alias_keys,
        });
    }
    Ok(films)
}

pub(super) fn film_index(store: &PgStore) -> Result<Vec<IndexedFilm>> {
    store.read(|tx| {
        let mut external: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        // "C": byte order, as SQLite's BINARY collation sorts.
        for r in tx.query(
            r#"SELECT film_id, source, external_id FROM film_external_ids
               ORDER BY film_id, source COLLATE "C", external_id COLLATE "C""#,
            &[],
        )? {
            external
                .entry(r.get(0))
                .or_default()
                .push((r.get(1), r.get(2)));
        }
        Ok(film_records(tx, "TRUE")?
            .into_iter()
            .map(|record| IndexedFilm {
                external_ids: external.remove(&record.film.id).unwrap_or_default(),
                record,
            })
            .collect())
    })
}

pub(super) fn external_ids(
    store: &PgStore,
    film_id: Option<i64>,
) -> Result<Vec<(i64, ExternalId)>> {
    store.read(|tx| {
        Ok(tx
            .query(
                r#"SELECT film_id, source, external_id, published_percent, published_count,
                          match_method, match_confidence
                   FROM film_external_ids WHERE $1::BIGINT IS NULL OR film_id = $1
                   ORDER BY film_id, source COLLATE "C", external_id COLLATE "C""#,
                &[&film_id],
            )?
            .iter()
            .map(|r| {
                (
                    r.get(0),
                    ExternalId {
                        source: r.get(1),
                        external_id: r.get(2),
                        published_percent: r.get(3),
                        published_count: r.get(4),
                        method: r.get(5),
                        confidence: r.get(6),
                    },
                )
            })
            .collect())
    })
}

pub(super) fn put_catalogue(
    store: &mut PgStore,
    entries: &[CatalogueEntry],
) -> Result<CatalogueWrite> {
    store.write(|tx| {
        let mut out = CatalogueWrite::default();
        let stored =
            tx.prepare("SELECT 1 FROM catalogue WHERE source = $1 AND external_id = $2")?;
        let insert = tx.prepare(
            "INSERT INTO catalogue (source, external_id, title, year, imdb_id)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (source, external_id) DO NOTHING
             RETURNING id",
        )?;
        let insert_title = tx.prepare(
            "INSERT INTO catalogue_titles (catalogue_id, title, title_key, kind)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (catalogue_id, title_key) DO NOTHING",
        )?;
        for e in entries {
            // Looked up first, so that no id is spent on an entry already
            // stored (the ids stay SQLite's).
            let id = match tx.query_opt(&stored, &[&e.source, &e.external_id])? {
                Some(_) => None,
                None => tx
                    .query_opt(
                        &insert,
                        &[&e.source, &e.external_id, &e.title, &e.year, &e.imdb_id],
                    )?
                    .map(|r| r.get::<_, i64>(0)),
            };
            let Some(id) = id else {
                out.unchanged += 1;
                continue;
            };
            out.inserted += 1;
            for t in &e.titles {
                if !t.key.is_empty() {
                    tx.execute(&insert_title, &[&id, &t.title, &t.key, &t.kind.as_str()])?;
                }
            }
        }
        Ok(out)
    })
}

/// A stored value that is no domain value (a database edited by hand).
fn corrupt(name: &Path, what: String) -> StoreError {
    StoreError::Backend {
        path: name.to_path_buf(),
        reason: what,
    }
}

/// One catalogue entry with its titles, in the order they were stored.
fn catalogue_entry(
    c: &mut impl GenericClient,
    id: i64,
) -> PgResult<std::result::Result<Option<CatalogueEntry>, String>> {
    let Some(head) = c.query_opt(
        "SELECT source, external_id, title, year, imdb_id FROM catalogue WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(Ok(None));
    };
    // The table has no id: its rows are only ever inserted, an entry's all
    // at once, so their physical order is the order they were given in
    // (SQLite's rowid order).
    let rows = c.query(
        "SELECT title, title_key, kind FROM catalogue_titles WHERE catalogue_id = $1
         ORDER BY ctid",
        &[&id],
    )?;
    let mut titles = Vec::with_capacity(rows.len());
    for r in rows {
        let kind: String = r.get(2);
        let Some(kind) = TitleKind::parse(&kind) else {
            return Ok(Err(format!("unknown title kind {kind:?}")));
        };
        titles.push(CatalogueTitle {
            title: r.get(0),
            key: r.get(1),
            kind,
        });
    }
    Ok(Ok(Some(CatalogueEntry {
        id,
        source: head.get(0),
        external_id: head.get(1),
        title: head.get(2),
        year: head.get(3),
        imdb_id: head.get(4),
        titles,
    })))
}

pub(super) fn catalogue_by_keys(store: &PgStore, keys: &[String]) -> Result<Vec<CatalogueEntry>> {
    store
        .read(|tx| {
            let ids: Vec<i64> = tx
                .query(
                    "SELECT DISTINCT catalogue_id FROM catalogue_titles
                     WHERE title_key = ANY($1) ORDER BY 1",
                    &[&keys],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                match catalogue_entry(tx, id)? {
                    Ok(entry) => out.extend(entry),
                    Err(what) => return Ok(Err(what)),
                }
            }
            Ok(Ok(out))
        })?
        .map_err(|what| corrupt(store.name(), what))
}

pub(super) fn catalogue_count(store: &PgStore) -> Result<u64> {
    store.read(|tx| {
        let n: i64 = tx.query_one("SELECT COUNT(*) FROM catalogue", &[])?.get(0);
        Ok(n.max(0).unsigned_abs())
    })
}

pub(super) fn films_without_catalogue_decision(store: &PgStore) -> Result<Vec<FilmRecord>> {
    store.read(|tx| {
        film_records(
            tx,
            "NOT EXISTS (SELECT 1 FROM film_catalogue c WHERE c.film_id = f.id)",
        )
    })
}

pub(super) fn set_film_catalogue(
    store: &mut PgStore,
    decisions: &[CatalogueDecision],
) -> Result<()> {
    store.write(|tx| {
        let stamp = Utc::now();
        let put = tx.prepare(
            "INSERT INTO film_catalogue (film_id, catalogue_id, confidence, method, note, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (film_id) DO UPDATE SET catalogue_id = EXCLUDED.catalogue_id,
                confidence = EXCLUDED.confidence, method = EXCLUDED.method,
                note = EXCLUDED.note, decided_at = EXCLUDED.decided_at",
        )?;
        let key_of = tx.prepare("SELECT title_key FROM films WHERE id = $1")?;
        for d in decisions {
            tx.execute(
                &put,
                &[
                    &d.film_id,
                    &d.catalogue_id,
                    &d.confidence,
                    &d.method,
                    &d.note,
                    &stamp,
                ],
            )?;
            if !d.aliases.is_empty() {
                let title_key: String = tx.query_one(&key_of, &[&d.film_id])?.get(0);
                add_aliases(tx, d.film_id, &title_key, &d.aliases)?;
            }
        }
        Ok(())
    })
}

pub(super) fn film_catalogue(store: &PgStore, film_id: Option<i64>) -> Result<Vec<FilmCatalogue>> {
    store
        .read(|tx| {
            let rows = tx.query(
                "SELECT film_id, catalogue_id, confidence, method, note FROM film_catalogue
                 WHERE $1::BIGINT IS NULL OR film_id = $1 ORDER BY film_id",
                &[&film_id],
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let entry = match r.get::<_, Option<i64>>(1) {
                    Some(id) => match catalogue_entry(tx, id)? {
                        Ok(entry) => entry,
                        Err(what) => return Ok(Err(what)),
                    },
                    None => None,
                };
                out.push(FilmCatalogue {
                    film_id: r.get(0),
                    entry,
                    confidence: r.get(2),
                    method: r.get(3),
                    note: r.get(4),
                });
            }
            Ok(Ok(out))
        })?
        .map_err(|what| corrupt(store.name(), what))
}

/// No parameters, for `query_raw`.
fn no_params() -> std::iter::Empty<&'static (dyn ToSql + Sync)> {
    std::iter::empty()
}

pub(super) fn for_each_score(store: &PgStore, visit: &mut dyn FnMut(&ScoreLine<'_>)) -> Result<()> {
    store
        .read(|tx| {
            // Streamed: rows are read from the server as they are visited.
            let mut rows = tx.query_raw(
                concat!(
                    "SELECT film_id, id, score, verdict, inferred, source_verdict, top_critic,
                        p_positive, critic, outlet, published, ",
                    crate::row::judged_sql!(),
                    ", rating_scale, judge_model FROM reviews ORDER BY film_id, id"
                ),
                no_params(),
            )?;
            while let Some(r) = rows.next()? {
                let source_verdict = match r.get::<_, Option<&str>>(5) {
                    Some(s) => match verdict_of(s) {
                        Ok(v) => Some(v),
                        Err(what) => return Ok(Err(what)),
                    },
                    None => None,
                };
                let verdict = match verdict_of(r.get(3)) {
                    Ok(v) => v,
                    Err(what) => return Ok(Err(what)),
                };
                visit(&ScoreLine {
                    film_id: r.get(0),
                    review_id: r.get(1),
                    score: r.get(2),
                    verdict,
                    inferred: r.get(4),
                    source_verdict,
                    top_critic: r.get(6),
                    p_positive: r.get(7),
                    critic: r.get(8),
                    outlet: r.get(9),
                    // A date that is no calendar date (±infinity) is none,
                    // as SQLite's unparsable text is.
                    date: r.try_get::<_, Option<NaiveDate>>(10).ok().flatten(),
                    judged: r.get(11),
                    rating_scale: r.get(12),
                    judge_model: r.get(13),
                });
            }
            Ok(Ok(()))
        })?
        .map_err(|what| corrupt(store.name(), what))
}

/// The statistics' lines in film order, a film's in id order: SQLite's
/// order (it sorts them in memory, or streams them as
/// [`for_each_score`] does); streamed here in that order.
pub(super) fn for_each_stat_line(
    store: &PgStore,
    visit: &mut dyn FnMut(&StatLine<'_>),
) -> Result<()> {
    store.read(|tx| {
        let mut rows = tx.query_raw(
            concat!(
                "SELECT film_id, score, inferred, critic FROM reviews WHERE ",
                crate::row::judged_sql!(),
                " ORDER BY film_id, id"
            ),
            no_params(),
        )?;
        while let Some(r) = rows.next()? {
            visit(&StatLine {
                film_id: r.get(0),
                score: r.get(1),
                inferred: r.get(2),
                critic: r.get(3),
            });
        }
        Ok(())
    })
}

pub(super) fn review_state(store: &PgStore) -> Result<ReviewState> {
    store.read(|tx| {
        let r = tx.query_one("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM reviews", &[])?;
        Ok(ReviewState {
            reviews: r.get::<_, i64>(0).max(0).unsigned_abs(),
            max_review_id: r.get(1),
        })
    })
}

pub(super) fn put_stats(
    store: &mut PgStore,
    stats: &StatsSnapshot,
    critics: &[CriticHarshness],
) -> Result<()> {
    let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
    store.write(|tx| {
        tx.execute("DELETE FROM aggregate_stats", &[])?;
        tx.execute(
            "INSERT INTO aggregate_stats (id, reviews, max_review_id, films, mean_score,
                prior_weight, within_variance, between_variance, computed_at)
             VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &i64::try_from(stats.state.reviews).unwrap_or(i64::MAX),
                &stats.state.max_review_id,
                &i64::try_from(stats.films).unwrap_or(i64::MAX),
                &finite(stats.mean_score),
                &finite(stats.prior_weight),
                &finite(stats.within_variance),
                &finite(stats.between_variance),
                &Utc::now(),
            ],
        )?;
        tx.execute("DELETE FROM critic_stats", &[])?;
        let insert = tx.prepare(
            "INSERT INTO critic_stats (critic_key, critic, reviews, films, mean_offset, shrunk_offset)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (critic_key) DO NOTHING",
        )?;
        for c in critics {
            if !(c.mean_offset.is_finite() && c.shrunk_offset.is_finite()) {
                continue;
            }
            tx.execute(
                &insert,
                &[
                    &c.key,
                    &c.critic,
                    &i64::try_from(c.reviews).unwrap_or(i64::MAX),
                    &i64::try_from(c.films).unwrap_or(i64::MAX),
                    &c.mean_offset,
                    &c.shrunk_offset,
                ],
            )?;
        }
        Ok(())
    })
}

pub(super) fn stats(store: &PgStore) -> Result<Option<StatsSnapshot>> {
    store.read(|tx| {
        let Some(r) = tx.query_opt(
            "SELECT reviews, max_review_id, films, mean_score, prior_weight, within_variance,
                    between_variance, computed_at
             FROM aggregate_stats WHERE id = 1",
            &[],
        )?
        else {
            return Ok(None);
        };
        let mut row = StatsSnapshot {
            state: ReviewState {
                reviews: r.get::<_, i64>(0).max(0).unsigned_abs(),
                max_review_id: r.get(1),
            },
            films: r.get::<_, i64>(2).max(0).unsigned_abs(),
            mean_score: r.get(3),
            prior_weight: r.get(4),
            within_variance: r.get(5),
            between_variance: r.get(6),
            computed_at: r.try_get(7).ok(),
            current: false,
        };
        // Reviews are never rewritten, and a removal marks the statistics
        // stale in its own transaction (max_review_id = -1), so the newest
        // id tells whether any was stored or removed since.
        let max_id: i64 = tx
            .query_one("SELECT COALESCE(MAX(id), 0) FROM reviews", &[])?
            .get(0);
        row.current = max_id == row.state.max_review_id;
        Ok(Some(row))
    })
}

pub(super) fn critic_stats(
    store: &PgStore,
    keys: Option<&[String]>,
) -> Result<Vec<CriticHarshness>> {
    const COLUMNS: &str = "critic_key, critic, reviews, films, mean_offset, shrunk_offset";
    store.read(|tx| {
        // Byte order ("C"), as SQLite's BINARY collation and a set of
        // keys sort.
        let rows = match keys {
            None => tx.query(
                &format!(r#"SELECT {COLUMNS} FROM critic_stats ORDER BY critic_key COLLATE "C""#),
                &[],
            )?,
            Some(keys) => tx.query(
                &format!(
                    r#"SELECT {COLUMNS} FROM critic_stats WHERE critic_key = ANY($1)
                       ORDER BY critic_key COLLATE "C""#
                ),
                &[&keys],
            )?,
        };
        Ok(rows
            .iter()
            .map(|r| CriticHarshness {
                key: r.get(0),
                critic: r.get(1),
                reviews: r.get::<_, i64>(2).max(0).unsigned_abs(),
                films: r.get::<_, i64>(3).max(0).unsigned_abs(),
                mean_offset: r.get(4),
                shrunk_offset: r.get(5),
            })
            .collect())
    })
}
