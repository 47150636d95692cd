//! `docs/scales.md` is the published conversion table: every row of its
//! tables marked `<!-- checked -->` must be what the code reads, and the
//! letter and word tables must list every grade and word the code knows.

use verdict_rating::words::{FRENCH_GRADES, WORD_TABLE};
use verdict_rating::{Reading, letter_grade_score, read};

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/scales.md");

struct Row {
    line: usize,
    input: String,
    score: String,
    scale: String,
    confidence: String,
}

/// The checked tables: (marker, rows).
fn tables() -> Vec<(String, Vec<Row>)> {
    let text = std::fs::read_to_string(DOC).expect("docs/scales.md readable");
    let mut out: Vec<(String, Vec<Row>)> = Vec::new();
    let mut current: Option<(String, Vec<Row>)> = None;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(m) = t.strip_prefix("<!-- checked") {
            if let Some(c) = current.take() {
                out.push(c);
            }
            let marker = m
                .trim_end_matches("-->")
                .trim()
                .trim_start_matches(':')
                .trim();
            current = Some((marker.to_string(), Vec::new()));
            continue;
        }
        let Some((_, rows)) = current.as_mut() else {
            continue;
        };
        if !t.starts_with('|') {
            if !rows.is_empty() {
                out.push(current.take().unwrap());
            }
            continue;
        }
        let cols: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
        if cols[0] == "input" || cols[0].starts_with("---") {
            continue;
        }
        let input = cols[0]
            .strip_prefix('`')
            .and_then(|c| c.strip_suffix('`'))
            .unwrap_or_else(|| panic!("line {}: input not in backticks", n + 1));
        rows.push(Row {
            line: n + 1,
            input: input.to_string(),
            score: cols.get(1).unwrap_or(&"").to_string(),
            scale: cols.get(2).unwrap_or(&"").to_string(),
            confidence: cols.get(3).unwrap_or(&"").to_string(),
        });
    }
    if let Some(c) = current {
        out.push(c);
    }
    out
}

#[test]
fn every_checked_row_is_what_the_code_reads() {
    let tables = tables();
    assert!(tables.len() >= 8, "only {} checked tables", tables.len());
    let mut failures = Vec::new();
    let mut n = 0;
    for (_, rows) in &tables {
        for row in rows {
            n += 1;
            let got = read(&row.input);
            let what = format!("docs/scales.md line {} `{}`", row.line, row.input);
            match (row.score.strip_prefix("refused:"), &got) {
                (Some(words), Reading::Refused(r)) => {
                    if !r.reason.contains(words.trim()) {
                        failures.push(format!("{what}: reason {:?} lacks {words:?}", r.reason));
                    }
                }
                (Some(_), Reading::Rated(r)) => {
                    failures.push(format!("{what}: documented refused, read as {}", r.score))
                }
                (None, Reading::Refused(r)) => failures.push(format!(
                    "{what}: documented {}, refused: {}",
                    row.score, r.reason
                )),
                (None, Reading::Rated(r)) => {
                    let score: f64 = row
                        .score
                        .parse()
                        .unwrap_or_else(|_| panic!("{what}: bad score {:?}", row.score));
                    if (r.score - score).abs() > 0.01 {
                        failures.push(format!("{what}: documented {score}, read {}", r.score));
                    }
                    if r.scale != row.scale {
                        failures.push(format!(
                            "{what}: documented scale {}, read {}",
                            row.scale, r.scale
                        ));
                    }
                    let conf = format!("{:?}", r.confidence).to_lowercase();
                    if conf != row.confidence {
                        failures.push(format!(
                            "{what}: documented confidence {}, read {conf}",
                            row.confidence
                        ));
                    }
                }
            }
        }
    }
    assert!(n >= 80, "only {n} checked rows");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_word_table_is_complete_and_in_order() {
    let tables = tables();
    let (_, rows) = tables
        .iter()
        .find(|(m, _)| m == "words")
        .expect("a `checked: words` table");
    let doc: Vec<(&str, f64)> = rows
        .iter()
        .map(|r| (r.input.as_str(), r.score.parse().expect("score")))
        .collect();
    let code: Vec<(&str, f64)> = WORD_TABLE.iter().map(|w| (w.phrase, w.score)).collect();
    assert_eq!(
        doc, code,
        "docs/scales.md's word table differs from WORD_TABLE"
    );
}

#[test]
fn the_letter_table_is_complete() {
    let tables = tables();
    let (_, rows) = tables
        .iter()
        .find(|(m, _)| m == "letters")
        .expect("a `checked: letters` table");
    let mut grades = Vec::new();
    for l in ["A", "B", "C", "D", "F"] {
        for m in ["+", "", "-"] {
            grades.push(format!("{l}{m}"));
        }
    }
    let doc: Vec<&str> = rows.iter().map(|r| r.input.as_str()).collect();
    assert_eq!(doc, grades);
    for r in rows {
        let documented: f64 = r.score.parse().unwrap();
        let code = letter_grade_score(&r.input).expect("a grade");
        assert!((code - documented).abs() <= 0.01, "{}: {code}", r.input);
    }
}

#[test]
fn the_french_grade_table_is_complete_and_in_order() {
    let tables = tables();
    let (_, rows) = tables
        .iter()
        .find(|(m, _)| m == "french grades")
        .expect("a `checked: french grades` table");
    let doc: Vec<(&str, f64)> = rows
        .iter()
        .map(|r| (r.input.as_str(), r.score.parse().expect("score")))
        .collect();
    let code: Vec<(&str, f64)> = FRENCH_GRADES
        .iter()
        .map(|g| (g.phrase, g.stars / 5.0 * 100.0))
        .collect();
    assert_eq!(
        doc, code,
        "docs/scales.md's French grade table differs from FRENCH_GRADES"
    );
}
