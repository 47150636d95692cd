//! `verdict remove`: a review (by `#ID`, its file), everything one run
//! stored, a film; `--dry-run` changes nothing; removing twice is a clear
//! error that touches nothing; aggregates and the cross-film statistics
//! follow, to the numbers of a database that never held what was removed.

mod common;
use common::*;

use std::path::Path;
use verdict_testkit::data;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// (films, reviews) as `verdict films --json` counts them.
fn counts(db: &Path) -> (usize, i64) {
    let films = json(db, &["films", "--json"]);
    let films = films.as_array().unwrap();
    (
        films.len(),
        films
            .iter()
            .map(|f| f["aggregate"]["reviews"].as_i64().unwrap())
            .sum(),
    )
}

/// The run id a command's summary gives ("run 7: …"), and checks that it
/// tells how to undo it.
fn run_of(stderr: &[u8]) -> i64 {
    let err = String::from_utf8_lossy(stderr);
    let line = err
        .lines()
        .find(|l| l.starts_with("run "))
        .unwrap_or_else(|| panic!("no run in {err}"));
    let id: i64 = line["run ".len()..line.find(':').unwrap()].parse().unwrap();
    assert!(
        line.contains(&format!("remove --run {id}`")),
        "the summary tells how to undo it: {line}"
    );
    id
}

