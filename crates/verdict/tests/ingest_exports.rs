//! Exports given to `verdict ingest`: tables are never documents. A
//! recognised export is imported as `verdict import` imports it; a table
//! of a layout Verdict does not know is refused, naming its columns; the
//! other inputs go on.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use verdict_testkit::data;

fn titles(films: &Value) -> Vec<String> {
    films
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["film"]["title"].as_str().unwrap().to_string())
        .collect()
}

/// No film is named after a table's header: one of its columns, or a
/// title holding two of them.
fn no_header_films(films: &Value, columns: &[&str]) {
    for title in titles(films) {
        let named = columns.iter().filter(|c| title.contains(**c)).count();
        assert!(
            named < 2 && !columns.iter().any(|c| title.eq_ignore_ascii_case(c)),
            "a header became a film: {title:?}"
        );
    }
}

const REVIEW: &str = "Harbour Lights (2019)\n\nA tender, beautifully acted drama about a ferry captain and his daughter. I loved it.\n\nScore: 81\n";

/// The newer Rotten Tomatoes pair, in the project's own words.
fn rt_pair(dir: &Path) {
    write(
        dir,
        "critic_reviews.csv",
        "\"quote\",\"movieId\",\"reviewState\",\"reviewId\",\"originalScore\",\"isTopCritic\",\"publicationName\",\"criticName\",\"creationDate\"\r\n\
         \"Stirring, and sad.\",\"u1\",\"fresh\",\"101\",\"B+\",True,\"Variety\",\"Cy Dee\",\"2021-05-01\"\r\n\
         \"\",\"u1\",\"rotten\",\"102\",\"2/5\",False,\"Screen\",\"Di Ek\",\"2021-05-02\"\r\n\
         \"A joy.\",\"u2\",\"fresh\",\"103\",\"4/5\",False,\"Screen\",\"Di Ek\",\"2021-05-03\"\r\n",
    );
    write(
        dir,
        "movies.csv",
        "\"movieId\",\"movieTitle\",\"movieYear\",\"movieURL\",\"critic_score\"\r\n\
         \"u1\",\"Offside\",2006,\"https://www.rottentomatoes.com/m/offside\",\"50%\"\r\n\
         \"u2\",\"The Damned United\",2009,\"https://www.rottentomatoes.com/m/the_damned_united\",\"100%\"\r\n",
    );
}

#[test]
fn an_export_among_documents_is_imported_and_its_header_is_no_film() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input, "a_review.txt", REVIEW);
    rt_pair(&input.join("rt"));
    // A table of another kind beside an export is passed over, as
    // `verdict import` passes it over (a full Letterboxd export has
    // profile.csv, comments.csv…).
    let profile = write(
        &input.join("rt"),
        "profile.csv",
        "Date Joined,Username\n2020-01-01,ann\n",
    );
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["ingest", s(&input)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "skipped: {}: not a table Verdict knows (its columns: Date Joined, Username)",
            profile.display()
        )),
        "{stderr}"
    );
    assert!(stdout.contains("stored     "), "{stdout}");
    assert!(
        stdout.contains("imported   rt: ") && stdout.contains("3 rows: 3 stored"),
        "{stdout}"
    );
    let films = json(&db, &["films", "--json"]);
    assert_eq!(
        titles(&films),
        ["Harbour Lights", "Offside", "The Damned United"],
        "{films:#}"
    );
    no_header_films(&films, &["movieId", "quote", "reviewState"]);
    // The films file named the films: their ids and published numbers are
    // kept, as `verdict import` keeps them.
    let offside = &films[1];
    assert_eq!(offside["film"]["external_ids"][0]["id"], "m/offside");
    assert_eq!(offside["aggregate"]["reviews"], 2);
    assert_eq!(offside["aggregate"]["positive_basis"], "labels");

    // The same export through `verdict import`: the same films and
    // reviews. (The numbers that weigh every film of the database, the
    // shrunk and calibrated scores, differ: this one holds a review more.)
    let imported = dir.path().join("i.db");
    let out = verdict(&imported, &["import", "--quiet", s(&input.join("rt"))]);
    assert!(out.status.success());
    let own = |page: &Value| -> Vec<Value> {
        let a = &page["aggregate"];
        let mut facts = vec![page["film"]["external_ids"].clone()];
        for field in [
            "reviews",
            "positive_percent",
            "score",
            "favourable",
            "labelled",
        ] {
            facts.push(a[field].clone());
        }
        for r in page["reviews"].as_array().unwrap() {
            for field in [
                "source",
                "critic",
                "outlet",
                "date",
                "score",
                "verdict",
                "rating",
                "text",
                "source_verdict",
                "top_critic",
                "p_positive",
            ] {
                facts.push(r[field].clone());
            }
        }
        facts
    };
    for title in ["Offside", "The Damned United"] {
        let a = json(&db, &["show", title, "--json"]);
        let b = json(&imported, &["show", title, "--json"]);
        assert_eq!(own(&a), own(&b), "{title}");
    }

    // Again: nothing new.
    let again = verdict(&db, &["ingest", s(&input)]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("1 already stored") && stderr.contains("(0 rows stored, 3 already stored)"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_table_is_refused_with_its_columns_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input, "a_review.txt", REVIEW);
    let unknown = write(
        &input,
        "b_inventory.csv",
        "sku,shelf,count\nA-1,3,12\nB-2,4,7\n",
    );
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["ingest", s(&input)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("b_inventory.csv"))
        .unwrap_or_else(|| panic!("nothing names the table:\n{stderr}"));
    assert!(
        line.starts_with(&format!("verdict: {}: ", unknown.display())),
        "{line}"
    );
    assert!(line.contains("sku, shelf, count"), "{line}");
    assert!(line.contains("verdict import"), "{line}");
    let films = json(&db, &["films", "--json"]);
    assert_eq!(titles(&films), ["Harbour Lights"], "{films:#}");

    // Named on its own: the same refusal, nothing stored, exit code 1.
    let out = verdict(&db, &["ingest", "--json", s(&unknown)]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["outcome"], "failed");
    assert_eq!(lines[0]["source"], s(&unknown));
    assert!(
        lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("sku, shelf, count")
    );
    assert_eq!(json(&db, &["films", "--json"]), films);
}

