//! Verdict's judge: reads a review's text and says how favourable it is.
//!
//! # The model
//!
//! `linear-en-v1` is a logistic regression over hashed binary features:
//!
//! * **Tokens** are lowercased runs of Unicode alphanumeric characters; an
//!   apostrophe between two of them stays in the word (`isn't`), HTML tags
//!   such as `<br />` are dropped, and punctuation or a line break ends a
//!   clause.
//! * **Features** are word unigrams and bigrams (bigrams do not cross clause
//!   boundaries). After a negator (`not`, `no`, `never`, `…n't`, …) the
//!   unigrams up to the end of the clause are marked as negated, so "not
//!   good" does not count as "good".
//! * Each feature is hashed with FNV-1a 64 into `2^hash_bits` buckets. A text
//!   is the set of its buckets (binary weights), L2-normalised, so a snippet
//!   and a 2,000-word review live on the same scale.
//! * Weights are learnt with AdaGrad and L2 regularisation (see [`train`]),
//!   quantised to `i8` with one scale, and the raw margin is calibrated with
//!   Platt scaling fitted on held-out reviews.
//! * The shipped model was trained on the Pang & Lee MR, polarity v2.0 and
//!   scale datasets, Rotten Tomatoes critic snippets and the aclImdb training
//!   reviews; the crate README names them and gives the measured accuracy.
//!
//! # From margin to [`Judgement`]
//!
//! * Passages with [`Role::Quote`] are never read.
//! * The [`Role::Body`] passages are read as one text and the
//!   [`Role::Verdict`] passages as another; when both exist the raw margin is
//!   `(body + 2·verdict) / 3`: the critic's verdict counts twice.
//! * `p` = calibrated P(positive) of that margin; **score** = `100·p`
//!   (rounded to 0.1) and **verdict** = [`Verdict::from_score`].
//! * **probability** is the probability that the returned verdict is right:
//!   `p` for a positive verdict, `1 − p` for a negative one. The model knows
//!   two classes only, so for a mixed verdict (40 ≤ score < 60) it reports
//!   `min(p, 1 − p)` = `(1 − |2p − 1|) / 2`, between 0.4 and 0.5: it never
//!   claims better than even odds that a review is mixed.
//! * No readable text (no passages, only quotes, only punctuation): mixed,
//!   score 50, probability 0, no evidence.
//! * **evidence**: the author's passages are split into sentences and each
//!   sentence is scored on its own with the same model (its verdict-passage
//!   sentences count twice). The up to three sentences that most support the
//!   verdict are returned, strongest first, each at most 300 characters.
//!   For a mixed verdict, the strongest sentence on each side.

mod features;
mod model;
mod text;
pub mod train;

pub use model::ModelError;

use features::FeatureSpec;
use model::LinearModel;
use std::sync::OnceLock;
use verdict_core::{Judgement, Passage, Role, Verdict};

/// The shipped model: trained by [`train::train`] on the datasets named in
/// the crate README.
static EMBEDDED_MODEL: &[u8] = include_bytes!("../model/judge-linear-en.bin");

/// How much more a [`Role::Verdict`] passage weighs than the body.
const VERDICT_WEIGHT: f64 = 2.0;
/// The most evidence sentences returned.
const MAX_EVIDENCE: usize = 3;
/// Sentences with fewer distinct features than this are not evidence.
const MIN_EVIDENCE_FEATURES: usize = 5;

/// A review judge: a loaded model.
#[derive(Clone)]
pub struct Judge {
    model: LinearModel,
}

impl std::fmt::Debug for Judge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Judge")
            .field("name", &self.model.name)
            .field("hash_bits", &self.model.spec.hash_bits)
            .finish_non_exhaustive()
    }
}

