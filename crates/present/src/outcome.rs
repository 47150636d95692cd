//! What became of one input given to the pipeline: the contract of
//! `verdict ingest --json`, of a feed sync's entries and of
//! `POST /api/reviews`.

use serde::Serialize;
use verdict_core::Verdict;

/// What became of one input.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Outcome {
    Stored {
        review_id: i64,
        film_id: i64,
        film: String,
        score: f64,
        verdict: Verdict,
        inferred: bool,
    },
    Duplicate {
        review_id: i64,
        film_id: i64,
    },
    Failed {
        error: String,
    },
}
