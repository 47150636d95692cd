//! schema.org ratings, as pages declare them in JSON-LD: a `Rating` or
//! `AggregateRating` (`ratingValue`, `bestRating`, `worstRating`), and the
//! `Review` / `CriticReview` items that carry one as `reviewRating`.
//!
//! ```
//! use serde_json::json;
//! use verdict_rating::schema_org::{read_rating, reviews_in_json_ld};
//!
//! // schema.org's defaults: bestRating 5, worstRating 1
//! assert_eq!(read_rating(&json!({"ratingValue": 3})).score(), Some(50.0));
//! assert_eq!(
//!     read_rating(&json!({"ratingValue": "8", "bestRating": "10", "worstRating": "0"})).score(),
//!     Some(80.0)
//! );
//! // a letter scale
//! let r = read_rating(&json!({"ratingValue": "B+", "bestRating": "A"}));
//! assert_eq!(r.rating().map(|r| r.scale.as_str()), Some("letter"));
//!
//! let page = r#"{"@context": "https://schema.org", "@graph": [
//!   {"@type": "Movie", "name": "Red Rooms"},
//!   {"@type": "CriticReview", "itemReviewed": {"@type": "Movie", "name": "Red Rooms"},
//!    "author": {"@type": "Person", "name": "Ana Ruiz"},
//!    "reviewRating": {"@type": "Rating", "ratingValue": "4.5", "bestRating": "5", "worstRating": "0"}}
//! ]}"#;
//! let found = reviews_in_json_ld(page);
//! assert_eq!(found[0].author.as_deref(), Some("Ana Ruiz"));
//! assert_eq!(found[0].item_name.as_deref(), Some("Red Rooms"));
//! assert_eq!(found[0].rating.as_ref().and_then(|r| r.score()), Some(90.0));
//! ```
//!
//! # Reading a `Rating`
//!
//! - `ratingValue`, `bestRating` and `worstRating` may be JSON numbers or
//!   strings ("4.5", "4,5"). `bestRating` defaults to 5 and `worstRating`
//!   to 1, as schema.org defines them; `score = (value − worst) / (best −
//!   worst) × 100`. The confidence is High when `bestRating` is written,
//!   Medium when a default was used.
//! - When `worstRating` is absent and the value is below 1 (`0` of 5), the
//!   scale is read from 0, with confidence Medium: a page that writes 0
//!   does not use the default.
//! - A letter `bestRating` ("A", "A+") or a letter `ratingValue` ("B+")
//!   is read on the letter table ([`crate::letter_grade_score`]).
//! - A `ratingValue` that is no plain number ("4.5/5", "★★★★") is read by
//!   [`crate::read`] with the page's `bestRating` as the hint.
//! - A value outside `worstRating..=bestRating` is refused, not clamped.
//!
//! The reading's `raw` is the `ratingValue` as written (a JSON number as
//! serde_json prints it), so a caller can find it in the page source.

use serde::Serialize;
use serde_json::Value;
use verdict_core::{Confidence, Rating};

use crate::parse::fmt_num;
use crate::{Reading, Refusal, ScaleHint, letter_grade_score, read_with};

/// How deep nested JSON is walked; deeper items are ignored.
const MAX_DEPTH: usize = 32;

/// A schema.org item that carries a rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemaReview {
    /// `Review`, `CriticReview`, `UserReview`, `EmployerReview`… or
    /// `AggregateRating`.
    pub kind: String,
    /// The reading of `reviewRating` (or of the aggregate itself); None
    /// when the item has no rating.
    pub rating: Option<Reading>,
    /// `author` names, joined with ", ".
    pub author: Option<String>,
    /// `publisher` names, joined with ", ".
    pub publisher: Option<String>,
    /// `itemReviewed.name`, or the name of the item the review is nested
    /// in (a `Movie` with a `review` list).
    pub item_name: Option<String>,
    /// `itemReviewed.datePublished` (or `dateCreated`).
    pub item_date: Option<String>,
    /// The review's own `datePublished` (else its `dateCreated`).
    pub date_published: Option<String>,
    /// `ratingCount` / `reviewCount` of an aggregate.
    pub count: Option<u64>,
    /// The review's words (`reviewBody`, else `description`); an
    /// aggregate's `description`.
    pub body: Option<String>,
    /// The review's own address (`url`, else `@id` when it is a URL).
    pub url: Option<String>,
    /// The item's `name`: a review's headline, an aggregate's name
    /// ("Tomatometer").
    pub name: Option<String>,
    /// Which of the JSON-LD blocks it came from (0 for a single block).
    pub block: usize,
}

