//! RSS and Atom feeds (and JSON Feed), read with `feed-rs`.
//!
//! A feed is a list of entries, each with a stable key (its `<guid>`/`<id>`,
//! else its link), a link to the review page and, in many feeds, the full
//! text. One broken entry must not cost the others: when the feed as a whole
//! does not parse, its entries are parsed one by one and each that fails is
//! reported as a [`BrokenEntry`], with the reason.

use chrono::{DateTime, Utc};
use verdict_source::RawDocument;

/// Words of visible text from which an entry's content counts as the full
/// review (rather than a teaser that links to it).
pub const FULL_TEXT_WORDS: usize = 150;

/// A parsed feed.
#[derive(Debug, Clone)]
pub struct Feed {
    pub title: Option<String>,
    /// The entries that could be read, in feed order.
    pub entries: Vec<Entry>,
    /// The entries that could not.
    pub broken: Vec<BrokenEntry>,
}

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What identifies the entry across fetches: its id, else its link.
    pub key: String,
    /// The review page (absolute http(s) URL).
    pub link: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// The entry's content (HTML), when the feed carries it.
    pub content: Option<String>,
    /// The entry's summary (HTML or text).
    pub summary: Option<String>,
}

/// An entry that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokenEntry {
    /// 1-based position in the feed.
    pub position: usize,
    /// What the entry is called, when that much could be read.
    pub title: Option<String>,
    pub reason: String,
}

/// Why a document is not a feed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("not a feed (RSS, Atom or JSON Feed): {reason}")]
pub struct FeedError {
    pub reason: String,
}

/// Prefix of keys made up for entries without an id.
const MADE_UP: &str = "verdict-key:";

/// Parses a feed fetched from `url` (used to resolve relative links).
pub fn parse(bytes: &[u8], url: &str) -> Result<Feed, FeedError> {
    let text = utf8_without_declarations(bytes);
    let bytes = text.as_bytes();
    match parse_whole(bytes, url) {
        Ok(feed) => Ok(read(feed, url)),
        Err(whole) => salvage(bytes, url).ok_or(FeedError { reason: whole }),
    }
}

