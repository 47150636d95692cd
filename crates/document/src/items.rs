//! Structured data a page declares in its markup, turned into JSON-LD's
//! shape so that one reader serves all three: schema.org **microdata**
//! (`itemscope`, `itemtype`, `itemprop`) and the microformats **hReview**
//! (classic `hreview` / `hreview-aggregate`) and **h-review** (mf2,
//! `h-review` / `h-review-aggregate`).
//!
//! - A microdata item becomes an object whose `@type` is the last segment
//!   of its `itemtype` and whose keys are its properties (a property given
//!   several times becomes a list). Values follow the microdata rules:
//!   `content` when written, `<meta content>`, `href` of links, `src` of
//!   media, `datetime` of `<time>`, `value` of `<data>`/`<meter>`, nested
//!   items as objects, else the element's text.
//! - An hReview becomes a `Review` with `itemReviewed.name`, `author.name`,
//!   `datePublished`, `reviewRating` (`ratingValue`, `bestRating`,
//!   `worstRating`), `reviewBody`, `name` and `url`; an aggregate an
//!   `AggregateRating` with `ratingValue`, `bestRating` and `ratingCount`.
//!
//! The cost is bounded whatever the page's shape: at most [`MAX_ITEMS`]
//! items, nested [`MAX_DEPTH`] deep, values cut at [`MAX_VALUE_CHARS`]
//! characters, at most [`MAX_TEXT_BYTES`] of element text read in all
//! (nested properties would otherwise read the same text again and
//! again), and at most [`MAX_STEPS`] steps up the tree to tell nested
//! reviews.

use dom_query::NodeRef;
use serde_json::{Map, Value, json};

use crate::collapse_whitespace;

/// Items read from one page at most.
pub const MAX_ITEMS: usize = 1_000;
/// How deep items nest in items; deeper ones are left out.
pub const MAX_DEPTH: usize = 16;
/// A value's characters at most.
pub const MAX_VALUE_CHARS: usize = 20_000;
/// Elements walked per item at most (a hostile page's huge item).
const MAX_WALK: usize = 50_000;
/// Bytes of element text read for one page at most; past it, values are
/// empty.
pub const MAX_TEXT_BYTES: usize = 4 << 20;
/// Steps up the tree, for one page, to tell a review nested in another.
pub const MAX_STEPS: usize = 1_000_000;

