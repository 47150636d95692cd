//! SQL of runs and removals.
//!
//! A removal is one IMMEDIATE transaction: what it takes is worked out
//! inside it (so a dry run and the removal itself read the same rules),
//! the reviews go (their aspects by cascade, feed entries that stored them
//! set to NULL), then every film they leave without a review (its aliases,
//! external ids and catalogue decision by cascade), and the cached
//! cross-film statistics are marked stale, to be rebuilt by the caller.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::{SqliteStore, backend, now};
use crate::copies::{Addresses, Keep, apply_decisions, named_going, unknown_source};
use crate::{FilmRemoval, Removal, Removed, Result, RunRecord, StoreError};

pub(super) fn begin_run(store: &mut SqliteStore, command: &str, args: &str) -> Result<i64> {
    store
        .conn
        .prepare_cached("INSERT INTO runs (command, args, started_at) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute((command, args, now())))
        .map_err(|e| store.backend(e))?;
    Ok(store.conn.last_insert_rowid())
}

pub(super) fn finish_run(store: &mut SqliteStore, id: i64) -> Result<()> {
    let changed = store
        .conn
        .prepare_cached("UPDATE runs SET finished_at = ?2 WHERE id = ?1")
        .and_then(|mut s| s.execute((id, now())))
        .map_err(|e| store.backend(e))?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            path: store.path.clone(),
            what: format!("run {id}"),
        });
    }
    Ok(())
}

fn timestamp(s: &str, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| super::corrupt(idx, format!("bad timestamp {s:?}: {e}")))
}

pub(super) fn run(store: &SqliteStore, id: i64) -> Result<Option<RunRecord>> {
    store
        .conn
        .prepare_cached("SELECT id, command, args, started_at, finished_at FROM runs WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([id], |r| {
                let started: String = r.get(3)?;
                let finished: Option<String> = r.get(4)?;
                Ok(RunRecord {
                    id: r.get(0)?,
                    command: r.get(1)?,
                    args: r.get(2)?,
                    started_at: timestamp(&started, 3)?,
                    finished_at: finished.as_deref().map(|f| timestamp(f, 4)).transpose()?,
                })
            })
            .optional()
        })
        .map_err(|e| store.backend(e))
}

pub(super) fn review_count(store: &SqliteStore, film_id: i64) -> Result<u64> {
    store
        .conn
        .prepare_cached("SELECT COUNT(*) FROM reviews WHERE film_id = ?1")
        .and_then(|mut s| s.query_row([film_id], |r| r.get::<_, i64>(0)))
        .map(|n| n.max(0).unsigned_abs())
        .map_err(|e| store.backend(e))
}

/// Why a removal cannot be worked out, before it becomes a [`StoreError`].
enum PlanError {
    Sql(rusqlite::Error),
    /// "review 12", "run 7", "film 3".
    Missing(String),
}

impl From<rusqlite::Error> for PlanError {
    fn from(e: rusqlite::Error) -> Self {
        PlanError::Sql(e)
    }
}

impl PlanError {
    fn into_store(self, store: &SqliteStore) -> StoreError {
        match self {
            PlanError::Sql(e) => store.backend(e),
            PlanError::Missing(what) => StoreError::NotFound {
                path: store.path.clone(),
                what,
            },
        }
    }
}

/// Every copy of the reviews a run stored, and of the reviews whose copies
/// a run stored, with whether the run stored the review itself and the
/// copy.
const RUN_COPIES: &str = "SELECT r.id, r.film_id, r.source, c.id, c.source,
        r.run_id IS ?1, c.run_id IS ?1
    FROM review_copies c JOIN reviews r ON r.id = c.review_id
    WHERE c.review_id IN (SELECT review_id FROM review_copies WHERE run_id = ?1)
       OR c.review_id IN (SELECT c2.review_id FROM review_copies c2
                          JOIN reviews r2 ON r2.id = c2.review_id WHERE r2.run_id = ?1)
    ORDER BY r.id, c.id";

/// What `what` takes away, read through `conn` (inside the removal's
/// transaction, or a read of its own for a dry run).
fn plan(conn: &Connection, what: &Removal) -> std::result::Result<Removed, PlanError> {
    plan_with_copies(conn, what).map(|(removed, _)| removed)
}

