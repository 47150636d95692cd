//! Verdict's domain vocabulary, shared by every stage of the pipeline.
//!
//! This crate holds plain data and the few rules that define the words
//! (what score makes a review positive). It knows nothing of files, HTML,
//! SQL or HTTP, and every other crate may depend on it.

pub mod copies;
pub mod cpu;
pub mod hex;
pub mod limits;
pub mod title;

use serde::{Deserialize, Serialize};
use std::fmt;

/// A byte range into a document's decoded (UTF-8) text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// The three-way verdict a review gives a film.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Positive,
    Mixed,
    Negative,
}

impl Verdict {
    /// Score (0–100) at or above which a review counts as positive.
    pub const POSITIVE_FROM: f64 = 60.0;
    /// Score (0–100) below which a review counts as negative.
    pub const NEGATIVE_BELOW: f64 = 40.0;

    /// The verdict a 0–100 score stands for: positive from 60, mixed from 40,
    /// negative below 40.
    pub fn from_score(score: f64) -> Verdict {
        if score >= Self::POSITIVE_FROM {
            Verdict::Positive
        } else if score >= Self::NEGATIVE_BELOW {
            Verdict::Mixed
        } else {
            Verdict::Negative
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Positive => "positive",
            Verdict::Mixed => "mixed",
            Verdict::Negative => "negative",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "positive" => Some(Verdict::Positive),
            "mixed" => Some(Verdict::Mixed),
            "negative" => Some(Verdict::Negative),
            _ => None,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much to trust a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// A rating as the critic wrote it, read on its own scale and normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// The exact source text the rating was read from.
    pub raw: String,
    /// The value on the critic's scale (4.5 in "4.5/5").
    pub value: f64,
    /// The best value of the scale (5 in "4.5/5").
    pub best: f64,
    /// The worst value of the scale (0 for most scales).
    pub worst: f64,
    /// The rating normalised to 0–100.
    pub score: f64,
    /// A short name of the scale ("x/5", "stars/4", "letter", "0-100").
    pub scale: String,
    pub confidence: Confidence,
    /// Where `raw` sits in the document text, when it came from a document.
    pub span: Option<Span>,
}

/// One mark of a multi-aspect rating (Little White Lies: Anticipation,
/// Enjoyment, In Retrospect).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aspect {
    pub name: String,
    pub raw: String,
    pub value: f64,
    pub best: f64,
    pub score: f64,
    pub span: Option<Span>,
}

/// What a passage of a review is, for judging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The critic's own words.
    Body,
    /// The critic's closing verdict ("Rating: …", "Verdict: …", the last
    /// paragraph): weighed more.
    Verdict,
    /// Someone else's words quoted in the review: never judged.
    Quote,
}

/// A paragraph-sized piece of review text with its role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    pub text: String,
    pub role: Role,
}

/// The judge's reading of a review's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    /// 0–100.
    pub score: f64,
    pub verdict: Verdict,
    /// Probability that the verdict is right (calibrated on held-out data).
    pub probability: f64,
    /// The sentences that weighed most, strongest first.
    pub evidence: Vec<String>,
    /// Which model judged ("linear-en-v1").
    pub model: String,
}

/// How Verdict scores one review: the headline score, its verdict and how
/// sure it is, and the review's probability of being favourable.
///
/// Documents and export rows alike are assessed by one function,
/// `verdict_judge::Judge::assess`, from the rating read (if any) and the
/// judge's reading of the text: a rating decides the score when there is
/// one, the judge's reading otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The headline score, 0–100: the rating's when there is one, else the
    /// judge's.
    pub score: f64,
    /// [`Verdict::from_score`] of a rating's score, or the judge's verdict.
    pub verdict: Verdict,
    /// 0–1: how sure the score's verdict is (for a rating, how sure its
    /// reading is).
    pub confidence: f64,
    /// True when the score came from the judge (or from nothing), not from
    /// a rating.
    pub inferred: bool,
    /// The probability that the review is favourable, from the rating and
    /// the text (never from a source's own label); `None` when there was
    /// neither.
    pub p_positive: Option<f64>,
    /// The judge's reading of the text (kept for rated reviews too); `None`
    /// when there was no text to read.
    pub judgement: Option<Judgement>,
}

impl Assessment {
    /// An unjudged review: no rating and no text the judge could read, so
    /// no judgement. Its score (50) and verdict (mixed) are placeholders,
    /// counted in no number.
    pub fn unjudged(&self) -> bool {
        self.inferred && self.judgement.is_none()
    }
}

/// Which film a review belongs to: what resolution decides and the store
/// writes (the store never decides).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FilmChoice {
    /// A film already stored.
    Existing {
        id: i64,
        /// Replaces the film's year when `Some`.
        year: Option<i32>,
        /// Aliases to add; keys the film already has (as an alias or as its
        /// title key) are ignored.
        new_aliases: Vec<title::Alias>,
    },
    /// A film to create.
    New {
        title: String,
        title_key: String,
        year: Option<i32>,
        aliases: Vec<title::Alias>,
    },
}

/// A film as Verdict knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Film {
    pub id: i64,
    pub title: String,
    pub year: Option<i32>,
    pub aliases: Vec<String>,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// A note on something a stage noticed: extraction never fails, it says
/// what it could not do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, machine-readable code ("rating.none", "title.first-line").
    pub code: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
        }
    }
    pub fn info(code: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message)
    }
    pub fn warning(code: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }
}

