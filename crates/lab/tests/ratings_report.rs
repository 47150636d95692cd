//! The ratings report reads `rating-strings.tsv` into exactly the strings
//! the rating crate's fixture of expected readings lists
//! (`crates/rating/tests/fixtures/rating-strings.expected.tsv`), so the
//! report measures the strings whose readings are checked by hand.
//! Skipped when the data is absent.

use std::collections::BTreeSet;
use verdict_lab::ratings_report::load_rating_strings;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../rating/tests/fixtures/rating-strings.expected.tsv"
);

#[test]
fn the_report_reads_the_strings_the_fixture_lists() {
    let Some(path) = verdict_testkit::data("rating-strings.tsv") else {
        return;
    };
    let data = load_rating_strings(&path).expect("rating-strings.tsv reads");
    let text = std::fs::read_to_string(FIXTURE).expect("fixture readable");
    let listed: BTreeSet<String> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let input = l.split('\t').next().unwrap_or_default();
            input
                .strip_prefix('|')
                .and_then(|c| c.strip_suffix('|'))
                .unwrap_or_else(|| panic!("input not wrapped in |…|: {l:?}"))
                .to_string()
        })
        .collect();
    let read: BTreeSet<String> = data.iter().map(|r| r.input.clone()).collect();
    assert_eq!(read.len(), data.len(), "a string is read twice");
    let missing: Vec<&String> = read.difference(&listed).collect();
    let extra: Vec<&String> = listed.difference(&read).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "report and fixture differ: not in the fixture {missing:?}, not in the data {extra:?}"
    );
}
