//! `verdict import`: every layout, bad rows, idempotence, the catalogue,
//! and the published Tomatometers of the real Rotten Tomatoes files.

mod common;
use common::*;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// A folder of `../shared/data`: `None` (the test skips, visibly) when
/// absent.
use verdict_testkit::data;

fn film<'a>(films: &'a Value, title: &str) -> &'a Value {
    films
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["film"]["title"] == title)
        .unwrap_or_else(|| panic!("no film {title:?} in {films:#}"))
}

/// Both Rotten Tomatoes layouts, columns in an order of their own.
#[test]
fn rt_layouts_are_read_by_header_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let kaggle = dir.path().join("kaggle");
    write(
        &kaggle,
        "reviews.csv",
        "review_content,rotten_tomatoes_link,review_type,critic_name,top_critic,publisher_name,review_score,review_date\n\
         \"A joy, start to finish.\",m/harbour_lights,Fresh,Ann Lee,True,Daily Planet,3.5/4,2020-01-02\n\
         Dull and long.,m/harbour_lights,Rotten,Bob Roe,False,The Sun,1/5,2020-01-03\n\
         \"Warm, funny, alive.\",m/harbour_lights,Fresh,,False,Gazette,,2020-01-04\n",
    );
    write(
        &kaggle,
        "movies.csv",
        "movie_title,rotten_tomatoes_link,original_release_date,tomatometer_rating,tomatometer_count\n\
         Harbour Lights,m/harbour_lights,2019-11-01,67,3\n",
    );
    let rt = dir.path().join("rt");
    write(
        &rt,
        "critic_reviews.csv",
        "\"quote\",\"movieId\",\"reviewState\",\"reviewId\",\"originalScore\",\"isTopCritic\",\"publicationName\",\"criticName\",\"creationDate\"\r\n\
         \"Stirring, and\r\nsad.\",\"u1\",\"fresh\",\"101\",\"B+\",True,\"Variety\",\"Cy Dee\",\"2021-05-01\"\r\n\
         \"\",\"u1\",\"rotten\",\"102\",\"2/5\",False,\"Screen\",\"Di Ek\",\"2021-05-02\"\r\n",
    );
    write(
        &rt,
        "movies.csv",
        "\"movieId\",\"movieTitle\",\"movieYear\",\"movieURL\",\"critic_score\"\r\n\
         \"u1\",\"Offside\",2006,\"https://www.rottentomatoes.com/m/offside\",\"50%\"\r\n",
    );
    let out = verdict(&db, &["import", s(&kaggle), s(&rt)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("5 stored"), "{err}");

    let films = json(&db, &["films", "--json"]);
    let h = film(&films, "Harbour Lights");
    assert_eq!(h["film"]["year"], 2019);
    assert_eq!(h["film"]["external_ids"][0]["source"], "rt");
    assert_eq!(h["film"]["external_ids"][0]["id"], "m/harbour_lights");
    assert_eq!(h["film"]["external_ids"][0]["published_percent"], 67.0);
    let a = &h["aggregate"];
    assert_eq!(a["reviews"], 3);
    assert_eq!(a["positive_basis"], "labels");
    assert_eq!(a["positive_percent"], 66.7);
    assert_eq!(a["labelled"], 3);
    assert_eq!(a["top_critics"]["reviews"], 1);

    let o = film(&films, "Offside");
    assert_eq!(o["film"]["external_ids"][0]["id"], "m/offside");
    assert_eq!(o["aggregate"]["positive_percent"], 50.0);

    let page = json(&db, &["show", "Offside", "--json"]);
    let reviews = page["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 2);
    let first = &reviews[0];
    assert_eq!(first["source_verdict"], "positive");
    assert_eq!(first["top_critic"], true);
    assert_eq!(first["rating"]["raw"], "B+");
    assert_eq!(first["critic"], "Cy Dee");
    assert_eq!(first["outlet"], "Variety");
    assert_eq!(first["date"], "2021-05-01");
    assert!(
        first["source"]
            .as_str()
            .unwrap()
            .ends_with("critic_reviews.csv:2")
    );
    // The quote's line break inside quotes is kept.
    let page = json(&db, &["show", "Harbour Lights", "--json"]);
    let unrated = page["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outlet"] == "Gazette")
        .unwrap();
    assert_eq!(
        unrated["inferred"], true,
        "no rating: judged from the quote"
    );
    assert!(unrated["p_positive"].as_f64().is_some());
}

