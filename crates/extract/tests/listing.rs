//! Pages that list reviews, on the 20 saved Rotten Tomatoes film pages of
//! `../shared/data/rt-html-pages` (each carries 24 critics' reviews as
//! JSON-LD `Review` items and the Tomatometer as its `AggregateRating`),
//! checked against the published scores in `rt100_clean.csv`; and on the
//! project's own pages in the other shapes (microdata, hReview).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use verdict_core::Verdict;
use verdict_core::title::title_key;
use verdict_extract::{Page, extract_page};
use verdict_source::RawDocument;

fn page(origin: &str, html: &str) -> Page {
    let raw = RawDocument::new(origin, html.as_bytes().to_vec());
    extract_page(&verdict_document::parse(&raw).unwrap())
}

/// rt100_clean.csv: slug → (title, year, critic_score, critic_count).
fn published(dir: &Path) -> HashMap<String, (String, i32, f64, u64)> {
    let mut out = HashMap::new();
    let mut csv = csv::Reader::from_path(dir.join("rt100_clean.csv")).unwrap();
    for row in csv.records() {
        let f = row.unwrap();
        let slug = f[7]
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        out.insert(
            slug,
            (
                f[1].trim().to_string(),
                f[8].parse().unwrap(),
                f[5].parse().unwrap(),
                f[4].parse().unwrap(),
            ),
        );
    }
    out
}

/// Items of the 20 pages with a link of their own (the rest write
/// `"url": null`).
const LINKED: usize = 478;

#[test]
fn rotten_tomatoes_pages_become_one_review_per_item() {
    let Some(dir) = verdict_testkit::unpacked("rt-html-pages/rt-movie-pages-dev.tar.xz") else {
        return;
    };
    let scores = published(&dir);
    let pages = dir.join("movie_htmls");
    let mut files: Vec<_> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 20);
    let mut hashes = HashSet::new();
    let (mut fresh, mut rotten, mut checked, mut exact, mut links, mut rated) = (0, 0, 0, 0, 0, 0);
    for file in &files {
        let slug = file.file_name().unwrap().to_string_lossy().to_string();
        let raw = verdict_source::read_file(file).unwrap();
        let doc = verdict_document::parse(&raw).unwrap();
        let Page::Listing(listing) = extract_page(&doc) else {
            panic!("{slug}: not read as a listing");
        };
        assert_eq!(listing.reviews.len(), 24, "{slug}");
        let (title, year, score, count) = scores
            .get(&slug)
            .unwrap_or_else(|| panic!("{slug} not in rt100_clean.csv"));
        for (n, e) in listing.reviews.iter().enumerate() {
            let r = &e.review;
            let at = format!("{slug} item {}", n + 1);
            assert_eq!(r.source, format!("{}#review-{}", doc.origin, n + 1), "{at}");
            assert_eq!(
                r.film_title.as_deref().map(title_key),
                Some(title_key(title)),
                "{at}"
            );
            assert_eq!(r.year, Some(*year), "{at}");
            assert!(r.critic.as_deref().is_some_and(|c| !c.is_empty()), "{at}");
            assert!(r.outlet.as_deref().is_some_and(|c| !c.is_empty()), "{at}");
            assert!(r.date.is_some(), "{at}");
            // a few items give no link ("url": null)
            if let Some(l) = &r.link {
                assert!(l.starts_with("http"), "{at}: {l}");
                links += 1;
            }
            assert!(!r.body.trim().is_empty(), "{at}");
            // the page's furniture is in no item
            for furniture in ["Show all services", "Cast & Crew", "Critics Consensus"] {
                assert!(!r.body.contains(furniture), "{at}: {furniture}");
            }
            // the mark is no score; the critic's own rating, when the page
            // writes it on the item's line ("| Rating: 4/5 |"), is
            if let Some(rating) = &r.rating {
                assert!(rating.raw.starts_with("Rating:"), "{at}: {:?}", rating.raw);
                assert!(rating.span.is_none(), "{at}: no place in the review's text");
                rated += 1;
            }
            match r.source_verdict {
                Some(Verdict::Positive) => fresh += 1,
                Some(Verdict::Negative) => rotten += 1,
                other => panic!("{at}: mark {other:?}"),
            }
            assert!(
                hashes.insert(r.content_hash.clone()),
                "{at}: identity repeated"
            );
        }
        // the Tomatometer is the site's published aggregate, as published
        assert_eq!(listing.published.len(), 1, "{slug}");
        let p = &listing.published[0].score;
        assert_eq!(p.site, "Rotten Tomatoes", "{slug}");
        assert!(p.percent, "{slug}");
        // the CSV was taken on another day than the pages: a review or
        // two more or fewer (Coco: 350 on the page, 351 in the CSV)
        assert!(
            (p.value - score).abs() <= 1.0,
            "{slug}: {} vs {score}",
            p.value
        );
        let n = p.count.unwrap();
        assert!(n.abs_diff(*count) <= 2, "{slug}: {n} vs {count}");
        exact += usize::from(p.value == *score && n == *count);
        assert_eq!(
            p.summary(),
            format!("Rotten Tomatoes: {} % of {n}", p.value),
            "{slug}"
        );
        checked += 1;
    }
    assert_eq!(checked, 20);
    assert!(
        exact >= 16,
        "{exact} of 20 pages publish the CSV's numbers exactly"
    );
    assert_eq!(fresh + rotten, 480);
    assert_eq!(links, LINKED);
    // the items whose line in the page gives the critic's rating
    assert_eq!(rated, 150);
    // the pages' marks as the JSON-LD gives them: 29 rotten of 480
    assert_eq!(rotten, 29);
}

