//! Bulk imports, catalogues and cached statistics against real database
//! files.

use std::path::PathBuf;

use chrono::NaiveDate;
use tempfile::TempDir;
use verdict_core::{Assessment, Confidence, Judgement, Rating, Review, Verdict};
use verdict_store::{
    Alias, CatalogueDecision, CatalogueEntry, CatalogueTitle, CriticHarshness, ExternalId,
    FilmChoice, FilmRef, FilmUpdate, ImportBatch, ImportedReview, NewDatabase, NewFilm, NewReview,
    ReviewState, SqliteStore, StatsSnapshot, Store, StoreError, TitleKind,
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
        outlet: Some("Daily Planet".to_string()),
        date: NaiveDate::from_ymd_opt(2020, 1, 2),
        body: "A joy.".to_string(),
        rating: Some(Rating {
            raw: "4/5".to_string(),
            value: 4.0,
            best: 5.0,
            worst: 0.0,
            score: 80.0,
            scale: "x/5".to_string(),
            confidence: Confidence::High,
            span: None,
        }),
        assessment: Assessment {
            score,
            verdict: Verdict::from_score(score),
            confidence: 0.95,
            inferred: false,
            p_positive: Some(0.9),
            judgement: Some(Judgement {
                score: 70.0,
                verdict: Verdict::Positive,
                probability: 0.8,
                evidence: vec![],
                model: "linear-en-v2".to_string(),
            }),
        },
        source_verdict: Some(Verdict::Positive),
        top_critic: Some(true),
        diagnostics: vec![],
    }
}

fn new_film(title: &str, year: i32) -> NewFilm {
    NewFilm {
        title: title.to_string(),
        title_key: verdict_core::title::title_key(title),
        year: Some(year),
        aliases: vec![],
    }
}

fn link(id: &str, published: Option<f64>) -> ExternalId {
    ExternalId {
        source: "rt".to_string(),
        external_id: id.to_string(),
        published_percent: published,
        published_count: Some(3),
        method: "new film".to_string(),
        confidence: 1.0,
    }
}

#[test]
fn a_batch_creates_films_links_and_reviews_and_is_idempotent() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let batch = ImportBatch {
        films: vec![new_film("Harbour Lights", 2019), new_film("Offside", 2006)],
        updates: vec![],
        links: vec![
            (FilmRef::New(0), link("m/harbour_lights", Some(67.0))),
            (FilmRef::New(1), link("m/offside", None)),
        ],
        reviews: vec![
            (FilmRef::New(0), imported("h1", 80.0)),
            (FilmRef::New(0), imported("h2", 20.0)),
            (FilmRef::New(1), imported("h3", 60.0)),
        ],
        run: None,
    };
    let out = store.write_batch(&batch).unwrap();
    assert_eq!(out.film_ids.len(), 2);
    assert_eq!((out.inserted, out.duplicates), (3, 0));
    assert!(out.rejected.is_empty());
    assert_eq!(store.counts().unwrap(), (2, 3));

    // The same rows again: nothing new, not even a film's link.
    let again = ImportBatch {
        reviews: batch
            .reviews
            .iter()
            .map(|(_, r)| (FilmRef::Stored(out.film_ids[0]), r.clone()))
            .collect(),
        links: vec![(
            FilmRef::Stored(out.film_ids[1]),
            link("m/harbour_lights", None),
        )],
        ..ImportBatch::default()
    };
    let out2 = store.write_batch(&again).unwrap();
    assert_eq!((out2.inserted, out2.duplicates), (0, 3));
    assert_eq!(store.counts().unwrap(), (2, 3));
    let ids = store.external_ids(None).unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0].0, out.film_ids[0]);
    assert_eq!(ids[0].1.published_percent, Some(67.0));

    let index = store.film_index().unwrap();
    assert_eq!(index.len(), 2);
    assert_eq!(index[0].record.title_key, "harbour lights");
    assert_eq!(
        index[0].external_ids,
        vec![("rt".to_string(), "m/harbour_lights".to_string())]
    );

    // Stored fields round-trip, the new ones included.
    let reviews = store.reviews_of(out.film_ids[0]).unwrap();
    assert_eq!(reviews.len(), 2);
    let r = &reviews[0];
    assert_eq!(r.source_verdict, Some(Verdict::Positive));
    assert_eq!(r.top_critic, Some(true));
    assert_eq!(r.p_positive, Some(0.9));
    assert_eq!(r.rating.as_ref().unwrap().raw, "4/5");
    assert_eq!(r.judge_model.as_deref(), Some("linear-en-v2"));
    assert_eq!(r.date, NaiveDate::from_ymd_opt(2020, 1, 2));
}

