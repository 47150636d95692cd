//! The encoder reader measured beside the linear judge, on the splits of
//! [`eval`](super::eval) (`verdict-lab eval --encoder`).
//!
//! Each test part is read three ways by models trained on the
//! benchmark's own training part (the "benchmark data" reading of the
//! linear table, as the scikit-learn baseline is trained):
//!
//! * **linear**: the linear judge of the recipe, calibrated on its 10%
//!   calibration part;
//! * **encoder alone**: the embedding head, trained on the rest of the
//!   training part, Platt-scaled on the calibration part;
//! * **stacked**: the encoder reader as shipped, the head stacked on the
//!   linear margin (see `verdict_judge::EncoderHead`).
//!
//! aclImdb is read on a seeded sample of its test reviews, the head
//! trained on a sample of its training reviews (each long review costs
//! the encoder up to four windows); every other split is whole.

use super::corpus::{Corpus, Part};
use super::encoder::{EmbeddingCache, fit_alone, stack_row, train_head};
use super::eval::{
    EvalConfig, Pools, binary, classify, fit_cuts, fit_on, fold_of, fold_part, held_out_films,
    limited,
};
use super::{Dataset, TrainConfig, entry_margins};
use anyhow::Result;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use verdict_judge::encoder::Encoder;
use verdict_judge::lab_api::calib;
use verdict_judge::{Embed, Judge};

/// aclImdb: test reviews read, training reviews the head learns from,
/// calibration reviews the stack is fitted on.
pub const IMDB_SAMPLE: (usize, usize, usize) = (2000, 2000, 1000);

/// One benchmark read three ways (accuracy %, ECE of P(favourable)).
#[derive(Debug, Clone, Serialize)]
pub struct EncoderRow {
    pub key: String,
    pub name: String,
    pub n: usize,
    pub linear: f64,
    pub alone: f64,
    pub stacked: f64,
    pub ece_linear: Option<f64>,
    pub ece_stacked: Option<f64>,
    pub goal: Option<f64>,
    /// An error (MAE), not an accuracy.
    pub lower_is_better: bool,
    /// What was read ("10 folds", "2,000 of 25,000 test reviews", …).
    pub split: String,
}

/// The encoder reader's speed, every thread counted.
#[derive(Debug, Clone, Serialize)]
pub struct EncoderSpeed {
    /// Threads the encoder ran on.
    pub threads: usize,
    /// MR snippets read (`Judge::read_texts`) per second of CPU time, all
    /// threads summed: per core.
    pub snippets_per_core_s: f64,
    /// The same, per second of wall time.
    pub snippets_per_s: f64,
    /// aclImdb test reviews embedded per second of CPU time: what a long
    /// review costs the encoder (the shipped reader leaves reviews longer
    /// than its `max_words` to the linear judge).
    pub reviews_per_core_s: f64,
    /// The linear judge on the same snippets, one thread.
    pub linear_snippets_per_core_s: f64,
}

/// What `verdict-lab eval --encoder` prints.
#[derive(Debug, Clone, Serialize)]
pub struct EncoderReport {
    pub reader: String,
    pub rows: Vec<EncoderRow>,
    pub speed: Option<EncoderSpeed>,
    pub seconds: f64,
}

/// One test part's three readings.
#[derive(Default)]
struct Outcome {
    labels: Vec<Option<bool>>,
    linear: Vec<f64>,
    alone: Vec<f64>,
    stacked: Vec<f64>,
    /// Scores (0–100) of the test and calibration parts: (linear, stacked).
    test_scores: Vec<(f64, f64)>,
    cal_scores: Vec<(usize, f64, f64)>,
}

impl Outcome {
    fn extend(&mut self, o: Outcome) {
        self.labels.extend(o.labels);
        self.linear.extend(o.linear);
        self.alone.extend(o.alone);
        self.stacked.extend(o.stacked);
        self.test_scores.extend(o.test_scores);
        self.cal_scores.extend(o.cal_scores);
    }

