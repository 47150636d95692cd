//! One review as the `reviews` table takes it, for every backend: from a
//! document's review ([`NewReview`]) or an export's row
//! ([`ImportedReview`]).

use chrono::NaiveDate;
use verdict_core::{Assessment, Confidence, Diagnostic, Rating, Span, Verdict};

use std::path::Path;

use crate::{ImportedReview, NewReview, Result, StoreError};

/// The columns a review is inserted with, on every backend, in the order of
/// the statements' parameters (`?1` / `$1` is `film_id`).
pub(crate) const COLUMNS: [&str; 36] = [
    "film_id",
    "content_hash",
    "source",
    "format",
    "title_seen",
    "year_seen",
    "critic",
    "outlet",
    "published",
    "body",
    "score",
    "verdict",
    "confidence",
    "inferred",
    "rating_raw",
    "rating_value",
    "rating_best",
    "rating_worst",
    "rating_score",
    "rating_scale",
    "rating_confidence",
    "rating_span_start",
    "rating_span_end",
    "judge_model",
    "judge_score",
    "judge_verdict",
    "judge_probability",
    "evidence",
    "diagnostics",
    "ingested_at",
    "source_verdict",
    "top_critic",
    "p_positive",
    "run_id",
    "link",
    "passages",
];

/// The SQL test of a judged review, the same on both backends: the
/// negation of [`crate::StoredReview::unjudged`] (a review is unjudged when
/// it is inferred and no judge read it). A macro so that queries can
/// `concat!` it.
macro_rules! judged_sql {
    () => {
        "(NOT inferred OR judge_model IS NOT NULL)"
    };
}
pub(crate) use judged_sql;

/// One review as the `reviews` table takes it, from a document's review
/// ([`NewReview`]) or an export's row ([`ImportedReview`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReviewRow<'a> {
    pub film_id: i64,
    pub content_hash: &'a str,
    pub source: &'a str,
    pub format: &'a str,
    pub title_seen: Option<&'a str>,
    pub year_seen: Option<i32>,
    pub critic: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub date: Option<NaiveDate>,
    pub body: &'a str,
    pub assessment: &'a Assessment,
    pub rating: Option<&'a Rating>,
    /// The rating's span as stored (start, end).
    pub rating_span: (Option<i64>, Option<i64>),
    pub diagnostics: &'a [Diagnostic],
    pub source_verdict: Option<Verdict>,
    pub top_critic: Option<bool>,
    /// The review's own address (a listing page's item).
    pub link: Option<&'a str>,
    /// The passages the judge read (a document's); `None` for an export's
    /// row, whose text is read whole.
    pub passages: Option<&'a [verdict_core::Passage]>,
}

impl<'a> ReviewRow<'a> {
    /// A document's review: its year evidence is the year seen; an export's
    /// label and top-critic flag it has not. A span past what the database
    /// holds is refused.
    pub(crate) fn document(
        film_id: i64,
        new: &NewReview<'a>,
    ) -> std::result::Result<ReviewRow<'a>, String> {
        let review = new.review;
        let rating = review.rating.as_ref();
        Ok(ReviewRow {
            film_id,
            content_hash: &review.content_hash,
            source: &review.source,
            format: &review.format,
            title_seen: review.title_seen.as_deref(),
            year_seen: review.year,
            critic: review.critic.as_deref(),
            outlet: review.outlet.as_deref(),
            date: review.date,
            body: &review.body,
            assessment: new.assessment,
            rating,
            rating_span: span_columns(rating.and_then(|r| r.span))?,
            diagnostics: new.diagnostics,
            source_verdict: review.source_verdict,
            top_critic: None,
            link: review.link.as_deref(),
            passages: Some(&review.passages),
        })
    }

    /// An export's row (a rating's span, which a row's rating never has
    /// past what the database holds, is dropped if it had).
    pub(crate) fn imported(film_id: i64, r: &'a ImportedReview) -> ReviewRow<'a> {
        let rating = r.rating.as_ref();
        ReviewRow {
            film_id,
            content_hash: &r.content_hash,
            source: &r.source,
            format: r.format,
            title_seen: r.title_seen.as_deref(),
            year_seen: r.year_seen,
            critic: r.critic.as_deref(),
            outlet: r.outlet.as_deref(),
            date: r.date,
            body: &r.body,
            assessment: &r.assessment,
            rating,
            rating_span: span_columns(rating.and_then(|x| x.span)).unwrap_or_default(),
            diagnostics: &r.diagnostics,
            source_verdict: r.source_verdict,
            top_critic: r.top_critic,
            link: None,
            passages: None,
        }
    }
}

/// A span as the table stores it (start, end); an offset past what the
/// database holds is refused.
pub(crate) fn span_columns(
    span: Option<Span>,
) -> std::result::Result<(Option<i64>, Option<i64>), String> {
    let Some(span) = span else {
        return Ok((None, None));
    };
    let convert = |v: usize| i64::try_from(v).map_err(|_| format!("span offset {v} is too large"));
    Ok((Some(convert(span.start)?), Some(convert(span.end)?)))
}

/// A rating's confidence as the table stores it.
pub(crate) fn confidence_str(c: Confidence) -> &'static str {
    match c {
        Confidence::Low => "low",
        Confidence::Medium => "medium",
        Confidence::High => "high",
    }
}

