//! The SQLite store against real database files in temporary directories.

mod common;
use common::*;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use tempfile::TempDir;
use verdict_core::{
    Aspect, Assessment, Confidence, Diagnostic, Judgement, Rating, Review, Span, Verdict,
};
use verdict_store::{Alias, FilmChoice, NewReview, Put, SqliteStore, Store, StoreError};

fn db() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("verdict.db");
    (dir, path)
}

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
        body: "A cold, precise thriller.\n\nIt lingers.".to_string(),
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
            Aspect {
                name: "In Retrospect".to_string(),
                raw: "5".to_string(),
                value: 5.0,
                best: 5.0,
                score: 100.0,
                span: Some(Span::new(240, 241)),
            },
        ],
        source_verdict: None,
        link: None,
    }
}

fn plain_review(hash: &str, date: Option<NaiveDate>) -> Review {
    Review {
        rating: None,
        aspects: Vec::new(),
        source_verdict: None,
        link: None,
        date,
        title_seen: None,
        critic: None,
        outlet: None,
        year: None,
        ..review(hash)
    }
}

fn judgement() -> Judgement {
    Judgement {
        score: 74.5,
        verdict: Verdict::Positive,
        probability: 0.83,
        evidence: vec![
            "A cold, precise thriller.".to_string(),
            "It lingers.".to_string(),
        ],
        model: "linear-en-v1".to_string(),
    }
}

fn diagnostics() -> Vec<Diagnostic> {
    vec![
        Diagnostic::info("title.headline", "film title read from the headline"),
        Diagnostic::warning("date.guess", "date taken from the byline"),
    ]
}

/// A document's review as the pipeline hands it to the store: the review,
/// its assessment and its diagnostics.
struct ToPut<'a> {
    review: &'a Review,
    assessment: Assessment,
    diagnostics: &'a [Diagnostic],
}

impl ToPut<'_> {
    fn as_new(&self) -> NewReview<'_> {
        NewReview {
            review: self.review,
            assessment: &self.assessment,
            diagnostics: self.diagnostics,
            run: None,
        }
    }
}

fn new_review<'a>(
    review: &'a Review,
    judgement: Option<&Judgement>,
    diagnostics: &'a [Diagnostic],
) -> ToPut<'a> {
    let score = review.rating.as_ref().map_or(55.0, |r| r.score);
    ToPut {
        review,
        assessment: Assessment {
            score,
            verdict: Verdict::from_score(score),
            confidence: 0.9,
            inferred: review.rating.is_none(),
            p_positive: None,
            judgement: judgement.cloned(),
        },
        diagnostics,
    }
}

fn new_film(title: &str, year: Option<i32>, aliases: &[(&str, &str)]) -> FilmChoice {
    FilmChoice::New {
        title: title.to_string(),
        title_key: title.to_lowercase(),
        year,
        aliases: aliases.iter().map(|(t, k)| Alias::new(*t, *k)).collect(),
    }
}

fn inserted(put: Put) -> (i64, i64) {
    match put {
        Put::Inserted { review_id, film_id } => (review_id, film_id),
        Put::Duplicate { .. } | Put::Copy { .. } => panic!("expected an insert, got {put:?}"),
    }
}

fn keys(k: &[&str]) -> Vec<String> {
    k.iter().map(|s| s.to_string()).collect()
}

#[test]
fn open_creates_directories_and_reports_latest_schema() {
    let (_dir, path) = db();
    let store = SqliteStore::open(&path).unwrap();
    assert!(path.exists());
    assert_eq!(store.path(), path);
    assert_eq!(
        store.schema_version().unwrap(),
        SqliteStore::latest_schema_version()
    );
    assert_eq!(
        store.schema_version().unwrap(),
        SqliteStore::latest_schema_version()
    );
    assert_eq!(store.counts().unwrap(), (0, 0));
    drop(store);
    // Opening again is a no-op migration.
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        SqliteStore::latest_schema_version()
    );
}

