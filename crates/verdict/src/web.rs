//! Reviews from the web: one page by its URL, and followed feeds.
//!
//! Every page goes through the same [`pipeline::ingest`] as a file. A feed
//! is followed once ([`follow`]) and synced as often as wanted ([`sync`]):
//! each sync asks for the feed with the validators of the last answer
//! (conditional GET), reads only the entries it has not seen, and records
//! what became of each. An entry's own text is used when the feed carries
//! the full review, else its page is fetched. A failed entry is tried again
//! by later syncs, up to [`MAX_ATTEMPTS`] times in all; one broken entry
//! never stops the others, and nothing stored is touched by a failure.

use serde::Serialize;
use std::collections::{HashMap, HashSet};
use verdict_fetch::feed::Entry;
use verdict_fetch::{Fetched, Fetcher, Validators};
use verdict_judge::Judge;
use verdict_source::RawDocument;
use verdict_store::{EntryAttempt, EntryState, FeedRecord, FeedSync, Store, StoreError};

use crate::pipeline::{self, Outcome};

/// Attempts at a failing entry before syncs give up on it.
pub const MAX_ATTEMPTS: u32 = 3;

/// Fetches one page and ingests it. The review's source is the URL the
/// page was read from (after redirects). A page stored already from the
/// same URL is the same review, even when its bytes changed since (ads,
/// timestamps): it is reported as a duplicate, and not fetched again. What
/// is stored is part of `run`, when there is one.
pub fn ingest_url(
    store: &mut dyn Store,
    judge: &Judge,
    fetcher: &Fetcher,
    url: &str,
    run: Option<i64>,
) -> (String, Outcome) {
    if let Some(outcome) = stored_from(store, url) {
        return (url.to_string(), outcome);
    }
    match fetcher.document(url) {
        Ok(raw) => {
            let outcome = match stored_from(store, &raw.origin) {
                Some(outcome) => outcome,
                None => pipeline::ingest(store, judge, &raw, run),
            };
            (raw.origin, outcome)
        }
        Err(e) => (
            url.to_string(),
            Outcome::Failed {
                error: e.to_string(),
            },
        ),
    }
}

/// The review stored from `url`, as a duplicate outcome; a store error
/// is a failure.
fn stored_from(store: &dyn Store, url: &str) -> Option<Outcome> {
    match store.review_by_source(url) {
        Ok(Some((review_id, film_id))) => Some(Outcome::Duplicate { review_id, film_id }),
        Ok(None) => None,
        Err(e) => Some(Outcome::Failed {
            error: e.to_string(),
        }),
    }
}

/// What [`follow`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Followed {
    pub url: String,
    pub title: Option<String>,
    /// False when the feed was followed already.
    pub new: bool,
    /// Entries the feed lists now, readable or not.
    pub entries: usize,
    pub broken: usize,
}

