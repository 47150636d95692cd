//! Syndicated copies end to end: the same review as two different pages
//! (other furniture, other files) is one review with two addresses — the
//! film counts it once, `show` and the film page list both addresses —,
//! while two critics' alike short reviews stay two; removing one address
//! keeps the review at the other.

mod common;
use common::server::Server;
use common::*;

/// The review's paragraphs: a whole review, long enough to be compared.
const REVIEW: &[&str] = &[
    "The Quiet Orchard begins with a long, patient shot of apple trees in the rain, and it never once hurries after that. Director Mara Lindqvist trusts her actors and her landscape, and both repay her.",
    "At its centre is a widowed farmer who refuses to sell the land his family worked for four generations, and the daughter who comes home from the city to talk him into it. Their arguments are quiet, precise and painfully familiar.",
    "The photography turns every season into a mood: the cold blue of February pruning, the heavy gold of the September harvest. The score, mostly a single cello, knows when to stay silent.",
    "If the last act leans a little too hard on a storm that settles everything, the performances carry it home. This is a small film about stubbornness and love, and it earns every one of its tears.",
];

/// A page: `furniture_top`, the review, `furniture_bottom`.
fn page(title: &str, top: &str, byline: &str, bottom: &str) -> String {
    let paragraphs: String = REVIEW.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\n{top}\n<article><h1>The Quiet Orchard (2025) review</h1>\n<p class=\"byline\">{byline}</p>\n{paragraphs}<p>Rating: 4/5</p></article>\n{bottom}\n</body></html>\n"
    )
}

fn blog() -> String {
    page(
        "The Quiet Orchard (2025) review – Jane Critic writes",
        "<header><a href=\"/\">Jane Critic writes</a><nav><a href=\"/about\">About</a> <a href=\"/archive\">Archive</a> <a href=\"/feed\">RSS</a></nav></header>",
        "By Jane Critic",
        "<aside><h2>Blogroll</h2><ul><li><a href=\"https://a.example\">Another critic</a></li><li><a href=\"https://b.example\">Film notes</a></li></ul></aside><footer>© 2025 Jane Critic. All rights reserved.</footer>",
    )
}

fn reprint() -> String {
    page(
        "The Quiet Orchard (2025) review | Reprint Weekly",
        "<div class=\"masthead\"><a href=\"/\">Reprint Weekly</a></div><nav class=\"menu\"><a href=\"/news\">News</a> <a href=\"/film\">Film</a> <a href=\"/tv\">TV</a> <a href=\"/subscribe\">Subscribe</a></nav><div class=\"ad\">Advertisement</div><p class=\"dateline\">Reprint Weekly · 3 March 2025</p>",
        "By Jane Critic",
        "<section class=\"related\"><h3>Related</h3><ul><li><a href=\"/film/other\">Five films to see this spring</a></li><li><a href=\"/film/festival\">Festival diary, day two</a></li></ul></section><section class=\"comments\"><h3>Comments (2)</h3><p>Great review, agreed on the score.</p></section><footer>Reprint Weekly Ltd · Terms · Privacy</footer>",
    )
}

/// A one-line review by `critic`: two critics may write the same line.
fn short(critic: &str) -> String {
    format!(
        "<html><head><title>The Quiet Orchard (2025) review</title></head><body><article><h1>The Quiet Orchard (2025)</h1><p>By {critic}</p><p>A patient, moving film about stubbornness and love that earns its tears.</p><p>Rating: 4/5</p></article></body></html>"
    )
}

#[test]
fn the_same_review_at_two_addresses_is_one_review_with_both() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    let a = write(&pages, "jane/quiet-orchard.html", &blog());
    let b = write(&pages, "reprint&co/quiet-orchard.html", &reprint());
    let c = write(&pages, "ann.html", &short("Ann Other"));
    let d = write(&pages, "bo.html", &short("Bo Writer"));
    for db in databases(dir.path()) {
        let out = ok(&db, &["ingest", s(&a)]);
        assert!(out.contains("stored"), "{out}");
        let out = ok(&db, &["ingest", s(&b)]);
        assert!(
            out.contains("another address of review #"),
            "the reprint is the blog's review: {out}"
        );
        // again: nothing changes
        let out = ok(&db, &["ingest", s(&b)]);
        assert!(out.contains("unchanged"), "{out}");
        ok(&db, &["ingest", s(&c), s(&d)]);

        let film = json(&db, &["show", "The Quiet Orchard (2025)", "--json"]);
        assert_eq!(
            film["aggregate"]["reviews"], 3,
            "the copy counts once; the two critics' same line counts twice: {film}"
        );
        let reviews = film["reviews"].as_array().unwrap();
        assert_eq!(reviews.len(), 3, "{film}");
        let with_copy: Vec<_> = reviews
            .iter()
            .filter(|r| r.get("copies").is_some())
            .collect();
        assert_eq!(with_copy.len(), 1, "{film}");
        let review = with_copy[0];
        assert_eq!(review["source"], s(&a));
        assert_eq!(review["copies"][0]["source"], s(&b));
        assert!(
            review["copies"][0]["similarity"].as_f64().unwrap() >= verdict_core::copies::THRESHOLD
        );
        let text = ok(&db, &["show", "The Quiet Orchard (2025)"]);
        assert!(text.contains(&format!("source: {}", s(&a))), "{text}");
        assert!(text.contains(&format!("also at: {}", s(&b))), "{text}");

        // one address goes: the review stays at the other
        let out = ok(&db, &["remove", s(&b)]);
        assert!(out.contains("of review #"), "{out}");
        let film = json(&db, &["show", "The Quiet Orchard (2025)", "--json"]);
        assert_eq!(film["aggregate"]["reviews"], 3, "{film}");
        assert!(
            film["reviews"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r.get("copies").is_none())
        );
        // back, then the blog goes: the reprint is the review's address
        let out = ok(&db, &["ingest", s(&b)]);
        assert!(out.contains("another address"), "{out}");
        ok(&db, &["remove", s(&a)]);
        let film = json(&db, &["show", "The Quiet Orchard (2025)", "--json"]);
        assert_eq!(film["aggregate"]["reviews"], 3, "{film}");
        assert!(
            film["reviews"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["source"] == s(&b)),
            "{film}"
        );
        // and back again: the blog is a copy of it
        let out = ok(&db, &["ingest", s(&a)]);
        assert!(out.contains("another address"), "{out}");
    }

    // The film page lists every address, escaped.
    let db = dir.path().join("v.db");
    let server = Server::start(&db, &[]);
    let slug = verdict_present::slug::film_base("The Quiet Orchard", Some(2025));
    let html = server.body(&format!("/films/{slug}"));
    assert!(html.contains("data-testid=\"copies\""), "{html}");
    assert!(html.contains("quiet-orchard.html"), "{html}");
    // the reprint's path holds "&": escaped, as an entity either way
    let reprint_path = ["&amp;", "&#38;"]
        .iter()
        .any(|e| html.contains(&s(&b).replace('&', e)));
    assert!(
        reprint_path && html.contains(s(&a)),
        "both addresses on the page, escaped: {html}"
    );
    assert!(!html.contains("reprint&co"), "escaped: {html}");
    let api = server.body(&format!("/api/films/{slug}"));
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["aggregate"]["reviews"], 3);
}
