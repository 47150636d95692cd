//! Bulk imports, catalogues and cached statistics on PostgreSQL
//! (`postgres/bulk.rs`) against SQLite's (`sqlite/bulk.rs`): the same
//! batches through both backends give the same outcomes, the same ids, the
//! same lines in the same order.
//!
//! The server is `verdict_testkit`'s, one for the test binary; without
//! PostgreSQL the tests are skipped visibly (and fail under
//! `VERDICT_REQUIRE_POSTGRES=1`).

use chrono::NaiveDate;
use verdict_core::{Assessment, Confidence, Judgement, Rating, Verdict};
use verdict_store::{
    Alias, CatalogueDecision, CatalogueEntry, CatalogueTitle, CriticHarshness, ExternalId, FilmRef,
    FilmUpdate, ImportBatch, ImportedReview, NewFilm, PgStore, ReviewState, SqliteStore,
    StatsSnapshot, Store, StoreError, TitleKind,
};

// ---------------------------------------------------------------------
// A database.

/// A fresh database of the test binary's server (`verdict_testkit`), or
/// `None` (skipped visibly). Where the server has ICU, the database sorts
/// text by ICU's English (not byte order), so that an order SQLite sorts
/// by bytes is seen to be kept.
fn database() -> Option<String> {
    let url = verdict_testkit::postgres::shared()?.database();
    let (base, name) = url.rsplit_once('/').expect("a database URL");
    let icu = format!("{name}_icu");
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("the server answers");
    let made = admin.batch_execute(&format!(
        "CREATE DATABASE {icu} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
    ));
    Some(match made {
        Ok(()) => format!("{base}/{icu}"),
        Err(e) => {
            verdict_testkit::note(format_args!(
                "pg_bulk: no ICU database ({e}); text sorts by bytes there"
            ));
            url
        }
    })
}

/// Both backends, empty: SQLite in memory and a fresh PostgreSQL
/// database.
fn both() -> Option<(SqliteStore, PgStore)> {
    let url = database()?;
    Some((
        SqliteStore::open_in_memory().unwrap(),
        PgStore::open(&url).unwrap(),
    ))
}

// ---------------------------------------------------------------------
// Batches.

fn imported(hash: &str, score: f64) -> ImportedReview {
    ImportedReview {
        content_hash: hash.to_string(),
        source: format!("reviews.csv:{hash}"),
        format: "rt-csv",
        title_seen: Some("Harbour Lights".into()),
        year_seen: Some(2019),
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
            span: Some(verdict_core::Span::new(3, 6)),
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
                evidence: vec!["A joy.".into()],
                model: "linear-en-v2".to_string(),
            }),
        },
        source_verdict: Some(Verdict::Positive),
        top_critic: Some(true),
        diagnostics: vec![verdict_core::Diagnostic::warning(
            "judge.disagrees",
            "the rating reads otherwise",
        )],
    }
}

/// A bare review: read from its text, with no rating, critic, date or
/// flags.
fn bare(hash: &str, score: f64) -> ImportedReview {
    ImportedReview {
        title_seen: None,
        year_seen: None,
        critic: None,
        outlet: None,
        date: None,
        body: String::new(),
        rating: None,
        assessment: Assessment {
            score,
            verdict: Verdict::from_score(score),
            confidence: 0.5,
            inferred: true,
            p_positive: None,
            judgement: Some(Judgement {
                score,
                verdict: Verdict::from_score(score),
                probability: 0.5,
                evidence: vec![],
                model: "linear-en-v2".to_string(),
            }),
        },
        source_verdict: None,
        top_critic: None,
        diagnostics: vec![],
        ..imported(hash, score)
    }
}

/// An unjudged review: no rating and no text, so no judgement.
fn unjudged(hash: &str) -> ImportedReview {
    let mut r = bare(hash, 50.0);
    r.assessment.judgement = None;
    r.assessment.confidence = 0.0;
    r
}

fn new_film(title: &str, year: i32, aliases: &[&str]) -> NewFilm {
    NewFilm {
        title: title.to_string(),
        title_key: verdict_core::title::title_key(title),
        year: Some(year),
        aliases: aliases.iter().map(|a| Alias::of(a)).collect(),
    }
}