/// One critic's harshness: how far their rated scores sit from the other
/// critics' on the same films (computed by `verdict_aggregate::stats`,
/// cached by the store).
#[derive(Debug, Clone, PartialEq)]
pub struct CriticHarshness {
    /// `title::fold` of the name: what reviews are grouped by.
    pub key: String,
    /// The name as first seen.
    pub critic: String,
    /// Rated reviews compared with a consensus.
    pub reviews: u64,
    pub films: u64,
    /// Mean of (score − the other critics' mean on the same film).
    pub mean_offset: f64,
    /// `mean_offset · n / (n + OFFSET_SHRINK)`.
    pub shrunk_offset: f64,
}

/// The `format` of the reviews the importers produce (stored with each
/// review).
pub const IMPORT_FORMATS: [&str; 5] = [
    "rt-kaggle-csv",
    "rt-csv",
    "flatiron-tsv",
    "letterboxd",
    "csv",
];

/// Whether a stored review's format is one of [`IMPORT_FORMATS`].
pub fn is_import_format(format: &str) -> bool {
    IMPORT_FORMATS.contains(&format)
}

/// A review read from one row of an export: no document stands behind it.
/// Everything is already decided (rating read, text judged) by the importer.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedReview {
    /// Identity for idempotence, hashed from the row's identifying fields
    /// or the export's own review id (the importer's `content_hash`).
    pub content_hash: String,
    /// Where the row came from: `path:line`, or the export's id.
    pub source: String,
    /// The layout it was read from ("rt-csv", "flatiron-tsv", "letterboxd"…).
    pub format: &'static str,
    /// The film title as the row shows it, when the row carries one.
    pub title_seen: Option<String>,
    pub year_seen: Option<i32>,
    pub critic: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    /// The review's text (a pull quote, for most exports); may be empty.
    pub body: String,
    pub rating: Option<Rating>,
    /// The score, verdict, confidence and P(favourable) decided from the
    /// rating and the text (the judgement is there when there was text).
    pub assessment: Assessment,
    /// The verdict the export itself gives (Rotten Tomatoes' fresh/rotten).
    pub source_verdict: Option<Verdict>,
    /// The export's "top critic" flag.
    pub top_critic: Option<bool>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A review as extracted from one document, before it is judged, resolved
/// to a film and stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Path or URL the document came from.
    pub source: String,
    /// Hex SHA-256 of the document's bytes: the identity used for idempotence.
    pub content_hash: String,
    /// "text", "markdown" or "html".
    pub format: String,
    /// The headline or title as the document shows it.
    pub title_seen: Option<String>,
    /// The film title read from it ("Red Rooms").
    pub film_title: Option<String>,
    /// Release year evidence from the document.
    pub year: Option<i32>,
    /// Other titles of the film named in the document ("Les Chambres Rouges").
    pub aliases: Vec<String>,
    pub critic: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    /// The review's main text, boilerplate removed, paragraphs separated by
    /// blank lines.
    pub body: String,
    /// The body split into passages with their roles, for judging.
    pub passages: Vec<Passage>,
    /// The headline rating, if the critic gave one.
    pub rating: Option<Rating>,
    pub aspects: Vec<Aspect>,
    /// The verdict the page gives the review (a listing's fresh/rotten
    /// mark), beside any rating: counted for % positive, as an export's
    /// label is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_verdict: Option<Verdict>,
    /// The review's own address, when the document is a listing that
    /// quotes it (the document itself is `source`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The source of a review read from item `n` of the listing page `page`
/// (a path or URL): `PAGE#review-N`. The one spelling of that convention;
/// [`listing_page`] and [`listing_range`] read it back.
pub fn listed_source(page: &str, n: usize) -> String {
    format!("{page}{LISTED}{n}")
}

const LISTED: &str = "#review-";

/// The listing page a review was read from, when its source is an item's
/// (`PAGE#review-N`).
pub fn listing_page(source: &str) -> Option<&str> {
    source
        .rsplit_once(LISTED)
        .filter(|(page, n)| {
            !page.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
        })
        .map(|(page, _)| page)
}

/// The sources of `page`'s items, as a range of strings compared byte by
/// byte: `from <= source < to` (for an index of sources).
pub fn listing_range(page: &str) -> (String, String) {
    let from = format!("{page}{LISTED}");
    // '.' follows '-': every source that starts with `from` sorts below
    let to = format!("{page}#review.");
    (from, to)
}

/// A site's own published aggregate of a film (Rotten Tomatoes'
/// Tomatometer, a Metascore, an average of stars), read from a page that
/// lists reviews: shown beside Verdict's numbers, never counted as a
/// review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedScore {
    /// The site that publishes it ("Rotten Tomatoes").
    pub site: String,
    /// The aggregate's own name ("Tomatometer"), when it gives one.
    pub name: Option<String>,
    /// The value as published, on `worst..=best`.
    pub value: f64,
    pub best: f64,
    pub worst: f64,
    /// How many reviews or ratings it is of, when said.
    pub count: Option<u64>,
    /// Whether the value is a percentage of favourable reviews (a
    /// Tomatometer) rather than an average score.
    pub percent: bool,
    /// The page it was read from.
    pub source: String,
    /// When it was read (`YYYY-MM-DD`), filled by the store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<String>,
}

impl PublishedScore {
    /// "Rotten Tomatoes: 94 % of 433", "Metacritic: 81/100 of 52".
    pub fn summary(&self) -> String {
        let num = |x: f64| {
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x:.1}")
            }
        };
        let value = if self.percent {
            format!("{} %", num(self.value))
        } else if self.worst == 0.0 || self.worst == 1.0 {
            format!("{}/{}", num(self.value), num(self.best))
        } else {
            format!(
                "{} ({} to {})",
                num(self.value),
                num(self.worst),
                num(self.best)
            )
        };
        match self.count {
            Some(n) => format!("{}: {value} of {n}", self.site),
            None => format!("{}: {value}", self.site),
        }
    }
}
