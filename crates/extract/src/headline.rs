//! Reading a film title out of a headline.
//!
//! Shapes read (in this order):
//! - a site suffix: "Red Rooms movie review (2024) | Little White Lies";
//! - a review prefix: "Review: …", "Film review – …", and the French
//!   "Critique : …", "Critique du film …", "Critique « … »";
//! - a quoted title: "Review: ‘Red Rooms’: A Skin-Crawling Ascent…",
//!   "Critique : « Les Chambres rouges », un thriller glaçant", "« Les
//!   Chambres rouges » : critique" (French guillemets, with or without
//!   their no-break spaces);
//! - a title in capitals before a sentence: "RED ROOMS is a Disturbing…";
//! - a review suffix: "Red Rooms review – a claustrophobic…", "Red Rooms movie review",
//!   "Les Chambres rouges (2023) – critique";
//! - a year in brackets: "Red Rooms (2023)";
//! - otherwise a short headline is the title itself.

use regex::Regex;
use std::sync::LazyLock;
use verdict_core::title::{is_all_caps, title_case};

/// What a headline says about the film.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub title: String,
    pub year: Option<i32>,
    /// A site name after " | ".
    pub outlet: Option<String>,
    /// 1 (a guess) to 3 (a recognised shape).
    pub confidence: u8,
    /// Which shape was read, for diagnostics.
    pub shape: &'static str,
}

static YEAR_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[(\[]((?:18|19|20)\d{2})[)\]]\s*$").expect("year"));
static REVIEW_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:film|movie|tiff|sundance|cannes|festival)\s+)?reviews?\s*(?::|\||–|—|-)\s*",
    )
    .expect("prefix")
});
/// The French review prefix: "Critique : ", "Critique du film ", "La
/// critique de ", "Critique " before a quoted title (group 1: the
/// separator or "du film" that makes it a prefix by itself).
static FRENCH_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:la\s+)?critiques?(?:\s*((?::|\||–|—|-)|du\s+film|de\s+film|de\s+la\s+série|du|de))?\s*(?::\s*)?",
    )
    .expect("French prefix")
});
/// The French review suffix: "Les Chambres rouges (2023) – critique",
/// "… : la critique du film".
static FRENCH_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?::|\||–|—|-|,)\s*(?:la\s+|notre\s+)?critiques?(?:\s+du\s+film)?(?:\s*[(\[]((?:18|19|20)\d{2})[)\]])?(?:\s*(?::|–|—|-)\s+.*)?$")
        .expect("French suffix")
});
static REVIEW_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:(?:movie|film)\s+)?review(?:ed)?(?:\s*[(\[]((?:18|19|20)\d{2})[)\]])?(?:\s*(?::|–|—|-)\s+.*)?$")
        .expect("suffix")
});

