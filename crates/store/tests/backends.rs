//! The store's rules on both backends: every test here runs the same
//! calls on an in-memory SQLite database and on a fresh database of a
//! real PostgreSQL server (Debian's, started by the test-support crate in
//! a temporary folder), and the two must give the same answers.
//! Without PostgreSQL the PostgreSQL half is skipped visibly (under
//! `VERDICT_REQUIRE_POSTGRES=1`, as in CI, it fails instead).

mod common;
use common::*;

use chrono::{NaiveDate, TimeZone, Utc};
use verdict_core::{
    Aspect, Assessment, Confidence, Diagnostic, Judgement, PublishedScore, Rating, Review, Span,
    Verdict,
};
use verdict_store::{
    Alias, Database, EntryAttempt, EntryState, FeedSync, FilmChoice, NewReview, PgStore, Put,
    Removal, Store, StoreError, StoredReview,
};

fn review(hash: &str) -> Review {
    Review {
        source: format!("/reviews/{hash}.html"),
        content_hash: hash.to_string(),
        format: "html".to_string(),
        title_seen: Some("Red Rooms review – a chilling descent".to_string()),
        film_title: Some("Red Rooms".to_string()),
        year: Some(2023),
        aliases: vec!["Les Chambres Rouges".to_string()],
        critic: Some("Ada Critic".to_string()),
        outlet: Some("Little White Lies".to_string()),
        date: NaiveDate::from_ymd_opt(2024, 9, 6),
        body: "A cold, precise thriller.\n\nIt lingers. « Très bien » — 4½ ★".to_string(),
        passages: Vec::new(),
        rating: Some(Rating {
            raw: "4/5".to_string(),
            value: 4.0,
            best: 5.0,
            worst: 0.0,
            score: 80.0,
            scale: "x/5".to_string(),
            confidence: Confidence::High,
            span: Some(Span::new(120, 123)),
        }),
        aspects: vec![
            Aspect {
                name: "Anticipation".to_string(),
                raw: "3".to_string(),
                value: 3.0,
                best: 5.0,
                score: 60.0,
                span: Some(Span::new(200, 201)),
            },
            Aspect {
                name: "Enjoyment".to_string(),
                raw: "4".to_string(),
                value: 4.0,
                best: 5.0,
                score: 80.0,
                span: None,
            },
        ],
        source_verdict: Some(Verdict::Positive),
        link: Some("https://example.org/red-rooms".to_string()),
    }
}

fn plain(hash: &str, date: Option<NaiveDate>) -> Review {
    Review {
        rating: None,
        aspects: Vec::new(),
        source_verdict: None,
        link: None,
        date,
        critic: None,
        outlet: None,
        ..review(hash)
    }
}

fn assessment(review: &Review) -> Assessment {
    let score = review.rating.as_ref().map_or(55.0, |r| r.score);
    Assessment {
        score,
        verdict: Verdict::from_score(score),
        confidence: 0.9,
        inferred: review.rating.is_none(),
        p_positive: Some(0.81),
        judgement: Some(Judgement {
            score: 74.5,
            verdict: Verdict::Positive,
            probability: 0.83,
            evidence: vec!["A cold, precise thriller.".to_string()],
            model: "linear-en-v1".to_string(),
        }),
    }
}

fn diagnostics() -> Vec<Diagnostic> {
    vec![
        Diagnostic::info("title.headline", "film title read from the headline"),
        Diagnostic::warning("date.guess", "date taken from the byline"),
    ]
}

fn put(store: &mut Database, review: &Review, film: FilmChoice, run: Option<i64>) -> Put {
    let a = assessment(review);
    let d = diagnostics();
    store
        .put(
            NewReview {
                review,
                assessment: &a,
                diagnostics: &d,
                run,
            },
            film,
        )
        .unwrap()
}

fn new_film(title: &str, year: Option<i32>, aliases: &[(&str, &str)]) -> FilmChoice {
    FilmChoice::New {
        title: title.to_string(),
        title_key: title.to_lowercase(),
        year,
        aliases: aliases.iter().map(|(t, k)| Alias::new(*t, *k)).collect(),
    }
}

fn inserted(p: Put) -> (i64, i64) {
    match p {
        Put::Inserted { review_id, film_id } => (review_id, film_id),
        Put::Duplicate { .. } | Put::Copy { .. } => panic!("expected an insert, got {p:?}"),
    }
}

