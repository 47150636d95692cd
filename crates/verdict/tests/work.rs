//! The queue of work through the real binary: `follow --queue`, `sync
//! --queue` and `ingest --queue URL` queue jobs that `verdict work`
//! processes do, over real HTTP on loopback; a failed fetch is retried; a
//! worker killed with `kill -9` in the middle of a job loses it to another
//! once its lease runs out, and nothing is lost or stored twice; two
//! servers and two workers share one PostgreSQL database. Each runs on
//! SQLite and, when its server can run here, on PostgreSQL.

mod common;
use common::*;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use verdict_fetch::test_server::{Response, TestServer};

fn review(film: &str, rating: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><title>{film} review | The Test Critic</title>
<meta property="og:site_name" content="The Test Critic"><meta name="author" content="Jane Critic">
</head><body><article><h1>{film} review</h1>
<p>{film} follows a nurse through one understaffed night on a surgical ward, and it never lets the tension drop. Every small task becomes a race against the clock.</p>
<p>The lead performance is precise and generous, and the direction keeps the camera close without ever feeling showy. It is one of the most gripping films of the year.</p>
<p>Rating: {rating}</p></article></body></html>"#
    )
}

fn feed(base: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>The Test Critic</title><link>{base}/</link><description>Reviews</description>
<item><title>Late Shift review</title><link>{base}/reviews/late-shift</link><guid>tc-1</guid></item>
<item><title>Night Ward review</title><link>{base}/reviews/night-ward</link><guid>tc-2</guid></item>
</channel></rss>"#
    )
}

fn jobs(db: &Path) -> Vec<serde_json::Value> {
    json(db, &["jobs", "--json"]).as_array().unwrap().clone()
}

