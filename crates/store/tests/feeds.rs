//! Followed feeds and their entries in the SQLite store.

mod common;
use common::*;

use verdict_store::{EntryAttempt, EntryState, FeedSync, SqliteStore, Store, StoreError};

const URL: &str = "https://critic.example/feed.xml";

#[test]
fn following_twice_keeps_one_feed() {
    for mut store in stores() {
        let (feed, new) = store.follow_feed(URL, Some("A Critic")).unwrap();
        assert!(new);
        assert_eq!(feed.url, URL);
        assert_eq!(feed.title.as_deref(), Some("A Critic"));
        assert!(feed.synced_at.is_none() && feed.etag.is_none());
        let (again, new) = store.follow_feed(URL, Some("Renamed")).unwrap();
        assert!(!new);
        assert_eq!(again, feed, "following again changes nothing");
        store
            .follow_feed("https://other.example/atom", None)
            .unwrap();
        let urls: Vec<_> = store.feeds().unwrap().into_iter().map(|f| f.url).collect();
        assert_eq!(urls, [URL, "https://other.example/atom"]);
        assert!(matches!(
            store.follow_feed("", None),
            Err(StoreError::Rejected { .. })
        ));
    }
}

#[test]
fn syncs_record_validators_title_and_errors() {
    for mut store in stores() {
        let (feed, _) = store.follow_feed(URL, None).unwrap();
        store
            .record_feed_sync(
                feed.id,
                &FeedSync {
                    title: Some("A Critic"),
                    validators: Some((Some("\"v1\""), Some("Fri, 06 Sep 2024 09:00:00 GMT"))),
                    error: None,
                },
            )
            .unwrap();
        let f = &store.feeds().unwrap()[0];
        assert_eq!(f.title.as_deref(), Some("A Critic"));
        assert_eq!(f.etag.as_deref(), Some("\"v1\""));
        assert!(f.synced_at.is_some());
        // A failed sync keeps the validators and the title, and says why.
        store
            .record_feed_sync(
                feed.id,
                &FeedSync {
                    error: Some("HTTP 503"),
                    ..FeedSync::default()
                },
            )
            .unwrap();
        let f = &store.feeds().unwrap()[0];
        assert_eq!(f.etag.as_deref(), Some("\"v1\""));
        assert_eq!(f.title.as_deref(), Some("A Critic"));
        assert_eq!(f.last_error.as_deref(), Some("HTTP 503"));
        assert!(matches!(
            store.record_feed_sync(99, &FeedSync::default()),
            Err(StoreError::NotFound { .. })
        ));
    }
}

#[test]
fn entry_attempts_are_counted_and_replaced() {
    for mut store in stores() {
        let (feed, _) = store.follow_feed(URL, None).unwrap();
        let failed = EntryAttempt {
            key: "tag:1",
            link: Some("https://critic.example/1"),
            title: Some("Red Rooms review"),
            state: EntryState::Failed,
            review_id: None,
            error: Some("HTTP 500"),
        };
        store.record_feed_entry(feed.id, &failed).unwrap();
        store.record_feed_entry(feed.id, &failed).unwrap();
        store
            .record_feed_entry(
                feed.id,
                &EntryAttempt {
                    key: "tag:2",
                    link: None,
                    title: None,
                    state: EntryState::Duplicate,
                    review_id: None,
                    error: None,
                },
            )
            .unwrap();
        let entries = store.feed_entries(feed.id).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].key, "tag:1");
        assert_eq!(entries[0].attempts, 2);
        assert_eq!(entries[0].state, EntryState::Failed);
        assert_eq!(entries[0].error.as_deref(), Some("HTTP 500"));
        // The third attempt succeeds: the error goes, the link stays.
        store
            .record_feed_entry(
                feed.id,
                &EntryAttempt {
                    link: None,
                    state: EntryState::Duplicate,
                    error: None,
                    ..failed
                },
            )
            .unwrap();
        let e = &store.feed_entries(feed.id).unwrap()[0];
        assert_eq!(
            (e.attempts, e.state, e.error.as_deref()),
            (3, EntryState::Duplicate, None)
        );
        assert_eq!(e.link.as_deref(), Some("https://critic.example/1"));
        assert!(store.feed_entries(99).unwrap().is_empty());
        assert!(matches!(
            store.record_feed_entry(99, &failed),
            Err(StoreError::Rejected { .. })
        ));
    }
}

#[test]
fn feeds_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        store.follow_feed(URL, Some("A Critic")).unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.feeds().unwrap()[0].title.as_deref(), Some("A Critic"));
}
