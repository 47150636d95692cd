//! HTML pages, parsed with html5ever (through `dom_query`).
//!
//! Metadata comes from the head (`<title>`, `og:` tags, author and date
//! meta, JSON-LD). The main content comes from `dom_smoothie`'s readability
//! pass, which drops navigation, sidebars, share buttons and comment
//! sections; when it finds no article, the `<body>` minus obvious chrome is
//! used instead. Readability keeps one node and its like siblings, which is
//! too little on some pages (a post of `<br>`-separated lines, a forum
//! thread, a text in several parts): the container the page names as its
//! content (`entry-content`, `articleBody`…), or else the element that
//! holds most of its paragraphs, is used instead when it holds much more.
//! A lead set between the headline and the text is put back at the head.
//! Either way the content is walked into line-sized blocks, `<blockquote>`
//! marking quotes.

use crate::{Block, BlockKind, Document, clean, collapse_whitespace};
use dom_query::NodeRef;
use verdict_core::Diagnostic;

pub(crate) fn parse(doc: &mut Document) {
    let page = load(&doc.text);
    let depth = read_meta(&page, doc);
    doc.page_lines = {
        let mut lines = Vec::new();
        if let Some(body) = page.body() {
            walk(&body, &mut |b: Block| lines.push(b.text));
        }
        lines
    };
    // Readability's cost grows with the square of the nesting depth; real
    // pages stay far below this, hostile ones do not get to use it.
    if depth > MAX_READABILITY_DEPTH {
        doc.diagnostics.push(Diagnostic::warning(
            "html.too-deep",
            format!("elements nested {depth} deep (over {MAX_READABILITY_DEPTH}); main-content pass skipped"),
        ));
        return body_without_chrome(&page, doc);
    }
    let cleaned = clean::clean(&page);
    // The container the page names as its content, walked before
    // readability changes the page: readability keeps too little of some
    // pages (a post of `<br>`-separated lines, a forum thread, an article
    // cut by an inline box), and the container then says more.
    let container = container_blocks(&page);
    let lead = find_lead(&page, &doc.meta);
    // One parse serves both: readability works on the cleaned page. One
    // strict attempt first, which is all most pages need; readability's
    // own sequence of ever looser attempts (each on a copy of the page)
    // only when that finds too little.
    let config = readability_config(&page);
    let strict = dom_smoothie::Readability::with_document(page, None, config.clone())
        .ok()
        .and_then(|mut r| {
            let article = r
                .parse_with_policy(dom_smoothie::ParsePolicy::Strict)
                .ok()?;
            (article.text_content.trim().chars().count() >= STRICT_ENOUGH).then_some((r, article))
        });
    let found = strict.or_else(|| {
        let page = load(&doc.text);
        clean::clean(&page);
        let mut r = dom_smoothie::Readability::with_document(page, None, config).ok()?;
        let article = r.parse().ok()?;
        Some((r, article))
    });
    let found = found.filter(|(_, a)| !a.text_content.trim().is_empty());
    let Some((readability, article)) = found else {
        return match container.filter(|c| c.named && c.chars >= MIN_CONTAINER) {
            Some(c) => doc.blocks = c.blocks,
            None => no_article(doc),
        };
    };
    let mut blocks = Vec::new();
    let root = readability.doc.select_single("#readability-page-1");
    match root.nodes().first() {
        Some(root) => walk(root, &mut |b| blocks.push(b)),
        None => {
            let content = dom_query::Document::fragment(article.content.to_string());
            walk(&content.root(), &mut |b| blocks.push(b));
        }
    }
    doc.blocks = match container {
        Some(c) if c.says_more_than(&blocks) => c.blocks,
        _ => blocks,
    };
    take_article_meta(doc, article, cleaned.byline);
    if let Some(lead) = lead {
        put_lead(doc, lead);
    }
}

/// Elements with text after the headline in which a lead is looked for…
const LEAD_WINDOW: usize = 8;
/// …and elements looked at, at most (containers entered included).
const LEAD_STEPS: usize = 64;

