//! One raw row becomes an imported review: its rating read, its text
//! judged, its identity hashed. Pure and thread-safe: the bulk path runs it
//! on several threads.

use std::sync::Arc;

use sha2::{Digest, Sha256};
use verdict_core::{Diagnostic, ImportedReview, Verdict, hex};
use verdict_judge::{BulkReader, Judge};
use verdict_rating::{Reading, ScaleHint, read_with};

use crate::row::{FilmInfo, RawRow};

/// Texts up to this long are read as pull quotes (no evidence sentences).
const PULL_QUOTE_BYTES: usize = 400;

/// A row's text longer than this is cut (and said): no review is that
/// long, and judging a hostile 50 MB field would take gigabytes.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

pub use verdict_core::limits::{MAX_NAME_CHARS, MAX_TITLE_CHARS};

/// `s` cut to its first `max` characters, with a warning naming `what`
/// when it was longer; as it is (no copy) when it was not.
fn cut_chars(mut s: String, max: usize, what: &str, diagnostics: &mut Vec<Diagnostic>) -> String {
    verdict_core::limits::cut_said(&mut s, max, what, "import.name-cut", diagnostics);
    s
}

/// The film with its title and aliases cut to [`MAX_TITLE_CHARS`]: the
/// same film (no copy) when none is longer.
fn cut_film(film: Arc<FilmInfo>, diagnostics: &mut Vec<Diagnostic>) -> Arc<FilmInfo> {
    let long = |t: &String| t.chars().nth(MAX_TITLE_CHARS).is_some();
    if !film.title.as_ref().is_some_and(long) && !film.aliases.iter().any(long) {
        return film;
    }
    let mut f = FilmInfo::clone(&film);
    f.title = f
        .title
        .map(|t| cut_chars(t, MAX_TITLE_CHARS, "film title", diagnostics));
    f.aliases = std::mem::take(&mut f.aliases)
        .into_iter()
        .map(|a| cut_chars(a, MAX_TITLE_CHARS, "film's alternative title", diagnostics))
        .collect();
    Arc::new(f)
}

/// A review read from a row, rating read and text judged: the review as
/// the store takes it, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub film: Arc<FilmInfo>,
    pub origin: Arc<str>,
    pub line: u64,
    pub review: ImportedReview,
}

/// Reads ratings and judges texts.
#[derive(Debug, Clone, Copy)]
pub struct Processor {
    judge: &'static Judge,
    /// The judge's reader of short texts: the full reading without the
    /// evidence sentences (a row's text is a pull quote, its own evidence).
    reader: &'static BulkReader<'static>,
}

impl Default for Processor {
    fn default() -> Self {
        Processor::embedded()
    }
}

/// A text with its HTML character references (`&#8217;`, `&#x2019;`,
/// `&amp;`, `&eacute;`…) replaced by their characters; a text without `&`
/// as it is, without a copy.
fn decode_entities(text: String) -> String {
    if !text.contains('&') {
        return text;
    }
    match html_escape::decode_html_entities(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(decoded) => decoded,
    }
}

/// Calls `f` with `value` as `Display` writes it, formatted on the stack
/// (the text `to_string` would give, without allocating).
fn with_display(value: impl std::fmt::Display, f: impl FnOnce(&str)) {
    let mut buf = [0u8; 48];
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    if std::io::Write::write_fmt(&mut cursor, format_args!("{value}")).is_ok() {
        let n = usize::try_from(cursor.position()).unwrap_or(0);
        if let Ok(s) = std::str::from_utf8(&buf[..n]) {
            return f(s);
        }
    }
    f(&value.to_string())
}

