//! The plain types of the queue of work: jobs that `verdict work`
//! processes take from the database (the [`crate::Store`] methods that
//! take them are documented on the trait).

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for its `run_at`, then for a worker.
    Queued,
    /// Held by a worker until its lease runs out.
    Running,
    Done,
    /// Its attempts used up; `last_error` says why.
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        Some(match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            _ => return None,
        })
    }
}

/// A job to queue.
#[derive(Debug, Clone, Copy)]
pub struct NewJob<'a> {
    /// "sync-feed", "fetch-page", "rejudge", "refresh-stats".
    pub kind: &'a str,
    /// Its arguments, as JSON.
    pub payload: &'a str,
    /// What it is about ("sync-feed 3"): while a job with the same key is
    /// queued or running, queueing another gives that one.
    pub key: Option<&'a str>,
    pub max_attempts: u32,
}

/// A job a worker has claimed.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// This attempt's number (1 for the first).
    pub attempts: u32,
    pub max_attempts: u32,
    /// Until when this worker holds it.
    pub lease_until: DateTime<Utc>,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
pub enum JobResult<'a> {
    Done,
    /// It failed: queued again after `retry_in` while attempts are left,
    /// else failed for good.
    Failed {
        error: &'a str,
        retry_in: Duration,
    },
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub key: Option<String>,
    pub state: JobState,
    pub attempts: u32,
    pub max_attempts: u32,
    pub run_at: DateTime<Utc>,
    pub lease_until: Option<DateTime<Utc>>,
    pub worker: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}
