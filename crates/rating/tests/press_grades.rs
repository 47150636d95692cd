//! Allociné's grades against the French press data beside the project
//! (`../shared/data/french/press-ratings-by-year.tar.xz`: one CSV a year,
//! 2000–2019, `paper,rating,title,…`, about 174,000 outlets' grades of
//! films): every grade in it is read by `verdict_rating::read` with the
//! score `docs/scales.md` documents, and the doc's count of each grade is
//! the data's. Skipped, visibly, when the data is absent.
//!
//! `cargo test -p verdict-rating --test press_grades` prints the counts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use verdict_rating::{Reading, read, words};

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/scales.md");

/// The rows of the doc's `<!-- checked: french grades -->` table: (grade,
/// score, stars, press rows).
fn documented() -> Vec<(String, f64, f64, u64)> {
    let text = std::fs::read_to_string(DOC).expect("docs/scales.md readable");
    let mut rows = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("<!-- checked") {
            inside = t.contains("french grades");
            continue;
        }
        if !inside {
            continue;
        }
        if !t.starts_with('|') {
            if !rows.is_empty() {
                break;
            }
            continue;
        }
        let cols: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
        if cols[0] == "input" || cols[0].starts_with("---") {
            continue;
        }
        let input = cols[0].trim_matches('`').to_string();
        let number = |i: usize| -> f64 {
            cols[i]
                .replace(',', "")
                .parse()
                .unwrap_or_else(|_| panic!("{input}: column {i} {:?} is no number", cols[i]))
        };
        rows.push((input.clone(), number(1), number(4), number(5) as u64));
    }
    assert_eq!(rows.len(), words::FRENCH_GRADES.len(), "{rows:?}");
    rows
}

fn csv_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the unpacked folder reads") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            csv_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "csv") {
            out.push(path);
        }
    }
}

#[test]
fn every_press_grade_is_read_with_its_documented_score() {
    let doc = documented();
    let Some(dir) = verdict_testkit::unpacked("french/press-ratings-by-year.tar.xz") else {
        return;
    };
    let mut files = Vec::new();
    csv_files(&dir, &mut files);
    files.sort();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut rows = 0u64;
    for file in &files {
        let mut reader =
            csv::Reader::from_path(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let column = reader
            .headers()
            .expect("a header")
            .iter()
            .position(|h| h == "rating")
            .unwrap_or_else(|| panic!("{}: no rating column", file.display()));
        for record in reader.records() {
            let record = record.unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            *counts.entry(record[column].to_string()).or_default() += 1;
            rows += 1;
        }
    }
    for (grade, n) in &counts {
        verdict_testkit::note(format_args!("press grade {grade:?}: {n}"));
    }
    verdict_testkit::note(format_args!("press rows: {rows} in {} files", files.len()));
    assert_eq!(files.len(), 20, "one file a year, 2000–2019");

    let mut failures = Vec::new();
    let mut graded = 0u64;
    for (label, n) in &counts {
        if label == "NA" {
            continue;
        }
        graded += n;
        let Some(row) = words::french_grade(label) else {
            failures.push(format!("{label:?} ({n} rows) is no grade of the table"));
            continue;
        };
        let Some((_, score, stars, documented_rows)) = doc.iter().find(|d| d.0 == row.phrase)
        else {
            failures.push(format!("{label:?} is not in docs/scales.md"));
            continue;
        };
        match read(label) {
            Reading::Rated(r) => {
                if r.score != *score || r.value != *stars || r.scale != "allocine" {
                    failures.push(format!(
                        "{label:?}: read {} ({} stars, {}), documented {score} ({stars} stars)",
                        r.score, r.value, r.scale
                    ));
                }
            }
            Reading::Refused(r) => failures.push(format!("{label:?} refused: {}", r.reason)),
        }
        if n != documented_rows {
            failures.push(format!(
                "{label:?}: {n} rows in the data, {documented_rows} in docs/scales.md"
            ));
        }
    }
    // Every grade the doc counts is in the data, the doc's total is the
    // data's, and "NA" (no grade) is the only other value.
    let documented_total: u64 = doc.iter().map(|d| d.3).sum();
    assert_eq!(documented_total, graded, "graded rows");
    assert_eq!(rows - graded, counts.get("NA").copied().unwrap_or(0));
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The press grades whole stars: the five whole-star words are all but
    // a few rows in ten thousand.
    let whole: u64 = counts
        .iter()
        .filter(|(l, _)| words::french_grade(l).is_some_and(|g| g.stars.fract() == 0.0))
        .map(|(_, n)| n)
        .sum();
    assert!(whole * 10_000 >= graded * 9_990, "{whole} of {graded}");
}
