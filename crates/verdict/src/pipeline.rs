//! Runs documents through the stages and stores the result.
//!
//! [`process`] is everything that needs no database (what `verdict extract`
//! shows); [`ingest`] adds resolution and storage. One document's failure
//! never stops the others, and a failed document writes nothing.

use serde::Serialize;
use verdict_core::{Confidence, Diagnostic, Judgement, Rating, Review, Verdict};
use verdict_judge::Judge;
use verdict_resolve::Resolution;
use verdict_source::RawDocument;
use verdict_store::{FilmChoice, NewReview, Put, Store};

/// A review read and judged, not yet stored.
#[derive(Debug, Clone, Serialize)]
pub struct Processed {
    pub review: Review,
    /// The headline score 0–100: the rating's when there is one, else the judge's.
    pub score: f64,
    pub verdict: Verdict,
    /// 0–1: how sure the score's verdict is.
    pub confidence: f64,
    /// True when the score was inferred by the judge from the text.
    pub inferred: bool,
    /// The judge's reading of the critic's words (kept for rated reviews too).
    pub judgement: Judgement,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses, extracts and judges one document.
pub fn process(
    raw: &RawDocument,
    judge: &Judge,
) -> Result<Processed, verdict_document::DocumentError> {
    let doc = verdict_document::parse(raw)?;
    let extraction = verdict_extract::extract(&doc);
    let mut diagnostics = extraction.diagnostics;
    let review = extraction.review;
    let reading = judge.read(&review.passages);
    if reading.unsure && reading.words > 0 {
        diagnostics.push(Diagnostic::warning(
            "judge.unsure",
            format!(
                "the text reads as {} but the judge is trained on English reviews: its reading is unsure (p = {:.2})",
                match reading.language {
                    verdict_judge::Language::French => "French",
                    _ => "another language",
                },
                reading.judgement.probability
            ),
        ));
    }
    let judgement = reading.judgement.clone();
    let (score, verdict, confidence, inferred) = match &review.rating {
        Some(rating) => {
            let verdict = Verdict::from_score(rating.score);
            if judge.with_rating(&reading, rating.score).disagreement {
                flag_disagreement(rating, verdict, &judgement, &mut diagnostics);
            }
            (rating.score, verdict, rating_confidence(rating), false)
        }
        None => (
            judgement.score,
            judgement.verdict,
            judgement.probability,
            true,
        ),
    };
    Ok(Processed {
        review,
        score,
        verdict,
        confidence,
        inferred,
        judgement,
        diagnostics,
    })
}

/// How sure a read rating is, as a probability.
fn rating_confidence(rating: &Rating) -> f64 {
    match rating.confidence {
        Confidence::High => 0.95,
        Confidence::Medium => 0.8,
        Confidence::Low => 0.6,
    }
}

/// Flags a rated review whose text strongly disagrees with its rating
/// (see `verdict_judge::Judge::with_rating`).
fn flag_disagreement(
    rating: &Rating,
    verdict: Verdict,
    judgement: &Judgement,
    diagnostics: &mut Vec<Diagnostic>,
) {
    diagnostics.push(Diagnostic::warning(
        "judge.disagrees",
        format!(
            "the rating {:?} reads {} but the text reads {} {:.0} (p = {:.2})",
            rating.raw, verdict, judgement.verdict, judgement.score, judgement.probability
        ),
    ));
}

pub use verdict_present::Outcome;

/// Ingests one document: skips it if already stored, else processes,
/// resolves and stores it in one transaction.
pub fn ingest(store: &mut dyn Store, judge: &Judge, raw: &RawDocument) -> Outcome {
    match try_ingest(store, judge, raw) {
        Ok(outcome) => outcome,
        Err(error) => Outcome::Failed { error },
    }
}

fn try_ingest(store: &mut dyn Store, judge: &Judge, raw: &RawDocument) -> Result<Outcome, String> {
    if let Some(review_id) = store
        .contains(&raw.content_hash)
        .map_err(|e| e.to_string())?
        && let Some(stored) = store.review(review_id).map_err(|e| e.to_string())?
    {
        return Ok(Outcome::Duplicate {
            review_id,
            film_id: stored.film_id,
        });
    }
    let processed = process(raw, judge).map_err(|e| e.to_string())?;
    let mut diagnostics = processed.diagnostics.clone();
    let keys = verdict_resolve::keys(&processed.review);
    let candidates: Vec<_> = store
        .films_by_keys(&keys)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|r| r.film)
        .collect();
    let choice = match verdict_resolve::resolve(&processed.review, &candidates, &mut diagnostics) {
        Resolution::Existing {
            film_id,
            year,
            new_aliases,
        } => FilmChoice::Existing {
            id: film_id,
            year,
            new_aliases,
        },
        Resolution::New {
            title,
            title_key,
            year,
            aliases,
        } => FilmChoice::New {
            title,
            title_key,
            year,
            aliases,
        },
        Resolution::Unresolved { reason } => {
            return Err(format!("{}: {reason}; not stored", raw.origin));
        }
    };
    let film_title = match &choice {
        FilmChoice::New { title, .. } => title.clone(),
        FilmChoice::Existing { id, .. } => candidates
            .iter()
            .find(|f| f.id == *id)
            .map(|f| f.title.clone())
            .unwrap_or_default(),
    };
    let new = NewReview {
        review: &processed.review,
        score: processed.score,
        verdict: processed.verdict,
        confidence: processed.confidence,
        inferred: processed.inferred,
        judgement: Some(&processed.judgement),
        diagnostics: &diagnostics,
    };
    match store
        .put(new, choice)
        .map_err(|e| format!("{}: {e}", raw.origin))?
    {
        Put::Inserted { review_id, film_id } => Ok(Outcome::Stored {
            review_id,
            film_id,
            film: film_title,
            score: processed.score,
            verdict: processed.verdict,
            inferred: processed.inferred,
        }),
        Put::Duplicate { review_id, film_id } => Ok(Outcome::Duplicate { review_id, film_id }),
    }
}
