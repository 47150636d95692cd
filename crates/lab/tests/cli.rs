//! `verdict-lab` driven through the real binary: its commands, and clear
//! errors when the data is not where it is asked for.

use std::process::{Command, Output};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

fn lab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verdict-lab"))
        .args(args)
        .output()
        .expect("run verdict-lab")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn help_lists_the_lab_commands() {
    let out = lab(&["--help"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let help = stdout(&out);
    for command in ["train", "eval", "ratings-report"] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "{command} missing from\n{help}"
        );
    }
    let out = lab(&["train", "judge", "--help"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let help = stdout(&out);
    for flag in ["--data", "--out", "--seed", "../shared/data"] {
        assert!(help.contains(flag), "{flag} missing from\n{help}");
    }
    let out = lab(&["eval", "--help"]);
    let help = stdout(&out);
    for flag in [
        "--data",
        "--quick",
        "--only",
        "--benchmark-data-only",
        "--sklearn",
        "--export-splits",
        "--json",
    ] {
        assert!(help.contains(flag), "{flag} missing from\n{help}");
    }
    let out = lab(&["ratings-report", "--help"]);
    let help = stdout(&out);
    for flag in ["--data", "--repeat", "--top", "--json"] {
        assert!(help.contains(flag), "{flag} missing from\n{help}");
    }
}

#[test]
fn missing_data_fails_with_the_path_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-data");
    let model = dir.path().join("model.bin");
    let missing_s = missing.to_str().unwrap();
    for (args, says) in [
        (
            vec![
                "train",
                "judge",
                "--data",
                missing_s,
                "--out",
                model.to_str().unwrap(),
            ],
            "training the judge on",
        ),
        (vec!["eval", "--data", missing_s], "evaluating on"),
        (
            vec!["ratings-report", "--data", missing_s],
            "reading rating-strings.tsv and rt-flatiron/rt.reviews.tsv.gz in",
        ),
    ] {
        let out = lab(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with("verdict-lab: ") && err.contains(says) && err.contains(missing_s),
            "{args:?}: {err}"
        );
    }
    assert!(!model.exists(), "no model is written when training fails");
}

#[test]
fn the_ratings_report_runs_on_the_real_data() {
    for f in ["rating-strings.tsv", "rt-flatiron/rt.reviews.tsv.gz"] {
        if verdict_testkit::data(f).is_none() {
            return;
        }
    }
    let out = lab(&["ratings-report", "--data", DATA, "--repeat", "1", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON report");
    let strings = &report["rating_strings"];
    assert!(strings["distinct"].as_u64().unwrap() >= 400, "{strings}");
    assert_eq!(strings["refused_without_reason"], 0, "{strings}");
    let methods = report["agreement"]["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 3, "{methods:?}");
    assert!(report["throughput"]["strings"].as_u64().unwrap() > 0);
    let out = lab(&["ratings-report", "--data", DATA, "--repeat", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for section in ["1. Coverage", "2. Agreement", "3. Throughput"] {
        assert!(text.contains(section), "{section} missing from\n{text}");
    }
}