thread_local! {
    /// What is left of the page's text budget ([`MAX_TEXT_BYTES`]).
    static TEXT_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// An element's text, cut, charged to the page's budget (empty once it
/// is spent).
fn text(node: &NodeRef) -> String {
    let left = TEXT_LEFT.get();
    if left == 0 {
        return String::new();
    }
    let t = node.text();
    TEXT_LEFT.set(left.saturating_sub(t.len().max(1)));
    cut(&t)
}

/// Every top-level microdata item and every hReview of the page.
pub(crate) fn read(page: &dom_query::Document) -> Vec<Value> {
    TEXT_LEFT.set(MAX_TEXT_BYTES);
    let mut steps = MAX_STEPS;
    let mut out = Vec::new();
    for node in page.select("[itemscope]").nodes() {
        if out.len() >= MAX_ITEMS {
            break;
        }
        // a top-level item is one that is no other item's property
        if !node.has_attr("itemprop") {
            out.push(microdata_item(node, 0));
        }
    }
    for node in page
        .select(".hreview, .h-review, .hreview-aggregate, .h-review-aggregate")
        .nodes()
    {
        if out.len() >= MAX_ITEMS {
            break;
        }
        // a review nested in another review is that review's business
        if has_root_ancestor(node, &mut steps) {
            continue;
        }
        let aggregate = node.has_class("hreview-aggregate") || node.has_class("h-review-aggregate");
        out.push(if aggregate {
            hreview_aggregate(node)
        } else {
            hreview(node)
        });
    }
    out
}

fn cut(s: &str) -> String {
    let t = collapse_whitespace(s);
    match t.char_indices().nth(MAX_VALUE_CHARS) {
        Some((i, _)) => t[..i].to_string(),
        None => t,
    }
}

fn attr(node: &NodeRef, name: &str) -> Option<String> {
    node.attr(name).map(|v| cut(&v)).filter(|v| !v.is_empty())
}

// ---- microdata ----------------------------------------------------------

fn microdata_item(node: &NodeRef, depth: usize) -> Value {
    let mut obj = Map::new();
    if let Some(types) = attr(node, "itemtype") {
        let names: Vec<Value> = types
            .split_whitespace()
            .map(|t| {
                Value::String(
                    t.trim_end_matches('/')
                        .rsplit(['/', '#'])
                        .next()
                        .unwrap_or(t)
                        .to_string(),
                )
            })
            .collect();
        obj.insert(
            "@type".into(),
            if names.len() == 1 {
                names[0].clone()
            } else {
                Value::Array(names)
            },
        );
    }
    if let Some(id) = attr(node, "itemid") {
        obj.insert("@id".into(), Value::String(id));
    }
    let mut walked = 0;
    properties(node, depth, &mut obj, &mut walked);
    Value::Object(obj)
}

/// The properties of the item at `node`: descendants with `itemprop`, not
/// crossing into nested items (whose properties are their own).
fn properties(node: &NodeRef, depth: usize, obj: &mut Map<String, Value>, walked: &mut usize) {
    let mut stack: Vec<NodeRef> = node.children_it(true).filter(|c| c.is_element()).collect();
    while let Some(child) = stack.pop() {
        *walked += 1;
        if *walked > MAX_WALK {
            return;
        }
        let nested = child.has_attr("itemscope");
        if let Some(props) = attr(&child, "itemprop") {
            let value = if nested {
                if depth + 1 >= MAX_DEPTH {
                    continue;
                }
                microdata_item(&child, depth + 1)
            } else {
                Value::String(property_value(&child))
            };
            for name in props.split_whitespace() {
                add(obj, name, value.clone());
            }
        }
        if !nested {
            stack.extend(child.children_it(true).filter(|c| c.is_element()));
        }
    }
}

fn add(obj: &mut Map<String, Value>, name: &str, value: Value) {
    match obj.get_mut(name) {
        None => {
            obj.insert(name.to_string(), value);
        }
        Some(Value::Array(list)) => list.push(value),
        Some(old) => {
            let first = old.take();
            *old = Value::Array(vec![first, value]);
        }
    }
}

fn property_value(node: &NodeRef) -> String {
    if let Some(c) = node.attr("content") {
        return cut(&c);
    }
    let name = node.node_name().unwrap_or_default();
    let from = match &*name {
        "meta" => return String::new(),
        "a" | "area" | "link" => "href",
        "audio" | "embed" | "iframe" | "img" | "source" | "track" | "video" => "src",
        "object" => "data",
        "data" | "meter" => "value",
        "time" => "datetime",
        _ => "",
    };
    if !from.is_empty()
        && let Some(v) = attr(node, from)
    {
        return v;
    }
    text(node)
}

// ---- hReview ------------------------------------------------------------

const ROOTS: [&str; 4] = [
    "hreview",
    "h-review",
    "hreview-aggregate",
    "h-review-aggregate",
];

fn is_root(node: &NodeRef) -> bool {
    ROOTS.iter().any(|c| node.has_class(c))
}

/// Whether a review sits inside another; `steps` is the page's budget of
/// steps up the tree (spent: every review counts as nested, and is left
/// out).
fn has_root_ancestor(node: &NodeRef, steps: &mut usize) -> bool {
    let mut p = node.parent();
    while let Some(n) = p {
        if *steps == 0 {
            return true;
        }
        *steps -= 1;
        if n.is_element() && is_root(&n) {
            return true;
        }
        p = n.parent();
    }
    false
}

/// The first descendant of `node` with one of `classes`, not looking
/// inside nested reviews.
fn find<'a>(node: &NodeRef<'a>, classes: &[&str]) -> Option<NodeRef<'a>> {
    let mut stack: Vec<NodeRef> = node.children_it(true).filter(|c| c.is_element()).collect();
    let mut walked = 0;
    while let Some(n) = stack.pop() {
        walked += 1;
        if walked > MAX_WALK {
            return None;
        }
        if classes.iter().any(|c| n.has_class(c)) {
            return Some(n);
        }
        if !is_root(&n) {
            stack.extend(n.children_it(true).filter(|c| c.is_element()));
        }
    }
    None
}

/// A microformat property's text: an `<abbr title>`'s title, a `value`
/// or `datetime` attribute, else the element's text.
fn mf_text(node: &NodeRef) -> Option<String> {
    let name = node.node_name().unwrap_or_default();
    if &*name == "abbr"
        && let Some(t) = attr(node, "title")
    {
        return Some(t);
    }
    for a in ["datetime", "value", "content"] {
        if let Some(v) = attr(node, a) {
            return Some(v);
        }
    }
    Some(text(node)).filter(|t| !t.is_empty())
}

fn mf_url(node: &NodeRef) -> Option<String> {
    attr(node, "href").or_else(|| mf_text(node))
}

/// A name inside a property (an `fn` or `p-name` of a card), else the
/// property's own text.
fn named(node: &NodeRef) -> Option<String> {
    find(node, &["fn", "p-name"])
        .and_then(|n| mf_text(&n))
        .or_else(|| mf_text(node))
}

