//! Training the linear judge from the labelled review datasets.
//!
//! [`train`] reads the archives named by [`Dataset::files`] under
//! [`TrainConfig::data_dir`], splits every dataset deterministically,
//! learns the weights, calibrates them and returns the model bytes (the
//! format [`crate::Judge::from_bytes`] reads) with a [`TrainReport`].
//!
//! Splits, for each dataset after removing exact duplicates:
//!
//! * MR: 10% **test** (reported, never trained or calibrated on), 10%
//!   calibration, 80% training;
//! * aclImdb: its own 25,000 test reviews are the **test**; of its 25,000
//!   training reviews 10% calibrate and 90% train;
//! * every other dataset: 10% calibration, 90% training.
//!
//! Snippets from other datasets that also appear in MR's test or
//! calibration parts are dropped. Same configuration and seed, same bytes.

mod data;
mod learn;

pub use data::{Dataset, Labelled};

use crate::Judge;
use crate::features::{self, FeatureSpec, Token};
use crate::model::LinearModel;
use anyhow::{Result, bail};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;
use std::time::Instant;
use verdict_core::Verdict;

/// The name written into models trained by this version.
pub const MODEL_NAME: &str = "linear-en-v1";

/// How to train.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// The shared data folder (holding `pang-lee/`, `imdb-aclimdb/`, …).
    pub data_dir: PathBuf,
    /// Seeds every shuffle: same seed, same model bytes.
    pub seed: u64,
    /// Passes over the training data.
    pub epochs: usize,
    /// The model has `2^hash_bits` weights (10–24).
    pub hash_bits: u8,
    /// AdaGrad base learning rate.
    pub learning_rate: f64,
    /// L2 regularisation strength.
    pub l2: f64,
    /// Weight of a full-review example relative to a one-sentence snippet.
    pub full_review_weight: f64,
    /// The datasets to learn from (all must be present).
    pub datasets: Vec<Dataset>,
    /// Use at most this many examples of each dataset (after shuffling);
    /// `None` uses everything. For quick experiments and tests.
    pub limit_per_dataset: Option<usize>,
}

impl TrainConfig {
    /// The configuration that produced the shipped model.
    pub fn new(data_dir: impl Into<PathBuf>) -> TrainConfig {
        TrainConfig {
            data_dir: data_dir.into(),
            seed: 20_240_906,
            epochs: 5,
            hash_bits: 20,
            learning_rate: 0.2,
            l2: 1e-6,
            full_review_weight: 1.0,
            datasets: Dataset::ALL.to_vec(),
            limit_per_dataset: None,
        }
    }
}

/// How many examples of one dataset went where.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetCounts {
    pub dataset: Dataset,
    pub train: usize,
    pub calibration: usize,
    pub test: usize,
}

/// Metrics of the shipped (quantised, calibrated) model on one labelled set.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub name: String,
    pub n: usize,
    /// Share of examples with `P(positive) ≥ 0.5` exactly when positive.
    pub accuracy: f64,
    /// Mean negative log-likelihood of the labels.
    pub log_loss: f64,
    /// Mean squared error of `P(positive)`.
    pub brier: f64,
    /// Expected calibration error over ten equal-width probability bins.
    pub ece: f64,
}

/// How the shipped model reads reviews between positive and negative (the
/// scale dataset's middle class, never trained on).
#[derive(Debug, Clone, PartialEq)]
pub struct MiddleReviews {
    pub n: usize,
    pub mean_score: f64,
    /// Shares judged positive, mixed and negative.
    pub positive: f64,
    pub mixed: f64,
    pub negative: f64,
}

/// What training did and how well the result does.
#[derive(Debug, Clone)]
pub struct TrainReport {
    pub model_name: String,
    pub hash_bits: u8,
    pub epochs: usize,
    pub seed: u64,
    pub model_bytes: usize,
    pub platt_a: f64,
    pub platt_b: f64,
    /// Share of calibration examples on which the quantised model and the
    /// float model it came from predict the same class.
    pub quantisation_agreement: f64,
    pub counts: Vec<DatasetCounts>,
    /// Test sets first ("aclImdb test", "MR held-out 10%"), then each
    /// dataset's calibration part, then all calibration parts together.
    pub evaluations: Vec<Evaluation>,
    /// Present when the scale dataset was loaded.
    pub middle: Option<MiddleReviews>,
    pub seconds_loading: f64,
    pub seconds_training: f64,
    pub seconds_evaluating: f64,
}

