//! Tests as data: every page in `tests/fixtures/` has the whole extraction
//! it must give (review and diagnostics) in `NAME.expected.json` beside it.
//! After a deliberate change to the extractor, `VERDICT_BLESS=1 cargo test
//! -p verdict-extract --test pages` rewrites the expectations; review the
//! diff before committing it.

use std::path::{Path, PathBuf};

use verdict_source::RawDocument;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn expected_of(page: &Path) -> PathBuf {
    let stem = page.file_stem().unwrap().to_string_lossy();
    page.with_file_name(format!("{stem}.expected.json"))
}

fn is_expectation(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".expected.json")
}

/// The pages, sorted, and the expectations without a page.
fn pages() -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut all: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    all.sort();
    let pages: Vec<PathBuf> = all.iter().filter(|p| !is_expectation(p)).cloned().collect();
    let orphans = all
        .into_iter()
        .filter(|p| is_expectation(p) && !pages.iter().any(|page| expected_of(page) == *p))
        .collect();
    (pages, orphans)
}

#[test]
fn every_fixture_page_reads_as_expected() {
    let (pages, orphans) = pages();
    assert!(pages.len() >= 8, "only {} fixture pages", pages.len());
    assert!(
        orphans.is_empty(),
        "expectations without their page: {orphans:?}"
    );
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().to_string();
        // Named by file name, so that the expectation does not depend on
        // where the repository is.
        let raw = RawDocument::new(name.clone(), std::fs::read(page).unwrap());
        let doc = verdict_document::parse(&raw)
            .unwrap_or_else(|e| panic!("{name}: the fixture does not parse: {e}"));
        let extraction = verdict_extract::extract(&doc);
        let json = serde_json::to_value(&extraction).unwrap();
        verdict_testkit::expect_json(&expected_of(page), &json);
    }
}

/// The comparison can fail: a changed reading is caught, and named.
#[test]
fn a_changed_reading_is_caught() {
    if verdict_testkit::blessing() {
        return;
    }
    let (pages, _) = pages();
    let page = pages
        .iter()
        .find(|p| p.file_name().unwrap() == "blog-score.txt")
        .expect("blog-score.txt");
    let mut expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(expected_of(page)).unwrap()).unwrap();
    expected["review"]["rating"]["score"] = serde_json::json!(12.0);
    let dir = tempfile::tempdir().unwrap();
    let tampered = dir.path().join("blog-score.expected.json");
    std::fs::write(&tampered, serde_json::to_string_pretty(&expected).unwrap()).unwrap();
    let raw = RawDocument::new("blog-score.txt", std::fs::read(page).unwrap());
    let extraction = verdict_extract::extract(&verdict_document::parse(&raw).unwrap());
    let actual = serde_json::to_value(&extraction).unwrap();
    let caught = std::panic::catch_unwind(|| verdict_testkit::expect_json(&tampered, &actual));
    assert!(caught.is_err(), "a changed score must fail the comparison");
}
