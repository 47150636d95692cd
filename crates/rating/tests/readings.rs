//! Table-driven readings: `tests/fixtures/readings.tsv`, checked by hand.

use verdict_core::Confidence;
use verdict_rating::{Reading, ScaleHint, read, read_with};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/readings.tsv");

struct Row {
    line: usize,
    input: String,
    score: Option<f64>,
    best: Option<f64>,
    scale: Option<String>,
    confidence: Option<Confidence>,
    hint: Option<f64>,
}

fn opt(field: Option<&str>) -> Option<&str> {
    field.map(str::trim).filter(|f| !f.is_empty() && *f != "-")
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture readable");
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let raw = cols.next().unwrap();
        let input = match raw.strip_prefix('|').and_then(|r| r.strip_suffix('|')) {
            Some(inner) => inner.to_string(),
            None => raw.to_string(),
        };
        let score =
            match opt(cols.next()).unwrap_or_else(|| panic!("line {}: no score column", n + 1)) {
                "REFUSED" => None,
                s => Some(
                    s.parse()
                        .unwrap_or_else(|_| panic!("line {}: bad score {s}", n + 1)),
                ),
            };
        let best = opt(cols.next()).map(|b| b.parse().unwrap());
        let scale = opt(cols.next()).map(str::to_string);
        let confidence = opt(cols.next()).map(|c| match c {
            "high" => Confidence::High,
            "medium" => Confidence::Medium,
            "low" => Confidence::Low,
            other => panic!("line {}: bad confidence {other}", n + 1),
        });
        let hint = opt(cols.next()).map(|h| h.parse().unwrap());
        rows.push(Row {
            line: n + 1,
            input,
            score,
            best,
            scale,
            confidence,
            hint,
        });
    }
    rows
}

#[test]
fn fixture_has_enough_rows() {
    let rows = rows();
    assert!(rows.len() >= 80, "only {} rows", rows.len());
}

#[test]
fn fixture_readings() {
    let mut failures = Vec::new();
    for row in rows() {
        let reading = match row.hint {
            Some(h) => read_with(&row.input, &ScaleHint::out_of(h)),
            None => read(&row.input),
        };
        let what = format!("line {} {:?}", row.line, row.input);
        match (row.score, &reading) {
            (None, Reading::Refused(r)) => {
                if r.reason.trim().is_empty() {
                    failures.push(format!("{what}: refused with an empty reason"));
                }
                if r.input != row.input {
                    failures.push(format!("{what}: refusal input {:?}", r.input));
                }
            }
            (None, Reading::Rated(r)) => {
                failures.push(format!("{what}: expected REFUSED, got {r:?}"))
            }
            (Some(_), Reading::Refused(r)) => {
                failures.push(format!("{what}: refused: {}", r.reason))
            }
            (Some(score), Reading::Rated(r)) => {
                if (r.score - score).abs() > 0.01 {
                    failures.push(format!("{what}: score {} != {score}", r.score));
                }
                if let Some(best) = row.best
                    && (r.best - best).abs() > 1e-9
                {
                    failures.push(format!("{what}: best {} != {best}", r.best));
                }
                if let Some(scale) = &row.scale
                    && &r.scale != scale
                {
                    failures.push(format!("{what}: scale {} != {scale}", r.scale));
                }
                if let Some(c) = row.confidence
                    && r.confidence != c
                {
                    failures.push(format!("{what}: confidence {:?} != {c:?}", r.confidence));
                }
                if r.span.is_some() {
                    failures.push(format!("{what}: read() set a span"));
                }
                if !row.input.contains(r.raw.as_str()) || r.raw.trim() != r.raw || r.raw.is_empty()
                {
                    failures.push(format!("{what}: raw {:?} is not the trimmed input", r.raw));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