fn plan_with_copies(
    conn: &Connection,
    what: &Removal,
) -> std::result::Result<(Removed, Vec<Keep>), PlanError> {
    // Review ids, and each film's count of them.
    let mut reviews: Vec<i64> = Vec::new();
    let mut films: BTreeMap<i64, u64> = BTreeMap::new();
    let mut keep: Vec<Keep> = Vec::new();
    let mut detached: Vec<(i64, String)> = Vec::new();
    match what {
        Removal::Reviews(ids) => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            let mut stmt = conn.prepare_cached("SELECT film_id FROM reviews WHERE id = ?1")?;
            for id in ids {
                let film: i64 = stmt
                    .query_row([id], |r| r.get(0))
                    .optional()?
                    .ok_or_else(|| PlanError::Missing(format!("review {id}")))?;
                reviews.push(id);
                *films.entry(film).or_default() += 1;
            }
        }
        Removal::Run(run) => {
            let known: Option<i64> = conn
                .prepare_cached("SELECT id FROM runs WHERE id = ?1")?
                .query_row([run], |r| r.get(0))
                .optional()?;
            if known.is_none() {
                return Err(PlanError::Missing(format!("run {run}")));
            }
            // Reviews with copies (few) are decided address by address.
            let mut stmt = conn.prepare_cached(RUN_COPIES)?;
            let mut book: BTreeMap<i64, Addresses> = BTreeMap::new();
            let mut own_goes: BTreeSet<i64> = BTreeSet::new();
            let mut going: BTreeSet<i64> = BTreeSet::new();
            let mut rows = stmt.query([run])?;
            while let Some(r) = rows.next()? {
                let review_id: i64 = r.get(0)?;
                let copy: i64 = r.get(3)?;
                if r.get::<_, bool>(5)? {
                    own_goes.insert(review_id);
                }
                if r.get::<_, bool>(6)? {
                    going.insert(copy);
                }
                let entry = book.entry(review_id).or_insert_with(|| Addresses {
                    review_id,
                    film_id: 0,
                    own: String::new(),
                    copies: Vec::new(),
                });
                entry.film_id = r.get(1)?;
                entry.own = r.get(2)?;
                entry.copies.push((copy, r.get(4)?));
            }
            drop(rows);
            let mut stmt = conn
                .prepare_cached("SELECT id, film_id FROM reviews WHERE run_id = ?1 ORDER BY id")?;
            let rows = stmt.query_map([run], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (id, film) = row?;
                if book.contains_key(&id) {
                    continue;
                }
                reviews.push(id);
                *films.entry(film).or_default() += 1;
            }
            apply_decisions(
                &book,
                &|a| (own_goes.contains(&a.review_id), going.clone()),
                &mut reviews,
                &mut films,
                &mut keep,
                &mut detached,
            );
            reviews.sort_unstable();
        }
        Removal::Sources(addresses) => {
            let mut named: BTreeMap<i64, BTreeSet<&str>> = BTreeMap::new();
            for (id, source) in addresses {
                named.entry(*id).or_default().insert(source.as_str());
            }
            let mut head =
                conn.prepare_cached("SELECT film_id, source FROM reviews WHERE id = ?1")?;
            let mut book: BTreeMap<i64, Addresses> = BTreeMap::new();
            for (&id, sources) in &named {
                let (film_id, own): (i64, String) = head
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?
                    .ok_or_else(|| PlanError::Missing(format!("review {id}")))?;
                let mut a = Addresses {
                    review_id: id,
                    film_id,
                    own,
                    copies: Vec::new(),
                };
                let mut copies = conn.prepare_cached(
                    "SELECT id, source FROM review_copies WHERE review_id = ?1 ORDER BY id",
                )?;
                for copy in copies.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))? {
                    a.copies.push(copy?);
                }
                if let Some(missing) = unknown_source(&a, sources) {
                    return Err(PlanError::Missing(missing));
                }
                book.insert(id, a);
            }
            apply_decisions(
                &book,
                &|a| named_going(&named, a),
                &mut reviews,
                &mut films,
                &mut keep,
                &mut detached,
            );
        }
        Removal::Film(film) => {
            let known: Option<i64> = conn
                .prepare_cached("SELECT id FROM films WHERE id = ?1")?
                .query_row([film], |r| r.get(0))
                .optional()?;
            if known.is_none() {
                return Err(PlanError::Missing(format!("film {film}")));
            }
            let mut stmt =
                conn.prepare_cached("SELECT id FROM reviews WHERE film_id = ?1 ORDER BY id")?;
            for id in stmt.query_map([film], |r| r.get::<_, i64>(0))? {
                reviews.push(id?);
            }
            films.insert(*film, reviews.len() as u64);
        }
    }
    let mut head =
        conn.prepare_cached("SELECT title, year, (SELECT COUNT(*) FROM reviews WHERE film_id = ?1) FROM films WHERE id = ?1")?;
    let mut out = Removed {
        reviews,
        films: Vec::with_capacity(films.len()),
        detached,
    };
    for (film_id, removed) in films {
        let (title, year, total): (String, Option<i32>, i64) =
            head.query_row([film_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let total = total.max(0).unsigned_abs();
        out.films.push(FilmRemoval {
            film_id,
            title,
            year,
            reviews: removed,
            // A film asked for goes whole.
            left: if matches!(what, Removal::Film(_)) {
                0
            } else {
                total.saturating_sub(removed)
            },
        });
    }
    Ok((out, keep))
}

pub(super) fn removal(store: &SqliteStore, what: &Removal) -> Result<Removed> {
    // One read transaction: the plan sees one state of the database.
    let tx = store
        .conn
        .unchecked_transaction()
        .map_err(|e| store.backend(e))?;
    let out = plan(&tx, what).map_err(|e| e.into_store(store));
    drop(tx);
    out
}

pub(super) fn remove(store: &mut SqliteStore, what: &Removal) -> Result<Removed> {
    let path = store.path.clone();
    let tx = store
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| backend(&path, e))?;
    let (removed, keep) = match plan_with_copies(&tx, what) {
        Ok(planned) => planned,
        Err(PlanError::Sql(e)) => return Err(backend(&path, e)),
        Err(PlanError::Missing(what)) => return Err(StoreError::NotFound { path, what }),
    };
    let write = || -> rusqlite::Result<()> {
        // First the reviews that stay: a promoted copy's run becomes the
        // review's, so a run's removal below no longer takes it.
        keep_addresses(&tx, &keep)?;
        match what {
            Removal::Run(run) => {
                // The plan found the run's reviews (reading the table: no
                // index of runs, V7); the delete walks only their id range.
                if let (Some(first), Some(last)) = (removed.reviews.first(), removed.reviews.last())
                {
                    tx.prepare_cached(
                        "DELETE FROM reviews WHERE id BETWEEN ?1 AND ?2 AND run_id = ?3",
                    )?
                    .execute([*first, *last, *run])?;
                }
                tx.prepare_cached("DELETE FROM published_scores WHERE run_id = ?1")?
                    .execute([*run])?;
            }
            Removal::Film(film) => {
                tx.prepare_cached("DELETE FROM reviews WHERE film_id = ?1")?
                    .execute([film])?;
            }
            Removal::Reviews(_) | Removal::Sources(_) => {
                // The listing pages some of them were read from: a page's
                // published aggregate goes with its last review.
                let mut pages = std::collections::BTreeSet::new();
                let mut source = tx.prepare_cached("SELECT source FROM reviews WHERE id = ?1")?;
                let mut stmt = tx.prepare_cached("DELETE FROM reviews WHERE id = ?1")?;
                for id in &removed.reviews {
                    let s: String = source.query_row([id], |r| r.get(0))?;
                    if let Some(page) = verdict_core::listing_page(&s) {
                        pages.insert(page.to_string());
                    }
                    stmt.execute([id])?;
                }
                let mut orphaned = tx.prepare_cached(
                    "DELETE FROM published_scores WHERE source = ?1 AND NOT EXISTS
                       (SELECT 1 FROM reviews WHERE source >= ?2 AND source < ?3)",
                )?;
                for page in &pages {
                    let (from, to) = verdict_core::listing_range(page);
                    orphaned.execute([page, &from, &to])?;
                }
            }
        }
        let mut drop_film = tx.prepare_cached("DELETE FROM films WHERE id = ?1")?;
        for f in removed.films.iter().filter(|f| f.film_removed()) {
            drop_film.execute([f.film_id])?;
        }
        if !removed.reviews.is_empty() || !removed.detached.is_empty() {
            // The cached statistics no longer describe the reviews stored,
            // whatever the newest id says (see V6).
            tx.execute("UPDATE aggregate_stats SET max_review_id = -1", [])?;
        }
        Ok(())
    };
    write().map_err(|e| backend(&path, e))?;
    tx.commit().map_err(|e| backend(&path, e))?;
    Ok(removed)
}