/// Reads a headline; `None` when it is empty or plainly not a title.
pub fn read_headline(headline: &str) -> Option<Headline> {
    let mut s = headline.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() || s.chars().count() > 300 {
        return None;
    }
    let mut outlet = None;
    if let Some((left, right)) = s.rsplit_once(" | ")
        && !left.trim().is_empty()
        && right.split_whitespace().count() <= 6
    {
        outlet = Some(right.trim().to_string());
        s = left.trim().to_string();
    }
    let done = |title: &str, year, confidence, shape| -> Option<Headline> {
        let title = clean_title(title);
        (!title.is_empty()).then(|| Headline {
            title,
            year,
            outlet: outlet.clone(),
            confidence,
            shape,
        })
    };

    let mut stripped = REVIEW_PREFIX.replace(&s, "").to_string();
    if stripped.len() == s.len()
        && let Some(rest) = french_prefix(&s)
    {
        stripped = rest;
    }
    let had_prefix = stripped.len() != s.len();
    if let Some((quoted, rest_start)) = first_quoted(&stripped)
        && (had_prefix
            || stripped.starts_with(['‘', '“', '"', '\'', '«'])
            || rest_start < stripped.len())
    {
        let (title, y) = split_year(&quoted);
        let y = y
            .or_else(|| {
                YEAR_SUFFIX
                    .captures(&stripped[..rest_start.min(stripped.len())])
                    .and_then(|c| c[1].parse().ok())
            })
            .or_else(|| {
                // "« Les Chambres rouges » (2023) : critique"
                YEAR_AFTER
                    .captures(stripped.get(rest_start..).unwrap_or(""))
                    .and_then(|c| c[1].parse().ok())
            });
        return done(&title, y, 3, "quoted title");
    }
    if let Some(caps_title) = caps_prefix(&stripped) {
        return done(&title_case(&caps_title), None, 3, "title in capitals");
    }
    if let Some(c) = FRENCH_SUFFIX.captures(&stripped) {
        let whole = c.get(0).expect("match");
        let year = c.get(1).and_then(|m| m.as_str().parse().ok());
        let title = &stripped[..whole.start()];
        if !title.trim().is_empty() {
            let (title, y) = split_year(title);
            return done(&title, year.or(y), 3, "critique suffix");
        }
    }
    if let Some(c) = REVIEW_SUFFIX.captures(&stripped) {
        let whole = c.get(0).expect("match");
        let year = c.get(1).and_then(|m| m.as_str().parse().ok());
        let title = &stripped[..whole.start()];
        if !title.trim().is_empty() {
            let (title, y) = split_year(title);
            return done(&title, year.or(y), 3, "review suffix");
        }
    }
    let (title, y) = split_year(&stripped);
    if y.is_some() {
        return done(&title, y, 3, "title (year)");
    }
    if had_prefix {
        // "Review: Red Rooms: a chilling…" — the part before a tagline;
        // "Review: Concrete Summer is a tedious, hollow exercise" — the
        // subject of a sentence (a lower-case verb after a few words; a
        // title's own "Is" is capitalised).
        let title = title.split(": ").next().unwrap_or(&title).to_string();
        for verb in [
            " is ", " are ", " was ", " isn't ", " has ", " est ", " sont ",
        ] {
            if let Some((left, right)) = title.split_once(verb)
                && (1..=6).contains(&left.split_whitespace().count())
                && right.split_whitespace().count() >= 2
            {
                return done(left, None, 2, "review prefix, sentence");
            }
        }
        return done(&title, None, 2, "review prefix");
    }
    // "Harbour Lights: pretty, slow, and oddly empty" — a tagline after a
    // colon or dash starts in lower case or runs long; "Mission: Impossible"
    // does neither.
    for sep in [": ", " – ", " — ", " - "] {
        if let Some((left, right)) = title.split_once(sep) {
            let tagline = right.chars().next().is_some_and(char::is_lowercase)
                || right.split_whitespace().count() >= 4;
            if tagline && (1..=8).contains(&left.split_whitespace().count()) {
                // "Red Rooms (2023) – critics": the year stays with the title
                let (left, y) = split_year(left);
                return done(&left, y, 2, "title: tagline");
            }
        }
    }
    let words = title.split_whitespace().count();
    if words <= 8 && !title.ends_with(['.', '!', '?']) {
        let confidence = if all_caps_or_titled(&title) { 2 } else { 1 };
        let title = if is_all_caps(&title) {
            title_case(&title)
        } else {
            title
        };
        return done(&title, None, confidence, "whole headline");
    }
    // A sentence headline: "Red Rooms is a disturbing…" / "Red Rooms: a chilling…".
    for sep in [": ", " is ", " Is ", " – ", " — ", " - "] {
        if let Some((left, _)) = title.split_once(sep)
            && (1..=6).contains(&left.split_whitespace().count())
        {
            let (left, y) = split_year(left);
            return done(&left, y, 1, "sentence headline");
        }
    }
    None
}

static YEAR_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[(\[]((?:18|19|20)\d{2})[)\]]").expect("year after"));

/// What follows a French review prefix, when the headline starts with one
/// that stands by itself: a separator ("Critique : …"), "du film"
/// ("Critique du film …"), or a quoted title right after ("Critique « … »").
fn french_prefix(s: &str) -> Option<String> {
    let c = FRENCH_PREFIX.captures(s)?;
    let whole = c.get(0)?;
    let rest = s[whole.end()..].trim_start();
    let by_itself = c
        .get(1)
        .is_some_and(|m| !matches!(m.as_str().to_lowercase().as_str(), "du" | "de"));
    let quoted_next = rest.starts_with(['«', '“', '‘', '"']);
    let colon = s[..whole.end()].trim_end().ends_with(':');
    (!rest.is_empty() && (by_itself || quoted_next || colon)).then(|| rest.to_string())
}

