//! What became of one input given to the pipeline: the contract of
//! `verdict ingest --json`, of a feed sync's entries and of
//! `POST /api/reviews`.

use serde::Serialize;
use verdict_core::{PublishedScore, Verdict};

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
        /// The document is a syndicated copy of the stored review
        /// `review_id` (its main text a near-duplicate): stored as another
        /// address of it, counted once. Absent (false) otherwise.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        copy: bool,
    },
    Duplicate {
        review_id: i64,
        film_id: i64,
    },
    Failed {
        error: String,
    },
    /// A page that lists reviews: what became of each item, and the
    /// site's published aggregates recorded (never counted).
    Listing {
        items: Vec<Item>,
        published: Vec<PublishedScore>,
    },
}

/// One review item of a listing page.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// `PAGE#review-N`.
    pub source: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Outcome {
    /// The first review it stored or found stored, with its film.
    pub fn first_review(&self) -> Option<(i64, i64)> {
        match self {
            Outcome::Stored {
                review_id, film_id, ..
            }
            | Outcome::Duplicate { review_id, film_id } => Some((*review_id, *film_id)),
            Outcome::Failed { .. } => None,
            Outcome::Listing { items, .. } => items.iter().find_map(|i| i.outcome.first_review()),
        }
    }

    /// Whether it stored anything new.
    pub fn stored_any(&self) -> bool {
        match self {
            Outcome::Stored { .. } => true,
            Outcome::Duplicate { .. } | Outcome::Failed { .. } => false,
            Outcome::Listing { items, .. } => items.iter().any(|i| i.outcome.stored_any()),
        }
    }

    /// The films it stored reviews of.
    pub fn films_written(&self) -> Vec<i64> {
        match self {
            Outcome::Stored { film_id, .. } => vec![*film_id],
            Outcome::Duplicate { .. } | Outcome::Failed { .. } => Vec::new(),
            Outcome::Listing { items, .. } => {
                let mut films: Vec<i64> = items
                    .iter()
                    .flat_map(|i| i.outcome.films_written())
                    .collect();
                films.sort_unstable();
                films.dedup();
                films
            }
        }
    }
}