/// A copy's hash, source, format, critic, outlet, link and run.
type CopyRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

/// Removes the copies that go of reviews that stay, and makes a copy the
/// review's own address where its own went (its hash, source, format,
/// link, run and outlet; its critic where it names one: a copy never names
/// another critic).
fn keep_addresses(tx: &Connection, keep: &[Keep]) -> rusqlite::Result<()> {
    let mut drop_copy = tx.prepare_cached("DELETE FROM review_copies WHERE id = ?1")?;
    for k in keep {
        for copy in &k.copies {
            drop_copy.execute([copy])?;
        }
        let Some(copy) = k.promote else { continue };
        let row: CopyRow = tx
            .prepare_cached(
                "SELECT content_hash, source, format, critic, outlet, link, run_id
                 FROM review_copies WHERE id = ?1",
            )?
            .query_row([copy], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?;
        drop_copy.execute([copy])?;
        let (hash, source, format, critic, outlet, link, run) = row;
        tx.prepare_cached(
            "UPDATE reviews SET content_hash = ?2, source = ?3, format = ?4,
                    critic = COALESCE(?5, critic), outlet = ?6, link = ?7,
                    run_id = ?8
             WHERE id = ?1",
        )?
        .execute(rusqlite::params![
            k.review_id,
            hash,
            source,
            format,
            critic,
            outlet,
            link,
            run
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run's reviews are found by reading the table (V7 dropped V6's
    /// index of reviews by run: it cost every imported row an entry), and
    /// the index is gone.
    #[test]
    fn a_runs_reviews_are_found_without_an_index_of_runs() {
        let store = SqliteStore::open_in_memory().unwrap();
        let indexes: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'reviews_run'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 0);
        for sql in [
            "SELECT id, film_id FROM reviews WHERE run_id = ?1 ORDER BY id",
            "DELETE FROM reviews WHERE run_id = ?1",
        ] {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map([7], |r| r.get(3))
                .unwrap()
                .map(std::result::Result::unwrap)
                .collect();
            assert!(
                plan.iter().any(|d| d.starts_with("SCAN reviews")),
                "{sql}: {plan:?}"
            );
        }
    }
}