#[test]
fn updates_set_year_and_aliases_of_stored_films() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let out = store
        .write_batch(&ImportBatch {
            films: vec![new_film("Red Rooms", 2024)],
            ..ImportBatch::default()
        })
        .unwrap();
    let id = out.film_ids[0];
    store
        .write_batch(&ImportBatch {
            updates: vec![FilmUpdate {
                film_id: id,
                year: Some(2023),
                new_aliases: vec![Alias::of("Les Chambres Rouges"), Alias::of("Red Rooms")],
            }],
            ..ImportBatch::default()
        })
        .unwrap();
    let film = store.film(id).unwrap().unwrap();
    assert_eq!(film.year, Some(2023));
    assert_eq!(film.aliases, vec!["Les Chambres Rouges"]);
    let err = store
        .write_batch(&ImportBatch {
            updates: vec![FilmUpdate {
                film_id: 999,
                year: None,
                new_aliases: vec![],
            }],
            reviews: vec![(FilmRef::Stored(id), imported("x", 50.0))],
            ..ImportBatch::default()
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert_eq!(
        store.counts().unwrap().1,
        0,
        "a failed batch writes nothing"
    );
}

/// Every rule the database checks on a review, the bulk path refuses too
/// (it checks them itself: see `sqlite/bulk.rs`), and the document path
/// still has the database check them after a batch.
#[test]
fn bulk_refuses_what_the_database_refuses() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let film = add_film(&mut store, "Harbour Lights", 2019);
    let bad: Vec<(&str, ImportedReview)> = vec![
        ("score", imported("a", 150.0)),
        ("negative score", imported("b", -1.0)),
        ("NaN score", imported("c", f64::NAN)),
        ("confidence", {
            let mut r = imported("d", 50.0);
            r.assessment.confidence = 1.5;
            r
        }),
        ("p_positive", {
            let mut r = imported("e", 50.0);
            r.assessment.p_positive = Some(2.0);
            r
        }),
        ("rating score", {
            let mut r = imported("f", 50.0);
            r.rating.as_mut().unwrap().score = 101.0;
            r
        }),
        ("judgement probability", {
            let mut r = imported("g", 50.0);
            r.assessment.judgement.as_mut().unwrap().probability = 1.2;
            r
        }),
        ("empty hash", imported("", 50.0)),
        (
            "date",
            ImportedReview {
                date: NaiveDate::from_ymd_opt(12345, 1, 1),
                ..imported("h", 50.0)
            },
        ),
    ];
    let n = bad.len();
    let mut reviews: Vec<(FilmRef, ImportedReview)> = bad
        .iter()
        .map(|(_, r)| (FilmRef::Stored(film), r.clone()))
        .collect();
    reviews.push((FilmRef::Stored(film), imported("good", 70.0)));
    reviews.push((FilmRef::Stored(12345), imported("no such film", 70.0)));
    let out = store
        .write_batch(&ImportBatch {
            reviews,
            ..ImportBatch::default()
        })
        .unwrap();
    assert_eq!(out.inserted, 1);
    let rejected: Vec<usize> = out.rejected.iter().map(|(i, _)| *i).collect();
    assert_eq!(
        rejected,
        (0..n).chain([n + 1]).collect::<Vec<_>>(),
        "{:?}",
        out.rejected
    );
    assert!(
        out.rejected[n].1.contains("FOREIGN KEY"),
        "{:?}",
        out.rejected[n]
    );

    // The database itself refuses every one of them from the document
    // path (the numbers that are not finite before it sees them), so CHECK
    // rules are on again after the batch.
    for (what, r) in &bad {
        let review = Review {
            source: r.source.clone(),
            content_hash: r.content_hash.clone(),
            format: "text".into(),
            title_seen: None,
            film_title: Some("Harbour Lights".into()),
            year: None,
            aliases: vec![],
            critic: None,
            outlet: None,
            date: r.date,
            body: String::new(),
            passages: vec![],
            rating: r.rating.clone(),
            aspects: vec![],
            source_verdict: None,
            link: None,
        };
        let new = NewReview {
            review: &review,
            assessment: &r.assessment,
            diagnostics: &[],
            run: None,
        };
        let err = store
            .put(
                new,
                FilmChoice::Existing {
                    id: film,
                    year: None,
                    new_aliases: vec![],
                },
            )
            .unwrap_err();
        assert!(matches!(err, StoreError::Rejected { .. }), "{what}: {err}");
    }
    assert_eq!(store.counts().unwrap().1, 1);
}

