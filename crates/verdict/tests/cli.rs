//! The command line on inputs the project writes itself: formats, bad
//! input, the rating and extract commands.

mod common;
use common::*;

#[test]
fn bad_inputs_are_reported_and_the_rest_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a_good.txt"), "Harbour Lights (2025)\n\nA tender, beautifully acted drama about a ferry captain and his daughter. I loved it.\n\nScore: 81\n").unwrap();
    std::fs::write(input.join("b_empty.txt"), "").unwrap();
    std::fs::write(input.join("c_binary.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(input.join("d_nul.txt"), b"Harbour\0Lights\xff\xfe").unwrap();
    // windows-1252: curly apostrophe and é.
    std::fs::write(input.join("e_cp1252.txt"), b"Harbour Lights\n\nIt\x92s a caf\xe9 of a film: warm, funny and wonderfully acted throughout.\n\n4/5\n").unwrap();
    std::fs::write(input.join("f_no_title.txt"), "   \n\n").unwrap();
    let db = dir.path().join("v.db");
    let out = verdict(
        &db,
        &[
            "ingest",
            input.to_str().unwrap(),
            dir.path().join("missing").to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failure must show in the exit code"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in [
        "b_empty.txt",
        "c_binary.png",
        "d_nul.txt",
        "f_no_title.txt",
        "missing",
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(name)),
            "no message names {name}:\n{stderr}"
        );
    }
    assert!(stderr.contains("empty"), "{stderr}");
    assert!(stderr.contains("binary"), "{stderr}");
    let page = json(&db, &["show", "harbour lights", "--json"]);
    assert_eq!(page["aggregate"]["reviews"], 2, "{page:#}");
    let cp = page["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"].as_str().unwrap().contains("e_cp1252"))
        .unwrap();
    assert_eq!(cp["score"], 80.0);
    assert!(
        cp["diagnostics"].to_string().contains("windows-1252"),
        "{cp:#}"
    );
}

#[test]
fn a_failed_run_keeps_what_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let good = dir.path().join("good.txt");
    std::fs::write(
        &good,
        "Harbour Lights\n\nA warm and wonderful film.\n\nScore: 75\n",
    )
    .unwrap();
    ok(&db, &["ingest", good.to_str().unwrap()]);
    let bad = dir.path().join("bad.bin");
    std::fs::write(&bad, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let out = verdict(&db, &["ingest", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json(&db, &["show", "Harbour Lights", "--json"])["aggregate"]["reviews"],
        1
    );
}

#[test]
fn ten_thousand_files_with_some_broken() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pile");
    std::fs::create_dir(&input).unwrap();
    let n = 10_000;
    let mut broken = 0;
    for i in 0..n {
        let path = input.join(format!("r{i:05}.txt"));
        if i % 997 == 0 {
            std::fs::write(&path, [0u8, 1, 2, 3, 0xff]).unwrap();
            broken += 1;
        } else {
            std::fs::write(
                &path,
                format!(
                    "Film Number {}\n\nReview {i}: a fine film with good acting.\n\nScore: {}\n",
                    i % 50,
                    40 + i % 60
                ),
            )
            .unwrap();
        }
    }
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["ingest", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("verdict: "))
            .count(),
        broken,
        "{stderr}"
    );
    let films = json(&db, &["films", "--json"]);
    let total: u64 = films
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["aggregate"]["reviews"].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, n - broken);
    assert_eq!(films.as_array().unwrap().len(), 50);
}

#[test]
fn rating_reads_strings_and_stdin_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let r = json(&db, &["rating", "4.5/5 Stars", "--json"]);
    assert_eq!(r["score"], 90.0);
    assert_eq!(r["value"], 4.5);
    assert_eq!(r["best"], 5.0);
    assert!(r["refused"].is_null());

    let out = with_stdin(&["rating", "-"], "3/4\nB+\nMPAA Rating: R\n★★★½\n");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["score"], 75.0);
    assert!((lines[1]["score"].as_f64().unwrap() - 83.33).abs() < 0.01);
    assert!(lines[2]["score"].is_null());
    assert!(lines[2]["refused"].as_str().unwrap().contains("MPAA"));
    assert_eq!(lines[3]["score"], 87.5);
}

#[test]
fn extract_reads_standard_input_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let html = r#"<!DOCTYPE html><html><head><title>Harbour Lights review | The Daily Reel</title>
<meta property="og:site_name" content="The Daily Reel"><meta name="author" content="Ada Lovelace"></head>
<body><nav>Home · Films · About</nav><article><h1>Harbour Lights review</h1>
<p>A tender, funny, beautifully acted drama that earns every one of its tears. The best film of the year so far.</p>
<p>Rating: 4/5</p></article><div id="comments"><h3>Leave a Reply</h3></div></body></html>"#;
    let out = with_stdin(
        &["--db", db.to_str().unwrap(), "extract", "-", "--json"],
        html,
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["review"]["format"], "html");
    assert_eq!(v["review"]["film_title"], "Harbour Lights");
    assert_eq!(v["review"]["outlet"], "The Daily Reel");
    assert_eq!(v["review"]["critic"], "Ada Lovelace");
    assert_eq!(v["score"], 80.0);
    assert!(
        !v["review"]["body"]
            .as_str()
            .unwrap()
            .contains("Leave a Reply")
    );
    assert!(
        !db.exists(),
        "extract must not create or touch the database"
    );
}

/// The subcommands a help page lists (`help` left out).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn no_help_page_points_at_the_lab_or_its_data() {
    let help = |args: &[String]| {
        let out = with_stdin(
            args.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            "",
        );
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 help")
    };
    let top = help(&["--help".to_string()]);
    let commands = subcommands(&top);
    for expected in ["ingest", "import", "catalog", "rating", "judge", "serve"] {
        assert!(
            commands.iter().any(|c| c == expected),
            "{expected} missing: {commands:?}"
        );
    }
    // Training, the benchmarks and the ratings report are `verdict-lab`'s.
    for gone in ["train", "eval", "ratings-report"] {
        assert!(
            !commands.iter().any(|c| c == gone),
            "{gone} still listed: {commands:?}"
        );
    }
    // Every page, every level down.
    let mut pages = vec![(Vec::new(), top)];
    let mut queue: Vec<Vec<String>> = commands.into_iter().map(|c| vec![c]).collect();
    while let Some(path) = queue.pop() {
        let mut args = path.clone();
        args.push("--help".into());
        let page = help(&args);
        for sub in subcommands(&page) {
            let mut deeper = path.clone();
            deeper.push(sub);
            queue.push(deeper);
        }
        pages.push((path, page));
    }
    assert!(pages.len() > 12, "{} pages", pages.len());
    for (path, page) in &pages {
        assert!(
            !page.contains("shared/data") && !page.contains("shared\\data"),
            "verdict {path:?} --help points at the shared data:\n{page}"
        );
    }
}