#[test]
fn bad_rows_are_reported_with_file_and_line_and_the_import_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let f = write(
        dir.path(),
        "reviews.csv",
        "rotten_tomatoes_link,critic_name,top_critic,publisher_name,review_type,review_score,review_date,review_content\n\
         m/a_film,Ann,False,Paper,Fresh,4/5,2020-01-01,Good.\n\
         m/a_film,Bob,False,Paper\n\
         ,Cy,False,Paper,Rotten,1/5,2020-01-01,Bad.\n\
         m/a_film,Di,False,Paper,Rotten,1/5,2020-01-01,\"Cut off in the midd",
    );
    let out = verdict(&db, &["import", s(&f)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let name = s(&f);
    assert!(
        err.contains(&format!("{name}:3: 4 fields where the header has 8")),
        "{err}"
    );
    assert!(err.contains(&format!("{name}:4: no film id")), "{err}");
    assert!(
        err.contains(&format!("{name}:5: the file ends inside this row")),
        "{err}"
    );
    assert!(err.contains("1 stored") && err.contains("3 bad"), "{err}");
    // No films file: the film is named from its link.
    let films = json(&db, &["films", "--json"]);
    assert_eq!(films[0]["film"]["title"], "A Film");
}

#[test]
fn importing_again_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let f = write(
        dir.path(),
        "r.csv",
        "title,year,rating,critic,review\nHarbour Lights,2019,4/5,Ann,Lovely.\nHarbour Lights,2019,2/5,Bob,Meh.\n",
    );
    ok(&db, &["import", s(&f)]);
    // The first import built the database aside and put it in place: no
    // temporary file is left beside it.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    names.sort();
    assert_eq!(names, ["r.csv", "v.db"]);
    let before = json(&db, &["films", "--json"]);
    let out = verdict(&db, &["import", s(&f)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0 stored, 2 already stored"), "{err}");
    assert_eq!(json(&db, &["films", "--json"]), before);
}

/// An import that finds nothing to import creates no database.
#[test]
fn a_failed_first_import_creates_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let f = write(dir.path(), "notes.txt", "\0\0binary\0");
    let out = verdict(&db, &["import", s(&f)]);
    assert!(!out.status.success());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["notes.txt"]);
}

#[test]
fn flatiron_tsv_in_cp1252_with_crlf_and_empty_texts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let mut bytes: Vec<u8> =
        b"id\treview\trating\tfresh\tcritic\ttop_critic\tpublisher\tdate\r\n".to_vec();
    bytes.extend_from_slice(b"3\tIt\x92s a caf\xe9 of delights.\t3/5\tfresh\tPJ Nabarro\t0\tPatrick Nabarro\tNovember 10, 2018\r\n");
    bytes.extend_from_slice(b"3\t\t\trotten\tAnnalee Newitz\t1\tio9.com\tMay 23, 2018\r\n");
    bytes.extend_from_slice(b"7\t\"A \"\"bold\"\" film.\"\t\tfresh\t\t0\tSite\t\r\n");
    let f = dir.path().join("rt.reviews.tsv");
    std::fs::write(&f, bytes).unwrap();
    let out = verdict(&db, &["import", s(&f)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("windows-1252"), "{err}");
    assert!(err.contains("3 stored"), "{err}");
    let films = json(&db, &["films", "--json"]);
    assert_eq!(films.as_array().unwrap().len(), 2);
    let page = json(&db, &["show", "rt-flatiron film 3", "--json"]);
    let reviews = page["reviews"].as_array().unwrap();
    assert!(reviews.iter().any(|r| r["rating"]["raw"] == "3/5"
        && r["date"] == "2018-11-10"
        && r["critic"] == "PJ Nabarro"));
    // No text, no rating: the label still counts, our reading says nothing.
    let empty = reviews
        .iter()
        .find(|r| r["critic"] == "Annalee Newitz")
        .unwrap();
    assert_eq!(empty["source_verdict"], "negative");
    assert_eq!(empty["top_critic"], true);
    assert_eq!(empty["confidence"], 0.0);
    assert!(empty["diagnostics"].to_string().contains("import.unread"));
    // Unjudged: no score, no verdict of ours; its label alone counts.
    assert_eq!(empty["unjudged"], true);
    assert!(empty["score"].is_null() && empty["verdict"].is_null());
    assert_eq!(page["aggregate"]["unjudged"], 1);
    assert_eq!(page["aggregate"]["positive_percent"], 50.0);
    assert_eq!(page["aggregate"]["reviews"], 2);
    let seven = json(&db, &["show", "rt-flatiron film 7", "--json"]);
    assert_eq!(seven["reviews"][0]["text"], "A \"bold\" film.");
    assert!(
        reviews
            .iter()
            .any(|r| r["text"] == "It’s a café of delights."),
        "{page:#}"
    );
}