#[test]
fn round_trip_of_a_rated_review() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let r = review("aaa");
    let j = judgement();
    let d = diagnostics();
    let film = new_film(
        "Red Rooms",
        Some(2023),
        &[("Les Chambres Rouges", "les chambres rouges")],
    );
    let before = chrono::Utc::now();
    let (review_id, film_id) = inserted(
        store
            .put(new_review(&r, Some(&j), &d).as_new(), film)
            .unwrap(),
    );
    assert_eq!(store.contains("aaa").unwrap(), Some(review_id));
    assert_eq!(store.contains("bbb").unwrap(), None);

    let stored = store.reviews_of(film_id).unwrap();
    assert_eq!(stored.len(), 1);
    let s = &stored[0];
    assert_eq!(s.id, review_id);
    assert_eq!(s.film_id, film_id);
    assert_eq!(s.source, r.source);
    assert_eq!(s.content_hash, "aaa");
    assert_eq!(s.format, "html");
    assert_eq!(s.title_seen, r.title_seen);
    assert_eq!(s.year_seen, Some(2023));
    assert_eq!(s.critic, r.critic);
    assert_eq!(s.outlet, r.outlet);
    assert_eq!(s.date, NaiveDate::from_ymd_opt(2024, 9, 6));
    assert_eq!(s.body, r.body);
    assert_eq!(s.score, 80.0);
    assert_eq!(s.verdict, Verdict::Positive);
    assert_eq!(s.confidence, 0.9);
    assert!(!s.inferred);
    assert_eq!(s.rating, r.rating);
    assert_eq!(s.aspects, r.aspects);
    assert_eq!(s.evidence, j.evidence);
    assert_eq!(s.judge_model.as_deref(), Some("linear-en-v1"));
    assert_eq!(s.diagnostics, d);
    assert!(s.ingested_at >= before - chrono::Duration::seconds(1));
    assert!(s.ingested_at <= chrono::Utc::now());

    assert_eq!(store.review(review_id).unwrap().as_ref(), Some(s));
    assert_eq!(store.review(review_id + 100).unwrap(), None);

    let rows = store.score_rows().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].film_id, film_id);
    assert_eq!(rows[0].score, 80.0);
    assert_eq!(rows[0].verdict, Verdict::Positive);
    assert!(!rows[0].inferred);
}

#[test]
fn inferred_review_without_rating_or_judgement_fields() {
    for mut store in stores() {
        let r = plain_review("p1", None);
        let put = store
            .put(
                new_review(&r, None, &[]).as_new(),
                new_film("Past Lives", None, &[]),
            )
            .unwrap();
        let (review_id, film_id) = inserted(put);
        let s = store.review(review_id).unwrap().unwrap();
        assert_eq!(s.film_id, film_id);
        assert_eq!(s.rating, None);
        assert!(s.aspects.is_empty());
        assert!(s.evidence.is_empty());
        assert_eq!(s.judge_model, None);
        assert!(s.diagnostics.is_empty());
        assert_eq!(s.date, None);
        assert!(s.inferred);
        assert_eq!(s.verdict, Verdict::Mixed);
    }
}

#[test]
fn new_film_then_existing_with_new_alias_and_year() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let r1 = review("one");
    let film = new_film(
        "Red Rooms",
        Some(2022),
        &[("Les Chambres Rouges", "les chambres rouges")],
    );
    let (_, film_id) = inserted(
        store
            .put(new_review(&r1, None, &[]).as_new(), film)
            .unwrap(),
    );
    let f = store.film(film_id).unwrap().unwrap();
    assert_eq!(f.title, "Red Rooms");
    assert_eq!(f.year, Some(2022));
    assert_eq!(f.aliases, vec!["Les Chambres Rouges"]);

    let r2 = review("two");
    let choice = FilmChoice::Existing {
        id: film_id,
        year: Some(2023),
        new_aliases: vec![
            // Already known: ignored.
            Alias::new("LES CHAMBRES ROUGES", "les chambres rouges"),
            // The film's own title key: ignored.
            Alias::new("RED ROOMS", "red rooms"),
            Alias::new("Chambres rouges", "chambres rouges"),
            // Repeated within the same put: stored once.
            Alias::new("Chambres Rouges", "chambres rouges"),
        ],
    };
    let (_, same_film) = inserted(
        store
            .put(new_review(&r2, None, &[]).as_new(), choice)
            .unwrap(),
    );
    assert_eq!(same_film, film_id);
    let f = store.film(film_id).unwrap().unwrap();
    assert_eq!(f.year, Some(2023));
    assert_eq!(f.aliases, vec!["Les Chambres Rouges", "Chambres rouges"]);

    // year: None keeps the year.
    let r3 = review("three");
    let choice = FilmChoice::Existing {
        id: film_id,
        year: None,
        new_aliases: Vec::new(),
    };
    inserted(
        store
            .put(new_review(&r3, None, &[]).as_new(), choice)
            .unwrap(),
    );
    assert_eq!(store.film(film_id).unwrap().unwrap().year, Some(2023));
    assert_eq!(store.counts().unwrap(), (1, 3));
    assert_eq!(store.reviews_of(film_id).unwrap().len(), 3);
}