/// Why a feed cannot be followed.
#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    /// It cannot be fetched (the message starts with the URL).
    #[error(transparent)]
    Fetch(#[from] verdict_fetch::FetchError),
    /// What came back is not a feed.
    #[error("{url}: {source}")]
    NotAFeed {
        url: String,
        #[source]
        source: verdict_fetch::feed::FeedError,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Follows a feed: fetches it to check it is one, and records it. Its
/// entries are read by the next [`sync`].
pub fn follow(
    store: &mut dyn Store,
    fetcher: &Fetcher,
    url: &str,
) -> Result<Followed, FollowError> {
    let page = fetcher.fetch(url)?;
    let feed = verdict_fetch::feed::parse(&page.bytes, &page.url).map_err(|source| {
        FollowError::NotAFeed {
            url: url.to_string(),
            source,
        }
    })?;
    let (record, new) = store.follow_feed(url, feed.title.as_deref())?;
    Ok(Followed {
        url: record.url,
        title: record.title,
        new,
        entries: feed.entries.len() + feed.broken.len(),
        broken: feed.broken.len(),
    })
}

/// How the feed itself fared in a sync.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum FeedStatus {
    /// Fetched and read: how many entries it lists.
    Read { entries: usize },
    /// The server said nothing changed.
    NotModified,
    /// Fetching or reading it failed.
    Failed { error: String },
}

/// What a sync did with one entry.
#[derive(Debug, Clone, Serialize)]
pub struct EntryReport {
    /// The entry's link, or its key when it has none.
    pub source: String,
    pub title: Option<String>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// An entry of the feed that could not be read at all.
#[derive(Debug, Clone, Serialize)]
pub struct BrokenReport {
    pub position: usize,
    pub title: Option<String>,
    pub error: String,
}

/// What a sync did with one feed.
#[derive(Debug, Clone, Serialize)]
pub struct FeedReport {
    pub url: String,
    pub title: Option<String>,
    #[serde(flatten)]
    pub status: FeedStatus,
    /// The entries tried in this sync (new ones, and failed ones again).
    pub entries: Vec<EntryReport>,
    pub broken: Vec<BrokenReport>,
    /// Entries of the feed already done by earlier syncs.
    pub known: usize,
}

impl FeedReport {
    /// Whether anything failed: the feed, an entry, a broken entry.
    pub fn failed(&self) -> bool {
        matches!(self.status, FeedStatus::Failed { .. })
            || !self.broken.is_empty()
            || self
                .entries
                .iter()
                .any(|e| matches!(e.outcome, Outcome::Failed { .. }))
    }
}

/// Syncs every followed feed, in the order they were followed; what is
/// stored is part of `run`, when there is one.
pub fn sync(
    store: &mut dyn Store,
    judge: &Judge,
    fetcher: &Fetcher,
    run: Option<i64>,
) -> Result<Vec<FeedReport>, StoreError> {
    let feeds = store.feeds()?;
    let mut reports = Vec::with_capacity(feeds.len());
    for feed in &feeds {
        reports.push(sync_feed(store, judge, fetcher, feed, run)?);
    }
    Ok(reports)
}

/// Syncs one feed (what is stored is part of `run`, when there is one).
/// Only the store failing is an error; everything the web does wrong is in
/// the report.
pub fn sync_feed(
    store: &mut dyn Store,
    judge: &Judge,
    fetcher: &Fetcher,
    feed: &FeedRecord,
    run: Option<i64>,
) -> Result<FeedReport, StoreError> {
    let seen: HashMap<String, (EntryState, u32, Option<String>, Option<String>)> = store
        .feed_entries(feed.id)?
        .into_iter()
        .map(|e| (e.key, (e.state, e.attempts, e.link, e.title)))
        .collect();
    let done = |key: &str| {
        seen.get(key).is_some_and(|(state, attempts, ..)| {
            *state != EntryState::Failed || *attempts >= MAX_ATTEMPTS
        })
    };
    let mut report = FeedReport {
        url: feed.url.clone(),
        title: feed.title.clone(),
        status: FeedStatus::NotModified,
        entries: Vec::new(),
        broken: Vec::new(),
        known: 0,
    };
    let mut tried: HashSet<String> = HashSet::new();
    let validators = Validators {
        etag: feed.etag.clone(),
        last_modified: feed.last_modified.clone(),
    };
    let fetched = fetcher
        .fetch_if_changed(&feed.url, &validators)
        .map_err(|e| e.to_string())
        .and_then(|f| match f {
            Fetched::NotModified => Ok(None),
            Fetched::Page(page) => verdict_fetch::feed::parse(&page.bytes, &page.url)
                .map(|parsed| Some((page, parsed)))
                .map_err(|e| format!("{}: {e}", feed.url)),
        });
    match fetched {
        Err(error) => {
            store.record_feed_sync(
                feed.id,
                &FeedSync {
                    error: Some(&error),
                    ..FeedSync::default()
                },
            )?;
            report.status = FeedStatus::Failed { error };
        }
        Ok(None) => {
            store.record_feed_sync(feed.id, &FeedSync::default())?;
        }
        Ok(Some((page, parsed))) => {
            report.status = FeedStatus::Read {
                entries: parsed.entries.len() + parsed.broken.len(),
            };
            if parsed.title.is_some() {
                report.title = parsed.title.clone();
            }
            for entry in &parsed.entries {
                if done(&entry.key) || !tried.insert(entry.key.clone()) {
                    report.known += 1;
                    continue;
                }
                let outcome = match entry.link.as_deref().and_then(|l| stored_from(store, l)) {
                    Some(outcome) => outcome,
                    None => match document_of(entry, &feed.url, fetcher) {
                        Ok(raw) => pipeline::ingest(store, judge, &raw, run),
                        Err(error) => Outcome::Failed { error },
                    },
                };
                record(
                    store,
                    feed.id,
                    &entry.key,
                    entry.link.as_deref(),
                    entry.title.as_deref(),
                    &outcome,
                )?;
                report.entries.push(EntryReport {
                    source: entry.link.clone().unwrap_or_else(|| entry.key.clone()),
                    title: entry.title.clone(),
                    outcome,
                });
            }
            report.broken = parsed
                .broken
                .iter()
                .map(|b| BrokenReport {
                    position: b.position,
                    title: b.title.clone(),
                    error: b.reason.clone(),
                })
                .collect();
            store.record_feed_sync(
                feed.id,
                &FeedSync {
                    title: parsed.title.as_deref(),
                    validators: Some((
                        page.validators.etag.as_deref(),
                        page.validators.last_modified.as_deref(),
                    )),
                    error: None,
                },
            )?;
        }
    }
    // Entries that failed before and are not in the feed's answer this time
    // (not modified, gone from the feed, or the feed failed): their pages
    // are tried again.
    let mut retry: Vec<(&String, &Option<String>, &Option<String>)> = seen
        .iter()
        .filter(|(key, (state, attempts, link, _))| {
            *state == EntryState::Failed
                && *attempts < MAX_ATTEMPTS
                && link.is_some()
                && !tried.contains(*key)
        })
        .map(|(key, (_, _, link, title))| (key, link, title))
        .collect();
    retry.sort();
    for (key, link, title) in retry {
        let Some(link) = link else { continue };
        let (_, outcome) = ingest_url(store, judge, fetcher, link, run);
        record(store, feed.id, key, Some(link), title.as_deref(), &outcome)?;
        report.entries.push(EntryReport {
            source: link.clone(),
            title: title.clone(),
            outcome,
        });
    }
    Ok(report)
}

/// The document an entry stands for: its own text when the feed carries
/// the full review, else its page, else whatever text it has.
fn document_of(entry: &Entry, feed_url: &str, fetcher: &Fetcher) -> Result<RawDocument, String> {
    if let Some(doc) = entry.full_text(feed_url) {
        return Ok(doc);
    }
    match &entry.link {
        Some(link) => fetcher.document(link).map_err(|e| e.to_string()),
        None => entry
            .own_text(feed_url)
            .ok_or_else(|| format!("{}: no link and no content", entry.key)),
    }
}

fn record(
    store: &mut dyn Store,
    feed_id: i64,
    key: &str,
    link: Option<&str>,
    title: Option<&str>,
    outcome: &Outcome,
) -> Result<(), StoreError> {
    let (state, review_id, error) = match outcome {
        Outcome::Stored { review_id, .. } => (EntryState::Stored, Some(*review_id), None),
        Outcome::Duplicate { review_id, .. } => (EntryState::Duplicate, Some(*review_id), None),
        Outcome::Failed { error } => (EntryState::Failed, None, Some(error.as_str())),
        // a listing page behind a feed entry: its first review stands for it
        Outcome::Listing { .. } => match outcome.first_review() {
            Some((review_id, _)) if outcome.stored_any() => {
                (EntryState::Stored, Some(review_id), None)
            }
            Some((review_id, _)) => (EntryState::Duplicate, Some(review_id), None),
            None => (
                EntryState::Failed,
                None,
                Some("no review item of the page could be stored"),
            ),
        },
    };
    store.record_feed_entry(
        feed_id,
        &EntryAttempt {
            key,
            link,
            title,
            state,
            review_id,
            error,
        },
    )
}