#[test]
fn letterboxd_export_folder_is_read_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let export = dir.path().join("letterboxd-ann-2024-01-31-12-00-utc");
    write(
        &export,
        "reviews.csv",
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n\
         2024-01-02,Harbour Lights,2019,https://boxd.it/a1,4.5,,\"<i>Loved</i> it.<br /><blockquote>A dreary bore, said the papers.</blockquote>They were wrong.\",,2024-01-01\n",
    );
    write(
        &export,
        "ratings.csv",
        "Date,Name,Year,Letterboxd URI,Rating\n\
         2024-01-02,Harbour Lights,2019,https://boxd.it/f1,4.5\n\
         2024-01-03,Offside,2006,https://boxd.it/f2,2\n",
    );
    write(
        &export,
        "diary.csv",
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n\
         2024-01-03,Offside,2006,https://boxd.it/d2,2,,,2024-01-03\n\
         2024-01-04,Bend It Like Beckham,2002,https://boxd.it/d3,3.5,,,2024-01-04\n\
         2024-01-05,Shaolin Soccer,2001,https://boxd.it/d4,,,,2024-01-05\n",
    );
    write(
        &export,
        "watched.csv",
        "Date,Name,Year,Letterboxd URI\n2024-01-05,Shaolin Soccer,2001,https://boxd.it/w\n",
    );
    let out = verdict(&db, &["import", s(&export)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("letterboxd export of ann"), "{err}");
    assert!(err.contains("3 stored"), "{err}");
    let films = json(&db, &["films", "--json"]);
    assert_eq!(films.as_array().unwrap().len(), 3, "{films:#}");
    let page = json(&db, &["show", "Harbour Lights", "--json"]);
    let r = &page["reviews"][0];
    assert_eq!(r["critic"], "ann");
    assert_eq!(r["outlet"], "Letterboxd");
    assert_eq!(r["score"], 90.0);
    assert_eq!(r["rating"]["best"], 5.0);
    let body = ok(&db, &["show", "Harbour Lights"]);
    assert!(!body.contains("<i>"), "{body}");
    // The quoted passage is never judged: the evidence is the critic's.
    let evidence = r["evidence"].to_string();
    assert!(!evidence.contains("dreary"), "{evidence}");
}