/// Every column of a stored review but its id, identity and stamp, as
/// SQLite holds it (types included).
fn stored_columns(path: &std::path::Path, content_hash: &str) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT * FROM reviews WHERE content_hash = ?1")
        .unwrap();
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    stmt.query_row([content_hash], |row| {
        Ok(names
            .iter()
            .enumerate()
            .filter(|(_, n)| !["id", "content_hash", "ingested_at"].contains(&n.as_str()))
            .map(|(i, n)| (n.clone(), format!("{:?}", row.get_ref(i).unwrap())))
            .collect())
    })
    .unwrap()
}

/// A document's review and an export's row carrying the same fields are
/// written by the same statement and binder: column for column alike,
/// P(favourable) included.
#[test]
fn a_document_and_a_row_are_stored_alike() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let film = add_film(&mut store, "Harbour Lights", 2019);
    let run = store.begin_run("ingest", "test").unwrap();
    let mut row = imported("row", 80.0);
    row.format = "html";
    row.title_seen = Some("Harbour Lights review".into());
    row.year_seen = Some(2019);
    row.source_verdict = None;
    row.top_critic = None;
    row.rating.as_mut().unwrap().span = Some(verdict_core::Span::new(40, 43));
    let j = row.assessment.judgement.as_mut().unwrap();
    j.evidence = vec!["A joy.".into()];
    row.diagnostics = vec![verdict_core::Diagnostic::warning(
        "judge.disagrees",
        "the rating reads otherwise",
    )];
    let review = Review {
        source: row.source.clone(),
        content_hash: "document".into(),
        format: "html".into(),
        title_seen: row.title_seen.clone(),
        film_title: Some("Harbour Lights".into()),
        year: row.year_seen,
        aliases: vec![],
        critic: row.critic.clone(),
        outlet: row.outlet.clone(),
        date: row.date,
        body: row.body.clone(),
        passages: vec![],
        rating: row.rating.clone(),
        aspects: vec![],
        source_verdict: None,
        link: None,
    };
    let put = store
        .put(
            NewReview {
                review: &review,
                assessment: &row.assessment,
                diagnostics: &row.diagnostics,
                run: Some(run),
            },
            FilmChoice::Existing {
                id: film,
                year: None,
                new_aliases: vec![],
            },
        )
        .unwrap();
    assert!(!put.is_duplicate());
    let out = store
        .write_batch(&ImportBatch {
            reviews: vec![(FilmRef::Stored(film), row.clone())],
            run: Some(run),
            ..ImportBatch::default()
        })
        .unwrap();
    assert_eq!(out.inserted, 1);
    let document = stored_columns(&path, "document");
    assert_eq!(document.len(), 34);
    assert!(
        document.contains(&(
            "run_id".to_string(),
            format!("{:?}", rusqlite::types::ValueRef::Integer(run))
        )),
        "{document:?}"
    );
    assert_eq!(document, stored_columns(&path, "row"));
    let stored = store.review(put.review_id()).unwrap().unwrap();
    assert_eq!(stored.p_positive, Some(0.9));
    assert_eq!(stored.evidence, vec!["A joy.".to_string()]);
    assert_eq!(stored.judge_model.as_deref(), Some("linear-en-v2"));
}

fn entry(
    source: &str,
    id: &str,
    title: &str,
    year: i32,
    imdb: &str,
    original: Option<&str>,
) -> CatalogueEntry {
    let mut titles = vec![CatalogueTitle {
        title: title.into(),
        key: verdict_core::title::title_key(title),
        kind: TitleKind::Primary,
    }];
    if let Some(o) = original {
        titles.push(CatalogueTitle {
            title: o.into(),
            key: verdict_core::title::title_key(o),
            kind: TitleKind::Original,
        });
    }
    CatalogueEntry {
        id: 0,
        source: source.into(),
        external_id: id.into(),
        title: title.into(),
        year: Some(year),
        imdb_id: Some(imdb.into()),
        titles,
    }
}

