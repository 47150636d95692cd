//! The sites' own published aggregates (V8's `published_scores`), and the
//! reviews read from one listing page.

use verdict_core::PublishedScore;

use super::feeds::DOCUMENT_ROWS;
use super::{SqliteStore, now};
use crate::Result;

/// Records `score` for `film_id`, replacing the same site's earlier
/// reading of the same aggregate.
pub(super) fn put_published(
    store: &mut SqliteStore,
    film_id: i64,
    score: &PublishedScore,
    run: Option<i64>,
) -> Result<()> {
    let seen = now();
    store
        .conn
        .prepare_cached(
            "INSERT INTO published_scores
               (film_id, site, name, value, best, worst, count, percent, source, run_id, seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (film_id, site, name) DO UPDATE SET
               value = excluded.value, best = excluded.best, worst = excluded.worst,
               count = excluded.count, percent = excluded.percent, source = excluded.source,
               run_id = excluded.run_id, seen_at = excluded.seen_at",
        )
        .and_then(|mut st| {
            st.execute(rusqlite::params![
                film_id,
                score.site,
                score.name.as_deref().unwrap_or(""),
                score.value,
                score.best,
                score.worst,
                score.count.and_then(|c| i64::try_from(c).ok()),
                score.percent,
                score.source,
                run,
                seen,
            ])
        })
        .map(|_| ())
        .map_err(|e| store.backend(e))
}

/// The published aggregates of a film, by site and name.
pub(super) fn published(store: &SqliteStore, film_id: i64) -> Result<Vec<PublishedScore>> {
    let read = || -> rusqlite::Result<Vec<PublishedScore>> {
        let mut st = store.conn.prepare_cached(
            "SELECT site, name, value, best, worst, count, percent, source, seen_at
             FROM published_scores WHERE film_id = ?1 ORDER BY site, name",
        )?;
        let rows = st.query_map([film_id], |r| {
            let name: String = r.get(1)?;
            let count: Option<i64> = r.get(5)?;
            let seen: String = r.get(8)?;
            Ok(PublishedScore {
                site: r.get(0)?,
                name: Some(name).filter(|n| !n.is_empty()),
                value: r.get(2)?,
                best: r.get(3)?,
                worst: r.get(4)?,
                count: count.and_then(|c| u64::try_from(c).ok()),
                percent: r.get(6)?,
                source: r.get(7)?,
                seen: seen.get(..10).map(str::to_string),
            })
        })?;
        rows.collect()
    };
    read().map_err(|e| store.backend(e))
}

/// The reviews stored from the items of the listing page `page` (sources
/// `PAGE#review-N`), in id order; read through the index of sources.
pub(super) fn reviews_from_page(store: &SqliteStore, page: &str) -> Result<Vec<(i64, i64)>> {
    let (from, to) = verdict_core::listing_range(page);
    let read = || -> rusqlite::Result<Vec<(i64, i64)>> {
        let mut st = store.conn.prepare_cached(&format!(
            "SELECT id, film_id FROM reviews WHERE source >= ?1 AND source < ?2 AND {DOCUMENT_ROWS} \
             ORDER BY id"
        ))?;
        let rows = st.query_map([&from, &to], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    };
    read().map_err(|e| store.backend(e))
}