/// A stored review with its stamp fixed, to compare across backends.
fn comparable(mut r: StoredReview) -> StoredReview {
    r.ingested_at = Utc.timestamp_opt(0, 0).unwrap();
    r
}

#[test]
fn a_review_reads_back_the_same_on_both() {
    let mut seen = Vec::new();
    for (name, mut store) in named_stores() {
        let r = review("h1");
        let (review_id, film_id) = inserted(put(
            &mut store,
            &r,
            new_film(
                "Red Rooms",
                Some(2023),
                &[("Les Chambres Rouges", "les chambres rouges")],
            ),
            None,
        ));
        let stored = store.review(review_id).unwrap().unwrap();
        assert_eq!(stored.film_id, film_id, "{name}");
        assert_eq!(stored.rating, r.rating, "{name}");
        assert_eq!(stored.aspects, r.aspects, "{name}");
        assert_eq!(stored.body, r.body, "{name}");
        assert_eq!(stored.date, r.date, "{name}");
        assert_eq!(stored.source_verdict, Some(Verdict::Positive), "{name}");
        assert_eq!(stored.link, r.link, "{name}");
        assert_eq!(stored.diagnostics, diagnostics(), "{name}");
        assert_eq!(stored.evidence, vec!["A cold, precise thriller."], "{name}");
        assert_eq!(stored.p_positive, Some(0.81), "{name}");
        let age = Utc::now() - stored.ingested_at;
        assert!(age.num_seconds().abs() < 60, "{name}: stamped now");
        let film = store.film(film_id).unwrap().unwrap();
        assert_eq!(film.aliases, vec!["Les Chambres Rouges"], "{name}");
        assert_eq!(store.contains("h1").unwrap(), Some(review_id), "{name}");
        assert_eq!(store.counts().unwrap(), (1, 1), "{name}");
        seen.push(comparable(stored));
    }
    if let [a, b] = seen.as_slice() {
        assert_eq!(a, b, "the same review on both backends");
    }
}

#[test]
fn duplicates_aliases_years_and_order_agree() {
    let mut answers = Vec::new();
    for (name, mut store) in named_stores() {
        let (_, film) = inserted(put(
            &mut store,
            &review("a"),
            new_film("Red Rooms", None, &[]),
            None,
        ));
        // the same hash again: a duplicate, nothing changes
        assert_eq!(
            put(&mut store, &review("a"), new_film("Other", None, &[]), None),
            Put::Duplicate {
                review_id: store.contains("a").unwrap().unwrap(),
                film_id: film
            },
            "{name}"
        );
        // an existing film gets a year and an alias
        inserted(put(
            &mut store,
            &plain("b", None),
            FilmChoice::Existing {
                id: film,
                year: Some(2023),
                new_aliases: vec![Alias::new("Les Chambres Rouges", "les chambres rouges")],
            },
            None,
        ));
        inserted(put(
            &mut store,
            &plain("c", NaiveDate::from_ymd_opt(2020, 1, 1)),
            FilmChoice::Existing {
                id: film,
                year: None,
                new_aliases: vec![],
            },
            None,
        ));
        inserted(put(
            &mut store,
            &plain("d", None),
            new_film("Amélie", Some(2001), &[]),
            None,
        ));
        inserted(put(
            &mut store,
            &plain("e", None),
            new_film("apocalypse now", Some(1979), &[]),
            None,
        ));
        // a missing film is an error that stores nothing
        let err = store
            .put(
                NewReview {
                    review: &plain("f", None),
                    assessment: &assessment(&plain("f", None)),
                    diagnostics: &[],
                    run: None,
                },
                FilmChoice::Existing {
                    id: 999_999,
                    year: None,
                    new_aliases: vec![],
                },
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{name}: {err}");
        assert_eq!(store.contains("f").unwrap(), None, "{name}");

        let by_alias = store
            .films_by_keys(&["les chambres rouges".to_string()])
            .unwrap();
        assert_eq!(by_alias.len(), 1, "{name}");
        let films: Vec<(String, Option<i32>)> = store
            .films()
            .unwrap()
            .into_iter()
            .map(|f| (f.title, f.year))
            .collect();
        let dates: Vec<Option<NaiveDate>> = store
            .reviews_of(film)
            .unwrap()
            .into_iter()
            .map(|r| r.date)
            .collect();
        answers.push((films, dates, store.counts().unwrap()));
    }
    let (films, dates, counts) = &answers[0];
    assert_eq!(
        films,
        &vec![
            ("Amélie".to_string(), Some(2001)),
            ("apocalypse now".to_string(), Some(1979)),
            ("Red Rooms".to_string(), Some(2023)),
        ]
    );
    // dated first, by date; undated last
    assert_eq!(dates[0], NaiveDate::from_ymd_opt(2020, 1, 1));
    assert_eq!(*counts, (3, 5));
    if let [a, b] = answers.as_slice() {
        assert_eq!(a, b, "both backends answer alike");
    }
}

#[test]
fn bad_numbers_are_refused_and_store_nothing() {
    for (name, mut store) in named_stores() {
        let mut r = review("nan");
        r.rating.as_mut().unwrap().score = f64::NAN;
        let a = assessment(&review("nan"));
        let err = store
            .put(
                NewReview {
                    review: &r,
                    assessment: &a,
                    diagnostics: &[],
                    run: None,
                },
                new_film("Red Rooms", None, &[]),
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::Rejected { .. }), "{name}: {err}");
        // the schema's own rule: a score over 100, film and all rolled back
        let r = plain("big", None);
        let mut a = assessment(&r);
        a.score = 140.0;
        let err = store
            .put(
                NewReview {
                    review: &r,
                    assessment: &a,
                    diagnostics: &[],
                    run: None,
                },
                new_film("Red Rooms", None, &[]),
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::Rejected { .. }), "{name}: {err}");
        assert!(
            err.to_string().contains("review_score_range"),
            "{name}: {err}"
        );
        assert_eq!(store.counts().unwrap(), (0, 0), "{name}");
    }
}