#[test]
fn catalogue_entries_lookups_and_decisions() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let entries = vec![
        entry("imdb", "tt1", "Inside Out", 2011, "tt1", None),
        entry("imdb", "tt2", "Inside Out", 2015, "tt2", None),
        entry(
            "imdb",
            "tt3",
            "Red Rooms",
            2023,
            "tt3",
            Some("Les Chambres Rouges"),
        ),
    ];
    let w = store.put_catalogue(&entries).unwrap();
    assert_eq!((w.inserted, w.unchanged), (3, 0));
    let w = store.put_catalogue(&entries[..1]).unwrap();
    assert_eq!((w.inserted, w.unchanged), (0, 1));
    assert_eq!(store.catalogue_count().unwrap(), 3);

    let found = store
        .catalogue_by_keys(&["inside out".to_string()])
        .unwrap();
    assert_eq!(
        found.iter().map(|e| e.year).collect::<Vec<_>>(),
        vec![Some(2011), Some(2015)]
    );
    let rr = store
        .catalogue_by_keys(&["chambres rouges".to_string()])
        .unwrap();
    assert_eq!(rr.len(), 1);
    assert_eq!(rr[0].titles.len(), 2);
    assert_eq!(rr[0].titles[1].kind, TitleKind::Original);

    let films = store
        .write_batch(&ImportBatch {
            films: vec![new_film("Red Rooms", 2023), new_film("Inside Out", 2015)],
            ..ImportBatch::default()
        })
        .unwrap()
        .film_ids;
    assert_eq!(store.films_without_catalogue_decision().unwrap().len(), 2);
    store
        .set_film_catalogue(&[
            CatalogueDecision {
                film_id: films[0],
                catalogue_id: Some(rr[0].id),
                confidence: Some(1.0),
                method: "primary title and year".into(),
                note: None,
                aliases: vec![Alias::of("Les Chambres Rouges")],
            },
            CatalogueDecision {
                film_id: films[1],
                catalogue_id: None,
                confidence: None,
                method: "ambiguous".into(),
                note: Some("two fit".into()),
                aliases: vec![],
            },
        ])
        .unwrap();
    assert!(store.films_without_catalogue_decision().unwrap().is_empty());
    let decisions = store.film_catalogue(None).unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(
        decisions[0].entry.as_ref().unwrap().imdb_id.as_deref(),
        Some("tt3")
    );
    assert_eq!(decisions[1].note.as_deref(), Some("two fit"));
    assert_eq!(
        store.film(films[0]).unwrap().unwrap().aliases,
        vec!["Les Chambres Rouges"]
    );
    // A later decision replaces the earlier one.
    store
        .set_film_catalogue(&[CatalogueDecision {
            film_id: films[1],
            catalogue_id: Some(found[1].id),
            confidence: Some(0.85),
            method: "primary title and year ± 1".into(),
            note: None,
            aliases: vec![],
        }])
        .unwrap();
    let d = store.film_catalogue(Some(films[1])).unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].confidence, Some(0.85));
}