#[test]
fn existing_film_that_does_not_exist_is_not_found_and_stores_nothing() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let r = review("x");
    let choice = FilmChoice::Existing {
        id: 42,
        year: Some(2000),
        new_aliases: Vec::new(),
    };
    let err = store
        .put(new_review(&r, None, &[]).as_new(), choice)
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("film 42"), "{err}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert_eq!(store.counts().unwrap(), (0, 0));
}

#[test]
fn duplicate_hash_changes_nothing() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let r = review("same");
    let (review_id, film_id) = inserted(
        store
            .put(
                new_review(&r, None, &[]).as_new(),
                new_film("Red Rooms", Some(2023), &[]),
            )
            .unwrap(),
    );
    let counts = store.counts().unwrap();

    // Same document resolved to a new film: still a duplicate, no new film.
    let again = store
        .put(
            new_review(&r, None, &[]).as_new(),
            new_film("Something Else", None, &[("X", "x")]),
        )
        .unwrap();
    assert_eq!(again, Put::Duplicate { review_id, film_id });
    assert!(again.is_duplicate());
    assert_eq!(store.counts().unwrap(), counts);

    // Or to the existing film with changes: the film is left alone.
    let choice = FilmChoice::Existing {
        id: film_id,
        year: Some(1999),
        new_aliases: vec![Alias::new("Alias", "alias")],
    };
    assert_eq!(
        store
            .put(new_review(&r, None, &[]).as_new(), choice)
            .unwrap(),
        Put::Duplicate { review_id, film_id }
    );
    let f = store.film(film_id).unwrap().unwrap();
    assert_eq!(f.year, Some(2023));
    assert!(f.aliases.is_empty());
    assert_eq!(store.counts().unwrap(), counts);
    assert!(
        store
            .films_by_keys(&keys(&["something else", "x", "alias"]))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn films_by_keys_finds_by_title_key_and_alias_key() {
    for mut store in stores() {
        let r1 = review("1");
        let (_, red) = inserted(
            store
                .put(
                    new_review(&r1, None, &[]).as_new(),
                    new_film(
                        "Red Rooms",
                        Some(2023),
                        &[("Les Chambres Rouges", "les chambres rouges")],
                    ),
                )
                .unwrap(),
        );
        let r2 = review("2");
        let (_, past) = inserted(
            store
                .put(
                    new_review(&r2, None, &[]).as_new(),
                    new_film("Past Lives", Some(2023), &[]),
                )
                .unwrap(),
        );

        let by_title = store.films_by_keys(&keys(&["red rooms"])).unwrap();
        assert_eq!(by_title.len(), 1);
        assert_eq!(by_title[0].film.id, red);
        assert_eq!(by_title[0].title_key, "red rooms");
        assert_eq!(by_title[0].alias_keys, vec!["les chambres rouges"]);
        assert_eq!(by_title[0].film.aliases, vec!["Les Chambres Rouges"]);

        let by_alias = store
            .films_by_keys(&keys(&["les chambres rouges"]))
            .unwrap();
        assert_eq!(by_alias.len(), 1);
        assert_eq!(by_alias[0].film.id, red);

        // Matching both by title and alias yields the film once; several films
        // come back ordered by id.
        let both = store
            .films_by_keys(&keys(&["past lives", "les chambres rouges", "red rooms"]))
            .unwrap();
        assert_eq!(
            both.iter().map(|f| f.film.id).collect::<Vec<_>>(),
            vec![red, past]
        );

        assert!(store.films_by_keys(&keys(&["nope"])).unwrap().is_empty());
        assert!(store.films_by_keys(&[]).unwrap().is_empty());
    }
}

#[test]
fn films_are_ordered_by_title() {
    for mut store in stores() {
        for (i, title) in ["zama", "Anatomy of a Fall", "Past Lives", "aftersun"]
            .iter()
            .enumerate()
        {
            let r = plain_review(&format!("h{i}"), None);
            store
                .put(
                    new_review(&r, None, &[]).as_new(),
                    new_film(title, None, &[]),
                )
                .unwrap();
        }
        let titles: Vec<String> = store
            .films()
            .unwrap()
            .into_iter()
            .map(|f| f.title)
            .collect();
        assert_eq!(
            titles,
            vec!["aftersun", "Anatomy of a Fall", "Past Lives", "zama"]
        );
    }
}

#[test]
fn reviews_are_ordered_by_date_with_undated_last() {
    for mut store in stores() {
        let d = |m| NaiveDate::from_ymd_opt(2024, m, 1);
        let r1 = plain_review("undated", None);
        let (_, film) = inserted(
            store
                .put(
                    new_review(&r1, None, &[]).as_new(),
                    new_film("Film", None, &[]),
                )
                .unwrap(),
        );
        for (hash, date) in [
            ("march", d(3)),
            ("january", d(1)),
            ("undated2", None),
            ("feb", d(2)),
        ] {
            let r = plain_review(hash, date);
            let choice = FilmChoice::Existing {
                id: film,
                year: None,
                new_aliases: Vec::new(),
            };
            store
                .put(new_review(&r, None, &[]).as_new(), choice)
                .unwrap();
        }
        let order: Vec<String> = store
            .reviews_of(film)
            .unwrap()
            .into_iter()
            .map(|r| r.content_hash)
            .collect();
        assert_eq!(
            order,
            vec!["january", "feb", "march", "undated", "undated2"]
        );
        assert!(store.reviews_of(film + 1).unwrap().is_empty());
    }
}

#[test]
fn reviews_persist_across_reopen() {
    let (_dir, path) = db();
    let (review_id, film_id) = {
        let mut store = SqliteStore::open(&path).unwrap();
        let r = review("persist");
        let j = judgement();
        let d = diagnostics();
        inserted(
            store
                .put(
                    new_review(&r, Some(&j), &d).as_new(),
                    new_film(
                        "Red Rooms",
                        Some(2023),
                        &[("Les Chambres Rouges", "les chambres rouges")],
                    ),
                )
                .unwrap(),
        )
    };
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.counts().unwrap(), (1, 1));
    assert_eq!(store.contains("persist").unwrap(), Some(review_id));
    let s = store.review(review_id).unwrap().unwrap();
    assert_eq!(s.film_id, film_id);
    assert_eq!(s.aspects.len(), 3);
    assert_eq!(s.evidence.len(), 2);
    assert_eq!(s.diagnostics.len(), 2);
    let films = store.films().unwrap();
    assert_eq!(films.len(), 1);
    assert_eq!(films[0].aliases, vec!["Les Chambres Rouges"]);
}