fn link(source: &str, id: &str, published: Option<f64>) -> ExternalId {
    ExternalId {
        source: source.to_string(),
        external_id: id.to_string(),
        published_percent: published,
        published_count: Some(3),
        method: "new film".to_string(),
        confidence: 1.0,
    }
}

fn entry(id: &str, title: &str, year: i32, others: &[(&str, TitleKind)]) -> CatalogueEntry {
    let mut titles = vec![CatalogueTitle {
        title: title.into(),
        key: verdict_core::title::title_key(title),
        kind: TitleKind::Primary,
    }];
    titles.extend(others.iter().map(|(t, kind)| CatalogueTitle {
        title: (*t).into(),
        key: verdict_core::title::title_key(t),
        kind: *kind,
    }));
    CatalogueEntry {
        id: 0,
        source: "imdb".into(),
        external_id: id.into(),
        title: title.into(),
        year: Some(year),
        imdb_id: Some(id.into()),
        titles,
    }
}

/// An error as both backends can agree on it: its kind and what it names
/// (the database's own name differs).
fn error_of(e: StoreError) -> String {
    match e {
        StoreError::NotFound { what, .. } => format!("not found: {what}"),
        other => format!("other: {other}"),
    }
}

// ---------------------------------------------------------------------
// One scenario, recorded line by line.

struct Transcript(Vec<String>);

impl Transcript {
    fn say(&mut self, what: &str, value: impl std::fmt::Debug) {
        self.0.push(format!("{what}: {value:?}"));
    }
}

fn score_lines(store: &dyn Store) -> Vec<String> {
    let mut lines = Vec::new();
    store
        .for_each_score(&mut |l| lines.push(format!("{l:?}")))
        .unwrap();
    lines
}

fn stat_lines(store: &dyn Store) -> Vec<String> {
    let mut lines = Vec::new();
    store
        .for_each_stat_line(&mut |l| lines.push(format!("{l:?}")))
        .unwrap();
    lines
}

/// Everything the bulk reads tell of a store.
fn state(t: &mut Transcript, store: &dyn Store) {
    t.say("counts", store.counts().unwrap());
    t.say("film_index", store.film_index().unwrap());
    t.say("external_ids", store.external_ids(None).unwrap());
    t.say("external_ids(1)", store.external_ids(Some(1)).unwrap());
    t.say("films", store.films().unwrap());
    t.say("review_state", store.review_state().unwrap());
    for line in score_lines(store) {
        t.say("score", line);
    }
    for line in stat_lines(store) {
        t.say("stat", line);
    }
}

fn outcome(t: &mut Transcript, what: &str, r: verdict_store::Result<verdict_store::BatchOutcome>) {
    match r {
        Ok(out) => t.say(what, out),
        Err(e) => t.say(what, error_of(e)),
    }
}

