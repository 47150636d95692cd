//! The second stage: a document's bytes become text, metadata and blocks.
//!
//! [`parse`] decodes the bytes (UTF-8, or a detected legacy encoding such as
//! windows-1252), detects the format **by content** (never by file name),
//! and hands back a [`Document`]: the decoded text that spans point into,
//! the metadata the format carries (front matter, `<title>`, `og:` tags…),
//! and the main content as a list of line-sized [`Block`]s, with quoted
//! material marked as such.
//!
//! Only two things refuse a document: it is empty, or it is binary. Every
//! other oddity becomes a [`Diagnostic`] on the document.

mod clean;
mod decode;
mod guard;
mod html;
pub mod items;
mod markdown;
mod text;

use serde::Serialize;
use std::collections::BTreeMap;
use verdict_core::{Diagnostic, Span};
use verdict_source::RawDocument;

pub use decode::{decode, decode_declared};

/// What kind of document it is, as detected from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// Metadata a document declares about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
    /// Front-matter `title` or HTML `<title>`.
    pub title: Option<String>,
    /// HTML `og:title`.
    pub og_title: Option<String>,
    /// The first `<h1>`.
    pub h1: Option<String>,
    /// HTML `og:type` ("article", "video.movie").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub og_type: Option<String>,
    /// `og:site_name`, or a front-matter `site`/`outlet`/`publication`.
    pub site_name: Option<String>,
    /// Author meta, byline, or front-matter `author`.
    pub author: Option<String>,
    /// Publication date as written (front-matter `date`, `article:published_time`).
    pub published: Option<String>,
    pub description: Option<String>,
    /// Every scalar front-matter field, keys lowercased; lists joined by ", ".
    pub fields: BTreeMap<String, String>,
    /// Raw JSON-LD blocks found in an HTML page.
    pub json_ld: Vec<String>,
    /// The page's microdata items and hReviews, in JSON-LD's shape
    /// ([`items`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<serde_json::Value>,
    /// The visible text around each link (or `cite`) of the page to an
    /// address its JSON-LD names: a listed review's line in the page, where
    /// its original rating may be written ("September 5, 2018 | Rating:
    /// 4/5 | Full Review…"). Keyed by the address.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub link_text: BTreeMap<String, String>,
}

/// What a block of content is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Heading,
    Paragraph,
    ListItem,
    /// Someone else's words (a blockquote).
    Quote,
}

/// One line-sized piece of the main content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    /// The visible text, markup removed, whitespace collapsed.
    pub text: String,
    /// Where the block sits in [`Document::text`], when known.
    pub span: Option<Span>,
}

/// A decoded, parsed document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Path, URL or "-".
    pub origin: String,
    pub content_hash: String,
    pub format: Format,
    /// The decoded source text; every span points into it.
    #[serde(skip)]
    pub text: String,
    pub meta: Meta,
    /// The main content, in reading order.
    pub blocks: Vec<Block>,
    /// For HTML: every visible line of the page, including parts the
    /// main-content pass dropped (rating widgets live there).
    #[serde(skip)]
    pub page_lines: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a document cannot be read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DocumentError {
    #[error("{origin}: empty document")]
    Empty { origin: String },
    #[error("{origin}: binary file ({what}), not a review")]
    Binary { origin: String, what: String },
}

/// Decodes and parses one document.
pub fn parse(raw: &RawDocument) -> Result<Document, DocumentError> {
    let (text, mut diagnostics) = decode::decode_declared(&raw.origin, &raw.bytes, raw.charset())?;
    if text.trim().is_empty() {
        return Err(DocumentError::Empty {
            origin: raw.origin.clone(),
        });
    }
    let format = detect(&text);
    let mut doc = Document {
        origin: raw.origin.clone(),
        content_hash: raw.content_hash.clone(),
        format,
        text,
        meta: Meta::default(),
        blocks: Vec::new(),
        page_lines: Vec::new(),
        diagnostics: Vec::new(),
    };
    match format {
        Format::Text => text::parse(&mut doc),
        Format::Markdown => markdown::parse(&mut doc),
        Format::Html => {
            if let Some((page, why)) = guard::bound(&doc.text, guard::Limits::PAGE) {
                doc.diagnostics.push(Diagnostic::warning(
                    "html.bounded",
                    format!("{why}: parsed without the excess (tags past the limits left out, their text kept)"),
                ));
                doc.text = page;
            }
            html::parse(&mut doc)
        }
    }
    diagnostics.append(&mut doc.diagnostics);
    doc.diagnostics = diagnostics;
    Ok(doc)
}

/// Detects the format from the text itself.
///
/// - HTML: the text starts with a tag (`<!DOCTYPE`, `<html>`, `<div>`…) or
///   contains `<html`/`<body`.
/// - Markdown: YAML (`---`) or TOML (`+++`) front matter, or clear Markdown
///   structure (ATX headings, fenced code, links, block quotes).
/// - Otherwise plain text.
pub fn detect(text: &str) -> Format {
    let head: String = text.trim_start().chars().take(4096).collect::<String>();
    let lower = head.to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.starts_with("<?xml") && lower.contains("<html")
        || lower.contains("<html")
        || lower.contains("<body")
        || lower.starts_with("<head")
    {
        return Format::Html;
    }
    if front_matter_fence(text).is_some() {
        return Format::Markdown;
    }
    if lower.starts_with('<') && html_tag_lines(&lower) >= 2 {
        return Format::Html;
    }
    let mut signals = 0;
    for line in text.lines().take(400) {
        let t = line.trim_start();
        if t.starts_with("# ") || t.starts_with("## ") || t.starts_with("### ") {
            signals += 2;
        } else if t.starts_with("```") || t.starts_with("> ") {
            signals += 1;
        }
        if t.contains("](") {
            signals += 1;
        }
    }
    if signals >= 2 {
        Format::Markdown
    } else {
        Format::Text
    }
}

fn html_tag_lines(lower: &str) -> usize {
    const TAGS: [&str; 8] = [
        "<p", "<div", "<article", "<section", "<h1", "<h2", "<span", "<br",
    ];
    lower
        .lines()
        .filter(|l| TAGS.iter().any(|t| l.contains(t)))
        .count()
}

/// Which front matter opens the text: `---` (YAML) or `+++` (TOML).
pub(crate) fn front_matter_fence(text: &str) -> Option<&'static str> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    for fence in ["---", "+++"] {
        if let Some(rest) = t.strip_prefix(fence)
            && (rest.starts_with('\n') || rest.starts_with("\r\n"))
            && rest.lines().skip(1).any(|l| l.trim_end() == fence)
        {
            return Some(fence);
        }
    }
    None
}

/// Collapses runs of whitespace (including non-breaking spaces) to one space
/// and trims.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content_not_name() {
        assert_eq!(
            detect("<!DOCTYPE html><html><body><p>x</p></body></html>"),
            Format::Html
        );
        assert_eq!(detect("  <html lang=en><p>x"), Format::Html);
        assert_eq!(detect("---\ntitle: X\n---\nbody"), Format::Markdown);
        assert_eq!(detect("+++\ntitle = \"X\"\n+++\nbody"), Format::Markdown);
        assert_eq!(detect("Red Rooms\n\nA film. Score: 88"), Format::Text);
        assert_eq!(
            detect("# Title\n\nSee [this](http://x) and more."),
            Format::Markdown
        );
        assert_eq!(detect("I rate it <3 out of 5 > whatever"), Format::Text);
    }

    #[test]
    fn collapses_whitespace() {
        assert_eq!(collapse_whitespace("  a \n\t b\u{a0}c  "), "a b c");
    }
}
