//! Reviews from the web, end to end over real HTTP on loopback: pages by
//! URL, followed feeds synced incrementally, and hostile answers (a wrong
//! charset, a compressed bomb, a page that never finishes, a broken feed
//! entry, a missing page) that each fail alone, leaving what is stored.

mod common;
use common::*;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use verdict::pipeline::Outcome;
use verdict::web::{self, FeedStatus};
use verdict_fetch::test_server::{Request, Response, TestServer};
use verdict_fetch::{Fetcher, Policy};
use verdict_judge::Judge;
use verdict_store::{EntryState, SqliteStore, Store};

fn review(film: &str, rating: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><title>{film} review | The Test Critic</title>
<meta property="og:site_name" content="The Test Critic"><meta name="author" content="Jane Critic">
</head><body><nav><a href="/">Home</a> <a href="/reviews">Reviews</a></nav>
<article><h1>{film} review</h1><p class="byline">By Jane Critic</p>
<p>{film} follows a nurse through one understaffed night on a surgical ward, and it never lets the tension drop. Every small task becomes a race against the clock.</p>
<p>The lead performance is precise and generous, and the direction keeps the camera close without ever feeling showy. It is one of the most gripping films of the year.</p>
<p>Rating: {rating}</p></article>
<div id="comments"><h3>Leave a Reply</h3></div></body></html>"#
    )
}

/// "Clémentine’s Café" review in windows-1252, sent as UTF-8.
fn cp1252_review() -> Vec<u8> {
    let mut page = review("Clementine", "3/5").into_bytes();
    let at = page.windows(7).position(|w| w == b"follows").unwrap();
    page.splice(at..at, b"(Cl\xe9mentine\x92s caf\xe9) ".iter().copied());
    page
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

const FULL_TEXT: &str = "Harbour Lights is a small, tender film about a lighthouse keeper and the town that forgot him. ";

fn feed(base: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>The Test Critic</title><link>{base}/</link><description>Reviews</description>
<item><title>Late Shift review</title><link>{base}/reviews/late-shift</link><guid>tc-1</guid></item>
<item><title>Broken entry</title><link>{base}/reviews/broken</link><description>a <b>bold & unclosed</description></item>
<item><title>Harbour Lights review</title><link>{base}/reviews/harbour-lights</link><guid>tc-3</guid>
  <content:encoded><![CDATA[<p>{full}</p><p>Score: 72</p>]]></content:encoded></item>
<item><title>Missing review</title><link>{base}/reviews/missing</link><guid>tc-4</guid></item>
<item><title>Clementine review</title><link>{base}/reviews/clementine</link><guid>tc-5</guid></item>
<item><title>Bomb review</title><link>{base}/reviews/bomb</link><guid>tc-6</guid></item>
<item><title>Slow review</title><link>{base}/reviews/slow</link><guid>tc-7</guid></item>
</channel></rss>"#,
        full = FULL_TEXT.repeat(20)
    )
}

struct Site {
    server: TestServer,
    /// Whether /reviews/missing has been published yet.
    published: Arc<AtomicBool>,
}

fn site() -> Site {
    let published = Arc::new(AtomicBool::new(false));
    let bomb = gzip(&vec![b' '; 64 * 1024 * 1024]);
    let served = AtomicUsize::new(0);
    let server = TestServer::start({
        let published = published.clone();
        move |r: &Request| {
            let base = format!("http://{}", r.header("host").unwrap_or("127.0.0.1"));
            match r.path.as_str() {
                "/robots.txt" => Response::ok("text/plain", "User-agent: *\nDisallow: /admin/\n"),
                "/feed.xml" if r.header("if-none-match") == Some("\"f1\"") => Response::status(304),
                "/feed.xml" => {
                    Response::ok("application/rss+xml", feed(&base)).with_header("ETag", "\"f1\"")
                }
                "/reviews/late-shift" => Response::html(review("Late Shift", "4/5")),
                "/reviews/changing" => {
                    // Every answer differs (a served-at stamp), as real pages do.
                    let n = served.fetch_add(1, Ordering::SeqCst);
                    Response::html(
                        review("Glass Houses", "2/5")
                            .replace("</body>", &format!("<!-- served {n} --></body>")),
                    )
                }
                "/reviews/missing" if published.load(Ordering::SeqCst) => {
                    Response::html(review("Red Rooms", "9/10"))
                }
                "/reviews/clementine" => Response::html(cp1252_review()),
                "/reviews/bomb" => Response::Full {
                    status: 200,
                    headers: vec![
                        ("Content-Type".into(), "text/html".into()),
                        ("Content-Encoding".into(), "gzip".into()),
                    ],
                    body: bomb.clone(),
                },
                "/reviews/slow" => Response::Drip {
                    headers: vec![("Content-Type".into(), "text/html".into())],
                    chunk: b"<p>".to_vec(),
                    every: Duration::from_millis(100),
                    times: 300,
                },
                _ => Response::status(404),
            }
        }
    });
    Site { server, published }
}

