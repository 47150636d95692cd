//! SQL of bulk imports, film catalogues and the cached statistics.
//!
//! A batch is one transaction with prepared statements reused for every
//! row; duplicates are skipped by the unique content hash
//! (`ON CONFLICT DO NOTHING`), so re-importing a file writes nothing.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use rusqlite::{ErrorCode, OptionalExtension, TransactionBehavior};
use verdict_core::{Film, Verdict};

use super::insert::{
    REVIEW_PARAMS, RUN_PARAM, ReviewRow, STAMP_PARAM, TextParams, bind_review, insert_review_sql,
    insert_reviews_sql,
};
use super::{SqliteStore, add_aliases, backend, corrupt, now};
use crate::row::invalid;
use crate::{
    BatchOutcome, CatalogueDecision, CatalogueEntry, CatalogueTitle, CatalogueWrite,
    CriticHarshness, ExternalId, FilmCatalogue, FilmRecord, FilmRef, ImportBatch, IndexedFilm,
    Result, ReviewState, ScoreLine, StatLine, StatLines, StatsSnapshot, StoreError, TitleKind,
};

/// Reviews per multi-row insert (36 parameters each, well under SQLite's
/// limit of 32,766).
const ROWS_PER_INSERT: usize = 16;

/// Page cache of a connection that writes batches, in KiB. Content hashes
/// start with their film's part, so a file sorted by film writes the
/// unique index of hashes at a few places at a time: 32 MiB imports a
/// million rows as fast as 96 MiB did, with 60–90 MiB less memory.
const BULK_CACHE_KIB: i64 = 32 * 1024;

/// WAL pages between checkpoints of a connection that writes batches
/// (SQLite's default is 1,000): fewer checkpoints copy the pages the
/// batches keep rewriting (index pages) fewer times.
const BULK_CHECKPOINT_PAGES: i64 = 16_000;

pub(super) fn write_batch(store: &mut SqliteStore, batch: &ImportBatch) -> Result<BatchOutcome> {
    let written = write_batch_in(store, batch);
    // Whatever happened, CHECK rules are on again for everything else.
    let reset = store
        .conn
        .execute_batch("PRAGMA ignore_check_constraints = OFF")
        .map_err(|e| store.backend(e));
    let out = written?;
    reset?;
    Ok(out)
}

