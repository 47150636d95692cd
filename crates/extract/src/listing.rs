//! Pages that are not one review: a page that **lists** critics' reviews
//! (a Rotten Tomatoes film page carries two dozen as JSON-LD `Review`
//! items; other sites write schema.org microdata or hReview), and a film's
//! page that carries **no review at all**.
//!
//! - A page whose review items (JSON-LD, microdata, hReview: `Review`,
//!   `CriticReview`, `UserReview` with an author and words or a rating)
//!   are by two writers or more is a listing: each item becomes one
//!   review, with its critic (`author`), outlet (`publisher`), date
//!   (`datePublished`, else `dateCreated`), rating, quote (`reviewBody`)
//!   and link (`url`); its source names the page and the item
//!   (`PAGE#review-N`), and its identity is hashed from what it says (film,
//!   critic, outlet, link, words), so that the same review met on another
//!   page, or on the same page fetched again, is the same review.
//! - A rating written on −1..1 with the values −1 and 1 only (Rotten
//!   Tomatoes' rotten and fresh) is a verdict, not a score: it becomes the
//!   review's `source_verdict`, counted for % positive as an export's
//!   fresh/rotten label is, and the judge reads the quote for its score.
//! - The page's `AggregateRating` is the site's published aggregate
//!   ([`Published`]), never a review.
//! - A page with neither a review of its own nor review items, that
//!   declares itself a film's page (JSON-LD `Movie`, `og:type`
//!   `video.movie`, or an `AggregateRating`) and gives no rating, is
//!   refused with the reason.

use serde::Serialize;
use serde_json::Value;
use verdict_core::title::title_key;
use verdict_core::{Diagnostic, Passage, PublishedScore, Rating, Review, Role, Verdict};
use verdict_document::{Document, Format};
use verdict_rating::Reading;
use verdict_rating::schema_org::{SchemaReview, find_reviews};

use crate::{Extraction, dates};

/// What a document holds: its own review, others' reviews, or nothing
/// that can be counted.
// One per document, moved once: boxing the review would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "page", rename_all = "lowercase")]
pub enum Page {
    /// The document is one review (most are).
    Review(Extraction),
    /// The document lists reviews: one extraction per item.
    Listing(Listing),
    /// The document is no review and lists none.
    Refused(Refusal),
}

/// The reviews a listing page carries, and the site's own aggregates.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub reviews: Vec<Extraction>,
    pub published: Vec<Published>,
    /// What was noticed about the page as a whole.
    pub diagnostics: Vec<Diagnostic>,
}

/// A site's published aggregate and the film it is about.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    /// The film it is of, as the page names it (`None`: the page's film).
    pub film_title: Option<String>,
    pub score: PublishedScore,
}

/// Why a document is not stored.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub reason: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Review items by this many writers or more make a listing.
const LISTING_WRITERS: usize = 2;

/// Review items read from one page at most (a page listing more is cut,
/// and says so).
pub const MAX_LISTED: usize = 1_000;

/// Reads a document as a review, a listing of reviews, or neither.
pub fn extract_page(doc: &Document) -> Page {
    let found = structured_items(doc);
    let mut own = crate::extract_with(doc, &found);
    own.cut_names();
    let items: Vec<&SchemaReview> = found.reviews.iter().filter(|r| is_item(r)).collect();
    let mut writers: Vec<&str> = items.iter().filter_map(|r| r.author.as_deref()).collect();
    writers.sort_unstable();
    writers.dedup();
    if writers.len() >= LISTING_WRITERS {
        let mut listing = listing(doc, &own, &items, &found);
        listing.reviews.iter_mut().for_each(Extraction::cut_names);
        return Page::Listing(listing);
    }
    // A film's page with no review item of its own: a rating found in
    // its text is one of the many it quotes, not its own.
    if writers.is_empty()
        && let Some(why) = film_page_without_review(doc, &found)
    {
        let aggregate = published(doc, &own, &found)
            .first()
            .map(|p| format!(" (the site's own aggregate: {})", p.score.summary()))
            .unwrap_or_default();
        return Page::Refused(Refusal {
            reason: format!(
                "{why}{aggregate}, with no review of its own and no review items: nothing to count"
            ),
            diagnostics: own.diagnostics,
        });
    }
    Page::Review(own)
}

