//! The encoder reader: its head trained over a frozen sentence encoder,
//! stacked on the linear model's margins, and measured beside the linear
//! judge on the same splits.
//!
//! * **Embeddings** come from the real encoder (`verdict_judge::encoder`)
//!   and are kept in an [`EmbeddingCache`] under the target folder, keyed
//!   by the weights and the text: two cores embed about a hundred snippets
//!   a second, so each text is embedded once across runs.
//! * **Head** ([`fit_head`]): logistic regression on the embedding
//!   (Newton's method, L2 chosen among a few strengths by the log loss on
//!   the calibration part).
//! * **Stack** ([`fit_stack`]): `σ(θ·[m, m·ℓ, e, e·ℓ, ℓ] + b)` on the
//!   calibration part, where `m` is the linear margin and `e` the head's:
//!   the stack is the calibration.
//!
//! Frozen encoder only: fine-tuning MiniLM needs a GPU, which this
//! project's machines do not have.

use super::corpus::Corpus;
use super::learn;
use super::{Dataset, TrainConfig, entry_margins};
use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;
use verdict_judge::encoder::Encoder;
use verdict_judge::lab_api::calib;
use verdict_judge::lab_api::encoder::{EncoderHead, STACK, stack_inputs};
use verdict_judge::lab_api::features::fnv1a64;
use verdict_judge::lab_api::model::{LinearModel, sigmoid};

/// The encoder reader's name, recorded in each judgement it gives.
pub const READER_NAME: &str = "minilm-l6-en-v1";
/// Tokens per window, and windows at most per text.
pub const WINDOW_TOKENS: usize = 128;
pub const MAX_WINDOWS: usize = 4;
/// The L2 strengths [`fit_head`] chooses among.
const L2_GRID: [f64; 4] = [0.03, 0.3, 3.0, 30.0];

/// Embeddings computed once and kept: `<dir>/<weights>-w<window>x<max>.f32`,
/// records of (FNV-1a 64 of the text, `dim` little-endian f32), appended
/// as they are computed.
pub struct EmbeddingCache {
    path: PathBuf,
    dim: usize,
    map: HashMap<u64, Vec<f32>>,
}

impl EmbeddingCache {
    /// Opens (or starts) the cache of `encoder`'s embeddings in `dir`.
    pub fn open(dir: &Path, encoder: &Encoder) -> Result<EmbeddingCache> {
        use verdict_judge::Embed;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(format!(
            "{}-w{WINDOW_TOKENS}x{MAX_WINDOWS}.f32",
            &encoder.weights_sha256()[..16]
        ));
        let dim = encoder.dim();
        let mut map = HashMap::new();
        if path.is_file() {
            let mut bytes = Vec::new();
            std::fs::File::open(&path)?.read_to_end(&mut bytes)?;
            let record = 8 + 4 * dim;
            // A record cut short by an interrupted run is dropped.
            for r in bytes.chunks_exact(record) {
                let key = u64::from_le_bytes(r[..8].try_into().expect("8 bytes"));
                let v = r[8..]
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
                    .collect();
                map.insert(key, v);
            }
            let whole = bytes.len() / record * record;
            if whole != bytes.len() {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)?
                    .set_len(whole as u64)?;
            }
        }
        Ok(EmbeddingCache { path, dim, map })
    }

    /// The embedding of `text`, when cached.
    pub fn get(&self, text: &str) -> Option<&[f32]> {
        self.map.get(&fnv1a64(text.as_bytes())).map(Vec::as_slice)
    }

    /// Texts cached.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Embeds the texts not cached yet (saying how far it is on standard
    /// error), and keeps them.
    pub fn fill(&mut self, encoder: &Encoder, texts: &[&str], what: &str) -> Result<()> {
        let mut missing: Vec<&str> = texts
            .iter()
            .copied()
            .filter(|t| !self.map.contains_key(&fnv1a64(t.as_bytes())))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let t0 = Instant::now();
        let mut file = std::io::BufWriter::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .with_context(|| format!("opening {}", self.path.display()))?,
        );
        let total = missing.len();
        let mut done = 0usize;
        for chunk in missing.chunks(512) {
            let embeddings = encoder
                .embed_texts(chunk)
                .with_context(|| format!("embedding {what}"))?;
            for (text, e) in chunk.iter().zip(embeddings) {
                if e.len() != self.dim {
                    bail!("the encoder gave {} numbers, not {}", e.len(), self.dim);
                }
                let key = fnv1a64(text.as_bytes());
                file.write_all(&key.to_le_bytes())?;
                for v in &e {
                    file.write_all(&v.to_le_bytes())?;
                }
                self.map.insert(key, e);
            }
            file.flush()?;
            done += chunk.len();
            let rate = done as f64 / t0.elapsed().as_secs_f64().max(1e-9);
            eprintln!(
                "  embedding {what}: {done}/{total} ({rate:.0} texts/s, {:.0} s left)",
                (total - done) as f64 / rate
            );
        }
        Ok(())
    }
}