fn fetcher() -> Fetcher {
    Fetcher::new(Policy {
        timeout: Duration::from_secs(2),
        max_bytes: 4 * 1024 * 1024,
        host_interval: Duration::ZERO,
        env_proxy: false,
        ..Policy::cli()
    })
}

fn error_of(report: &web::FeedReport, source_end: &str) -> String {
    let entry = report
        .entries
        .iter()
        .find(|e| e.source.ends_with(source_end))
        .unwrap_or_else(|| panic!("no entry {source_end} in {report:#?}"));
    match &entry.outcome {
        Outcome::Failed { error } => error.clone(),
        other => panic!("{source_end}: {other:?}"),
    }
}

#[test]
fn feeds_sync_incrementally_and_hostile_entries_fail_alone() {
    let site = site();
    let fetcher = fetcher();
    let judge = Judge::embedded();
    let mut store = SqliteStore::open_in_memory().unwrap();
    let url = site.server.url("/feed.xml");

    let followed = web::follow(&mut store, &fetcher, &url).unwrap();
    assert!(followed.new);
    assert_eq!(followed.title.as_deref(), Some("The Test Critic"));
    assert_eq!((followed.entries, followed.broken), (7, 1));
    assert!(!web::follow(&mut store, &fetcher, &url).unwrap().new);
    assert_eq!(
        store.counts().unwrap(),
        (0, 0),
        "following stores no review"
    );

    // First sync: every readable entry is tried once.
    let reports = web::sync(&mut store, judge, &fetcher, None).unwrap();
    let r = &reports[0];
    assert!(
        matches!(r.status, FeedStatus::Read { entries: 7 }),
        "{r:#?}"
    );
    assert_eq!(r.entries.len(), 6);
    assert_eq!(r.broken.len(), 1);
    assert!(r.broken[0].error.contains("malformed"), "{:?}", r.broken);
    let stored: Vec<&str> = r
        .entries
        .iter()
        .filter_map(|e| match &e.outcome {
            Outcome::Stored { film, .. } => Some(film.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(stored, ["Late Shift", "Harbour Lights", "Clementine"]);
    assert!(error_of(r, "/reviews/missing").ends_with("HTTP 404 Not Found"));
    let bomb = error_of(r, "/reviews/bomb");
    assert!(bomb.contains("too large"), "{bomb}");
    let slow = error_of(r, "/reviews/slow");
    assert!(slow.contains("no complete answer within 2 s"), "{slow}");
    assert_eq!(store.counts().unwrap(), (3, 3));

    // The full text came from the feed, not the page (which is a 404).
    let films = store.films().unwrap();
    let harbour = films.iter().find(|f| f.title == "Harbour Lights").unwrap();
    let harbour_review = &store.reviews_of(harbour.id).unwrap()[0];
    assert_eq!(harbour_review.score, 72.0);
    assert_eq!(
        harbour_review.source,
        site.server.url("/reviews/harbour-lights")
    );
    assert_eq!(site.server.hits("/reviews/harbour-lights"), 0);
    // The wrong charset was caught: the text reads right, and it is noted.
    let clementine = films.iter().find(|f| f.title == "Clementine").unwrap();
    let c = &store.reviews_of(clementine.id).unwrap()[0];
    assert!(c.body.contains("Clémentine’s café"), "{}", c.body);
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == "decode.wrong-charset"),
        "{:?}",
        c.diagnostics
    );

    // Second sync: the feed is unchanged (conditional GET), the failed
    // entries are tried again, nothing stored is lost.
    let r = &web::sync(&mut store, judge, &fetcher, None).unwrap()[0];
    assert!(matches!(r.status, FeedStatus::NotModified), "{r:#?}");
    assert_eq!(site.server.hits("/feed.xml"), 4, "follow twice, sync, sync");
    assert_eq!(r.entries.len(), 3, "the three failures, again: {r:#?}");
    assert_eq!(
        site.server.hits("/reviews/late-shift"),
        1,
        "done entries are not fetched again"
    );
    assert_eq!(store.counts().unwrap(), (3, 3));

    // The missing review is published: the third sync stores it, and the
    // aggregate of its film follows.
    site.published.store(true, Ordering::SeqCst);
    let r = &web::sync(&mut store, judge, &fetcher, None).unwrap()[0];
    assert!(matches!(
        error_of_or_stored(r, "/reviews/missing"),
        Some(ref film) if film == "Red Rooms"
    ));
    assert_eq!(store.counts().unwrap(), (4, 4));
    let red = store
        .films()
        .unwrap()
        .into_iter()
        .find(|f| f.title == "Red Rooms")
        .unwrap();
    let page = verdict_present::film_page(&store, &red).unwrap();
    let page = serde_json::to_value(&page).unwrap();
    assert_eq!(page["aggregate"]["reviews"], 1);
    assert_eq!(page["aggregate"]["score"], 90.0);

    // After three attempts a failing entry is left alone.
    let r = &web::sync(&mut store, judge, &fetcher, None).unwrap()[0];
    assert!(r.entries.is_empty(), "{r:#?}");
    let entries = store.feed_entries(1).unwrap();
    let bomb = entries.iter().find(|e| e.key == "tc-6").unwrap();
    assert_eq!((bomb.state, bomb.attempts), (EntryState::Failed, 3));
    let missing = entries.iter().find(|e| e.key == "tc-4").unwrap();
    assert_eq!(missing.state, EntryState::Stored);
}

/// The film an entry's review was stored under, or `None`.
fn error_of_or_stored(report: &web::FeedReport, source_end: &str) -> Option<String> {
    report
        .entries
        .iter()
        .find(|e| e.source.ends_with(source_end))
        .and_then(|e| match &e.outcome {
            Outcome::Stored { film, .. } => Some(film.clone()),
            _ => None,
        })
}

#[test]
fn a_feed_that_fails_is_reported_and_changes_nothing() {
    let down = Arc::new(AtomicBool::new(false));
    let server = TestServer::start({
        let down = down.clone();
        move |r: &Request| {
            let base = format!("http://{}", r.header("host").unwrap_or("127.0.0.1"));
            match r.path.as_str() {
                "/feed.xml" if down.load(Ordering::SeqCst) => {
                    Response::html("<html>maintenance</html>")
                }
                "/feed.xml" => Response::ok("application/rss+xml", feed(&base)),
                "/reviews/late-shift" => Response::html(review("Late Shift", "4/5")),
                _ => Response::status(404),
            }
        }
    });
    let fetcher = fetcher();
    let mut store = SqliteStore::open_in_memory().unwrap();
    web::follow(&mut store, &fetcher, &server.url("/feed.xml")).unwrap();
    down.store(true, Ordering::SeqCst);
    let r = &web::sync(&mut store, Judge::embedded(), &fetcher, None).unwrap()[0];
    match &r.status {
        FeedStatus::Failed { error } => assert!(error.contains("not a feed"), "{error}"),
        other => panic!("{other:?}"),
    }
    assert!(r.failed());
    assert_eq!(store.counts().unwrap(), (0, 0));
    assert!(store.feeds().unwrap()[0].last_error.is_some());
    // Following something that is not a feed stores nothing.
    let e = web::follow(&mut store, &fetcher, &server.url("/reviews/late-shift")).unwrap_err();
    assert!(matches!(e, web::FollowError::NotAFeed { .. }), "{e:?}");
    assert!(e.to_string().contains("not a feed"), "{e}");
    assert_eq!(store.feeds().unwrap().len(), 1);
}

#[test]
fn the_command_line_ingests_and_extracts_urls() {
    let site = site();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("web.db");
    let page = site.server.url("/reviews/late-shift");

    let text = ok(&db, &["extract", &page, "--text"]);
    assert!(text.starts_with("Late Shift follows a nurse"), "{text}");
    assert!(
        !text.contains("Leave a Reply") && !text.contains("By Jane Critic"),
        "{text}"
    );

    let out = ok(&db, &["ingest", &page]);
    assert!(
        out.contains("stored") && out.contains("Late Shift, 80 positive"),
        "{out}"
    );
    let shown = json(&db, &["show", "Late Shift", "--json"]);
    assert_eq!(shown["reviews"][0]["source"], page.as_str());

    // The same URL again is the same review, though its bytes changed; it
    // is not even fetched again.
    let changing = site.server.url("/reviews/changing");
    let out = ok(&db, &["ingest", &changing]);
    assert!(out.contains("Glass Houses"), "{out}");
    let out = ok(&db, &["ingest", &changing]);
    assert!(out.contains("already stored"), "{out}");
    assert_eq!(site.server.hits("/reviews/changing"), 1);
    assert_eq!(json(&db, &["films", "--json"]).as_array().unwrap().len(), 2);

    let missing = site.server.url("/reviews/missing");
    let out = verdict(&db, &["ingest", &missing, &page]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{missing}: HTTP 404 Not Found")),
        "{err}"
    );
    assert!(err.contains("1 already stored, 1 failed"), "{err}");

    let out = ok(&db, &["follow", &site.server.url("/feed.xml")]);
    assert!(out.starts_with("following "), "{out}");
    assert!(
        out.contains("(The Test Critic): 7 entries, 1 of them unreadable"),
        "{out}"
    );
}

#[test]
fn the_command_line_follows_and_syncs() {
    // A small feed: the command line spaces requests to a host by a second.
    let server = TestServer::start(|r: &Request| {
        let base = format!("http://{}", r.header("host").unwrap_or("127.0.0.1"));
        match r.path.as_str() {
            "/feed.xml" if r.header("if-none-match") == Some("\"f1\"") => Response::status(304),
            "/feed.xml" => Response::ok(
                "application/rss+xml",
                format!(
                    r#"<rss version="2.0"><channel><title>Small Critic</title><link>{base}/</link><description>x</description>
<item><title>Late Shift review</title><link>{base}/late-shift</link><guid>s-1</guid></item>
<item><title>Gone review</title><link>{base}/gone</link><guid>s-2</guid></item>
</channel></rss>"#
                ),
            )
            .with_header("ETag", "\"f1\""),
            "/late-shift" => Response::html(review("Late Shift", "4/5")),
            _ => Response::status(404),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feeds.db");
    let feed_url = server.url("/feed.xml");
    ok(&db, &["follow", &feed_url]);
    let out = ok(&db, &["follow", &feed_url]);
    assert!(out.starts_with("already following"), "{out}");

    let out = verdict(&db, &["sync"]);
    assert_eq!(out.status.code(), Some(1), "one entry failed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("(Small Critic): 2 entries, 2 tried, 0 seen before"),
        "{stdout}"
    );
    assert!(
        stdout.contains("/late-shift: Late Shift, 80 positive (rated)"),
        "{stdout}"
    );
    assert!(stderr.contains("/gone: HTTP 404 Not Found"), "{stderr}");
    assert!(
        stderr.contains("1 feed: 1 stored, 0 already stored, 1 failed"),
        "{stderr}"
    );

    let out = verdict(&db, &["sync", "--json"]);
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["status"], "not-modified");
    assert_eq!(
        reports[0]["entries"].as_array().unwrap().len(),
        1,
        "the failed one, again"
    );
    let films = json(&db, &["films", "--json"]);
    assert_eq!(films.as_array().unwrap().len(), 1);

    // The first sync was a run: undoing it removes what it stored.
    let line = stderr
        .lines()
        .find(|l| l.starts_with("run ") && l.contains(" feed: "))
        .unwrap_or_else(|| panic!("no summary in {stderr}"));
    assert!(line.starts_with("run "), "{line}");
    let run = &line["run ".len()..line.find(':').unwrap()];
    assert!(line.contains(&format!("remove --run {run}`")), "{line}");
    let removed = ok(&db, &["remove", "--run", run]);
    assert!(
        removed.starts_with("removed 1 review of 1 film:"),
        "{removed}"
    );
    assert!(removed.contains("/late-shift"), "{removed}");
    assert_eq!(json(&db, &["films", "--json"]), serde_json::json!([]));
}
