//! Every distinct rating string seen across the Rotten Tomatoes sources,
//! with the reading checked by hand: `tests/fixtures/rating-strings.expected.tsv`.
//! The fixture holds the strings themselves, so the comparison runs without
//! the data; when `../shared/data/rating-strings.tsv` is present, the test
//! also checks that the fixture lists exactly its strings.

use std::collections::BTreeSet;
use verdict_core::Confidence;
use verdict_rating::{Reading, read};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/rating-strings.expected.tsv"
);

use verdict_testkit::rating_strings::load as load_rating_strings;

#[derive(Debug)]
enum Expected {
    Rated {
        score: f64,
        best: f64,
        scale: String,
        confidence: Confidence,
    },
    Refused {
        reason_has: String,
    },
}

struct Row {
    line: usize,
    input: String,
    expected: Expected,
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture readable");
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let line_no = n + 1;
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5.max(cols.len()), "line {line_no}: {line:?}");
        let input = cols[0]
            .strip_prefix('|')
            .and_then(|c| c.strip_suffix('|'))
            .unwrap_or_else(|| panic!("line {line_no}: input not wrapped in |…|"))
            .to_string();
        let expected = if cols[1] == "REFUSED" {
            Expected::Refused {
                reason_has: cols
                    .get(5)
                    .filter(|r| !r.trim().is_empty())
                    .unwrap_or_else(|| panic!("line {line_no}: refused with no reason words"))
                    .to_string(),
            }
        } else {
            Expected::Rated {
                score: cols[1]
                    .parse()
                    .unwrap_or_else(|_| panic!("line {line_no}: bad score")),
                best: cols[2]
                    .parse()
                    .unwrap_or_else(|_| panic!("line {line_no}: bad best")),
                scale: cols[3].to_string(),
                confidence: match cols[4] {
                    "high" => Confidence::High,
                    "medium" => Confidence::Medium,
                    "low" => Confidence::Low,
                    c => panic!("line {line_no}: bad confidence {c}"),
                },
            }
        };
        out.push(Row {
            line: line_no,
            input,
            expected,
        });
    }
    out
}

fn describe(r: &Reading) -> String {
    match r {
        Reading::Rated(r) => format!(
            "{:.2}\t{}\t{}\t{:?}",
            r.score, r.best, r.scale, r.confidence
        )
        .to_lowercase(),
        Reading::Refused(r) => format!("REFUSED: {}", r.reason),
    }
}

#[test]
fn every_string_reads_as_the_fixture_says() {
    let rows = rows();
    let mut diffs = Vec::new();
    for row in &rows {
        let got = read(&row.input);
        let ok = match (&row.expected, &got) {
            (
                Expected::Rated {
                    score,
                    best,
                    scale,
                    confidence,
                },
                Reading::Rated(r),
            ) => {
                (r.score - score).abs() <= 0.01
                    && r.best == *best
                    && &r.scale == scale
                    && r.confidence == *confidence
                    && (0.0..=100.0).contains(&r.score)
            }
            (Expected::Refused { reason_has }, Reading::Refused(r)) => {
                r.reason.contains(reason_has.as_str()) && r.input == row.input
            }
            _ => false,
        };
        if !ok {
            let want = match &row.expected {
                Expected::Rated {
                    score,
                    best,
                    scale,
                    confidence,
                } => format!("{score:.2}\t{best}\t{scale}\t{confidence:?}").to_lowercase(),
                Expected::Refused { reason_has } => format!("REFUSED: …{reason_has}…"),
            };
            diffs.push(format!(
                "line {} |{}|\n  - expected {want}\n  + got      {}",
                row.line,
                row.input,
                describe(&got)
            ));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} of {} strings read differently from the fixture:\n{}",
        diffs.len(),
        rows.len(),
        diffs.join("\n")
    );
}

#[test]
fn fixture_lists_every_distinct_string_once() {
    let rows = rows();
    let inputs: Vec<&str> = rows.iter().map(|r| r.input.as_str()).collect();
    let unique: BTreeSet<&str> = inputs.iter().copied().collect();
    assert_eq!(unique.len(), inputs.len(), "a string is listed twice");
    assert!(inputs.len() >= 400, "only {} rows", inputs.len());
    // The fixture was checked on its own above; the data too when present.
    let Some(path) = verdict_testkit::data("rating-strings.tsv") else {
        return;
    };
    let data = load_rating_strings(&path).expect("rating-strings.tsv reads");
    let seen: BTreeSet<&str> = data.iter().map(|r| r.input.as_str()).collect();
    let missing: Vec<&&str> = seen.difference(&unique).collect();
    let extra: Vec<&&str> = unique.difference(&seen).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "fixture and data differ: missing {missing:?}, not in the data {extra:?}"
    );
    assert_eq!(data.len(), rows.len());
}

#[test]
fn coverage_goals_hold_on_the_fixture() {
    // weights come from the data when present; else every string counts once
    let weights: std::collections::HashMap<String, u64> =
        match verdict_testkit::data("rating-strings.tsv") {
            Some(path) => load_rating_strings(&path)
                .expect("rating-strings.tsv reads")
                .into_iter()
                .map(|r| (r.input, r.total))
                .collect(),
            // Skipped visibly: every string counts once.
            None => Default::default(),
        };
    let (mut read_w, mut all_w) = (0u64, 0u64);
    for row in rows() {
        let w = weights.get(&row.input).copied().unwrap_or(1);
        all_w += w;
        match read(&row.input) {
            Reading::Rated(_) => read_w += w,
            Reading::Refused(r) => assert!(!r.reason.trim().is_empty(), "{:?}", row.input),
        }
    }
    let share = read_w as f64 / all_w as f64;
    assert!(share >= 0.995 || weights.is_empty(), "read share {share}");
    assert!(share >= 0.95, "read share {share}");
}