#[test]
fn a_film_page_without_its_reviews_is_refused_with_the_reason() {
    let Some(dir) = verdict_testkit::unpacked("rt-html-pages/rt-movie-pages-dev.tar.xz") else {
        return;
    };
    let html = std::fs::read_to_string(dir.join("movie_htmls/lady_bird")).unwrap();
    // the same page with its JSON-LD review list emptied
    let start = html.find("\"review\":[").expect("review list");
    let end = start + html[start..].find("}}]").expect("end of list") + 3;
    let stripped = format!("{}\"review\":[]{}", &html[..start], &html[end..]);
    let Page::Refused(refusal) = page("lady_bird.html", &stripped) else {
        panic!("a film page with no review stored");
    };
    assert!(refusal.reason.contains("film's page"), "{}", refusal.reason);
    assert!(
        refusal.reason.contains("Rotten Tomatoes: 99 % of 398"),
        "{}",
        refusal.reason
    );
}

const MICRODATA: &str = r#"<!doctype html><html><head><title>Red Rooms (2023) – critics</title></head><body>
<div itemscope itemtype="https://schema.org/Movie">
  <h1 itemprop="name">Red Rooms</h1>
  <div itemprop="aggregateRating" itemscope itemtype="https://schema.org/AggregateRating">
    <span itemprop="ratingValue">81</span> out of <span itemprop="bestRating">100</span>
    <meta itemprop="worstRating" content="0"> from <span itemprop="reviewCount">12</span> critics
  </div>
  <article itemprop="review" itemscope itemtype="https://schema.org/Review">
    <span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Ana Ruiz</span></span>,
    <span itemprop="publisher">Le Devoir</span>, <time itemprop="datePublished" datetime="2023-08-11">11 August</time>
    <p itemprop="reviewBody">A chilling, precise and unforgettable thriller.</p>
    <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating"><span itemprop="ratingValue">4</span>/<span itemprop="bestRating">5</span></div>
    <a itemprop="url" href="https://example.org/red-rooms-ruiz">Full review</a>
  </article>
  <article itemprop="review" itemscope itemtype="https://schema.org/Review">
    <span itemprop="author">Ben Ode</span>, <span itemprop="publisher">The Gazette</span>
    <p itemprop="reviewBody">Cold and empty, a film that mistakes cruelty for insight.</p>
    <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating"><span itemprop="ratingValue">1.5</span>/<span itemprop="bestRating">5</span></div>
  </article>
</div></body></html>"#;

#[test]
fn microdata_review_items_are_reviews_and_the_aggregate_is_published() {
    let Page::Listing(l) = page("https://critics.example.org/red-rooms", MICRODATA) else {
        panic!("not a listing");
    };
    assert_eq!(l.reviews.len(), 2);
    let a = &l.reviews[0].review;
    assert_eq!(a.film_title.as_deref(), Some("Red Rooms"));
    assert_eq!(a.year, Some(2023), "the page's title gives the year");
    assert_eq!(a.critic.as_deref(), Some("Ana Ruiz"));
    assert_eq!(a.outlet.as_deref(), Some("Le Devoir"));
    assert_eq!(a.date.map(|d| d.to_string()).as_deref(), Some("2023-08-11"));
    assert_eq!(a.rating.as_ref().map(|r| r.score), Some(75.0));
    assert_eq!(
        a.link.as_deref(),
        Some("https://example.org/red-rooms-ruiz")
    );
    assert_eq!(a.source, "https://critics.example.org/red-rooms#review-1");
    let b = &l.reviews[1].review;
    assert_eq!(b.critic.as_deref(), Some("Ben Ode"));
    assert_eq!(b.rating.as_ref().map(|r| r.score), Some(12.5));
    assert_eq!(l.published.len(), 1);
    let p = &l.published[0].score;
    assert_eq!(p.site, "critics.example.org");
    assert!(!p.percent, "an average score out of 100 is no percentage");
    assert_eq!(p.summary(), "critics.example.org: 81/100 of 12");
}