    fn row(&self, key: &str, name: &str, goal: Option<f64>, split: String) -> EncoderRow {
        let (linear, ece_linear) = binary(&self.linear, &self.labels);
        let (alone, _) = binary(&self.alone, &self.labels);
        let (stacked, ece_stacked) = binary(&self.stacked, &self.labels);
        EncoderRow {
            key: key.into(),
            name: name.into(),
            n: self.labels.iter().flatten().count(),
            linear,
            alone,
            stacked,
            ece_linear: Some(ece_linear),
            ece_stacked: Some(ece_stacked),
            goal,
            lower_is_better: false,
            split,
        }
    }
}

struct Bench<'a> {
    corpus: &'a Corpus,
    recipe: &'a TrainConfig,
    encoder: &'a Encoder,
    cache: EmbeddingCache,
}

fn sample(mut v: Vec<usize>, n: usize, seed: u64) -> Vec<usize> {
    if v.len() > n {
        v.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        v.truncate(n);
        v.sort_unstable();
    }
    v
}

impl Bench<'_> {
    /// Trains on `train` (the head on at most `head` texts of its training
    /// part, the stack on at most `cal` of its calibration part) and reads
    /// `test`.
    fn run(
        &mut self,
        train: &[usize],
        test: &[usize],
        limits: Option<(usize, usize)>,
        what: &str,
    ) -> Result<Outcome> {
        let corpus = self.corpus;
        let (model, cal) = fit_on(corpus, train, self.recipe)?;
        let in_cal: HashSet<usize> = cal.iter().copied().collect();
        let mut head_part: Vec<usize> = train
            .iter()
            .copied()
            .filter(|i| !in_cal.contains(i))
            .collect();
        let mut cal = cal;
        if let Some((h, c)) = limits {
            head_part = sample(head_part, h, self.recipe.seed ^ 0x4ead);
            cal = sample(cal, c, self.recipe.seed ^ 0xca1);
        }
        let mut all = head_part.clone();
        all.extend(&cal);
        all.extend(test);
        let texts: Vec<&str> = all
            .iter()
            .map(|&i| corpus.entries[i].doc.text.as_str())
            .collect();
        self.cache.fill(self.encoder, &texts, what)?;
        let trained = train_head(
            corpus,
            &self.cache,
            &model,
            &head_part,
            &cal,
            self.encoder.weights_sha256(),
        )?;
        let alone = fit_alone(&trained.calibration);
        let head = &trained.head;
        let mut out = Outcome::default();
        // A text's stacking row, its linear margins, the stacked P and
        // both scores.
        let read = |i: usize| {
            let row = stack_row(corpus, &self.cache, &model, head, i).expect("embedded above");
            let m = entry_margins(corpus, &model, i);
            let stacked = head.p_positive(row.linear, row.embedding, row.words);
            let scores = (
                calib::score(&model, &m),
                calib::score_at(&model, calib::logit_of(stacked), &m),
            );
            (row, m, stacked, scores)
        };
        for &i in test {
            let (row, m, stacked, scores) = read(i);
            out.labels.push(corpus.entries[i].doc.positive);
            out.linear.push(calib::p_positive(&model, &m));
            out.alone.push(alone(&row));
            out.stacked.push(stacked);
            out.test_scores.push(scores);
        }
        for &i in &cal {
            let (_, _, _, (a, b)) = read(i);
            out.cal_scores.push((i, a, b));
        }
        Ok(out)
    }
}