#[test]
fn runs_and_removals_agree() {
    let mut answers = Vec::new();
    for (name, mut store) in named_stores() {
        let run = store.begin_run("ingest", "ingest a b").unwrap();
        let (_, film) = inserted(put(
            &mut store,
            &plain("r1", None),
            new_film("Heat", Some(1995), &[]),
            Some(run),
        ));
        inserted(put(
            &mut store,
            &plain("r2", None),
            FilmChoice::Existing {
                id: film,
                year: None,
                new_aliases: vec![],
            },
            Some(run),
        ));
        let (_, other) = inserted(put(
            &mut store,
            &plain("r3", None),
            new_film("Ran", Some(1985), &[]),
            None,
        ));
        store.finish_run(run).unwrap();
        let record = store.run(run).unwrap().unwrap();
        assert_eq!(record.command, "ingest", "{name}");
        assert!(record.finished_at.is_some(), "{name}");
        assert!(store.finish_run(run + 1000).is_err(), "{name}");
        assert_eq!(store.review_count(film).unwrap(), 2, "{name}");

        let plan = store.removal(&Removal::Run(run)).unwrap();
        assert_eq!(plan.reviews.len(), 2, "{name}");
        assert_eq!(
            store.counts().unwrap(),
            (2, 3),
            "{name}: a plan changes nothing"
        );
        let removed = store.remove(&Removal::Run(run)).unwrap();
        assert_eq!(removed, plan, "{name}");
        assert_eq!(
            store.counts().unwrap(),
            (1, 1),
            "{name}: Heat went with its reviews"
        );
        assert!(store.film(film).unwrap().is_none(), "{name}");
        assert!(matches!(
            store.remove(&Removal::Run(run + 1000)).unwrap_err(),
            StoreError::NotFound { .. }
        ));
        let gone = store.remove(&Removal::Film(other)).unwrap();
        assert_eq!(gone.films.len(), 1, "{name}");
        assert_eq!(store.counts().unwrap(), (0, 0), "{name}");
        answers.push((
            plan.films
                .iter()
                .map(|f| (f.title.clone(), f.year, f.reviews, f.left))
                .collect::<Vec<_>>(),
            gone.films[0].title.clone(),
        ));
    }
    if let [a, b] = answers.as_slice() {
        assert_eq!(a, b);
    }
}