#[test]
fn generic_csv_with_a_column_mapping_and_forced_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let f = write(dir.path(), "mine.txt", "Film;Released;Mark;Words\n");
    drop(f);
    let f = write(
        dir.path(),
        "mine.csv",
        "Film,Released,Mark,Words,Who\nHarbour Lights,2019,8/10,Superb.,Ann\nHarbour Lights,2019,C,So-so.,Bob\n",
    );
    let out = verdict(
        &db,
        &[
            "import",
            "--format",
            "csv",
            "--map",
            "title=Film,year=Released,rating=Mark,text=Words,critic=Who",
            s(&f),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let page = json(&db, &["show", "Harbour Lights", "--json"]);
    assert_eq!(page["film"]["year"], 2019);
    assert_eq!(page["aggregate"]["reviews"], 2);
    assert_eq!(page["aggregate"]["positive_basis"], "readings");
    let scores: Vec<f64> = page["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.contains(&80.0) && scores.contains(&50.0),
        "{scores:?}"
    );
    // A mapping naming a column the file lacks is refused, with the columns.
    let out = verdict(&db, &["import", "--map", "title=Nope", s(&f)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("no column \"Nope\"") && err.contains("Film, Released"),
        "{err}"
    );
}

#[test]
fn catalogue_matches_by_year_and_leaves_namesakes_unmatched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let cat = dir.path().join("cat");
    write(
        &cat,
        "title.basics.tsv",
        "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n\
         tt1606180\tmovie\tInside Out\tInside Out\t0\t2011\t\\N\t90\tDrama\n\
         tt2096673\tmovie\tInside Out\tInside Out\t0\t2015\t\\N\t95\tAnimation\n\
         tt0084516\tmovie\tPoltergeist\tPoltergeist\t0\t1982\t\\N\t114\tHorror\n\
         tt1029360\tmovie\tPoltergeist\tPoltergeist\t0\t2015\t\\N\t93\tHorror\n\
         tt8000000\tmovie\tRed Rooms\tLes chambres rouges\t0\t2023\t\\N\t118\tThriller\n\
         tt9000000\ttvEpisode\tRed Rooms\tRed Rooms\t0\t2023\t\\N\t30\tDrama\n",
    );
    let ml = dir.path().join("ml");
    write(
        &ml,
        "movies.csv",
        "movieId,title,genres\n1,\"Poltergeist (1982)\",Horror\n2,\"Cité des enfants perdus, La (City of Lost Children, The) (1995)\",Fantasy\n",
    );
    write(
        &ml,
        "links.csv",
        "movieId,imdbId,tmdbId\n1,0084516,609\n2,0112682,902\n",
    );
    let out = verdict(&db, &["import", s(&cat), s(&ml)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("7 entries added"), "{err}");

    let reviews = write(
        dir.path(),
        "reviews.csv",
        "title,year,rating,critic\n\
         Inside Out,2015,4/5,Ann\n\
         Inside Out,,3/5,Bob\n\
         Poltergeist,1982,4/5,Ann\n\
         Poltergeist,2015,2/5,Ann\n\
         Les Chambres Rouges,2023,4/5,Cy\n\
         The City of Lost Children,1995,5/5,Di\n",
    );
    let out = verdict(&db, &["import", s(&reviews)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // "Inside Out" with no year fits the 2015 film known from the row
    // before (a missing year matches anything): never a second film.
    let films = json(&db, &["films", "--json"]);
    let titles: Vec<String> = films
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["film"]["title"], f["film"]["year"]))
        .collect();
    assert_eq!(titles.len(), 5, "{titles:?}");
    let by_year = |title: &str, year: i64| -> &Value {
        films
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["film"]["title"] == title && f["film"]["year"] == year)
            .unwrap_or_else(|| panic!("{title} {year}: {titles:?}"))
    };
    let io = by_year("Inside Out", 2015);
    assert_eq!(io["film"]["catalogue"]["imdb_id"], "tt2096673");
    assert_eq!(io["film"]["catalogue"]["confidence"], 1.0);
    assert_eq!(io["aggregate"]["reviews"], 2);
    assert_eq!(
        by_year("Poltergeist", 1982)["film"]["catalogue"]["imdb_id"],
        "tt0084516",
        "IMDb and MovieLens entries with one IMDb id are one film"
    );
    assert_eq!(
        by_year("Poltergeist", 2015)["film"]["catalogue"]["imdb_id"],
        "tt1029360"
    );
    // Matched through the original title; the catalogue's titles become aliases.
    let rr = by_year("Les Chambres Rouges", 2023);
    assert_eq!(rr["film"]["catalogue"]["imdb_id"], "tt8000000");
    assert!(rr["film"]["aliases"].to_string().contains("Red Rooms"));
    let cl = by_year("The City of Lost Children", 1995);
    assert_eq!(cl["film"]["catalogue"]["source"], "movielens");

    // Namesakes without a year: left unmatched, with the reason.
    let m = verdict(&db, &["catalog", "match", "Inside Out", "--json"]);
    let v: Value = serde_json::from_slice(&m.stdout).unwrap();
    assert_eq!(v["method"], "ambiguous");
    assert!(v["reason"].as_str().unwrap().contains("2011"));
    assert!(!m.status.success());
    let m = json(
        &db,
        &["catalog", "match", "Inside Out", "--year", "2011", "--json"],
    );
    assert_eq!(m["matched"]["imdb_id"], "tt1606180");
    // A title with its other title in parentheses, as exports write them,
    // is looked up by both.
    let m = json(
        &db,
        &[
            "catalog",
            "match",
            "Red Rooms (Les chambres rouges)",
            "--year",
            "2023",
            "--json",
        ],
    );
    assert_eq!(m["matched"]["imdb_id"], "tt8000000", "{m:#}");
}

/// The published Tomatometer of every complete film of the Kaggle file
/// (117) and of the 52 soccer films, from the review labels, within a
/// point; with the labels hidden, the mean absolute error is printed.
#[test]
fn published_tomatometers_within_one_point() {
    let (Some(kaggle), Some(soccer)) = (data("rt-kaggle-truncated"), data("rt-toplists/soccer"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["import", s(&kaggle), s(&soccer)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let films = json(&db, &["films", "--json"]);
    let by_id: HashMap<String, &Value> = films
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["film"]["external_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |x| (x["id"].as_str().unwrap().to_string(), f))
        })
        .collect();

    // (id, title, published) of the films whose every review is in the files.
    let mut expected: Vec<(String, String, f64)> = Vec::new();
    let complete = std::fs::read_to_string(kaggle.join("DERIVED_complete_films.tsv")).unwrap();
    for line in complete.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        expected.push((f[0].to_string(), f[1].to_string(), f[6].parse().unwrap()));
    }
    assert_eq!(expected.len(), 117);
    let mut rdr = csv_rows(&soccer.join("movies.csv"));
    let header = rdr.remove(0);
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    for row in rdr {
        let url = &row[col("movieURL")];
        let slug = &url[url.find("/m/").unwrap() + 1..];
        let published: f64 = row[col("critic_score")]
            .trim_end_matches('%')
            .parse()
            .unwrap();
        expected.push((slug.to_string(), row[col("movieTitle")].clone(), published));
    }
    assert_eq!(expected.len(), 169);

    let mut within = 0;
    let mut off = Vec::new();
    let mut hidden_errors = Vec::new();
    for (id, title, published) in &expected {
        let f = by_id
            .get(id)
            .unwrap_or_else(|| panic!("film {id} ({title}) not imported"));
        let a = &f["aggregate"];
        assert_eq!(a["positive_basis"], "labels", "{title}");
        let ours = a["positive_percent"].as_f64().unwrap();
        if (ours - published).abs() <= 1.0 {
            within += 1;
        } else {
            off.push(format!("{title}: {ours} vs published {published}"));
        }
        hidden_errors.push((a["read_positive_percent"].as_f64().unwrap() - published).abs());
    }
    // Films imported but not complete in the files: the exceptions.
    let listed: std::collections::HashSet<&str> = expected.iter().map(|e| e.0.as_str()).collect();
    let exceptions: Vec<String> = films
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["film"]["external_ids"]
                .as_array()
                .unwrap()
                .iter()
                .all(|x| !listed.contains(x["id"].as_str().unwrap()))
        })
        .map(|f| {
            let x = &f["film"]["external_ids"][0];
            format!(
                "{} ({}): incomplete in the truncated file: {} of {} reviews",
                f["film"]["title"], x["id"], f["aggregate"]["reviews"], x["published_count"]
            )
        })
        .collect();
    let mae = hidden_errors.iter().sum::<f64>() / hidden_errors.len() as f64;
    let worst = hidden_errors.iter().cloned().fold(0.0, f64::max);
    eprintln!(
        "published Tomatometer: {within}/{} films within 1 point; exceptions: {exceptions:?}",
        expected.len()
    );
    eprintln!("labels hidden (rating + judge only): MAE {mae:.2} points, worst {worst:.1}");
    assert!(off.is_empty(), "off by more than a point: {off:#?}");
    assert_eq!(exceptions.len(), 1, "{exceptions:?}");
    assert!(
        exceptions[0].contains("m/10008705-mr_untouchable"),
        "{exceptions:?}"
    );
    assert!(mae < 10.0, "labels-hidden MAE {mae:.2}");
}

