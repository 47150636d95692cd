//! SQL of followed feeds and their entries (PostgreSQL).

use chrono::{DateTime, Utc};
use postgres::Row;

use super::{PgStore, backend, describe, is_rejection};
use crate::{EntryAttempt, EntryState, FeedEntryRecord, FeedRecord, FeedSync, Result, StoreError};

const FEED_COLUMNS: &str = "id, url, title, etag, last_modified, added_at, synced_at, last_error";

pub(crate) use crate::row::DOCUMENT_ROWS;

fn feed_from_row(r: &Row) -> FeedRecord {
    FeedRecord {
        id: r.get(0),
        url: r.get(1),
        title: r.get(2),
        etag: r.get(3),
        last_modified: r.get(4),
        added_at: r.get::<_, DateTime<Utc>>(5),
        synced_at: r.get::<_, Option<DateTime<Utc>>>(6),
        last_error: r.get(7),
    }
}

fn rejected(store: &PgStore, what: &str, e: postgres::Error) -> StoreError {
    if is_rejection(&e) {
        StoreError::Rejected {
            path: store.name().to_path_buf(),
            source_name: what.to_string(),
            content_hash: String::new(),
            reason: describe(&e),
        }
    } else {
        backend(store.name(), &e)
    }
}

pub(super) fn follow_feed(
    store: &mut PgStore,
    url: &str,
    title: Option<&str>,
) -> Result<(FeedRecord, bool)> {
    let name = store.name().to_path_buf();
    let client = store.client();
    let run = |client: &mut postgres::Client| -> std::result::Result<_, postgres::Error> {
        let mut tx = client.transaction()?;
        let inserted = tx.execute(
            "INSERT INTO feeds (url, title, added_at) VALUES ($1, $2, $3)
             ON CONFLICT (url) DO NOTHING",
            &[&url, &title, &Utc::now()],
        )? == 1;
        let feed = feed_from_row(&tx.query_one(
            &format!("SELECT {FEED_COLUMNS} FROM feeds WHERE url = $1"),
            &[&url],
        )?);
        tx.commit()?;
        Ok((feed, inserted))
    };
    match run(client) {
        Ok(out) => Ok(out),
        Err(e) if is_rejection(&e) => Err(StoreError::Rejected {
            path: name,
            source_name: url.to_string(),
            content_hash: String::new(),
            reason: describe(&e),
        }),
        Err(e) => Err(backend(&name, &e)),
    }
}

pub(super) fn feeds(store: &PgStore) -> Result<Vec<FeedRecord>> {
    store.read(|c| {
        Ok(c.query(
            &format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id"),
            &[],
        )?
        .iter()
        .map(feed_from_row)
        .collect())
    })
}

pub(super) fn feed_entries(store: &PgStore, feed_id: i64) -> Result<Vec<FeedEntryRecord>> {
    let rows = store.read(|c| {
        c.query(
            "SELECT feed_id, entry_key, link, title, state, review_id, attempts, error,
                    first_seen_at, last_attempt_at
             FROM feed_entries WHERE feed_id = $1 ORDER BY first_seen_at, entry_key",
            &[&feed_id],
        )
    })?;
    rows.iter()
        .map(|r| {
            let state: String = r.get(4);
            let attempts: i32 = r.get(6);
            Ok(FeedEntryRecord {
                feed_id: r.get(0),
                key: r.get(1),
                link: r.get(2),
                title: r.get(3),
                state: EntryState::parse(&state).ok_or_else(|| StoreError::Backend {
                    path: store.name().to_path_buf(),
                    reason: format!("unknown entry state {state:?}"),
                })?,
                review_id: r.get(5),
                attempts: u32::try_from(attempts).unwrap_or(0),
                error: r.get(7),
                first_seen_at: r.get::<_, DateTime<Utc>>(8),
                last_attempt_at: r.get::<_, DateTime<Utc>>(9),
            })
        })
        .collect()
}

pub(super) fn record_feed_entry(
    store: &mut PgStore,
    feed_id: i64,
    attempt: &EntryAttempt<'_>,
) -> Result<()> {
    let error = match attempt.state {
        EntryState::Failed => Some(attempt.error.unwrap_or("failed")),
        _ => None,
    };
    let result = store.client().execute(
        "INSERT INTO feed_entries AS e
            (feed_id, entry_key, link, title, state, review_id, attempts, error,
             first_seen_at, last_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8)
         ON CONFLICT (feed_id, entry_key) DO UPDATE SET
            link = COALESCE(excluded.link, e.link),
            title = COALESCE(excluded.title, e.title),
            state = excluded.state,
            review_id = excluded.review_id,
            attempts = e.attempts + 1,
            error = excluded.error,
            last_attempt_at = excluded.last_attempt_at",
        &[
            &feed_id,
            &attempt.key,
            &attempt.link,
            &attempt.title,
            &attempt.state.as_str(),
            &attempt.review_id,
            &error,
            &Utc::now(),
        ],
    );
    result
        .map(|_| ())
        .map_err(|e| rejected(store, attempt.key, e))
}

pub(super) fn record_feed_sync(
    store: &mut PgStore,
    feed_id: i64,
    sync: &FeedSync<'_>,
) -> Result<()> {
    let (set_validators, etag, last_modified) = match sync.validators {
        Some((etag, modified)) => (true, etag, modified),
        None => (false, None, None),
    };
    let changed = store.write(|c| {
        c.execute(
            "UPDATE feeds SET
                synced_at = $2,
                title = COALESCE($3, title),
                etag = CASE WHEN $4 THEN $5 ELSE etag END,
                last_modified = CASE WHEN $4 THEN $6 ELSE last_modified END,
                last_error = $7
             WHERE id = $1",
            &[
                &feed_id,
                &Utc::now(),
                &sync.title,
                &set_validators,
                &etag,
                &last_modified,
                &sync.error,
            ],
        )
    })?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            path: store.name().to_path_buf(),
            what: format!("feed {feed_id}"),
        });
    }
    Ok(())
}

pub(super) fn review_by_source(store: &PgStore, source: &str) -> Result<Option<(i64, i64)>> {
    store.read(|c| {
        let own = c
            .query_opt(
                &format!(
                    "SELECT id, film_id FROM reviews WHERE source = $1 AND {DOCUMENT_ROWS}
                     ORDER BY id LIMIT 1"
                ),
                &[&source],
            )?
            .map(|r| (r.get(0), r.get(1)));
        if own.is_some() {
            return Ok(own);
        }
        // another address of a review: a syndicated copy (V11)
        Ok(c.query_opt(
            "SELECT r.id, r.film_id FROM review_copies c JOIN reviews r ON r.id = c.review_id
             WHERE c.source = $1 ORDER BY c.id LIMIT 1",
            &[&source],
        )?
        .map(|r| (r.get(0), r.get(1))))
    })
}
