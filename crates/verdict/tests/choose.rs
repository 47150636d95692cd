//! Choosing a film: `#ID`, a slug, "Title (Year)", a title with `--year`;
//! a title several films share is refused with every film listed, each
//! with the exact command that shows it (pasted, it does), for `show`,
//! `remove --film` and `catalog match`. (The web's search reads the same
//! arguments: `serve.rs`.)

mod common;
use common::*;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use verdict_testkit::data;

/// The real Rotten Tomatoes soccer films, imported.
fn soccer_db() -> Option<(tempfile::TempDir, PathBuf)> {
    let soccer = data("rt-toplists/soccer")?;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["import", s(&soccer), "--quiet"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some((dir, db))
}

/// Every film with this title: (id, year, reviews), by year.
fn films_titled(db: &Path, title: &str) -> Vec<(i64, Option<i64>, i64)> {
    let films = json(db, &["films", "--json"]);
    let mut found: Vec<(i64, Option<i64>, i64)> = films
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["film"]["title"] == title)
        .map(|f| {
            (
                f["film"]["id"].as_i64().unwrap(),
                f["film"]["year"].as_i64(),
                f["aggregate"]["reviews"].as_i64().unwrap(),
            )
        })
        .collect();
    found.sort_by_key(|f| (f.1, f.0));
    found
}

/// `verdict show ARGS… --json`: the film shown.
fn shown(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["show"];
    all.extend_from_slice(args);
    all.push("--json");
    json(db, &all)
}

/// Runs a line as a user pastes it into a shell, with the binary under
/// test as `verdict` on the PATH.
fn paste(line: &str) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_verdict")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .env("PATH", path)
        .env("VERDICT_READER", "linear")
        .env_remove("VERDICT_DB")
        .output()
        .expect("run sh")
}

/// The lines of an error that are commands to paste.
fn commands(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("  verdict "))
        .map(str::to_string)
        .collect()
}