/// The identity of a row, 40 hex digits: 8 of the SHA-256 of its film's
/// identity (the export's film id, else its title and year), then 32 of
/// the SHA-256 of the row's own identity (the export's review id when it
/// has one, else every field that tells the row from another).
///
/// The film's part comes first so that a film's rows sit together in the
/// database's index of identities: importing a file sorted by film then
/// touches a few index pages per film instead of one per row, which keeps
/// a million-row import's writes small. 128 bits still tell rows apart.
pub fn content_hash(row: &RawRow) -> String {
    let f = &row.film;
    // The rows of a film come together and share its `FilmInfo`: its part
    // is hashed once per run of rows.
    thread_local! {
        static FILM: std::cell::RefCell<Option<(Arc<FilmInfo>, String)>> =
            const { std::cell::RefCell::new(None) };
    }
    let mut id = String::with_capacity(40);
    FILM.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some((film, hex)) if Arc::ptr_eq(film, f) => id.push_str(hex),
            _ => {
                let hex = film_hash(f);
                id.push_str(&hex);
                *last = Some((f.clone(), hex));
            }
        }
    });
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update(s.as_bytes());
        h.update([0x1f]);
    };
    put(row.format);
    put(row.critic.as_deref().unwrap_or(""));
    match &row.review_id {
        Some(id) => put(id),
        None => {
            put(f.source.unwrap_or(""));
            put(f
                .external_id
                .as_deref()
                .or(f.title.as_deref())
                .unwrap_or(""));
            match f.year {
                Some(y) => with_display(y, &mut put),
                None => put(""),
            }
            put(row.outlet.as_deref().unwrap_or(""));
            match row.date {
                Some(d) => with_display(d, &mut put),
                None => put(""),
            }
            put(row.label.map_or("", Verdict::as_str));
            put(row.rating.as_deref().unwrap_or(""));
            put(&row.text);
            for q in &row.quotes {
                put(q);
            }
        }
    }
    hex::push(&mut id, &h.finalize()[..16]);
    id
}

/// The film's part of [`content_hash`]: 8 hex digits.
fn film_hash(f: &FilmInfo) -> String {
    let mut film = Sha256::new();
    for part in [
        f.source.unwrap_or(""),
        f.external_id
            .as_deref()
            .or(f.title.as_deref())
            .unwrap_or(""),
        &f.year.map(|y| y.to_string()).unwrap_or_default(),
    ] {
        film.update(part.as_bytes());
        film.update([0x1f]);
    }
    hex::encode(&film.finalize()[..4])
}

impl Processor {
    /// With the shipped judge.
    pub fn embedded() -> Processor {
        static READER: std::sync::OnceLock<BulkReader<'static>> = std::sync::OnceLock::new();
        Processor {
            judge: Judge::embedded(),
            reader: READER.get_or_init(|| Judge::embedded().bulk_reader()),
        }
    }

    /// The judge's model name.
    pub fn judge_name(&self) -> &str {
        self.judge.name()
    }