const HREVIEWS: &str = r#"<!doctype html><html><head><title>Reader reviews: Red Rooms</title>
<meta property="og:site_name" content="Cinéclub"></head><body>
<div class="hreview"><span class="item"><span class="fn">Red Rooms</span></span>
  by <span class="reviewer vcard"><span class="fn">Chloé Tremblay</span></span>
  <abbr class="dtreviewed" title="2023-09-02">2 Sept</abbr>
  <span class="rating"><span class="value">9</span>/<span class="best">10</span></span>
  <div class="description">Un thriller glaçant et maîtrisé.</div></div>
<div class="hreview"><span class="item"><span class="fn">Red Rooms</span></span>
  by <span class="reviewer vcard"><span class="fn">Marc Gagnon</span></span>
  <span class="rating">2</span>
  <div class="description">Long and cold.</div></div>
</body></html>"#;

#[test]
fn hreviews_are_reviews() {
    let Page::Listing(l) = page("club.html", HREVIEWS) else {
        panic!("not a listing");
    };
    assert_eq!(l.reviews.len(), 2);
    let a = &l.reviews[0].review;
    assert_eq!(a.critic.as_deref(), Some("Chloé Tremblay"));
    // hReview's scale starts at 1 unless it says otherwise (schema.org's too)
    assert_eq!(
        a.rating.as_ref().map(|r| r.score),
        Some((9.0 - 1.0) / (10.0 - 1.0) * 100.0)
    );
    assert_eq!(a.body, "Un thriller glaçant et maîtrisé.");
    // hReview's default scale is 1 to 5
    assert_eq!(
        l.reviews[1].review.rating.as_ref().map(|r| r.score),
        Some(25.0)
    );
    assert!(l.published.is_empty());
}

#[test]
fn a_review_with_a_film_in_its_json_ld_is_still_a_review() {
    let html = r#"<!doctype html><html><head><title>Red Rooms review: a chilling descent</title>
<meta property="og:type" content="article">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Movie","name":"Red Rooms",
 "aggregateRating":{"@type":"AggregateRating","ratingValue":"4.1","bestRating":"5","ratingCount":"310"}}</script>
</head><body><article><h1>Red Rooms review: a chilling descent</h1>
<p>Pascal Plante's Red Rooms is a cold, precise study of obsession, and its lead performance is
unforgettable. The courtroom scenes are staged with a patience that makes every silence count.</p>
<p>It is one of the most unsettling films of the year, and one of the best.</p></article></body></html>"#;
    match page("blog.html", html) {
        Page::Review(e) => assert_eq!(e.review.film_title.as_deref(), Some("Red Rooms")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn names_of_megabytes_are_cut_and_said_on_a_page_and_in_a_listing() {
    let long_name = "Ann ".repeat(50_000);
    let raw = RawDocument::new(
        "long.md",
        format!("---\ntitle: \"Red Rooms (2023)\"\nauthor: \"{long_name}\"\nrating: 4/5\n---\nA gripping, chilling film.\n")
            .into_bytes(),
    );
    let Page::Review(e) = extract_page(&verdict_document::parse(&raw).unwrap()) else {
        panic!("one review");
    };
    assert_eq!(
        e.review.critic.as_ref().map(|c| c.chars().count()),
        Some(verdict_core::limits::MAX_NAME_CHARS)
    );
    assert!(
        e.diagnostics
            .iter()
            .any(|d| d.code == "extract.name-cut" && d.message.contains("critic's name")),
        "{:?}",
        e.diagnostics
    );

    // Review items of a listing are cut the same way.
    let long_title = "Red Rooms ".repeat(500);
    let items: Vec<String> = ["Ann Lee", "Bo Park", "Cy Diaz"]
        .iter()
        .map(|critic| {
            format!(r#"{{"@type":"Review","author":{{"@type":"Person","name":"{critic}"}},"itemReviewed":{{"@type":"Movie","name":"{long_title}"}},"reviewBody":"A gripping film.","reviewRating":{{"@type":"Rating","ratingValue":"4","bestRating":"5"}}}}"#)
        })
        .collect();
    let html = format!(
        r#"<html><head><title>Reviews</title><script type="application/ld+json">[{}]</script></head><body><p>Reviews.</p></body></html>"#,
        items.join(",")
    );
    let Page::Listing(listing) = page("list.html", &html) else {
        panic!("a listing");
    };
    assert!(!listing.reviews.is_empty());
    for r in &listing.reviews {
        assert!(
            r.review
                .film_title
                .as_ref()
                .is_none_or(|t| t.chars().count() <= verdict_core::limits::MAX_TITLE_CHARS)
        );
        assert!(
            r.diagnostics.iter().any(|d| d.code == "extract.name-cut"),
            "{:?}",
            r.diagnostics
        );
    }
}
