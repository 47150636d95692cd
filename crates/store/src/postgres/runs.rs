//! SQL of runs and removals (PostgreSQL), as `sqlite/runs.rs` does them: a
//! removal is worked out and done in one transaction, the films it leaves
//! without a review go with it, and the cached statistics are marked stale.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use postgres::GenericClient;

use super::{PgStore, backend};
use crate::copies::{Addresses, Keep, apply_decisions, named_going, unknown_source};
use crate::{FilmRemoval, Removal, Removed, Result, RunRecord, StoreError};

pub(super) fn begin_run(store: &mut PgStore, command: &str, args: &str) -> Result<i64> {
    store.write(|c| {
        Ok(c.query_one(
            "INSERT INTO runs (command, args, started_at) VALUES ($1, $2, $3) RETURNING id",
            &[&command, &args, &Utc::now()],
        )?
        .get(0))
    })
}

pub(super) fn finish_run(store: &mut PgStore, id: i64) -> Result<()> {
    let changed = store.write(|c| {
        c.execute(
            "UPDATE runs SET finished_at = $2 WHERE id = $1",
            &[&id, &Utc::now()],
        )
    })?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            path: store.name().to_path_buf(),
            what: format!("run {id}"),
        });
    }
    Ok(())
}

pub(super) fn run(store: &PgStore, id: i64) -> Result<Option<RunRecord>> {
    store.read(|c| {
        Ok(c.query_opt(
            "SELECT id, command, args, started_at, finished_at FROM runs WHERE id = $1",
            &[&id],
        )?
        .map(|r| RunRecord {
            id: r.get(0),
            command: r.get(1),
            args: r.get(2),
            started_at: r.get::<_, DateTime<Utc>>(3),
            finished_at: r.get::<_, Option<DateTime<Utc>>>(4),
        }))
    })
}

pub(super) fn review_count(store: &PgStore, film_id: i64) -> Result<u64> {
    store.read(|c| {
        Ok(c.query_one(
            "SELECT COUNT(*) FROM reviews WHERE film_id = $1",
            &[&film_id],
        )?
        .get::<_, i64>(0)
        .max(0)
        .unsigned_abs())
    })
}

/// Why a removal cannot be worked out.
enum PlanError {
    Sql(postgres::Error),
    Missing(String),
}

impl From<postgres::Error> for PlanError {
    fn from(e: postgres::Error) -> Self {
        PlanError::Sql(e)
    }
}

/// Reviews with copies by id, the reviews whose own address goes, the
/// copies that go.
type Book = (BTreeMap<i64, Addresses>, BTreeSet<i64>, BTreeSet<i64>);