/// Sets up a database with one film and one review, and returns what a
/// failed put must leave unchanged.
fn store_with_one_review(path: &Path) -> (SqliteStore, i64) {
    let mut store = SqliteStore::open(path).unwrap();
    let r = review("kept");
    let (_, film_id) = inserted(
        store
            .put(
                new_review(&r, None, &[]).as_new(),
                new_film("Red Rooms", Some(2023), &[]),
            )
            .unwrap(),
    );
    (store, film_id)
}

fn assert_untouched(store: &SqliteStore, film_id: i64) {
    assert_eq!(store.counts().unwrap(), (1, 1));
    let films = store.films().unwrap();
    assert_eq!(films.len(), 1);
    assert_eq!(films[0].id, film_id);
    assert_eq!(films[0].year, Some(2023));
    assert!(films[0].aliases.is_empty());
    let reviews = store.reviews_of(film_id).unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].content_hash, "kept");
    assert_eq!(reviews[0].aspects.len(), 3);
    assert!(
        store
            .films_by_keys(&keys(&["new film", "new alias"]))
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.contains("bad").unwrap(), None);
}

#[test]
fn failing_aspect_rolls_back_film_and_review() {
    let (_dir, path) = db();
    let (mut store, film_id) = store_with_one_review(&path);

    // The third aspect violates the aspect score CHECK, after the film and
    // the review rows (and two aspects) have been inserted.
    let mut r = review("bad");
    r.aspects[2].score = 150.0;
    let err = store
        .put(
            new_review(&r, None, &[]).as_new(),
            new_film("New Film", None, &[("New Alias", "new alias")]),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    assert!(
        err.to_string().contains("review_aspect_score_range"),
        "{err}"
    );
    assert_untouched(&store, film_id);

    // Same against an existing film whose year and aliases would change.
    let choice = FilmChoice::Existing {
        id: film_id,
        year: Some(1999),
        new_aliases: vec![Alias::new("New Alias", "new alias")],
    };
    let err = store
        .put(new_review(&r, None, &[]).as_new(), choice)
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    assert_untouched(&store, film_id);

    // And still so after reopening the file.
    drop(store);
    let store = SqliteStore::open(&path).unwrap();
    assert_untouched(&store, film_id);
}

#[test]
fn out_of_range_or_nan_scores_store_nothing() {
    let (_dir, path) = db();
    let (mut store, film_id) = store_with_one_review(&path);
    let r = review("bad");

    let mut too_high = new_review(&r, None, &[]);
    too_high.assessment.score = 150.0;
    let err = store
        .put(too_high.as_new(), new_film("New Film", Some(2001), &[]))
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("review_score_range"), "{msg}");
    assert!(msg.contains("/reviews/bad.html"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert_untouched(&store, film_id);

    let mut nan = new_review(&r, None, &[]);
    nan.assessment.score = f64::NAN;
    let err = store
        .put(nan.as_new(), new_film("New Film", Some(2001), &[]))
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    assert!(err.to_string().contains("NaN"), "{err}");
    assert_untouched(&store, film_id);

    let mut r_nan_aspect = review("bad");
    r_nan_aspect.aspects[1].value = f64::NAN;
    let err = store
        .put(
            new_review(&r_nan_aspect, None, &[]).as_new(),
            new_film("New Film", None, &[]),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    assert_untouched(&store, film_id);

    let mut j = judgement();
    j.probability = 1.5;
    let err = store
        .put(
            new_review(&r, Some(&j), &[]).as_new(),
            new_film("New Film", None, &[]),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    assert_untouched(&store, film_id);

    let mut low_confidence = new_review(&r, None, &[]);
    low_confidence.assessment.confidence = -0.1;
    let err = store
        .put(low_confidence.as_new(), new_film("New Film", None, &[]))
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    assert_untouched(&store, film_id);

    // A good put still works afterwards.
    inserted(
        store
            .put(
                new_review(&r, None, &[]).as_new(),
                new_film("New Film", None, &[]),
            )
            .unwrap(),
    );
    assert_eq!(store.counts().unwrap(), (2, 2));
}

#[test]
fn garbage_file_is_a_clear_error_and_left_alone() {
    let (_dir, path) = db();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let garbage: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &garbage).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("not a Verdict database"), "{msg}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage);

    // A text file too.
    std::fs::write(&path, "title,score\nRed Rooms,80\n".repeat(100)).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
}

#[test]
fn open_existing_creates_nothing() {
    let (dir, path) = db();
    let err = SqliteStore::open_existing(&path).unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "neither the file nor its folder may be created"
    );
    // Once created, it opens, with what was stored.
    let mut store = SqliteStore::open(&path).unwrap();
    let r = review("h1");
    inserted(
        store
            .put(
                new_review(&r, None, &[]).as_new(),
                new_film("Red Rooms", Some(2023), &[]),
            )
            .unwrap(),
    );
    drop(store);
    let store = SqliteStore::open_existing(&path).unwrap();
    assert_eq!(store.counts().unwrap(), (1, 1));
    // A directory is not a database.
    std::fs::create_dir_all(dir.path().join("d.db")).unwrap();
    let err = SqliteStore::open_existing(&dir.path().join("d.db")).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
}

#[test]
fn a_directory_in_the_way_is_a_clear_error() {
    let (_dir, path) = db();
    std::fs::create_dir_all(&path).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}

#[test]
fn another_applications_database_is_refused() {
    let (_dir, path) = db();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            .unwrap();
    }
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1, "the foreign database must not be modified");
}