/// Every schema.org item of the page: JSON-LD blocks first, then the
/// markup's microdata and hReviews; read once for the page's own review
/// and its listing alike.
pub(crate) struct Found {
    pub(crate) reviews: Vec<SchemaReview>,
    /// Top-level `@type`s (and those of `@graph` members).
    types: Vec<String>,
    /// JSON-LD blocks that are no JSON.
    pub(crate) unparsed: usize,
}

pub(crate) fn structured_items(doc: &Document) -> Found {
    let mut reviews = Vec::new();
    let mut types = Vec::new();
    let mut unparsed = 0;
    // A block's index is its place among the JSON-LD blocks (where a
    // rating is looked for in the page); the markup's items come after.
    let mut values: Vec<(usize, Value)> = Vec::new();
    for (i, b) in doc.meta.json_ld.iter().enumerate() {
        match verdict_rating::schema_org::parse_block(b) {
            Some(v) => values.push((i, v)),
            None => unparsed += 1,
        }
    }
    let first_item = doc.meta.json_ld.len();
    values.extend(
        doc.meta
            .items
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, v)| (first_item + i, v)),
    );
    for (block, v) in values {
        top_types(&v, &mut types, 0);
        reviews.extend(find_reviews(&v).into_iter().map(|mut r| {
            r.block = block;
            r
        }));
    }
    Found {
        reviews,
        types,
        unparsed,
    }
}