/// The cache folder: `$CARGO_TARGET_DIR/encoder-cache`, else
/// `target/encoder-cache`.
pub fn default_cache_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
        .join("encoder-cache")
}

/// Logistic regression on dense rows by Newton's method with an L2
/// penalty `l2·‖w‖²` (the bias unpenalised): `(w, b)`.
pub fn fit_dense(xs: &[&[f32]], ys: &[bool], l2: f64) -> (Vec<f64>, f64) {
    let dim = xs.first().map_or(0, |x| x.len());
    let k = dim + 1;
    let mut p = vec![0.0f64; k];
    let z = |p: &[f64], x: &[f32]| -> f64 {
        x.iter().zip(p).map(|(v, w)| f64::from(*v) * w).sum::<f64>() + p[dim]
    };
    let loss = |p: &[f64]| -> f64 {
        xs.iter()
            .zip(ys)
            .map(|(x, &y)| {
                let z = z(p, x);
                let softplus = if z > 0.0 {
                    z + (-z).exp().ln_1p()
                } else {
                    z.exp().ln_1p()
                };
                softplus - if y { z } else { 0.0 }
            })
            .sum::<f64>()
            + l2 * p[..dim].iter().map(|v| v * v).sum::<f64>()
    };
    let mut current = loss(&p);
    let mut row = vec![0.0f64; k];
    for _ in 0..30 {
        let mut g = vec![0.0f64; k];
        // The Hessian's upper triangle, row-major.
        let mut h = vec![0.0f64; k * k];
        for (x, &y) in xs.iter().zip(ys) {
            for (r, v) in row.iter_mut().zip(x.iter()) {
                *r = f64::from(*v);
            }
            row[dim] = 1.0;
            let pr = sigmoid(z(&p, x));
            let d = pr - y as u8 as f64;
            let w = pr * (1.0 - pr);
            for a in 0..k {
                g[a] += d * row[a];
                let wa = w * row[a];
                let ha = &mut h[a * k..(a + 1) * k];
                for b in a..k {
                    ha[b] += wa * row[b];
                }
            }
        }
        let mut hess = vec![vec![0.0f64; k]; k];
        for a in 0..k {
            for b in a..k {
                hess[a][b] = h[a * k + b];
                hess[b][a] = h[a * k + b];
            }
        }
        for a in 0..dim {
            hess[a][a] += 2.0 * l2;
            g[a] += 2.0 * l2 * p[a];
        }
        hess[dim][dim] += 1e-9;
        let Some(step) = learn::solve(hess, g) else {
            break;
        };
        let mut scale = 1.0;
        let mut improved = false;
        while scale > 1e-6 {
            let cand: Vec<f64> = p.iter().zip(&step).map(|(v, s)| v - scale * s).collect();
            let l = loss(&cand);
            if l < current {
                improved = current - l > 1e-7 * current.abs().max(1.0);
                p = cand;
                current = l;
                break;
            }
            scale /= 2.0;
        }
        if !improved {
            break;
        }
    }
    let b = p[dim];
    p.truncate(dim);
    (p, b)
}

