//! Tests as data: every example review under `examples/reviews/` has the
//! reading it must give in `tests/expected/<name>.json`. The expected file
//! lists only the fields it checks; every one of them must match.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Whether `expected` is contained in `actual`: objects by their keys,
/// arrays element by element (same length), numbers within 0.01.
fn contains(actual: &Value, expected: &Value, path: &str, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(av) => contains(av, v, &format!("{path}.{k}"), errors),
                    None => errors.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!("{path}: {} items, expected {}", a.len(), e.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                contains(av, ev, &format!("{path}[{i}]"), errors);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            if (e.as_f64().unwrap() - a.as_f64().unwrap()).abs() > 0.01 {
                errors.push(format!("{path}: {a}, expected {e}"));
            }
        }
        (e, a) if e == a => {}
        (e, a) => errors.push(format!("{path}: {a}, expected {e}")),
    }
}

#[test]
fn every_example_reads_as_expected() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let examples = root.join("../../examples/reviews");
    let expected_dir = root.join("tests/expected");
    let db = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&examples).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let expected_path = expected_dir.join(format!("{stem}.json"));
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
                panic!("{} has no {}", path.display(), expected_path.display())
            }),
        )
        .unwrap();
        let actual = json(
            &db.path().join("unused.db"),
            &["extract", path.to_str().unwrap(), "--json"],
        );
        let mut errors = Vec::new();
        contains(&actual, &expected, &stem, &mut errors);
        failures.extend(errors);
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_examples_aggregate_to_one_film() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reviews");
    ok(&db, &["ingest", examples.to_str().unwrap()]);
    let films = json(&db, &["films", "--json"]);
    assert_eq!(films.as_array().unwrap().len(), 1, "{films:#}");
    let page = json(&db, &["show", "Les Feux du Port", "--json"]);
    assert_eq!(page["film"]["title"], "Harbour Lights");
    assert_eq!(page["film"]["year"], 2025);
    assert_eq!(page["aggregate"]["reviews"], 7);
    // Six favourable reviews (one French, by its French title with the
    // English one as its alias) and one negative one.
    assert_eq!(page["aggregate"]["positive"], 6);
    assert_eq!(page["aggregate"]["negative"], 1);
}