fn write_batch_in(store: &mut SqliteStore, batch: &ImportBatch) -> Result<BatchOutcome> {
    let path = store.path.clone();
    let sql = |e: rusqlite::Error| backend(&path, e);
    // A batch is redone by importing again (rows already stored are
    // skipped), so a power cut may cost the last batches but never
    // corrupts: WAL with synchronous NORMAL. The statement journal of the
    // multi-row inserts (see below) stays in memory.
    // A new database being loaded ([`super::NewDatabase`]) keeps its
    // rollback journal in memory and no syncs.
    let synchronous = match store.journal {
        super::Journal::Load => "OFF",
        super::Journal::Wal | super::Journal::Memory => "NORMAL",
    };
    store
        .conn
        .execute_batch(&format!(
            "PRAGMA cache_size = -{BULK_CACHE_KIB}; PRAGMA synchronous = {synchronous};
             PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES};"
        ))
        .map_err(sql)?;
    let tx = store
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let mut out = BatchOutcome::default();
    let stamp = now();
    {
        let mut insert_film = tx
            .prepare_cached(
                "INSERT INTO films (title, title_key, year, created_at) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(sql)?;
        for f in &batch.films {
            insert_film
                .execute((&f.title, &f.title_key, f.year, &stamp))
                .map_err(sql)?;
            let id = tx.last_insert_rowid();
            add_aliases(&tx, id, &f.title_key, &f.aliases).map_err(sql)?;
            out.film_ids.push(id);
        }
        for u in &batch.updates {
            let title_key: String = tx
                .prepare_cached("SELECT title_key FROM films WHERE id = ?1")
                .and_then(|mut s| s.query_row([u.film_id], |r| r.get(0)).optional())
                .map_err(sql)?
                .ok_or_else(|| StoreError::NotFound {
                    path: path.clone(),
                    what: format!("film {}", u.film_id),
                })?;
            if let Some(year) = u.year {
                tx.prepare_cached("UPDATE films SET year = ?2 WHERE id = ?1")
                    .and_then(|mut s| s.execute((u.film_id, year)))
                    .map_err(sql)?;
            }
            add_aliases(&tx, u.film_id, &title_key, &u.new_aliases).map_err(sql)?;
        }
        let film_id = |r: FilmRef| -> Result<i64> {
            match r {
                FilmRef::Stored(id) => Ok(id),
                FilmRef::New(i) => {
                    out.film_ids
                        .get(i)
                        .copied()
                        .ok_or_else(|| StoreError::NotFound {
                            path: path.clone(),
                            what: format!("new film #{i} of the batch"),
                        })
                }
            }
        };
        let mut insert_link = tx
            .prepare_cached(
                "INSERT INTO film_external_ids (film_id, source, external_id, published_percent,
                    published_count, match_method, match_confidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (source, external_id) DO NOTHING",
            )
            .map_err(sql)?;
        for (film, x) in &batch.links {
            insert_link
                .execute(rusqlite::params![
                    film_id(*film)?,
                    x.source,
                    x.external_id,
                    x.published_percent.filter(|p| p.is_finite()),
                    x.published_count,
                    x.method,
                    x.confidence,
                ])
                .map_err(sql)?;
        }
        // CHECK rules are enforced by `invalid` above (see there why); the
        // statement is prepared, and so compiled, with them off, and only
        // ever used so.
        tx.execute_batch("PRAGMA ignore_check_constraints = ON")
            .map_err(sql)?;
        // One statement inserts ROWS_PER_INSERT reviews (each statement
        // has a fixed cost: cursors on the table and its indexes opened
        // and closed); the rest of the batch goes one by one, and so does
        // a group the database refuses, to tell which review it refused.
        let mut single = tx.prepare_cached(insert_review_sql()).map_err(sql)?;
        let mut multi = tx
            .prepare_cached(&insert_reviews_sql(ROWS_PER_INSERT))
            .map_err(sql)?;
        let mut single_texts = TextParams::new(REVIEW_PARAMS);
        let mut multi_texts = TextParams::new(REVIEW_PARAMS * ROWS_PER_INSERT);
        for k in 0..ROWS_PER_INSERT {
            multi
                .raw_bind_parameter(k * REVIEW_PARAMS + STAMP_PARAM, &stamp)
                .map_err(sql)?;
            multi
                .raw_bind_parameter(k * REVIEW_PARAMS + RUN_PARAM, batch.run)
                .map_err(sql)?;
        }
        single
            .raw_bind_parameter(STAMP_PARAM, &stamp)
            .map_err(sql)?;
        single
            .raw_bind_parameter(RUN_PARAM, batch.run)
            .map_err(sql)?;
        let mut inserted = 0;
        let mut duplicates = 0;
        let mut rejected = Vec::new();
        let mut group: Vec<usize> = Vec::with_capacity(ROWS_PER_INSERT);
        let reviews = &batch.reviews;
        let mut one_by_one = |group: &[usize],
                              inserted: &mut usize,
                              duplicates: &mut usize,
                              rejected: &mut Vec<(usize, String)>|
         -> Result<()> {
            for &i in group {
                let (film, r) = &reviews[i];
                let row = ReviewRow::imported(film_id(*film)?, r);
                bind_review(&mut single, &mut single_texts, 0, &row).map_err(sql)?;
                match single.raw_execute() {
                    Ok(0) => *duplicates += 1,
                    Ok(_) => *inserted += 1,
                    Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                        rejected.push((i, e.to_string()));
                    }
                    Err(e) => return Err(sql(e)),
                }
            }
            Ok(())
        };
        for (i, (film, r)) in reviews.iter().enumerate() {
            if let Some(reason) = invalid(r) {
                rejected.push((i, reason));
                continue;
            }
            let row = ReviewRow::imported(film_id(*film)?, r);
            bind_review(
                &mut multi,
                &mut multi_texts,
                group.len() * REVIEW_PARAMS,
                &row,
            )
            .map_err(sql)?;
            group.push(i);
            if group.len() < ROWS_PER_INSERT {
                continue;
            }
            match multi.raw_execute() {
                Ok(n) => {
                    inserted += n;
                    duplicates += ROWS_PER_INSERT - n;
                }
                // Nothing of the group was written: one by one.
                Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                    one_by_one(&group, &mut inserted, &mut duplicates, &mut rejected)?;
                }
                Err(e) => return Err(sql(e)),
            }
            group.clear();
        }
        one_by_one(&group, &mut inserted, &mut duplicates, &mut rejected)?;
        // Rows refused one by one come after the others refused before.
        rejected.sort_by_key(|r| r.0);
        out.inserted = inserted;
        out.duplicates = duplicates;
        out.rejected = rejected;
    }
    tx.commit().map_err(sql)?;
    Ok(out)
}