/// The lead (standfirst) a page sets between its headline and its text,
/// often outside the element that holds the text: the element just after
/// the first `<h1>` that says what the page's description says. A
/// headline's dek (a heading, a `dek` or `subhead` class) and a pull quote
/// are not a lead.
fn find_lead(page: &dom_query::Document, meta: &crate::Meta) -> Option<String> {
    let description = meta.description.as_deref()?;
    // The description's first words (descriptions are cut short, "…").
    let key: String = description.chars().take(40).collect();
    if key.chars().count() < 40 {
        return None;
    }
    let longest = description.len() + 200;
    // The headline: the first `<h1>` with words.
    let (h1, headline) = page.select("body h1").nodes().iter().find_map(|h| {
        let text = collapse_whitespace(&h.text());
        (!text.is_empty()).then_some((*h, text))
    })?;
    let mut at = following(&h1);
    let mut seen = 0;
    let mut steps = 0;
    while let Some(node) = at {
        steps += 1;
        if steps > LEAD_STEPS {
            return None;
        }
        let text = collapse_whitespace(&node.text());
        let list = matches!(
            node.node_name().as_deref(),
            Some("ul" | "ol" | "li" | "nav" | "aside" | "a")
        );
        if text.contains(&key) && !list {
            if text.len() <= longest && !text.contains(&headline) {
                return (!is_subtitle(&node)).then_some(text);
            }
            // A container holding the lead and more: look inside.
            at = node.first_element_child();
            continue;
        }
        if !text.is_empty() {
            seen += 1;
            if seen > LEAD_WINDOW {
                return None;
            }
        }
        at = following(&node);
    }
    None
}

/// The element after `node` in document order, its descendants skipped.
fn following<'a>(node: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let mut at = *node;
    loop {
        if let Some(next) = at.next_element_sibling() {
            return Some(next);
        }
        at = at.parent().filter(|p| p.is_element())?;
    }
}

/// Whether an element (or one inside it) is a headline's subtitle, or a
/// quote.
fn is_subtitle(node: &NodeRef) -> bool {
    let mut stack = vec![*node];
    while let Some(x) = stack.pop() {
        let name = x.node_name().unwrap_or_default();
        if matches!(
            &*name,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote"
        ) {
            return true;
        }
        if let Some(class) = x.attr("class") {
            let class = class.to_ascii_lowercase();
            if ["dek", "subhead", "sub-head", "quote"]
                .iter()
                .any(|w| class.contains(w))
            {
                return true;
            }
        }
        stack.extend(x.element_children());
    }
    false
}

/// Puts the lead at the head of the content (after its headings), when
/// the content does not have it.
fn put_lead(doc: &mut Document, lead: String) {
    let key: String = lead.chars().take(40).collect();
    if doc.blocks.iter().any(|b| b.text.contains(&key)) {
        return;
    }
    let at = doc
        .blocks
        .iter()
        .position(|b| b.kind != BlockKind::Heading)
        .unwrap_or(doc.blocks.len());
    doc.blocks.insert(
        at,
        Block {
            kind: BlockKind::Paragraph,
            text: lead,
            span: None,
        },
    );
}

/// Parses a page (and opens a `<noscript>` or `<form>` that holds it).
fn load(text: &str) -> dom_query::Document {
    let page = dom_query::Document::from(text);
    clean::open_wrappers(&page);
    page
}

/// The byline, date and site name readability found, where the head said
/// none.
/// Readability's settings for `page`: its own, unless a JSON-LD block of
/// the page is not JSON. Readability reads JSON-LD with a parser that, on
/// some malformed JSON, returns strings that are not UTF-8 (found by
/// fuzzing: a date made of pieces of the page); such a page's JSON-LD is
/// left to our own reader (`items.rs`, serde_json), which refuses it.
fn readability_config(page: &dom_query::Document) -> Option<dom_smoothie::Config> {
    let malformed = page.select("script").nodes().iter().any(|node| {
        node.attr("type")
            .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"))
            && serde_json::from_str::<serde::de::IgnoredAny>(&node.text()).is_err()
    });
    malformed.then(|| dom_smoothie::Config {
        disable_json_ld: true,
        ..dom_smoothie::Config::default()
    })
}

fn take_article_meta(doc: &mut Document, article: dom_smoothie::Article, byline: Option<String>) {
    if doc.meta.author.is_none()
        && let Some(line) = article.byline.or(byline)
    {
        let (name, dateline) = split_byline(&strip_by(&collapse_whitespace(&line)));
        doc.meta.author = Some(name).filter(|n| !n.is_empty());
        if doc.meta.published.is_none() {
            doc.meta.published = dateline;
        }
    }
    if doc.meta.published.is_none() {
        doc.meta.published = article.published_time;
    }
    if doc.meta.site_name.is_none() {
        doc.meta.site_name = article.site_name;
    }
}