/// Name of the aclImdb test evaluation.
pub const IMDB_TEST: &str = "aclImdb test";
/// Name of the MR held-out evaluation.
pub const MR_HELDOUT: &str = "MR held-out 10%";

impl TrainReport {
    /// The evaluation called `name`.
    pub fn evaluation(&self, name: &str) -> Option<&Evaluation> {
        self.evaluations.iter().find(|e| e.name == name)
    }
}

impl fmt::Display for TrainReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: 2^{} hashed unigrams + bigrams (negation-marked), {} epochs, seed {}",
            self.model_name, self.hash_bits, self.epochs, self.seed
        )?;
        writeln!(
            f,
            "model: {} bytes; Platt a = {:.4}, b = {:.4}; i8 quantisation agrees with the float model on {:.2}% of calibration examples",
            self.model_bytes,
            self.platt_a,
            self.platt_b,
            100.0 * self.quantisation_agreement
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "{:<20} {:>8} {:>12} {:>8}",
            "dataset", "train", "calibration", "test"
        )?;
        for c in &self.counts {
            writeln!(
                f,
                "{:<20} {:>8} {:>12} {:>8}",
                c.dataset.name(),
                c.train,
                c.calibration,
                c.test
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<34} {:>7} {:>9} {:>9} {:>7} {:>7}",
            "evaluation", "n", "accuracy", "log loss", "Brier", "ECE"
        )?;
        for e in &self.evaluations {
            writeln!(
                f,
                "{:<34} {:>7} {:>9.4} {:>9.4} {:>7.4} {:>7.4}",
                e.name, e.n, e.accuracy, e.log_loss, e.brier, e.ece
            )?;
        }
        if let Some(m) = &self.middle {
            writeln!(
                f,
                "{} middle-class scale v1.0 reviews (not trained on): mean score {:.1}; judged positive {:.1}%, mixed {:.1}%, negative {:.1}%",
                m.n,
                m.mean_score,
                100.0 * m.positive,
                100.0 * m.mixed,
                100.0 * m.negative
            )?;
        }
        writeln!(f)?;
        write!(
            f,
            "time: loading {:.1} s, training {:.1} s, evaluating {:.1} s",
            self.seconds_loading, self.seconds_training, self.seconds_evaluating
        )
    }
}

/// One dataset, split.
struct Split {
    dataset: Dataset,
    train: Vec<Labelled>,
    calibration: Vec<Labelled>,
    test: Vec<Labelled>,
    middle: Vec<String>,
}