#[test]
fn feeds_and_their_entries_agree() {
    for (name, mut store) in named_stores() {
        let (feed, new) = store
            .follow_feed("https://example.org/feed.xml", Some("Example"))
            .unwrap();
        assert!(new, "{name}");
        let (again, new) = store
            .follow_feed("https://example.org/feed.xml", None)
            .unwrap();
        assert!(!new, "{name}");
        assert_eq!(again.id, feed.id, "{name}");
        for state in [EntryState::Failed, EntryState::Failed, EntryState::Stored] {
            store
                .record_feed_entry(
                    feed.id,
                    &EntryAttempt {
                        key: "entry-1",
                        link: Some("https://example.org/r/1"),
                        title: None,
                        state,
                        review_id: None,
                        error: Some("timed out"),
                    },
                )
                .unwrap();
        }
        let entries = store.feed_entries(feed.id).unwrap();
        assert_eq!(entries.len(), 1, "{name}");
        assert_eq!(entries[0].attempts, 3, "{name}");
        assert_eq!(entries[0].state, EntryState::Stored, "{name}");
        assert_eq!(entries[0].error, None, "{name}");
        store
            .record_feed_sync(
                feed.id,
                &FeedSync {
                    title: Some("Example reviews"),
                    validators: Some((Some("\"abc\""), None)),
                    error: None,
                },
            )
            .unwrap();
        let feeds = store.feeds().unwrap();
        assert_eq!(feeds[0].title.as_deref(), Some("Example reviews"), "{name}");
        assert_eq!(feeds[0].etag.as_deref(), Some("\"abc\""), "{name}");
        assert!(feeds[0].synced_at.is_some(), "{name}");
        assert!(
            store
                .record_feed_sync(feed.id + 99, &FeedSync::default())
                .is_err()
        );
    }
}

#[test]
fn listing_pages_and_published_scores_agree() {
    for (name, mut store) in named_stores() {
        let run = store.begin_run("ingest", "page").unwrap();
        let mut film = None;
        for n in 1..=3 {
            let mut r = plain(&format!("item{n}"), None);
            r.source = format!("/pages/heat#review-{n}");
            let choice = match film {
                None => new_film("Heat", Some(1995), &[]),
                Some(id) => FilmChoice::Existing {
                    id,
                    year: None,
                    new_aliases: vec![],
                },
            };
            film = Some(inserted(put(&mut store, &r, choice, Some(run))).1);
        }
        let film = film.unwrap();
        // another page whose name starts the same is not this page
        let mut r = plain("other", None);
        r.source = "/pages/heat2#review-1".to_string();
        inserted(put(
            &mut store,
            &r,
            FilmChoice::Existing {
                id: film,
                year: None,
                new_aliases: vec![],
            },
            None,
        ));
        let score = PublishedScore {
            site: "Rotten Tomatoes".to_string(),
            name: Some("Tomatometer".to_string()),
            value: 87.0,
            best: 100.0,
            worst: 0.0,
            count: Some(100),
            percent: true,
            source: "/pages/heat".to_string(),
            seen: None,
        };
        store.put_published(film, &score, Some(run)).unwrap();
        store
            .put_published(
                film,
                &PublishedScore {
                    value: 88.0,
                    ..score.clone()
                },
                Some(run),
            )
            .unwrap();
        let published = store.published(film).unwrap();
        assert_eq!(
            published.len(),
            1,
            "{name}: a later reading replaces the earlier"
        );
        assert_eq!(published[0].value, 88.0, "{name}");
        assert_eq!(
            published[0].summary(),
            "Rotten Tomatoes: 88 % of 100",
            "{name}"
        );
        let listed = store.reviews_from_page("/pages/heat").unwrap();
        assert_eq!(listed.len(), 3, "{name}");
        // removing the page's reviews takes its published score too
        let ids = listed.iter().map(|(id, _)| *id).collect();
        store.remove(&Removal::Reviews(ids)).unwrap();
        assert!(store.published(film).unwrap().is_empty(), "{name}");
        assert_eq!(store.counts().unwrap(), (1, 1), "{name}");
    }
}