/// Mean log loss of `σ(margin)` against the labels.
fn log_loss(margins: &[f64], ys: &[bool]) -> f64 {
    let n = margins.len().max(1) as f64;
    margins
        .iter()
        .zip(ys)
        .map(|(&m, &y)| {
            let p = sigmoid(m).clamp(1e-12, 1.0 - 1e-12);
            -if y { p.ln() } else { (1.0 - p).ln() }
        })
        .sum::<f64>()
        / n
}

/// The embedding head: fitted on (`train`), its L2 strength chosen by the
/// log loss on `held` (both: embeddings and labels). Returns the weights,
/// the bias and the strength chosen.
pub fn fit_head(train: (&[&[f32]], &[bool]), held: (&[&[f32]], &[bool])) -> (Vec<f32>, f32, f64) {
    let mut best: Option<(f64, Vec<f64>, f64, f64)> = None;
    for l2 in L2_GRID {
        let (w, b) = fit_dense(train.0, train.1, l2);
        let m: Vec<f64> = held.0.iter().map(|x| dot(&w, x) + b).collect();
        let loss = log_loss(&m, held.1);
        if best.as_ref().is_none_or(|(l, ..)| loss < *l) {
            best = Some((loss, w, b, l2));
        }
    }
    let (_, w, b, l2) = best.expect("a strength");
    (w.iter().map(|&v| v as f32).collect(), b as f32, l2)
}

fn dot(w: &[f64], x: &[f32]) -> f64 {
    w.iter().zip(x).map(|(a, b)| a * f64::from(*b)).sum()
}

/// One calibration row: the linear margin, the embedding margin, the words
/// read, the label.
#[derive(Debug, Clone, Copy)]
pub struct StackRow {
    pub linear: f64,
    pub embedding: f64,
    pub words: u32,
    pub positive: bool,
}

/// The stack's parameters (by the names of [`STACK`]) fitted on `rows`.
pub fn fit_stack(rows: &[StackRow]) -> Vec<(String, f64)> {
    let xs: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| stack_inputs(r.linear, r.embedding, r.words))
        .collect();
    let ys: Vec<f64> = rows.iter().map(|r| r.positive as u8 as f64).collect();
    let (w, b) = learn::logistic_fit(&xs, &ys);
    STACK
        .iter()
        .zip(w.iter().chain(std::iter::once(&b)))
        .map(|(n, v)| (n.to_string(), *v))
        .collect()
}

/// P(favourable) from the embedding margin alone, Platt-scaled on `rows`
/// (length-aware like the linear judge's): what the encoder reads without
/// the linear model.
pub fn fit_alone(rows: &[StackRow]) -> impl Fn(&StackRow) -> f64 + use<> {
    let inputs = |r: &StackRow| {
        let l = calib::length(r.words);
        vec![r.embedding, r.embedding * l, l]
    };
    let xs: Vec<Vec<f64>> = rows.iter().map(inputs).collect();
    let ys: Vec<f64> = rows.iter().map(|r| r.positive as u8 as f64).collect();
    let (w, b) = learn::logistic_fit(&xs, &ys);
    move |r: &StackRow| sigmoid(inputs(r).iter().zip(&w).map(|(x, a)| x * a).sum::<f64>() + b)
}

/// A head trained and stacked: on `train` (head) and `calibration`
/// (strength and stack) of `corpus`, over `model`'s margins.
pub struct Trained {
    pub head: EncoderHead,
    /// The L2 strength chosen.
    pub l2: f64,
    /// The calibration rows (for the encoder-alone reading).
    pub calibration: Vec<StackRow>,
}