/// Trains a model; returns its bytes and a report.
pub fn train(cfg: &TrainConfig) -> Result<(Vec<u8>, TrainReport)> {
    if !(10..=24).contains(&cfg.hash_bits) {
        bail!("hash_bits must be between 10 and 24, not {}", cfg.hash_bits);
    }
    if cfg.datasets.is_empty() {
        bail!("no datasets to train on");
    }
    let spec = FeatureSpec {
        hash_bits: cfg.hash_bits,
        flags: features::KNOWN_FLAGS,
    };

    // --- load and split -------------------------------------------------
    let t0 = Instant::now();
    let mut datasets = cfg.datasets.clone();
    datasets.sort();
    datasets.dedup();
    let mut splits = Vec::new();
    for &dataset in &datasets {
        let loaded = data::load(dataset, &cfg.data_dir)?;
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ dataset.salt().rotate_left(32));
        let mut examples = dedup(loaded.examples);
        examples.shuffle(&mut rng);
        if let Some(limit) = cfg.limit_per_dataset {
            examples.truncate(limit);
        }
        let tenth = examples.len() / 10;
        let mut rest = examples;
        let test = if dataset == Dataset::Mr {
            rest.drain(..tenth).collect()
        } else {
            Vec::new()
        };
        let calibration: Vec<Labelled> = rest.drain(..tenth).collect();
        let mut test = test;
        if dataset == Dataset::Imdb {
            test = loaded.official_test;
            if let Some(limit) = cfg.limit_per_dataset {
                test.shuffle(&mut rng);
                test.truncate(limit);
            }
        }
        splits.push(Split {
            dataset,
            train: rest,
            calibration,
            test,
            middle: loaded.middle,
        });
    }
    // Keep MR's evaluation parts unseen: drop their texts from other datasets.
    let reserved: HashSet<String> = splits
        .iter()
        .filter(|s| s.dataset == Dataset::Mr)
        .flat_map(|s| s.test.iter().chain(&s.calibration))
        .map(|e| key(&e.text))
        .collect();
    if !reserved.is_empty() {
        for s in splits.iter_mut().filter(|s| s.dataset != Dataset::Mr) {
            s.train.retain(|e| !reserved.contains(&key(&e.text)));
            s.calibration.retain(|e| !reserved.contains(&key(&e.text)));
        }
    }
    let seconds_loading = t0.elapsed().as_secs_f64();

    // --- learn ----------------------------------------------------------
    let t1 = Instant::now();
    let train_texts: Vec<(&Labelled, Dataset)> = splits
        .iter()
        .flat_map(|s| s.train.iter().map(move |e| (e, s.dataset)))
        .collect();
    if train_texts.is_empty() {
        bail!("no training examples");
    }
    let feats = par_map(&train_texts, |(e, _)| features::extract(&e.text, &spec));
    let samples: Vec<learn::Sample> = train_texts
        .iter()
        .zip(feats)
        .map(|((e, d), features)| learn::Sample {
            features,
            positive: e.positive,
            weight: if d.full_reviews() {
                cfg.full_review_weight
            } else {
                1.0
            },
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let hyper = learn::Hyper {
        epochs: cfg.epochs,
        learning_rate: cfg.learning_rate,
        l2: cfg.l2,
    };
    let (weights, bias) = learn::fit(&samples, spec.buckets(), &hyper, &mut rng);
    drop(samples);
    let (q, scale) = learn::quantize(&weights);
    let mut model = LinearModel {
        name: MODEL_NAME.to_string(),
        spec,
        bias: bias as f32,
        scale,
        platt_a: 1.0,
        platt_b: 0.0,
        weights: q,
    };

    // Calibrate the quantised model on the calibration parts.
    let calibration: Vec<&Labelled> = splits.iter().flat_map(|s| s.calibration.iter()).collect();
    if calibration.is_empty() {
        bail!("no calibration examples (too few examples per dataset)");
    }
    let cal_feats = par_map(&calibration, |e| features::extract(&e.text, &spec));
    let margins: Vec<f64> = cal_feats.iter().map(|f| model.margin(f)).collect();
    let labels: Vec<bool> = calibration.iter().map(|e| e.positive).collect();
    let agree = cal_feats
        .iter()
        .zip(&margins)
        .filter(|(f, m)| {
            let float = if f.is_empty() {
                bias
            } else {
                bias + f.iter().map(|&i| weights[i as usize]).sum::<f64>() / (f.len() as f64).sqrt()
            };
            (float >= 0.0) == (**m >= 0.0)
        })
        .count();
    let (a, b) = learn::platt(&margins, &labels);
    model.platt_a = a as f32;
    model.platt_b = b as f32;
    let bytes = model.to_bytes();
    let seconds_training = t1.elapsed().as_secs_f64();

    // --- evaluate the shipped bytes ---------------------------------------
    let t2 = Instant::now();
    let judge = Judge::from_bytes(&bytes)?;
    debug_assert_eq!(judge.spec(), spec);
    let mut evaluations = Vec::new();
    for s in &splits {
        if !s.test.is_empty() {
            let name = match s.dataset {
                Dataset::Imdb => IMDB_TEST.to_string(),
                Dataset::Mr => MR_HELDOUT.to_string(),
                d => format!("{} test", d.name()),
            };
            evaluations.push(evaluate(&judge, name, &s.test));
        }
    }
    for s in &splits {
        if !s.calibration.is_empty() {
            evaluations.push(evaluate(
                &judge,
                format!("{} calibration", s.dataset.name()),
                &s.calibration,
            ));
        }
    }
    let all_cal: Vec<Labelled> = calibration.into_iter().cloned().collect();
    evaluations.push(evaluate(
        &judge,
        "all calibration parts".to_string(),
        &all_cal,
    ));
    let middle: Vec<&String> = splits.iter().flat_map(|s| s.middle.iter()).collect();
    let middle = (!middle.is_empty()).then(|| {
        let judged = par_map(&middle, |t| judge.judge_text(t));
        let n = judged.len() as f64;
        let share = |v: Verdict| judged.iter().filter(|j| j.verdict == v).count() as f64 / n;
        MiddleReviews {
            n: judged.len(),
            mean_score: judged.iter().map(|j| j.score).sum::<f64>() / n,
            positive: share(Verdict::Positive),
            mixed: share(Verdict::Mixed),
            negative: share(Verdict::Negative),
        }
    });
    let seconds_evaluating = t2.elapsed().as_secs_f64();

    let report = TrainReport {
        model_name: MODEL_NAME.to_string(),
        hash_bits: cfg.hash_bits,
        epochs: cfg.epochs,
        seed: cfg.seed,
        model_bytes: bytes.len(),
        platt_a: a,
        platt_b: b,
        quantisation_agreement: agree as f64 / margins.len() as f64,
        counts: splits
            .iter()
            .map(|s| DatasetCounts {
                dataset: s.dataset,
                train: s.train.len(),
                calibration: s.calibration.len(),
                test: s.test.len(),
            })
            .collect(),
        evaluations,
        middle,
        seconds_loading,
        seconds_training,
        seconds_evaluating,
    };
    Ok((bytes, report))
}

/// A text's identity for de-duplication: its lowercased words.
fn key(text: &str) -> String {
    let mut k = String::new();
    for t in features::tokenize(text) {
        if let Token::Word(w) = t {
            if !k.is_empty() {
                k.push(' ');
            }
            k.push_str(&w);
        }
    }
    k
}

/// Drops exact duplicates (same words), and texts seen with both labels.
fn dedup(examples: Vec<Labelled>) -> Vec<Labelled> {
    let mut labels: std::collections::HashMap<String, (bool, usize)> =
        std::collections::HashMap::new();
    let keys: Vec<String> = examples.iter().map(|e| key(&e.text)).collect();
    for (e, k) in examples.iter().zip(&keys) {
        let entry = labels.entry(k.clone()).or_insert((e.positive, 0));
        if entry.0 != e.positive {
            entry.1 = usize::MAX; // conflicting labels: drop all copies
        } else if entry.1 != usize::MAX {
            entry.1 += 1;
        }
    }
    let mut seen = HashSet::new();
    examples
        .into_iter()
        .zip(keys)
        .filter(|(_, k)| !k.is_empty() && labels[k].1 != usize::MAX && seen.insert(k.clone()))
        .map(|(e, _)| e)
        .collect()
}

fn evaluate(judge: &Judge, name: String, set: &[Labelled]) -> Evaluation {
    let probs = par_map(set, |e| judge.probability_positive(&e.text));
    let n = set.len().max(1) as f64;
    let mut correct = 0usize;
    let (mut log_loss, mut brier) = (0.0, 0.0);
    let mut bins = [(0.0f64, 0.0f64, 0usize); 10];
    for (e, &p) in set.iter().zip(&probs) {
        let y = if e.positive { 1.0 } else { 0.0 };
        if (p >= 0.5) == e.positive {
            correct += 1;
        }
        let pc = p.clamp(1e-12, 1.0 - 1e-12);
        log_loss -= y * pc.ln() + (1.0 - y) * (1.0 - pc).ln();
        brier += (p - y) * (p - y);
        let bin = &mut bins[((p * 10.0) as usize).min(9)];
        bin.0 += p;
        bin.1 += y;
        bin.2 += 1;
    }
    let ece = bins.iter().map(|(p, y, _)| (p - y).abs()).sum::<f64>() / n;
    Evaluation {
        name,
        n: set.len(),
        accuracy: correct as f64 / n,
        log_loss: log_loss / n,
        brier: brier / n,
        ece,
    }
}

/// `items.iter().map(f).collect()`, on all cores, in order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 16);
    if threads == 1 || items.len() < 64 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker thread panicked"))
            .collect()
    })
}