/// The feed as UTF-8 text with its XML declarations taken out.
///
/// The text is decoded here, once: from the byte order mark, else the
/// encoding the leading `<?xml … encoding="…"?>` names, else UTF-16 seen in
/// the bytes, else UTF-8 (invalid bytes replaced with U+FFFD, as the XML
/// reader itself would). A declaration has nothing left to say about text
/// already decoded, and the XML reader feed-rs uses panics on one that
/// names another encoding past the document's first bytes (a feed with a
/// second declaration further on), so every declaration is removed; a
/// feed read without one is read as UTF-8, which it now is.
fn utf8_without_declarations(bytes: &[u8]) -> String {
    use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
    let (encoding, skip) = match Encoding::for_bom(bytes) {
        Some(found) => found,
        None if bytes.starts_with(b"<\0?\0") => (UTF_16LE, 0),
        None if bytes.starts_with(b"\0<\0?") => (UTF_16BE, 0),
        None => {
            let declared = leading_declaration_encoding(bytes).and_then(Encoding::for_label);
            // Bytes in which the ASCII declaration could be read are not
            // UTF-16, whatever the declaration says.
            let e = match declared {
                Some(e) if e == UTF_16LE || e == UTF_16BE => UTF_8,
                Some(e) => e,
                None => UTF_8,
            };
            (e, 0)
        }
    };
    let (text, _) = encoding.decode_without_bom_handling(&bytes[skip..]);
    let text = text.as_ref();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<?xml") {
        let after = &rest[at + 5..];
        let is_declaration =
            after.starts_with('?') || after.starts_with(|c: char| c.is_ascii_whitespace());
        if !is_declaration {
            out.push_str(&rest[..at + 5]);
            rest = after;
            continue;
        }
        match after.find("?>") {
            Some(end) => {
                out.push_str(&rest[..at]);
                rest = &after[end + 2..];
            }
            // Unclosed, and so is every later one: one pass, not one per
            // opening (a feed of unclosed declarations would be quadratic).
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// The `encoding` label of an XML declaration at the start of the bytes.
fn leading_declaration_encoding(bytes: &[u8]) -> Option<&[u8]> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = bytes[start..].strip_prefix(b"<?xml")?;
    let end = find(head, b"?>")?;
    let declaration = &head[..end];
    let at = find(declaration, b"encoding")?;
    let value = declaration[at + 8..]
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let quote = *value.first().filter(|q| matches!(q, b'"' | b'\''))?;
    let value = &value[1..];
    let close = value.iter().position(|&b| b == quote)?;
    Some(&value[..close])
}

fn parser(url: &str) -> feed_rs::parser::Parser {
    feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        // Deterministic keys for entries without an id (feed-rs would make
        // up a random one when there is no link either).
        .id_generator(|links, title, _| match (links.first(), title) {
            (Some(link), _) => format!("{MADE_UP}{}", link.href),
            (None, Some(t)) => format!("{MADE_UP}title:{}", t.content),
            (None, None) => String::new(),
        })
        .build()
}

fn parse_whole(bytes: &[u8], url: &str) -> Result<feed_rs::model::Feed, String> {
    parser(url).parse(bytes).map_err(|e| describe(&e))
}

fn describe(e: &feed_rs::parser::ParseFeedError) -> String {
    let s = e.to_string();
    if s.is_empty() { format!("{e:?}") } else { s }
}

fn read(feed: feed_rs::model::Feed, url: &str) -> Feed {
    let mut out = Feed {
        title: feed
            .title
            .map(|t| collapse(&t.content))
            .filter(|t| !t.is_empty()),
        entries: Vec::new(),
        broken: Vec::new(),
    };
    for (i, entry) in feed.entries.into_iter().enumerate() {
        match read_entry(entry, url) {
            Ok(e) => out.entries.push(e),
            Err((title, reason)) => out.broken.push(BrokenEntry {
                position: i + 1,
                title,
                reason,
            }),
        }
    }
    out
}

type EntryResult = Result<Entry, (Option<String>, String)>;

fn read_entry(entry: feed_rs::model::Entry, url: &str) -> EntryResult {
    let title = entry
        .title
        .as_ref()
        .map(|t| collapse(&t.content))
        .filter(|t| !t.is_empty());
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.trim().to_string());
    let link = match link {
        Some(href) => {
            let absolute = url::Url::parse(url)
                .and_then(|base| base.join(&href))
                .map_err(|e| (title.clone(), format!("link {href:?} is not a URL: {e}")))?;
            if !matches!(absolute.scheme(), "http" | "https") {
                return Err((title, format!("link {href:?} is not an http(s) URL")));
            }
            Some(absolute.to_string())
        }
        None => None,
    };
    let content = entry
        .content
        .and_then(|c| c.body)
        .filter(|b| !b.trim().is_empty());
    let summary = entry
        .summary
        .map(|s| s.content)
        .filter(|s| !s.trim().is_empty());
    if link.is_none() && content.is_none() && summary.is_none() {
        return Err((title, "no link and no content".to_string()));
    }
    let key = if entry.id.is_empty() {
        // No id, no link, no title: the content is all there is.
        format!(
            "{MADE_UP}content:{}",
            verdict_source::content_hash(
                content
                    .as_deref()
                    .or(summary.as_deref())
                    .unwrap_or("")
                    .as_bytes()
            )
        )
    } else if let Some(made_up) = entry.id.strip_prefix(MADE_UP) {
        // Keyed by the resolved link rather than the raw href.
        match &link {
            Some(l) if !made_up.starts_with("title:") => l.clone(),
            _ => entry.id.clone(),
        }
    } else {
        entry.id.trim().to_string()
    };
    Ok(Entry {
        key,
        link,
        title,
        author: entry
            .authors
            .iter()
            .filter_map(|p| p.name.as_deref())
            .map(collapse)
            .find(|n| !n.is_empty()),
        published: entry.published.or(entry.updated),
        content,
        summary,
    })
}