fn hreview(node: &NodeRef) -> Value {
    let mut obj = Map::new();
    obj.insert("@type".into(), json!("Review"));
    if let Some(item) = find(node, &["item", "p-item"]).and_then(|n| named(&n)) {
        obj.insert("itemReviewed".into(), json!({ "name": item }));
    }
    if let Some(who) = find(node, &["reviewer", "p-author"]).and_then(|n| named(&n)) {
        obj.insert("author".into(), json!({ "name": who }));
    }
    if let Some(date) = find(node, &["dtreviewed", "dt-published"]).and_then(|n| mf_text(&n)) {
        obj.insert("datePublished".into(), Value::String(date));
    }
    if let Some(rating) = find(node, &["rating", "p-rating"]) {
        let mut r = Map::new();
        // classic: <span class="rating"><span class="value">4</span> of
        // <span class="best">5</span></span>; mf2: p-best, p-worst beside
        let value = find(&rating, &["value"])
            .and_then(|n| mf_text(&n))
            .or_else(|| mf_text(&rating));
        if let Some(v) = value {
            r.insert("ratingValue".into(), Value::String(v));
        }
        for (classes, key) in [
            (["best", "p-best"], "bestRating"),
            (["worst", "p-worst"], "worstRating"),
        ] {
            if let Some(v) = find(&rating, &classes)
                .or_else(|| find(node, &classes))
                .and_then(|n| mf_text(&n))
            {
                r.insert(key.into(), Value::String(v));
            }
        }
        if r.contains_key("ratingValue") {
            obj.insert("reviewRating".into(), Value::Object(r));
        }
    }
    if let Some(body) =
        find(node, &["description", "e-content", "p-content"]).and_then(|n| mf_text(&n))
    {
        obj.insert("reviewBody".into(), Value::String(body));
    }
    if let Some(summary) = find(node, &["summary", "p-summary"]).and_then(|n| mf_text(&n)) {
        obj.insert("name".into(), Value::String(summary));
    }
    let link = find(node, &["permalink", "u-url"])
        .and_then(|n| mf_url(&n))
        .or_else(|| bookmark(node));
    if let Some(url) = link {
        obj.insert("url".into(), Value::String(url));
    }
    Value::Object(obj)
}

/// The `href` of a `rel="bookmark"` link inside the review.
fn bookmark(node: &NodeRef) -> Option<String> {
    let mut stack: Vec<NodeRef> = node.children_it(true).filter(|c| c.is_element()).collect();
    let mut walked = 0;
    while let Some(n) = stack.pop() {
        walked += 1;
        if walked > MAX_WALK {
            return None;
        }
        if n.attr("rel").is_some_and(|r| {
            r.split_whitespace()
                .any(|x| x.eq_ignore_ascii_case("bookmark"))
        }) {
            return attr(&n, "href");
        }
        stack.extend(n.children_it(true).filter(|c| c.is_element()));
    }
    None
}

