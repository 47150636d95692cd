//! The third stage: read a review out of a parsed [`Document`].
//!
//! Extraction never fails. It returns the [`Review`] it could read plus
//! [`Diagnostic`]s for what it could not (no title, no rating, a span it
//! could not place), in the spirit of an error-tolerant parser.
//!
//! What is read, and from where:
//! - **furniture** (comment sections, post navigation, share prompts,
//!   repeated alt text) is dropped first, in every format ([`boilerplate`]);
//! - **film title and year**: front-matter `title`, HTML `og:title`,
//!   `<title>`, `<h1>`, or the first line, read with [`headline`]; the
//!   candidate whose title the body actually mentions wins;
//! - **aliases**: front-matter `aliases`/`original_title`, "also known as",
//!   and quoted titles named beside the film's ("both “Red Rooms” and
//!   “Les Chambres Rouges”");
//! - **critic, outlet, date**: metadata first, then bylines, a " | Site"
//!   headline suffix, and a date line near the top;
//! - **rating**: multi-aspect marks ([`aspects`]), else the page's own
//!   JSON-LD review (`verdict_rating::schema_org`, which also fills a
//!   missing critic, outlet, date and film title), else rating statements
//!   found by `verdict_rating::find_in_text`, never inside quotes;
//! - **passages** for the judge: the critic's words, quotes marked
//!   [`Role::Quote`], a labelled closing verdict ("Rating: …") or else the
//!   last paragraph marked [`Role::Verdict`].

pub mod aspects;
pub mod boilerplate;
pub mod dates;
pub mod headline;
pub mod listing;

pub use listing::{Listing, Page, Published, Refusal, extract_page};

use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;
use verdict_core::title::{fold, title_key};
use verdict_core::{Confidence, Diagnostic, Passage, Rating, Review, Role, Span};
use verdict_document::{BlockKind, Document, Format};
use verdict_rating::schema_org::SchemaReview;

/// A review and what extraction noticed along the way.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub review: Review,
    pub diagnostics: Vec<Diagnostic>,
}

/// What each content block turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Content,
    Furniture,
    Headline,
    Metadata,
    Mark,
    RatingLine,
}

/// Reads the review out of a document.
pub fn extract(doc: &Document) -> Extraction {
    let mut extraction = extract_with(doc, &listing::structured_items(doc));
    extraction.cut_names();
    extraction
}

impl Extraction {
    /// Film titles and names of a sane length
    /// ([`verdict_core::limits`]), each cut said (`extract.name-cut`).
    pub fn cut_names(&mut self) {
        self.review
            .cut_names("extract.name-cut", &mut self.diagnostics);
    }
}

