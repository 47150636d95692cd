//! SQL of followed feeds and their entries.

use chrono::{DateTime, Utc};
use rusqlite::{ErrorCode, OptionalExtension, Row, TransactionBehavior};

use super::{SqliteStore, corrupt, now};
use crate::{EntryAttempt, EntryState, FeedEntryRecord, FeedRecord, FeedSync, Result, StoreError};

const FEED_COLUMNS: &str = "id, url, title, etag, last_modified, added_at, synced_at, last_error";

fn time_from_row(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match r.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(s) => DateTime::parse_from_rfc3339(&s)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|e| corrupt(idx, format!("bad timestamp {s:?}: {e}"))),
    }
}

fn required_time(r: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    time_from_row(r, idx)?.ok_or_else(|| corrupt(idx, "missing timestamp".to_string()))
}

fn feed_from_row(r: &Row<'_>) -> rusqlite::Result<FeedRecord> {
    Ok(FeedRecord {
        id: r.get(0)?,
        url: r.get(1)?,
        title: r.get(2)?,
        etag: r.get(3)?,
        last_modified: r.get(4)?,
        added_at: required_time(r, 5)?,
        synced_at: time_from_row(r, 6)?,
        last_error: r.get(7)?,
    })
}

fn rejected(store: &SqliteStore, url: &str, e: rusqlite::Error) -> StoreError {
    if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) {
        StoreError::Rejected {
            path: store.path().to_path_buf(),
            source_name: url.to_string(),
            content_hash: String::new(),
            reason: e.to_string(),
        }
    } else {
        store.backend(e)
    }
}

pub(super) fn follow_feed(
    store: &mut SqliteStore,
    url: &str,
    title: Option<&str>,
) -> Result<(FeedRecord, bool)> {
    let write = |store: &mut SqliteStore| -> rusqlite::Result<(FeedRecord, bool)> {
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inserted = tx.execute(
            "INSERT INTO feeds (url, title, added_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (url) DO NOTHING",
            (url, title, now()),
        )? == 1;
        let feed = tx.query_row(
            &format!("SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?1"),
            [url],
            feed_from_row,
        )?;
        tx.commit()?;
        Ok((feed, inserted))
    };
    write(store).map_err(|e| rejected(store, url, e))
}

