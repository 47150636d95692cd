//! The command line a Unix user expects: a closed pipe ends quietly, a
//! read creates no database, a URL is no file name, one error style,
//! counts with their plurals, `films` sorted and cut as asked, `--json`
//! wherever data is printed.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const REVIEW: &str = "Harbour Lights (2019)\n\nA tender, beautifully acted drama about a ferry captain and his daughter. I loved it.\n\nScore: 81\n";

/// `verdict ARGS…` with its standard output's reader gone before it
/// writes; `input` on its standard input.
fn with_stdout_closed(args: &[&str], input: Option<String>) -> Output {
    let mut child = verdict_command()
        .args(args)
        .env_remove("VERDICT_DB")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run verdict");
    drop(child.stdout.take());
    let feeder = child.stdin.take().map(|mut stdin| {
        let input = input.unwrap_or_default();
        std::thread::spawn(move || {
            use std::io::Write;
            // The command may end before reading it all.
            let _ = stdin.write_all(input.as_bytes());
        })
    });
    let out = child.wait_with_output().expect("verdict exits");
    if let Some(f) = feeder {
        f.join().unwrap();
    }
    out
}

/// A database of `n` films, one review each, by a generic CSV.
fn many_films(dir: &Path, n: usize) -> PathBuf {
    let mut csv = String::from("title,year,rating,critic\n");
    for i in 0..n {
        csv.push_str(&format!("Film Number {i},2001,{}/10,Critic {i}\n", i % 10));
    }
    let f = write(dir, "many.csv", &csv);
    let db = dir.join("many.db");
    let out = verdict(&db, &["import", "--quiet", s(&f)]);
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Outputs much larger than a pipe's buffer: a write must meet the
    // closed pipe.
    let db = many_films(dir.path(), 3000);
    let lines: String = (0..20_000).map(|i| format!("{}/10\n", i % 11)).collect();
    let runs: [(Vec<&str>, Option<String>); 4] = [
        (vec!["--db", s(&db), "films"], None),
        (vec!["--db", s(&db), "films", "--json"], None),
        (vec!["--db", s(&db), "show", "Film Number 7"], None),
        (vec!["rating", "-"], Some(lines)),
    ];
    for (args, input) in runs {
        let out = with_stdout_closed(&args, input);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?} must end quietly: {}",
            stderr(&out)
        );
        assert_eq!(stderr(&out), "", "{args:?} must say nothing");
    }
}

/// `verdict ARGS…` given at most a minute (a server that should not have
/// started is killed, and the test fails).
fn within_a_minute(args: &[&str]) -> Output {
    let mut child = verdict_command()
        .args(args)
        .env_remove("VERDICT_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run verdict");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("verdict {args:?} did not stop");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_read_command_on_a_missing_database_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo").join("verdcit.db");
    let reads: [&[&str]; 8] = [
        &["films"],
        &["films", "--json"],
        &["show", "Harbour Lights"],
        &["catalog", "match", "Inside Out"],
        &["catalog", "unmatched"],
        &["catalog", "link"],
        &["serve", "--addr", "127.0.0.1:0"],
        &["show", "Harbour Lights", "--json"],
    ];
    for args in reads {
        let mut all = vec!["--db", s(&db)];
        all.extend_from_slice(args);
        let out = within_a_minute(&all);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("verdict: {}: no such database", db.display())),
            "{args:?}: {err}"
        );
        assert!(
            entries(dir.path()).is_empty(),
            "{args:?} created {:?}",
            entries(dir.path())
        );
    }
    // `serve --create` is how a site starts from nothing.
    let mut child = verdict_command()
        .args(["--db", s(&db), "serve", "--create", "--addr", "127.0.0.1:0"])
        .env_remove("VERDICT_DB")
        .env("VERDICT_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !db.exists() {
        assert!(Instant::now() < deadline, "serve --create created nothing");
        assert!(
            child.try_wait().unwrap().is_none(),
            "serve --create stopped"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn writes_create_the_database_with_its_folders_and_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let review = write(dir.path(), "review.txt", REVIEW);
    let db = dir.path().join("new").join("place").join("v.db");
    let out = verdict(&db, &["ingest", s(&review)]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("created database {}", db.display())),
        "{err}"
    );
    assert!(db.is_file());
    // Once there, it is not created again.
    let out = verdict(&db, &["ingest", s(&review)]);
    assert!(
        !stderr(&out).contains("created database"),
        "{}",
        stderr(&out)
    );

    // `import` builds a new database aside and says so once it is there.
    let csv = write(
        dir.path(),
        "scores.csv",
        "title,rating,critic\nOffside,4/5,Ann\n",
    );
    let db = dir.path().join("other").join("i.db");
    let out = verdict(&db, &["import", "--quiet", s(&csv)]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("created database {}", db.display())),
        "{err}"
    );
    // `sync` stores what followed feeds bring: it creates the database.
    let db = dir.path().join("feeds").join("f.db");
    let out = verdict(&db, &["sync"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("created database {}", db.display())),
        "{err}"
    );
    assert!(err.contains("0 feeds: "), "{err}");
}