/// Runs the benchmarks `cfg` asks for (`mr`, `imdb`, `scale`, `rt`,
/// `speed`) with the encoder reader beside the linear judge.
pub fn evaluate(
    cfg: &EvalConfig,
    encoder: Arc<Encoder>,
    cache_dir: &Path,
) -> Result<EncoderReport> {
    let t0 = Instant::now();
    let recipe = &cfg.recipe;
    let corpus = Corpus::load(recipe)?;
    let seed = recipe.seed;
    let pools = Pools::new(&corpus, recipe)?;
    let mut recipe_fold = recipe.clone();
    recipe_fold.limit_per_dataset = None;
    let folds_run = cfg.max_folds.unwrap_or(cfg.folds).min(cfg.folds);
    let mut bench = Bench {
        corpus: &corpus,
        recipe: &recipe_fold,
        encoder: &encoder,
        cache: EmbeddingCache::open(cache_dir, &encoder)?,
    };
    let of_dataset = |d: Dataset| -> Vec<usize> {
        pools
            .main
            .iter()
            .copied()
            .filter(|&i| corpus.entries[i].dataset == d)
            .collect()
    };
    let folds_text = if folds_run < cfg.folds {
        format!("{folds_run} of {} folds", cfg.folds)
    } else {
        format!("{} folds", cfg.folds)
    };
    let mut rows = Vec::new();
    let has = |d: Dataset| recipe.datasets.contains(&d);

    if cfg.wants("mr") && has(Dataset::Mr) {
        let mr = of_dataset(Dataset::Mr);
        let fold = fold_of(mr.len(), cfg.folds, seed ^ 0x4d52);
        let mut all = Outcome::default();
        for k in 0..folds_run {
            let test = fold_part(&mr, &fold, k);
            let train = pools.training(&test, Dataset::Mr, false);
            all.extend(bench.run(&train, &test, None, "MR")?);
        }
        rows.push(all.row("mr", "MR, 10-fold CV", Some(86.0), folds_text.clone()));
    }

    if cfg.wants("imdb") && has(Dataset::Imdb) {
        let (n_test, n_head, n_cal) = IMDB_SAMPLE;
        let official = limited(
            recipe,
            corpus.indices(Dataset::Imdb, Part::OfficialTest),
            0x7e57,
        );
        let total = official.len();
        let test = sample(official, n_test, seed ^ 0x1bdb);
        let train = pools.training(&test, Dataset::Imdb, false);
        let out = bench.run(&train, &test, Some((n_head, n_cal)), "aclImdb")?;
        rows.push(out.row(
            "imdb",
            "aclImdb test (sample)",
            Some(92.5),
            format!(
                "{} of {total} test reviews; linear on all {} training reviews, head on {n_head}, stack on {n_cal}",
                test.len(),
                train.len()
            ),
        ));
    }

    if cfg.wants("scale") && has(Dataset::Scale) {
        let scale = of_dataset(Dataset::Scale);
        let fold = fold_of(scale.len(), cfg.folds, seed ^ 0x5343);
        let (mut right, mut n) = ([[0usize; 2]; 2], 0usize);
        let mut all = Outcome::default();
        for k in 0..folds_run {
            let test = fold_part(&scale, &fold, k);
            let train = pools.training(&test, Dataset::Scale, false);
            let out = bench.run(&train, &test, None, "scale")?;
            // Classes from each reading's score, cut points fitted on the
            // calibration part.
            for (reading, pick) in [(0usize, 0usize), (1, 1)] {
                let pairs = |f: fn(&super::data::Doc) -> Option<u8>| -> Vec<(f64, u8)> {
                    out.cal_scores
                        .iter()
                        .filter_map(|&(i, a, b)| {
                            let s = if pick == 0 { a } else { b };
                            Some((s, f(&corpus.entries[i].doc)?))
                        })
                        .collect()
                };
                let cuts3 = fit_cuts(&pairs(|d| d.class3), 3);
                let cuts4 = fit_cuts(&pairs(|d| d.class4), 4);
                for (&i, &(a, b)) in test.iter().zip(&out.test_scores) {
                    let s = if pick == 0 { a } else { b };
                    let d = &corpus.entries[i].doc;
                    right[reading][0] += (Some(classify(s, &cuts3)) == d.class3) as usize;
                    right[reading][1] += (Some(classify(s, &cuts4)) == d.class4) as usize;
                }
            }
            n += test.len();
            all.extend(out);
        }
        let pct = |r: usize| 100.0 * r as f64 / n.max(1) as f64;
        for (c, key, goal) in [(0usize, "scale3", 76.0), (1, "scale4", 64.0)] {
            rows.push(EncoderRow {
                key: key.into(),
                name: format!("scale v1.0, {}-class, pooled, 10-fold CV", c + 3),
                n,
                linear: pct(right[0][c]),
                alone: f64::NAN,
                stacked: pct(right[1][c]),
                ece_linear: None,
                ece_stacked: None,
                goal: Some(goal),
                lower_is_better: false,
                split: format!("{folds_text}; classes from the score, cut points fitted on the calibration part"),
            });
        }
        rows.push(all.row(
            "scale-polarity",
            "scale v1.0, polarity of the outer classes",
            None,
            folds_text.clone(),
        ));
    }

    if cfg.wants("rt") && has(Dataset::RtFlatiron) {
        let held = held_out_films(&corpus, seed);
        let test: Vec<usize> = of_dataset(Dataset::RtFlatiron)
            .into_iter()
            .filter(|&i| held.contains(&corpus.entries[i].doc.group))
            .collect();
        let train: Vec<usize> = pools
            .training(&test, Dataset::RtFlatiron, false)
            .into_iter()
            .filter(|&i| !held.contains(&corpus.entries[i].doc.group))
            .collect();
        let out = bench.run(&train, &test, None, "RT snippets")?;
        rows.push(out.row(
            "rt",
            "RT snippets (rt-flatiron), split by film",
            Some(84.0),
            "a fifth of the films held out".into(),
        ));
    }

    if cfg.wants("films") && super::eval::film_files_present(&recipe.data_dir) {
        rows.extend(film_rows(&recipe.data_dir, encoder.clone())?);
    }

    let speed = if cfg.wants("speed") {
        Some(speed(&corpus, encoder.clone())?)
    } else {
        None
    };
    Ok(EncoderReport {
        reader: super::encoder::READER_NAME.into(),
        rows,
        speed,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// The film benchmark (`verdict-lab films`) read by the shipped linear
/// judge and by the shipped encoder reader: pull quotes of films neither
/// was trained on read right, and each film's % positive from the text
/// alone, as shipped (EM), against its Tomatometer.
fn film_rows(data_dir: &Path, encoder: Arc<Encoder>) -> Result<Vec<EncoderRow>> {
    let with = Judge::embedded()
        .clone()
        .with_encoder(encoder, Judge::embedded_encoder_head())?;
    let linear = super::films::run_with(data_dir, None, Judge::embedded())?;
    let stacked = super::films::run_with(data_dir, None, &with)?;
    let right =
        |r: &super::films::FilmsReport| 100.0 * r.text_right as f64 / r.text_read.max(1) as f64;
    let shipped_mae = |r: &super::films::FilmsReport| {
        r.rows
            .iter()
            .find(|x| x.way == "text only" && x.estimator.starts_with("as shipped"))
            .map_or(f64::NAN, |x| x.mae)
    };
    Ok(vec![
        EncoderRow {
            key: "films-quotes".into(),
            name: "pull quotes of unseen films read right".into(),
            n: linear.text_read,
            linear: right(&linear),
            alone: f64::NAN,
            stacked: right(&stacked),
            ece_linear: None,
            ece_stacked: None,
            goal: Some(87.0),
            lower_is_better: false,
            split: format!(
                "the shipped models; {} films of the film benchmark",
                linear.films
            ),
        },
        EncoderRow {
            key: "films-text".into(),
            name: "film % positive from text alone, MAE (points)".into(),
            n: linear.films,
            linear: shipped_mae(&linear),
            alone: f64::NAN,
            stacked: shipped_mae(&stacked),
            ece_linear: None,
            ece_stacked: None,
            goal: None,
            lower_is_better: true,
            split: "as shipped: EM prior adjustment, against the Tomatometer".into(),
        },
    ])
}

/// The encoder reader's speed on MR snippets and aclImdb test reviews.
fn speed(corpus: &Corpus, encoder: Arc<Encoder>) -> Result<EncoderSpeed> {
    let judge = Judge::embedded()
        .clone()
        .with_encoder(encoder.clone(), Judge::embedded_encoder_head())?;
    let texts = |d: Dataset, part: Part, n: usize| -> Vec<&str> {
        corpus
            .indices(d, part)
            .into_iter()
            .take(n)
            .map(|i| corpus.entries[i].doc.text.as_str())
            .collect()
    };
    let snippets = texts(Dataset::Mr, Part::Main, 2000);
    let reviews = texts(Dataset::Imdb, Part::OfficialTest, 100);
    let cpu = verdict_core::cpu::process_time;
    let timed = |items: &[&str], whole: bool| -> (f64, f64) {
        let (w0, c0) = (Instant::now(), cpu());
        if whole {
            std::hint::black_box(judge.read_texts(items));
        } else {
            std::hint::black_box(encoder.embed_texts(items).expect("the encoder runs"));
        }
        let wall = w0.elapsed().as_secs_f64();
        let core = match (c0, cpu()) {
            (Some(a), Some(b)) => b.saturating_sub(a).as_secs_f64(),
            _ => wall,
        };
        (items.len() as f64 / core, items.len() as f64 / wall)
    };
    timed(&snippets[..100.min(snippets.len())], true); // warm up
    let (per_core, per_s) = timed(&snippets, true);
    let (reviews_per_core, _) = timed(&reviews, false);
    let linear = Judge::embedded();
    let linear_rate = super::eval::rate(&snippets, |t| {
        std::hint::black_box(linear.read_text(t));
    });
    Ok(EncoderSpeed {
        threads: std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        snippets_per_core_s: per_core,
        snippets_per_s: per_s,
        reviews_per_core_s: reviews_per_core,
        linear_snippets_per_core_s: linear_rate,
    })
}

impl EncoderReport {
    /// The side-by-side table, with the baseline's numbers when given.
    pub fn table(&self, baseline: Option<&super::eval::Baseline>) -> String {
        use std::fmt::Write;
        let cell = |v: Option<f64>, d: usize| match v {
            Some(v) if v.is_finite() => format!("{v:.d$}"),
            _ => "—".to_string(),
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "encoder reader {} (frozen all-MiniLM-L6-v2, logistic head, stacked on the linear margin); every model trained on the benchmark's own data",
            self.reader
        );
        let _ = writeln!(
            out,
            "{:<46} {:>6} {:>7} {:>7} {:>7} {:>6} {:>7} {:>7} {:>6} {:>7} {:>7}  split",
            "benchmark [accuracy %, unless said]",
            "n",
            "linear",
            "enc",
            "stacked",
            "gain",
            "sklearn",
            "st/sk",
            "goal",
            "ECE lin",
            "ECE st"
        );
        for r in &self.rows {
            let d = if r.lower_is_better { 2 } else { 1 };
            let sk = baseline
                .and_then(|b| b.results.get(&r.key))
                .map(|x| x.value);
            let _ = writeln!(
                out,
                "{:<46} {:>6} {:>7} {:>7} {:>7} {:>6} {:>7} {:>7} {:>6} {:>7} {:>7}  {}",
                r.name,
                r.n,
                cell(Some(r.linear), d),
                cell(Some(r.alone), d),
                cell(Some(r.stacked), d),
                format!("{:+.d$}", r.stacked - r.linear),
                cell(sk, d),
                cell(sk.map(|s| r.stacked / s), 3),
                r.goal.map_or("—".into(), |g| if r.lower_is_better {
                    format!("≤{g}")
                } else {
                    format!("≥{g}")
                }),
                cell(r.ece_linear, 3),
                cell(r.ece_stacked, 3),
                r.split
            );
        }
        let _ = writeln!(
            out,
            "linear = the linear judge's recipe; enc = the encoder's head alone, Platt-scaled; stacked = the encoder reader; \
             gain = stacked − linear (for an error, lower is better); sklearn = TF-IDF + LogisticRegression on the same splits (aclImdb: the whole test set)"
        );
        if let Some(s) = &self.speed {
            let _ = writeln!(
                out,
                "speed ({} threads): {:.0} MR snippets/s per core read ({:.0}/s wall), {:.1} aclImdb reviews/s per core embedded; the linear judge {:.0} snippets/s per core",
                s.threads,
                s.snippets_per_core_s,
                s.snippets_per_s,
                s.reviews_per_core_s,
                s.linear_snippets_per_core_s
            );
        }
        let _ = write!(out, "time: {:.0} s", self.seconds);
        out
    }
}
