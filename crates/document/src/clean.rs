//! Page furniture removed from an HTML page before the main-content pass.
//!
//! Readability scores text blocks; it keeps what sits inside the article
//! container even when it is not the article: photo captions and credits,
//! share bars, tag lists, bylines and datelines, pull quotes (the article's
//! own sentences, repeated), "related" boxes and comment sections. They are
//! recognised here by their markup — the element, its `class`, `id`,
//! `role`, `itemprop` and visibility — and removed before readability runs,
//! which also makes it faster.
//!
//! Star widgets and rating boxes are kept: extraction reads the rating (and
//! multi-aspect marks) from them and keeps them out of the review's body.
//!
//! Two safeguards keep the article itself: an element holding a large part
//! of the page's text is never removed for its class alone, and elements
//! that carry the article (`<article>`, `<main>`, `itemprop="articleBody"`)
//! are never removed.
//!
//! Whatever is removed is still in [`crate::Document::page_lines`], read
//! before cleaning. The first byline removed is kept for the metadata.

use dom_query::NodeRef;

/// What cleaning did.
#[derive(Debug, Default)]
pub(crate) struct Cleaned {
    /// The text of the first byline element removed ("By Jane Critic").
    pub byline: Option<String>,
    /// Elements removed.
    pub removed: usize,
}

/// Elements that are never article text.
const DROP_TAGS: [&str; 17] = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
    "textarea",
    "input",
    "nav",
    "figcaption",
    "figure",
    "video",
    "audio",
    "picture",
    "canvas",
];

/// Elements never removed for their class: they carry the article.
const KEEP_TAGS: [&str; 4] = ["html", "body", "article", "main"];

/// Class/id words that mark furniture, matched as whole words of the
/// attribute (split at anything not a letter or digit).
const FURNITURE_WORDS: [&str; 58] = [
    "ad",
    "ads",
    "advert",
    "advertisement",
    "author",
    "authors",
    "banner",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "caption",
    "comment",
    "comments",
    "consent",
    "cookie",
    "cookies",
    "credit",
    "credits",
    "dateline",
    "disqus",
    "gallery",
    "keywords",
    "masthead",
    "menu",
    "meta",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "outbrain",
    "pagination",
    "popup",
    "print",
    "promo",
    "pullquote",
    "recommended",
    "related",
    "respond",
    "share",
    "sharing",
    "sidebar",
    "signup",
    "slideshow",
    "social",
    "sponsor",
    "sponsored",
    "subscribe",
    "subscription",
    "tag",
    "tags",
    "taboola",
    "timestamp",
    "toolbar",
    "tools",
    "trending",
    "widget",
    "sr",
    "visuallyhidden",
];

/// Two-word furniture names ("pull-quote", "star-rating", "read-more").
const FURNITURE_PAIRS: [(&str, &str); 11] = [
    ("pull", "quote"),
    ("read", "more"),
    ("more", "stories"),
    ("most", "read"),
    ("most", "popular"),
    ("screen", "reader"),
    ("visually", "hidden"),
    ("sr", "only"),
    ("post", "meta"),
    ("entry", "meta"),
    ("article", "meta"),
];

/// Removes furniture from the page's body.
pub(crate) fn clean(page: &dom_query::Document) -> Cleaned {
    let mut cleaned = Cleaned::default();
    let Some(body_node) = page.body() else {
        return cleaned;
    };
    let total = Weight::of(&body_node);
    let mut doomed: Vec<NodeRef> = Vec::new();
    let mut stack: Vec<NodeRef> = body_node.element_children();
    while let Some(node) = stack.pop() {
        match verdict_on(&node, total) {
            Fate::Remove => {
                if cleaned.byline.is_none() {
                    cleaned.byline = byline_in(&node);
                }
                doomed.push(node);
            }
            Fate::Keep => stack.extend(node.element_children()),
        }
    }
    cleaned.removed = doomed.len();
    for node in doomed {
        node.remove_from_parent();
    }
    cleaned
}

enum Fate {
    Keep,
    Remove,
}