impl Judge {
    /// The shipped model, loaded once.
    pub fn embedded() -> &'static Judge {
        static JUDGE: OnceLock<Judge> = OnceLock::new();
        JUDGE.get_or_init(|| {
            Judge::from_bytes(EMBEDDED_MODEL).expect("the embedded judge model is valid")
        })
    }

    /// Loads a model written by [`train::train`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Judge, ModelError> {
        Ok(Judge {
            model: LinearModel::from_bytes(bytes)?,
        })
    }

    /// The model's name ("linear-en-v1").
    pub fn name(&self) -> &str {
        &self.model.name
    }

    /// Judges a review from its passages; [`Role::Quote`] passages are
    /// ignored and [`Role::Verdict`] passages weigh more.
    pub fn judge(&self, passages: &[Passage]) -> Judgement {
        let spec = &self.model.spec;
        let joined = |role: Role| {
            passages
                .iter()
                .filter(|p| p.role == role)
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let body = features::extract(&joined(Role::Body), spec);
        let verdict = features::extract(&joined(Role::Verdict), spec);
        let margin = match (body.is_empty(), verdict.is_empty()) {
            (true, true) => return self.no_text(),
            (false, true) => self.model.margin(&body),
            (true, false) => self.model.margin(&verdict),
            (false, false) => {
                (self.model.margin(&body) + VERDICT_WEIGHT * self.model.margin(&verdict))
                    / (1.0 + VERDICT_WEIGHT)
            }
        };
        let p = self.model.calibrate(margin);
        let score = (p * 1000.0).round() / 10.0;
        let verdict = Verdict::from_score(score);
        let probability = match verdict {
            Verdict::Positive => p,
            Verdict::Negative => 1.0 - p,
            Verdict::Mixed => p.min(1.0 - p),
        };
        Judgement {
            score,
            verdict,
            probability,
            evidence: self.evidence(passages, verdict),
            model: self.model.name.clone(),
        }
    }

    /// Judges one text as the critic's own words ([`Role::Body`]).
    pub fn judge_text(&self, text: &str) -> Judgement {
        self.judge(&[Passage {
            text: text.to_string(),
            role: Role::Body,
        }])
    }

    /// Calibrated probability that `text` is favourable.
    pub fn probability_positive(&self, text: &str) -> f64 {
        self.model.calibrate(
            self.model
                .margin(&features::extract(text, &self.model.spec)),
        )
    }

    pub(crate) fn spec(&self) -> FeatureSpec {
        self.model.spec
    }

    fn no_text(&self) -> Judgement {
        Judgement {
            score: 50.0,
            verdict: Verdict::Mixed,
            probability: 0.0,
            evidence: Vec::new(),
            model: self.model.name.clone(),
        }
    }

    /// The sentences that most support `verdict`, strongest first.
    fn evidence(&self, passages: &[Passage], verdict: Verdict) -> Vec<String> {
        let mut scored: Vec<(f64, String)> = Vec::new();
        let mut feats = Vec::new();
        for p in passages {
            let weight = match p.role {
                Role::Body => 1.0,
                Role::Verdict => VERDICT_WEIGHT,
                Role::Quote => continue,
            };
            for s in text::sentences(&p.text) {
                feats.clear();
                features::extract_into(&s, &self.model.spec, &mut feats);
                if feats.len() < MIN_EVIDENCE_FEATURES {
                    continue;
                }
                let contribution =
                    weight * self.model.weight_sum(&feats) / (feats.len() as f64).sqrt();
                if scored.iter().all(|(_, t)| *t != s) {
                    scored.push((contribution, s));
                }
            }
        }
        // Stable sorts keep document order among equal contributions.
        let mut pick = |sign: f64, n: usize| -> Vec<(f64, String)> {
            scored.sort_by(|a, b| (sign * b.0).total_cmp(&(sign * a.0)));
            scored
                .iter()
                .filter(|(c, _)| sign * c > 0.0)
                .take(n)
                .cloned()
                .collect()
        };
        let chosen = match verdict {
            Verdict::Positive => pick(1.0, MAX_EVIDENCE),
            Verdict::Negative => pick(-1.0, MAX_EVIDENCE),
            Verdict::Mixed => {
                let mut both = pick(1.0, 1);
                both.extend(pick(-1.0, 1));
                both.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
                both
            }
        };
        chosen.into_iter().map(|(_, s)| text::clip(&s)).collect()
    }
}
