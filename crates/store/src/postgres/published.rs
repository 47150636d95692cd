//! The sites' published aggregates (`published_scores`), and the reviews
//! read from one listing page (PostgreSQL).

use chrono::{DateTime, Utc};
use verdict_core::PublishedScore;

use super::PgStore;
use crate::Result;

pub(super) fn put_published(
    store: &mut PgStore,
    film_id: i64,
    score: &PublishedScore,
    run: Option<i64>,
) -> Result<()> {
    let count = score.count.and_then(|c| i64::try_from(c).ok());
    store.write(|c| {
        c.execute(
            "INSERT INTO published_scores
               (film_id, site, name, value, best, worst, count, percent, source, run_id, seen_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (film_id, site, name) DO UPDATE SET
               value = excluded.value, best = excluded.best, worst = excluded.worst,
               count = excluded.count, percent = excluded.percent, source = excluded.source,
               run_id = excluded.run_id, seen_at = excluded.seen_at",
            &[
                &film_id,
                &score.site,
                &score.name.as_deref().unwrap_or(""),
                &score.value,
                &score.best,
                &score.worst,
                &count,
                &score.percent,
                &score.source,
                &run,
                &Utc::now(),
            ],
        )
        .map(|_| ())
    })
}

pub(super) fn published(store: &PgStore, film_id: i64) -> Result<Vec<PublishedScore>> {
    store.read(|c| {
        Ok(c.query(
            "SELECT site, name, value, best, worst, count, percent, source, seen_at
             FROM published_scores WHERE film_id = $1 ORDER BY site, name",
            &[&film_id],
        )?
        .iter()
        .map(|r| {
            let name: String = r.get(1);
            let seen: DateTime<Utc> = r.get(8);
            PublishedScore {
                site: r.get(0),
                name: Some(name).filter(|n| !n.is_empty()),
                value: r.get(2),
                best: r.get(3),
                worst: r.get(4),
                count: r
                    .get::<_, Option<i64>>(5)
                    .and_then(|c| u64::try_from(c).ok()),
                percent: r.get(6),
                source: r.get(7),
                seen: Some(seen.format("%Y-%m-%d").to_string()),
            }
        })
        .collect())
    })
}

/// The reviews stored from the items of the listing page `page`.
pub(super) fn reviews_from_page(store: &PgStore, page: &str) -> Result<Vec<(i64, i64)>> {
    let (prefix, _) = verdict_core::listing_range(page);
    store.read(|c| {
        Ok(c.query(
            &format!(
                "SELECT id, film_id FROM reviews WHERE starts_with(source, $1) AND {} ORDER BY id",
                super::feeds::DOCUMENT_ROWS
            ),
            &[&prefix],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
    })
}
