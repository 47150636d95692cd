//! The judge's insides that training needs, and nothing else uses.
//!
//! The runtime reads models; `verdict-lab` trains, calibrates and
//! evaluates them. To write exactly what [`Judge`] reads, the lab builds
//! its models from the judge's own code rather than a copy of it:
//!
//! * [`model`]: [`LinearModel`](model::LinearModel) (heads, quantised
//!   weights, calibration parameters) and its file format, read by
//!   [`LinearModel::from_bytes`](model::LinearModel::from_bytes) and
//!   written by [`LinearModel::to_bytes_with`](model::LinearModel::to_bytes_with)
//!   with the caller's deflate compressor;
//! * [`features`]: text → hashed feature buckets, as the judge extracts
//!   them;
//! * [`calib`]: the calibration's input vectors and the functions that
//!   apply its parameters (training fits the parameters on exactly these
//!   inputs, so the two never drift);
//! * [`linear_model`] and [`text_margins`]: a loaded judge's model, and
//!   the raw margins it reads a text with (what the lab's margins, computed
//!   from stored features, are tested against).
//!
//! This surface follows the model format, not the judge's reading API: it
//! changes when the format does.

use crate::Judge;

pub mod model {
    //! The linear model and its file format (see [`LinearModel`]).
    pub use crate::model::{Head, HeadKind, LinearModel, sigmoid};
}

pub mod features {
    //! Text → hashed features ([`extract`]): word unigrams (negation
    //! marked), bigrams and trigrams within a clause, and char n-grams of
    //! each word, hashed into `2^hash_bits` buckets ([`FeatureSpec`]).
    //! Deterministic on every platform (FNV-1a 64, never `std`'s hasher).
    pub use crate::features::{
        CHAR_BIT, FLAG_BIGRAMS, FLAG_CHARS, FLAG_FRENCH, FLAG_NEGATION, FLAG_TRIGRAMS,
        FLAG_UNIGRAMS, FeatureSpec, Features, KNOWN_FLAGS, TextStats, extract, fnv1a64, strip_tags,
    };
}

pub mod calib {
    //! From raw head margins ([`Margins`]) to calibrated outputs. Each
    //! output is a logistic function of a few inputs, its parameters stored
    //! by name in the model file:
    //!
    //! * P(favourable): [`pol_inputs`] (`m`, `m·ℓ`, `ℓ`; `m` the polarity
    //!   margin, `ℓ` = [`length`]), parameters [`POL`];
    //! * the score (0–100): [`score_inputs`] of `u` = [`logit_positive`],
    //!   offset by [`SCORE_OFFSET`] so that the score is 60 exactly where
    //!   P(favourable) is 0.5, parameters [`SCORE`];
    //! * P(favourable | rating, text): [`rated_inputs`], parameters
    //!   [`RATED`].
    //!
    //! [`named`] turns fitted weights into the parameter list; priors are
    //! stored beside them as `pol.prior` and `rated.prior`.
    pub use crate::calib::{
        Margins, POL, RATED, SCORE, SCORE_OFFSET, length, logit_of, logit_positive, named,
        p_positive, p_positive_rated, pol_inputs, rated_inputs, score, score_at, score_inputs,
    };
}

pub mod encoder {
    //! The encoder reader's head and the stack's inputs (see
    //! [`EncoderHead`]): what `verdict-lab train encoder` fits and writes.
    pub use crate::encoder_head::{EncoderHead, STACK, stack_inputs};
}

/// The model `judge` reads with.
pub fn linear_model(judge: &Judge) -> &model::LinearModel {
    &judge.model
}

/// The raw margins (both heads, before calibration) `judge` reads `text`
/// with as one passage of the critic's own words; `None` when the text has
/// no words.
pub fn text_margins(judge: &Judge, text: &str) -> Option<calib::Margins> {
    judge.text_margins(text, true).map(|t| t.margins)
}