/// Characters (not counting white space) a named content container must
/// hold to be used.
const MIN_CONTAINER: usize = 200;
/// How much more than readability's text (in tenths) a named container
/// must hold to be used instead.
const CONTAINER_OVER_READABILITY: usize = 13;

/// Class and id words of the element that holds a page's content
/// (`entry-content`, `post-body`, `articleBody`…), lowercased.
const CONTAINER_NAMES: [&str; 16] = [
    "entry-content",
    "post-content",
    "post_content",
    "postcontent",
    "post-body",
    "postbody",
    "post-entry",
    "post-text",
    "article-content",
    "article-body",
    "article__body",
    "articlebody",
    "article-text",
    "story-body",
    "story-content",
    "blog-content",
];

/// The blocks of an element that holds the page's content, found by
/// markup before readability runs.
struct Container {
    blocks: Vec<Block>,
    /// Characters of the blocks that are not headings, white space not
    /// counted.
    chars: usize,
    /// Whether the page named it (`entry-content`…) rather than it being
    /// where the paragraphs are.
    named: bool,
}

impl Container {
    /// Whether the container is to be used instead of readability's
    /// `blocks`: it holds much more, and (unless the page named it as its
    /// content) holds most of what readability kept.
    fn says_more_than(&self, blocks: &[Block]) -> bool {
        let read = text_chars(blocks);
        if self.chars < MIN_CONTAINER || self.chars * 10 <= read * CONTAINER_OVER_READABILITY {
            return false;
        }
        // Readability kept a menu (mostly list items): it missed the
        // text, wherever that is.
        let menu: usize = blocks
            .iter()
            .filter(|b| b.kind == BlockKind::ListItem)
            .map(|b| chars(&b.text))
            .sum();
        if self.named || menu * 2 > read {
            return true;
        }
        let mine: std::collections::HashSet<&str> =
            self.blocks.iter().map(|b| b.text.as_str()).collect();
        let shared: usize = blocks
            .iter()
            .filter(|b| mine.contains(b.text.as_str()))
            .map(|b| chars(&b.text))
            .sum();
        shared * 5 >= read * 4
    }
}

/// Characters of the blocks that are not headings, white space not
/// counted.
fn text_chars(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .filter(|b| b.kind != BlockKind::Heading)
        .map(|b| chars(&b.text))
        .sum()
}

/// Characters of a text node, white space not counted, read in place.
fn own_chars(node: &NodeRef) -> usize {
    node.query_or(0, |n| match &n.data {
        dom_query::NodeData::Text { contents } => chars(contents),
        _ => 0,
    })
}

/// Characters of a text, white space not counted.
fn chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The cleaned page's named content container (the one with the most text
/// outside links, when several are named), or else the element where its
/// paragraphs are.
fn container_blocks(page: &dom_query::Document) -> Option<Container> {
    let body = page.body()?;
    let mut best: Option<(NodeRef, usize)> = None;
    let mut all = Vec::new();
    let mut stack = body.element_children();
    while let Some(node) = stack.pop() {
        let named = matches!(
            node.node_name().as_deref(),
            Some("div" | "article" | "section" | "main")
        ) && (node
            .attr("itemprop")
            .is_some_and(|v| v.contains("articleBody") || v.contains("reviewBody"))
            || [node.attr("class"), node.attr("id")]
                .into_iter()
                .flatten()
                .any(|v| {
                    let v = v.to_ascii_lowercase();
                    CONTAINER_NAMES.iter().any(|n| v.contains(n))
                }));
        if named {
            let chars = unlinked_chars(&node);
            if best.as_ref().is_none_or(|(_, c)| chars > *c) {
                best = Some((node, chars));
            }
            all.push(node);
        }
        stack.extend(node.element_children());
    }
    // A text cut into several containers of one class (a field per
    // paragraph): the element that holds them all.
    let best = best.map(|(node, chars)| {
        let class = node.attr("class");
        let parts: Vec<&NodeRef> = all
            .iter()
            .filter(|n| class.is_some() && n.attr("class") == class)
            .collect();
        if parts.len() < 2 {
            return (node, chars);
        }
        // The lowest ancestor of `node` that every part lies under.
        let chain: Vec<NodeRef> = node.ancestors_it(None).collect();
        let place: std::collections::HashMap<dom_query::NodeId, usize> =
            chain.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        let mut highest = 0;
        for p in parts {
            match p.ancestors_it(None).find_map(|a| place.get(&a.id)) {
                Some(&i) => highest = highest.max(i),
                None => return (node, chars),
            }
        }
        match chain.get(highest) {
            Some(a) if a.id != body.id => (*a, chars),
            _ => (node, chars),
        }
    });
    let walked = |node: NodeRef, named: bool| {
        let weights = link_weights(&node);
        let is_link_list = |n: &NodeRef| {
            n.node_name().as_deref() != Some("p")
                && weights
                    .get(&n.id)
                    .is_some_and(|&(all, unlinked)| all > 0 && unlinked * 4 < all)
        };
        let mut blocks = Vec::new();
        walk_but(&node, &is_link_list, &mut |b| blocks.push(b));
        let chars = text_chars(&blocks);
        Container {
            blocks,
            chars,
            named,
        }
    };
    match best {
        Some((node, _)) => Some(walked(node, true)),
        None => paragraph_mass(&body).map(|node| walked(node, false)),
    }
}