fn scenario(store: &mut dyn Store) -> Transcript {
    let mut t = Transcript(Vec::new());
    let run = store.begin_run("import", "reviews.csv").unwrap();
    t.say("run", run);

    // Films, links, and reviews good and bad.
    let mut nan_date = imported("bad-date", 50.0);
    nan_date.date = NaiveDate::from_ymd_opt(12345, 1, 1);
    let mut no_hash = imported("", 50.0);
    no_hash.source = "no hash".into();
    let mut span = imported("bad-span", 50.0);
    span.rating.as_mut().unwrap().span = Some(verdict_core::Span::new(9, 2));
    let mut judged = imported("bad-judge", 50.0);
    judged.assessment.judgement.as_mut().unwrap().probability = 1.5;
    let first = ImportBatch {
        films: vec![
            new_film(
                "Harbour Lights",
                2019,
                &["Les Lumières du Port", "Harbour Lights"],
            ),
            new_film("Offside", 2006, &[]),
            new_film("Red Rooms", 2023, &["Les Chambres Rouges"]),
        ],
        updates: vec![],
        links: vec![
            (FilmRef::New(0), link("rt", "m/harbour_lights", Some(67.0))),
            (FilmRef::New(1), link("rt", "m/offside", Some(f64::NAN))),
            (FilmRef::New(1), link("imdb", "tt0499537", None)),
            // Already tied (same source and id): kept as it is.
            (FilmRef::New(2), link("rt", "m/offside", Some(10.0))),
            (FilmRef::New(0), link("imdb", "tt01", None)),
            (FilmRef::New(0), link("Imdb", "tt00", None)),
        ],
        reviews: vec![
            (FilmRef::New(1), imported("h1", 80.0)),
            (FilmRef::New(0), imported("h2", 20.0)),
            (FilmRef::New(0), imported("h1", 10.0)), // repeated: the first wins
            (FilmRef::New(1), imported("bad-score", 150.0)),
            (FilmRef::New(1), imported("nan", f64::NAN)),
            (FilmRef::New(2), nan_date),
            (FilmRef::New(2), no_hash),
            (FilmRef::New(2), span),
            (FilmRef::New(2), judged),
            (FilmRef::Stored(999), imported("orphan", 50.0)),
            (FilmRef::New(2), bare("h3", 55.0)),
            (FilmRef::New(2), bare("orphan", 45.0)), // after its refused twin: written
            (FilmRef::Stored(999), imported("h3", 50.0)), // stored already: a duplicate
            (FilmRef::New(1), bare("h4", 0.0)),
        ],
        run: Some(run),
    };
    outcome(&mut t, "first", store.write_batch(&first));
    state(&mut t, &*store);

    // The same again, to stored films: nothing new.
    let again = ImportBatch {
        reviews: first
            .reviews
            .iter()
            .map(|(_, r)| (FilmRef::Stored(2), r.clone()))
            .collect(),
        links: vec![(FilmRef::Stored(3), link("rt", "m/harbour_lights", None))],
        ..ImportBatch::default()
    };
    outcome(&mut t, "again", store.write_batch(&again));

    // Updates, and batches that fail whole and write nothing.
    let updates = ImportBatch {
        updates: vec![
            FilmUpdate {
                film_id: 2,
                year: Some(2007),
                new_aliases: vec![Alias::of("Offside (2006)"), Alias::of("Offside")],
            },
            FilmUpdate {
                film_id: 3,
                year: None,
                new_aliases: vec![Alias::of("Red Rooms"), Alias::of("Chambres rouges")],
            },
        ],
        reviews: vec![(FilmRef::Stored(3), bare("h5", 61.0))],
        ..ImportBatch::default()
    };
    outcome(&mut t, "updates", store.write_batch(&updates));
    let missing_film = ImportBatch {
        updates: vec![FilmUpdate {
            film_id: 999,
            year: None,
            new_aliases: vec![],
        }],
        reviews: vec![(FilmRef::Stored(1), bare("x1", 50.0))],
        ..ImportBatch::default()
    };
    outcome(&mut t, "missing film", store.write_batch(&missing_film));
    let missing_new = ImportBatch {
        films: vec![new_film("Ghost", 2001, &[])],
        reviews: vec![
            (FilmRef::Stored(1), bare("x2", 50.0)),
            (FilmRef::New(5), bare("x3", 50.0)),
        ],
        ..ImportBatch::default()
    };
    outcome(&mut t, "missing new film", store.write_batch(&missing_new));
    let missing_link = ImportBatch {
        links: vec![(FilmRef::New(0), link("rt", "m/ghost", None))],
        ..ImportBatch::default()
    };
    outcome(
        &mut t,
        "missing linked film",
        store.write_batch(&missing_link),
    );
    // A run that is not there: every review its foreign key refuses but
    // the duplicates.
    let no_run = ImportBatch {
        reviews: vec![
            (FilmRef::Stored(1), bare("r1", 50.0)),
            (FilmRef::Stored(1), bare("h1", 50.0)),
            (FilmRef::Stored(1), bare("r1", 50.0)),
        ],
        run: Some(run + 100),
        ..ImportBatch::default()
    };
    outcome(&mut t, "missing run", store.write_batch(&no_run));
    let empty = ImportBatch::default();
    outcome(&mut t, "empty", store.write_batch(&empty));
    state(&mut t, &*store);

    // Many reviews, films out of order, a few repeated: the ids follow the
    // batch, the lines the films.
    let films = store
        .write_batch(&ImportBatch {
            films: (0..7)
                .map(|i| new_film(&format!("Film {i}"), 2000 + i, &[]))
                .collect(),
            ..ImportBatch::default()
        })
        .unwrap()
        .film_ids;
    t.say("films", &films);
    let many = ImportBatch {
        reviews: (0..3000)
            .map(|i: usize| {
                let film = films[(i * 5) % films.len()];
                let hash = format!("m{}", i % 2900);
                let mut r = if i.is_multiple_of(3) {
                    bare(&hash, (i % 101) as f64)
                } else {
                    imported(&hash, (i % 101) as f64)
                };
                r.critic = Some(format!("Critic {}", i % 13));
                if i.is_multiple_of(17) {
                    r.critic = None;
                }
                (FilmRef::Stored(film), r)
            })
            .collect(),
        run: Some(run),
        ..ImportBatch::default()
    };
    outcome(&mut t, "many", store.write_batch(&many));
    state(&mut t, &*store);

    // The cached statistics.
    t.say("stats before", store.stats().unwrap());
    let state_now = store.review_state().unwrap();
    let snapshot = StatsSnapshot {
        state: state_now,
        films: 10,
        mean_score: Some(51.7),
        prior_weight: Some(f64::NAN),
        within_variance: Some(300.0),
        between_variance: None,
        computed_at: None,
        current: true,
    };
    let critic = |key: &str, offset: f64| CriticHarshness {
        key: key.into(),
        critic: key.to_uppercase(),
        reviews: 12,
        films: 3,
        mean_offset: offset,
        shrunk_offset: offset / 2.0,
    };
    let critics = vec![
        critic("zed", 1.0),
        critic("ann lee", -5.0),
        critic("Émile", 2.5),
        critic("nan", f64::NAN),
        critic("ann lee", 9.0), // the first of a key wins
        critic("bob", f64::INFINITY),
    ];
    store.put_stats(&snapshot, &critics).unwrap();
    let masked = |s: Option<StatsSnapshot>| {
        s.map(|s| StatsSnapshot {
            computed_at: s.computed_at.map(|_| chrono::DateTime::UNIX_EPOCH),
            ..s
        })
    };
    t.say("stats", masked(store.stats().unwrap()));
    t.say("critic_stats", store.critic_stats(None).unwrap());
    t.say(
        "critic_stats(keys)",
        store
            .critic_stats(Some(&[
                "zed".into(),
                "nobody".into(),
                "ann lee".into(),
                "zed".into(),
                "Émile".into(),
            ]))
            .unwrap(),
    );
    t.say("critic_stats(none)", store.critic_stats(Some(&[])).unwrap());
    store
        .write_batch(&ImportBatch {
            reviews: vec![(FilmRef::Stored(1), bare("later", 90.0))],
            ..ImportBatch::default()
        })
        .unwrap();
    t.say("stats after", masked(store.stats().unwrap()));
    // Put again: replaced whole.
    store
        .put_stats(
            &StatsSnapshot {
                state: store.review_state().unwrap(),
                ..snapshot.clone()
            },
            &critics[..1],
        )
        .unwrap();
    t.say("stats again", masked(store.stats().unwrap()));
    t.say("critic_stats again", store.critic_stats(None).unwrap());

    // Catalogues.
    t.say("catalogue_count", store.catalogue_count().unwrap());
    let entries = vec![
        entry("tt1", "Inside Out", 2011, &[]),
        entry(
            "tt2",
            "Inside Out",
            2015,
            &[("Vice-versa", TitleKind::Alternative)],
        ),
        entry(
            "tt3",
            "Red Rooms",
            2023,
            &[
                ("Les Chambres Rouges", TitleKind::Original),
                ("Red Rooms", TitleKind::Alternative),
                ("", TitleKind::Alternative),
                ("Zimmer", TitleKind::Alternative),
                ("Alpha", TitleKind::Alternative),
            ],
        ),
    ];
    t.say("put_catalogue", store.put_catalogue(&entries).unwrap());
    t.say(
        "put_catalogue again",
        store.put_catalogue(&entries[1..]).unwrap(),
    );
    let more = vec![entry("tt4", "Offside", 2006, &[]), entries[0].clone()];
    t.say("put_catalogue more", store.put_catalogue(&more).unwrap());
    t.say("catalogue_count", store.catalogue_count().unwrap());
    for keys in [
        vec!["inside out".to_string()],
        vec![
            "chambres rouges".into(),
            "red rooms".into(),
            "zimmer".into(),
        ],
        vec!["offside".into(), "vice versa".into(), "nothing".into()],
        vec![],
    ] {
        t.say(
            &format!("catalogue_by_keys {keys:?}"),
            store.catalogue_by_keys(&keys).unwrap(),
        );
    }
    t.say(
        "films_without_catalogue_decision",
        store.films_without_catalogue_decision().unwrap(),
    );
    let red = store.catalogue_by_keys(&["red rooms".into()]).unwrap();
    store
        .set_film_catalogue(&[
            CatalogueDecision {
                film_id: 3,
                catalogue_id: Some(red[0].id),
                confidence: Some(1.0),
                method: "primary title and year".into(),
                note: None,
                aliases: vec![Alias::of("Les Chambres Rouges"), Alias::of("Zimmer")],
            },
            CatalogueDecision {
                film_id: 1,
                catalogue_id: None,
                confidence: None,
                method: "ambiguous".into(),
                note: Some("two fit".into()),
                aliases: vec![],
            },
        ])
        .unwrap();
    t.say(
        "films_without_catalogue_decision",
        store.films_without_catalogue_decision().unwrap(),
    );
    t.say("film_catalogue", store.film_catalogue(None).unwrap());
    store
        .set_film_catalogue(&[CatalogueDecision {
            film_id: 1,
            catalogue_id: Some(2),
            confidence: Some(0.85),
            method: "primary title and year ± 1".into(),
            note: None,
            aliases: vec![Alias::of("Vice-versa")],
        }])
        .unwrap();
    t.say("film_catalogue(1)", store.film_catalogue(Some(1)).unwrap());
    t.say(
        "film_catalogue(99)",
        store.film_catalogue(Some(99)).unwrap(),
    );
    t.say("film(1)", store.film(1).unwrap());
    t.say("film(3)", store.film(3).unwrap());
    t
}