/// Every film (or those `filter` keeps, an SQL condition on `f`) with its
/// keys, in two queries.
fn film_records(store: &SqliteStore, filter: &str) -> rusqlite::Result<Vec<FilmRecord>> {
    let mut aliases: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    let mut stmt = store
        .conn
        .prepare("SELECT film_id, alias, alias_key FROM film_aliases ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?))
    })?;
    for row in rows {
        let (film_id, alias, key) = row?;
        aliases.entry(film_id).or_default().push((alias, key));
    }
    let mut stmt = store.conn.prepare(&format!(
        "SELECT f.id, f.title, f.title_key, f.year FROM films f WHERE {filter} ORDER BY f.id"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<i32>>(3)?,
        ))
    })?;
    let mut films = Vec::new();
    for row in rows {
        let (id, title, title_key, year) = row?;
        let (aliases, alias_keys) = aliases.remove(&id).unwrap_or_default().into_iter().unzip();
        films.push(FilmRecord {
            film: Film {
                id,
                title,
                year,
                aliases,
            },
            title_key,
            alias_keys,
        });
    }
    Ok(films)
}

pub(super) fn film_index(store: &SqliteStore) -> Result<Vec<IndexedFilm>> {
    let read = || -> rusqlite::Result<Vec<IndexedFilm>> {
        let _tx = store.conn.unchecked_transaction()?;
        let mut external: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        let mut stmt = store.conn.prepare(
            "SELECT film_id, source, external_id FROM film_external_ids
             ORDER BY film_id, source, external_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })?;
        for row in rows {
            let (film_id, source, id) = row?;
            external.entry(film_id).or_default().push((source, id));
        }
        Ok(film_records(store, "1")?
            .into_iter()
            .map(|record| IndexedFilm {
                external_ids: external.remove(&record.film.id).unwrap_or_default(),
                record,
            })
            .collect())
    };
    read().map_err(|e| store.backend(e))
}

pub(super) fn external_ids(
    store: &SqliteStore,
    film_id: Option<i64>,
) -> Result<Vec<(i64, ExternalId)>> {
    let read = || -> rusqlite::Result<Vec<(i64, ExternalId)>> {
        let mut stmt = store.conn.prepare_cached(
            "SELECT film_id, source, external_id, published_percent, published_count,
                    match_method, match_confidence
             FROM film_external_ids WHERE ?1 IS NULL OR film_id = ?1
             ORDER BY film_id, source, external_id",
        )?;
        stmt.query_map([film_id], |r| {
            Ok((
                r.get(0)?,
                ExternalId {
                    source: r.get(1)?,
                    external_id: r.get(2)?,
                    published_percent: r.get(3)?,
                    published_count: r.get(4)?,
                    method: r.get(5)?,
                    confidence: r.get(6)?,
                },
            ))
        })?
        .collect()
    };
    read().map_err(|e| store.backend(e))
}

