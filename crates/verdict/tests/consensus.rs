//! The critics' consensus through the real binary: `verdict show --json`
//! draws it from the reviews ingested (real sentences of theirs, each with
//! its review's id, never a quotation), `verdict show` prints it, a film
//! with fewer than five judged reviews has none, and the film's web page
//! shows it escaped, each sentence linked to its review.

mod common;
use common::server::Server;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Six critics on one film, five favourable; every review says "&" (the
/// page must escape it), one quotes a jury at length.
const REVIEWS: &[(&str, &str)] = &[
    (
        "able.txt",
        "Harbour Lights (2019)\n\nBy Ann Able\n\nA tender, beautifully acted drama about a ferry captain & his daughter, carried by a haunting score.\n\nThe sea scenes are breathtaking.\n\nScore: 82\n",
    ),
    (
        "baker.txt",
        "Harbour Lights (2019)\n\nBy Bo Baker\n\nThe ferry captain & his daughter are beautifully acted, and the haunting score lingers.\n\nA moving, gentle film.\n\nScore: 85\n",
    ),
    (
        "cole.txt",
        "Harbour Lights (2019)\n\nBy Cy Cole\n\nHaunting & tender, it is a beautifully acted portrait of a father and his daughter at sea.\n\nI was moved.\n\nScore: 80\n",
    ),
    (
        "dunn.txt",
        "Harbour Lights (2019)\n\nBy Di Dunn\n\nA wonderful cast & a haunting score make this small drama about a ferry captain a quiet triumph.\n\nScore: 88\n",
    ),
    (
        "eyre.txt",
        "Harbour Lights (2019)\n\nBy Ed Eyre\n\n\"A tender, beautifully acted drama with a haunting score and a wonderful cast,\" the festival jury wrote.\n\nI found it moving & beautifully shot, a drama of real tenderness.\n\nScore: 78\n",
    ),
    (
        "ford.txt",
        "Harbour Lights (2019)\n\nBy Fay Ford\n\nA dull, tedious drama & a waste of a fine cast; the plot goes nowhere.\n\nScore: 30\n",
    ),
];

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ingest(dir: &Path, reviews: &[(&str, &str)]) -> std::path::PathBuf {
    let db = dir.join("v.db");
    let input = dir.join("in");
    for (name, text) in reviews {
        write(&input, name, text);
    }
    ok(&db, &["ingest", s(&input)]);
    db
}

/// Every sentence is a real sentence of its review's document, by id.
fn check_sentences(page: &Value) -> Vec<(String, i64)> {
    let c = &page["consensus"];
    assert!(c.is_object(), "a consensus: {page}");
    let sentences = c["sentences"].as_array().unwrap();
    assert!((1..=2).contains(&sentences.len()), "{c}");
    let joined: Vec<&str> = sentences
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(c["text"].as_str().unwrap(), joined.join(" "));
    assert!(c["text"].as_str().unwrap().chars().count() <= 300);
    let mut out = Vec::new();
    for s in sentences {
        let text = s["text"].as_str().unwrap();
        let id = s["review_id"].as_i64().unwrap();
        let review = page["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no review #{id}"));
        let source = review["source"].as_str().unwrap();
        let own = review["text"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| std::fs::read_to_string(source).unwrap());
        assert!(
            collapse(&own).contains(text),
            "{text:?} is not a sentence of review #{id} ({source})"
        );
        assert!(!text.contains('"'), "a quotation was drawn: {text:?}");
        out.push((text.to_string(), id));
    }
    out
}

#[test]
fn show_draws_the_consensus_from_the_reviews_and_links_each_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let db = ingest(dir.path(), REVIEWS);
    let page = json(&db, &["show", "Harbour Lights", "--json"]);
    assert_eq!(page["aggregate"]["reviews"], 6);
    let drawn = check_sentences(&page);
    assert_eq!(page["consensus"]["side"], "favourable");
    // Never the unfavourable critic's.
    let ford = page["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["critic"] == "Fay Ford")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert!(drawn.iter().all(|(_, id)| *id != ford));
    // Deterministic.
    assert_eq!(
        json(&db, &["show", "Harbour Lights", "--json"])["consensus"],
        page["consensus"]
    );
    // The terminal's view says it, with the reviews' ids.
    let text = ok(&db, &["show", "Harbour Lights"]);
    let line = text
        .lines()
        .find(|l| l.starts_with("critics' consensus"))
        .unwrap_or_else(|| panic!("no consensus line in {text}"));
    for (sentence, id) in &drawn {
        assert!(line.contains(sentence.as_str()) && line.contains(&format!("#{id}")));
    }
}