#[test]
fn a_url_is_never_taken_for_a_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let review = write(dir.path(), "review.txt", REVIEW);
    let url = "mysql://verdict@localhost/verdict";
    let expected = format!(
        "verdict: {url}: not a supported database (a SQLite file path, or a postgres:// URL)\n"
    );
    let runs: [&[&str]; 4] = [
        &["films"],
        &["ingest", s(&review)],
        &["import", s(&review)],
        &["serve", "--addr", "127.0.0.1:0"],
    ];
    for args in runs {
        for by_env in [false, true] {
            let mut cmd = verdict_command();
            cmd.current_dir(&cwd).env_remove("VERDICT_DB");
            if by_env {
                cmd.env("VERDICT_DB", url);
            } else {
                cmd.args(["--db", url]);
            }
            let out = cmd.args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert_eq!(stderr(&out), expected, "{args:?}");
            assert!(entries(&cwd).is_empty(), "{args:?}: {:?}", entries(&cwd));
        }
    }
}

#[test]
fn errors_name_the_input_then_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input, "good.txt", REVIEW);
    let empty = write(&input, "empty.txt", "");
    let missing = dir.path().join("missing.txt");
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["ingest", s(&input), s(&missing)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for (path, reason) in [
        (&empty, "empty document"),
        (&missing, "no such file or folder"),
    ] {
        assert!(
            err.lines()
                .any(|l| l == format!("verdict: {}: {reason}", path.display())),
            "{err}"
        );
    }
    let out = verdict(&db, &["import", s(&missing)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!(
            "verdict: {}: no such file or folder",
            missing.display()
        )),
        "{}",
        stderr(&out)
    );
}

/// Four films: reviews (count, scores /10) chosen so that every order
/// differs from the others.
fn four_films(dir: &Path) -> PathBuf {
    let rows = [
        ("Alpha", vec!["9/10"]),
        ("Beta", vec!["2/10", "3/10", "4/10"]),
        ("Gamma", vec!["7/10", "8/10"]),
        ("Delta", vec!["6/10", "6.5/10", "5/10", "4.5/10"]),
    ];
    let mut csv = String::from("title,rating,critic\n");
    let mut critic = 0;
    for (title, ratings) in rows {
        for r in ratings {
            critic += 1;
            csv.push_str(&format!("{title},{r},Critic {critic}\n"));
        }
    }
    let f = write(dir, "four.csv", &csv);
    let db = dir.join("four.db");
    let out = verdict(&db, &["import", "--quiet", s(&f)]);
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

fn json_titles(db: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["films", "--json"];
    all.extend_from_slice(args);
    json(db, &all)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["film"]["title"].as_str().unwrap().to_string())
        .collect()
}