#[test]
fn newer_schema_is_a_clear_error() {
    let (_dir, path) = db();
    drop(SqliteStore::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
             VALUES (99, 'from_the_future', '2030-01-01T00:00:00Z', '1')",
            [],
        )
        .unwrap();
    }
    let err = SqliteStore::open(&path).unwrap_err();
    match &err {
        StoreError::SchemaTooNew { found, known, .. } => {
            assert_eq!(*found, 99);
            assert_eq!(*known, SqliteStore::latest_schema_version());
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("99") && msg.contains(&path.display().to_string()),
        "{msg}"
    );
}

#[test]
fn empty_file_is_initialised() {
    let (_dir, path) = db();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"").unwrap();
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        SqliteStore::latest_schema_version()
    );
}

#[test]
fn two_writers_on_one_file() {
    let (_dir, path) = db();
    drop(SqliteStore::open(&path).unwrap());
    let handles: Vec<_> = (0..2)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = SqliteStore::open(&path).unwrap();
                for i in 0..25 {
                    let r = plain_review(&format!("t{t}-{i}"), None);
                    // Both threads also try the same shared documents.
                    let shared = plain_review(&format!("shared-{i}"), None);
                    store
                        .put(
                            new_review(&r, None, &[]).as_new(),
                            new_film(&format!("F{t}-{i}"), None, &[]),
                        )
                        .unwrap();
                    store
                        .put(
                            new_review(&shared, None, &[]).as_new(),
                            new_film(&format!("S{i}"), None, &[]),
                        )
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.counts().unwrap(), (75, 75));
}