/// A paragraph counts towards the mass when it holds this many characters
/// (white space not counted)…
const MASS_PARAGRAPH: usize = 40;
/// …at most half of them in links.
const MASS_LINKED: f64 = 0.5;
/// The container holds this share of the page's paragraph mass.
const MASS_SHARE: f64 = 0.6;

/// Where the page's paragraphs are, when it names no content container:
/// the deepest element that holds most of the text of its paragraphs
/// (`<p>` of some length, not mostly links). Readability keeps one node
/// and those of its siblings that score alike; an article cut in parts
/// (a letter and its signatures, a text in several fields) keeps too
/// little, and this element holds it all.
fn paragraph_mass<'a>(body: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let mut paragraphs = Vec::new();
    let mut stack = vec![*body];
    // Text written straight into an element, between `<br>`s, is a
    // paragraph too (its own text only).
    let mut loose = Vec::new();
    while let Some(x) = stack.pop() {
        let own: usize = x
            .children_it(false)
            .filter(|c| c.is_text())
            .map(|c| own_chars(&c))
            .sum();
        if own >= MASS_PARAGRAPH && x.id != body.id {
            loose.push((x, own));
        }
        for c in x.element_children() {
            match c.node_name().as_deref() {
                Some("p") => paragraphs.push(c),
                Some("script" | "style" | "noscript" | "template" | "svg" | "a") => {}
                _ => stack.push(c),
            }
        }
    }
    let mut mass: std::collections::HashMap<dom_query::NodeId, usize> =
        std::collections::HashMap::new();
    let mut total = 0usize;
    let paragraphs = paragraphs.into_iter().filter_map(|p| {
        let all = chars(&p.text());
        (all >= MASS_PARAGRAPH && (unlinked_chars(&p) as f64) >= all as f64 * (1.0 - MASS_LINKED))
            .then_some((p, all))
    });
    for (p, all) in paragraphs.chain(loose) {
        total += all;
        *mass.entry(p.id).or_default() += all;
        for a in p.ancestors_it(None) {
            if a.id == body.id {
                break;
            }
            *mass.entry(a.id).or_default() += all;
        }
    }
    let enough = total as f64 * MASS_SHARE;
    let mut at = None;
    let mut children = body.element_children();
    while let Some(next) = children
        .into_iter()
        .find(|c| mass.get(&c.id).is_some_and(|&m| m as f64 >= enough))
    {
        children = next.element_children();
        at = Some(next);
    }
    at
}

/// Each element's characters under `root` (white space not counted): all
/// of them, and those outside links, in one pass. A block mostly of links
/// (a list of other pages, "read also") is left out of a container walked
/// whole, as readability leaves it out of what it keeps.
fn link_weights(root: &NodeRef) -> std::collections::HashMap<dom_query::NodeId, (usize, usize)> {
    let mut out = std::collections::HashMap::new();
    // (node, inside a link, children done)
    let mut stack = vec![(*root, false, false)];
    while let Some((node, in_a, done)) = stack.pop() {
        if done {
            let mut sum = (0, 0);
            for c in node.children_it(false) {
                if c.is_text() {
                    let n = own_chars(&c);
                    sum.0 += n;
                    if !in_a {
                        sum.1 += n;
                    }
                } else if let Some(&(all, unlinked)) = out.get(&c.id) {
                    sum.0 += all;
                    sum.1 += unlinked;
                }
            }
            out.insert(node.id, sum);
            continue;
        }
        let name = node.node_name().unwrap_or_default();
        if matches!(&*name, "script" | "style" | "noscript" | "template") {
            continue;
        }
        let in_a = in_a || &*name == "a";
        stack.push((node, in_a, true));
        stack.extend(
            node.element_children()
                .into_iter()
                .map(|c| (c, in_a, false)),
        );
    }
    out
}