/// The titles of the text list, in order (the header left out).
fn text_titles(db: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["films"];
    all.extend_from_slice(args);
    ok(db, &all)
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

#[test]
fn films_are_sorted_filtered_and_cut_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = four_films(dir.path());
    let cases: [(&[&str], [&str; 4]); 4] = [
        (&[], ["Alpha", "Beta", "Delta", "Gamma"]),
        (&["--sort", "score"], ["Alpha", "Gamma", "Delta", "Beta"]),
        // Alpha and Gamma are both 100 % positive: ties keep title order.
        (&["--sort", "percent"], ["Alpha", "Gamma", "Delta", "Beta"]),
        (&["--sort", "reviews"], ["Delta", "Beta", "Gamma", "Alpha"]),
    ];
    for (args, expected) in cases {
        assert_eq!(json_titles(&db, args), expected, "{args:?}");
        assert_eq!(text_titles(&db, args), expected, "{args:?}");
    }
    let scores: Vec<f64> = json(&db, &["films", "--json", "--sort", "score"])
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["aggregate"]["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores, [90.0, 75.0, 55.0, 30.0]);
    // `--sort title` is the default, byte for byte.
    assert_eq!(
        ok(&db, &["films", "--json"]),
        ok(&db, &["films", "--json", "--sort", "title"])
    );
    let min2 = ["Beta", "Delta", "Gamma"];
    assert_eq!(json_titles(&db, &["--min-reviews", "2"]), min2);
    assert_eq!(text_titles(&db, &["--min-reviews", "2"]), min2);
    let best2 = ["Alpha", "Gamma"];
    assert_eq!(
        json_titles(&db, &["--sort", "score", "--limit", "2"]),
        best2
    );
    assert_eq!(
        text_titles(&db, &["--sort", "score", "--limit", "2"]),
        best2
    );
    let both = ["Delta", "Beta"];
    let args = ["--sort", "reviews", "--min-reviews", "3", "--limit", "5"];
    assert_eq!(json_titles(&db, &args), both);
    assert_eq!(text_titles(&db, &args), both);
    assert_eq!(
        json_titles(&db, &["--min-reviews", "9"]),
        Vec::<String>::new()
    );
    assert_eq!(
        ok(&db, &["films", "--min-reviews", "9"]),
        "No film has 9 reviews or more (4 films in all).\n"
    );
    let out = verdict(&db, &["films", "--sort", "stars"]);
    assert_eq!(out.status.code(), Some(2), "clap refuses an unknown order");
}

#[test]
fn summaries_name_the_database_and_count_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let review = write(dir.path(), "review.txt", REVIEW);
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["ingest", s(&review)]);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "1 input: 1 stored, 0 already stored, 0 failed · database {}: 1 film, 1 review",
            db.display()
        )),
        "{err}"
    );
    let csv = write(
        dir.path(),
        "scores.csv",
        "title,year,rating,critic\nOffside,2006,4/5,Ann\nOffside,2006,2/5,Bob\n",
    );
    let out = verdict(&db, &["import", "--quiet", s(&csv)]);
    let mut all = stderr(&out);
    assert!(
        all.contains(&format!("database {}: 2 films, 3 reviews", db.display())),
        "{all}"
    );
    assert!(all.contains("2 rows read"), "{all}");
    let movies = write(
        &dir.path().join("ml"),
        "movies.csv",
        "movieId,title,genres\n1,Offside (2006),Comedy|Drama\n",
    );
    let out = verdict(&db, &["catalog", "import", s(&movies)]);
    let err = stderr(&out);
    assert!(err.contains("catalogue: 1 entry added"), "{err}");
    all.push_str(&err);
    let out = verdict(&db, &["catalog", "unmatched"]);
    let err = stderr(&out);
    assert!(err.contains("1 film left unmatched"), "{err}");
    all.push_str(&err);
    for clumsy in ["(s)", "(ies)"] {
        assert!(!all.contains(clumsy), "{all}");
    }
}

#[test]
fn a_generic_csv_without_a_map_names_the_columns_it_saw() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "mine.csv",
        "Picture,Mark,Notes\nHarbour Lights,8/10,Superb.\n",
    );
    let db = dir.path().join("v.db");
    for args in [vec!["import"], vec!["import", "--format", "csv"]] {
        let mut all = args.clone();
        all.push(s(&csv));
        let out = verdict(&db, &all);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("verdict: {}: ", csv.display())),
            "{err}"
        );
        assert!(err.contains("Picture, Mark, Notes"), "{args:?}: {err}");
        assert!(err.contains("--map title="), "{args:?}: {err}");
    }
    assert!(!db.exists(), "nothing imported, nothing created");
}

#[test]
fn catalog_unmatched_on_an_empty_catalogue_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let review = write(dir.path(), "review.txt", REVIEW);
    let db = dir.path().join("v.db");
    ok(&db, &["ingest", s(&review)]);
    let out = verdict(&db, &["catalog", "unmatched"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("the catalogue is empty"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        json(&db, &["catalog", "unmatched", "--json"]),
        serde_json::json!([])
    );
}

#[test]
fn every_command_that_prints_data_takes_json_and_the_readme_says_so() {
    let readme = include_str!("../../../README.md");
    let usage: Vec<&str> = readme
        .split("## Usage")
        .nth(1)
        .and_then(|rest| rest.split("```sh").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("the README's usage block")
        .lines()
        .collect();
    let commands: [&[&str]; 12] = [
        &["ingest"],
        &["follow"],
        &["sync"],
        &["import"],
        &["catalog", "match"],
        &["catalog", "unmatched"],
        &["catalog", "import"],
        &["catalog", "link"],
        &["films"],
        &["show"],
        &["rating"],
        &["extract"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let help = with_stdin(&args, "");
        assert!(
            String::from_utf8_lossy(&help.stdout).contains("--json"),
            "verdict {command:?} has no --json"
        );
        let line = format!("verdict {} ", command.join(" "));
        assert!(
            usage
                .iter()
                .any(|l| l.starts_with(&line) && l.contains("--json")),
            "the README's usage block shows no `{line}… --json`"
        );
    }
}