fn failure(db: &Path, args: &[&str]) -> String {
    let out = verdict(db, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
    assert!(out.stdout.is_empty(), "{args:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_run_a_review_a_file_and_a_film_are_removed_and_the_numbers_follow() {
    let (Some(seeds), Some(soccer)) = (seeds(), data("rt-toplists/soccer")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();

    // The reference: the seeds alone.
    let alone = dir.path().join("alone.db");
    ok(&alone, &["ingest", s(&seeds)]);
    let red_rooms_alone = json(&alone, &["show", "Red Rooms", "--json"]);

    // The seeds, then the soccer films: two runs; on SQLite, then on
    // PostgreSQL.
    for db in databases(dir.path()) {
        let out = verdict(&db, &["ingest", s(&seeds)]);
        assert!(out.status.success());
        let seeds_run = run_of(&out.stderr);
        let out = verdict(&db, &["import", s(&soccer), "--quiet"]);
        assert!(out.status.success());
        let soccer_run = run_of(&out.stderr);
        assert_ne!(seeds_run, soccer_run);
        let before = counts(&db);
        let films_before = json(&db, &["films", "--json"]);
        assert_ne!(
            json(&db, &["show", "Red Rooms", "--json"])["aggregate"]["prior"],
            red_rooms_alone["aggregate"]["prior"],
            "the soccer reviews move the cross-film prior"
        );

        // A dry run lists what would go and changes nothing.
        let listed = ok(
            &db,
            &["remove", "--run", &soccer_run.to_string(), "--dry-run"],
        );
        let (soccer_films, soccer_reviews) = (before.0 - 1, before.1 - 5);
        assert!(soccer_films >= 50, "{before:?}");
        assert!(
            listed.starts_with(&format!(
                "would remove {soccer_reviews} reviews of {soccer_films} films:"
            )),
            "{listed}"
        );
        assert!(listed.contains("none left: the film goes too"), "{listed}");
        assert_eq!(counts(&db), before);
        assert_eq!(json(&db, &["films", "--json"]), films_before);

        // The run goes: every soccer film with it; Red Rooms is as if the
        // soccer films had never been imported, cross-film numbers included.
        let removed = ok(&db, &["remove", "--run", &soccer_run.to_string()]);
        assert!(
            removed.starts_with(&format!(
                "removed {soccer_reviews} reviews of {soccer_films} films:"
            )),
            "{removed}"
        );
        assert_eq!(counts(&db), (1, 5));
        assert_eq!(json(&db, &["show", "Red Rooms", "--json"]), red_rooms_alone);
        let err = failure(&db, &["show", "Next Goal Wins"]);
        assert!(err.contains("no film matches"), "{err}");
        // Twice: a clear error, nothing touched.
        let err = failure(&db, &["remove", "--run", &soccer_run.to_string()]);
        assert!(
            err.starts_with(&format!(
                "verdict: run {soccer_run}: nothing to remove: its reviews were removed already"
            )),
            "{err}"
        );
        let err = failure(&db, &["remove", "--run", "999"]);
        assert!(err.starts_with("verdict: run 999: no such run"), "{err}");
        assert_eq!(counts(&db), (1, 5));

        // One review by the file it was read from (by its content).
        let mut files: Vec<_> = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        let file = &files[0];
        let name = file.file_name().unwrap().to_str().unwrap();
        let out = ok(&db, &["remove", s(file)]);
        assert!(out.contains(name), "{out}");
        assert!(out.contains("4 left"), "{out}");
        assert_eq!(counts(&db), (1, 4));
        let err = failure(&db, &["remove", s(file)]);
        assert!(
            err.starts_with(&format!("verdict: {}: no such review", file.display())),
            "{err}"
        );

        // One review by its id: the film's numbers follow.
        let page = json(&db, &["show", "Red Rooms", "--json"]);
        let first = page["reviews"][0]["id"].as_i64().unwrap();
        let id = format!("#{first}");
        let before = json(&db, &["films", "--json"]);
        ok(&db, &["remove", &id, "--dry-run"]);
        assert_eq!(json(&db, &["films", "--json"]), before);
        let out = ok(&db, &["remove", &id]);
        assert!(out.contains(&format!("review {id} · ")), "{out}");
        assert!(out.contains("3 left"), "{out}");
        let after = json(&db, &["show", "Red Rooms", "--json"]);
        assert_eq!(after["aggregate"]["reviews"], 3);
        assert_ne!(after["aggregate"], page["aggregate"]);
        assert!(
            after["reviews"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["id"] != first)
        );
        let err = failure(&db, &["remove", &id]);
        assert!(
            err.starts_with(&format!("verdict: {id}: no such review")),
            "{err}"
        );
        assert_eq!(json(&db, &["show", "Red Rooms", "--json"]), after);

        // The film: its reviews and its other title go with it.
        ok(&db, &["remove", "--film", "Red Rooms", "--dry-run"]);
        assert_eq!(counts(&db), (1, 3));
        let out = ok(&db, &["remove", "--film", "les chambres rouges"]);
        assert!(out.contains("none left: the film goes too"), "{out}");
        assert_eq!(counts(&db), (0, 0));
        let err = failure(&db, &["show", "les chambres rouges"]);
        assert!(err.contains("no film matches"), "{err}");
        let err = failure(&db, &["remove", "--film", "Red Rooms"]);
        assert!(
            err.starts_with("verdict: Red Rooms: no film matches"),
            "{err}"
        );

        // The seeds' run has nothing left either; ingesting them again
        // stores them anew, in a run of its own.
        let err = failure(&db, &["remove", "--run", &seeds_run.to_string()]);
        assert!(err.contains("nothing to remove"), "{err}");
        let out = verdict(&db, &["ingest", s(&seeds)]);
        assert!(out.status.success());
        assert!(run_of(&out.stderr) > soccer_run);
        assert_eq!(counts(&db), (1, 5));
    }
}

/// The examples ingested, then removed by a file, a folder and their run:
/// nothing of the film is left (its other title neither).
#[test]
fn undoing_an_ingest_leaves_nothing_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reviews");
    let out = verdict(&db, &["ingest", s(&examples)]);
    assert!(out.status.success());
    let run = run_of(&out.stderr);
    assert_eq!(counts(&db), (1, 7));
    // Nothing is removed when one argument names nothing stored.
    let plain = examples.join("01-plain.txt");
    let err = failure(&db, &["remove", s(&plain), "#999"]);
    assert!(err.starts_with("verdict: #999: no such review"), "{err}");
    let err = failure(&db, &["remove", s(&dir.path().join("nowhere.txt"))]);
    assert!(err.contains("nowhere.txt: no such review"), "{err}");
    assert_eq!(counts(&db), (1, 7));
    // A file names its review, a folder the reviews of its files.
    let out = ok(&db, &["remove", s(&plain)]);
    assert!(out.starts_with("removed 1 review of 1 film:"), "{out}");
    assert!(out.contains("01-plain.txt"), "{out}");
    assert!(out.contains("6 left"), "{out}");
    let err = failure(&db, &["remove", s(&plain)]);
    assert!(err.contains("01-plain.txt: no such review"), "{err}");
    let listed = ok(&db, &["remove", s(&examples), "--dry-run"]);
    assert!(
        listed.starts_with("would remove 6 reviews of 1 film:"),
        "{listed}"
    );
    assert_eq!(counts(&db), (1, 6));
    // The run: what is left of it.
    let out = ok(&db, &["remove", "--run", &run.to_string()]);
    assert!(out.starts_with("removed 6 reviews of 1 film:"), "{out}");
    assert_eq!(counts(&db), (0, 0));
    let err = failure(&db, &["show", "Les Feux du Port"]);
    assert!(err.contains("no film matches"), "{err}");
    // Two kinds of removal at once, or none, are refused.
    assert!(
        !verdict(&db, &["remove", "--run", "1", "--film", "X"])
            .status
            .success()
    );
    assert!(!verdict(&db, &["remove"]).status.success());
}