/// Parses the entries of a feed that does not parse as a whole one by one:
/// the feed's head and tail around each `<item>`/`<entry>` element in turn.
fn salvage(bytes: &[u8], url: &str) -> Option<Feed> {
    let (tag, starts) = ["item", "entry"]
        .into_iter()
        .map(|tag| (tag, element_starts(bytes, tag)))
        .find(|(_, s)| !s.is_empty())?;
    let close = format!("</{tag}>");
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let limit = starts.get(i + 1).copied().unwrap_or(bytes.len());
        let end = find(&bytes[start..limit], close.as_bytes())
            .map(|p| start + p + close.len())
            .unwrap_or(limit);
        spans.push((start, end));
    }
    let head = &bytes[..spans[0].0];
    let last_end = spans.last().map(|s| s.1).unwrap_or(bytes.len());
    // The tail is what closes the channel/feed; an entry left unclosed at
    // the end has swallowed it, so it is rebuilt.
    let tail: Vec<u8> = if find(&bytes[last_end..], b"</").is_some() {
        bytes[last_end..].to_vec()
    } else if tag == "item" {
        b"</channel></rss>".to_vec()
    } else {
        b"</feed>".to_vec()
    };
    // Without entries the head and tail must make a feed, else this is not
    // one broken entry but a broken feed.
    let shell = parse_whole(&[head, &tail].concat(), url).ok()?;
    let mut out = read(shell, url);
    for (i, &(start, end)) in spans.iter().enumerate() {
        let one = [head, &bytes[start..end], &tail].concat();
        let parsed = parse_whole(&one, url).map(|f| f.entries);
        let title = title_guess(&bytes[start..end]);
        match parsed {
            Ok(mut entries) if entries.len() == 1 => match read_entry(entries.remove(0), url) {
                Ok(e) => out.entries.push(e),
                Err((t, reason)) => out.broken.push(BrokenEntry {
                    position: i + 1,
                    title: t.or(title),
                    reason,
                }),
            },
            Ok(_) => out.broken.push(BrokenEntry {
                position: i + 1,
                title,
                reason: "the entry could not be separated from its neighbours".to_string(),
            }),
            Err(reason) => out.broken.push(BrokenEntry {
                position: i + 1,
                title,
                reason: format!("malformed entry: {reason}"),
            }),
        }
    }
    Some(out)
}