#[test]
fn fewer_than_five_judged_reviews_have_no_consensus() {
    let dir = tempfile::tempdir().unwrap();
    let db = ingest(dir.path(), &REVIEWS[..4]);
    let page = json(&db, &["show", "Harbour Lights", "--json"]);
    assert_eq!(page["aggregate"]["reviews"], 4);
    assert!(page["consensus"].is_null(), "{}", page["consensus"]);
    let text = ok(&db, &["show", "Harbour Lights"]);
    assert!(!text.contains("critics' consensus"));
}

#[test]
fn an_exports_pull_quotes_give_the_consensus() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rt");
    let rows = [
        (
            "A tender, beautifully acted drama with a haunting score.",
            "fresh",
        ),
        (
            "Beautifully acted and tender, with a haunting score that lingers.",
            "fresh",
        ),
        (
            "The haunting score and a tender lead make it a moving drama.",
            "fresh",
        ),
        (
            "A moving, beautifully acted drama. The sea has never looked better.",
            "fresh",
        ),
        (
            "Tender and haunting, a drama acted with real grace.",
            "fresh",
        ),
        ("A dull, tedious mess.", "rotten"),
    ];
    let mut csv = String::from(
        "\"quote\",\"movieId\",\"reviewState\",\"reviewId\",\"originalScore\",\"isTopCritic\",\"publicationName\",\"criticName\",\"creationDate\"\r\n",
    );
    for (i, (quote, state)) in rows.iter().enumerate() {
        csv.push_str(&format!(
            "\"{quote}\",\"u1\",\"{state}\",\"{i}\",\"\",False,\"Outlet {i}\",\"Critic {i}\",\"2021-05-0{}\"\r\n",
            i + 1
        ));
    }
    write(&input, "critic_reviews.csv", &csv);
    write(
        &input,
        "movies.csv",
        "\"movieId\",\"movieTitle\",\"movieYear\",\"movieURL\",\"critic_score\"\r\n\"u1\",\"Harbour Lights\",2019,\"https://www.rottentomatoes.com/m/harbour_lights\",\"83%\"\r\n",
    );
    let db = dir.path().join("v.db");
    ok(&db, &["import", s(&input)]);
    let page = json(&db, &["show", "Harbour Lights", "--json"]);
    assert_eq!(page["aggregate"]["positive_basis"], "labels");
    for (text, id) in check_sentences(&page) {
        let review = page["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap();
        assert_eq!(review["source_verdict"], "positive", "{text}");
    }
}

#[test]
fn the_film_page_shows_the_consensus_escaped_and_linked() {
    let dir = tempfile::tempdir().unwrap();
    let db = ingest(dir.path(), REVIEWS);
    let page = json(&db, &["show", "Harbour Lights", "--json"]);
    let drawn = check_sentences(&page);
    let server = Server::start(&db, &[]);
    let html = server.body("/films/harbour-lights-2019");
    let at = html
        .find("data-testid=\"consensus\"")
        .expect("the page shows the consensus");
    let section = &html[at..at + html[at..].find("</section>").unwrap()];
    for (text, id) in &drawn {
        assert!(text.contains('&'), "every review says &: {text:?}");
        // As a named or a numeric character reference.
        let escaped = section.contains(&text.replace('&', "&amp;"))
            || section.contains(&text.replace('&', "&#38;"));
        assert!(
            section.contains(&format!("href=\"#review-{id}\"")) && escaped,
            "{text:?} (#{id}) shown escaped and linked: {section}"
        );
        // The anchor it links to is on the page.
        assert!(html.contains(&format!("id=\"review-{id}\"")));
    }
    assert!(
        !section.contains(" & "),
        "an unescaped ampersand: {section}"
    );
}
