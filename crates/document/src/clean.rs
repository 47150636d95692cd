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
//! Three safeguards keep the article itself: an element holding a large
//! part of the page's text (of its paragraphs, or of its text outside
//! links) is never removed for its class alone, unless it is a comment
//! section; a post's own class list (`hentry`, `type-post`: its
//! `tag-…` and `category-…` classes name its terms) is no furniture; and
//! elements that carry the article (`<article>`, `<main>`,
//! `itemprop="articleBody"`) are never removed.
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

/// Opens the wrappers that hold much of the page, which whatever reads
/// the page would otherwise drop whole (the children take the wrapper's
/// place):
///
/// - a `<noscript>` with a quarter of the page's text: html5ever parses
///   with scripting off, so a stray `<noscript>` that a page never closes
///   (`<noscript><div id="nojs"></noscript>`) swallows everything after
///   it, which a browser would show;
/// - a `<form>` with half of it: a page built as one form (ASP.NET's
///   `<form id="HtmlForm1">` around everything).
pub(crate) fn open_wrappers(page: &dom_query::Document) {
    /// Bytes of text a wrapper must hold to be opened.
    const MIN_WRAPPER: usize = 200;
    let Some(body) = page.body() else {
        return;
    };
    let wrappers = page.select("body noscript, body form");
    if wrappers.is_empty() {
        return;
    }
    // The page's text, counted once and only when a wrapper holds some.
    let mut total = None;
    for node in wrappers.nodes() {
        let text: usize = node.children_it(false).map(|c| Weight::of(&c).text).sum();
        if text < MIN_WRAPPER {
            continue;
        }
        let total = *total.get_or_insert_with(|| Weight::of(&body).text);
        let share = if node.node_name().as_deref() == Some("form") {
            2
        } else {
            4
        };
        if text * share >= total
            && let Some(child) = node.first_child()
        {
            // (unwraps the child's parent: the wrapper)
            child.unwrap_node();
        }
    }
}

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
    let furniture = node
        .attr("class")
        .is_some_and(|c| is_furniture_name(&c) && !is_post_class(&c))
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
    // its class says ("article-meta-wrapper", "penci_sidebar"); but a
    // comment section is never the article, however long its thread.
    let comments = || {
        [node.attr("class"), node.attr("id")]
            .into_iter()
            .flatten()
            .any(|v| is_comments_name(&v))
    };
    if furniture && Weight::of(node).is_minor_part_of(total, comments()) {
        Fate::Remove
    } else {
        Fate::Keep
    }
}

/// How much text an element holds: all of it, the part in paragraphs, and
/// the part outside links.
#[derive(Debug, Clone, Copy)]
struct Weight {
    text: usize,
    paragraphs: usize,
    unlinked: usize,
}

impl Weight {
    fn of(node: &NodeRef) -> Weight {
        let mut w = Weight {
            text: 0,
            paragraphs: 0,
            unlinked: 0,
        };
        let mut stack = vec![(*node, false, false)];
        while let Some((x, in_p, in_a)) = stack.pop() {
            if x.is_text() {
                let n = text_len(&x);
                w.text += n;
                if in_p {
                    w.paragraphs += n;
                }
                if !in_a {
                    w.unlinked += n;
                }
            } else if x.is_element() {
                let name = x.node_name().unwrap_or_default();
                if matches!(&*name, "script" | "style" | "noscript" | "template") {
                    continue;
                }
                let in_p = in_p || &*name == "p";
                let in_a = in_a || &*name == "a";
                stack.extend(x.children_it(false).map(|c| (c, in_p, in_a)));
            }
        }
        w
    }

    /// Whether this is a small part of `whole`: under a quarter of its
    /// paragraph text (or, on pages without paragraphs, of its text), and
    /// under a third of its text outside links (an article written in
    /// `<br>`-separated lines has little paragraph text).
    ///
    /// A comment section is judged by its paragraphs alone.
    fn is_minor_part_of(self, whole: Weight, comments: bool) -> bool {
        let minor = if whole.paragraphs >= 200 {
            self.paragraphs * 4 < whole.paragraphs
        } else {
            self.text * 4 < whole.text
        };
        minor && (comments || self.unlinked * 3 < whole.unlinked)
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

/// Whether a class or id names a comment section.
fn is_comments_name(value: &str) -> bool {
    value
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, "comment" | "comments" | "disqus" | "respond"))
}

/// Whether a class list is the one WordPress and hAtom give a post
/// (`post-12 post type-post status-publish hentry tag-drama
/// category-news`): its taxonomy classes (`tag-…`, `category-…`) name
/// the post's terms, not a tag list.
fn is_post_class(value: &str) -> bool {
    value.split_ascii_whitespace().any(|c| {
        c.eq_ignore_ascii_case("hentry")
            || c.eq_ignore_ascii_case("type-post")
            || c.eq_ignore_ascii_case("status-publish")
    })
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