/// Byte offsets of `<tag>` / `<tag …>` openings.
fn element_starts(bytes: &[u8], tag: &str) -> Vec<usize> {
    let open = format!("<{tag}");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = find(&bytes[from..], open.as_bytes()) {
        let at = from + p;
        let next = bytes.get(at + open.len()).copied();
        if matches!(next, Some(b'>' | b' ' | b'\t' | b'\r' | b'\n' | b'/')) {
            out.push(at);
        }
        from = at + open.len();
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The `<title>` of a raw entry, for reporting a broken one.
fn title_guess(entry: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(entry);
    let start = text.find("<title")?;
    let open_end = text[start..].find('>')? + start + 1;
    let end = text[open_end..].find("</title>")? + open_end;
    let t = collapse(
        text[open_end..end]
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>"),
    );
    (!t.is_empty()).then_some(t)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Entry {
    /// The entry's own text as a document, when the feed carries the full
    /// review (at least [`FULL_TEXT_WORDS`] words): an HTML page with the
    /// entry's title, author and date as metadata, named by its link.
    pub fn full_text(&self, feed_url: &str) -> Option<RawDocument> {
        let body = self
            .content
            .as_deref()
            .filter(|c| visible_words(c) >= FULL_TEXT_WORDS)?;
        Some(self.as_document(body, feed_url))
    }

    /// The entry's content or summary as a document, whatever its length
    /// (for entries without a link).
    pub fn own_text(&self, feed_url: &str) -> Option<RawDocument> {
        let body = self.content.as_deref().or(self.summary.as_deref())?;
        Some(self.as_document(body, feed_url))
    }

    fn as_document(&self, body: &str, feed_url: &str) -> RawDocument {
        let mut html = String::from("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n");
        if let Some(t) = &self.title {
            html.push_str(&format!("<title>{}</title>\n", escape(t)));
        }
        if let Some(a) = &self.author {
            html.push_str(&format!(
                "<meta name=\"author\" content=\"{}\">\n",
                escape(a)
            ));
        }
        if let Some(d) = &self.published {
            html.push_str(&format!(
                "<meta property=\"article:published_time\" content=\"{}\">\n",
                d.to_rfc3339()
            ));
        }
        html.push_str("</head><body><article>\n");
        if let Some(t) = &self.title {
            html.push_str(&format!("<h1>{}</h1>\n", escape(t)));
        }
        html.push_str(body);
        html.push_str("\n</article></body></html>\n");
        let origin = self
            .link
            .clone()
            .unwrap_or_else(|| format!("{feed_url}#{}", self.key));
        RawDocument::new(origin, html.into_bytes())
            .with_content_type(Some("text/html; charset=utf-8".to_string()))
    }
}

/// Words of text outside tags.
fn visible_words(html: &str) -> usize {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://critic.example/feed.xml";

    fn rss(items: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>A Critic's Reviews</title><link>https://critic.example/</link><description>x</description>
{items}
</channel></rss>"#
        )
    }

    #[test]
    fn reads_rss_entries_with_keys_and_absolute_links() {
        let xml = rss(r#"
<item><title>Red Rooms review</title><link>/2024/red-rooms</link><guid>tag:critic,1</guid>
  <description>A teaser.</description><pubDate>Fri, 06 Sep 2024 09:00:00 GMT</pubDate></item>
<item><title>Late Shift review</title><link>https://critic.example/late-shift</link></item>"#);
        let feed = parse(xml.as_bytes(), URL).unwrap();
        assert_eq!(feed.title.as_deref(), Some("A Critic's Reviews"));
        assert!(feed.broken.is_empty());
        let [a, b] = &feed.entries[..] else {
            panic!("{feed:?}")
        };
        assert_eq!(a.key, "tag:critic,1");
        assert_eq!(
            a.link.as_deref(),
            Some("https://critic.example/2024/red-rooms")
        );
        assert_eq!(a.summary.as_deref(), Some("A teaser."));
        assert!(a.published.is_some());
        assert_eq!(
            b.key, "https://critic.example/late-shift",
            "no guid: keyed by link"
        );
        // The same feed parsed again gives the same keys.
        let again = parse(xml.as_bytes(), URL).unwrap();
        assert_eq!(again.entries, feed.entries);
    }

    #[test]
    fn a_malformed_entry_costs_only_itself() {
        let xml = rss(r#"
<item><title>Good one</title><link>https://critic.example/good-1</link></item>
<item><title>Broken one</title><link>https://critic.example/broken</link><description>a <b>bold & unclosed</description></item>
<item><title>Good two</title><link>https://critic.example/good-2</link></item>"#);
        let feed = parse(xml.as_bytes(), URL).unwrap();
        let titles: Vec<_> = feed
            .entries
            .iter()
            .map(|e| e.title.clone().unwrap())
            .collect();
        assert_eq!(titles, ["Good one", "Good two"]);
        assert_eq!(feed.broken.len(), 1, "{:?}", feed.broken);
        assert_eq!(feed.broken[0].position, 2);
        assert_eq!(feed.broken[0].title.as_deref(), Some("Broken one"));
        assert!(
            feed.broken[0].reason.contains("malformed"),
            "{:?}",
            feed.broken[0]
        );
    }

    #[test]
    fn entries_without_link_or_content_and_bad_links_are_broken() {
        let xml = rss(r#"
<item><title>Nothing here</title></item>
<item><title>Script</title><link>javascript:alert(1)</link></item>
<item><title>Fine</title><link>https://critic.example/fine</link></item>"#);
        let feed = parse(xml.as_bytes(), URL).unwrap();
        assert_eq!(feed.entries.len(), 1);
        let reasons: Vec<_> = feed.broken.iter().map(|b| b.reason.as_str()).collect();
        assert!(reasons[0].contains("no link and no content"), "{reasons:?}");
        assert!(reasons[1].contains("not an http(s) URL"), "{reasons:?}");
    }

    #[test]
    fn atom_with_full_text_becomes_a_document() {
        let words = "The film is a patient, eerie and precise study. ".repeat(20);
        let xml = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom critic</title><id>urn:x</id><updated>2024-09-06T09:00:00Z</updated>
<entry><title>Red Rooms &amp; more</title><id>urn:e1</id><updated>2024-09-06T09:00:00Z</updated>
<link rel="alternate" href="https://critic.example/red-rooms"/><author><name>Jane Critic</name></author>
<content type="html">&lt;p&gt;{words}&lt;/p&gt;&lt;p&gt;Rating: 4/5&lt;/p&gt;</content></entry>
<entry><title>Teaser</title><id>urn:e2</id><updated>2024-09-06T09:00:00Z</updated>
<link href="https://critic.example/teaser"/><summary>Short.</summary></entry>
</feed>"#
        );
        let feed = parse(xml.as_bytes(), URL).unwrap();
        assert_eq!(feed.entries.len(), 2);
        let doc = feed.entries[0].full_text(URL).expect("full text");
        assert_eq!(doc.origin, "https://critic.example/red-rooms");
        let html = String::from_utf8(doc.bytes).unwrap();
        assert!(
            html.contains("<title>Red Rooms &amp; more</title>"),
            "{html}"
        );
        assert!(html.contains(r#"<meta name="author" content="Jane Critic">"#));
        assert!(html.contains("Rating: 4/5"));
        assert!(
            feed.entries[1].full_text(URL).is_none(),
            "a summary is a teaser"
        );
    }

    #[test]
    fn a_second_declaration_naming_another_encoding_is_ignored() {
        // Found by fuzzing: feed-rs's XML reader panicked on a declaration
        // naming UTF-16 past the first bytes of a UTF-8 feed.
        let padding = "<!-- padding -->".repeat(64);
        let xml = rss(&format!(
            r#"{padding}
<item><title>One</title><link>https://critic.example/one</link></item>
<?xml version="1.0" encoding="utf-16"?>
<item><title>Two</title><link>https://critic.example/two</link></item>"#
        ));
        let feed = parse(xml.as_bytes(), URL).unwrap();
        let titles: Vec<_> = feed
            .entries
            .iter()
            .filter_map(|e| e.title.clone())
            .collect();
        assert_eq!(titles, ["One", "Two"], "{feed:?}");
        // The fuzzer's own input: an error or a feed, never a panic.
        let crash = include_bytes!("../tests/data/fuzz-feed-second-declaration.bin");
        let _ = parse(crash, URL);
    }

    #[test]
    fn declarations_are_taken_out_and_unclosed_ones_left_as_text() {
        let text = utf8_without_declarations(
            b"<?xml version=\"1.0\"?><rss><?xml-stylesheet href=\"a\"?><?xml?><x/><?xml never closed <?xml again",
        );
        assert_eq!(
            text,
            "<rss><?xml-stylesheet href=\"a\"?><x/><?xml never closed <?xml again"
        );
        // Many unclosed openings are read in one pass.
        let hostile = "<?xml ".repeat(200_000);
        let text = utf8_without_declarations(hostile.as_bytes());
        assert_eq!(text, hostile);
    }

    #[test]
    fn feeds_in_other_encodings_are_decoded() {
        let title = "Déjà vu : « Les Chambres rouges »";
        let feed_in = |declared: &str| {
            rss(&format!(
                "<item><title>{title}</title><link>https://critic.example/a</link></item>"
            ))
            .replace("UTF-8", declared)
        };
        // Declared windows-1252, written in it.
        let latin_xml = feed_in("windows-1252");
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&latin_xml);
        // UTF-16 with a byte order mark, and without one.
        let utf16 = |xml: String, bom: bool| {
            let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
            bytes.extend(xml.encode_utf16().flat_map(|u| u.to_le_bytes()));
            bytes
        };
        for (what, bytes) in [
            ("windows-1252", latin.into_owned()),
            ("UTF-16LE with BOM", utf16(feed_in("UTF-16"), true)),
            ("UTF-16LE without BOM", utf16(feed_in("UTF-16"), false)),
            ("UTF-8 declared UTF-16", feed_in("UTF-16").into_bytes()),
        ] {
            let feed = parse(&bytes, URL).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(feed.entries.len(), 1, "{what}: {feed:?}");
            assert_eq!(feed.entries[0].title.as_deref(), Some(title), "{what}");
        }
    }

    #[test]
    fn not_a_feed() {
        let e = parse(b"<html><body>hello</body></html>", URL).unwrap_err();
        assert!(e.to_string().starts_with("not a feed"), "{e}");
    }
}