fn hreview_aggregate(node: &NodeRef) -> Value {
    let mut obj = Map::new();
    obj.insert("@type".into(), json!("AggregateRating"));
    if let Some(item) = find(node, &["item", "p-item"]).and_then(|n| named(&n)) {
        obj.insert("itemReviewed".into(), json!({ "name": item }));
    }
    let average = find(node, &["average", "p-average"])
        .or_else(|| find(node, &["rating", "p-rating"]))
        .and_then(|n| find(&n, &["average", "value"]).or(Some(n)))
        .and_then(|n| mf_text(&n));
    if let Some(v) = average {
        obj.insert("ratingValue".into(), Value::String(v));
    }
    for (classes, key) in [
        (&["best", "p-best"][..], "bestRating"),
        (&["worst", "p-worst"][..], "worstRating"),
        (&["count", "p-count", "votes", "p-votes"][..], "ratingCount"),
    ] {
        if let Some(v) = find(node, classes).and_then(|n| mf_text(&n)) {
            obj.insert(key.into(), Value::String(v));
        }
    }
    Value::Object(obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(html: &str) -> Vec<Value> {
        read(&dom_query::Document::from(html))
    }

    #[test]
    fn microdata_reviews_nested_in_a_movie() {
        let v = items(
            r#"<div itemscope itemtype="https://schema.org/Movie">
              <h1 itemprop="name">Red Rooms</h1>
              <div itemprop="review" itemscope itemtype="https://schema.org/Review">
                <span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Ana Ruiz</span></span>
                <meta itemprop="datePublished" content="2024-03-01">
                <p itemprop="reviewBody">Chilling and precise.</p>
                <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
                  <span itemprop="ratingValue">4</span>/<span itemprop="bestRating">5</span>
                </div>
                <a itemprop="url" href="https://example.org/red-rooms">Full review</a>
              </div>
              <div itemprop="review" itemscope itemtype="https://schema.org/Review">
                <span itemprop="author">Ben Ode</span>
                <p itemprop="reviewBody">Cold.</p>
              </div>
            </div>"#,
        );
        assert_eq!(v.len(), 1);
        let movie = &v[0];
        assert_eq!(movie["@type"], "Movie");
        assert_eq!(movie["name"], "Red Rooms");
        let reviews = movie["review"].as_array().unwrap();
        assert_eq!(reviews.len(), 2);
        assert_eq!(reviews[0]["author"]["name"], "Ana Ruiz");
        assert_eq!(reviews[0]["reviewRating"]["ratingValue"], "4");
        assert_eq!(reviews[0]["reviewRating"]["bestRating"], "5");
        assert_eq!(reviews[0]["datePublished"], "2024-03-01");
        assert_eq!(reviews[0]["url"], "https://example.org/red-rooms");
        assert_eq!(reviews[1]["author"], "Ben Ode");
        // the nested rating's properties are not the review's
        assert!(reviews[0].get("ratingValue").is_none());
    }

    #[test]
    fn classic_hreview_and_aggregate() {
        let v = items(
            r#"<div class="hreview">
                 <span class="item"><span class="fn">Red Rooms</span></span>
                 <span class="reviewer vcard"><span class="fn">Ana Ruiz</span></span>
                 <abbr class="dtreviewed" title="2024-03-01">March 1</abbr>
                 <span class="rating"><span class="value">4</span> out of <span class="best">5</span></span>
                 <div class="description">Chilling and precise.</div>
                 <a rel="bookmark" href="https://example.org/r">link</a>
               </div>
               <div class="hreview-aggregate"><span class="item"><span class="fn">Red Rooms</span></span>
                 <span class="rating"><span class="average">3.9</span> of <span class="best">5</span></span>
                 <span class="count">12</span> reviews</div>"#,
        );
        assert_eq!(v.len(), 2);
        assert_eq!(v[0]["itemReviewed"]["name"], "Red Rooms");
        assert_eq!(v[0]["author"]["name"], "Ana Ruiz");
        assert_eq!(v[0]["datePublished"], "2024-03-01");
        assert_eq!(v[0]["reviewRating"]["ratingValue"], "4");
        assert_eq!(v[0]["reviewRating"]["bestRating"], "5");
        assert_eq!(v[0]["reviewBody"], "Chilling and precise.");
        assert_eq!(v[0]["url"], "https://example.org/r");
        assert_eq!(v[1]["@type"], "AggregateRating");
        assert_eq!(v[1]["ratingValue"], "3.9");
        assert_eq!(v[1]["ratingCount"], "12");
    }

    #[test]
    fn mf2_h_review() {
        let v = items(
            r#"<article class="h-review">
                 <a class="p-item h-card" href="/m"><span class="p-name">Red Rooms</span></a>
                 <span class="p-author h-card">Ana Ruiz</span>
                 <time class="dt-published" datetime="2024-03-01">1 March</time>
                 <data class="p-rating" value="8">8</data>/<data class="p-best" value="10">10</data>
                 <div class="e-content">Chilling.</div>
                 <a class="u-url" href="https://example.org/r">#</a>
               </article>"#,
        );
        assert_eq!(v.len(), 1);
        assert_eq!(v[0]["itemReviewed"]["name"], "Red Rooms");
        assert_eq!(v[0]["author"]["name"], "Ana Ruiz");
        assert_eq!(v[0]["reviewRating"]["ratingValue"], "8");
        assert_eq!(v[0]["reviewRating"]["bestRating"], "10");
        assert_eq!(v[0]["url"], "https://example.org/r");
    }

    #[test]
    fn nested_properties_read_a_bounded_amount_of_text() {
        // 3,000 nested properties over 2 MB of text: each would read all
        // the text below it (quadratic) without the page's budget
        let mut html = String::from(r#"<div itemscope itemtype="https://schema.org/Thing">"#);
        for _ in 0..3000 {
            html.push_str(r#"<div itemprop="p">"#);
        }
        html.push_str(&"word ".repeat(400_000));
        let html = format!("{html}</div>");
        let start = std::time::Instant::now();
        let v = items(&html);
        assert_eq!(v.len(), 1);
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn deep_items_are_bounded() {
        let mut html = String::new();
        for _ in 0..200 {
            html.push_str(r#"<div itemprop="x" itemscope itemtype="https://schema.org/Thing">"#);
        }
        let html = format!(r#"<div itemscope itemtype="https://schema.org/Thing">{html}</div>"#);
        let v = items(&html);
        assert_eq!(v.len(), 1);
        let mut depth = 0;
        let mut at = &v[0];
        while let Some(next) = at.get("x") {
            depth += 1;
            at = next;
        }
        assert!(depth < MAX_DEPTH, "{depth}");
    }
}