#[test]
fn two_processes_storing_the_same_review_store_it_once() {
    let Some(pg) = verdict_testkit::postgres::shared() else {
        return;
    };
    let url = pg.database();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = Database::Postgres(PgStore::open(&url).unwrap());
                let mut outcomes = Vec::new();
                for n in 0..20 {
                    outcomes.push(put(
                        &mut store,
                        &plain(&format!("same-{n}"), None),
                        new_film(&format!("Film {n}"), None, &[]),
                        None,
                    ));
                }
                outcomes
            })
        })
        .collect();
    let outcomes: Vec<Put> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let inserted = outcomes.iter().filter(|p| !p.is_duplicate()).count();
    assert_eq!(inserted, 20, "each review stored once, whoever came first");
    let store = PgStore::open(&url).unwrap();
    let (films, reviews) = store.counts().unwrap();
    assert_eq!(reviews, 20);
    // a racing writer may have made a film for a review it then found
    // stored: that transaction rolled back, film included
    assert_eq!(films, 20);
}

#[test]
fn a_postgres_database_of_another_application_is_refused() {
    let Some(pg) = verdict_testkit::postgres::shared() else {
        return;
    };
    let url = pg.database();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY)")
        .unwrap();
    let err = PgStore::open(&url).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    // and a fresh one is brought to this build's version, once, even when
    // opened by several at once
    let url = pg.database();
    let opened: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgStore::open(&url).map(|s| s.schema_version().unwrap()))
        })
        .collect();
    for o in opened {
        assert_eq!(o.join().unwrap().unwrap(), PgStore::latest_schema_version());
    }
    // a password is never shown
    let err = PgStore::open(&format!(
        "postgres://postgres:hunter2@127.0.0.1:{}/no_such_db",
        pg.port()
    ))
    .unwrap_err()
    .to_string();
    assert!(!err.contains("hunter2"), "{err}");
    assert!(err.contains("***"), "{err}");
}

fn job<'a>(kind: &'a str, key: Option<&'a str>, max_attempts: u32) -> verdict_store::NewJob<'a> {
    verdict_store::NewJob {
        kind,
        payload: "{}",
        key,
        max_attempts,
    }
}

#[test]
fn the_queue_hands_out_retries_and_recovers_jobs_alike() {
    use std::time::Duration;
    use verdict_store::{JobResult, JobState};
    for (name, mut store) in named_stores() {
        // one open job per key
        let (a, new) = store
            .enqueue(&job("sync-feed", Some("sync-feed 1"), 2))
            .unwrap();
        assert!(new, "{name}");
        assert_eq!(
            store
                .enqueue(&job("sync-feed", Some("sync-feed 1"), 2))
                .unwrap(),
            (a, false),
            "{name}"
        );
        let (b, _) = store.enqueue(&job("refresh-stats", None, 1)).unwrap();

        // oldest first; a claimed job is nobody else's
        let first = store
            .claim_job("w1", Duration::from_secs(60))
            .unwrap()
            .unwrap();
        assert_eq!((first.id, first.attempts), (a, 1), "{name}");
        let second = store
            .claim_job("w2", Duration::from_secs(60))
            .unwrap()
            .unwrap();
        assert_eq!(second.id, b, "{name}");
        assert!(
            store
                .claim_job("w3", Duration::from_secs(60))
                .unwrap()
                .is_none(),
            "{name}"
        );

        // a failure with attempts left goes back to the queue, later
        let state = store
            .finish_job(
                a,
                "w1",
                JobResult::Failed {
                    error: "timed out",
                    retry_in: Duration::from_millis(300),
                },
            )
            .unwrap();
        assert_eq!(state, JobState::Queued, "{name}");
        assert!(
            store
                .claim_job("w3", Duration::from_secs(60))
                .unwrap()
                .is_none(),
            "{name}: not before its time"
        );
        std::thread::sleep(Duration::from_millis(400));
        let retried = store
            .claim_job("w3", Duration::from_millis(200))
            .unwrap()
            .unwrap();
        assert_eq!((retried.id, retried.attempts), (a, 2), "{name}");

        // w3 dies: its lease runs out, w4 takes the job, w3's word no longer counts
        std::thread::sleep(Duration::from_millis(300));
        let recovered = store
            .claim_job("w4", Duration::from_secs(60))
            .unwrap()
            .unwrap();
        assert_eq!((recovered.id, recovered.attempts), (a, 3), "{name}");
        assert!(matches!(
            store.finish_job(a, "w3", JobResult::Done).unwrap_err(),
            StoreError::NotFound { .. }
        ));
        // out of attempts: failed for good, with the reason
        let state = store
            .finish_job(
                a,
                "w4",
                JobResult::Failed {
                    error: "still timing out",
                    retry_in: Duration::ZERO,
                },
            )
            .unwrap();
        assert_eq!(state, JobState::Failed, "{name}");
        assert_eq!(
            store.finish_job(b, "w2", JobResult::Done).unwrap(),
            JobState::Done
        );

        let jobs = store.jobs().unwrap();
        assert_eq!(jobs.len(), 2, "{name}");
        assert_eq!(jobs[0].state, JobState::Failed, "{name}");
        assert_eq!(
            jobs[0].last_error.as_deref(),
            Some("still timing out"),
            "{name}"
        );
        assert!(jobs[0].finished_at.is_some(), "{name}");
        assert_eq!(jobs[1].state, JobState::Done, "{name}");
        // the key is free again once its job is over
        assert!(
            store
                .enqueue(&job("sync-feed", Some("sync-feed 1"), 2))
                .unwrap()
                .1,
            "{name}"
        );
    }
}