fn top_types(v: &Value, out: &mut Vec<String>, depth: usize) {
    match v {
        Value::Array(a) if depth < 2 => a.iter().for_each(|x| top_types(x, out, depth + 1)),
        Value::Object(o) => {
            match o.get("@type") {
                Some(Value::String(s)) => out.push(last_segment(s)),
                Some(Value::Array(a)) => {
                    out.extend(a.iter().filter_map(Value::as_str).map(last_segment))
                }
                _ => {}
            }
            if let Some(g) = o.get("@graph")
                && depth < 2
            {
                top_types(g, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn last_segment(s: &str) -> String {
    s.rsplit(['/', ':', '#'])
        .next()
        .unwrap_or(s)
        .trim()
        .to_string()
}

fn is_item(r: &SchemaReview) -> bool {
    matches!(r.kind.as_str(), "Review" | "CriticReview" | "UserReview")
        && r.author.is_some()
        && (r.body.as_deref().is_some_and(|b| !b.trim().is_empty())
            || matches!(r.rating, Some(Reading::Rated(_))))
}

/// Why the page is a film's page rather than a review, when it is one.
fn film_page_without_review(doc: &Document, found: &Found) -> Option<String> {
    const ARTICLES: &[&str] = &[
        "Review",
        "CriticReview",
        "Article",
        "NewsArticle",
        "BlogPosting",
        "OpinionNewsArticle",
        "ReportageNewsArticle",
        "ReviewNewsArticle",
    ];
    const FILMS: &[&str] = &[
        "Movie",
        "TVSeries",
        "TVSeason",
        "TVEpisode",
        "CreativeWorkSeries",
    ];
    if doc.format != Format::Html {
        return None;
    }
    let og = doc
        .meta
        .og_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    if og == "article" || found.types.iter().any(|t| ARTICLES.contains(&t.as_str())) {
        return None;
    }
    let film_type = found.types.iter().find(|t| FILMS.contains(&t.as_str()));
    if let Some(t) = film_type {
        return Some(format!("a film's page (schema.org {t})"));
    }
    if og.starts_with("video.movie") || og.starts_with("video.tv") {
        return Some(format!("a film's page (og:type {og})"));
    }
    if found.reviews.iter().any(|r| r.kind == "AggregateRating") {
        return Some("a page of aggregate ratings".to_string());
    }
    None
}

fn listing(doc: &Document, own: &Extraction, items: &[&SchemaReview], found: &Found) -> Listing {
    let page_key = own.review.film_title.as_deref().map(title_key);
    let mut reviews = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut diagnostics = Vec::new();
    if items.len() > MAX_LISTED {
        diagnostics.push(Diagnostic::warning(
            "listing.cut",
            format!(
                "the page lists {} review items; the first {MAX_LISTED} are read",
                items.len()
            ),
        ));
    }
    for (n, item) in items.iter().take(MAX_LISTED).enumerate() {
        let extraction = item_review(doc, own, page_key.as_deref(), item, n + 1);
        if !seen.insert(extraction.review.content_hash.clone()) {
            diagnostics.push(Diagnostic::info(
                "listing.repeated",
                format!(
                    "review item {} repeats an earlier item; counted once",
                    n + 1
                ),
            ));
            continue;
        }
        reviews.push(extraction);
    }
    diagnostics.push(Diagnostic::info(
        "listing.items",
        format!(
            "a page that lists reviews: {} review item(s), each stored as a review of its own",
            reviews.len()
        ),
    ));
    let published = published(doc, own, found);
    Listing {
        reviews,
        published,
        diagnostics,
    }
}

/// One review item as a review of its own.
fn item_review(
    doc: &Document,
    own: &Extraction,
    page_key: Option<&str>,
    item: &SchemaReview,
    n: usize,
) -> Extraction {
    let mut diagnostics = Vec::new();
    let film_title = item
        .item_name
        .clone()
        .or_else(|| own.review.film_title.clone());
    let same_film = match (&film_title, page_key) {
        (Some(t), Some(k)) => title_key(t) == k,
        (None, _) => true,
        _ => false,
    };
    // The page's year when the item is of the page's film (a film record's
    // `dateCreated` is often when the site made it), else the item's.
    let year = same_film
        .then(|| page_year(doc, own, film_title.as_deref()))
        .flatten()
        .or_else(|| item.item_date.as_deref().and_then(year_of));
    let body = item.body.clone().unwrap_or_default();
    let mut passages = Vec::new();
    if !body.trim().is_empty() {
        passages.push(Passage {
            text: body.clone(),
            role: Role::Body,
        });
    } else {
        diagnostics.push(Diagnostic::info(
            "body.empty",
            "the review item quotes no words of the critic's",
        ));
    }
    let (mut rating, source_verdict) = item_rating(item, n, &mut diagnostics);
    if rating.is_none()
        && let Some(line) = item.url.as_deref().and_then(|u| doc.meta.link_text.get(u))
    {
        rating = rating_beside_link(line, n, &mut diagnostics);
    }
    let date = item.date_published.as_deref().and_then(dates::parse_date);
    if item.date_published.is_some() && date.is_none() {
        diagnostics.push(Diagnostic::warning(
            "date.unreadable",
            format!(
                "publication date {:?} not understood",
                item.date_published.as_deref().unwrap_or("")
            ),
        ));
    }
    let identity = [
        "review-item",
        &film_title.as_deref().map(title_key).unwrap_or_default(),
        item.author.as_deref().unwrap_or(""),
        item.publisher.as_deref().unwrap_or(""),
        item.url.as_deref().unwrap_or(""),
        &body,
    ]
    .join("\0");
    let review = Review {
        source: verdict_core::listed_source(&doc.origin, n),
        content_hash: verdict_source::content_hash(identity.as_bytes()),
        format: doc.format.as_str().to_string(),
        title_seen: item.name.clone().or_else(|| film_title.clone()),
        film_title,
        year,
        aliases: Vec::new(),
        critic: item.author.clone(),
        outlet: item.publisher.clone(),
        date,
        body,
        passages,
        rating,
        aspects: Vec::new(),
        source_verdict,
        link: item.url.clone(),
    };
    diagnostics.push(Diagnostic::info(
        "listing.item",
        format!("review item {n} of the page {}", doc.origin),
    ));
    Extraction {
        review,
        diagnostics,
    }
}

/// An item's rating, or its verdict when the rating is a −1/1 mark.
fn item_rating(
    item: &SchemaReview,
    n: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<Rating>, Option<Verdict>) {
    match &item.rating {
        Some(Reading::Rated(r)) if r.worst == -1.0 && r.best == 1.0 && r.value.abs() == 1.0 => {
            let verdict = if r.value > 0.0 {
                Verdict::Positive
            } else {
                Verdict::Negative
            };
            diagnostics.push(Diagnostic::info(
                "rating.mark",
                format!(
                    "review item {n} is marked {} ({} on -1..1): counted as {verdict} for % positive; its score is the judge's reading of the quote",
                    if r.value > 0.0 { "favourable" } else { "unfavourable" },
                    r.raw
                ),
            ));
            (None, Some(verdict))
        }
        Some(Reading::Rated(r)) => {
            diagnostics.push(Diagnostic::info(
                "rating.item",
                format!(
                    "rating {:?} read from review item {n} (scale {}); its place in the page is not kept",
                    r.raw, r.scale
                ),
            ));
            (Some(r.clone()), None)
        }
        Some(Reading::Refused(x)) => {
            diagnostics.push(Diagnostic::warning(
                "rating.json-ld-refused",
                format!("review item {n}'s rating not read: {}", x.reason),
            ));
            (None, None)
        }
        None => (None, None),
    }
}

/// The year the page gives its film: its own reading, else the first of
/// `<title>`, `og:title` and `<h1>` that names the film with a year.
fn page_year(doc: &Document, own: &Extraction, film: Option<&str>) -> Option<i32> {
    own.review.year.or_else(|| {
        let key = title_key(film?);
        [&doc.meta.title, &doc.meta.og_title, &doc.meta.h1]
            .into_iter()
            .flatten()
            .filter_map(|t| crate::headline::read_headline(t))
            .find(|h| h.year.is_some() && title_key(&h.title) == key)
            .and_then(|h| h.year)
    })
}

/// The critic's own rating written on the item's line in the page
/// ("September 5, 2018 | Rating: 4/5 | Full Review…"): one labelled rating
/// there, or none (an unlabelled number may be the quote's).
fn rating_beside_link(line: &str, n: usize, diagnostics: &mut Vec<Diagnostic>) -> Option<Rating> {
    let found: Vec<verdict_rating::Found> = verdict_rating::find_in_text(line)
        .into_iter()
        .filter(|f| f.label.is_some())
        .collect();
    let [one] = found.as_slice() else {
        return None;
    };
    let mut rating = one.rating.clone();
    // its place is in the page's line, not in the stored review's text
    rating.span = None;
    diagnostics.push(Diagnostic::info(
        "rating.beside-link",
        format!(
            "rating {:?} read on review item {n}'s line in the page (scale {}); its place in the page is not kept",
            rating.raw, rating.scale
        ),
    ));
    Some(rating)
}

fn year_of(date: &str) -> Option<i32> {
    let y: i32 = date.get(..4)?.parse().ok()?;
    (1870..=2100).contains(&y).then_some(y)
}

/// The page's `AggregateRating`s, as the site's published aggregates.
fn published(doc: &Document, own: &Extraction, found: &Found) -> Vec<Published> {
    let site = own
        .review
        .outlet
        .clone()
        .or_else(|| host(&doc.origin))
        .unwrap_or_else(|| doc.origin.clone());
    let mut out: Vec<Published> = Vec::new();
    for r in found.reviews.iter().filter(|r| r.kind == "AggregateRating") {
        let Some(Reading::Rated(rating)) = &r.rating else {
            continue;
        };
        let words = format!(
            "{} {}",
            r.name.as_deref().unwrap_or(""),
            r.body.as_deref().unwrap_or("")
        )
        .to_lowercase();
        let percent = rating.worst == 0.0
            && rating.best == 100.0
            && (words.contains("percent") || words.contains("tomatometer") || words.contains('%'));
        let score = PublishedScore {
            site: site.clone(),
            name: r.name.clone(),
            value: rating.value,
            best: rating.best,
            worst: rating.worst,
            count: r.count,
            percent,
            source: doc.origin.clone(),
            seen: None,
        };
        // the same aggregate written twice (JSON-LD and microdata) once
        if !out.iter().any(|p| p.score == score) {
            out.push(Published {
                film_title: r.item_name.clone(),
                score,
            });
        }
    }
    out
}

/// "https://www.rottentomatoes.com/m/x" → "rottentomatoes.com".
fn host(origin: &str) -> Option<String> {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string()).filter(|h| !h.is_empty())
}