pub(super) fn put_catalogue(
    store: &mut SqliteStore,
    entries: &[CatalogueEntry],
) -> Result<CatalogueWrite> {
    let path = store.path.clone();
    let write = |conn: &mut rusqlite::Connection| -> rusqlite::Result<CatalogueWrite> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = CatalogueWrite::default();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO catalogue (source, external_id, title, year, imdb_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (source, external_id) DO NOTHING",
            )?;
            let mut insert_title = tx.prepare_cached(
                "INSERT INTO catalogue_titles (catalogue_id, title, title_key, kind)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (catalogue_id, title_key) DO NOTHING",
            )?;
            for e in entries {
                let n =
                    insert.execute((&e.source, &e.external_id, &e.title, e.year, &e.imdb_id))?;
                if n == 0 {
                    out.unchanged += 1;
                    continue;
                }
                out.inserted += 1;
                let id = tx.last_insert_rowid();
                for t in &e.titles {
                    if !t.key.is_empty() {
                        insert_title.execute((id, &t.title, &t.key, t.kind.as_str()))?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(out)
    };
    write(&mut store.conn).map_err(|e| backend(&path, e))
}

fn catalogue_entry(store: &SqliteStore, id: i64) -> rusqlite::Result<Option<CatalogueEntry>> {
    let head = store
        .conn
        .prepare_cached(
            "SELECT source, external_id, title, year, imdb_id FROM catalogue WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i32>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .optional()?;
    let Some((source, external_id, title, year, imdb_id)) = head else {
        return Ok(None);
    };
    let mut stmt = store.conn.prepare_cached(
        "SELECT title, title_key, kind FROM catalogue_titles WHERE catalogue_id = ?1 ORDER BY rowid",
    )?;
    let titles = stmt
        .query_map([id], |r| {
            let kind: String = r.get(2)?;
            Ok(CatalogueTitle {
                title: r.get(0)?,
                key: r.get(1)?,
                kind: TitleKind::parse(&kind)
                    .ok_or_else(|| corrupt(2, format!("unknown title kind {kind:?}")))?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(CatalogueEntry {
        id,
        source,
        external_id,
        title,
        year,
        imdb_id,
        titles,
    }))
}

pub(super) fn catalogue_by_keys(
    store: &SqliteStore,
    keys: &[String],
) -> Result<Vec<CatalogueEntry>> {
    let read = || -> rusqlite::Result<Vec<CatalogueEntry>> {
        let _tx = store.conn.unchecked_transaction()?;
        let ids = super::ids_for_keys(
            &store.conn,
            "SELECT catalogue_id FROM catalogue_titles WHERE title_key = ?1",
            keys,
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(catalogue_entry(store, id)?);
        }
        Ok(out)
    };
    read().map_err(|e| store.backend(e))
}

pub(super) fn catalogue_count(store: &SqliteStore) -> Result<u64> {
    store
        .conn
        .query_row("SELECT COUNT(*) FROM catalogue", [], |r| r.get::<_, i64>(0))
        .map(|n| n.max(0).unsigned_abs())
        .map_err(|e| store.backend(e))
}

pub(super) fn films_without_catalogue_decision(store: &SqliteStore) -> Result<Vec<FilmRecord>> {
    let read = || -> rusqlite::Result<Vec<FilmRecord>> {
        let _tx = store.conn.unchecked_transaction()?;
        film_records(
            store,
            "NOT EXISTS (SELECT 1 FROM film_catalogue c WHERE c.film_id = f.id)",
        )
    };
    read().map_err(|e| store.backend(e))
}

pub(super) fn set_film_catalogue(
    store: &mut SqliteStore,
    decisions: &[CatalogueDecision],
) -> Result<()> {
    let path = store.path.clone();
    let write = |conn: &mut rusqlite::Connection| -> rusqlite::Result<()> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stamp = now();
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO film_catalogue (film_id, catalogue_id, confidence, method, note, decided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (film_id) DO UPDATE SET catalogue_id = excluded.catalogue_id,
                    confidence = excluded.confidence, method = excluded.method,
                    note = excluded.note, decided_at = excluded.decided_at",
            )?;
            let mut key_of = tx.prepare_cached("SELECT title_key FROM films WHERE id = ?1")?;
            for d in decisions {
                put.execute(rusqlite::params![
                    d.film_id,
                    d.catalogue_id,
                    d.confidence,
                    d.method,
                    d.note,
                    stamp
                ])?;
                if !d.aliases.is_empty() {
                    let title_key: String = key_of.query_row([d.film_id], |r| r.get(0))?;
                    add_aliases(&tx, d.film_id, &title_key, &d.aliases)?;
                }
            }
        }
        tx.commit()
    };
    write(&mut store.conn).map_err(|e| backend(&path, e))
}

pub(super) fn film_catalogue(
    store: &SqliteStore,
    film_id: Option<i64>,
) -> Result<Vec<FilmCatalogue>> {
    let read = || -> rusqlite::Result<Vec<FilmCatalogue>> {
        let _tx = store.conn.unchecked_transaction()?;
        let mut stmt = store.conn.prepare_cached(
            "SELECT film_id, catalogue_id, confidence, method, note FROM film_catalogue
             WHERE ?1 IS NULL OR film_id = ?1 ORDER BY film_id",
        )?;
        let rows = stmt
            .query_map([film_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<f64>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (film_id, catalogue_id, confidence, method, note) in rows {
            let entry = match catalogue_id {
                Some(id) => catalogue_entry(store, id)?,
                None => None,
            };
            out.push(FilmCatalogue {
                film_id,
                entry,
                confidence,
                method,
                note,
            });
        }
        Ok(out)
    };
    read().map_err(|e| store.backend(e))
}

fn verdict_of(s: &str, idx: usize) -> rusqlite::Result<Verdict> {
    Verdict::parse(s).ok_or_else(|| corrupt(idx, format!("unknown verdict {s:?}")))
}

pub(super) fn for_each_score(
    store: &SqliteStore,
    visit: &mut dyn FnMut(&ScoreLine<'_>),
) -> Result<()> {
    let mut read = || -> rusqlite::Result<()> {
        let _tx = store.conn.unchecked_transaction()?;
        let mut stmt = store.conn.prepare_cached(concat!(
            "SELECT film_id, id, score, verdict, inferred, source_verdict, top_critic, p_positive,
                    critic, outlet, published, ",
            crate::row::judged_sql!(),
            ", rating_scale, judge_model FROM reviews ORDER BY film_id, id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let source_verdict = match r.get_ref(5)?.as_str_or_null()? {
                Some(s) => Some(verdict_of(s, 5)?),
                None => None,
            };
            let line = ScoreLine {
                film_id: r.get(0)?,
                review_id: r.get(1)?,
                score: r.get(2)?,
                verdict: verdict_of(r.get_ref(3)?.as_str()?, 3)?,
                inferred: r.get(4)?,
                source_verdict,
                top_critic: r.get(6)?,
                p_positive: r.get(7)?,
                critic: r.get_ref(8)?.as_str_or_null()?,
                outlet: r.get_ref(9)?.as_str_or_null()?,
                date: r
                    .get_ref(10)?
                    .as_str_or_null()?
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                judged: r.get(11)?,
                rating_scale: r.get_ref(12)?.as_str_or_null()?,
                judge_model: r.get_ref(13)?.as_str_or_null()?,
            };
            visit(&line);
        }
        Ok(())
    };
    read().map_err(|e| store.backend(e))
}

/// What the statistics read: every judged review (an unjudged one, with
/// neither a rating nor text that could be read, carries no score).
const STAT_LINES: &str = concat!(
    "SELECT film_id, score, inferred, critic FROM reviews WHERE ",
    crate::row::judged_sql!(),
    " ORDER BY id"
);

/// The most reviews [`for_each_stat_line`] sorts in memory (24 bytes each);
/// beyond, it streams them in film order as [`for_each_score`] does.
const STAT_LINES_IN_MEMORY: i64 = 4_000_000;

/// The statistics' lines in film order: read in the table's own order (one
/// sequential pass, four columns) and sorted by film in memory (24 bytes a
/// review, critics' names once each), instead of walking the film index
/// and looking every review up (twice the time at a million reviews).
pub(super) fn for_each_stat_line(
    store: &SqliteStore,
    visit: &mut dyn FnMut(&StatLine<'_>),
) -> Result<()> {
    if review_state(store)?.max_review_id > STAT_LINES_IN_MEMORY {
        return for_each_score(store, &mut |l| {
            if !l.judged {
                return;
            }
            visit(&StatLine {
                film_id: l.film_id,
                score: l.score,
                inferred: l.inferred,
                critic: l.critic,
            })
        });
    }
    let read = || -> rusqlite::Result<StatLines> {
        let _tx = store.conn.unchecked_transaction()?;
        let mut lines = StatLines::new();
        let mut stmt = store.conn.prepare(STAT_LINES)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            lines.push(&StatLine {
                film_id: r.get(0)?,
                score: r.get(1)?,
                inferred: r.get(2)?,
                critic: r.get_ref(3)?.as_str_or_null()?,
            });
        }
        Ok(lines)
    };
    read()
        .map_err(|e| store.backend(e))?
        .for_each_by_film(visit);
    Ok(())
}

pub(super) fn review_state(store: &SqliteStore) -> Result<ReviewState> {
    store
        .conn
        .query_row(
            "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM reviews",
            [],
            |r| {
                Ok(ReviewState {
                    reviews: r.get::<_, i64>(0)?.max(0).unsigned_abs(),
                    max_review_id: r.get(1)?,
                })
            },
        )
        .map_err(|e| store.backend(e))
}

pub(super) fn put_stats(
    store: &mut SqliteStore,
    stats: &StatsSnapshot,
    critics: &[CriticHarshness],
) -> Result<()> {
    let path = store.path.clone();
    let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
    let write = |conn: &mut rusqlite::Connection| -> rusqlite::Result<()> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM aggregate_stats", [])?;
        tx.execute(
            "INSERT INTO aggregate_stats (id, reviews, max_review_id, films, mean_score,
                prior_weight, within_variance, between_variance, computed_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                i64::try_from(stats.state.reviews).unwrap_or(i64::MAX),
                stats.state.max_review_id,
                i64::try_from(stats.films).unwrap_or(i64::MAX),
                finite(stats.mean_score),
                finite(stats.prior_weight),
                finite(stats.within_variance),
                finite(stats.between_variance),
                now(),
            ],
        )?;
        tx.execute("DELETE FROM critic_stats", [])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO critic_stats (critic_key, critic, reviews, films, mean_offset, shrunk_offset)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (critic_key) DO NOTHING",
            )?;
            for c in critics {
                if !(c.mean_offset.is_finite() && c.shrunk_offset.is_finite()) {
                    continue;
                }
                insert.execute(rusqlite::params![
                    c.key,
                    c.critic,
                    i64::try_from(c.reviews).unwrap_or(i64::MAX),
                    i64::try_from(c.films).unwrap_or(i64::MAX),
                    c.mean_offset,
                    c.shrunk_offset,
                ])?;
            }
        }
        tx.commit()
    };
    write(&mut store.conn).map_err(|e| backend(&path, e))
}

pub(super) fn stats(store: &SqliteStore) -> Result<Option<StatsSnapshot>> {
    let read = || -> rusqlite::Result<Option<StatsSnapshot>> {
        let row = store
            .conn
            .prepare_cached(
                "SELECT reviews, max_review_id, films, mean_score, prior_weight, within_variance,
                        between_variance, computed_at
                 FROM aggregate_stats WHERE id = 1",
            )?
            .query_row([], |r| {
                let at: String = r.get(7)?;
                Ok(StatsSnapshot {
                    state: ReviewState {
                        reviews: r.get::<_, i64>(0)?.max(0).unsigned_abs(),
                        max_review_id: r.get(1)?,
                    },
                    films: r.get::<_, i64>(2)?.max(0).unsigned_abs(),
                    mean_score: r.get(3)?,
                    prior_weight: r.get(4)?,
                    within_variance: r.get(5)?,
                    between_variance: r.get(6)?,
                    computed_at: DateTime::parse_from_rfc3339(&at)
                        .ok()
                        .map(|t| t.with_timezone(&Utc)),
                    current: false,
                })
            })
            .optional()?;
        let Some(mut row) = row else {
            return Ok(None);
        };
        // Reviews are never rewritten, and a removal marks the statistics
        // stale in its own transaction (max_review_id = -1, see V6), so
        // the newest id tells whether any was stored or removed since (an
        // O(log n) lookup).
        let max_id: i64 =
            store
                .conn
                .query_row("SELECT COALESCE(MAX(id), 0) FROM reviews", [], |r| r.get(0))?;
        row.current = max_id == row.state.max_review_id;
        Ok(Some(row))
    };
    read().map_err(|e| store.backend(e))
}

pub(super) fn critic_stats(
    store: &SqliteStore,
    keys: Option<&[String]>,
) -> Result<Vec<CriticHarshness>> {
    let row = |r: &rusqlite::Row<'_>| -> rusqlite::Result<CriticHarshness> {
        Ok(CriticHarshness {
            key: r.get(0)?,
            critic: r.get(1)?,
            reviews: r.get::<_, i64>(2)?.max(0).unsigned_abs(),
            films: r.get::<_, i64>(3)?.max(0).unsigned_abs(),
            mean_offset: r.get(4)?,
            shrunk_offset: r.get(5)?,
        })
    };
    let read = || -> rusqlite::Result<Vec<CriticHarshness>> {
        const COLUMNS: &str = "critic_key, critic, reviews, films, mean_offset, shrunk_offset";
        match keys {
            None => store
                .conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM critic_stats ORDER BY critic_key"
                ))?
                .query_map([], row)?
                .collect(),
            Some(keys) => {
                let _tx = store.conn.unchecked_transaction()?;
                let mut stmt = store.conn.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM critic_stats WHERE critic_key = ?1"
                ))?;
                let mut out = Vec::new();
                let keys: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
                for key in keys {
                    out.extend(stmt.query_row([key], row).optional()?);
                }
                Ok(out)
            }
        }
    };
    read().map_err(|e| store.backend(e))
}
