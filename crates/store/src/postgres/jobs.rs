//! SQL of the queue of work (PostgreSQL): workers claim jobs with `FOR
//! UPDATE SKIP LOCKED`, so that any number of them, in any number of
//! processes and machines, take different jobs without waiting on each
//! other.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::PgStore;
use crate::{Job, JobRecord, JobResult, JobState, NewJob, Result, StoreError};

fn later(d: Duration) -> DateTime<Utc> {
    Utc::now() + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

fn attempts(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

pub(super) fn enqueue(store: &mut PgStore, job: &NewJob<'_>) -> Result<(i64, bool)> {
    let max = i32::try_from(job.max_attempts.max(1)).unwrap_or(i32::MAX);
    store.write(|c| {
        if let Some(key) = job.key {
            // one open job per key: serialise the check and the insert
            c.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&key])?;
            if let Some(r) = c.query_opt(
                "SELECT id FROM jobs WHERE key = $1 AND state IN ('queued', 'running')",
                &[&key],
            )? {
                return Ok((r.get(0), false));
            }
        }
        let now = Utc::now();
        let id: i64 = c
            .query_one(
                "INSERT INTO jobs (kind, payload, key, max_attempts, run_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                &[&job.kind, &job.payload, &job.key, &max, &now],
            )?
            .get(0);
        Ok((id, true))
    })
}

pub(super) fn claim_job(store: &mut PgStore, worker: &str, lease: Duration) -> Result<Option<Job>> {
    let until = later(lease);
    store.write(|c| {
        let row = c.query_opt(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $2,
                    worker = $3
             WHERE id = (
                 SELECT id FROM jobs
                 WHERE (state = 'queued' AND run_at <= $1)
                    OR (state = 'running' AND lease_until < $1)
                 ORDER BY run_at, id
                 FOR UPDATE SKIP LOCKED
                 LIMIT 1)
             RETURNING id, kind, payload, attempts, max_attempts",
            &[&Utc::now(), &until, &worker],
        )?;
        Ok(row.map(|r| Job {
            id: r.get(0),
            kind: r.get(1),
            payload: r.get(2),
            attempts: attempts(r.get(3)),
            max_attempts: attempts(r.get(4)),
            lease_until: until,
        }))
    })
}

pub(super) fn finish_job(
    store: &mut PgStore,
    id: i64,
    worker: &str,
    result: JobResult<'_>,
) -> Result<JobState> {
    let state = store.write(|c| {
        let Some(held) = c.query_opt(
            "SELECT attempts, max_attempts FROM jobs
             WHERE id = $1 AND state = 'running' AND worker = $2 FOR UPDATE",
            &[&id, &worker],
        )?
        else {
            return Ok(None);
        };
        let (done, max): (i32, i32) = (held.get(0), held.get(1));
        let now = Utc::now();
        Ok(Some(match result {
            JobResult::Done => {
                c.execute(
                    "UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL,
                            finished_at = $2 WHERE id = $1",
                    &[&id, &now],
                )?;
                JobState::Done
            }
            JobResult::Failed { error, .. } if done >= max => {
                c.execute(
                    "UPDATE jobs SET state = 'failed', lease_until = NULL, last_error = $2,
                            finished_at = $3 WHERE id = $1",
                    &[&id, &error, &now],
                )?;
                JobState::Failed
            }
            JobResult::Failed { error, retry_in } => {
                c.execute(
                    "UPDATE jobs SET state = 'queued', lease_until = NULL, worker = NULL,
                            last_error = $2, run_at = $3 WHERE id = $1",
                    &[&id, &error, &later(retry_in)],
                )?;
                JobState::Queued
            }
        }))
    })?;
    state.ok_or_else(|| StoreError::NotFound {
        path: store.name().to_path_buf(),
        what: format!(
            "job {id} held by {worker} (its lease ran out, or it is no job of this worker)"
        ),
    })
}

pub(super) fn jobs(store: &PgStore) -> Result<Vec<JobRecord>> {
    let rows = store.read(|c| {
        c.query(
            "SELECT id, kind, payload, key, state, attempts, max_attempts, run_at, lease_until,
                    worker, last_error, created_at, finished_at
             FROM jobs ORDER BY id",
            &[],
        )
    })?;
    rows.iter()
        .map(|r| {
            let state: String = r.get(4);
            Ok(JobRecord {
                id: r.get(0),
                kind: r.get(1),
                payload: r.get(2),
                key: r.get(3),
                state: JobState::parse(&state).ok_or_else(|| StoreError::Backend {
                    path: store.name().to_path_buf(),
                    reason: format!("unknown job state {state:?}"),
                })?,
                attempts: attempts(r.get(5)),
                max_attempts: attempts(r.get(6)),
                run_at: r.get(7),
                lease_until: r.get(8),
                worker: r.get(9),
                last_error: r.get(10),
                created_at: r.get(11),
                finished_at: r.get(12),
            })
        })
        .collect()
}