/// [`extract`], the page's schema.org items already read.
fn extract_with(doc: &Document, found: &listing::Found) -> Extraction {
    let mut diagnostics = doc.diagnostics.clone();
    // The review the page declares about itself (JSON-LD, microdata,
    // hReview), when it does.
    let ld = json_ld_review(found, &mut diagnostics);
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    let mut uses: Vec<Use> = boilerplate::classify(&texts)
        .into_iter()
        .map(|f| {
            if f.is_some() {
                Use::Furniture
            } else {
                Use::Content
            }
        })
        .collect();
    let dropped = uses.iter().filter(|u| **u == Use::Furniture).count();
    if dropped > 0 {
        diagnostics.push(Diagnostic::info(
            "body.furniture",
            format!("{dropped} line(s) of page furniture dropped (comments, navigation, sharing, repeated alt text)"),
        ));
    }

    // Film title and year.
    let body_text: String = fold(
        &doc.blocks
            .iter()
            .zip(&uses)
            .filter(|(_, u)| **u == Use::Content)
            .map(|(b, _)| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let title = choose_title(doc, &uses, &body_text, &mut diagnostics);
    if let Some(i) = title.as_ref().and_then(|t| t.block) {
        uses[i] = Use::Headline;
    }
    let film_title = title
        .as_ref()
        .map(|t| t.headline.title.clone())
        .or_else(|| json_ld_title(ld.as_ref(), &mut diagnostics));
    let key = film_title.as_deref().map(title_key);

    // Date, critic, outlet.
    let mut date = doc.meta.published.as_deref().and_then(dates::parse_date);
    if doc.meta.published.is_some() && date.is_none() {
        diagnostics.push(Diagnostic::warning(
            "date.unreadable",
            format!(
                "publication date {:?} not understood",
                doc.meta.published.as_deref().unwrap_or("")
            ),
        ));
    }
    if date.is_none() {
        date = ld
            .as_ref()
            .and_then(|r| r.date_published.as_deref())
            .and_then(dates::parse_date);
    }
    let mut critic = doc
        .meta
        .author
        .as_deref()
        .map(strip_french_by)
        .or_else(|| ld.as_ref().and_then(|r| r.author.clone()));
    let french = is_french(&body_text);
    // A date line that says it is the update's is kept only when no line
    // gives the publication's.
    let mut updated = None;
    let mut byline_outlet = None;
    for i in content_indices(&uses).take(8).collect::<Vec<_>>() {
        let text = &doc.blocks[i].text;
        if text.chars().count() > 80 {
            continue;
        }
        let dated = dates::find_publication_date(text, french);
        if date.is_none()
            && let Some(d) = dated
        {
            if d.updated {
                updated.get_or_insert(d.date);
            } else {
                date = Some(d.date);
            }
            uses[i] = Use::Metadata;
        } else if dated.is_some() && is_metadata_line(text) {
            uses[i] = Use::Metadata;
        }
        if critic.is_none()
            && let Some(line) = byline(text)
        {
            critic = Some(line.name);
            byline_outlet = line.outlet;
            uses[i] = Use::Metadata;
        }
    }
    if date.is_none() {
        date = updated;
    }
    // The outlet a byline names after the critic ("Par Jean Dupont, Le
    // Devoir") when the page's markup gave the critic: the byline is among
    // the page's lines.
    if byline_outlet.is_none()
        && let Some(name) = &critic
    {
        byline_outlet = doc
            .blocks
            .iter()
            .take(8)
            .map(|b| b.text.as_str())
            .chain(doc.page_lines.iter().take(60).map(String::as_str))
            .filter(|t| t.chars().count() <= 80)
            .filter_map(byline)
            .find(|b| b.name == *name)
            .and_then(|b| b.outlet);
    }
    let outlet = doc
        .meta
        .site_name
        .clone()
        .or_else(|| ld.as_ref().and_then(|r| r.publisher.clone()))
        .or_else(|| title.as_ref().and_then(|t| t.headline.outlet.clone()))
        .or(byline_outlet);

    // Rating: aspect marks first, then rating statements.
    let lines: Vec<aspects::Line> = doc
        .blocks
        .iter()
        .zip(&uses)
        .filter(|(b, u)| **u == Use::Content && b.kind != BlockKind::Quote)
        .map(|(b, _)| aspects::Line {
            text: &b.text,
            span: b.span,
        })
        .collect();
    let line_block: Vec<usize> = doc
        .blocks
        .iter()
        .enumerate()
        .filter(|(i, b)| uses[*i] == Use::Content && b.kind != BlockKind::Quote)
        .map(|(i, _)| i)
        .collect();
    let mut aspects_found = Vec::new();
    let mut rating = None;
    if let Some(marks) = aspects::find(&lines) {
        for l in &marks.used_lines {
            uses[line_block[*l]] = Use::Mark;
        }
        diagnostics.push(Diagnostic::info("rating.aspects", marks.scale_note.clone()));
        rating = marks.headline.clone();
        if rating.is_none() {
            diagnostics.push(Diagnostic::warning(
                "rating.aspects-no-final",
                "aspect marks found but none is a final verdict; no headline rating",
            ));
        }
        aspects_found = marks.aspects;
    }
    if rating.is_none() {
        rating = find_rating(doc, ld.as_ref(), &mut uses, &mut diagnostics);
    }
    if rating.is_none() {
        diagnostics.push(Diagnostic::info(
            "rating.none",
            "no rating found; the judge will infer one",
        ));
    }

    // Passages for the judge and the body.
    let mut passages: Vec<Passage> = Vec::new();
    let mut body_parts: Vec<String> = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        match uses[i] {
            Use::Content => {}
            Use::Headline => {
                // A headline that says more than the title is the critic's words too.
                if let Some(t) = &title
                    && says_more_than_title(&block.text, &t.headline)
                {
                    passages.push(Passage {
                        text: block.text.clone(),
                        role: Role::Body,
                    });
                }
                continue;
            }
            Use::RatingLine => {
                body_parts.push(block.text.clone());
                continue;
            }
            _ => continue,
        }
        if block.kind == BlockKind::Quote {
            body_parts.push(format!("> {}", block.text));
            passages.push(Passage {
                text: block.text.clone(),
                role: Role::Quote,
            });
            continue;
        }
        body_parts.push(block.text.clone());
        let role = if VERDICT_LABEL.is_match(&block.text) {
            Role::Verdict
        } else {
            Role::Body
        };
        passages.push(Passage {
            text: block.text.clone(),
            role,
        });
    }
    if !passages.iter().any(|p| p.role == Role::Verdict)
        && let Some(last) = passages
            .iter_mut()
            .rev()
            .find(|p| p.role == Role::Body && p.text.split_whitespace().count() >= 12)
    {
        last.role = Role::Verdict;
    }
    if passages.iter().all(|p| p.role == Role::Quote) {
        diagnostics.push(Diagnostic::warning(
            "body.empty",
            "no text of the critic's own was found",
        ));
    }

    // Aliases and year evidence.
    let mut aliases = Vec::new();
    if let Some(k) = &key {
        aliases = find_aliases(doc, &uses, k);
    }
    let mut year = title.as_ref().and_then(|t| t.headline.year);
    if year.is_none() {
        year = doc
            .meta
            .fields
            .get("year")
            .and_then(|y| y.trim().parse().ok());
    }
    if year.is_none()
        && let Some(t) = &film_title
    {
        year = body_year(doc, &uses, t, &body_text);
    }

    if film_title.is_none() {
        diagnostics.push(Diagnostic::warning(
            "title.none",
            "no film title found (looked at front matter, og:title, <title>, <h1> and the first line)",
        ));
    }
    let review = Review {
        source: doc.origin.clone(),
        content_hash: doc.content_hash.clone(),
        format: doc.format.as_str().to_string(),
        title_seen: title.as_ref().map(|t| t.seen.clone()),
        film_title,
        year,
        aliases,
        critic,
        outlet,
        date,
        body: body_parts.join("\n\n"),
        passages,
        rating,
        aspects: aspects_found,
        source_verdict: None,
        link: None,
    };
    Extraction {
        review,
        diagnostics,
    }
}

/// Whether a headline has words of its own beyond the title, year, site and
/// "movie review" ("RED ROOMS is a Disturbing and Masterful…" does).
fn says_more_than_title(text: &str, h: &headline::Headline) -> bool {
    let known = fold(&format!(
        "{} {} {} movie film review reviews critique du",
        h.title,
        h.outlet.as_deref().unwrap_or(""),
        h.year.map(|y| y.to_string()).unwrap_or_default()
    ));
    let known: Vec<&str> = known.split(' ').collect();
    fold(text).split(' ').filter(|w| !known.contains(w)).count() >= 3
}

fn content_indices(uses: &[Use]) -> impl Iterator<Item = usize> + '_ {
    uses.iter()
        .enumerate()
        .filter(|(_, u)| **u == Use::Content)
        .map(|(i, _)| i)
}

