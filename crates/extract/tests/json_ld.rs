//! JSON-LD reviews in HTML pages (schema.org `Review` / `CriticReview`):
//! the page's own review rating is preferred, and fills a missing critic,
//! outlet, date and film title; listing pages with many authors' reviews
//! give no rating from JSON-LD.

use verdict_extract::{Extraction, extract};

fn fixture(name: &str) -> (String, Extraction) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let raw = verdict_source::read_file(&path).expect("fixture readable");
    let doc = verdict_document::parse(&raw).expect("fixture parses");
    let text = doc.text.clone();
    (text, extract(&doc))
}

fn has(ex: &Extraction, code: &str) -> bool {
    ex.diagnostics.iter().any(|d| d.code == code)
}

#[test]
fn a_pages_own_critic_review_gives_rating_critic_outlet_and_date() {
    let (text, ex) = fixture("json-ld-review.html");
    let r = &ex.review;
    let rating = r.rating.as_ref().expect("a rating");
    assert_eq!(rating.raw, "4.5");
    assert_eq!(rating.score, 90.0);
    assert_eq!(rating.scale, "x/5");
    let span = rating.span.expect("span found in the source");
    assert_eq!(&text[span.start..span.end], "4.5");
    // the span is the ratingValue inside the JSON-LD, not another "4.5"
    assert!(text[..span.start].ends_with("\"ratingValue\": \""));
    assert_eq!(r.critic.as_deref(), Some("Mara Quist"));
    assert_eq!(r.outlet.as_deref(), Some("The Night Desk"));
    assert_eq!(r.date.map(|d| d.to_string()).as_deref(), Some("2024-05-02"));
    assert_eq!(r.film_title.as_deref(), Some("Harbour Lights"));
    assert!(has(&ex, "rating.json-ld"), "{:?}", ex.diagnostics);
}

#[test]
fn a_graph_review_fills_the_missing_title_and_reads_a_letter_scale() {
    let (_, ex) = fixture("json-ld-graph-untitled.html");
    let r = &ex.review;
    assert_eq!(r.film_title.as_deref(), Some("Harbour Lights"));
    assert_eq!(r.critic.as_deref(), Some("Jon Ellery"));
    let rating = r.rating.as_ref().expect("a rating");
    assert_eq!(rating.raw, "B+");
    assert_eq!(rating.scale, "letter");
    assert!((rating.score - 83.33).abs() < 0.01);
}

#[test]
fn a_listing_of_other_critics_reviews_is_not_the_pages_rating() {
    let (text, ex) = fixture("json-ld-listing.html");
    assert!(has(&ex, "json-ld.review"), "{:?}", ex.diagnostics);
    assert!(!has(&ex, "rating.json-ld"));
    // the page's own visible rating is read instead
    let rating = ex.review.rating.as_ref().expect("the visible rating");
    assert_eq!(rating.score, 60.0);
    let span = rating.span.expect("span");
    assert_eq!(&text[span.start..span.end], rating.raw);
}