/// Labelled entries with their embeddings and labels, side by side.
struct Labelled<'a> {
    idx: Vec<usize>,
    xs: Vec<&'a [f32]>,
    ys: Vec<bool>,
}

/// The labelled entries of `idx`, with their embeddings.
fn labelled<'a>(corpus: &Corpus, cache: &'a EmbeddingCache, idx: &[usize]) -> Result<Labelled<'a>> {
    let mut out = Labelled {
        idx: Vec::new(),
        xs: Vec::new(),
        ys: Vec::new(),
    };
    for &i in idx {
        let d = &corpus.entries[i].doc;
        let Some(y) = d.positive else { continue };
        let Some(x) = cache.get(&d.text) else {
            bail!("entry {i} was not embedded first");
        };
        out.idx.push(i);
        out.xs.push(x);
        out.ys.push(y);
    }
    Ok(out)
}

/// The stacking row of entry `i`.
pub fn stack_row(
    corpus: &Corpus,
    cache: &EmbeddingCache,
    model: &LinearModel,
    head: &EncoderHead,
    i: usize,
) -> Option<StackRow> {
    let e = &corpus.entries[i];
    let x = cache.get(&e.doc.text)?;
    Some(StackRow {
        linear: entry_margins(corpus, model, i).polarity,
        embedding: head.embedding_margin(x)?,
        words: e.words,
        positive: e.doc.positive.unwrap_or(false),
    })
}

/// Trains the head on `train` and stacks it on `calibration` (embedded
/// already), over the linear `model`.
pub fn train_head(
    corpus: &Corpus,
    cache: &EmbeddingCache,
    model: &LinearModel,
    train: &[usize],
    calibration: &[usize],
    weights_sha256: &str,
) -> Result<Trained> {
    let t = labelled(corpus, cache, train)?;
    let c = labelled(corpus, cache, calibration)?;
    if t.xs.is_empty() || c.xs.is_empty() {
        bail!("no labelled texts to train the encoder head on");
    }
    let (weights, bias, l2) = fit_head((&t.xs, &t.ys), (&c.xs, &c.ys));
    let mut head = EncoderHead {
        name: READER_NAME.into(),
        linear: model.name.clone(),
        weights_sha256: weights_sha256.to_string(),
        window_tokens: WINDOW_TOKENS,
        max_windows: MAX_WINDOWS,
        max_words: u32::MAX,
        weights,
        bias,
        params: Vec::new(),
        notes: Vec::new(),
    };
    let rows: Vec<StackRow> = c
        .idx
        .iter()
        .filter_map(|&i| stack_row(corpus, cache, model, &head, i))
        .collect();
    head.params = fit_stack(&rows);
    // The encoder reads what it was calibrated on: texts up to the 99th
    // percentile of the calibration part's lengths.
    let mut words: Vec<u32> = rows.iter().map(|r| r.words).collect();
    words.sort_unstable();
    head.max_words = words
        .get(((words.len() as f64 * 0.99) as usize).min(words.len().saturating_sub(1)))
        .copied()
        .unwrap_or(u32::MAX)
        .max(1);
    Ok(Trained {
        head,
        l2,
        calibration: rows,
    })
}

/// The datasets the shipped head learns from: the short texts (one-line
/// snippets and pull quotes) that the encoder reads at a hundred a second
/// here. Long reviews would cost 4 windows each.
pub const HEAD_DATASETS: [Dataset; 2] = [Dataset::Mr, Dataset::RtFlatiron];

