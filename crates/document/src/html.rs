//! HTML pages, parsed with html5ever (through `dom_query`).
//!
//! Metadata comes from the head (`<title>`, `og:` tags, author and date
//! meta, JSON-LD). The main content comes from `dom_smoothie`'s readability
//! pass, which drops navigation, sidebars, share buttons and comment
//! sections; when it finds no article, the `<body>` minus obvious chrome is
//! used instead. Either way the content is walked into line-sized blocks,
//! `<blockquote>` marking quotes.

use crate::{Block, BlockKind, Document, collapse_whitespace};
use dom_query::NodeRef;
use verdict_core::Diagnostic;

pub(crate) fn parse(doc: &mut Document) {
    let page = dom_query::Document::from(doc.text.as_str());
    read_meta(&page, doc);
    doc.page_lines = {
        let mut lines = Vec::new();
        if let Some(body) = page.body() {
            walk(&body, &mut |b: Block| lines.push(b.text));
        }
        lines
    };
    // Readability's cost grows with the square of the nesting depth; real
    // pages stay far below this, hostile ones do not get to use it.
    let depth = max_depth(&page.root());
    let article = if depth > MAX_READABILITY_DEPTH {
        doc.diagnostics.push(Diagnostic::warning(
            "html.too-deep",
            format!("elements nested {depth} deep (over {MAX_READABILITY_DEPTH}); main-content pass skipped"),
        ));
        None
    } else {
        dom_smoothie::Readability::new(doc.text.as_str(), None, None)
            .ok()
            .and_then(|mut r| r.parse().ok())
    };
    match article {
        Some(article) if !article.text_content.trim().is_empty() => {
            if doc.meta.author.is_none() {
                doc.meta.author = article
                    .byline
                    .map(|b| strip_by(&collapse_whitespace(&b)))
                    .filter(|b| !b.is_empty());
            }
            if doc.meta.published.is_none() {
                doc.meta.published = article.published_time;
            }
            if doc.meta.site_name.is_none() {
                doc.meta.site_name = article.site_name;
            }
            let content = dom_query::Document::fragment(article.content.to_string());
            let root = content.root();
            walk(&root, &mut |b| doc.blocks.push(b));
        }
        _ => {
            doc.diagnostics.push(Diagnostic::info(
                "html.no-article",
                "no article found by the readability pass; using the page body",
            ));
            page.select("nav, header, footer, aside, form, #comments, .comments, #respond, .share, .sharedaddy, .related")
                .remove();
            if let Some(body) = page.body() {
                walk(&body, &mut |b| doc.blocks.push(b));
            }
        }
    }
}

