//! French reviews of a film resolve to the film its English reviews name:
//! a French page that gives the English title ("titre anglais : Red
//! Rooms") joins the English reviews, and so does one that names only its
//! French title when the film already has it as an alias (the seeds give
//! *Red Rooms* the alias *Les Chambres Rouges*).

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// The French pages among the extraction fixtures.
fn french_fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../extract/tests/fixtures");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("french-") && !name.ends_with(".expected.json")
        })
        .collect();
    pages.sort();
    assert!(pages.len() >= 5, "{pages:?}");
    pages
}

const ENGLISH: &str = "Red Rooms (2023)\n\nA cold, patient thriller about a model who \
    attends a murder trial every day. Juliette Gariépy is extraordinary, and the film \
    never shows what it makes you imagine.\n\nScore: 85\n";

#[test]
fn a_french_page_naming_the_english_title_joins_the_english_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let english = write(dir.path(), "red-rooms.txt", ENGLISH);
    let french = french_fixtures()
        .into_iter()
        .find(|p| p.ends_with("french-byline-outlet.html"))
        .unwrap();
    ok(&db, &["ingest", s(&english)]);
    ok(&db, &["ingest", s(&french)]);
    let films = json(&db, &["films", "--json"]);
    assert_eq!(films.as_array().unwrap().len(), 1, "{films:#}");
    let by_english = json(&db, &["show", "Red Rooms", "--json"]);
    let by_french = json(&db, &["show", "Les Chambres rouges", "--json"]);
    assert_eq!(by_english["film"]["id"], by_french["film"]["id"]);
    assert_eq!(by_english["film"]["title"], "Red Rooms");
    assert_eq!(by_english["aggregate"]["reviews"], 2);
    let french_review = by_english["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"].as_str().unwrap().contains("french-"))
        .expect("the French review");
    assert_eq!(french_review["critic"], "Marc-André Tremblay");
    assert_eq!(french_review["outlet"], "Le Fil culturel");
    assert_eq!(french_review["rating"]["raw"], "Note\u{a0}: Très bien");
    assert_eq!(french_review["score"], 80.0);
}

#[test]
fn french_pages_of_red_rooms_join_the_seeds() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    ok(&db, &["ingest", s(&seeds)]);
    let pages = french_fixtures();
    for page in &pages {
        ok(&db, &["ingest", s(page)]);
    }
    let films = json(&db, &["films", "--json"]);
    assert_eq!(films.as_array().unwrap().len(), 1, "{films:#}");
    let page = json(&db, &["show", "Les Chambres rouges", "--json"]);
    assert_eq!(page["film"]["title"], "Red Rooms");
    assert_eq!(page["film"]["year"], 2023);
    assert_eq!(
        page["aggregate"]["reviews"].as_u64().unwrap() as usize,
        5 + pages.len()
    );
}