#[test]
fn scores_stream_in_film_order_and_stats_round_trip() {
    let (_dir, path) = db();
    let mut store = SqliteStore::open(&path).unwrap();
    let films = store
        .write_batch(&ImportBatch {
            films: vec![new_film("B", 2000), new_film("A", 2001)],
            reviews: vec![
                (FilmRef::New(1), imported("1", 80.0)),
                (FilmRef::New(0), imported("2", 20.0)),
                (
                    FilmRef::New(1),
                    ImportedReview {
                        critic: None,
                        source_verdict: None,
                        ..imported("3", 55.0)
                    },
                ),
            ],
            ..ImportBatch::default()
        })
        .unwrap()
        .film_ids;
    let mut lines = Vec::new();
    store
        .for_each_score(&mut |l| {
            lines.push((
                l.film_id,
                l.score,
                l.critic.map(str::to_string),
                l.source_verdict,
            ))
        })
        .unwrap();
    assert_eq!(
        lines,
        vec![
            (
                films[0],
                20.0,
                Some("Ann Lee".to_string()),
                Some(Verdict::Positive)
            ),
            (
                films[1],
                80.0,
                Some("Ann Lee".to_string()),
                Some(Verdict::Positive)
            ),
            (films[1], 55.0, None, None),
        ]
    );
    // A second batch adds to the first film: the stat lines (read in the
    // table's order, sorted by film) come in the score lines' order.
    store
        .write_batch(&ImportBatch {
            reviews: vec![
                (FilmRef::Stored(films[1]), imported("6", 65.0)),
                (FilmRef::Stored(films[0]), imported("7", 35.0)),
            ],
            ..ImportBatch::default()
        })
        .unwrap();
    let mut score_lines = Vec::new();
    store
        .for_each_score(&mut |l| {
            score_lines.push((l.film_id, l.score, l.inferred, l.critic.map(str::to_string)))
        })
        .unwrap();
    let mut stat_lines = Vec::new();
    store
        .for_each_stat_line(&mut |l| {
            stat_lines.push((l.film_id, l.score, l.inferred, l.critic.map(str::to_string)))
        })
        .unwrap();
    assert_eq!(score_lines.len(), 5);
    assert_eq!(stat_lines, score_lines);
    let state = store.review_state().unwrap();
    assert_eq!(state.reviews, 5);
    assert!(store.stats().unwrap().is_none());
    let snapshot = StatsSnapshot {
        state,
        films: 2,
        mean_score: Some(51.7),
        prior_weight: Some(4.0),
        within_variance: Some(300.0),
        between_variance: Some(75.0),
        computed_at: None,
        current: true,
    };
    let critics = vec![CriticHarshness {
        key: "ann lee".into(),
        critic: "Ann Lee".into(),
        reviews: 2,
        films: 2,
        mean_offset: -5.0,
        shrunk_offset: -1.4,
    }];
    store.put_stats(&snapshot, &critics).unwrap();
    let got = store.stats().unwrap().unwrap();
    assert!(got.current);
    assert_eq!(got.prior_weight, Some(4.0));
    assert_eq!(
        got.state,
        ReviewState {
            reviews: 5,
            max_review_id: state.max_review_id
        }
    );
    assert!(got.computed_at.is_some());
    assert_eq!(store.critic_stats(None).unwrap(), critics);
    assert_eq!(
        store
            .critic_stats(Some(&["ann lee".into(), "nobody".into()]))
            .unwrap(),
        critics
    );
    // A review stored since: the cache no longer describes the reviews.
    store
        .write_batch(&ImportBatch {
            reviews: vec![(FilmRef::Stored(films[0]), imported("4", 90.0))],
            ..ImportBatch::default()
        })
        .unwrap();
    assert!(!store.stats().unwrap().unwrap().current);
}

/// A new film written in a batch of its own; its id.
fn add_film(store: &mut SqliteStore, title: &str, year: i32) -> i64 {
    store
        .write_batch(&ImportBatch {
            films: vec![new_film(title, year)],
            ..ImportBatch::default()
        })
        .unwrap()
        .film_ids[0]
}

/// `count` reviews of `film` with hashes `{prefix}0…`.
fn reviews_of(film: i64, prefix: &str, count: usize) -> Vec<(FilmRef, ImportedReview)> {
    (0..count)
        .map(|i| {
            (
                FilmRef::Stored(film),
                imported(&format!("{prefix}{i}"), 60.0),
            )
        })
        .collect()
}

#[test]
fn a_new_database_is_built_aside_and_put_in_place_whole() {
    let (dir, path) = db();
    let mut new = NewDatabase::create(&path)
        .unwrap()
        .expect("nothing there yet");
    let temp = new.temp_path().to_path_buf();
    assert_eq!(temp.parent(), Some(dir.path()));
    assert!(temp.exists() && !path.exists());
    let film = add_film(new.store(), "Harbour Lights", 2019);
    // A row naming no film inside a multi-row insert: SQLite refuses the
    // statement, which is undone (the journal in memory) and redone row by
    // row; the other rows of the batch are stored once.
    let mut reviews = reviews_of(film, "h", 40);
    reviews[20].0 = FilmRef::Stored(9999);
    let out = new
        .store()
        .write_batch(&ImportBatch {
            reviews,
            ..ImportBatch::default()
        })
        .unwrap();
    assert_eq!(out.inserted, 39);
    assert_eq!(
        out.rejected.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        [20]
    );
    assert!(!path.exists(), "nothing in place before the load is done");

    let store = new.finish().unwrap();
    assert_eq!(store.path(), path);
    assert_eq!(store.counts().unwrap(), (1, 39));
    drop(store);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["verdict.db"], "the temporary file is gone");
    // In WAL mode like every database in place (header bytes 18–19).
    let header = std::fs::read(&path).unwrap();
    assert_eq!(&header[18..20], &[2, 2]);
    // A database that exists is not built anew.
    assert!(NewDatabase::create(&path).unwrap().is_none());
    let again = SqliteStore::open(&path).unwrap();
    assert_eq!(again.counts().unwrap(), (1, 39));
}