fn read_meta(page: &dom_query::Document, doc: &mut Document) {
    let meta = |selector: &str| -> Option<String> {
        page.select(selector)
            .iter()
            .filter_map(|n| n.attr("content"))
            .map(|c| collapse_whitespace(&c))
            .find(|c| !c.is_empty())
    };
    let text_of = |selector: &str| -> Option<String> {
        let sel = page.select_single(selector);
        sel.exists()
            .then(|| collapse_whitespace(&sel.text()))
            .filter(|t| !t.is_empty())
    };
    doc.meta.title = text_of("title");
    doc.meta.og_title = meta(r#"meta[property="og:title"], meta[name="twitter:title"]"#);
    doc.meta.h1 = text_of("h1");
    doc.meta.site_name = meta(r#"meta[property="og:site_name"], meta[name="application-name"]"#);
    doc.meta.author =
        meta(r#"meta[name="author"], meta[property="article:author"], meta[name="byl"]"#)
            .filter(|a| !a.starts_with("http"))
            .map(|a| strip_by(&a));
    doc.meta.published = meta(
        r#"meta[property="article:published_time"], meta[name="date"], meta[itemprop="datePublished"], meta[name="pubdate"]"#,
    )
    .or_else(|| page.select("time[datetime]").iter().find_map(|n| n.attr("datetime").map(|d| d.to_string())));
    doc.meta.description = meta(r#"meta[name="description"], meta[property="og:description"]"#);
    doc.meta.json_ld = page
        .select(r#"script[type="application/ld+json"]"#)
        .iter()
        .map(|n| n.text().to_string())
        .collect();
}

/// Nesting depth above which the readability pass is skipped.
const MAX_READABILITY_DEPTH: usize = 512;

/// The deepest element nesting under `root`, counted without recursion.
fn max_depth(root: &NodeRef) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(*root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        for child in node.children() {
            if child.is_element() {
                stack.push((child, depth + 1));
            }
        }
    }
    deepest
}

/// "By Tomás Reyes" → "Tomás Reyes".
fn strip_by(byline: &str) -> String {
    let t = byline.trim();
    for prefix in [
        "Written by ",
        "Reviewed by ",
        "Words by ",
        "By ",
        "by ",
        "BY ",
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    t.to_string()
}

const SKIP: [&str; 14] = [
    "script", "style", "noscript", "template", "svg", "form", "button", "nav", "iframe", "select",
    "textarea", "input", "img", "head",
];
const BLOCK: [&str; 31] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "dl",
    "dt",
    "dd",
    "hr",
    "address",
    "details",
];

/// Walks `root` in document order and emits one block per line of visible
/// text. Iterative, so hostile nesting depth cannot overflow the stack.
fn walk(root: &NodeRef, emit: &mut dyn FnMut(Block)) {
    enum Step<'a> {
        Enter(NodeRef<'a>),
        Leave(Kind),
    }
    #[derive(Clone, Copy)]
    enum Kind {
        Plain,
        Quote,
        Heading,
        Item,
    }
    let mut line = String::new();
    let (mut quote, mut heading, mut item) = (0usize, 0usize, 0usize);
    let mut flush = |line: &mut String, quote: usize, heading: usize, item: usize| {
        let text = collapse_whitespace(line);
        line.clear();
        if text.is_empty() {
            return;
        }
        let kind = if quote > 0 {
            BlockKind::Quote
        } else if heading > 0 {
            BlockKind::Heading
        } else if item > 0 {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        };
        emit(Block {
            kind,
            text,
            span: None,
        });
    };
    let mut stack: Vec<Step> = root.children().into_iter().rev().map(Step::Enter).collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave(kind) => {
                flush(&mut line, quote, heading, item);
                match kind {
                    Kind::Quote => quote -= 1,
                    Kind::Heading => heading -= 1,
                    Kind::Item => item -= 1,
                    Kind::Plain => {}
                }
            }
            Step::Enter(node) => {
                if node.is_text() {
                    line.push_str(&node.text());
                    continue;
                }
                if !node.is_element() {
                    continue;
                }
                let name = node
                    .node_name()
                    .map(|n| n.to_ascii_lowercase())
                    .unwrap_or_default();
                if SKIP.contains(&name.as_str()) || node.attr("hidden").is_some() {
                    continue;
                }
                if name == "br" {
                    flush(&mut line, quote, heading, item);
                    continue;
                }
                if BLOCK.contains(&name.as_str()) {
                    flush(&mut line, quote, heading, item);
                    let kind = match name.as_str() {
                        "blockquote" => Kind::Quote,
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
                        "li" | "dd" | "dt" => Kind::Item,
                        _ => Kind::Plain,
                    };
                    match kind {
                        Kind::Quote => quote += 1,
                        Kind::Heading => heading += 1,
                        Kind::Item => item += 1,
                        Kind::Plain => {}
                    }
                    stack.push(Step::Leave(kind));
                }
                // An inline element's text simply joins the current line.
                for child in node.children().into_iter().rev() {
                    stack.push(Step::Enter(child));
                }
            }
        }
    }
    flush(&mut line, quote, heading, item);
}

#[cfg(test)]
mod tests {
    use crate::{BlockKind, Format};
    use verdict_source::RawDocument;

    fn parse(html: &str) -> crate::Document {
        crate::parse(&RawDocument::new("page.html", html.as_bytes().to_vec())).unwrap()
    }

    const PAGE: &str = r#"<!DOCTYPE html><html><head>
<title>Red Rooms movie review (2024) | Little White Lies</title>
<meta property="og:title" content="Red Rooms review – a claustrophobic nightmare">
<meta property="og:site_name" content="Little White Lies">
<meta name="author" content="Jane Critic">
<meta property="article:published_time" content="2024-09-06T09:00:00Z">
<script type="application/ld+json">{"@type":"Review"}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/films">Films</a></nav>
<article>
<h1>Red Rooms review</h1>
<p>Pascal Plante’s haunting drama examines the dark reality of the true crime industrial complex in elegant and austere fashion, and it is <em>very</em> good.</p>
<p>Red Rooms, for the uninitiated, are the stuff of internet legend. Rumoured to exist on the dark web, these portals connect paying voyeurs with criminals.</p>
<blockquote><p>One user wrote that it was boring and bad.</p></blockquote>
<p>Blending courtroom drama and claustrophobic nightmare, Red Rooms is a striking and austere examination of the true-crime industrial complex.<br>Second line.</p>
</article>
<div id="comments"><h3>Leave a Reply</h3><form><textarea></textarea></form></div>
<footer>© 2024</footer>
</body></html>"#;

    #[test]
    fn reads_meta_and_main_content() {
        let d = parse(PAGE);
        assert_eq!(d.format, Format::Html);
        assert_eq!(
            d.meta.title.as_deref(),
            Some("Red Rooms movie review (2024) | Little White Lies")
        );
        assert_eq!(d.meta.site_name.as_deref(), Some("Little White Lies"));
        assert_eq!(d.meta.author.as_deref(), Some("Jane Critic"));
        assert_eq!(d.meta.published.as_deref(), Some("2024-09-06T09:00:00Z"));
        assert_eq!(d.meta.json_ld.len(), 1);
        let all: Vec<&str> = d.blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(all.iter().any(|t| t.contains("it is very good")), "{all:?}");
        assert!(!all.iter().any(|t| t.contains("Home")), "{all:?}");
        assert!(!all.iter().any(|t| t.contains("Leave a Reply")), "{all:?}");
        let quote = d
            .blocks
            .iter()
            .find(|b| b.text.contains("One user wrote"))
            .unwrap();
        assert_eq!(quote.kind, BlockKind::Quote);
        assert!(all.contains(&"Second line."), "{all:?}");
    }

    #[test]
    fn script_text_is_never_content() {
        let d = parse("<html><body><p>Fine film.</p><script>alert('x')</script></body></html>");
        assert!(d.blocks.iter().all(|b| !b.text.contains("alert")));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!(
            "<html><body>{}deep text{}</body></html>",
            "<div>".repeat(5_000),
            "</div>".repeat(5_000)
        );
        let d = parse(&html);
        assert!(d.page_lines.iter().any(|l| l == "deep text"));
        assert!(d.diagnostics.iter().any(|x| x.code == "html.too-deep"));
    }
}
