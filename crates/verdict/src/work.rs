//! The work `verdict work` processes take from the queue (the store's
//! `jobs`): what each kind of job is, how it is queued, and how one is
//! done. Any number of workers, on one machine (SQLite) or many
//! (PostgreSQL), share the queue; the store makes sure that no two take
//! the same job, and that a job whose worker died goes to another once its
//! lease runs out.
//!
//! | kind | payload | what it does |
//! |---|---|---|
//! | `sync-feed` | `{"feed_id": N}` | reads what is new in one followed feed |
//! | `fetch-page` | `{"url": "…"}` | fetches one page and ingests it |
//! | `refresh-stats` | `{}` | rebuilds the cached cross-film statistics |
//! | `rejudge` | `{}` | re-reads every review the judge of another model read ([`rejudge`]) |
//!
//! A job that stored reviews queues a statistics refresh (one at a time:
//! its key is `refresh-stats`). A job that fails — a feed or page that
//! cannot be fetched, a feed entry that failed — is tried again after
//! [`backoff`], up to [`MAX_ATTEMPTS`] attempts.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use verdict_fetch::Fetcher;
use verdict_judge::Judge;
use verdict_store::{Job, JobResult, JobState, NewJob, Store, StoreError};

use crate::web::FeedStatus;

/// Attempts a job gets before it is failed for good.
pub const MAX_ATTEMPTS: u32 = 5;

/// What a job is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Work {
    SyncFeed { feed_id: i64 },
    FetchPage { url: String },
    RefreshStats,
    Rejudge,
}

impl Work {
    pub fn kind(&self) -> &'static str {
        match self {
            Work::SyncFeed { .. } => "sync-feed",
            Work::FetchPage { .. } => "fetch-page",
            Work::RefreshStats => "refresh-stats",
            Work::Rejudge => "rejudge",
        }
    }

    /// What it is about: one queued or running job per key.
    pub fn key(&self) -> String {
        match self {
            Work::SyncFeed { feed_id } => format!("sync-feed {feed_id}"),
            Work::FetchPage { url } => format!("fetch-page {url}"),
            Work::RefreshStats => "refresh-stats".to_string(),
            Work::Rejudge => "rejudge".to_string(),
        }
    }

    /// Reads a claimed job back.
    pub fn of(job: &Job) -> Result<Work, String> {
        let mut payload: serde_json::Value = serde_json::from_str(&job.payload)
            .map_err(|e| format!("job {}: payload is not JSON: {e}", job.id))?;
        if let Some(obj) = payload.as_object_mut() {
            obj.insert("kind".into(), job.kind.clone().into());
        }
        serde_json::from_value(payload).map_err(|e| {
            format!(
                "job {} ({}): not a job Verdict knows: {e}",
                job.id, job.kind
            )
        })
    }

    /// Queues it: `(job id, whether it is new)` (a job of the same key
    /// already waiting is the answer instead).
    pub fn enqueue(&self, store: &mut dyn Store) -> Result<(i64, bool), StoreError> {
        let mut payload = serde_json::to_value(self).unwrap_or_default();
        if let Some(obj) = payload.as_object_mut() {
            obj.remove("kind");
        }
        let payload = payload.to_string();
        let key = self.key();
        store.enqueue(&NewJob {
            kind: self.kind(),
            payload: &payload,
            key: Some(&key),
            max_attempts: MAX_ATTEMPTS,
        })
    }
}

/// How long a failed attempt waits before the next: `base` doubled for
/// each attempt made, at most an hour.
pub fn backoff(base: Duration, attempts: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(16));
    base.saturating_mul(factor).min(Duration::from_secs(3600))
}

/// What became of one job.
#[derive(Debug, Clone, Serialize)]
pub struct Done {
    pub job: i64,
    pub kind: String,
    pub attempt: u32,
    /// "done", "queued" (to be tried again), "failed".
    pub state: &'static str,
    /// What it did ("3 stored, 1 already stored"), or why it failed.
    pub said: String,
}