/// Each printed command, pasted, shows exactly the film its comment
/// names: once as printed, once with `--json` before the comment.
fn check_way_on(stderr: &str, films: &[(i64, Option<i64>, i64)], title: &str) {
    let lines = commands(stderr);
    assert_eq!(lines.len(), films.len(), "{stderr}");
    for (line, &(id, year, reviews)) in lines.iter().zip(films) {
        let year_text = year.map(|y| format!(" ({y})")).unwrap_or_default();
        let word = if reviews == 1 { "review" } else { "reviews" };
        assert!(
            line.ends_with(&format!("# {title}{year_text} · {reviews} {word}")),
            "{line}"
        );
        let out = paste(line.trim_start());
        assert!(
            out.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let command = line.trim_start().split("   # ").next().unwrap();
        let out = paste(&format!("{command} --json"));
        assert!(out.status.success(), "{command}");
        let page: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(page["film"]["id"], id, "{command}");
        assert_eq!(page["aggregate"]["reviews"], reviews, "{command}");
    }
}

#[test]
fn next_goal_wins_is_two_films_and_every_way_of_naming_one_shows_it() {
    let Some((_dir, db)) = soccer_db() else {
        return;
    };
    // The 2014 documentary and the 2023 film.
    let films = films_titled(&db, "Next Goal Wins");
    assert_eq!(
        films.iter().map(|f| f.1).collect::<Vec<_>>(),
        [Some(2014), Some(2023)],
        "{films:?}"
    );
    let (doc, film) = (films[0], films[1]);

    let out = verdict(&db, &["show", "Next Goal Wins"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("verdict: Next Goal Wins: matches 2 films; choose one:"),
        "{err}"
    );
    let lines = commands(&err);
    let db_arg = format!("--db {}", db.display());
    assert_eq!(
        lines[0].split("   # ").next().unwrap().trim_end(),
        format!("  verdict {db_arg} show \"Next Goal Wins (2014)\""),
        "{err}"
    );
    check_way_on(&err, &films, "Next Goal Wins");

    // Every way of naming one film.
    let id = |v: &Value| v["film"]["id"].as_i64().unwrap();
    assert_eq!(id(&shown(&db, &["Next Goal Wins (2023)"])), film.0);
    assert_eq!(id(&shown(&db, &["next goal wins (2014)"])), doc.0);
    assert_eq!(
        id(&shown(&db, &["Next Goal Wins", "--year", "2014"])),
        doc.0
    );
    assert_eq!(
        id(&shown(&db, &["Next Goal Wins", "--year", "2023"])),
        film.0
    );
    assert_eq!(id(&shown(&db, &["next-goal-wins-2023"])), film.0);
    assert_eq!(id(&shown(&db, &["next-goal-wins-2014"])), doc.0);
    assert_eq!(id(&shown(&db, &[&format!("#{}", doc.0)])), doc.0);
    assert_eq!(
        shown(&db, &["Next Goal Wins (2023)"])["aggregate"]["reviews"],
        film.2
    );
    // A year one off still finds the film (the resolver's tolerance).
    assert_eq!(
        id(&shown(&db, &["Next Goal Wins", "--year", "2022"])),
        film.0
    );

    // Errors name the input and the reason, and exit 1.
    for (args, want) in [
        (
            vec!["show", "Next Goal Wins", "--year", "2019"],
            "verdict: Next Goal Wins --year 2019: no film matches",
        ),
        (
            vec!["show", "Next Goal Wins (2023)", "--year", "2014"],
            "verdict: Next Goal Wins (2023) --year 2014: the title gives the year 2023 and --year 2014",
        ),
        (vec!["show", "#999999"], "verdict: #999999: no film matches"),
        (
            vec!["show", "no-such-film-1999"],
            "verdict: no-such-film-1999: no film matches",
        ),
    ] {
        let out = verdict(&db, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with(want), "{args:?}: {err}");
    }

    // `remove --film` lists the same films, with its own commands.
    let out = verdict(&db, &["remove", "--film", "Next Goal Wins", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let lines = commands(&err);
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[1].contains(&format!(
            "verdict {db_arg} remove --film \"Next Goal Wins (2023)\""
        )),
        "{err}"
    );
    let out = verdict(
        &db,
        &["remove", "--film", "Next Goal Wins (2023)", "--dry-run"],
    );
    assert!(out.status.success());
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(
        listed.contains(&format!(
            "film #{} Next Goal Wins (2023): {} reviews, none left",
            film.0, film.2
        )),
        "{listed}"
    );
}

/// Two films with one title and one year (two films of one export are
/// never merged): told apart by their ids, and by their slugs.
#[test]
fn namesakes_of_one_year_are_chosen_by_id_or_slug() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let rt = dir.path().join("rt");
    write(
        &rt,
        "critic_reviews.csv",
        "\"quote\",\"movieId\",\"reviewState\",\"reviewId\",\"originalScore\",\"isTopCritic\",\"publicationName\",\"criticName\",\"creationDate\"\r\n\
         \"Cold and beautiful.\",\"s1\",\"fresh\",\"1\",\"4/5\",False,\"Variety\",\"Cy Dee\",\"2002-11-27\"\r\n\
         \"Slow.\",\"s1\",\"rotten\",\"2\",\"2/5\",False,\"Screen\",\"Di Ek\",\"2002-11-28\"\r\n\
         \"A different film altogether, and a fine one.\",\"s2\",\"fresh\",\"3\",\"4/5\",False,\"Gazette\",\"Ann Lee\",\"2002-12-01\"\r\n",
    );
    write(
        &rt,
        "movies.csv",
        "\"movieId\",\"movieTitle\",\"movieYear\",\"movieURL\",\"critic_score\"\r\n\
         \"s1\",\"Solaris\",2002,\"https://www.rottentomatoes.com/m/solaris\",\"50%\"\r\n\
         \"s2\",\"Solaris\",2002,\"https://www.rottentomatoes.com/m/solaris_2\",\"100%\"\r\n",
    );
    ok(&db, &["import", s(&rt), "--quiet"]);
    let films = films_titled(&db, "Solaris");
    assert_eq!(films.len(), 2, "{films:?}");
    let (first, second) = (films[0], films[1]);

    for args in [
        vec!["show", "Solaris"],
        vec!["show", "Solaris (2002)"],
        vec!["show", "solaris", "--year", "2002"],
    ] {
        let out = verdict(&db, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("matches 2 films"), "{err}");
        // Title and year name both: the commands give the ids.
        let lines = commands(&err);
        assert!(
            lines[0].contains(&format!("show \"#{}\"", first.0)),
            "{err}"
        );
        assert!(
            lines[1].contains(&format!("show \"#{}\"", second.0)),
            "{err}"
        );
        check_way_on(&err, &films, "Solaris");
    }
    // The slugs the web gives them: the older keeps the plain one.
    let id = |v: &Value| v["film"]["id"].as_i64().unwrap();
    assert_eq!(id(&shown(&db, &["solaris-2002"])), first.0);
    assert_eq!(
        id(&shown(&db, &[&format!("solaris-2002-{}", second.0)])),
        second.0
    );
}

/// `catalog match` reads "Title (Year)", and a stored film's id or slug;
/// an ambiguous title shows the command that matches each entry.
#[test]
fn catalog_match_takes_a_title_and_year_and_shows_the_way_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let cat = dir.path().join("cat");
    write(
        &cat,
        "title.basics.tsv",
        "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n\
         tt1606180\tmovie\tInside Out\tInside Out\t0\t2011\t\\N\t90\tDrama\n\
         tt2096673\tmovie\tInside Out\tInside Out\t0\t2015\t\\N\t95\tAnimation\n\
         tt2446600\tmovie\tNext Goal Wins\tNext Goal Wins\t0\t2014\t\\N\t97\tDocumentary\n",
    );
    ok(&db, &["import", s(&cat), "--quiet"]);
    let reviews = write(
        dir.path(),
        "reviews.csv",
        "title,year,rating,critic\nNext Goal Wins,2014,4/5,Ann\n",
    );
    ok(&db, &["import", s(&reviews), "--quiet"]);

    // "Title (Year)" is the title and --year.
    let m = json(&db, &["catalog", "match", "Inside Out (2011)", "--json"]);
    assert_eq!(m["matched"]["imdb_id"], "tt1606180", "{m:#}");
    assert_eq!(m["title"], "Inside Out");
    assert_eq!(m["year"], 2011);
    let m = json(&db, &["catalog", "match", "Inside Out (2015)", "--json"]);
    assert_eq!(m["matched"]["imdb_id"], "tt2096673");
    // Two years: refused.
    let out = verdict(
        &db,
        &["catalog", "match", "Inside Out (2015)", "--year", "2011"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("verdict: Inside Out (2015) --year 2011: the title gives the year 2015")
    );
    // A stored film by its id or slug: its title and year.
    let film = films_titled(&db, "Next Goal Wins")[0];
    for arg in [format!("#{}", film.0), "next-goal-wins-2014".to_string()] {
        let m = json(&db, &["catalog", "match", &arg, "--json"]);
        assert_eq!(m["matched"]["imdb_id"], "tt2446600", "{arg}: {m:#}");
        assert_eq!(m["year"], 2014);
    }

    // Ambiguous: the way on, each command pasted matches its entry.
    let out = verdict(&db, &["catalog", "match", "Inside Out"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Inside Out: ambiguous"), "{text}");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  verdict "))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    for (line, imdb) in lines.iter().zip(["tt1606180", "tt2096673"]) {
        assert!(line.ends_with(imdb), "{line}");
        let command = line.trim_start().split("   # ").next().unwrap();
        let out = paste(&format!("{command} --json"));
        assert!(out.status.success(), "{command}");
        let m: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(m["matched"]["imdb_id"], imdb, "{command}");
    }
}
