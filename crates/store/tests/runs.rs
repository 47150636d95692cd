//! Runs and removals against real database files: every review a run
//! writes carries its id; a removal is one transaction that takes the
//! films left without reviews (aliases, external ids, catalogue decision)
//! with it and marks the cached statistics stale; a removal that names
//! something missing writes nothing.

use std::path::PathBuf;

use chrono::NaiveDate;
use tempfile::TempDir;
use verdict_core::{Assessment, Verdict};
use verdict_store::{
    Alias, CatalogueDecision, CatalogueEntry, CatalogueTitle, ExternalId, FilmRef, ImportBatch,
    ImportedReview, NewFilm, Removal, SqliteStore, StatsSnapshot, Store, StoreError, TitleKind,
};

fn db() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("verdict.db");
    (dir, path)
}

fn imported(hash: &str, score: f64) -> ImportedReview {
    ImportedReview {
        content_hash: hash.to_string(),
        source: format!("reviews.csv:{hash}"),
        format: "rt-csv",
        title_seen: None,
        year_seen: None,
        critic: Some("Ann Lee".to_string()),
        outlet: None,
        date: NaiveDate::from_ymd_opt(2020, 1, 2),
        body: "A joy.".to_string(),
        rating: None,
        assessment: Assessment {
            score,
            verdict: Verdict::from_score(score),
            confidence: 0.9,
            inferred: true,
            p_positive: Some(0.5),
            judgement: None,
        },
        source_verdict: None,
        top_critic: None,
        diagnostics: vec![],
    }
}

fn new_film(title: &str, year: i32, alias: &str) -> NewFilm {
    NewFilm {
        title: title.to_string(),
        title_key: verdict_core::title::title_key(title),
        year: Some(year),
        aliases: vec![Alias::of(alias)],
    }
}

fn link(id: &str) -> ExternalId {
    ExternalId {
        source: "rt".to_string(),
        external_id: id.to_string(),
        published_percent: None,
        published_count: None,
        method: "new film".to_string(),
        confidence: 1.0,
    }
}

/// Two runs: the first creates two films with two reviews each, the
/// second adds one review to the first film.
fn two_runs(store: &mut SqliteStore) -> (i64, i64, Vec<i64>) {
    let first = store.begin_run("import", "verdict import a.csv").unwrap();
    let out = store
        .write_batch(&ImportBatch {
            films: vec![
                new_film("Harbour Lights", 2019, "Les Feux du Port"),
                new_film("Offside", 2006, "Offside (film)"),
            ],
            links: vec![(FilmRef::New(1), link("m/offside"))],
            reviews: vec![
                (FilmRef::New(0), imported("h1", 80.0)),
                (FilmRef::New(0), imported("h2", 30.0)),
                (FilmRef::New(1), imported("o1", 60.0)),
                (FilmRef::New(1), imported("o2", 70.0)),
            ],
            run: Some(first),
            ..ImportBatch::default()
        })
        .unwrap();
    store.finish_run(first).unwrap();
    let second = store.begin_run("import", "verdict import b.csv").unwrap();
    store
        .write_batch(&ImportBatch {
            reviews: vec![(FilmRef::Stored(out.film_ids[0]), imported("h3", 90.0))],
            run: Some(second),
            ..ImportBatch::default()
        })
        .unwrap();
    (first, second, out.film_ids)
}

/// Every table's row count, to see that nothing changed.
fn tables(path: &std::path::Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    [
        "films",
        "film_aliases",
        "film_external_ids",
        "film_catalogue",
        "reviews",
        "runs",
        "aggregate_stats",
    ]
    .iter()
    .map(|t| {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap();
        (t.to_string(), n)
    })
    .collect()
}

#[test]
fn runs_are_recorded_and_their_reviews_carry_them() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let (first, second, _) = two_runs(&mut store);
    assert_eq!(second, first + 1);
    let run = store.run(first).unwrap().unwrap();
    assert_eq!(run.command, "import");
    assert_eq!(run.args, "verdict import a.csv");
    assert!(run.finished_at.unwrap() >= run.started_at);
    assert!(store.run(second).unwrap().unwrap().finished_at.is_none());
    assert!(store.run(99).unwrap().is_none());
    assert!(matches!(
        store.finish_run(99),
        Err(StoreError::NotFound { .. })
    ));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let runs: Vec<(String, Option<i64>)> = conn
        .prepare("SELECT content_hash, run_id FROM reviews ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(runs.len(), 5);
    let by_hash = |h: &str| runs.iter().find(|(x, _)| x == h).unwrap().1;
    for h in ["h1", "h2", "o1", "o2"] {
        assert_eq!(by_hash(h), Some(first), "{h}");
    }
    assert_eq!(by_hash("h3"), Some(second));
}