#[test]
fn many_workers_take_every_job_once() {
    use std::time::Duration;
    use verdict_store::JobResult;
    let Some(pg) = verdict_testkit::postgres::shared() else {
        return;
    };
    let url = pg.database();
    let mut store = PgStore::open(&url).unwrap();
    for n in 0..200 {
        let payload = format!("{{\"n\":{n}}}");
        store
            .enqueue(&verdict_store::NewJob {
                kind: "fetch-page",
                payload: &payload,
                key: None,
                max_attempts: 3,
            })
            .unwrap();
    }
    let workers: Vec<_> = (0..6)
        .map(|w| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = PgStore::open(&url).unwrap();
                let name = format!("w{w}");
                let mut taken = Vec::new();
                while let Some(job) = store.claim_job(&name, Duration::from_secs(60)).unwrap() {
                    store.finish_job(job.id, &name, JobResult::Done).unwrap();
                    taken.push(job.id);
                }
                taken
            })
        })
        .collect();
    let mut taken: Vec<i64> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    taken.sort_unstable();
    let before = taken.len();
    taken.dedup();
    assert_eq!(before, 200, "every job taken");
    assert_eq!(taken.len(), 200, "no job taken twice");
}

/// A review's text long enough for a signature (`verdict_core::copies`):
/// `n` words of its own, from `seed`.
fn long_text(seed: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("{seed}{}", i * 7 % 101 + i))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A review of `body` by `critic` at `source`, with content hash `hash`.
fn text_review(hash: &str, source: &str, critic: Option<&str>, body: &str) -> Review {
    Review {
        source: source.to_string(),
        critic: critic.map(str::to_string),
        outlet: None,
        body: body.to_string(),
        ..plain(hash, None)
    }
}

fn existing(film: i64) -> FilmChoice {
    FilmChoice::Existing {
        id: film,
        year: None,
        new_aliases: vec![],
    }
}