/// A worker: its name (in the jobs it holds), how long it holds a job,
/// and the delay of a first retry.
pub struct Worker<'a> {
    pub name: String,
    pub lease: Duration,
    pub retry_base: Duration,
    pub judge: &'a Judge,
    pub fetcher: &'a Fetcher,
}

impl Worker<'_> {
    /// Claims and does the next job, if one is waiting.
    pub fn next(&self, store: &mut dyn Store) -> Result<Option<Done>, StoreError> {
        let Some(job) = store.claim_job(&self.name, self.lease)? else {
            return Ok(None);
        };
        let outcome = match Work::of(&job) {
            Ok(work) => self.perform(store, &work, job.id),
            Err(e) => Err(e),
        };
        let (result, said) = match &outcome {
            Ok(said) => (JobResult::Done, said.clone()),
            Err(error) => (
                JobResult::Failed {
                    error,
                    retry_in: backoff(self.retry_base, job.attempts),
                },
                error.clone(),
            ),
        };
        let state = match store.finish_job(job.id, &self.name, result) {
            Ok(state) => state,
            // Its lease ran out and another worker took it: that one's
            // word counts (what this one stored is stored once: reviews
            // are known by their content).
            Err(StoreError::NotFound { .. }) => JobState::Running,
            Err(e) => return Err(e),
        };
        Ok(Some(Done {
            job: job.id,
            kind: job.kind,
            attempt: job.attempts,
            state: state.as_str(),
            said,
        }))
    }

    /// Does one job; `Err` is why it failed (to be tried again).
    fn perform(&self, store: &mut dyn Store, work: &Work, job: i64) -> Result<String, String> {
        let text = |e: StoreError| e.to_string();
        match work {
            Work::SyncFeed { feed_id } => {
                let feed = store
                    .feeds()
                    .map_err(text)?
                    .into_iter()
                    .find(|f| f.id == *feed_id)
                    .ok_or_else(|| format!("feed {feed_id}: no longer followed"))?;
                let run = store
                    .begin_run("work", &format!("job {job}: sync-feed {}", feed.url))
                    .map_err(text)?;
                let report =
                    crate::web::sync_feed(store, self.judge, self.fetcher, &feed, Some(run));
                let _ = store.finish_run(run);
                let report = report.map_err(text)?;
                if let FeedStatus::Failed { error } = &report.status {
                    return Err(format!("{}: {error}", feed.url));
                }
                let stored = report
                    .entries
                    .iter()
                    .filter(|e| e.outcome.stored_any())
                    .count();
                let failed = report
                    .entries
                    .iter()
                    .filter(|e| matches!(e.outcome, crate::pipeline::Outcome::Failed { .. }))
                    .count();
                if stored > 0 {
                    Work::RefreshStats.enqueue(store).map_err(text)?;
                }
                if failed > 0 {
                    // tried again with the job (the feed's own record
                    // stops trying an entry after its third failure)
                    return Err(format!(
                        "{}: {failed} of {} entries failed ({stored} stored); tried again",
                        feed.url,
                        report.entries.len()
                    ));
                }
                Ok(format!(
                    "{}: {stored} stored, {} tried, {failed} failed",
                    feed.url,
                    report.entries.len()
                ))
            }
            Work::FetchPage { url } => {
                let run = store
                    .begin_run("work", &format!("job {job}: fetch-page {url}"))
                    .map_err(text)?;
                let (source, outcome) =
                    crate::web::ingest_url(store, self.judge, self.fetcher, url, Some(run));
                let _ = store.finish_run(run);
                match &outcome {
                    crate::pipeline::Outcome::Failed { error } => Err(format!("{source}: {error}")),
                    o => {
                        if o.stored_any() {
                            Work::RefreshStats.enqueue(store).map_err(text)?;
                        }
                        Ok(format!(
                            "{source}: {}",
                            if o.stored_any() {
                                "stored"
                            } else {
                                "already stored"
                            }
                        ))
                    }
                }
            }
            Work::RefreshStats => {
                verdict_present::refresh_stats(store).map_err(text)?;
                Ok("statistics rebuilt".to_string())
            }
            Work::Rejudge => {
                let done = rejudge(store, self.judge).map_err(text)?;
                Ok(format!(
                    "{} of {} reviews read again by {}",
                    done.changed,
                    done.reviews,
                    self.judge.name()
                ))
            }
        }
    }
}