/// The addresses of the reviews with copies that `sql`'s rows name
/// (columns: review id, film id, own source, copy id, copy source, whether
/// the review's own address goes, whether the copy goes).
fn addresses_of(
    c: &mut impl GenericClient,
    sql: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> std::result::Result<Book, postgres::Error> {
    let mut book: BTreeMap<i64, Addresses> = BTreeMap::new();
    let (mut own_goes, mut going) = (BTreeSet::new(), BTreeSet::new());
    for r in c.query(sql, params)? {
        let review_id: i64 = r.get(0);
        let copy: i64 = r.get(3);
        if r.get::<_, bool>(5) {
            own_goes.insert(review_id);
        }
        if r.get::<_, bool>(6) {
            going.insert(copy);
        }
        let entry = book.entry(review_id).or_insert_with(|| Addresses {
            review_id,
            film_id: r.get(1),
            own: r.get(2),
            copies: Vec::new(),
        });
        entry.copies.push((copy, r.get(4)));
    }
    Ok((book, own_goes, going))
}

fn plan(c: &mut impl GenericClient, what: &Removal) -> std::result::Result<Removed, PlanError> {
    plan_with_copies(c, what).map(|(removed, _)| removed)
}

fn plan_with_copies(
    c: &mut impl GenericClient,
    what: &Removal,
) -> std::result::Result<(Removed, Vec<Keep>), PlanError> {
    let mut reviews: Vec<i64> = Vec::new();
    let mut films: BTreeMap<i64, u64> = BTreeMap::new();
    let mut keep: Vec<Keep> = Vec::new();
    let mut detached: Vec<(i64, String)> = Vec::new();
    match what {
        Removal::Reviews(ids) => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                let film: i64 = c
                    .query_opt("SELECT film_id FROM reviews WHERE id = $1", &[&id])?
                    .ok_or_else(|| PlanError::Missing(format!("review {id}")))?
                    .get(0);
                reviews.push(id);
                *films.entry(film).or_default() += 1;
            }
        }
        Removal::Run(run) => {
            if c.query_opt("SELECT id FROM runs WHERE id = $1", &[run])?
                .is_none()
            {
                return Err(PlanError::Missing(format!("run {run}")));
            }
            // Reviews with copies (few) are decided address by address.
            let (book, own_goes, going) = addresses_of(
                c,
                "SELECT r.id, r.film_id, r.source, c.id, c.source,
                        r.run_id IS NOT DISTINCT FROM $1, c.run_id IS NOT DISTINCT FROM $1
                 FROM review_copies c JOIN reviews r ON r.id = c.review_id
                 WHERE c.review_id IN (SELECT review_id FROM review_copies WHERE run_id = $1)
                    OR c.review_id IN (SELECT c2.review_id FROM review_copies c2
                                       JOIN reviews r2 ON r2.id = c2.review_id
                                       WHERE r2.run_id = $1)
                 ORDER BY r.id, c.id",
                &[run],
            )?;
            for r in c.query(
                "SELECT id, film_id FROM reviews WHERE run_id = $1 ORDER BY id",
                &[run],
            )? {
                if book.contains_key(&r.get::<_, i64>(0)) {
                    continue;
                }
                reviews.push(r.get(0));
                *films.entry(r.get(1)).or_default() += 1;
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
            let mut book: BTreeMap<i64, Addresses> = BTreeMap::new();
            for (&id, sources) in &named {
                let head = c
                    .query_opt("SELECT film_id, source FROM reviews WHERE id = $1", &[&id])?
                    .ok_or_else(|| PlanError::Missing(format!("review {id}")))?;
                let mut a = Addresses {
                    review_id: id,
                    film_id: head.get(0),
                    own: head.get(1),
                    copies: Vec::new(),
                };
                for r in c.query(
                    "SELECT id, source FROM review_copies WHERE review_id = $1 ORDER BY id",
                    &[&id],
                )? {
                    a.copies.push((r.get(0), r.get(1)));
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
            if c.query_opt("SELECT id FROM films WHERE id = $1", &[film])?
                .is_none()
            {
                return Err(PlanError::Missing(format!("film {film}")));
            }
            for r in c.query(
                "SELECT id FROM reviews WHERE film_id = $1 ORDER BY id",
                &[film],
            )? {
                reviews.push(r.get(0));
            }
            films.insert(*film, reviews.len() as u64);
        }
    }
    let mut out = Removed {
        reviews,
        films: Vec::with_capacity(films.len()),
        detached,
    };
    for (film_id, removed) in films {
        let r = c.query_one(
            "SELECT title, year, (SELECT COUNT(*) FROM reviews WHERE film_id = $1)
             FROM films WHERE id = $1",
            &[&film_id],
        )?;
        let total = r.get::<_, i64>(2).max(0).unsigned_abs();
        out.films.push(FilmRemoval {
            film_id,
            title: r.get(0),
            year: r.get(1),
            reviews: removed,
            left: if matches!(what, Removal::Film(_)) {
                0
            } else {
                total.saturating_sub(removed)
            },
        });
    }
    Ok((out, keep))
}

fn into_store(store_name: &std::path::Path, e: PlanError) -> StoreError {
    match e {
        PlanError::Sql(e) => backend(store_name, &e),
        PlanError::Missing(what) => StoreError::NotFound {
            path: store_name.to_path_buf(),
            what,
        },
    }
}

pub(super) fn removal(store: &PgStore, what: &Removal) -> Result<Removed> {
    let mut planned = None;
    store.read(|c| {
        planned = Some(plan(c, what));
        Ok(())
    })?;
    planned
        .expect("planned")
        .map_err(|e| into_store(store.name(), e))
}

pub(super) fn remove(store: &mut PgStore, what: &Removal) -> Result<Removed> {
    let name = store.name().to_path_buf();
    let client = store.client();
    let mut tx = client.transaction().map_err(|e| backend(&name, &e))?;
    // Two removals at once must not both plan the same reviews: the first
    // holds the lock until it commits.
    tx.execute("LOCK TABLE reviews IN SHARE ROW EXCLUSIVE MODE", &[])
        .map_err(|e| backend(&name, &e))?;
    let (removed, keep) = plan_with_copies(&mut tx, what).map_err(|e| into_store(&name, e))?;
    let write = |tx: &mut postgres::Transaction<'_>| -> std::result::Result<(), postgres::Error> {
        // First the reviews that stay: a promoted copy's run becomes the
        // review's, so a run's removal below no longer takes it.
        keep_addresses(tx, &keep)?;
        match what {
            Removal::Run(run) => {
                tx.execute("DELETE FROM reviews WHERE run_id = $1", &[run])?;
                tx.execute("DELETE FROM published_scores WHERE run_id = $1", &[run])?;
            }
            Removal::Film(film) => {
                tx.execute("DELETE FROM reviews WHERE film_id = $1", &[film])?;
            }
            Removal::Reviews(_) | Removal::Sources(_) => {
                let pages: Vec<String> = tx
                    .query(
                        "DELETE FROM reviews WHERE id = ANY($1) RETURNING source",
                        &[&removed.reviews],
                    )?
                    .iter()
                    .filter_map(|r| {
                        let s: String = r.get(0);
                        verdict_core::listing_page(&s).map(str::to_string)
                    })
                    .collect();
                for page in pages {
                    let (prefix, _) = verdict_core::listing_range(&page);
                    tx.execute(
                        "DELETE FROM published_scores WHERE source = $1 AND NOT EXISTS
                           (SELECT 1 FROM reviews WHERE starts_with(source, $2))",
                        &[&page, &prefix],
                    )?;
                }
            }
        }
        for f in removed.films.iter().filter(|f| f.film_removed()) {
            tx.execute("DELETE FROM films WHERE id = $1", &[&f.film_id])?;
        }
        if !removed.reviews.is_empty() || !removed.detached.is_empty() {
            tx.execute("UPDATE aggregate_stats SET max_review_id = -1", &[])?;
        }
        Ok(())
    };
    write(&mut tx).map_err(|e| backend(&name, &e))?;
    tx.commit().map_err(|e| backend(&name, &e))?;
    Ok(removed)
}

/// Removes the copies that go of reviews that stay, and makes a copy the
/// review's own address where its own went (as `sqlite/runs.rs` does).
fn keep_addresses(
    tx: &mut postgres::Transaction<'_>,
    keep: &[Keep],
) -> std::result::Result<(), postgres::Error> {
    for k in keep {
        tx.execute("DELETE FROM review_copies WHERE id = ANY($1)", &[&k.copies])?;
        let Some(copy) = k.promote else { continue };
        let r = tx.query_one(
            "DELETE FROM review_copies WHERE id = $1
             RETURNING content_hash, source, format, critic, outlet, link, run_id",
            &[&copy],
        )?;
        tx.execute(
            "UPDATE reviews SET content_hash = $2, source = $3, format = $4,
                    critic = COALESCE($5, critic), outlet = $6, link = $7,
                    run_id = $8
             WHERE id = $1",
            &[
                &k.review_id,
                &r.get::<_, String>(0),
                &r.get::<_, String>(1),
                &r.get::<_, String>(2),
                &r.get::<_, Option<String>>(3),
                &r.get::<_, Option<String>>(4),
                &r.get::<_, Option<String>>(5),
                &r.get::<_, Option<i64>>(6),
            ],
        )?;
    }
    Ok(())
}