impl SchemaReview {
    /// Whether it is one critic's review (not an aggregate, not a user's).
    pub fn is_critic_review(&self) -> bool {
        matches!(self.kind.as_str(), "Review" | "CriticReview")
    }
}

fn refuse(input: &str, reason: String) -> Reading {
    Reading::Refused(Refusal {
        input: input.to_string(),
        reason,
    })
}

/// The text of a scalar: strings as written (trimmed), numbers as
/// serde_json prints them.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A plain number: "4.5", "4,5", " 8 ".
fn plain_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.len() > 32 {
        return None;
    }
    let t = if t.matches(',').count() == 1 && !t.contains('.') {
        t.replace(',', ".")
    } else {
        t.to_string()
    };
    let body = t.strip_prefix(['-', '+']).unwrap_or(&t);
    if body.is_empty()
        || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || body.matches('.').count() > 1
        || body == "."
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn is_letter_best(s: &str) -> bool {
    matches!(s.trim(), "A" | "A+" | "a" | "a+")
}

/// Reads a schema.org `Rating` or `AggregateRating` object.
pub fn read_rating(rating: &Value) -> Reading {
    let Some(obj) = rating.as_object() else {
        // "reviewRating": "4/5" — a bare string is read as written
        if let Some(t) = scalar_text(rating) {
            return crate::read(&t);
        }
        return refuse("", "a schema.org rating that is no object".to_string());
    };
    let Some(raw) = obj.get("ratingValue").and_then(scalar_text) else {
        return refuse(
            "",
            "a schema.org Rating with no ratingValue: nothing to read".to_string(),
        );
    };
    let best_text = obj.get("bestRating").and_then(scalar_text);
    let worst_text = obj.get("worstRating").and_then(scalar_text);

    // a letter scale
    let letter_best = best_text.as_deref().is_some_and(is_letter_best);
    if let Some(score) = letter_grade_score(&raw).filter(|_| plain_number(&raw).is_none()) {
        return Reading::Rated(Rating {
            raw: raw.clone(),
            value: score,
            best: 100.0,
            worst: 0.0,
            score,
            scale: "letter".to_string(),
            confidence: Confidence::High,
            span: None,
        });
    }
    if letter_best {
        return refuse(
            &raw,
            format!("\"{raw}\": bestRating is a letter grade but ratingValue is no letter grade"),
        );
    }

    let best = match &best_text {
        None => None,
        Some(b) => match plain_number(b) {
            Some(x) => Some(x),
            None => {
                return refuse(
                    &raw,
                    format!("\"{raw}\": bestRating \"{b}\" is no number and no letter grade"),
                );
            }
        },
    };
    let worst = match &worst_text {
        None => None,
        Some(w) => match plain_number(w) {
            Some(x) => Some(x),
            None => {
                return refuse(&raw, format!("\"{raw}\": worstRating \"{w}\" is no number"));
            }
        },
    };

    let Some(value) = plain_number(&raw) else {
        // "4.5/5", "★★★★": the string has its own grammar
        let hint = match (best, worst) {
            (Some(b), Some(w)) => ScaleHint::range(w, b),
            (Some(b), None) => ScaleHint::out_of(b),
            _ => ScaleHint::default(),
        };
        return read_with(&raw, &hint);
    };

    let (best_v, best_given) = match best {
        Some(b) => (b, true),
        None => (5.0, false),
    };
    let (worst_v, worst_note) = match worst {
        Some(w) => (w, false),
        None if (0.0..1.0).contains(&value) => (0.0, true),
        None => (1.0, false),
    };
    if best_v <= worst_v {
        return refuse(
            &raw,
            format!(
                "\"{raw}\": bestRating {} is not above worstRating {}",
                fmt_num(best_v),
                fmt_num(worst_v)
            ),
        );
    }
    if value > best_v || value < worst_v {
        return refuse(
            &raw,
            format!(
                "\"{raw}\": ratingValue outside {}..{} (refused, not clamped)",
                fmt_num(worst_v),
                fmt_num(best_v)
            ),
        );
    }
    let score = ((value - worst_v) / (best_v - worst_v) * 100.0).clamp(0.0, 100.0);
    let scale = if worst_v == 0.0 {
        format!("x/{}", fmt_num(best_v))
    } else if worst_v < 0.0 {
        format!("{}..+{}", fmt_num(worst_v), fmt_num(best_v))
    } else {
        format!("{}..{}", fmt_num(worst_v), fmt_num(best_v))
    };
    Reading::Rated(Rating {
        raw,
        value,
        best: best_v,
        worst: worst_v,
        score,
        scale,
        confidence: if best_given && !worst_note {
            Confidence::High
        } else {
            Confidence::Medium
        },
        span: None,
    })
}