#[test]
fn a_syndicated_copy_is_one_review_with_two_addresses_on_both() {
    let body = long_text("word", 300);
    let mut answers = Vec::new();
    for (name, mut store) in named_stores() {
        let blog = text_review("a", "blog/red-rooms.html", Some("Ada Critic"), &body);
        let (first, film) = inserted(put(
            &mut store,
            &blog,
            new_film("Red Rooms", None, &[]),
            None,
        ));
        // the outlet's reprint: other furniture around the same text, no
        // critic named
        let mut reprint = text_review(
            "b",
            "https://outlet.example/red-rooms",
            None,
            &format!("Subscribe to our newsletter. {body} Share this article. Comments (2)"),
        );
        reprint.outlet = Some("Reprint Weekly".to_string());
        assert_eq!(
            put(&mut store, &reprint, existing(film), None),
            Put::Copy {
                review_id: first,
                film_id: film
            },
            "{name}"
        );
        assert_eq!(store.counts().unwrap(), (1, 1), "{name}: one review");
        let stored = store.reviews_of(film).unwrap();
        assert_eq!(stored.len(), 1, "{name}");
        let copies = &stored[0].copies;
        assert_eq!(copies.len(), 1, "{name}");
        assert_eq!(copies[0].source, "https://outlet.example/red-rooms");
        assert_eq!(copies[0].outlet.as_deref(), Some("Reprint Weekly"));
        assert!(
            copies[0].similarity >= verdict_core::copies::THRESHOLD,
            "{name}: {copies:?}"
        );
        assert_eq!(store.review(first).unwrap().unwrap().copies, *copies);
        // the copy is known by its content and by its address
        assert_eq!(store.contains("b").unwrap(), Some(first), "{name}");
        assert_eq!(
            store
                .review_by_source("https://outlet.example/red-rooms")
                .unwrap(),
            Some((first, film)),
            "{name}"
        );
        assert_eq!(
            put(&mut store, &reprint, existing(film), None),
            Put::Duplicate {
                review_id: first,
                film_id: film
            },
            "{name}: the copy again changes nothing"
        );
        // the same text signed by another critic is never merged
        let other = text_review("c", "other.html", Some("Bo Writer"), &body);
        let (other_id, _) = inserted(put(&mut store, &other, existing(film), None));
        // the same critic's other review of the film is another text
        let second = text_review(
            "d",
            "blog/red-rooms-again.html",
            Some("Ada Critic"),
            &long_text("other", 300),
        );
        inserted(put(&mut store, &second, existing(film), None));
        // two critics' same one-line quote: too short to compare
        let quote = "A cold, precise thriller that lingers long after the credits.";
        inserted(put(
            &mut store,
            &text_review("e", "q1.html", None, quote),
            existing(film),
            None,
        ));
        inserted(put(
            &mut store,
            &text_review("f", "q2.html", None, quote),
            existing(film),
            None,
        ));
        // the same text under another film: the resolver's choice stands
        inserted(put(
            &mut store,
            &text_review("g", "elsewhere.html", None, &body),
            new_film("Another Film", None, &[]),
            None,
        ));
        assert_eq!(store.counts().unwrap(), (2, 6), "{name}");
        assert!(
            store.review(other_id).unwrap().unwrap().copies.is_empty(),
            "{name}"
        );
        let mut seen: Vec<(i64, usize)> = store
            .reviews_of(film)
            .unwrap()
            .iter()
            .map(|r| (r.id, r.copies.len()))
            .collect();
        seen.sort();
        answers.push(seen);
    }
    if let [a, b] = answers.as_slice() {
        assert_eq!(a, b, "both backends agree");
    }
}