fn all_caps_or_titled(s: &str) -> bool {
    s.split_whitespace()
        .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()) || w.len() <= 3)
}

/// "Red Rooms (2023)" → ("Red Rooms", Some(2023)).
pub fn split_year(s: &str) -> (String, Option<i32>) {
    match YEAR_SUFFIX.captures(s) {
        Some(c) => {
            let start = c.get(0).expect("match").start();
            (s[..start].trim().to_string(), c[1].parse().ok())
        }
        None => (s.trim().to_string(), None),
    }
}

fn clean_title(s: &str) -> String {
    s.trim()
        .trim_matches(|c: char| {
            matches!(
                c,
                '‘' | '’'
                    | '“'
                    | '”'
                    | '"'
                    | '\''
                    | ':'
                    | '–'
                    | '—'
                    | '-'
                    | ','
                    | '|'
                    | '«'
                    | '»'
            )
        })
        .trim()
        .to_string()
}

/// The first quoted span: curly quotes, double quotes, or straight single
/// quotes that open after a space or the start and close before a
/// non-letter (so "Kelly-Anne's" is not a quote). Returns the content and
/// the byte offset just after the closing quote.
pub fn first_quoted(s: &str) -> Option<(String, usize)> {
    quoted_spans(s)
        .into_iter()
        .next()
        .map(|(q, _, end)| (q, end))
}

/// Every quoted span of `s`: (content, trimmed; start of the text inside
/// the marks; end after the closing mark).
///
/// One pass, whatever the text: a closing mark that a search found nowhere
/// up to the end is not searched for again (a later search covers less).
pub fn quoted_spans(s: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut hopeless: Vec<char> = Vec::new();
    let mut prev: Option<char> = None;
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let close = match c {
            '‘' => Some('’'),
            '“' => Some('”'),
            '«' => Some('»'),
            '"' => Some('"'),
            '\'' if !prev.is_some_and(char::is_alphanumeric) => Some('\''),
            _ => None,
        };
        if let Some(close) = close.filter(|x| !hopeless.contains(x)) {
            let start = i + c.len_utf8();
            let mut rest = s[start..].char_indices().peekable();
            let mut found = None;
            while let Some((k, d)) = rest.next() {
                let next_is_letter = rest.peek().is_some_and(|(_, n)| n.is_alphabetic());
                if d == close && !(close == '\'' || close == '’') || d == close && !next_is_letter
                {
                    found = Some(start + k);
                    break;
                }
            }
            match found {
                None => hopeless.push(close),
                Some(end_quote) if end_quote > start => {
                    // « Les Chambres rouges »: the guillemets' spaces
                    // (no-break, narrow or plain) are not the title's
                    let content = s[start..end_quote].trim();
                    if content.chars().count() <= 120 && !content.is_empty() {
                        out.push((content.to_string(), start, end_quote + close.len_utf8()));
                    }
                    i = end_quote + close.len_utf8();
                    prev = Some(close);
                    continue;
                }
                Some(_) => {}
            }
        }
        prev = Some(c);
        i += c.len_utf8();
    }
    out
}