/// Characters of an element's text outside links (white space not
/// counted).
fn unlinked_chars(node: &NodeRef) -> usize {
    let mut n = 0;
    let mut stack = vec![*node];
    while let Some(x) = stack.pop() {
        if x.is_text() {
            n += own_chars(&x);
        } else if x.is_element() {
            if matches!(
                x.node_name().as_deref(),
                Some("a" | "script" | "style" | "noscript" | "template")
            ) {
                continue;
            }
            stack.extend(x.children_it(false));
        }
    }
    n
}

/// The fallback when readability finds no article: the page's body minus
/// obvious chrome (the page is parsed again; readability changed it).
fn no_article(doc: &mut Document) {
    let page = load(&doc.text);
    body_without_chrome(&page, doc);
}

fn body_without_chrome(page: &dom_query::Document, doc: &mut Document) {
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

/// Reads the metadata in one pass over the page, in document order (the
/// first non-empty value of each kind wins), and returns the deepest
/// element nesting.
fn read_meta(page: &dom_query::Document, doc: &mut Document) -> usize {
    #[derive(Default)]
    struct Found {
        title: Option<String>,
        h1: Option<String>,
        og_title: Option<String>,
        og_type: Option<String>,
        site_name: Option<String>,
        author: Option<String>,
        published: Option<String>,
        time: Option<String>,
        description: Option<String>,
        json_ld: Vec<String>,
    }
    let mut f = Found::default();
    let text_of = |n: &NodeRef| Some(collapse_whitespace(&n.text())).filter(|t| !t.is_empty());
    let mut deepest = 0;
    let mut stack = vec![(page.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        let name = node.node_name().unwrap_or_default();
        match &*name {
            "title" if f.title.is_none() => f.title = text_of(&node),
            "h1" if f.h1.is_none() => f.h1 = text_of(&node),
            "time" if f.time.is_none() => f.time = node.attr("datetime").map(|d| d.to_string()),
            "script" => {
                if node
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
                {
                    f.json_ld.push(node.text().to_string());
                }
                continue;
            }
            "meta" => {
                let content = node
                    .attr("content")
                    .map(|c| collapse_whitespace(&c))
                    .filter(|c| !c.is_empty());
                let key = node
                    .attr("property")
                    .or_else(|| node.attr("name"))
                    .or_else(|| node.attr("itemprop"))
                    .map(|k| k.to_string())
                    .unwrap_or_default();
                let slot = match key.as_str() {
                    "og:title" | "twitter:title" => &mut f.og_title,
                    "og:type" => &mut f.og_type,
                    "og:site_name" | "application-name" => &mut f.site_name,
                    "author" | "article:author" | "byl" => &mut f.author,
                    "article:published_time" | "date" | "datePublished" | "pubdate" => {
                        &mut f.published
                    }
                    "description" | "og:description" => &mut f.description,
                    _ => continue,
                };
                if slot.is_none() {
                    *slot = content;
                }
                continue;
            }
            "style" | "noscript" | "template" => continue,
            _ => {}
        }
        for child in node.children_it(true) {
            if child.is_element() {
                stack.push((child, depth + 1));
            }
        }
    }
    doc.meta.title = f.title;
    doc.meta.og_title = f.og_title;
    doc.meta.og_type = f.og_type;
    doc.meta.h1 = f.h1;
    doc.meta.site_name = f.site_name;
    doc.meta.author = f
        .author
        .filter(|a| !a.starts_with("http"))
        .map(|a| strip_by(&a));
    doc.meta.published = f.published.or(f.time);
    doc.meta.description = f.description;
    doc.meta.json_ld = f.json_ld;
    doc.meta.items = crate::items::read(page);
    doc.meta.link_text = link_text(page, &doc.meta.json_ld);
    deepest
}

/// Addresses a page's JSON-LD names, at most this many.
const MAX_LINKED: usize = 2_000;
/// A link's context is at most this long (longer: a whole section, not
/// the link's line).
const MAX_LINK_TEXT: usize = 600;
/// Bytes of element text read for the links' contexts, for one page, at
/// most (a hostile page's links all inside one huge element).
const MAX_LINK_TEXT_WORK: usize = 4 << 20;

/// The text around each link or `cite` of the page to an address its
/// JSON-LD names: the link's element, or the nearest of its ancestors (up
/// to four levels) with some text of its own besides the link's.
fn link_text(
    page: &dom_query::Document,
    json_ld: &[String],
) -> std::collections::BTreeMap<String, String> {
    let mut wanted = std::collections::BTreeSet::new();
    for block in json_ld {
        let mut rest = block.as_str();
        while let Some(at) = rest.find("http") {
            let tail = &rest[at..];
            let end = tail.find(['"', ' ', '\n', '<', '>']).unwrap_or(tail.len());
            let url = tail[..end].replace("\\/", "/");
            if url.starts_with("http://") || url.starts_with("https://") {
                wanted.insert(url);
            }
            if wanted.len() >= MAX_LINKED {
                break;
            }
            rest = &tail[end..];
        }
    }
    let mut out = std::collections::BTreeMap::new();
    if wanted.is_empty() {
        return out;
    }
    let mut left = MAX_LINK_TEXT_WORK;
    for node in page.select("a[href], blockquote[cite], q[cite]").nodes() {
        if left == 0 {
            break;
        }
        let Some(url) = node.attr("href").or_else(|| node.attr("cite")) else {
            continue;
        };
        let url = url.trim();
        if !wanted.contains(url) || out.contains_key(url) {
            continue;
        }
        let own = node.text();
        left = left.saturating_sub(own.len());
        let own = collapse_whitespace(&own);
        let mut at = *node;
        let mut text = own.clone();
        for _ in 0..4 {
            if text.chars().count() >= own.chars().count() + 20 {
                break;
            }
            let Some(parent) = at.parent().filter(|p| p.is_element()) else {
                break;
            };
            let t = parent.text();
            left = left.saturating_sub(t.len());
            text = collapse_whitespace(&t);
            at = parent;
            if left == 0 {
                break;
            }
        }
        if !text.is_empty() && text.chars().count() <= MAX_LINK_TEXT {
            out.insert(url.to_string(), text);
        }
    }
    out
}

/// Characters of text a strict readability attempt must find to be kept
/// (readability's own threshold).
const STRICT_ENOUGH: usize = 500;

/// Nesting depth above which the readability pass is skipped.
const MAX_READABILITY_DEPTH: usize = 512;

/// "Felix Marr · 2 August 2021" → ("Felix Marr", Some("2 August 2021")):
/// a byline's name ends at its first separator (" · ", " | ", " / ", " • ",
/// a dash or a comma); what follows is kept when it may be a date (it
/// holds a year), for the extract stage to read.
fn split_byline(line: &str) -> (String, Option<String>) {
    let cut = [" · ", " | ", " / ", " • ", " — ", " – ", " - ", ", "]
        .iter()
        .filter_map(|sep| line.find(sep).map(|i| (i, sep.len())))
        .min();
    let Some((at, len)) = cut else {
        return (line.trim().to_string(), None);
    };
    let rest = line[at + len..].trim();
    let has_year = rest
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit) && (w[0] == b'1' || w[0] == b'2'));
    (
        line[..at].trim().to_string(),
        has_year.then(|| rest.to_string()),
    )
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

/// Elements whose text is never read (`rt`, `rp`: ruby's readings of the
/// characters they annotate).
const SKIP: [&str; 16] = [
    "script", "style", "noscript", "template", "svg", "form", "button", "nav", "iframe", "select",
    "textarea", "input", "img", "head", "rt", "rp",
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

/// Characters a page may hold that show nothing (soft hyphen, zero-width
/// space).
const INVISIBLE: [char; 2] = ['\u{ad}', '\u{200b}'];

/// Walks `root` in document order and emits one block per line of visible
/// text. Iterative, so hostile nesting depth cannot overflow the stack.
fn walk(root: &NodeRef, emit: &mut dyn FnMut(Block)) {
    walk_but(root, &|_| false, emit)
}

/// [`walk`], leaving out the elements `skip` names.
fn walk_but(root: &NodeRef, skip: &dyn Fn(&NodeRef) -> bool, emit: &mut dyn FnMut(Block)) {
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
        // Soft hyphens and zero-width spaces are invisible: words, not
        // their break opportunities.
        if line.contains(INVISIBLE) {
            line.retain(|c| !INVISIBLE.contains(&c));
        }
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
                    if skip(&node) {
                        continue;
                    }
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
    use super::split_byline;
    use crate::{BlockKind, Format};
    use verdict_source::RawDocument;

    #[test]
    fn malformed_json_ld_is_kept_from_readability() {
        let page = |ld: &str| {
            super::load(&format!(
                "<html><head><script type=\"application/ld+json\">{ld}</script></head><body><p>x</p></body></html>"
            ))
        };
        let valid = r#"{"@type":"NewsArticle","datePublished":"2021-04-30"}"#;
        assert!(super::readability_config(&page(valid)).is_none());
        let broken = r#"{"@type":"NewsArticle",n"ame":"x","datePublished":"2021-04-30"#;
        let config = super::readability_config(&page(broken)).expect("a config of its own");
        assert!(config.disable_json_ld);
    }

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

    const REVIEW_PAGE: &str = r#"<!DOCTYPE html><html><head><title>Late Shift review | Film Notes</title></head><body>
<header class="site-header"><a href="/">Film Notes</a><ul class="menu"><li>Reviews</li><li>Lists</li></ul></header>
<main><article class="post">
<h1>Late Shift review</h1>
<div class="entry-meta"><span class="byline">By <a rel="author" href="/jane">Jane Critic</a></span> <time datetime="2024-09-06">6 September 2024</time></div>
<figure class="wp-block-image"><img src="a.jpg" alt="A nurse at night"><figcaption>Leonie Benesch in Late Shift. Photo: Zodiac Pictures</figcaption></figure>
<div class="review-box star-rating"><span class="stars">★★★★☆</span> <span>4/5</span></div>
<p>Late Shift follows a nurse through one understaffed night on a surgical ward, and it never lets the tension drop. Every small task becomes a race against the clock.</p>
<aside class="pullquote"><p>It never lets the tension drop.</p></aside>
<p>The lead performance is precise and generous, and the direction keeps the camera close without ever feeling showy. It is one of the most gripping films of the year.</p>
<blockquote><p>“The best hospital film in years,” wrote another critic.</p></blockquote>
<p>Verdict: a quiet, urgent film about the people who keep hospitals running.</p>
<div class="share-buttons"><a>Facebook</a> <a>Twitter</a> <a>Email</a></div>
<div class="tags">Tags: <a>drama</a> <a>Switzerland</a></div>
</article>
<section id="comments" class="comments-area"><h2>3 thoughts on “Late Shift review”</h2>
<ol class="comment-list"><li><p>Great review, I loved this film too and will see it again.</p></li></ol></section>
</main>
<div class="sidebar widget-area"><h3>Popular</h3><p>Ten films to see this autumn, ranked by how much we loved them.</p></div>
<footer>© 2024 Film Notes</footer></body></html>"#;

    #[test]
    fn review_page_furniture_is_dropped_and_the_rating_kept() {
        let d = parse(REVIEW_PAGE);
        let all: Vec<&str> = d.blocks.iter().map(|b| b.text.as_str()).collect();
        for kept in [
            "Late Shift follows a nurse",
            "The lead performance is precise",
            "Verdict: a quiet, urgent film",
            "★★★★☆ 4/5",
        ] {
            assert!(
                all.iter().any(|t| t.contains(kept)),
                "{kept:?} missing: {all:?}"
            );
        }
        for dropped in [
            "Photo: Zodiac",
            "It never lets the tension drop.",
            "Facebook",
            "Tags:",
            "thoughts on",
            "Great review",
            "Ten films",
            "By Jane Critic",
        ] {
            assert!(
                !all.iter().any(|t| t.contains(dropped)),
                "{dropped:?} kept: {all:?}"
            );
        }
        let quote = d
            .blocks
            .iter()
            .find(|b| b.text.contains("best hospital film"))
            .unwrap();
        assert_eq!(
            quote.kind,
            BlockKind::Quote,
            "a block quote is still a quote"
        );
        assert_eq!(
            d.meta.author.as_deref(),
            Some("Jane Critic"),
            "the byline feeds the metadata"
        );
        assert!(
            d.page_lines.iter().any(|l| l.contains("Photo: Zodiac")),
            "the page's lines keep everything"
        );
    }

    #[test]
    fn a_byline_gives_the_name_and_its_date() {
        assert_eq!(
            split_byline("Felix Marr · 2 August 2021"),
            ("Felix Marr".to_string(), Some("2 August 2021".to_string()))
        );
        assert_eq!(
            split_byline("Jane Doe, Chief Film Critic"),
            ("Jane Doe".to_string(), None)
        );
        assert_eq!(
            split_byline("Tomás Reyes"),
            ("Tomás Reyes".to_string(), None)
        );
        let d = parse(
            "<html><body><article><h1>Concrete Summer</h1>\
             <p class=\"byline\">By Felix Marr · 2 August 2021</p>\
             <p>A long enough paragraph about a film that never finds its feet, \
             full of handsome shots and expensive songs that add up to nothing much \
             at all, which is a shame given the talent involved in front of the camera.</p>\
             <p>Another paragraph, so that the page reads as an article to the \
             readability pass, which wants a little text before it trusts a page.</p>\
             </article></body></html>",
        );
        assert_eq!(d.meta.author.as_deref(), Some("Felix Marr"));
        assert_eq!(d.meta.published.as_deref(), Some("2 August 2021"));
    }

    #[test]
    fn script_text_is_never_content() {
        let d = parse("<html><body><p>Fine film.</p><script>alert('x')</script></body></html>");
        assert!(d.blocks.iter().all(|b| !b.text.contains("alert")));
    }

    const PARAGRAPHS: &str = "<p>Late Shift follows a nurse through one understaffed night on a \
        surgical ward, and it never lets the tension drop for a moment.</p>\
        <p>The lead performance is precise and generous, and the direction keeps the camera \
        close without ever feeling showy or pleased with itself.</p>\
        <p>It is one of the most gripping films of the year, and one of the kindest, a film \
        about the people who keep hospitals running.</p>";

    fn texts(d: &crate::Document) -> Vec<&str> {
        d.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn a_stray_noscript_or_a_page_wide_form_does_not_hide_the_page() {
        for (open, close) in [
            ("<noscript><div id=\"nojs\"></noscript>", ""),
            ("<form id=\"HtmlForm1\" method=\"post\">", "</form>"),
        ] {
            let d = parse(&format!(
                "<html><body>{open}<div><h1>Late Shift</h1>{PARAGRAPHS}</div>{close}</body></html>"
            ));
            let all = texts(&d);
            assert!(
                all.iter().any(|t| t.contains("most gripping films")),
                "{open}: {all:?}"
            );
        }
    }

    #[test]
    fn the_lead_under_the_headline_is_kept() {
        let d = parse(&format!(
            "<html><head><meta name=\"description\" content=\"A nurse, one night, \
             a ward short of hands: a film that never lets go.\"></head><body>\
             <header><h1>Late Shift review</h1>\
             <p class=\"intro\">A nurse, one night, a ward short of hands: a film that never lets go.</p>\
             </header><article>{PARAGRAPHS}</article></body></html>"
        ));
        let all = texts(&d);
        assert!(
            all.iter().any(|t| t.starts_with("A nurse, one night")),
            "{all:?}"
        );
    }

    #[test]
    fn invisible_characters_and_ruby_readings_are_not_text() {
        let d = parse(&format!(
            "<html><body><article><p>Ein Kran\u{ad}ken\u{ad}haus\u{200b}film, \
             <ruby>子<rt>こ</rt></ruby>ども.</p>{PARAGRAPHS}</article></body></html>"
        ));
        let all = texts(&d);
        assert!(
            all.iter()
                .any(|t| t.contains("Ein Krankenhausfilm, 子ども.")),
            "{all:?}"
        );
    }

    #[test]
    fn a_post_of_lines_in_a_widget_is_read_whole() {
        // Blogger: the post's lines between <br>s, inside a "widget".
        let lines = (0..12)
            .map(|i| format!("Line {i} of the post, long enough to be read as its text.<br>"))
            .collect::<String>();
        let d = parse(&format!(
            "<html><body><div class=\"header\"><p>A blog about films, and the odd \
             recipe, written since 2008 by someone who likes both a great deal.</p>\
             <p>Nothing here is true, least of all the recipes, which were made up on the spot \
             and never tried in any kitchen, by anyone, at any time.</p></div>\
             <div class=\"widget Blog\"><div class=\"post hentry\"><h3>Tach auch</h3>\
             <div class=\"post-body entry-content\">{lines}</div></div></div></body></html>"
        ));
        let all = texts(&d);
        for i in [0, 6, 11] {
            let line = format!("Line {i} of the post");
            assert!(all.iter().any(|t| t.starts_with(&line)), "{line}: {all:?}");
        }
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
        // The cost guard cuts the nest before the parser sees it.
        assert!(
            d.diagnostics.iter().any(|x| x.code == "html.bounded"),
            "{:?}",
            d.diagnostics
        );
    }
}