fn types(obj: &serde_json::Map<String, Value>) -> Vec<String> {
    let strip = |s: &str| s.rsplit(['/', ':']).next().unwrap_or(s).trim().to_string();
    match obj.get("@type") {
        Some(Value::String(s)) => vec![strip(s)],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(strip).collect(),
        _ => Vec::new(),
    }
}

/// Names of a Person/Organization value: a string, an object with
/// `name`, or a list of those.
fn names(v: Option<&Value>) -> Option<String> {
    fn collect(v: &Value, out: &mut Vec<String>, depth: usize) {
        if depth > 4 {
            return;
        }
        match v {
            Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
            Value::Object(o) => {
                if let Some(n) = o.get("name") {
                    collect(n, out, depth + 1);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| collect(x, out, depth + 1)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(v?, &mut out, 0);
    out.dedup();
    (!out.is_empty()).then(|| out.join(", "))
}

/// An item's address: `url`, else an `@id` that is a web address.
fn url(obj: &serde_json::Map<String, Value>) -> Option<String> {
    text(obj.get("url"))
        .or_else(|| text(obj.get("@id")))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(a) => a.iter().find_map(|x| text(Some(x))),
        _ => None,
    }
}

const REVIEW_TYPES: &[&str] = &[
    "Review",
    "CriticReview",
    "UserReview",
    "EmployerReview",
    "ClaimReview",
    "Recommendation",
];

/// Every review and aggregate rating in a parsed JSON-LD value, walking
/// `@graph` lists, arrays and nested items (a `Movie`'s `review` list and
/// `aggregateRating`).
pub fn find_reviews(json: &Value) -> Vec<SchemaReview> {
    let mut out = Vec::new();
    walk(json, None, None, 0, &mut out);
    out
}

/// The item a nested review is about: (name, date).
type Parent = (Option<String>, Option<String>);

fn walk(
    v: &Value,
    parent: Option<&Parent>,
    key: Option<&str>,
    depth: usize,
    out: &mut Vec<SchemaReview>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Array(a) => {
            for x in a {
                walk(x, parent, key, depth + 1, out);
            }
        }
        Value::Object(obj) => {
            let ts = types(obj);
            let is_review = ts.iter().any(|t| REVIEW_TYPES.contains(&t.as_str()))
                || (ts.is_empty() && key == Some("review") && obj.contains_key("reviewRating"));
            let is_aggregate = ts.iter().any(|t| t == "AggregateRating")
                || (ts.is_empty() && key == Some("aggregateRating"));
            if is_review {
                let item = obj.get("itemReviewed");
                let item_obj = item.and_then(Value::as_object);
                let item_name = item_obj
                    .and_then(|o| text(o.get("name")))
                    .or_else(|| item.and_then(|i| text(Some(i))))
                    .or_else(|| parent.and_then(|p| p.0.clone()));
                let item_date = item_obj
                    .and_then(|o| {
                        text(o.get("datePublished")).or_else(|| text(o.get("dateCreated")))
                    })
                    .or_else(|| parent.and_then(|p| p.1.clone()));
                let kind = ts
                    .iter()
                    .find(|t| REVIEW_TYPES.contains(&t.as_str()))
                    .cloned()
                    .unwrap_or_else(|| "Review".to_string());
                out.push(SchemaReview {
                    kind,
                    rating: obj.get("reviewRating").map(read_rating),
                    author: names(obj.get("author")),
                    publisher: names(obj.get("publisher")),
                    item_name,
                    item_date,
                    date_published: text(obj.get("datePublished"))
                        .or_else(|| text(obj.get("dateCreated"))),
                    count: None,
                    body: text(obj.get("reviewBody")).or_else(|| text(obj.get("description"))),
                    url: url(obj),
                    name: text(obj.get("name")),
                    block: 0,
                });
            } else if is_aggregate {
                let count = ["ratingCount", "reviewCount"].iter().find_map(|k| {
                    obj.get(*k).and_then(|c| match c {
                        Value::Number(n) => n.as_u64(),
                        Value::String(s) => s.trim().parse().ok(),
                        _ => None,
                    })
                });
                out.push(SchemaReview {
                    kind: "AggregateRating".to_string(),
                    rating: Some(read_rating(v)),
                    author: None,
                    publisher: None,
                    item_name: obj
                        .get("itemReviewed")
                        .and_then(|i| i.as_object().and_then(|o| text(o.get("name"))))
                        .or_else(|| parent.and_then(|p| p.0.clone())),
                    item_date: parent.and_then(|p| p.1.clone()),
                    date_published: None,
                    count,
                    body: text(obj.get("description")),
                    url: None,
                    name: text(obj.get("name")),
                    block: 0,
                });
                return;
            }
            // this object as the parent of nested reviews
            let here: Parent = (
                text(obj.get("name")),
                text(obj.get("datePublished")).or_else(|| text(obj.get("dateCreated"))),
            );
            let next = if is_review || here.0.is_none() {
                parent
            } else {
                Some(&here)
            };
            for (k, x) in obj {
                // a review's own rating and item were read above
                if is_review && matches!(k.as_str(), "reviewRating" | "itemReviewed") {
                    continue;
                }
                if matches!(x, Value::Object(_) | Value::Array(_)) {
                    walk(x, next, Some(k), depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

/// Parses one JSON-LD block (the text of a `<script
/// type="application/ld+json">`) and finds its reviews. Tolerates an HTML
/// comment or CDATA wrapper and trailing semicolons; a block that is still
/// no JSON gives nothing.
pub fn reviews_in_json_ld(block: &str) -> Vec<SchemaReview> {
    match parse_block(block) {
        Some(v) => find_reviews(&v),
        None => Vec::new(),
    }
}

/// Parses one JSON-LD block, tolerating an HTML comment or CDATA wrapper
/// and trailing semicolons; `None` when it is still no JSON.
pub fn parse_block(block: &str) -> Option<Value> {
    let mut t = block.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("<![CDATA[", "]]>"),
        ("//<![CDATA[", "//]]>"),
    ] {
        if let Some(r) = t.strip_prefix(open) {
            t = r.strip_suffix(close).unwrap_or(r).trim();
        }
    }
    let t = t.trim_end_matches(';').trim();
    serde_json::from_str(t).ok()
}

/// The review a page declares about itself, from all its JSON-LD blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageReview {
    /// The one critic review with a rating, when there is exactly one
    /// author's.
    pub review: Option<SchemaReview>,
    /// Why none was taken, or what else was seen.
    pub note: Option<String>,
}

/// Picks the page's own critic review from its JSON-LD blocks: the
/// `Review` / `CriticReview` items with a rating, when they are all by one
/// author (a listing page carries many authors' reviews and none is the
/// page's). Aggregates are never a review's rating.
pub fn page_review(blocks: &[String]) -> PageReview {
    let mut reviews = Vec::new();
    let mut unparsed = 0;
    for (i, b) in blocks.iter().enumerate() {
        match parse_block(b) {
            Some(v) => reviews.extend(find_reviews(&v).into_iter().map(|mut r| {
                r.block = i;
                r
            })),
            None => unparsed += 1,
        }
    }
    choose_page_review(&reviews, unparsed)
}

/// [`page_review`] of reviews already found (`unparsed`: the blocks that
/// were no JSON).
pub fn choose_page_review(reviews: &[SchemaReview], unparsed: usize) -> PageReview {
    let rated: Vec<&SchemaReview> = reviews
        .iter()
        .filter(|r| r.is_critic_review() && r.rating.is_some())
        .collect();
    let mut authors: Vec<Option<&str>> = rated.iter().map(|r| r.author.as_deref()).collect();
    authors.sort();
    authors.dedup();
    let bad = (unparsed > 0).then(|| format!("{unparsed} JSON-LD block(s) are not JSON"));
    match (rated.len(), authors.len()) {
        (0, _) => PageReview {
            review: None,
            note: bad,
        },
        (_, 1) => PageReview {
            review: Some(rated[0].clone()),
            note: (rated.len() > 1)
                .then(|| {
                    format!(
                        "{} JSON-LD reviews by one author; the first taken",
                        rated.len()
                    )
                })
                .or(bad),
        },
        (n, a) => PageReview {
            review: None,
            note: Some(format!(
                "{n} JSON-LD reviews by {a} authors (a listing page): none taken as this page's review"
            )),
        },
    }
}

/// Where the `ratingValue` `raw` sits in `source` (a page's decoded text):
/// inside the JSON-LD `block` when the block is found there, right after a
/// `ratingValue` key. `&source[start..end] == raw` always.
pub fn locate_rating_value(source: &str, block: &str, raw: &str) -> Option<(usize, usize)> {
    if raw.is_empty() {
        return None;
    }
    let base = if block.trim().is_empty() {
        0
    } else {
        source.find(block.trim()).unwrap_or(0)
    };
    let region = &source[base..];
    let mut from = 0;
    while let Some(p) = region[from..].find("ratingValue") {
        let key_end = from + p + "ratingValue".len();
        // the value follows within a few characters: `": "4.5"`, `" content="4.5`
        let window_end = (key_end + 24 + raw.len()).min(region.len());
        let mut w_end = window_end;
        while !region.is_char_boundary(w_end) {
            w_end -= 1;
        }
        if let Some(q) = region[key_end..w_end].find(raw) {
            let start = key_end + q;
            let end = start + raw.len();
            let between = &region[key_end..start];
            let next = region[end..].chars().next();
            if between
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '"' | '\'' | ':' | '='))
                && !next.is_some_and(|c| c.is_ascii_digit() || c == '.')
            {
                return Some((base + start, base + end));
            }
        }
        from = key_end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn score(v: Value) -> Option<f64> {
        read_rating(&v).score()
    }

    #[test]
    fn defaults_are_five_and_one() {
        assert_eq!(score(json!({"ratingValue": 5})), Some(100.0));
        assert_eq!(score(json!({"ratingValue": "1"})), Some(0.0));
        assert_eq!(
            score(json!({"ratingValue": 4, "bestRating": 5})),
            Some(75.0)
        );
        let r = read_rating(&json!({"ratingValue": 3}));
        assert_eq!(r.rating().unwrap().confidence, Confidence::Medium);
        assert_eq!(r.rating().unwrap().scale, "1..5");
    }

    #[test]
    fn zero_without_worst_reads_from_zero() {
        let r = read_rating(&json!({"ratingValue": "0", "bestRating": "5"}));
        assert_eq!(r.score(), Some(0.0));
        assert_eq!(r.rating().unwrap().scale, "x/5");
        assert_eq!(r.rating().unwrap().confidence, Confidence::Medium);
    }

    #[test]
    fn strings_and_commas() {
        assert_eq!(
            score(json!({"ratingValue": "3,5", "bestRating": "5", "worstRating": "0"})),
            Some(70.0)
        );
        assert_eq!(
            score(json!({"ratingValue": " 8 ", "bestRating": 10, "worstRating": 0})),
            Some(80.0)
        );
    }

    #[test]
    fn letters() {
        let r = read_rating(&json!({"ratingValue": "B+", "bestRating": "A"}));
        assert!((r.score().unwrap() - 83.333).abs() < 0.01);
        assert_eq!(r.rating().unwrap().raw, "B+");
        assert!(
            read_rating(&json!({"ratingValue": "7", "bestRating": "A"}))
                .refusal()
                .is_some()
        );
        // a letter value with a numeric best is still a letter grade
        assert_eq!(
            score(json!({"ratingValue": "A-"})).map(|s| s.round()),
            Some(92.0)
        );
    }

    #[test]
    fn rotten_tomatoes_binary_scale() {
        let fresh =
            json!({"@type": "Rating", "bestRating": "1", "worstRating": "-1", "ratingValue": 1});
        let rotten =
            json!({"@type": "Rating", "bestRating": "1", "worstRating": "-1", "ratingValue": -1});
        assert_eq!(score(fresh), Some(100.0));
        assert_eq!(score(rotten), Some(0.0));
    }

    #[test]
    fn out_of_range_and_missing_are_refused() {
        assert!(
            read_rating(&json!({"ratingValue": 6, "bestRating": 5}))
                .refusal()
                .is_some()
        );
        assert!(read_rating(&json!({"bestRating": 5})).refusal().is_some());
        assert!(
            read_rating(&json!({"ratingValue": 3, "bestRating": 1, "worstRating": 1}))
                .refusal()
                .is_some()
        );
        assert!(
            read_rating(&json!({"ratingValue": "great"}))
                .refusal()
                .is_some()
        );
    }

    #[test]
    fn written_ratings_in_the_value() {
        assert_eq!(score(json!({"ratingValue": "4.5/5"})), Some(90.0));
        assert_eq!(
            score(json!({"ratingValue": "★★★", "bestRating": 4})),
            Some(75.0)
        );
    }

    #[test]
    fn nested_reviews_take_their_parents_name() {
        let v = json!({"@type": "Movie", "name": "Boyhood", "dateCreated": "2014",
        "aggregateRating": {"@type": "AggregateRating", "bestRating": "100", "worstRating": "0", "ratingValue": "97", "reviewCount": "327"},
        "review": [
            {"@type": "Review", "author": {"@type": "Person", "name": "A"}, "publisher": {"name": "EW"},
             "reviewRating": {"@type": "Rating", "bestRating": "1", "worstRating": "-1", "ratingValue": 1}},
            {"@type": "Review", "author": {"@type": "Person", "name": "B"},
             "reviewRating": {"@type": "Rating", "bestRating": "1", "worstRating": "-1", "ratingValue": -1}}
        ]});
        let found = find_reviews(&v);
        assert_eq!(found.len(), 3);
        let agg = found.iter().find(|r| r.kind == "AggregateRating").unwrap();
        assert_eq!(agg.count, Some(327));
        assert_eq!(agg.rating.as_ref().unwrap().score(), Some(97.0));
        let a = found
            .iter()
            .find(|r| r.author.as_deref() == Some("A"))
            .unwrap();
        assert_eq!(a.item_name.as_deref(), Some("Boyhood"));
        assert_eq!(a.publisher.as_deref(), Some("EW"));
        // two authors: a listing, none is the page's review
        let page = page_review(&[v.to_string()]);
        assert!(page.review.is_none());
        assert!(page.note.unwrap().contains("2 authors"));
    }

    #[test]
    fn graph_and_type_lists() {
        let block = r#"<!-- {"@graph": [{"@type": ["CriticReview"], "author": [{"name": "X"}, {"name": "Y"}],
            "itemReviewed": {"@type": "Movie", "name": "Red Rooms", "datePublished": "2023-08-11"},
            "reviewRating": {"ratingValue": 8, "bestRating": 10, "worstRating": 0}}]} -->"#;
        let page = page_review(&[block.to_string()]);
        let r = page.review.unwrap();
        assert_eq!(r.author.as_deref(), Some("X, Y"));
        assert_eq!(r.item_date.as_deref(), Some("2023-08-11"));
        assert_eq!(r.rating.unwrap().score(), Some(80.0));
        assert!(page_review(&["{not json".to_string()]).note.is_some());
    }

    #[test]
    fn locating_the_value() {
        let block = r#"{"reviewRating": {"ratingValue": "4.5", "bestRating": "5"}}"#;
        let src = format!("<p>4.5 stars elsewhere 14.50</p><script>{block}</script>");
        let (a, b) = locate_rating_value(&src, block, "4.5").unwrap();
        assert_eq!(&src[a..b], "4.5");
        assert!(a > src.find("<script>").unwrap());
        assert!(locate_rating_value(&src, block, "3").is_none());
        // not a prefix of a longer number
        let src2 = r#"{"ratingValue": 4.50}"#;
        assert!(locate_rating_value(src2, src2, "4.5").is_none());
    }
}