fn films(db: &Path) -> Vec<String> {
    json(db, &["films", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["film"]["title"].as_str().unwrap().to_string())
        .collect()
}

/// `verdict work --until-idle` again and again, until every job is over
/// or `patience` has passed.
fn work_until_done(db: &Path, patience: Duration) {
    let start = Instant::now();
    loop {
        ok(db, &["work", "--until-idle", "--retry-after", "0.2"]);
        let open = jobs(db)
            .iter()
            .filter(|j| j["state"] == "queued" || j["state"] == "running")
            .count();
        if open == 0 || start.elapsed() > patience {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn followed_feeds_are_synced_by_workers_and_failures_retried() {
    let flaky = Arc::new(AtomicUsize::new(0));
    let server = {
        let flaky = flaky.clone();
        TestServer::start(move |req| match req.path.as_str() {
            "/feed.xml" => Response::ok(
                "application/rss+xml",
                feed(&format!(
                    "http://{}",
                    req.header("host").unwrap_or("127.0.0.1")
                )),
            ),
            "/reviews/late-shift" => Response::html(review("Late Shift", "4/5")),
            // fails twice, then answers
            "/reviews/night-ward" if flaky.fetch_add(1, Ordering::SeqCst) < 2 => {
                Response::status(503)
            }
            "/reviews/night-ward" => Response::html(review("Night Ward", "2/5")),
            _ => Response::status(404),
        })
    };
    let dir = tempfile::tempdir().unwrap();
    for db in databases(dir.path()) {
        flaky.store(0, Ordering::SeqCst);
        let feed_url = server.url("/feed.xml");
        let before = server.hits("/feed.xml");
        let out = ok(&db, &["follow", &feed_url, "--queue"]);
        assert!(out.contains("its sync is queued"), "{out}");
        assert_eq!(
            server.hits("/feed.xml"),
            before,
            "follow --queue fetches nothing"
        );
        // a second follow or a sync --queue finds the job waiting
        let out = ok(&db, &["sync", "--queue"]);
        assert!(out.contains("already queued"), "{out}");
        assert_eq!(jobs(&db).len(), 1);

        work_until_done(&db, Duration::from_secs(30));
        let mut titles = films(&db);
        titles.sort();
        assert_eq!(titles, vec!["Late Shift", "Night Ward"], "{}", db.display());
        let all = jobs(&db);
        assert!(all.iter().all(|j| j["state"] == "done"), "{all:?}");
        let sync = &all[0];
        assert_eq!(sync["kind"], "sync-feed");
        // the entry failed twice: the job was tried three times
        assert_eq!(sync["attempts"], 3, "{all:?}");
        assert!(
            all.iter().any(|j| j["kind"] == "refresh-stats"),
            "stored reviews queue a statistics refresh: {all:?}"
        );
        // `sync --queue` again queues a new job (the last is over)
        let out = ok(&db, &["sync", "--queue"]);
        assert!(!out.contains("already queued"), "{out}");
        work_until_done(&db, Duration::from_secs(30));
        assert_eq!(films(&db).len(), 2, "nothing stored twice");
    }
}

#[test]
fn a_page_that_keeps_failing_is_failed_with_the_reason() {
    let server = TestServer::start(|_| Response::status(500));
    let dir = tempfile::tempdir().unwrap();
    for db in databases(dir.path()) {
        let url = server.url("/reviews/broken");
        let out = ok(&db, &["ingest", &url, "--queue"]);
        assert!(out.contains("queued"), "{out}");
        work_until_done(&db, Duration::from_secs(60));
        let all = jobs(&db);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0]["state"], "failed", "{all:?}");
        assert_eq!(all[0]["attempts"], 5);
        assert!(
            all[0]["last_error"].as_str().unwrap().contains("500"),
            "{all:?}"
        );
        assert!(films(&db).is_empty());
    }
}

/// Starts `verdict --db DB work ARGS…`.
fn worker(db: &Path, args: &[&str]) -> Child {
    verdict_command()
        .arg("--db")
        .arg(db)
        .arg("work")
        .args(args)
        .env_remove("VERDICT_DB")
        .env_remove("VERDICT_QUEUE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_worker_killed_mid_job_loses_it_to_another_and_nothing_is_lost_or_doubled() {
    // the page answers slowly, so that the first worker is killed while it
    // waits for it
    let server = TestServer::start(|req| {
        if req.path == "/reviews/slow" {
            std::thread::sleep(Duration::from_secs(3));
            Response::html(review("Slow Burn", "3/4"))
        } else {
            Response::status(404)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    for db in databases(dir.path()) {
        let url = server.url("/reviews/slow");
        ok(&db, &["ingest", &url, "--queue"]);
        let mut first = worker(&db, &["--lease", "2", "--name", "first"]);
        // wait until it holds the job
        let start = Instant::now();
        while jobs(&db)[0]["state"] != "running" {
            assert!(start.elapsed() < Duration::from_secs(20), "never claimed");
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(jobs(&db)[0]["worker"], "first");
        // kill -9
        first.kill().unwrap();
        first.wait().unwrap();
        // another worker takes it once the lease has run out
        let mut second = worker(&db, &["--lease", "60", "--name", "second", "--poll", "0.2"]);
        let start = Instant::now();
        while jobs(&db)[0]["state"] != "done" {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "not retried: {:?}",
                jobs(&db)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = second.kill();
        let _ = second.wait();
        let job = &jobs(&db)[0];
        assert_eq!(job["worker"], "second");
        assert_eq!(job["attempts"], 2);
        let all = json(&db, &["films", "--json"]);
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0]["aggregate"]["reviews"], 1, "stored once");
    }
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path, token: &str) -> Server {
    let mut child = verdict_command()
        .arg("--db")
        .arg(db)
        .args([
            "serve",
            "--create",
            "--addr",
            "127.0.0.1:0",
            "--poll",
            "1",
            "--token",
            token,
        ])
        .env_remove("VERDICT_DB")
        .env_remove("VERDICT_TOKEN")
        .env_remove("VERDICT_CONFIG")
        .env("VERDICT_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, base }
}

fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut res = agent.get(url).call().unwrap();
    (
        res.status().as_u16(),
        res.body_mut().read_to_string().unwrap(),
    )
}

#[test]
fn two_servers_and_two_workers_share_one_postgres_database() {
    let Some(pg) = verdict_testkit::postgres::shared() else {
        return;
    };
    let db = PathBuf::from(pg.database());
    let pages = TestServer::start(|req| match req.path.as_str() {
        "/feed.xml" => Response::ok(
            "application/rss+xml",
            feed(&format!(
                "http://{}",
                req.header("host").unwrap_or("127.0.0.1")
            )),
        ),
        "/reviews/late-shift" => Response::html(review("Late Shift", "4/5")),
        "/reviews/night-ward" => Response::html(review("Night Ward", "2/5")),
        _ => Response::status(404),
    });
    let token = "two-servers-token";
    let one = serve(&db, token);
    let two = serve(&db, token);
    // a review posted through one server is read through the other
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut res = agent
        .post(&format!("{}/api/reviews", one.base))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "text/plain")
        .send(
            "Harbour Lights (2024)\n\nBy Ana Critic\n\nA tender, beautifully acted film about a lighthouse keeper; the final scene earns its tears.\n\nRating: 4/5\n",
        )
        .unwrap();
    assert_eq!(
        res.status().as_u16(),
        201,
        "{}",
        res.body_mut().read_to_string().unwrap()
    );
    let start = Instant::now();
    loop {
        let (status, body) = get(&format!("{}/api/films", two.base));
        assert_eq!(status, 200);
        if body.contains("Harbour Lights") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server two never saw it: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // two workers share the queue the command line fills
    let mut workers = [
        worker(&db, &["--name", "w1", "--poll", "0.2"]),
        worker(&db, &["--name", "w2", "--poll", "0.2"]),
    ];
    ok(&db, &["follow", &pages.url("/feed.xml"), "--queue"]);
    let start = Instant::now();
    loop {
        let (_, body) = get(&format!("{}/api/films", one.base));
        if body.contains("Late Shift") && body.contains("Night Ward") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "not synced: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    assert_eq!(films(&db).len(), 3);
}

#[test]
fn rejudging_reads_old_models_reviews_again_as_they_were_read() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reviews");
    for db in databases(dir.path()) {
        // the reference: read by this model when stored
        let reference = dir.path().join("reference.db");
        let _ = std::fs::remove_file(&reference);
        ok(&reference, &["ingest", s(&seeds), s(&examples)]);
        ok(&db, &["ingest", s(&seeds), s(&examples)]);
        // as if an older model had read every review: an export edited
        // and read back
        let export = dir.path().join("old.ndjson");
        ok(&db, &["export", "--output", s(&export)]);
        let old: Vec<String> = std::fs::read_to_string(&export)
            .unwrap()
            .lines()
            .map(|l| {
                if !l.starts_with("{\"table\":\"reviews\"") {
                    return l.to_string();
                }
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                let row = v["row"].as_object_mut().unwrap();
                row.insert("judge_model".into(), "linear-en-v0".into());
                row.insert("judge_score".into(), 50.0.into());
                row.insert("judge_probability".into(), 0.5.into());
                row.insert("p_positive".into(), 0.5.into());
                row.insert("evidence".into(), serde_json::json!([]));
                if row["inferred"] == true {
                    row.insert("score".into(), 50.0.into());
                    row.insert("verdict".into(), "mixed".into());
                    row.insert("confidence".into(), 0.5.into());
                }
                v.to_string()
            })
            .collect();
        let old_export = write(dir.path(), "old2.ndjson", &(old.join("\n") + "\n"));
        let older = match verdict_testkit::postgres::shared() {
            Some(pg) if !db.to_string_lossy().ends_with(".db") => PathBuf::from(pg.database()),
            _ => dir.path().join("older.db"),
        };
        ok(&older, &["import", s(&old_export)]);
        assert_ne!(
            json(&older, &["films", "--json"]),
            json(&reference, &["films", "--json"]),
            "the older model's numbers differ"
        );
        let out = verdict(&older, &["rejudge", "--queue"]);
        assert!(out.status.success());
        work_until_done(&older, Duration::from_secs(60));
        let job = jobs(&older)
            .into_iter()
            .find(|j| j["kind"] == "rejudge")
            .unwrap();
        assert_eq!(job["state"], "done", "{job}");
        assert_eq!(
            json(&older, &["films", "--json"]),
            json(&reference, &["films", "--json"]),
            "read again as they were read when stored"
        );
        // again: nothing to do
        let again = verdict(&older, &["rejudge"]);
        let err = String::from_utf8_lossy(&again.stderr);
        assert!(err.starts_with("reader: linear-en-v2\n0 of"), "{err}");
    }
}

#[test]
fn a_review_no_judge_can_read_is_unjudged_and_rejudging_leaves_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    // One row with words, one whose text has none, one with no text.
    let csv = write(
        dir.path(),
        "reviews.csv",
        "title,year,critic,review\n\
         Offside,2006,Ann,\"A sharp, funny and humane film.\"\n\
         Offside,2006,Bob,\"… — !!\"\n\
         Offside,2006,Cy,\n",
    );
    ok(&db, &["import", s(&csv)]);
    let page = json(&db, &["show", "Offside", "--json"]);
    let agg = &page["aggregate"];
    assert_eq!(
        (agg["unjudged"].as_u64(), agg["reviews"].as_u64()),
        (Some(2), Some(1)),
        "{agg:#}"
    );
    for critic in ["Bob", "Cy"] {
        let r = page["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["critic"] == critic)
            .unwrap();
        assert_eq!(r["unjudged"], true, "{r:#}");
        assert!(r["score"].is_null(), "{r:#}");
    }
    // Nothing a judge can read is nothing to read again, however often.
    for _ in 0..2 {
        let out = verdict(&db, &["rejudge"]);
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("reader: linear-en-v2\n0 of"), "{err}");
    }
}