static VERDICT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:my\s+)?(?:rating|verdict|the verdict|final verdict|bottom line|the bottom line|final thoughts|conclusion|in conclusion|in short|overall|one[- ]sentence review|tl;?dr|summary|the takeaway)\s*[:\-–—]")
        .expect("verdict label")
});

/// "06 Sep 2024 / Released: 06 Sep 2024", "Posted on 3 March 2023".
fn is_metadata_line(text: &str) -> bool {
    let words = text.split_whitespace().count();
    words <= 10
}

/// A byline: "By Jane Critic", "Par Jean Dupont, Le Devoir", "Critique de
/// Jean Dupont", "Une critique de Jean Dupont". A French byline starts
/// with "par" itself: "réalisé par", "écrit par", "produit par" and
/// "interprété par" name the film's makers, and start no line this reads.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:by|written by|reviewed by|review by|words by|par|(?:une\s+)?critique\s+(?:de|par)|texte\s+de)\s*:?\s+(\p{Lu}[\p{L}.'’-]+(?:\s+(?:(?:de|du|des|van|von|der|da|di|le|la)\s+)?\p{Lu}[\p{L}.'’-]+){0,3})\s*(?:[|,/·•–—-]\s*(.*))?$")
        .expect("byline")
});

/// What a byline says: the critic, and the outlet when one follows
/// ("Par Jean Dupont, Le Devoir").
struct Byline {
    name: String,
    outlet: Option<String>,
}

