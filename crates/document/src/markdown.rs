//! Markdown with optional YAML (`---`) or TOML (`+++`) front matter.
//!
//! The front matter is parsed with a real YAML or TOML parser into
//! [`Meta::fields`](crate::Meta); the body with `pulldown-cmark`. Hard line
//! breaks (including inline `<br/>`) end a block, so "Label: text" lines stay
//! apart; inline HTML tags are dropped, their text kept.

use crate::{Block, BlockKind, Document, collapse_whitespace, front_matter_fence};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use verdict_core::{Diagnostic, Span};

pub(crate) fn parse(doc: &mut Document) {
    let text = doc.text.clone();
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut body_start = 0;
    if let Some(fence) = front_matter_fence(&text) {
        let after_open = bom
            + fence.len()
            + if text[bom + fence.len()..].starts_with("\r\n") {
                2
            } else {
                1
            };
        // Find the closing fence line.
        let mut offset = after_open;
        let mut close = None;
        for line in text[after_open..].split_inclusive('\n') {
            if line.trim_end() == fence {
                close = Some((offset, offset + line.len()));
                break;
            }
            offset += line.len();
        }
        if let Some((close_start, close_end)) = close {
            let raw = &text[after_open..close_start];
            match front_matter(fence, raw) {
                Ok(fields) => apply_fields(doc, fields),
                Err(reason) => doc.diagnostics.push(Diagnostic::warning(
                    "frontmatter.invalid",
                    format!("front matter ignored: {reason}"),
                )),
            }
            body_start = close_end;
        }
    }
    doc.blocks = blocks(&text[body_start..], body_start);
}

fn front_matter(fence: &str, raw: &str) -> Result<BTreeMap<String, String>, String> {
    let value: serde_json::Value = if fence == "---" {
        serde_saphyr::from_str(raw).map_err(|e| format!("invalid YAML: {e}"))?
    } else {
        let table: toml::Table = toml::from_str(raw).map_err(|e| format!("invalid TOML: {e}"))?;
        toml_to_json(toml::Value::Table(table))
    };
    let mut fields = BTreeMap::new();
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if let Some(s) = scalar_text(&v) {
                    fields.insert(k.to_lowercase(), s);
                }
            }
        }
        serde_json::Value::Null => {}
        _ => return Err("not a mapping of fields".to_string()),
    }
    Ok(fields)
}

/// TOML values as JSON, dates and times as their TOML text.
fn toml_to_json(v: toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)
        }
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(items) => items.into_iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect(),
    }
}

fn scalar_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(scalar_text).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

fn apply_fields(doc: &mut Document, fields: BTreeMap<String, String>) {
    let pick = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| fields.get(*k).filter(|v| !v.is_empty()).cloned())
    };
    doc.meta.title = pick(&["title"]);
    doc.meta.author = pick(&["author", "critic", "reviewer", "authors"]);
    doc.meta.published = pick(&["date", "published", "pubdate", "publishdate"]);
    doc.meta.site_name = pick(&["site", "outlet", "publication", "site_name", "publisher"]);
    doc.meta.description = pick(&["description", "summary", "excerpt"]);
    doc.meta.fields = fields;
}

#[derive(Default)]
struct Line {
    text: String,
    start: Option<usize>,
    end: usize,
}