#[test]
fn a_table_is_known_by_its_header_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    // A generic review table saved as .txt, and a Letterboxd export whose
    // files were renamed: their headers say what they are.
    let generic = write(
        dir.path(),
        "scores.txt",
        "title,year,rating,review\nHarbour Lights,2019,8/10,Superb.\nOffside,2006,2/5,Dull.\n",
    );
    let export = dir.path().join("export");
    write(
        &export,
        "my-reviews.txt",
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n\
         2024-01-02,Bend It Like Beckham,2002,https://boxd.it/a1,4.5,,\"Loved it.\",,2024-01-01\n",
    );
    write(
        &export,
        "seen.txt",
        "Date,Name,Year,Letterboxd URI\n2024-01-05,Shaolin Soccer,2001,https://boxd.it/w\n",
    );
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["ingest", "--json", s(&generic), s(&export)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines = json_lines(&out);
    let formats: Vec<&str> = lines
        .iter()
        .map(|l| {
            assert_eq!(l["outcome"], "imported", "{l}");
            l["format"].as_str().unwrap()
        })
        .collect();
    assert_eq!(formats, ["csv", "letterboxd"], "{lines:?}");
    assert_eq!(lines[0]["report"]["inserted"], 2);
    assert_eq!(lines[1]["report"]["inserted"], 1);
    let films = json(&db, &["films", "--json"]);
    assert_eq!(
        titles(&films),
        ["Bend It Like Beckham", "Harbour Lights", "Offside"],
        "{films:#}"
    );
    no_header_films(
        &films,
        &["title", "rating", "Date", "Name", "Letterboxd URI"],
    );
}

/// The real Rotten Tomatoes soccer pair: every row stored, every film
/// named by the films file, the numbers `verdict import` gives.
#[test]
fn the_real_soccer_export_given_to_ingest() {
    let Some(soccer) = data("rt-toplists/soccer") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["ingest", s(&soccer)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let films = json(&db, &["films", "--json"]);
    assert_eq!(films.as_array().unwrap().len(), 52, "{:?}", titles(&films));
    no_header_films(
        &films,
        &["movieId", "movieTitle", "reviewId", "quote", "reviewState"],
    );
    for f in films.as_array().unwrap() {
        assert!(
            !f["film"]["external_ids"].as_array().unwrap().is_empty(),
            "{f}"
        );
        assert!(f["aggregate"]["reviews"].as_u64().unwrap() > 0, "{f}");
    }
    let imported = dir.path().join("i.db");
    let out = verdict(&imported, &["import", "--quiet", s(&soccer)]);
    assert!(out.status.success());
    let by_import = json(&imported, &["films", "--json"]);
    let aggregates = |films: &Value| -> Vec<(String, Value)> {
        films
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["film"]["title"].as_str().unwrap().to_string(),
                    f["aggregate"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(aggregates(&films), aggregates(&by_import));
}

/// A real Letterboxd account export: the owner's films, no film named
/// after the header.
#[test]
fn a_real_letterboxd_export_given_to_ingest() {
    let Some(letterboxd) = data("letterboxd") else {
        return;
    };
    let mut users: Vec<PathBuf> = std::fs::read_dir(&letterboxd)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    users.sort();
    let user = &users[0];
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["ingest", s(user)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("importing letterboxd export"), "{stderr}");
    let films = json(&db, &["films", "--json"]);
    assert!(films.as_array().unwrap().len() > 10);
    no_header_films(&films, &["Date", "Name", "Year", "Letterboxd URI"]);
    let imported = dir.path().join("i.db");
    assert!(
        verdict(&imported, &["import", "--quiet", s(user)])
            .status
            .success()
    );
    assert_eq!(
        titles(&films),
        titles(&json(&imported, &["films", "--json"]))
    );
}