fn byline(text: &str) -> Option<Byline> {
    let c = BYLINE.captures(text.trim())?;
    // What follows the name is the outlet when it is a name too: a few
    // words, capitalised, no number (not "6 septembre 2024", not "Publié
    // le …").
    let outlet = c.get(2).map(|m| m.as_str().trim()).filter(|o| {
        !o.is_empty()
            && o.split_whitespace().count() <= 5
            && o.chars().next().is_some_and(char::is_uppercase)
            && !o.chars().any(|c| c.is_ascii_digit())
            && !DATE_WORD.is_match(o)
    });
    Some(Byline {
        name: c[1].to_string(),
        outlet: outlet.map(str::to_string),
    })
}

/// Words that make what follows a byline's name a date line, not an
/// outlet: "Publié le", "Mis à jour", "Posted", "Updated".
static DATE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:publié|publiée|mis\s+à\s+jour|mise\s+à\s+jour|posted|published|updated)\b")
        .expect("date word")
});

/// "Par Jean Dupont" → "Jean Dupont": the author a page's markup gives
/// may carry the French byline's word.
fn strip_french_by(author: &str) -> String {
    let t = author.trim();
    for prefix in ["Par ", "par ", "PAR "] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    t.to_string()
}

/// Whether a page's text reads as French: more of French's commonest words
/// than of English's. `folded` is [`fold`]ed text. Decides only how a
/// numeric date is read ("06/09/2024": day first).
fn is_french(folded: &str) -> bool {
    const FR: &[&str] = &[
        "le", "la", "les", "des", "une", "est", "et", "du", "dans", "pour", "pas", "qui", "que",
        "avec", "au", "sur",
    ];
    const EN: &[&str] = &[
        "the", "and", "is", "of", "to", "in", "that", "it", "with", "for", "this", "was", "on",
    ];
    let (mut fr, mut en) = (0usize, 0usize);
    for w in folded.split(' ').take(2000) {
        fr += usize::from(FR.contains(&w));
        en += usize::from(EN.contains(&w));
    }
    fr >= 5 && fr > 2 * en
}

struct TitleChoice {
    headline: headline::Headline,
    /// The text the title was read from.
    seen: String,
    /// The content block used as the headline, when it came from the body.
    block: Option<usize>,
}