#[test]
fn both_backends_agree_on_batches_lines_stats_and_catalogues() {
    let Some((mut sqlite, mut pg)) = both() else {
        return;
    };
    let want = scenario(&mut sqlite);
    let got = scenario(&mut pg);
    for (i, (w, g)) in want.0.iter().zip(&got.0).enumerate() {
        assert_eq!(g, w, "line {i} differs (PostgreSQL, then SQLite)");
    }
    assert_eq!(got.0.len(), want.0.len());
    // The scenario says something of substance.
    assert!(want.0.len() > 5000, "{}", want.0.len());
    assert!(
        want.0
            .iter()
            .any(|l| l.starts_with("first: BatchOutcome")
                && l.contains("inserted: 5, duplicates: 2")),
        "{:?}",
        &want.0[..3]
    );
}

/// What PostgreSQL refuses and SQLite takes (a NUL in text) is rejected
/// with the database's reason, the rest of the batch written one by one,
/// in order, with no id spent on what was refused or skipped.
#[test]
fn a_row_postgres_refuses_is_rejected_and_the_rest_written() {
    let Some(url) = database() else {
        return;
    };
    let mut pg = PgStore::open(&url).unwrap();
    let film = pg
        .write_batch(&ImportBatch {
            films: vec![new_film("Harbour Lights", 2019, &[])],
            reviews: vec![(FilmRef::New(0), bare("stored", 40.0))],
            ..ImportBatch::default()
        })
        .unwrap()
        .film_ids[0];
    let mut nul = imported("nul", 50.0);
    nul.body = "A \0 joy".into();
    let mut nul_json = bare("nul-json", 50.0);
    nul_json.diagnostics = vec![verdict_core::Diagnostic::warning("x", "a \0 b")];
    let out = pg
        .write_batch(&ImportBatch {
            reviews: vec![
                (FilmRef::Stored(film), bare("a", 10.0)),
                (FilmRef::Stored(film), nul),
                (FilmRef::Stored(film), bare("stored", 20.0)),
                (FilmRef::Stored(film), bare("nul", 30.0)), // its refused twin's hash
                (FilmRef::Stored(film), nul_json),
                (FilmRef::Stored(film), bare("score", 101.0)),
                (FilmRef::Stored(999), bare("orphan", 50.0)),
                (FilmRef::Stored(film), bare("a", 10.0)),
                (FilmRef::Stored(film), bare("b", 60.0)),
            ],
            ..ImportBatch::default()
        })
        .unwrap();
    assert_eq!((out.inserted, out.duplicates), (3, 2), "{out:?}");
    let rejected: Vec<usize> = out.rejected.iter().map(|(i, _)| *i).collect();
    assert_eq!(rejected, [1, 4, 5, 6], "{out:?}");
    assert!(out.rejected[2].1.starts_with("CHECK constraint failed"));
    assert_eq!(out.rejected[3].1, "FOREIGN KEY constraint failed");
    let mut lines = Vec::new();
    pg.for_each_score(&mut |l| lines.push((l.review_id, l.score)))
        .unwrap();
    assert_eq!(lines, [(1, 40.0), (2, 10.0), (3, 30.0), (4, 60.0)]);

    // SQLite stores the NUL.
    let mut sqlite = SqliteStore::open_in_memory().unwrap();
    let mut nul = imported("nul", 50.0);
    nul.body = "A \0 joy".into();
    let film = sqlite
        .write_batch(&ImportBatch {
            films: vec![new_film("Harbour Lights", 2019, &[])],
            ..ImportBatch::default()
        })
        .unwrap()
        .film_ids[0];
    let out = sqlite
        .write_batch(&ImportBatch {
            reviews: vec![(FilmRef::Stored(film), nul)],
            ..ImportBatch::default()
        })
        .unwrap();
    assert_eq!(out.inserted, 1);
}