/// "RED ROOMS is a Disturbing…" → "RED ROOMS": leading words in capitals,
/// followed by words that are not.
fn caps_prefix(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let caps = words
        .iter()
        .take_while(|w| is_all_caps(w) || (!w.chars().any(char::is_alphabetic) && !w.is_empty()))
        .count();
    if caps == 0 || caps == words.len() {
        return None;
    }
    let title = words[..caps].join(" ");
    let letters = title.chars().filter(|c| c.is_alphabetic()).count();
    let next_has_lower = words[caps].chars().any(char::is_lowercase);
    (letters >= 2 && next_has_lower && title != "I" && title != "A")
        .then(|| title.trim_end_matches(':').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> (String, Option<i32>, Option<String>) {
        let h = read_headline(s).unwrap_or_else(|| panic!("no title in {s:?}"));
        (h.title, h.year, h.outlet)
    }

    #[test]
    fn seed_shapes() {
        assert_eq!(t("Red Rooms"), ("Red Rooms".into(), None, None));
        assert_eq!(
            t("Red Rooms (2023)"),
            ("Red Rooms".into(), Some(2023), None)
        );
        assert_eq!(
            t("Review: ‘Red Rooms’: A Skin-Crawling Ascent into Delirium").0,
            "Red Rooms"
        );
        assert_eq!(
            t("RED ROOMS is a Disturbing and Masterful True Crime Character Study").0,
            "Red Rooms"
        );
        assert_eq!(
            t("Red Rooms movie review (2024) | Little White Lies"),
            (
                "Red Rooms".into(),
                Some(2024),
                Some("Little White Lies".into())
            )
        );
        assert_eq!(
            t("Red Rooms review – a claustrophobic tech-tinged nightmare").0,
            "Red Rooms"
        );
    }

    #[test]
    fn other_shapes() {
        assert_eq!(t("Film review: Past Lives").0, "Past Lives");
        assert_eq!(
            t("Review: Concrete Summer is a tedious, hollow exercise").0,
            "Concrete Summer"
        );
        assert_eq!(t("Review: Life Is Beautiful").0, "Life Is Beautiful");
        assert_eq!(t("Review: Love Is Strange (2014)").0, "Love Is Strange");
        assert_eq!(
            t("'Oppenheimer' review: a towering biopic").0,
            "Oppenheimer"
        );
        assert_eq!(t("“Anatomy of a Fall” Review").0, "Anatomy of a Fall");
        assert_eq!(t("THE ZONE OF INTEREST").0, "The Zone of Interest");
        assert_eq!(t("Mission: Impossible (1996)").0, "Mission: Impossible");
        assert_eq!(t("Mission: Impossible").0, "Mission: Impossible");
        assert_eq!(
            t("Harbour Lights: pretty, slow, and oddly empty").0,
            "Harbour Lights"
        );
        assert_eq!(
            t("Harbour Lights - A Tide You Should Ride Today").0,
            "Harbour Lights"
        );
        assert_eq!(
            t("Red Rooms is a Disturbing Film That Will Haunt You For Days To Come").0,
            "Red Rooms"
        );
    }

    #[test]
    fn french_shapes() {
        let rooms = |s: &str| {
            let (title, year, _) = t(s);
            assert_eq!(title, "Les Chambres rouges", "{s:?}");
            year
        };
        rooms("Critique : “Les Chambres rouges”, un thriller glaçant");
        rooms("Critique : « Les Chambres rouges », un thriller glaçant");
        rooms("Critique « Les Chambres rouges » : un thriller glaçant");
        rooms("Critique\u{A0}: «\u{A0}Les Chambres rouges\u{A0}»");
        rooms("«\u{202F}Les Chambres rouges\u{202F}» : critique");
        rooms("« Les Chambres rouges » : notre critique");
        assert_eq!(rooms("Les Chambres rouges (2023) – critique"), Some(2023));
        assert_eq!(
            rooms("« Les Chambres rouges » (2023) : critique"),
            Some(2023)
        );
        rooms("Les Chambres rouges : la critique du film");
        rooms("Critique du film Les Chambres rouges");
        rooms("Critique de « Les Chambres rouges »");
        rooms("Critique : Les Chambres rouges");
        rooms("Les Chambres rouges : un thriller glaçant");
        // a title that holds the word stays whole
        assert_eq!(
            t("La Critique de la raison pure").0,
            "La Critique de la raison pure"
        );
        assert_eq!(t("Critiques").0, "Critiques");
    }

    #[test]
    fn quotes_skip_apostrophes() {
        let q =
            quoted_spans("Yes, both \"Red Rooms\" and \"Les Chambres Rouges\"! Kelly's 'thing'");
        let texts: Vec<&str> = q.iter().map(|(s, _, _)| s.as_str()).collect();
        assert_eq!(texts, vec!["Red Rooms", "Les Chambres Rouges", "thing"]);
    }
}
