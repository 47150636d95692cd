//! `verdict export` and `verdict import EXPORT`: the whole database as
//! NDJSON and back, SQLite → PostgreSQL → SQLite, unchanged: the same
//! `films --json`, and the same export byte for byte (but for its header's
//! time and backend). A truncated or damaged export, or a database that is
//! not empty, is refused and nothing is written.

mod common;
use common::*;

use std::path::{Path, PathBuf};

/// An export without its header line (which says when and from what).
fn body(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn a_database_goes_to_postgres_and_back_unchanged() {
    let (Some(seeds), Some(soccer), Some(pages)) = (
        seeds(),
        verdict_testkit::data("rt-toplists/soccer"),
        verdict_testkit::unpacked("rt-html-pages/rt-movie-pages-dev.tar.xz"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    ok(
        &a,
        &["ingest", s(&seeds), s(&pages.join("movie_htmls/lady_bird"))],
    );
    ok(&a, &["import", s(&soccer), "--quiet"]);
    ok(
        &a,
        &["follow", "https://critic.example.org/feed.xml", "--queue"],
    );
    let a_export = dir.path().join("a.ndjson");
    ok(&a, &["export", "--output", s(&a_export)]);
    let films = json(&a, &["films", "--json"]);
    assert!(films.as_array().unwrap().len() > 20);

    // through PostgreSQL when it can run here, else straight back to SQLite
    let middle: PathBuf = match verdict_testkit::postgres::shared() {
        Some(pg) => PathBuf::from(pg.database()),
        None => dir.path().join("middle.db"),
    };
    let out = verdict(&middle, &["import", s(&a_export)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&middle, &["films", "--json"]), films);
    assert_eq!(
        json(&middle, &["show", "Lady Bird (2017)", "--json"]),
        json(&a, &["show", "Lady Bird (2017)", "--json"])
    );
    let m_export = dir.path().join("m.ndjson");
    ok(&middle, &["export", "--output", s(&m_export)]);
    let (m, a_rows) = (body(&m_export), body(&a_export));
    if let Some((x, y)) = m.iter().zip(&a_rows).find(|(x, y)| x != y) {
        panic!("the same rows, to the byte: read back\n{x}\nexported\n{y}");
    }
    assert_eq!(m.len(), a_rows.len());

    let c = dir.path().join("c.db");
    ok(&c, &["import", s(&m_export)]);
    assert_eq!(json(&c, &["films", "--json"]), films);
    // what is new is numbered after what was read back
    let more = write(
        dir.path(),
        "more/harbour.txt",
        "Harbour Lights (2024)\n\nA tender, beautifully acted film about a lighthouse keeper.\n\nRating: 4/5\n",
    );
    ok(&c, &["ingest", s(&more)]);
    ok(&middle, &["ingest", s(&more)]);
    assert_eq!(
        json(&c, &["films", "--json"]),
        json(&middle, &["films", "--json"])
    );

    // a database that is not empty is refused, and left as it was
    let out = verdict(&c, &["import", s(&a_export)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        json(&c, &["films", "--json"]),
        json(&middle, &["films", "--json"])
    );
}

#[test]
fn a_truncated_or_damaged_export_writes_nothing() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    ok(&a, &["ingest", s(&seeds)]);
    let export = dir.path().join("a.ndjson");
    ok(&a, &["export", "--output", s(&export)]);
    let lines: Vec<String> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    // the trailer cut off
    let cut = write(
        dir.path(),
        "cut.ndjson",
        &(lines[..lines.len() - 1].join("\n") + "\n"),
    );
    let b = dir.path().join("b.db");
    let out = verdict(&b, &["import", s(&cut)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("truncated"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    // a value of the wrong kind, named by line and column
    let mut broken = lines.clone();
    let at = broken
        .iter()
        .position(|l| l.contains("\"table\":\"reviews\""))
        .unwrap();
    broken[at] = broken[at].replacen("\"score\":", "\"score\":\"high\",\"was\":", 1);
    let broken = write(dir.path(), "broken.ndjson", &(broken.join("\n") + "\n"));
    let out = verdict(&b, &["import", s(&broken)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("line {}", at + 1)), "{err}");
    assert!(!b.exists(), "a damaged export creates no database");
    // binary bytes and a line with no end are named by line, and read no
    // further than the line's limit
    let mut huge = lines[0].clone().into_bytes();
    huge.extend_from_slice(b"\n{\"table\":\"films\",\"row\":{\"title\":\"");
    huge.extend(std::iter::repeat_n(b'x', 65 << 20));
    let huge_file = dir.path().join("huge.ndjson");
    std::fs::write(&huge_file, &huge).unwrap();
    let out = verdict(&b, &["import", s(&huge_file)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2: a line longer than 64 MiB"), "{err}");
    let mut binary = lines[0].clone().into_bytes();
    binary.extend_from_slice(b"\n\xff\xfe\x00binary\n");
    let binary_file = dir.path().join("binary.ndjson");
    std::fs::write(&binary_file, &binary).unwrap();
    let err =
        String::from_utf8_lossy(&verdict(&b, &["import", s(&binary_file)]).stderr).to_string();
    assert!(err.contains("line 2: not UTF-8"), "{err}");
    assert!(!b.exists());
    // a row the database refuses (a film twice, one id) stops the import;
    // the database it had made is removed, and the message stays short
    let mut twice = lines.clone();
    let film = twice
        .iter()
        .position(|l| l.starts_with("{\"table\":\"films\""))
        .unwrap();
    twice.insert(film + 1, twice[film].clone());
    let trailer = twice.len() - 1;
    let mut end: serde_json::Value = serde_json::from_str(&twice[trailer]).unwrap();
    let n = end["rows"]["films"].as_u64().unwrap();
    end["rows"]["films"] = (n + 1).into();
    twice[trailer] = end.to_string();
    let twice = write(dir.path(), "twice.ndjson", &(twice.join("\n") + "\n"));
    let out = verdict(&b, &["import", s(&twice)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("stopped after writing part"), "{err}");
    assert!(err.contains("films row id 1"), "{err}");
    assert!(err.contains("was removed"), "{err}");
    assert!(err.len() < 2_000, "{err}");
    assert!(!b.exists());
}