/// Many lines, streamed in film order (a film's in id order), all of them;
/// the store reads on after a stream.
#[test]
fn many_lines_stream_in_order() {
    let Some(url) = database() else {
        return;
    };
    let mut pg = PgStore::open(&url).unwrap();
    let films = pg
        .write_batch(&ImportBatch {
            films: (0..50)
                .map(|i| new_film(&format!("F{i}"), 2000, &[]))
                .collect(),
            ..ImportBatch::default()
        })
        .unwrap()
        .film_ids;
    let mut reviews: Vec<(FilmRef, ImportedReview)> = (0..40_000)
        .map(|i: usize| {
            (
                FilmRef::Stored(films[(i * 7) % films.len()]),
                bare(&format!("s{i}"), (i % 100) as f64),
            )
        })
        .collect();
    // Unjudged reviews are streamed, said unjudged, and never reach the
    // statistics.
    reviews.extend((0..10).map(|i| (FilmRef::Stored(films[i]), unjudged(&format!("u{i}")))));
    let out = pg
        .write_batch(&ImportBatch {
            reviews,
            ..ImportBatch::default()
        })
        .unwrap();
    assert_eq!(out.inserted, 40_010);
    let mut last = (0, 0);
    let (mut n, mut not_judged) = (0, 0);
    pg.for_each_score(&mut |l| {
        assert!((l.film_id, l.review_id) > last);
        last = (l.film_id, l.review_id);
        n += 1;
        not_judged += usize::from(!l.judged);
    })
    .unwrap();
    assert_eq!((n, not_judged), (40_010, 10));
    let mut n = 0;
    let mut last_film = 0;
    pg.for_each_stat_line(&mut |l| {
        assert!(l.film_id >= last_film);
        last_film = l.film_id;
        n += 1;
    })
    .unwrap();
    assert_eq!(n, 40_000);
    assert_eq!(
        pg.review_state().unwrap(),
        ReviewState {
            reviews: 40_010,
            max_review_id: 40_010
        }
    );
}