    /// Reads the rating, judges the text, hashes the identity.
    pub fn process(&self, row: RawRow) -> Imported {
        let content_hash = content_hash(&row);
        let RawRow {
            origin,
            line,
            format,
            film,
            title_seen,
            year_seen,
            critic,
            outlet,
            date,
            top_critic,
            label,
            rating: raw_rating,
            hint,
            reading,
            text,
            quotes,
            notes: mut diagnostics,
            ..
        } = row;
        // Names and titles of a sane length (the identity above is of the
        // row as written).
        let film = cut_film(film, &mut diagnostics);
        let title_seen =
            title_seen.map(|t| cut_chars(t, MAX_TITLE_CHARS, "film title", &mut diagnostics));
        let critic =
            critic.map(|c| cut_chars(c, MAX_NAME_CHARS, "critic's name", &mut diagnostics));
        let outlet =
            outlet.map(|o| cut_chars(o, MAX_NAME_CHARS, "outlet's name", &mut diagnostics));
        let read = match (raw_rating.as_deref(), reading) {
            (Some(_), Some(reading)) => Some(reading),
            (Some(raw), None) => Some(read_with(raw, &hint.unwrap_or_else(ScaleHint::default))),
            (None, _) => None,
        };
        let rating = read.and_then(|reading| match reading {
            Reading::Rated(r) => Some(r),
            Reading::Refused(x) => {
                diagnostics.push(Diagnostic::info(
                    "rating.refused",
                    format!("the rating was not read: {}", x.reason),
                ));
                None
            }
        });
        let mut text = text;
        if text.len() > MAX_TEXT_BYTES {
            let mut end = MAX_TEXT_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            diagnostics.push(Diagnostic::warning(
                "import.text-cut",
                format!(
                    "the review text is {} bytes long: cut to its first {end}",
                    text.len()
                ),
            ));
            text.truncate(end);
            text.shrink_to_fit();
        }
        // Exports write some texts with HTML entities ("isn&#8217;t bad&#44;
        // but…"): read and stored as the characters they stand for. The
        // identity above is of the text as written, so that it never moves.
        // Cut first: decoding never makes a text longer, and a hostile field
        // is not copied whole.
        let text = decode_entities(text);
        let has_text = !text.trim().is_empty();
        // A pull quote is its own evidence: read in one pass without
        // picking sentences. A longer text (a Letterboxd review) gets the
        // full reading, with the sentences that decided it.
        let reading = if text.len() > PULL_QUOTE_BYTES {
            self.judge.read_text(&text)
        } else {
            self.reader.read(if has_text { &text } else { "" })
        };
        // The one assessment of a review, as for documents.
        let assessment = self
            .judge
            .assess(reading, rating.as_ref(), has_text, &mut diagnostics);
        // The text, then the quotes marked as such.
        let mut body = if has_text { text } else { String::new() };
        for q in quotes {
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str("> ");
            body.push_str(&decode_entities(q));
        }
        let review = ImportedReview {
            source: format!("{origin}:{line}"),
            content_hash,
            format,
            title_seen,
            year_seen,
            critic,
            outlet,
            date,
            body,
            rating,
            assessment,
            source_verdict: label,
            top_critic,
            diagnostics,
        };
        Imported {
            film,
            origin,
            line,
            review,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(film: &Arc<FilmInfo>, critic: &str, text: &str, review_id: Option<&str>) -> RawRow {
        RawRow {
            origin: Arc::from("reviews.csv"),
            line: 2,
            format: "rt-csv",
            film: film.clone(),
            review_id: review_id.map(str::to_string),
            title_seen: None,
            year_seen: None,
            critic: Some(critic.to_string()),
            outlet: Some("Paper".to_string()),
            date: None,
            top_critic: None,
            label: Some(Verdict::Positive),
            rating: Some("3/4".to_string()),
            hint: None,
            reading: None,
            text: text.to_string(),
            quotes: vec![],
            notes: vec![],
        }
    }

    fn film(id: &str) -> Arc<FilmInfo> {
        Arc::new(FilmInfo {
            source: Some("rt"),
            external_id: Some(id.to_string()),
            ..FilmInfo::default()
        })
    }

    /// The formula written out with plain formatting: identities already
    /// stored must never change.
    #[test]
    fn an_identity_is_the_hash_of_the_fields_as_written() {
        let f = Arc::new(FilmInfo {
            source: Some("rt"),
            title: Some("Offside".to_string()),
            year: Some(2006),
            ..FilmInfo::default()
        });
        let mut r = row(&f, "Ann", "Good.", None);
        r.date = chrono::NaiveDate::from_ymd_opt(2007, 3, 9);
        let sha = |parts: &[&str]| {
            let mut h = Sha256::new();
            for p in parts {
                h.update(p.as_bytes());
                h.update([0x1f]);
            }
            h.finalize()
        };
        let film = sha(&["rt", "Offside", "2006"]);
        let own = sha(&[
            "rt-csv",
            "Ann",
            "rt",
            "Offside",
            "2006",
            "Paper",
            "2007-03-09",
            "positive",
            "3/4",
            "Good.",
        ]);
        let want = format!("{}{}", hex::encode(&film[..4]), hex::encode(&own[..16]));
        assert_eq!(content_hash(&r), want);
    }

    #[test]
    fn identities_group_by_film_and_tell_rows_apart() {
        let a = film("m/a");
        let h1 = content_hash(&row(&a, "Ann", "Good.", None));
        let h2 = content_hash(&row(&a, "Bob", "Good.", None));
        let h3 = content_hash(&row(&film("m/b"), "Ann", "Good.", None));
        assert_eq!(h1.len(), 40);
        assert!(h1.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(h1, content_hash(&row(&a, "Ann", "Good.", None)), "stable");
        assert_ne!(h1, h2);
        assert_eq!(h1[..8], h2[..8], "a film's rows share the prefix");
        assert_ne!(h1[..8], h3[..8]);
        // With the export's own review id, the id is the identity.
        let x = content_hash(&row(&a, "Ann", "Good.", Some("101")));
        assert_eq!(x, content_hash(&row(&a, "Ann", "Edited.", Some("101"))));
        assert_ne!(x, content_hash(&row(&a, "Ann", "Good.", Some("102"))));
    }

    /// A rating the reader already read (to learn its critic's scale) is
    /// stored as reading it here would; one it could not read is noted.
    #[test]
    fn a_rating_read_by_the_reader_is_the_rating_read_here() {
        let p = Processor::embedded();
        let f = film("m/a");
        let fresh = p.process(row(&f, "Ann", "Good.", None)).review;
        let mut handed = row(&f, "Ann", "Good.", None);
        handed.reading = Some(verdict_rating::read("3/4"));
        let handed = p.process(handed).review;
        assert_eq!(handed.rating.as_ref().map(|r| r.score), Some(75.0));
        assert_eq!(handed, fresh);
        let mut refused = row(&f, "Ann", "Good.", None);
        refused.rating = Some("soon".to_string());
        let mut handed = refused.clone();
        handed.reading = Some(verdict_rating::read("soon"));
        let (fresh, handed) = (p.process(refused).review, p.process(handed).review);
        assert_eq!(handed.rating, None);
        assert!(
            handed
                .diagnostics
                .iter()
                .any(|d| d.code == "rating.refused")
        );
        assert_eq!(handed, fresh);
    }

    #[test]
    fn long_texts_keep_their_evidence_and_pull_quotes_need_none() {
        let p = Processor::embedded();
        let a = film("m/a");
        let mut quote = row(
            &a,
            "Ann",
            "A wonderful, moving, beautifully acted film.",
            None,
        );
        quote.rating = None;
        let quote = p.process(quote).review;
        assert!(quote.assessment.judgement.unwrap().evidence.is_empty());
        let long = "The story follows a family over one summer by the sea. \
            The cast is wonderful and the ending is deeply moving. \
            The middle hour drags, and the score is too loud in places. \
            Still, it is a beautifully made, generous film that stays with you. \
            The photography of the harbour at night is gorgeous. \
            The two young leads carry scenes that would sink lesser actors. \
            Its quiet final scene, a mother and her son watching the boats \
            come in, earns every one of its tears. \
            I would happily watch it again next summer.";
        assert!(long.len() > PULL_QUOTE_BYTES);
        let mut review = row(&a, "Bob", long, None);
        review.rating = None;
        let review = p.process(review).review;
        let evidence = review.assessment.judgement.unwrap().evidence;
        assert!(!evidence.is_empty());
        assert!(
            evidence.iter().all(|e| long.contains(e.as_str())),
            "{evidence:?}"
        );
    }

    /// HTML character references in an export's text are read as their
    /// characters; the row's identity stays that of the text as written.
    #[test]
    fn html_entities_are_decoded_and_the_identity_is_the_texts_as_written() {
        let p = Processor::embedded();
        let a = film("m/a");
        let written = "Waititi&#8217;s latest isn&#8217;t bad&#44; and it&#x2019;s fun &amp; warm";
        let mut r = row(&a, "Ann", written, None);
        r.rating = None;
        r.quotes = vec!["&quot;A joy&quot;".into()];
        let identity = content_hash(&r);
        let review = p.process(r).review;
        assert_eq!(
            review.body,
            "Waititi’s latest isn’t bad, and it’s fun & warm\n\n> \"A joy\""
        );
        assert_eq!(review.content_hash, identity);
        assert_eq!(
            decode_entities("no entities here".into()),
            "no entities here"
        );
        assert_eq!(decode_entities("AT&T".into()), "AT&T");
    }

    #[test]
    fn long_titles_and_names_are_cut_and_said() {
        let p = Processor::embedded();
        let long = Arc::new(FilmInfo {
            title: Some("T".repeat(10 * MAX_TITLE_CHARS)),
            ..FilmInfo::default()
        });
        let mut r = row(&long, &"é".repeat(2 * MAX_NAME_CHARS), "Fine.", None);
        r.title_seen = long.title.clone();
        let imported = p.process(r);
        assert_eq!(
            imported.film.title.as_ref().map(|t| t.chars().count()),
            Some(MAX_TITLE_CHARS)
        );
        let review = imported.review;
        assert_eq!(
            review.title_seen.map(|t| t.chars().count()),
            Some(MAX_TITLE_CHARS)
        );
        assert_eq!(
            review.critic.map(|c| c.chars().count()),
            Some(MAX_NAME_CHARS)
        );
        assert_eq!(review.outlet.as_deref(), Some("Paper"));
        let cuts = review
            .diagnostics
            .iter()
            .filter(|d| d.code == "import.name-cut")
            .count();
        assert_eq!(cuts, 3, "{:?}", review.diagnostics);
        // A film of a sane title is the same film, not a copy.
        let a = film("m/a");
        assert!(Arc::ptr_eq(
            &p.process(row(&a, "Ann", "Fine.", None)).film,
            &a
        ));
    }

    #[test]
    fn huge_texts_are_cut_and_said() {
        let p = Processor::embedded();
        let a = film("m/a");
        let mut r = row(&a, "Ann", &"é".repeat(MAX_TEXT_BYTES), None);
        r.rating = None;
        let review = p.process(r).review;
        assert!(review.body.len() <= MAX_TEXT_BYTES);
        assert!(review.body.len() > MAX_TEXT_BYTES - 4);
        let codes: Vec<&str> = review.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&"import.text-cut"), "{codes:?}");
    }

    #[test]
    fn rated_rows_keep_their_rating_and_unrated_ones_are_judged() {
        let p = Processor::embedded();
        let a = film("m/a");
        let rated = p
            .process(row(&a, "Ann", "A dull, lifeless film.", None))
            .review;
        assert!(!rated.assessment.inferred);
        assert_eq!(rated.assessment.score, 75.0);
        assert_eq!(rated.rating.as_ref().unwrap().raw, "3/4");
        assert!(rated.assessment.judgement.is_some());
        assert_eq!(rated.source, "reviews.csv:2");
        let mut r = row(
            &a,
            "Bob",
            "A wonderful, moving, beautifully acted film.",
            None,
        );
        r.rating = None;
        let judged = p.process(r).review;
        assert!(judged.assessment.inferred);
        assert_eq!(judged.assessment.verdict, Verdict::Positive);
        assert!(judged.assessment.p_positive.unwrap() > 0.5);
        let mut r = row(&a, "Cy", "", None);
        r.rating = Some("not a rating".into());
        let empty = p.process(r).review;
        assert_eq!(
            (empty.assessment.score, empty.assessment.confidence),
            (50.0, 0.0)
        );
        assert!(empty.assessment.p_positive.is_none());
        let codes: Vec<&str> = empty.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["rating.refused", "import.unread"]);
    }
}