/// What re-judging did.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Rejudged {
    /// Reviews looked at.
    pub reviews: u64,
    /// Reviews read by another model, read again.
    pub changed: u64,
}

/// The passages of a review stored before its passages were kept (V10),
/// as near as its text tells: its paragraphs, those written `> …` quotes
/// (never judged), the last long paragraph of the critic's own the closing
/// verdict. (A headline that said more than the title was read too, and
/// is not in the text: such a review may read a little differently.)
fn passages_of(body: &str) -> Vec<verdict_core::Passage> {
    use verdict_core::{Passage, Role};
    let mut passages: Vec<Passage> = body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| match p.strip_prefix("> ") {
            Some(q) => Passage {
                text: q.to_string(),
                role: Role::Quote,
            },
            None => Passage {
                text: p.to_string(),
                role: Role::Body,
            },
        })
        .collect();
    if let Some(last) = passages
        .iter_mut()
        .rev()
        .find(|p| p.role == Role::Body && p.text.split_whitespace().count() >= 12)
    {
        last.role = Role::Verdict;
    }
    passages
}

/// Re-reads every stored review that a judge of another model read (after
/// a shipped model changed, or a French review stored before the French
/// judge), with `judge`: the same assessment a review
/// stored today gets from its rating and its text ([`Judge::assess`]);
/// then rebuilds the cached statistics. Reviews already read by this model
/// are left as they are, so that running it again does nothing.
pub fn rejudge(store: &mut dyn Store, judge: &Judge) -> Result<Rejudged, StoreError> {
    let mut done = Rejudged::default();
    for film in store.films()? {
        for r in store.reviews_of(film.id)? {
            done.reviews += 1;
            let text = r.body.trim();
            if text.is_empty() {
                continue;
            }
            // the passages it was read from when stored (V10); an export's
            // row is its text whole; an older review's body, in paragraphs
            let reading = match &r.passages {
                Some(passages) => judge.read(passages),
                None if verdict_core::is_import_format(&r.format) => judge.read_text(text),
                None => judge.read(&passages_of(&r.body)),
            };
            // Read by the model that reads it today (the English judge's,
            // or the French judge's for a French text): nothing to change.
            if r.judge_model.as_deref() == Some(reading.judgement.model.as_str()) {
                continue;
            }
            let mut notes = Vec::new();
            let assessment = judge.assess(reading, r.rating.as_ref(), true, &mut notes);
            if assessment.unjudged() && r.unjudged() {
                // Still nothing this judge can read: nothing to change, and
                // nothing to do again next time.
                continue;
            }
            store.update_assessment(r.id, &assessment)?;
            done.changed += 1;
        }
    }
    if done.changed > 0 {
        verdict_present::refresh_stats(store)?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_round_trips_through_a_job() {
        for work in [
            Work::SyncFeed { feed_id: 3 },
            Work::FetchPage {
                url: "https://example.org/r".into(),
            },
            Work::RefreshStats,
            Work::Rejudge,
        ] {
            let mut store = verdict_store::SqliteStore::open_in_memory().unwrap();
            let (id, new) = work.enqueue(&mut store).unwrap();
            assert!(new);
            assert_eq!(
                work.enqueue(&mut store).unwrap(),
                (id, false),
                "one per key"
            );
            let job = store
                .claim_job("t", Duration::from_secs(5))
                .unwrap()
                .unwrap();
            assert_eq!(Work::of(&job).unwrap(), work);
        }
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 4), Duration::from_secs(240));
        assert_eq!(backoff(base, 40), Duration::from_secs(3600));
    }
}