#[test]
fn a_run_is_removed_with_the_films_it_leaves_empty() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let (first, second, films) = two_runs(&mut store);
    let (harbour, offside) = (films[0], films[1]);
    store
        .set_film_catalogue(&[CatalogueDecision {
            film_id: offside,
            catalogue_id: None,
            confidence: None,
            method: "not found".into(),
            note: Some("no entry".into()),
            aliases: vec![],
        }])
        .unwrap();
    let _ = store
        .put_catalogue(&[CatalogueEntry {
            id: 0,
            source: "imdb".into(),
            external_id: "tt1".into(),
            title: "Offside".into(),
            year: Some(2006),
            imdb_id: Some("tt1".into()),
            titles: vec![CatalogueTitle {
                title: "Offside".into(),
                key: "offside".into(),
                kind: TitleKind::Primary,
            }],
        }])
        .unwrap();
    verdict_stats(&mut store);
    assert!(store.stats().unwrap().unwrap().current);

    // What would go: three reviews of the first run; Offside (no review
    // left) goes, Harbour Lights keeps the second run's review.
    let before = tables(&path);
    let plan = store.removal(&Removal::Run(first)).unwrap();
    assert_eq!(tables(&path), before, "a dry run writes nothing");
    assert_eq!(plan.reviews.len(), 4);
    let h = plan.films.iter().find(|f| f.film_id == harbour).unwrap();
    assert_eq!((h.reviews, h.left, h.film_removed()), (2, 1, false));
    let o = plan.films.iter().find(|f| f.film_id == offside).unwrap();
    assert_eq!((o.reviews, o.left, o.film_removed()), (2, 0, true));
    assert_eq!(o.title, "Offside");

    let removed = store.remove(&Removal::Run(first)).unwrap();
    assert_eq!(removed, plan);
    assert_eq!(store.counts().unwrap(), (1, 1));
    assert_eq!(store.review_count(harbour).unwrap(), 1);
    assert!(store.film(offside).unwrap().is_none());
    // Its alias, external id and catalogue decision went with it; the
    // catalogue itself (reference data) stays.
    let after: std::collections::HashMap<String, i64> = tables(&path).into_iter().collect();
    assert_eq!(after["film_aliases"], 1, "Harbour Lights' alias stays");
    assert_eq!(after["film_external_ids"], 0);
    assert_eq!(after["film_catalogue"], 0);
    assert_eq!(store.catalogue_count().unwrap(), 1);
    assert_eq!(after["runs"], 2, "runs are never deleted");
    assert!(
        store.films_by_keys(&["offside".into()]).unwrap().is_empty(),
        "nothing finds the film any more"
    );
    // The statistics no longer describe the reviews: stale until rebuilt.
    assert!(!store.stats().unwrap().unwrap().current);

    // Again: the run is known, nothing of it is left.
    let before = tables(&path);
    assert!(
        store
            .remove(&Removal::Run(first))
            .unwrap()
            .reviews
            .is_empty()
    );
    assert_eq!(tables(&path), before);
    assert!(matches!(
        store.remove(&Removal::Run(99)),
        Err(StoreError::NotFound { .. })
    ));

    // The second run: the last film goes.
    store.remove(&Removal::Run(second)).unwrap();
    assert_eq!(store.counts().unwrap(), (0, 0));
}

#[test]
fn a_removal_that_names_anything_missing_writes_nothing() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let (_, _, films) = two_runs(&mut store);
    let before = tables(&path);
    let ids: Vec<i64> = store
        .reviews_of(films[0])
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    let err = store
        .remove(&Removal::Reviews(vec![ids[0], 999]))
        .unwrap_err();
    assert!(err.to_string().contains("review 999 not found"), "{err}");
    assert_eq!(tables(&path), before);
    assert!(matches!(
        store.remove(&Removal::Film(999)),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(tables(&path), before);

    // A review named twice counts once.
    let removed = store
        .remove(&Removal::Reviews(vec![ids[0], ids[0]]))
        .unwrap();
    assert_eq!(removed.reviews, [ids[0]]);
    assert_eq!(removed.films[0].reviews, 1);
    assert_eq!(removed.films[0].left, 2);
    assert!(matches!(
        store.remove(&Removal::Reviews(vec![ids[0]])),
        Err(StoreError::NotFound { .. })
    ));

    // A film goes whole, whatever run its reviews came from.
    let removed = store.remove(&Removal::Film(films[0])).unwrap();
    assert_eq!(removed.reviews.len(), 2);
    assert!(removed.films[0].film_removed());
    assert_eq!(store.counts().unwrap(), (1, 2));
}

/// Some cached statistics, stamped with the reviews stored.
fn verdict_stats(store: &mut SqliteStore) {
    let state = store.review_state().unwrap();
    store
        .put_stats(
            &StatsSnapshot {
                state,
                films: 2,
                mean_score: Some(60.0),
                prior_weight: Some(3.0),
                within_variance: None,
                between_variance: None,
                computed_at: None,
                current: true,
            },
            &[],
        )
        .unwrap();
}
