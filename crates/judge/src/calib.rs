//! From raw head margins to calibrated outputs. Training fits the
//! parameters with exactly these input vectors, so the two never drift.
//!
//! Every output is a logistic function `σ(Σ θ_k·x_k + θ_b)` of a few
//! inputs, its θ stored by name in the model file:
//!
//! * **P(favourable)**: inputs `m`, `m·ℓ`, `ℓ`, where `m` is the polarity
//!   margin and `ℓ = ln(1 + words) / 5`: a Platt scaling whose slope depends
//!   on the length, since one-line snippets and long reviews are not equally
//!   sure at the same margin. Parameters `pol.*`.
//! * **score** (0–100): `100·σ(logit 0.6 + θ·[u, u·ℓ, |u|·s, |u|])`, where
//!   `u = logit P(favourable)` and `s` is the score head's margin, fitted
//!   with soft targets (the critics' own ratings on 0–1) on reviews that
//!   carry one. The score estimates the rating, not a probability: "solid"
//!   and "a masterpiece" are both surely favourable but not the same score.
//!   Every term vanishes at `u = 0`, so the score is 60 exactly where
//!   P(favourable) is 0.5: a review counts as positive (score ≥ 60) exactly
//!   when it is more likely favourable than not, and the verdict never
//!   contradicts the probability. Parameters `score.*`.
//! * **P(favourable | rating, text)**: a piecewise-linear function of the
//!   rating `r` (0–1; knots at 0.4, 0.5, 0.6, 0.7, 0.8) plus the polarity
//!   margin, fitted on Rotten Tomatoes rows that have both a rating and a
//!   fresh/rotten mark. Parameters `rated.*`.

use crate::model::{LinearModel, sigmoid};

/// Raw margins of one text (or of a review's blended passages).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// The polarity head's `bias + Σ w·x`.
    pub polarity: f64,
    /// The score head's (0 without one).
    pub score: f64,
    /// Words read (the length input `ℓ`).
    pub words: u32,
}

/// `ℓ = ln(1 + words) / 5`.
pub fn length(words: u32) -> f64 {
    (1.0 + words as f64).ln() / 5.0
}

/// Parameter names of P(favourable): weights of [`pol_inputs`], then the bias.
pub const POL: [&str; 4] = ["pol.m", "pol.ml", "pol.l", "pol.b"];
/// Parameter names of the score: weights of [`score_inputs`] (no bias).
pub const SCORE: [&str; 4] = ["score.u", "score.ul", "score.us", "score.ua"];
/// `logit(0.6)`: the score's logit where P(favourable) = 0.5.
pub const SCORE_OFFSET: f64 = 0.405_465_108_108_164_4;
/// Parameter names of P(favourable | rating, text): weights of
/// [`rated_inputs`], then the bias.
pub const RATED: [&str; 8] = [
    "rated.r",
    "rated.r40",
    "rated.r50",
    "rated.r60",
    "rated.r70",
    "rated.r80",
    "rated.m",
    "rated.b",
];

/// The inputs of P(favourable): `m`, `m·ℓ`, `ℓ`.
pub fn pol_inputs(x: &Margins) -> Vec<f64> {
    let l = length(x.words);
    vec![x.polarity, x.polarity * l, l]
}

/// `u = logit P(favourable)`, bounded.
pub fn logit_positive(model: &LinearModel, x: &Margins) -> f64 {
    logit_of(p_positive(model, x))
}

/// The inputs of the score: `u`, `u·ℓ`, `|u|·s`, `|u|`.
pub fn score_inputs(u: f64, x: &Margins) -> Vec<f64> {
    vec![u, u * length(x.words), u.abs() * x.score, u.abs()]
}

/// The inputs of P(favourable | rating, text): the rating (0–1), its
/// hinges at 0.4, 0.5, 0.6, 0.7 and 0.8, and the polarity margin.
pub fn rated_inputs(rating: f64, x: &Margins) -> Vec<f64> {
    let r = rating.clamp(0.0, 1.0);
    let h = |k: f64| (r - k).max(0.0);
    vec![r, h(0.4), h(0.5), h(0.6), h(0.7), h(0.8), x.polarity]
}

fn apply(model: &LinearModel, names: &[&str], inputs: &[f64]) -> f64 {
    debug_assert_eq!(names.len(), inputs.len() + 1);
    let z = inputs
        .iter()
        .zip(names)
        .map(|(v, n)| v * model.param(n))
        .sum::<f64>()
        + model.param(names[inputs.len()]);
    sigmoid(z)
}

/// Calibrated probability that the text is favourable.
pub fn p_positive(model: &LinearModel, x: &Margins) -> f64 {
    apply(model, &POL, &pol_inputs(x))
}

/// `logit p`, bounded as [`logit_positive`] is.
pub fn logit_of(p: f64) -> f64 {
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

/// The estimated rating, 0–100.
pub fn score(model: &LinearModel, x: &Margins) -> f64 {
    score_at(model, logit_positive(model, x), x)
}

/// The estimated rating (0–100) at `u = logit P(favourable)`, whoever
/// gave P (the linear model, or the encoder reader stacked on it).
pub fn score_at(model: &LinearModel, u: f64, x: &Margins) -> f64 {
    let inputs = score_inputs(u, x);
    let z = inputs
        .iter()
        .zip(SCORE)
        .map(|(v, n)| v * model.param(n))
        .sum::<f64>();
    100.0 * sigmoid(SCORE_OFFSET + z)
}

/// Probability that a review with this rating (0–1) and text is favourable.
pub fn p_positive_rated(model: &LinearModel, rating: f64, x: &Margins) -> f64 {
    apply(model, &RATED, &rated_inputs(rating, x))
}

/// Parameter list for `names` from fitted weights and bias.
pub fn named(names: &[&str], weights: &[f64], bias: f64) -> Vec<(String, f32)> {
    names
        .iter()
        .zip(weights.iter().chain(std::iter::once(&bias)))
        .map(|(n, v)| (n.to_string(), *v as f32))
        .collect()
}
