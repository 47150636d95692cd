//! Verdict's lab: the work on models and readers that the runtime never
//! does. The shipped judge and rating crates read; this crate learns and
//! measures, on the real data beside the project (`../shared/data`):
//!
//! * [`train`]: the judge's training — dataset loaders, AdaGrad on hashed
//!   features, calibration — and [`train::eval`], the standard benchmarks
//!   run with the shipped recipe (`verdict-lab train judge`,
//!   `verdict-lab eval`). Same configuration and seed, same model bytes:
//!   retraining rebuilds `crates/judge/model/judge-linear-en.bin` byte for
//!   byte.
//! * [`ratings_report`]: the rating reader's coverage, agreement with the
//!   critics' fresh/rotten calls and throughput (`verdict-lab
//!   ratings-report`).
//! * [`consensus`]: the critics' consensus line against Rotten Tomatoes'
//!   published one, scored with [`rouge`] beside two baselines
//!   (`verdict-lab consensus`).
//! * [`copies`]: the syndicated-copy detector's false merges among
//!   different writers' reviews of a film, and its detection of real
//!   reviews re-hosted in real pages (`verdict-lab copies`).
//!
//! Models are built with the judge's own code through
//! [`verdict_judge::lab_api`], so what the lab writes is what the judge
//! reads; [`train::model_bytes`] writes the model file, compressing the
//! weights with flate2 at its best level.

pub mod consensus;
pub mod copies;
pub mod ratings_report;
pub mod rouge;
pub mod train;