fn verdict_on(node: &NodeRef, total: Weight) -> Fate {
    let Some(name) = node.node_name() else {
        return Fate::Keep;
    };
    let name = name.to_ascii_lowercase();
    if DROP_TAGS.contains(&name.as_str()) {
        return Fate::Remove;
    }
    if node.has_attr("hidden")
        || node
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || node.attr("style").is_some_and(|s| hidden_style(&s))
    {
        return Fate::Remove;
    }
    if KEEP_TAGS.contains(&name.as_str())
        || node
            .attr("itemprop")
            .is_some_and(|v| v.contains("articleBody") || v.contains("reviewBody"))
    {
        return Fate::Keep;
    }
    let furniture = node.attr("class").is_some_and(|c| is_furniture_name(&c))
        || node.attr("id").is_some_and(|c| is_furniture_name(&c))
        || node.attr("role").is_some_and(|r| {
            matches!(
                &*r,
                "navigation" | "complementary" | "banner" | "contentinfo"
            )
        })
        || node.attr("rel").is_some_and(|r| r.contains("author"))
        || node.attr("itemprop").is_some_and(|v| v.contains("author"));
    // An element holding much of the page's text is the article, whatever
    // its class says ("article-meta-wrapper", "penci_sidebar").
    if furniture && Weight::of(node).is_minor_part_of(total) {
        Fate::Remove
    } else {
        Fate::Keep
    }
}

/// How much text an element holds: all of it, and the part in paragraphs.
#[derive(Debug, Clone, Copy)]
struct Weight {
    text: usize,
    paragraphs: usize,
}

impl Weight {
    fn of(node: &NodeRef) -> Weight {
        let mut w = Weight {
            text: 0,
            paragraphs: 0,
        };
        let mut stack = vec![(*node, false)];
        while let Some((x, in_p)) = stack.pop() {
            if x.is_text() {
                let n = text_len(&x);
                w.text += n;
                if in_p {
                    w.paragraphs += n;
                }
            } else if x.is_element() {
                let name = x.node_name().unwrap_or_default();
                if matches!(&*name, "script" | "style" | "noscript" | "template") {
                    continue;
                }
                let in_p = in_p || &*name == "p";
                stack.extend(x.children_it(false).map(|c| (c, in_p)));
            }
        }
        w
    }

    /// Whether this is a small part of `whole`: under a quarter of its
    /// paragraph text (or, on pages without paragraphs, of its text).
    fn is_minor_part_of(self, whole: Weight) -> bool {
        if whole.paragraphs >= 200 {
            self.paragraphs * 4 < whole.paragraphs
        } else {
            self.text * 4 < whole.text
        }
    }
}

fn hidden_style(style: &str) -> bool {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// Whether a class or id names furniture.
fn is_furniture_name(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| FURNITURE_WORDS.contains(w))
        || words
            .windows(2)
            .any(|p| FURNITURE_PAIRS.contains(&(p[0], p[1])))
}

/// The length of a text node's text, read in place.
fn text_len(node: &NodeRef) -> usize {
    node.query_or(0, |n| match &n.data {
        dom_query::NodeData::Text { contents } => contents.len(),
        _ => 0,
    })
}

/// The text of the first byline element at or under `node` ("By Jane
/// Critic"), when short enough to be one.
fn byline_in(node: &NodeRef) -> Option<String> {
    let mut stack = vec![*node];
    while let Some(x) = stack.pop() {
        if is_byline(&x) {
            let text = crate::collapse_whitespace(&x.text());
            return (!text.is_empty() && text.chars().count() <= 100).then_some(text);
        }
        stack.extend(x.element_children().into_iter().rev());
    }
    None
}

fn is_byline(node: &NodeRef) -> bool {
    let names = format!(
        "{} {}",
        node.attr("class").unwrap_or_default(),
        node.attr("id").unwrap_or_default()
    )
    .to_ascii_lowercase();
    names.contains("byline")
        || names.contains("author")
        || node.attr("rel").is_some_and(|r| r.contains("author"))
        || node.attr("itemprop").is_some_and(|v| v.contains("author"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_names_are_whole_words() {
        assert!(is_furniture_name("entry-meta"));
        assert!(is_furniture_name("wp-caption alignnone"));
        assert!(is_furniture_name("c-pull-quote"));
        assert!(
            !is_furniture_name("star-rating ratings"),
            "rating widgets stay: extraction reads them"
        );
        assert!(is_furniture_name("sharedaddy sd-sharing-enabled"));
        assert!(!is_furniture_name("entry-content"));
        assert!(!is_furniture_name("header-advanced"), "no word 'ad' in it");
        assert!(!is_furniture_name("metadata-free shadow"));
    }
}
