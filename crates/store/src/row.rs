//! One review as the `reviews` table takes it, for every backend: from a
//! document's review ([`NewReview`]) or an export's row
//! ([`ImportedReview`]).

use chrono::NaiveDate;
use verdict_core::{Assessment, Confidence, Diagnostic, Rating, Span, Verdict};

use std::path::Path;

use crate::{ImportedReview, NewReview, Result, StoreError};

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