fn choose_title(
    doc: &Document,
    uses: &[Use],
    body: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<TitleChoice> {
    let mut candidates: Vec<(&'static str, String, Option<usize>)> = Vec::new();
    let first = content_indices(uses).next();
    if let Some(t) = &doc.meta.title {
        candidates.push((
            if doc.format == Format::Html {
                "<title>"
            } else {
                "front matter title"
            },
            t.clone(),
            None,
        ));
    }
    if let Some(t) = &doc.meta.og_title {
        candidates.push(("og:title", t.clone(), None));
    }
    if let Some(t) = &doc.meta.h1 {
        candidates.push(("<h1>", t.clone(), None));
    }
    if let Some(i) = first {
        let b = &doc.blocks[i];
        let headline_like = b.text.chars().count() <= 200
            && (b.kind == BlockKind::Heading
                || doc.format != Format::Html
                || candidates.is_empty());
        if headline_like {
            candidates.push(("first line", b.text.clone(), Some(i)));
        }
    }
    let mut best: Option<(i32, TitleChoice, &'static str)> = None;
    let read: Vec<_> = candidates
        .into_iter()
        .filter_map(|(source, text, block)| {
            headline::read_headline(&text).map(|h| (source, text, block, h))
        })
        .collect();
    for (source, text, block, h) in &read {
        let key = title_key(&h.title);
        let mentioned = !key.is_empty() && body.contains(&fold(&h.title));
        let agree = read
            .iter()
            .filter(|(_, _, _, o)| title_key(&o.title) == key)
            .count() as i32
            - 1;
        let score = i32::from(h.confidence) * 10
            + if mentioned { 15 } else { 0 }
            + agree * 5
            + if *source == "front matter title" {
                5
            } else {
                0
            };
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((
                score,
                TitleChoice {
                    headline: h.clone(),
                    seen: text.clone(),
                    block: *block,
                },
                source,
            ));
        }
    }
    let (_, mut choice, source) = best?;
    // The first line is the headline when it gave the title, or when it is
    // the same text as the chosen title source.
    if choice.block.is_none()
        && let Some(i) = first
        && read.iter().any(|(_, _, b, h)| {
            *b == Some(i) && title_key(&h.title) == title_key(&choice.headline.title)
        })
    {
        choice.block = Some(i);
    }
    // Year and outlet may come from another candidate of the same title.
    for (_, _, _, h) in &read {
        if title_key(&h.title) == title_key(&choice.headline.title) {
            if choice.headline.year.is_none() {
                choice.headline.year = h.year;
            }
            if choice.headline.outlet.is_none() {
                choice.headline.outlet = h.outlet.clone();
            }
        }
    }
    diagnostics.push(Diagnostic::info(
        "title.source",
        format!(
            "film title {:?} read from the {source} ({})",
            choice.headline.title, choice.headline.shape
        ),
    ));
    Some(choice)
}

/// The page's JSON-LD review rating when it has one; else rating
/// statements in content blocks (never in quotes); for HTML pages
/// with none there, the whole page's lines (rating widgets sit outside the
/// article). The labelled, most confident, last one wins.
fn find_rating(
    doc: &Document,
    ld: Option<&SchemaReview>,
    uses: &mut [Use],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Rating> {
    if let Some(r) = json_ld_rating(doc, ld, diagnostics) {
        return Some(r);
    }
    let mut found: Vec<(usize, verdict_rating::Found, Option<usize>)> = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        if uses[i] != Use::Content || block.kind == BlockKind::Quote {
            continue;
        }
        for f in verdict_rating::find_in_text(&block.text) {
            found.push((found.len(), f, Some(i)));
        }
    }
    if found.is_empty() && doc.format == Format::Html {
        for line in &doc.page_lines {
            for f in verdict_rating::find_in_text(line) {
                found.push((found.len(), f, None));
            }
        }
    }
    if found.len() > 1 {
        let raws: Vec<&str> = found
            .iter()
            .map(|(_, f, _)| f.rating.raw.as_str())
            .collect();
        diagnostics.push(Diagnostic::info(
            "rating.several",
            format!("several ratings found: {raws:?}"),
        ));
    }
    let (_, chosen, block) = found.into_iter().max_by_key(|(order, f, _)| {
        (
            f.label.is_some(),
            f.rating.confidence == Confidence::High,
            f.rating.confidence != Confidence::Low,
            *order,
        )
    })?;
    let mut rating = chosen.rating;
    if let Some((span, raw)) = locate(doc, &rating.raw, block.and_then(|i| doc.blocks[i].span)) {
        rating.span = Some(span);
        rating.raw = raw;
    }
    if rating.span.is_none() {
        diagnostics.push(Diagnostic::warning(
            "rating.span-unknown",
            format!(
                "rating {:?} read, but its place in the source could not be found",
                rating.raw
            ),
        ));
    }
    if let Some(i) = block
        && doc.blocks[i].text.trim().len() <= rating.raw.len() + 12
    {
        uses[i] = Use::RatingLine;
    }
    Some(rating)
}

/// The one critic review the page declares in JSON-LD (schema.org
/// `Review` / `CriticReview` with a `reviewRating`), when it declares one.
fn json_ld_review(
    found: &listing::Found,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SchemaReview> {
    if found.reviews.is_empty() && found.unparsed == 0 {
        return None;
    }
    // JSON-LD blocks, then the markup's microdata and hReviews in the
    // same shape (a rating of theirs is not placed in the page: its block
    // index is past the JSON-LD blocks).
    let page = verdict_rating::schema_org::choose_page_review(&found.reviews, found.unparsed);
    if let Some(note) = page.note {
        diagnostics.push(Diagnostic::info("json-ld.review", note));
    }
    page.review
}

/// The reviewed film's name from JSON-LD, when no headline gave a title.
fn json_ld_title(ld: Option<&SchemaReview>, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let name = ld?.item_name.clone()?;
    diagnostics.push(Diagnostic::info(
        "title.source",
        format!("film title {name:?} read from the JSON-LD review's itemReviewed"),
    ));
    Some(name)
}

/// The JSON-LD review's rating, its span placed on the `ratingValue` in
/// the page source when it can be found there.
fn json_ld_rating(
    doc: &Document,
    ld: Option<&SchemaReview>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Rating> {
    let review = ld?;
    let mut rating = match review.rating.as_ref()? {
        verdict_rating::Reading::Rated(r) => r.clone(),
        verdict_rating::Reading::Refused(x) => {
            diagnostics.push(Diagnostic::warning(
                "rating.json-ld-refused",
                format!("JSON-LD reviewRating not read: {}", x.reason),
            ));
            return None;
        }
    };
    let block = doc
        .meta
        .json_ld
        .get(review.block)
        .map(String::as_str)
        .unwrap_or("");
    rating.span = verdict_rating::schema_org::locate_rating_value(&doc.text, block, &rating.raw)
        .map(|(a, b)| Span::new(a, b));
    diagnostics.push(Diagnostic::info(
        "rating.json-ld",
        format!(
            "rating {:?} read from the page's JSON-LD {} (scale {})",
            rating.raw, review.kind, rating.scale
        ),
    ));
    if rating.span.is_none() {
        diagnostics.push(Diagnostic::warning(
            "rating.span-unknown",
            format!(
                "rating {:?} read from JSON-LD, but its place in the source could not be found",
                rating.raw
            ),
        ));
    }
    Some(rating)
}

/// Where `raw` sits in the document text: inside the block's span first,
/// then anywhere; and the raw text as the source writes it. The block's
/// text has its white space collapsed, so a rating the source writes
/// with other spaces ("Note\u{202F}: 4/5", French typography's narrow
/// no-break space before the colon) is found with any white space where
/// the block has a space, and its raw becomes the source's. The span
/// always slices back to the returned raw exactly.
fn locate(doc: &Document, raw: &str, near: Option<Span>) -> Option<(Span, String)> {
    if raw.is_empty() {
        return None;
    }
    let exact = |region: &str, at: usize| {
        region
            .find(raw)
            .map(|p| (Span::new(at + p, at + p + raw.len()), raw.to_string()))
    };
    let spaced = raw.contains(char::is_whitespace).then(|| {
        let parts: Vec<String> = raw.split_whitespace().map(regex::escape).collect();
        Regex::new(&parts.join(r"\s+")).ok()
    });
    let flexible = |region: &str, at: usize| {
        let re = spaced.as_ref()?.as_ref()?;
        re.find(region).map(|m| {
            (
                Span::new(at + m.start(), at + m.end()),
                m.as_str().to_string(),
            )
        })
    };
    if let Some(s) = near
        && let Some(region) = doc.text.get(s.start..s.end)
        && let Some(found) = exact(region, s.start).or_else(|| flexible(region, s.start))
    {
        return Some(found);
    }
    exact(&doc.text, 0).or_else(|| flexible(&doc.text, 0))
}

static AKA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:a\.?k\.?a\.?|also known as|original title|originally titled|originally released as|released (?:in [A-Z][a-z]+ )?as|known in [A-Z][a-z]+ as|(?:original )?french title|titre original|titre anglais|titre international|titre québécois|titre français|sorti (?:en [\p{L}]+ |au [\p{L}]+ |à l'international )?sous le titre|connu (?:en [\p{L}]+ )?sous le titre)\s*[:,]?\s*[“"‘'«]?\s*(\p{Lu}[^”"’'.,;:()!?\n«»]{1,80})"#)
        .expect("aka")
});

fn find_aliases(doc: &Document, uses: &[Use], key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |alias: &str, out: &mut Vec<String>| {
        let alias = alias
            .trim()
            .trim_matches(|c: char| !c.is_alphanumeric() && c != ')' && c != '!' && c != '?');
        let k = title_key(alias);
        if !k.is_empty()
            && k != key
            && alias.split_whitespace().count() <= 10
            && !out.iter().any(|a| title_key(a) == k)
        {
            out.push(alias.to_string());
        }
    };
    for field in [
        "aliases",
        "aka",
        "original_title",
        "original title",
        "alternative_titles",
        "alt_title",
    ] {
        if let Some(v) = doc.meta.fields.get(field) {
            for a in v.split(", ") {
                push(a, &mut out);
            }
        }
    }
    for (i, block) in doc.blocks.iter().enumerate() {
        if !matches!(uses[i], Use::Content | Use::Headline) || block.kind == BlockKind::Quote {
            continue;
        }
        for c in AKA.captures_iter(&block.text) {
            push(&c[1], &mut out);
        }
        // Quoted titles named beside the film's own quoted title:
        // both "Red Rooms" and "Les Chambres Rouges".
        let quoted = headline::quoted_spans(&block.text);
        for pair in quoted.windows(2) {
            let ((a, _, a_end), (b, b_start, _)) = (&pair[0], &pair[1]);
            let opening = block.text[..*b_start]
                .chars()
                .next_back()
                .map_or(0, char::len_utf8);
            let between = block
                .text
                .get(*a_end..b_start - opening)
                .unwrap_or("")
                .trim();
            let joined = [
                "and",
                "or",
                "ou",
                "et",
                "alias",
                "aka",
                "a.k.a.",
                "/",
                ",",
                "(",
                "or simply",
                "also",
            ]
            .contains(&between);
            let titled = |q: &str| {
                q.chars().next().is_some_and(char::is_uppercase)
                    && q.split_whitespace().count() <= 8
            };
            if joined {
                if title_key(a) == key && titled(b) {
                    push(b, &mut out);
                } else if title_key(b) == key && titled(a) {
                    push(a, &mut out);
                }
            }
        }
    }
    out
}

/// "The 2024 film Red Rooms", "Red Rooms (2023)" in the critic's text.
/// `body_text` is the folded text of the content blocks: a body that never
/// names the film is not searched (and no pattern is compiled for it).
fn body_year(doc: &Document, uses: &[Use], title: &str, body_text: &str) -> Option<i32> {
    let folded_title = fold(title);
    if folded_title.is_empty() || !body_text.contains(&folded_title) {
        return None;
    }
    let t = regex::escape(&folded_title);
    let re = Regex::new(&format!(r"\b((?:18|19|20)\d{{2}}) (?:film|movie|feature|thriller|drama|documentary) {t}\b|\b{t} ((?:18|19|20)\d{{2}})\b")).ok()?;
    doc.blocks
        .iter()
        .zip(uses)
        .filter(|(b, u)| **u == Use::Content && b.kind != BlockKind::Quote)
        .find_map(|(b, _)| {
            let folded = fold(&b.text);
            re.captures(&folded)
                .and_then(|c| c.get(1).or_else(|| c.get(2)))
                .and_then(|m| m.as_str().parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(line: &str) -> Option<(String, Option<String>)> {
        byline(line).map(|b| (b.name, b.outlet))
    }

    #[test]
    fn french_bylines() {
        let some = |n: &str, o: Option<&str>| Some((n.to_string(), o.map(str::to_string)));
        assert_eq!(name("par Jean Dupont"), some("Jean Dupont", None));
        assert_eq!(
            name("Par Jean Dupont, Le Devoir"),
            some("Jean Dupont", Some("Le Devoir"))
        );
        assert_eq!(
            name("PAR Élise Gagnon | Ciné-Québec"),
            some("Élise Gagnon", Some("Ciné-Québec"))
        );
        assert_eq!(name("Critique de Jean Dupont"), some("Jean Dupont", None));
        assert_eq!(
            name("Une critique de Marie de La Roche"),
            some("Marie de La Roche", None)
        );
        assert_eq!(
            name("Par Jean Dupont, publié le 6 septembre 2024"),
            some("Jean Dupont", None)
        );
        assert_eq!(
            name("By Jane Critic, The Herald"),
            some("Jane Critic", Some("The Herald"))
        );
        // the film's makers are never the critic
        for line in [
            "Réalisé par Ariane Louis-Seize",
            "réalisé par Ariane Louis-Seize",
            "Un film réalisé par Ariane Louis-Seize",
            "Écrit par Pascal Plante",
            "Interprété par Juliette Gariépy",
            "Produit par Dominique Dussault",
            "Critique du film Les Chambres rouges",
            "par ailleurs, le film est long",
        ] {
            assert_eq!(name(line), None, "{line:?}");
        }
    }

    #[test]
    fn french_pages_are_told_from_english_ones() {
        assert!(is_french(&fold(
            "Le film est long, mais la mise en scène est précise et les acteurs sont justes dans une histoire qui ne lâche pas."
        )));
        assert!(!is_french(&fold(
            "The film is long, but the direction is precise and the actors are good in a story that never lets go of the audience."
        )));
    }
}