#[test]
fn an_unfinished_new_database_leaves_nothing_behind() {
    let (dir, path) = db();
    let mut new = NewDatabase::create(&path).unwrap().unwrap();
    add_film(new.store(), "Offside", 2006);
    drop(new);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_database_created_during_the_load_is_never_replaced() {
    let (_dir, path) = db();
    let mut new = NewDatabase::create(&path).unwrap().unwrap();
    let temp = new.temp_path().to_path_buf();
    let film = add_film(new.store(), "Offside", 2006);
    new.store()
        .write_batch(&ImportBatch {
            reviews: reviews_of(film, "mine", 3),
            ..ImportBatch::default()
        })
        .unwrap();
    // Meanwhile another process creates the database and writes to it.
    let mut other = SqliteStore::open(&path).unwrap();
    let theirs = add_film(&mut other, "Harbour Lights", 2019);
    other
        .write_batch(&ImportBatch {
            reviews: reviews_of(theirs, "theirs", 5),
            ..ImportBatch::default()
        })
        .unwrap();

    let err = new.finish().unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("created by another process"), "{msg}");
    assert!(msg.contains(&temp.display().to_string()), "{msg}");
    assert_eq!(other.counts().unwrap(), (1, 5), "theirs untouched");
    // The load is kept where the error says, whole.
    let kept = SqliteStore::open(&temp).unwrap();
    assert_eq!(kept.counts().unwrap(), (1, 3));
}

/// A killed load's temporary file is removed by the next load of the same
/// database once its process is gone and it has been left unchanged for an
/// hour; a load still running is left alone, so is a file written lately
/// (its PID may be another namespace's), and so are other files.
#[test]
#[cfg(target_os = "linux")]
fn the_next_load_removes_what_a_killed_load_left() {
    let (dir, path) = db();
    let name = path.file_name().unwrap().to_str().unwrap().to_string();
    let leftover = |pid: u32| dir.path().join(format!("{name}.loading-{pid}"));
    // A process that has ended: its id runs nothing now.
    let mut ended = std::process::Command::new("true").spawn().unwrap();
    ended.wait().unwrap();
    // One still running.
    let mut running = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let killed = leftover(ended.id());
    std::fs::write(&killed, b"half a database").unwrap();
    let copy = dir
        .path()
        .join(format!("{name}.loading-{}.bak", ended.id()));
    std::fs::write(&copy, b"a copy the user made").unwrap();
    let mut journal = killed.clone().into_os_string();
    journal.push("-journal");
    std::fs::write(&journal, b"its journal").unwrap();
    let live = leftover(running.id());
    std::fs::write(&live, b"being written").unwrap();
    let other = dir.path().join(format!("{name}.loading-notes"));
    std::fs::write(&other, b"a file of the user's").unwrap();
    // A load whose process this one cannot see, writing now.
    let mut unseen = std::process::Command::new("true").spawn().unwrap();
    unseen.wait().unwrap();
    let recent = leftover(unseen.id());
    std::fs::write(&recent, b"being written elsewhere").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    for old in [&killed, &live] {
        std::fs::File::options()
            .write(true)
            .open(old)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }

    let new = NewDatabase::create(&path).unwrap().unwrap();
    assert_eq!(new.removed_leftovers(), std::slice::from_ref(&killed));
    assert!(!killed.exists());
    assert!(!std::path::Path::new(&journal).exists());
    assert!(live.exists(), "a running load is left alone");
    assert!(recent.exists(), "a file written lately is left alone");
    assert!(other.exists());
    assert!(copy.exists());
    new.finish().unwrap();
    running.kill().unwrap();
    running.wait().unwrap();
}