/// Blocks of a Markdown body that starts at `base` in the document text.
pub(crate) fn blocks(body: &str, base: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let mut line = Line::default();
    let mut quote_depth = 0usize;
    let mut item_depth = 0usize;
    let mut heading = false;
    let mut struck = 0usize;
    let mut in_code = false;
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    let flush = |line: &mut Line, out: &mut Vec<Block>, quote: bool, item: bool, heading: bool| {
        let text = collapse_whitespace(&line.text);
        if !text.is_empty() {
            let kind = if quote {
                BlockKind::Quote
            } else if heading {
                BlockKind::Heading
            } else if item {
                BlockKind::ListItem
            } else {
                BlockKind::Paragraph
            };
            let span = line.start.map(|s| Span::new(base + s, base + line.end));
            out.push(Block { kind, text, span });
        }
        *line = Line::default();
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let (q, i, h) = (quote_depth > 0, item_depth > 0, heading);
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                flush(&mut line, &mut out, q, i, h);
                quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(&mut line, &mut out, q, i, h);
                quote_depth = quote_depth.saturating_sub(1);
            }
            Event::Start(Tag::Item) => {
                flush(&mut line, &mut out, q, i, h);
                item_depth += 1;
            }
            Event::End(TagEnd::Item) => {
                flush(&mut line, &mut out, q, i, h);
                item_depth = item_depth.saturating_sub(1);
            }
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut line, &mut out, q, i, h);
                heading = true;
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut line, &mut out, q, i, h);
                heading = false;
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                flush(&mut line, &mut out, q, i, h);
            }
            Event::Start(Tag::Strikethrough) => struck += 1,
            Event::End(TagEnd::Strikethrough) => struck = struck.saturating_sub(1),
            Event::End(TagEnd::Paragraph | TagEnd::TableCell | TagEnd::TableRow) => {
                flush(&mut line, &mut out, q, i, h)
            }
            Event::HardBreak => flush(&mut line, &mut out, q, i, h),
            Event::SoftBreak => line.text.push(' '),
            Event::Text(t) | Event::Code(t) if struck == 0 => {
                if in_code {
                    // Code blocks are not prose; keep them out of the review.
                    continue;
                }
                line.start.get_or_insert(range.start);
                line.end = range.end;
                line.text.push_str(&t);
            }
            Event::InlineHtml(html) => {
                let tag = html.trim().to_ascii_lowercase();
                if tag.starts_with("<br") {
                    flush(&mut line, &mut out, q, i, h);
                }
            }
            Event::Html(html) => {
                // An HTML block inside Markdown: keep its visible text.
                let fragment = dom_query::Document::fragment(html.to_string());
                let visible = collapse_whitespace(&fragment.text());
                if !visible.is_empty() {
                    line.start.get_or_insert(range.start);
                    line.end = range.end;
                    line.text.push_str(&visible);
                    line.text.push(' ');
                }
            }
            _ => {}
        }
    }
    flush(
        &mut line,
        &mut out,
        quote_depth > 0,
        item_depth > 0,
        heading,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use verdict_source::RawDocument;

    fn doc(text: &str) -> Document {
        crate::parse(&RawDocument::new("t.md", text.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn yaml_front_matter_and_line_blocks() {
        let d = doc(
            "---\ntitle: Red Rooms (2023)\ndate: 2025-01-20 17:42:44 +0100\ntags: [a, b]\n---\n<span class=\"x\">Premise:</span> A model.<br/>\n<span>Rating:</span> Good stuff.<br/>\n\n> A quoted user review.\n\nMine again.\n",
        );
        assert_eq!(d.format, crate::Format::Markdown);
        assert_eq!(d.meta.title.as_deref(), Some("Red Rooms (2023)"));
        assert_eq!(
            d.meta.published.as_deref(),
            Some("2025-01-20 17:42:44 +0100")
        );
        assert_eq!(d.meta.fields.get("tags").map(String::as_str), Some("a, b"));
        let texts: Vec<_> = d.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            texts,
            vec![
                (BlockKind::Paragraph, "Premise: A model."),
                (BlockKind::Paragraph, "Rating: Good stuff."),
                (BlockKind::Quote, "A quoted user review."),
                (BlockKind::Paragraph, "Mine again."),
            ]
        );
        let s = d.blocks[3].span.unwrap();
        assert_eq!(&d.text[s.start..s.end], "Mine again.");
    }

    #[test]
    fn toml_front_matter() {
        let d = doc(
            "+++\ntitle = \"Red Rooms\"\nauthor = \"A. Critic\"\ndate = 2025-10-20\n+++\nText.",
        );
        assert_eq!(d.meta.title.as_deref(), Some("Red Rooms"));
        assert_eq!(d.meta.published.as_deref(), Some("2025-10-20"));
        assert_eq!(d.meta.author.as_deref(), Some("A. Critic"));
    }

    #[test]
    fn broken_front_matter_is_a_diagnostic_not_a_failure() {
        let d = doc("---\ntitle: [unclosed\n---\nThe body stays.");
        assert!(
            d.diagnostics
                .iter()
                .any(|x| x.code == "frontmatter.invalid")
        );
        assert_eq!(d.blocks.last().unwrap().text, "The body stays.");
    }
}