/// A stored rating confidence read back.
pub(crate) fn confidence_from(s: &str) -> Option<Confidence> {
    match s {
        "low" => Some(Confidence::Low),
        "medium" => Some(Confidence::Medium),
        "high" => Some(Confidence::High),
        _ => None,
    }
}

/// Non-finite numbers are refused before anything is written, on every
/// backend (SQLite silently stores NaN as NULL; PostgreSQL would store it).
pub(crate) fn check_finite(path: &Path, new: &NewReview<'_>) -> Result<()> {
    let review = new.review;
    let assessment = new.assessment;
    let mut numbers: Vec<(String, f64)> = vec![
        ("score".into(), assessment.score),
        ("confidence".into(), assessment.confidence),
    ];
    if let Some(r) = &review.rating {
        numbers.extend([
            ("rating value".into(), r.value),
            ("rating best".into(), r.best),
            ("rating worst".into(), r.worst),
            ("rating score".into(), r.score),
        ]);
    }
    for a in &review.aspects {
        numbers.extend([
            (format!("aspect {:?} value", a.name), a.value),
            (format!("aspect {:?} best", a.name), a.best),
            (format!("aspect {:?} score", a.name), a.score),
        ]);
    }
    if let Some(j) = &assessment.judgement {
        numbers.extend([
            ("judgement score".into(), j.score),
            ("judgement probability".into(), j.probability),
        ]);
    }
    if let Some(p) = assessment.p_positive {
        numbers.push(("p_positive".into(), p));
    }
    match numbers.into_iter().find(|(_, v)| !v.is_finite()) {
        None => Ok(()),
        Some((what, v)) => Err(StoreError::Rejected {
            path: path.to_path_buf(),
            source_name: review.source.clone(),
            content_hash: review.content_hash.clone(),
            reason: format!("the {what} is {v}, not a finite number"),
        }),
    }
}

/// Why one imported review cannot be written, or `None`: every rule the
/// `reviews` table checks (V1 and V3), checked here.
///
/// SQLite's batch inserts run with its CHECK evaluation off (`PRAGMA
/// ignore_check_constraints`): SQLite builds a temporary b-tree for each
/// `x IN (…)` rule on every insert, which doubled the cost of a row.
/// PostgreSQL's bulk path refuses the same rows, with the same words,
/// before they are sent. The rules the types cannot break by construction (verdicts,
/// confidences and booleans are enums, a rating is complete or absent)
/// need no check; the others are here, and `tests/bulk.rs` checks that
/// this function refuses what the database refuses.
pub(crate) fn invalid(r: &ImportedReview) -> Option<String> {
    // Every number finite first, then the ranges and the other rules, each
    // in the order below; no allocation unless the review is refused.
    let a = &r.assessment;
    let rating = r.rating.as_ref();
    let judgement = a.judgement.as_ref();
    let numbers = [
        ("score", Some(a.score)),
        ("confidence", Some(a.confidence)),
        ("rating value", rating.map(|x| x.value)),
        ("rating best", rating.map(|x| x.best)),
        ("rating worst", rating.map(|x| x.worst)),
        ("rating score", rating.map(|x| x.score)),
        ("judgement score", judgement.map(|j| j.score)),
        ("judgement probability", judgement.map(|j| j.probability)),
        ("p_positive", a.p_positive),
    ];
    for (what, v) in numbers {
        if let Some(v) = v
            && !v.is_finite()
        {
            return Some(format!("the {what} is {v}, not a finite number"));
        }
    }
    let ranges = [
        ("score", Some(a.score), 100.0),
        ("confidence", Some(a.confidence), 1.0),
        ("rating score", rating.map(|x| x.score), 100.0),
    ];
    for (what, v, hi) in ranges {
        if let Some(v) = v
            && !(0.0..=hi).contains(&v)
        {
            return Some(format!(
                "CHECK constraint failed: the {what} {v} is outside 0–{hi}"
            ));
        }
    }
    if let Some(s) = rating.and_then(|x| x.span)
        && s.end < s.start
    {
        return Some("CHECK constraint failed: the rating span ends before it starts".into());
    }
    let ranges = [
        ("judgement score", judgement.map(|j| j.score), 100.0),
        (
            "judgement probability",
            judgement.map(|j| j.probability),
            1.0,
        ),
        ("p_positive", a.p_positive, 1.0),
    ];
    for (what, v, hi) in ranges {
        if let Some(v) = v
            && !(0.0..=hi).contains(&v)
        {
            return Some(format!(
                "CHECK constraint failed: the {what} {v} is outside 0–{hi}"
            ));
        }
    }
    if r.content_hash.is_empty() {
        return Some("CHECK constraint failed: no content hash".into());
    }
    if let Some(d) = r.date
        && !(1000..=9999).contains(&chrono::Datelike::year(&d))
    {
        return Some(format!(
            "CHECK constraint failed: the date {d} is not YYYY-MM-DD"
        ));
    }
    None
}

/// The rows `reviews_source_documents` (V5) indexes: every review but those
/// of the importers' formats (`verdict_core::IMPORT_FORMATS`), which are
/// never looked up by source. Written as the migration writes it, so that
/// each backend's planner uses the partial index.
pub(crate) const DOCUMENT_ROWS: &str = "format <> 'rt-kaggle-csv' AND format <> 'rt-csv' \
     AND format <> 'flatiron-tsv' AND format <> 'letterboxd' AND format <> 'csv'";
