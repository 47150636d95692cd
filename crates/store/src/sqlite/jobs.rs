//! SQL of the queue of work (SQLite). SQLite has one writer at a time: a
//! claim is an IMMEDIATE transaction that reads the next job and takes it,
//! so two workers never take the same one.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior};

use super::{SqliteStore, backend};
use crate::{Job, JobRecord, JobResult, JobState, NewJob, Result, StoreError};

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn time(s: &str) -> std::result::Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("bad timestamp {s:?}: {e}"))
}

fn later(d: Duration) -> DateTime<Utc> {
    Utc::now() + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

pub(super) fn enqueue(store: &mut SqliteStore, job: &NewJob<'_>) -> Result<(i64, bool)> {
    let path = store.path.clone();
    let run = |store: &mut SqliteStore| -> rusqlite::Result<(i64, bool)> {
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(key) = job.key {
            let open: Option<i64> = tx
                .query_row(
                    "SELECT id FROM jobs WHERE key = ?1 AND state IN ('queued', 'running')",
                    [key],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = open {
                return Ok((id, false));
            }
        }
        let now = stamp(Utc::now());
        tx.execute(
            "INSERT INTO jobs (kind, payload, key, max_attempts, run_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            rusqlite::params![job.kind, job.payload, job.key, job.max_attempts.max(1), now],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok((id, true))
    };
    run(store).map_err(|e| backend(&path, e))
}

pub(super) fn claim_job(
    store: &mut SqliteStore,
    worker: &str,
    lease: Duration,
) -> Result<Option<Job>> {
    let path = store.path.clone();
    let run = |store: &mut SqliteStore| -> rusqlite::Result<Option<Job>> {
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = stamp(Utc::now());
        let next: Option<i64> = tx
            .query_row(
                "SELECT id FROM jobs
                 WHERE (state = 'queued' AND run_at <= ?1)
                    OR (state = 'running' AND lease_until < ?1)
                 ORDER BY run_at, id LIMIT 1",
                [&now],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = next else {
            return Ok(None);
        };
        let until = later(lease);
        let job = tx.query_row(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = ?2,
                    worker = ?3
             WHERE id = ?1
             RETURNING id, kind, payload, attempts, max_attempts",
            rusqlite::params![id, stamp(until), worker],
            |r| {
                Ok(Job {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    payload: r.get(2)?,
                    attempts: r.get(3)?,
                    max_attempts: r.get(4)?,
                    lease_until: until,
                })
            },
        )?;
        tx.commit()?;
        Ok(Some(job))
    };
    run(store).map_err(|e| backend(&path, e))
}

pub(super) fn finish_job(
    store: &mut SqliteStore,
    id: i64,
    worker: &str,
    result: JobResult<'_>,
) -> Result<JobState> {
    let path = store.path.clone();
    let run = |store: &mut SqliteStore| -> rusqlite::Result<Option<JobState>> {
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let held: Option<(u32, u32)> = tx
            .query_row(
                "SELECT attempts, max_attempts FROM jobs
                 WHERE id = ?1 AND state = 'running' AND worker = ?2",
                rusqlite::params![id, worker],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((attempts, max_attempts)) = held else {
            return Ok(None);
        };
        let now = stamp(Utc::now());
        let state = match result {
            JobResult::Done => {
                tx.execute(
                    "UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL,
                            finished_at = ?2 WHERE id = ?1",
                    rusqlite::params![id, now],
                )?;
                JobState::Done
            }
            JobResult::Failed { error, .. } if attempts >= max_attempts => {
                tx.execute(
                    "UPDATE jobs SET state = 'failed', lease_until = NULL, last_error = ?2,
                            finished_at = ?3 WHERE id = ?1",
                    rusqlite::params![id, error, now],
                )?;
                JobState::Failed
            }
            JobResult::Failed { error, retry_in } => {
                tx.execute(
                    "UPDATE jobs SET state = 'queued', lease_until = NULL, worker = NULL,
                            last_error = ?2, run_at = ?3 WHERE id = ?1",
                    rusqlite::params![id, error, stamp(later(retry_in))],
                )?;
                JobState::Queued
            }
        };
        tx.commit()?;
        Ok(Some(state))
    };
    match run(store) {
        Ok(Some(state)) => Ok(state),
        Ok(None) => Err(StoreError::NotFound {
            path,
            what: format!(
                "job {id} held by {worker} (its lease ran out, or it is no job of this worker)"
            ),
        }),
        Err(e) => Err(backend(&path, e)),
    }
}

pub(super) fn jobs(store: &SqliteStore) -> Result<Vec<JobRecord>> {
    let rows = (|| -> rusqlite::Result<Vec<_>> {
        let mut stmt = store.conn.prepare(
            "SELECT id, kind, payload, key, state, attempts, max_attempts, run_at, lease_until,
                    worker, last_error, created_at, finished_at
             FROM jobs ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
                r.get::<_, String>(11)?,
                r.get::<_, Option<String>>(12)?,
            ))
        })?;
        rows.collect()
    })()
    .map_err(|e| store.backend(e))?;
    let corrupt = |reason: String| StoreError::Backend {
        path: store.path.clone(),
        reason,
    };
    rows.into_iter()
        .map(|r| {
            Ok(JobRecord {
                id: r.0,
                kind: r.1,
                payload: r.2,
                key: r.3,
                state: JobState::parse(&r.4)
                    .ok_or_else(|| corrupt(format!("unknown job state {:?}", r.4)))?,
                attempts: r.5,
                max_attempts: r.6,
                run_at: time(&r.7).map_err(corrupt)?,
                lease_until: r.8.as_deref().map(time).transpose().map_err(corrupt)?,
                worker: r.9,
                last_error: r.10,
                created_at: time(&r.11).map_err(corrupt)?,
                finished_at: r.12.as_deref().map(time).transpose().map_err(corrupt)?,
            })
        })
        .collect()
}
