//! The command line on PostgreSQL: `--db postgres://…` runs every command
//! on a real PostgreSQL server (Debian's, started in a temporary folder by
//! the test-support crate), and the films come out the same, to the
//! decimal, as on SQLite: for the seed reviews, and for the whole of
//! rt-flatiron imported by the bulk path. Without PostgreSQL these tests
//! skip visibly (under `VERDICT_REQUIRE_POSTGRES=1`, as in CI, they fail).

mod common;
use common::*;

use std::path::Path;

fn pg() -> Option<String> {
    verdict_testkit::postgres::shared().map(|s| s.database())
}

/// Runs `verdict --db DB ARGS…` with DB a URL.
fn on(url: &str, args: &[&str]) -> std::process::Output {
    verdict(Path::new(url), args)
}

fn ok_on(url: &str, args: &[&str]) -> String {
    let out = on(url, args);
    assert!(
        out.status.success(),
        "verdict {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_seeds_give_the_same_films_on_both_backends() {
    let (Some(url), Some(seeds)) = (pg(), seeds()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.db");
    ok(&file, &["ingest", s(&seeds)]);
    let out = on(&url, &["ingest", s(&seeds)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&url), "the summary names the database: {err}");
    assert_eq!(
        json(&file, &["films", "--json"]),
        serde_json::from_str::<serde_json::Value>(&ok_on(&url, &["films", "--json"])).unwrap()
    );
    let sqlite_show = json(&file, &["show", "Red Rooms", "--json"]);
    let pg_show: serde_json::Value =
        serde_json::from_str(&ok_on(&url, &["show", "Red Rooms", "--json"])).unwrap();
    assert_eq!(sqlite_show, pg_show);
    // again: nothing new
    let again = on(&url, &["ingest", s(&seeds)]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 stored"));
}

#[test]
fn rt_flatiron_imports_to_the_same_films_on_both_backends() {
    let (Some(url), Some(data)) = (pg(), verdict_testkit::data("rt-flatiron")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.db");
    ok(&file, &["import", s(&data), "--quiet"]);
    let out = on(&url, &["import", s(&data), "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = json(&file, &["films", "--json"]);
    let b: serde_json::Value = serde_json::from_str(&ok_on(&url, &["films", "--json"])).unwrap();
    assert!(a.as_array().unwrap().len() > 100);
    assert_eq!(a, b, "the same films, to the decimal");
    // a run undone on PostgreSQL takes everything it stored
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let run: i64 = err
        .lines()
        .find_map(|l| l.strip_prefix("run "))
        .and_then(|l| l.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no run in {err}"));
    ok_on(&url, &["remove", "--run", &run.to_string()]);
    let left: serde_json::Value = serde_json::from_str(&ok_on(&url, &["films", "--json"])).unwrap();
    assert!(left.as_array().unwrap().is_empty());
}

#[test]
fn other_urls_are_refused_and_a_missing_server_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = on("mysql://localhost/verdict", &["films"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mysql://localhost/verdict: not a supported database"),
        "{err}"
    );
    assert!(!Path::new("mysql:").exists());
    // nothing listens on this port: the error names the database, no password
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://ana:hunter2@127.0.0.1:{port}/verdict");
    let out = on(&url, &["films"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("postgres://ana:***@127.0.0.1:{port}/verdict")),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
    drop(dir);
}