#[test]
fn removing_one_address_keeps_the_review_while_another_stays_on_both() {
    let body = long_text("line", 200);
    for (name, mut store) in named_stores() {
        let run1 = store.begin_run("ingest", "blog").unwrap();
        let run2 = store.begin_run("ingest", "outlet").unwrap();
        let blog = text_review("a", "blog.html", Some("Ada Critic"), &body);
        let mut outlet = text_review("b", "outlet.html", None, &format!("Menu Home {body}"));
        outlet.outlet = Some("Reprint Weekly".to_string());
        let (id, film) = inserted(put(
            &mut store,
            &blog,
            new_film("Red Rooms", None, &[]),
            Some(run1),
        ));
        assert!(matches!(
            put(&mut store, &outlet, existing(film), Some(run2)),
            Put::Copy { .. }
        ));

        // the copy's run takes the copy only
        let plan = store.removal(&Removal::Run(run2)).unwrap();
        assert!(plan.reviews.is_empty(), "{name}: {plan:?}");
        assert_eq!(
            plan.detached,
            vec![(id, "outlet.html".to_string())],
            "{name}"
        );
        store.remove(&Removal::Run(run2)).unwrap();
        assert_eq!(store.counts().unwrap(), (1, 1), "{name}");
        assert!(store.review(id).unwrap().unwrap().copies.is_empty());
        assert_eq!(store.contains("b").unwrap(), None, "{name}");

        // stored again, then the review's own run goes: the copy becomes
        // the review's address, the review stays
        let run3 = store.begin_run("ingest", "outlet again").unwrap();
        assert!(matches!(
            put(&mut store, &outlet, existing(film), Some(run3)),
            Put::Copy { .. }
        ));
        let removed = store.remove(&Removal::Run(run1)).unwrap();
        assert!(removed.reviews.is_empty(), "{name}: {removed:?}");
        assert_eq!(removed.detached, vec![(id, "blog.html".to_string())]);
        let r = store.review(id).unwrap().unwrap();
        assert_eq!(r.source, "outlet.html", "{name}");
        assert_eq!(r.content_hash, "b", "{name}");
        assert_eq!(r.outlet.as_deref(), Some("Reprint Weekly"), "{name}");
        assert_eq!(r.critic.as_deref(), Some("Ada Critic"), "{name}");
        assert!(r.copies.is_empty(), "{name}");
        assert_eq!(store.contains("a").unwrap(), None, "{name}");
        // the blog again is a copy of it; removing the run that now owns
        // the review makes the blog its address again
        assert!(matches!(
            put(&mut store, &blog, existing(film), None),
            Put::Copy { .. }
        ));
        store.remove(&Removal::Run(run3)).unwrap();
        let r = store.review(id).unwrap().unwrap();
        assert_eq!(
            (r.source.as_str(), r.copies.len()),
            ("blog.html", 0),
            "{name}"
        );

        // by address: a copy's address takes the copy; the last address
        // takes the review, and its film
        assert!(matches!(
            put(&mut store, &outlet, existing(film), None),
            Put::Copy { .. }
        ));
        let removed = store
            .remove(&Removal::Sources(vec![(id, "blog.html".to_string())]))
            .unwrap();
        assert_eq!(removed.detached, vec![(id, "blog.html".to_string())]);
        assert_eq!(store.review(id).unwrap().unwrap().source, "outlet.html");
        assert!(matches!(
            store.remove(&Removal::Sources(vec![(id, "nowhere.html".to_string())])),
            Err(StoreError::NotFound { .. })
        ));
        let removed = store
            .remove(&Removal::Sources(vec![(id, "outlet.html".to_string())]))
            .unwrap();
        assert_eq!(removed.reviews, vec![id], "{name}");
        assert!(removed.films[0].film_removed(), "{name}");
        assert_eq!(store.counts().unwrap(), (0, 0), "{name}");

        // removing a review by id takes its copies with it
        let (id, film) = inserted(put(
            &mut store,
            &blog,
            new_film("Red Rooms", None, &[]),
            None,
        ));
        assert!(matches!(
            put(&mut store, &outlet, existing(film), None),
            Put::Copy { .. }
        ));
        store.remove(&Removal::Reviews(vec![id])).unwrap();
        assert_eq!(store.contains("b").unwrap(), None, "{name}");
        assert_eq!(store.counts().unwrap(), (0, 0), "{name}");
    }
}

#[test]
fn copies_and_signatures_travel_in_the_export_on_both() {
    let body = long_text("text", 120);
    for (name, mut store) in named_stores() {
        let (id, film) = inserted(put(
            &mut store,
            &text_review("a", "blog.html", None, &body),
            new_film("Red Rooms", None, &[]),
            None,
        ));
        put(
            &mut store,
            &text_review("b", "outlet.html", None, &body),
            existing(film),
            None,
        );
        let mut rows: Vec<(
            &'static verdict_store::portable::Table,
            verdict_store::portable::Row,
        )> = Vec::new();
        store
            .export(&mut |t, r| {
                rows.push((t, r.clone()));
                Ok(())
            })
            .unwrap();
        let copies: Vec<_> = rows
            .iter()
            .filter(|(t, _)| t.name == "review_copies")
            .collect();
        assert_eq!(copies.len(), 1, "{name}");
        assert_eq!(copies[0].1["source"], "outlet.html", "{name}");
        assert_eq!(
            rows.iter()
                .filter(|(t, _)| t.name == "review_signatures")
                .count(),
            1,
            "{name}"
        );
        // read back into an empty SQLite database: the same review, and
        // a later copy is still found
        let mut back = Database::Sqlite(verdict_store::SqliteStore::open_in_memory().unwrap());
        for table in verdict_store::portable::TABLES
            .iter()
            .filter(|t| !t.derived)
        {
            let of: Vec<_> = rows
                .iter()
                .filter(|(t, _)| t.name == table.name)
                .map(|(_, r)| r.clone())
                .collect();
            back.import_rows(table, &of).unwrap();
        }
        back.finish_import().unwrap();
        let r = back.review(id).unwrap().unwrap();
        assert_eq!(r.copies.len(), 1, "{name}");
        assert_eq!(
            put(
                &mut back,
                &text_review("c", "mirror.html", None, &body),
                existing(film),
                None
            ),
            Put::Copy {
                review_id: id,
                film_id: film
            },
            "{name}"
        );
    }
}