pub(super) fn feeds(store: &SqliteStore) -> Result<Vec<FeedRecord>> {
    let read = || -> rusqlite::Result<Vec<FeedRecord>> {
        store
            .conn
            .prepare(&format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id"))?
            .query_map([], feed_from_row)?
            .collect()
    };
    read().map_err(|e| store.backend(e))
}

pub(super) fn feed_entries(store: &SqliteStore, feed_id: i64) -> Result<Vec<FeedEntryRecord>> {
    let read = || -> rusqlite::Result<Vec<FeedEntryRecord>> {
        store
            .conn
            .prepare(
                "SELECT feed_id, entry_key, link, title, state, review_id, attempts, error,
                        first_seen_at, last_attempt_at
                 FROM feed_entries WHERE feed_id = ?1 ORDER BY first_seen_at, rowid",
            )?
            .query_map([feed_id], |r| {
                let state: String = r.get(4)?;
                let attempts: i64 = r.get(6)?;
                Ok(FeedEntryRecord {
                    feed_id: r.get(0)?,
                    key: r.get(1)?,
                    link: r.get(2)?,
                    title: r.get(3)?,
                    state: EntryState::parse(&state)
                        .ok_or_else(|| corrupt(4, format!("unknown entry state {state:?}")))?,
                    review_id: r.get(5)?,
                    attempts: u32::try_from(attempts)
                        .map_err(|_| corrupt(6, format!("bad attempt count {attempts}")))?,
                    error: r.get(7)?,
                    first_seen_at: required_time(r, 8)?,
                    last_attempt_at: required_time(r, 9)?,
                })
            })?
            .collect()
    };
    read().map_err(|e| store.backend(e))
}

pub(super) fn record_feed_entry(
    store: &mut SqliteStore,
    feed_id: i64,
    attempt: &EntryAttempt<'_>,
) -> Result<()> {
    let error = match attempt.state {
        EntryState::Failed => Some(attempt.error.unwrap_or("failed")),
        _ => None,
    };
    let write = |store: &mut SqliteStore| -> rusqlite::Result<()> {
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = now();
        tx.execute(
            "INSERT INTO feed_entries
                (feed_id, entry_key, link, title, state, review_id, attempts, error,
                 first_seen_at, last_attempt_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?8)
             ON CONFLICT (feed_id, entry_key) DO UPDATE SET
                link = COALESCE(excluded.link, link),
                title = COALESCE(excluded.title, title),
                state = excluded.state,
                review_id = excluded.review_id,
                attempts = attempts + 1,
                error = excluded.error,
                last_attempt_at = excluded.last_attempt_at",
            rusqlite::params![
                feed_id,
                attempt.key,
                attempt.link,
                attempt.title,
                attempt.state.as_str(),
                attempt.review_id,
                error,
                at
            ],
        )?;
        tx.commit()
    };
    write(store).map_err(|e| rejected(store, attempt.key, e))
}

pub(super) fn record_feed_sync(
    store: &mut SqliteStore,
    feed_id: i64,
    sync: &FeedSync<'_>,
) -> Result<()> {
    let (set_validators, etag, last_modified) = match sync.validators {
        Some((etag, modified)) => (true, etag, modified),
        None => (false, None, None),
    };
    let write = |store: &mut SqliteStore| -> rusqlite::Result<usize> {
        store.conn.execute(
            "UPDATE feeds SET
                synced_at = ?2,
                title = COALESCE(?3, title),
                etag = CASE WHEN ?4 THEN ?5 ELSE etag END,
                last_modified = CASE WHEN ?4 THEN ?6 ELSE last_modified END,
                last_error = ?7
             WHERE id = ?1",
            rusqlite::params![
                feed_id,
                now(),
                sync.title,
                set_validators,
                etag,
                last_modified,
                sync.error
            ],
        )
    };
    match write(store) {
        Ok(0) => Err(StoreError::NotFound {
            path: store.path().to_path_buf(),
            what: format!("feed {feed_id}"),
        }),
        Ok(_) => Ok(()),
        Err(e) => Err(store.backend(e)),
    }
}

pub(crate) use crate::row::DOCUMENT_ROWS;

/// The first review stored from a source.
fn by_source_sql() -> String {
    format!(
        "SELECT id, film_id FROM reviews WHERE source = ?1 AND {DOCUMENT_ROWS} \
         ORDER BY id LIMIT 1"
    )
}

pub(super) fn review_by_source(store: &SqliteStore, source: &str) -> Result<Option<(i64, i64)>> {
    let own = store
        .conn
        .prepare_cached(&by_source_sql())
        .and_then(|mut s| {
            s.query_row([source], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| store.backend(e))?;
    if own.is_some() {
        return Ok(own);
    }
    // another address of a review: a syndicated copy (V11)
    store
        .conn
        .prepare_cached(
            "SELECT r.id, r.film_id FROM review_copies c JOIN reviews r ON r.id = c.review_id
             WHERE c.source = ?1 ORDER BY c.id LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row([source], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| store.backend(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_is_found_by_source_through_the_partial_index() {
        let store = SqliteStore::open_in_memory().unwrap();
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", by_source_sql()))
            .unwrap();
        let plan: Vec<String> = stmt
            .query_map(["https://example.org/review"], |r| r.get(3))
            .unwrap()
            .map(std::result::Result::unwrap)
            .collect();
        assert!(
            plan.iter().any(|d| d.contains("reviews_source_documents")),
            "{plan:?}"
        );
    }
}