/// Trains the shipped head: over the shipped recipe's linear model, on
/// the [`HEAD_DATASETS`]' training parts, stacked on their calibration
/// parts (the same 10% splits the linear model is calibrated on).
pub fn train_shipped(
    recipe: &TrainConfig,
    encoder: &Encoder,
    cache_dir: &Path,
) -> Result<(EncoderHead, String)> {
    use verdict_judge::Embed;
    let corpus = Corpus::load(recipe)?;
    let eval_only = super::evaluation_only_texts(&corpus, recipe)?;
    let main: Vec<usize> = (0..corpus.entries.len())
        .filter(|&i| corpus.entries[i].part == super::Part::Main)
        .collect();
    let (t, c) = super::eval::shipped_parts(&corpus, &main, &eval_only, recipe);
    let model = super::fit_linear(&corpus, &t, &c, recipe)?;
    let shipped = verdict_judge::lab_api::linear_model(verdict_judge::Judge::embedded());
    let reproduces = super::model_bytes(&model) == super::model_bytes(shipped);
    let keep = |v: &[usize]| -> Vec<usize> {
        v.iter()
            .copied()
            .filter(|&i| HEAD_DATASETS.contains(&corpus.entries[i].dataset))
            .collect()
    };
    let (t, c) = (keep(&t), keep(&c));
    let mut cache = EmbeddingCache::open(cache_dir, encoder)?;
    let texts: Vec<&str> = t
        .iter()
        .chain(&c)
        .map(|&i| corpus.entries[i].doc.text.as_str())
        .collect();
    cache.fill(encoder, &texts, "the training texts")?;
    let trained = train_head(&corpus, &cache, &model, &t, &c, encoder.weights_sha256())?;
    let mut head = trained.head;
    head.notes = vec![
        format!(
            "head: {} labelled snippets (MR, rt-flatiron training parts); stack: {} (their calibration parts); L2 {}",
            t.len(),
            trained.calibration.len(),
            trained.l2
        ),
        format!(
            "weights: {} 0.1.0 (all-MiniLM-L6-v2), frozen; linear model {}",
            verdict_judge::encoder::PACKAGE,
            model.name
        ),
    ];
    let report = format!(
        "encoder head trained on {} snippets, stacked on {}; L2 {}; the recipe's linear model {} the shipped one",
        t.len(),
        trained.calibration.len(),
        trained.l2,
        if reproduces { "is" } else { "is NOT" }
    );
    Ok((head, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn the_dense_fit_finds_a_separating_direction() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let rows: Vec<Vec<f32>> = (0..400)
            .map(|_| (0..5).map(|_| rng.random_range(-1.0..1.0)).collect())
            .collect();
        let ys: Vec<bool> = rows.iter().map(|r| r[0] - 0.5 * r[2] > 0.1).collect();
        let xs: Vec<&[f32]> = rows.iter().map(Vec::as_slice).collect();
        let (w, b) = fit_dense(&xs, &ys, 0.01);
        let right = xs
            .iter()
            .zip(&ys)
            .filter(|(x, y)| (dot(&w, x) + b > 0.0) == **y)
            .count();
        assert!(right >= 390, "{right} of 400 {w:?} {b}");
        assert!(
            w[0] > 0.0 && w[2] < 0.0 && w[1].abs() < w[0].abs() / 3.0,
            "{w:?}"
        );
        // A strong penalty shrinks the weights.
        let (w2, _) = fit_dense(&xs, &ys, 100.0);
        assert!(w2[0].abs() < w[0].abs() / 2.0, "{w2:?} {w:?}");
    }

    #[test]
    fn the_stack_weighs_the_better_margin_more() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let rows: Vec<StackRow> = (0..2000)
            .map(|_| {
                let positive = rng.random_bool(0.5);
                let s = if positive { 1.0 } else { -1.0 };
                StackRow {
                    linear: s * 0.5 + rng.random_range(-2.0..2.0),
                    embedding: s * 1.5 + rng.random_range(-2.0..2.0),
                    words: 20,
                    positive,
                }
            })
            .collect();
        let params = fit_stack(&rows);
        let get = |n: &str| params.iter().find(|(k, _)| k == n).unwrap().1;
        let l = calib::length(20);
        let linear = get("stack.m") + get("stack.ml") * l;
        let embedding = get("stack.e") + get("stack.el") * l;
        assert!(embedding > linear && linear > 0.0, "{params:?}");
    }
}