/// Minimal CSV reading for the test's own expectations.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The real Letterboxd exports (personal data: local only, nothing of
/// their content is printed).
#[test]
fn real_letterboxd_exports_import() {
    let Some(lb) = data("letterboxd") else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["import", "--quiet", s(&lb)]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("importing letterboxd export").count(), 3);
    let films = json(&db, &["films", "--json"]);
    let reviews: u64 = films
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["aggregate"]["reviews"].as_u64().unwrap())
        .sum();
    assert!(films.as_array().unwrap().len() > 100);
    assert!(reviews >= films.as_array().unwrap().len() as u64);
    // Importing again adds nothing.
    let again = verdict(&db, &["import", "--quiet", s(&lb)]);
    assert!(String::from_utf8_lossy(&again.stderr).contains(" 0 stored"));
}

/// The first rows of the real Flatiron TSV (cp1252, CRLF, empty texts).
#[test]
fn real_flatiron_rows_import() {
    let Some(dir) = data("rt-flatiron") else {
        return;
    };
    use std::io::Read;
    let mut gz = flate2_reader(&dir.join("rt.reviews.tsv.gz"));
    let mut bytes = vec![0u8; 400_000];
    let n = gz.read(&mut bytes).unwrap();
    bytes.truncate(n);
    // Whole lines only.
    let end = bytes.iter().rposition(|b| *b == b'\n').unwrap() + 1;
    bytes.truncate(end);
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("rt.reviews.tsv");
    std::fs::write(&f, &bytes).unwrap();
    let db = tmp.path().join("v.db");
    let out = verdict(&db, &["import", "--quiet", s(&f)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(" 0 bad"), "{err}");
    let films = json(&db, &["films", "--json"]);
    for f in films.as_array().unwrap() {
        assert_eq!(f["aggregate"]["positive_basis"], "labels");
    }
}

fn flate2_reader(path: &Path) -> Box<dyn std::io::Read> {
    // The test reads the gzip through the binary's own dependency tree:
    // `gzip -dc` keeps the test free of an extra dev-dependency.
    let out = std::process::Command::new("gzip")
        .arg("-dc")
        .arg(path)
        .output()
        .expect("gzip");
    Box::new(std::io::Cursor::new(out.stdout))
}

#[test]
fn the_source_index_leaves_out_exactly_the_import_formats() {
    // The partial index (V5; `review_by_source` asks with the same
    // condition) names the importers' formats, one `format <> '…'` each.
    let v5 = include_str!("../../store/migrations/sqlite/V5__review_source_index_without_in.sql");
    let condition = v5
        .split("WHERE ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("the index's condition");
    let mut listed: Vec<&str> = condition
        .split("AND")
        .map(|term| {
            term.trim()
                .strip_prefix("format <> ")
                .unwrap_or_else(|| panic!("a term of another kind: {term:?}"))
                .trim_matches('\'')
        })
        .collect();
    let mut formats = verdict_core::IMPORT_FORMATS.to_vec();
    listed.sort_unstable();
    formats.sort_unstable();
    assert_eq!(listed, formats);
}

/// An import into an empty table computes the cross-film statistics from
/// the rows as it writes them; they are the statistics read from the
/// table (an import of the same rows with one repeated, which must read
/// the table, gives the same films, shrunk and calibrated scores included).
#[test]
fn statistics_from_the_rows_written_equal_those_read_from_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("title,year,rating,critic,review\n");
    let critics = ["Ann", "Bob", "Cleo", "Dev"];
    for film in 0..7 {
        for (c, critic) in critics.iter().enumerate() {
            // Dev is harsh; Cleo writes no rating on odd films (judged).
            let mark = (3 + (film + c) % 3) as i32 - i32::from(c == 3) * 2;
            let rating = if c == 2 && film % 2 == 1 {
                String::new()
            } else {
                format!("{}/5", mark.max(1))
            };
            let words = if (film + c) % 2 == 0 {
                "A fine and moving film."
            } else {
                "Dull and far too long."
            };
            csv.push_str(&format!(
                "Film {film},{},{rating},{critic},{words}\n",
                2000 + film
            ));
        }
    }
    let first_row = csv.lines().nth(1).unwrap().to_string();
    let once = write(dir.path(), "once/r.csv", &csv);
    let twice = write(dir.path(), "twice/r.csv", &format!("{csv}{first_row}\n"));
    let import = |db: &Path, f: &Path| -> Value {
        let out = verdict(db, &["import", "--json", s(f)]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let ra = import(&a, &once);
    let rb = import(&b, &twice);
    assert_eq!(ra["inserted"], 28, "{ra:#}");
    assert_eq!(rb["inserted"], 28, "{rb:#}");
    assert_eq!(rb["duplicates"], 1, "{rb:#}");
    assert_eq!(ra["stages"]["stats_from_rows"], true, "{ra:#}");
    assert_eq!(rb["stages"]["stats_from_rows"], false, "{rb:#}");
    let (fa, fb) = (
        json(&a, &["films", "--json"]),
        json(&b, &["films", "--json"]),
    );
    assert_eq!(fa, fb);
    // The statistics say something here: a prior, and harshness.
    let one = film(&fa, "Film 3");
    assert!(one["aggregate"]["shrunk_score"].is_number(), "{one:#}");
    assert!(one["aggregate"]["calibrated_score"].is_number(), "{one:#}");
    // Into a table that holds reviews already, the table is read.
    let more = write(
        dir.path(),
        "more/r.csv",
        "title,year,rating,critic,review\nFilm 9,2009,4/5,Ann,Good.\n",
    );
    let rc = import(&a, &more);
    assert_eq!(rc["stages"]["stats_from_rows"], false, "{rc:#}");
}

/// One voice per writer per film: a Letterboxd diarist's rewatches of a
/// film count once, with the latest entry; the earlier ones are history.
/// The film's page and the list of films say the same.
#[test]
fn a_writers_rewatches_count_once_with_the_latest() {
    let Some(letterboxd) = data("letterboxd") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    ok(&db, &["import", "--quiet", letterboxd.to_str().unwrap()]);
    let page = json(&db, &["show", "Joker", "--json"]);
    let reviews = page["reviews"].as_array().unwrap();
    let superseded: Vec<&Value> = reviews
        .iter()
        .filter(|r| !r["superseded_by"].is_null())
        .collect();
    assert!(
        !superseded.is_empty(),
        "a diarist logged Joker more than once"
    );
    let a = &page["aggregate"];
    assert_eq!(a["superseded"].as_u64().unwrap() as usize, superseded.len());
    assert_eq!(
        a["reviews"].as_u64().unwrap() as usize,
        reviews.len() - superseded.len()
    );
    // Each counted writer once; each earlier entry points at its writer's
    // latest, which counts.
    let mut counted = std::collections::HashSet::new();
    for r in reviews.iter().filter(|r| r["superseded_by"].is_null()) {
        assert!(
            counted.insert(r["critic"].as_str().unwrap().to_lowercase()),
            "{r}"
        );
    }
    for r in &superseded {
        let later = reviews
            .iter()
            .find(|x| x["id"] == r["superseded_by"])
            .expect("the replacing review is the film's");
        assert_eq!(later["critic"], r["critic"]);
        assert!(later["superseded_by"].is_null());
        assert!(later["date"].as_str() >= r["date"].as_str(), "{later} {r}");
    }
    let films = json(&db, &["films", "--json"]);
    let listed = films
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["film"]["id"] == page["film"]["id"])
        .unwrap();
    assert_eq!(listed["aggregate"], page["aggregate"]);
}

/// A rating without a label counts for % positive against the fresh line
/// learned for its critic, outlet or scale (the shipped lines), and the
/// review says so; a name the lines do not know keeps the plain 60.
#[test]
fn a_rating_is_held_to_its_outlets_learned_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let rows = [
        ("Ann Lee", "ComingSoon.net", "6/10"),
        ("Di Ek", "TV Guide", "7/10"),
        ("Bo Ro", "An Outlet Nobody Knows", "6/10"),
        ("William Bibbiani", "Some Site", "5.5/10"),
        ("Cy Dee", "ComingSoon.net", "9/10"),
    ];
    let lines = verdict_rating::Calibration::shipped();
    let fresh: Vec<bool> = rows
        .iter()
        .map(|(c, o, r)| {
            let score = match verdict_rating::read(r) {
                verdict_rating::Reading::Rated(x) => x.score,
                other => panic!("{r}: {other:?}"),
            };
            lines.is_fresh(Some(o), Some(c), "x/10", score)
        })
        .collect();
    // The lines move at least one of these from what 60 says (else this
    // test tests nothing): 60, 70, 60, 55, 90 under the plain line.
    let plain = [true, true, true, false, true];
    let moved = fresh.iter().zip(plain).filter(|(f, p)| **f != *p).count();
    assert!(moved > 0, "the shipped lines move none of {rows:?}");
    let mut csv = String::from("Film,Year,Mark,Who,Where\n");
    for (c, o, r) in rows {
        csv.push_str(&format!("Harbour Lights,2019,{r},{c},{o}\n"));
    }
    let f = write(dir.path(), "mine.csv", &csv);
    let out = verdict(
        &db,
        &[
            "import",
            "--format",
            "csv",
            "--map",
            "title=Film,year=Year,rating=Mark,critic=Who,outlet=Where",
            s(&f),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = json(&db, &["show", "Harbour Lights", "--json"]);
    let a = &page["aggregate"];
    assert_eq!(a["rated"], 5, "{a:#}");
    let favourable = fresh.iter().filter(|f| **f).count();
    assert_eq!(a["favourable"], favourable, "{a:#}");
    let want = (1000.0 * favourable as f64 / 5.0).round() / 10.0;
    assert_eq!(a["positive_percent"].as_f64(), Some(want), "{a:#}");
    for r in page["reviews"].as_array().unwrap() {
        let critic = r["critic"].as_str().unwrap();
        let known = critic != "Bo Ro";
        assert_eq!(!r["fresh_line"].is_null(), known, "{critic}: {r:#}");
    }
    let line = &page["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["critic"] == "Ann Lee")
        .unwrap()["fresh_line"];
    assert_eq!(line["level"], "outlet", "{line}");
    // The terminal says how each rating the lines moved counted, and
    // only those.
    let out = verdict(&db, &["show", "Harbour Lights"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("would say otherwise").count(), moved, "{text}");
    assert!(
        text.contains("against this outlet's fresh line") && text.contains("would say otherwise"),
        "{text}"
    );
    // So does the film page.
    let server = common::server::Server::start(&db, &[]);
    let slug = verdict_present::slug::film_base("Harbour Lights", Some(2019));
    let html = server.body(&format!("/films/{slug}"));
    assert!(html.contains("data-testid=\"fresh-line\""), "{html}");
    assert!(
        html.contains("this outlet&#39;s fresh line")
            || html.contains("this outlet&#x27;s fresh line")
            || html.contains("this outlet's fresh line"),
        "{html}"
    );
}
