//! Followed feeds and what syncing did with their entries.

use chrono::{DateTime, Utc};

/// A followed feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedRecord {
    pub id: i64,
    pub url: String,
    pub title: Option<String>,
    /// Validators of the last fetch that returned the feed.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub added_at: DateTime<Utc>,
    pub synced_at: Option<DateTime<Utc>>,
    /// Why the last sync of the feed itself failed.
    pub last_error: Option<String>,
}

/// What became of a feed entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryState {
    /// Its review was stored.
    Stored,
    /// Its document was stored already.
    Duplicate,
    /// It could not be fetched, read or stored (see the error).
    Failed,
}

impl EntryState {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Stored => "stored",
            EntryState::Duplicate => "duplicate",
            EntryState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<EntryState> {
        match s {
            "stored" => Some(EntryState::Stored),
            "duplicate" => Some(EntryState::Duplicate),
            "failed" => Some(EntryState::Failed),
            _ => None,
        }
    }
}

/// A feed entry as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntryRecord {
    pub feed_id: i64,
    /// The entry's id in the feed, else its link.
    pub key: String,
    pub link: Option<String>,
    pub title: Option<String>,
    pub state: EntryState,
    pub review_id: Option<i64>,
    /// How many syncs have tried it.
    pub attempts: u32,
    /// Why the last attempt failed (state `Failed`).
    pub error: Option<String>,
    pub first_seen_at: DateTime<Utc>,
    pub last_attempt_at: DateTime<Utc>,
}

/// One attempt at a feed entry, to record.
#[derive(Debug, Clone, Copy)]
pub struct EntryAttempt<'a> {
    pub key: &'a str,
    pub link: Option<&'a str>,
    pub title: Option<&'a str>,
    pub state: EntryState,
    pub review_id: Option<i64>,
    /// Required when `state` is `Failed`, ignored otherwise.
    pub error: Option<&'a str>,
}

/// What a sync learnt about the feed itself, to record.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeedSync<'a> {
    /// The feed's title, when it was fetched (unchanged when `None`).
    pub title: Option<&'a str>,
    /// New validators, when the feed was fetched (unchanged when `None`).
    pub validators: Option<(Option<&'a str>, Option<&'a str>)>,
    /// Why fetching or reading the feed failed; `None` clears the last error.
    pub error: Option<&'a str>,
}