#[test]
fn works_as_a_trait_object() {
    let mut store: Box<dyn Store> = Box::new(SqliteStore::open_in_memory().unwrap());
    let r = plain_review("boxed", None);
    let put = store
        .put(
            new_review(&r, None, &[]).as_new(),
            new_film("Boxed", None, &[]),
        )
        .unwrap();
    assert_eq!(store.contains("boxed").unwrap(), Some(put.review_id()));
    assert_eq!(store.counts().unwrap(), (1, 1));
}

#[test]
fn concurrent_first_opens_of_a_new_file() {
    for _ in 0..5 {
        let (_dir, path) = db();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(3));
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let path = path.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    SqliteStore::open(&path).map(|s| s.schema_version().unwrap())
                })
            })
            .collect();
        for h in handles {
            assert_eq!(
                h.join().unwrap().unwrap(),
                SqliteStore::latest_schema_version()
            );
        }
    }
}

#[test]
fn a_document_is_found_by_its_source() {
    for mut store in stores() {
        let r = plain_review("s1", None);
        let (review_id, film_id) = inserted(
            store
                .put(
                    new_review(&r, None, &[]).as_new(),
                    new_film("Past Lives", None, &[]),
                )
                .unwrap(),
        );
        assert_eq!(
            store.review_by_source(&r.source).unwrap(),
            Some((review_id, film_id))
        );
        assert_eq!(store.review_by_source("/elsewhere.html").unwrap(), None);
    }
}
