//! Pages that list reviews, through the real binary: the 20 saved Rotten
//! Tomatoes film pages of `../shared/data/rt-html-pages` become 24 reviews
//! each, with the site's Tomatometer recorded beside Verdict's numbers and
//! never counted; a film's page with no review is refused; ingesting again
//! adds nothing; removing a page removes what it listed.

mod common;
use common::*;

use std::path::{Path, PathBuf};

fn pages() -> Option<PathBuf> {
    verdict_testkit::unpacked("rt-html-pages/rt-movie-pages-dev.tar.xz")
        .map(|d| d.join("movie_htmls"))
}

fn films(db: &Path) -> Vec<serde_json::Value> {
    json(db, &["films", "--json"]).as_array().unwrap().clone()
}

#[test]
fn listing_pages_store_one_review_per_item_and_the_sites_number_beside() {
    let Some(pages) = pages() else { return };
    let dir = tempfile::tempdir().unwrap();
    // on SQLite, then on PostgreSQL
    for db in databases(dir.path()) {
        let out = verdict(&db, &["ingest", s(&pages)]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains("20 inputs: 480 stored, 0 already stored, 0 failed"),
            "{err}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            stdout.matches("\nlisting ").count() + usize::from(stdout.starts_with("listing ")),
            20
        );
        assert!(stdout.contains("published  "), "{stdout}");

        let all = films(&db);
        assert_eq!(all.len(), 20);
        for f in &all {
            assert_eq!(f["aggregate"]["reviews"], 24, "{}", f["film"]["title"]);
        }

        // Lady Bird: 24 fresh marks of 24; the Tomatometer beside, not counted
        let page = json(&db, &["show", "Lady Bird (2017)", "--json"]);
        assert_eq!(page["aggregate"]["reviews"], 24);
        assert_eq!(page["aggregate"]["positive_percent"], 100.0);
        let published = page["published"].as_array().unwrap();
        assert_eq!(published.len(), 1);
        assert_eq!(published[0]["site"], "Rotten Tomatoes");
        assert_eq!(published[0]["name"], "Tomatometer");
        assert_eq!(published[0]["value"], 99.0);
        assert_eq!(published[0]["count"], 398);
        assert_eq!(published[0]["percent"], true);
        assert_eq!(published[0]["summary"], "Rotten Tomatoes: 99 % of 398");
        let reviews = page["reviews"].as_array().unwrap();
        let mut critics: Vec<&str> = reviews
            .iter()
            .map(|r| r["critic"].as_str().unwrap())
            .collect();
        critics.sort_unstable();
        critics.dedup();
        assert_eq!(critics.len(), 24, "one review per critic");
        for r in reviews {
            let source = r["source"].as_str().unwrap();
            assert!(source.contains("lady_bird#review-"), "{source}");
            assert!(r["outlet"].is_string() && r["date"].is_string(), "{r}");
            assert!(r["link"].as_str().unwrap().starts_with("http"), "{r}");
            assert_eq!(r["source_verdict"], "positive");
            // the quote is the review's text; the page's furniture is not
            let text = r["text"].as_str().unwrap();
            assert!(
                !text.contains("Cast & Crew") && !text.contains("Show all services"),
                "{text}"
            );
        }
        let shown = ok(&db, &["show", "Lady Bird (2017)"]);
        assert!(
            shown.contains("published elsewhere: Rotten Tomatoes: 99 % of 398"),
            "{shown}"
        );

        // The Nice Guys: 7 rotten marks of 24, counted as the page marks them
        let nice = json(&db, &["show", "The Nice Guys", "--json"]);
        assert_eq!(nice["aggregate"]["favourable"], 17);
        assert_eq!(
            nice["published"][0]["summary"],
            "Rotten Tomatoes: 91 % of 319"
        );

        // Again: nothing new, and one published number per film still
        let again = verdict(&db, &["ingest", s(&pages)]);
        let err = String::from_utf8_lossy(&again.stderr);
        assert!(err.contains("0 stored, 480 already stored"), "{err}");
        let page = json(&db, &["show", "Lady Bird (2017)", "--json"]);
        assert_eq!(page["published"].as_array().unwrap().len(), 1);
        assert_eq!(films(&db).len(), 20);

        // Removing the page removes what it listed, and the film it leaves empty
        let lady_bird = pages.join("lady_bird");
        let dry = ok(&db, &["remove", s(&lady_bird), "--dry-run"]);
        assert!(dry.contains("24"), "{dry}");
        assert_eq!(films(&db).len(), 20);
        ok(&db, &["remove", s(&lady_bird)]);
        let left = films(&db);
        assert_eq!(left.len(), 19);
        assert!(left.iter().all(|f| f["film"]["title"] != "Lady Bird"));
        assert_eq!(
            verdict(&db, &["show", "Lady Bird (2017)"]).status.code(),
            Some(1)
        );
    }
}

#[test]
fn a_film_page_without_reviews_is_refused_and_nothing_is_stored() {
    let Some(pages) = pages() else { return };
    let html = std::fs::read_to_string(pages.join("selma")).unwrap();
    let start = html.find("\"review\":[").expect("review list");
    let end = start + html[start..].find("}}]").expect("end of the list") + 3;
    let dir = tempfile::tempdir().unwrap();
    let page = write(
        dir.path(),
        "selma.html",
        &format!("{}\"review\":[]{}", &html[..start], &html[end..]),
    );
    let db = dir.path().join("v.db");
    let out = verdict(&db, &["ingest", s(&page)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("selma.html"), "{err}");
    assert!(err.contains("film's page"), "{err}");
    assert!(err.contains("Rotten Tomatoes: 99 % of 313"), "{err}");
    assert!(err.contains("not stored"), "{err}");
    assert!(films(&db).is_empty());
}
