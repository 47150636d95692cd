//! The learning algorithms: AdaGrad logistic regression (hard or soft
//! targets) over hashed features, naive-Bayes feature scaling, i8
//! quantisation, Platt scaling. Plain loops over plain vectors,
//! deterministic for a seed.

use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use verdict_judge::lab_api::features::{CHAR_BIT, FeatureSpec, Features};
use verdict_judge::lab_api::model::sigmoid;

/// The features of many texts in one arena, extracted once and shared by
/// every head and every fold.
#[derive(Debug, Default)]
pub(crate) struct FeatureStore {
    ids: Vec<u32>,
    offsets: Vec<usize>,
    word_value: Vec<f32>,
    char_value: Vec<f32>,
}

impl FeatureStore {
    pub fn new() -> FeatureStore {
        FeatureStore {
            offsets: vec![0],
            ..FeatureStore::default()
        }
    }

    pub fn push(&mut self, f: &Features, spec: &FeatureSpec) -> usize {
        self.ids.extend_from_slice(&f.words);
        self.ids.extend(f.chars.iter().map(|c| c | CHAR_BIT));
        self.offsets.push(self.ids.len());
        self.word_value.push(f.word_value());
        self.char_value.push(f.char_value(spec));
        self.offsets.len() - 2
    }

    /// The packed ids of text `i` (char buckets marked with [`CHAR_BIT`]).
    pub fn ids(&self, i: usize) -> &[u32] {
        &self.ids[self.offsets[i]..self.offsets[i + 1]]
    }

    pub fn values(&self, i: usize) -> (f32, f32) {
        (self.word_value[i], self.char_value[i])
    }

    /// The raw margin `bias + Σ w·x` of text `i` under float weights.
    pub fn margin(&self, i: usize, w: &[f32], bias: f32) -> f32 {
        let (wv, cv) = self.values(i);
        let mut z = bias;
        for &id in self.ids(i) {
            let (f, v) = split(id, wv, cv);
            z += w[f] * v;
        }
        z
    }
}

#[inline]
fn split(id: u32, wv: f32, cv: f32) -> (usize, f32) {
    if id & CHAR_BIT != 0 {
        ((id & !CHAR_BIT) as usize, cv)
    } else {
        (id as usize, wv)
    }
}

/// One training example: a text of the store, its target in [0, 1] (1 =
/// favourable; a rating for the score head) and its weight.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    pub doc: usize,
    pub target: f32,
    pub weight: f32,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Hyper {
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
}

/// Learns weights and a bias with AdaGrad on the logistic loss (soft
/// targets allowed) plus L2 applied to the features an example touches.
/// Feature values are the family values of the store; `scaling`, when
/// given, multiplies each bucket's value (naive-Bayes log-count ratios).
/// Buckets are shifted right by `shift` (a head coarser than the features).
/// Returns weights that already include the scaling.
pub(crate) fn fit(
    store: &FeatureStore,
    samples: &[Sample],
    buckets: usize,
    shift: u32,
    hyper: &Hyper,
    scaling: Option<&[f32]>,
    rng: &mut ChaCha8Rng,
) -> (Vec<f32>, f32) {
    const EPS: f32 = 1e-6;
    let mut w = vec![0.0f32; buckets];
    let mut g2 = vec![0.0f32; buckets];
    let (mut bias, mut bias_g2) = (0.0f32, 0.0f32);
    let mut order: Vec<usize> = (0..samples.len()).collect();
    let scale = |f: usize| scaling.map_or(1.0, |s| s[f]);
    for _ in 0..hyper.epochs {
        order.shuffle(rng);
        for &i in &order {
            let s = &samples[i];
            let ids = store.ids(s.doc);
            if ids.is_empty() {
                continue;
            }
            let (wv, cv) = store.values(s.doc);
            let mut z = bias;
            for &id in ids {
                let (f, v) = split(id, wv, cv);
                let f = f >> shift;
                z += w[f] * v * scale(f);
            }
            let g = (sigmoid(z as f64) as f32 - s.target) * s.weight;
            for &id in ids {
                let (f, v) = split(id, wv, cv);
                let f = f >> shift;
                let x = v * scale(f);
                let grad = g * x + hyper.l2 * w[f];
                g2[f] += grad * grad;
                w[f] -= hyper.learning_rate * grad / (g2[f].sqrt() + EPS);
            }
            bias_g2 += g * g;
            bias -= hyper.learning_rate * g / (bias_g2.sqrt() + EPS);
        }
    }
    if let Some(s) = scaling {
        for (wi, si) in w.iter_mut().zip(s) {
            *wi *= si;
        }
    }
    (w, bias)
}

/// Naive-Bayes log-count ratios per bucket (Wang & Manning 2012) from the
/// samples with a clear label, smoothed by `alpha`, then mapped to scaling
/// factors `1 + strength·|r|` so that discriminative features learn faster
/// while unseen buckets keep the plain value.
pub(crate) fn nb_scaling(
    store: &FeatureStore,
    samples: &[Sample],
    buckets: usize,
    shift: u32,
    alpha: f32,
    strength: f32,
) -> Vec<f32> {
    let mut pos = vec![0.0f32; buckets];
    let mut neg = vec![0.0f32; buckets];
    let (mut np, mut nn) = (0.0f32, 0.0f32);
    for s in samples {
        let (counts, total) = if s.target >= 0.75 {
            (&mut pos, &mut np)
        } else if s.target <= 0.25 {
            (&mut neg, &mut nn)
        } else {
            continue;
        };
        for &id in store.ids(s.doc) {
            let (f, _) = split(id, 1.0, 1.0);
            counts[f >> shift] += s.weight;
            *total += s.weight;
        }
    }
    let (np, nn) = (np.max(1.0), nn.max(1.0));
    let d = buckets as f32;
    pos.iter()
        .zip(&neg)
        .map(|(&p, &q)| {
            let r = ((p + alpha) / (np + alpha * d)).ln() - ((q + alpha) / (nn + alpha * d)).ln();
            1.0 + strength * r.abs()
        })
        .collect()
}

/// Quantises weights to i8 with one scale that maps the largest magnitude
/// to 127.
pub(crate) fn quantize(w: &[f32]) -> (Vec<i8>, f32) {
    let top = w.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if top == 0.0 {
        return (vec![0; w.len()], 1.0);
    }
    let scale = top / 127.0;
    let q = w
        .iter()
        .map(|&v| (v / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (q, scale)
}

/// Fits `P(y) = sigmoid(Σ a_k·x_k + b)` by Newton's method on the log
/// loss: Platt scaling when `x` is the margin alone. `targets` are the
/// labels (0/1) or soft targets; Platt's smoothing is applied to hard ones.
pub(crate) fn logistic_fit(xs: &[Vec<f64>], targets: &[f64]) -> (Vec<f64>, f64) {
    logistic_fit_with(xs, targets, 0.0, true)
}

/// [`logistic_fit`] with a fixed `offset` added to every logit, and the
/// bias fitted or held at 0.
pub(crate) fn logistic_fit_with(
    xs: &[Vec<f64>],
    targets: &[f64],
    offset: f64,
    fit_bias: bool,
) -> (Vec<f64>, f64) {
    let dim = xs.first().map_or(0, |x| x.len());
    let n_pos = targets.iter().filter(|&&t| t >= 0.5).count() as f64;
    let n_neg = targets.len() as f64 - n_pos;
    let hi = (n_pos + 1.0) / (n_pos + 2.0);
    let lo = 1.0 / (n_neg + 2.0);
    let t: Vec<f64> = targets
        .iter()
        .map(|&y| {
            if y == 1.0 {
                hi
            } else if y == 0.0 {
                lo
            } else {
                y
            }
        })
        .collect();
    let k = dim + fit_bias as usize; // parameters: a_0..a_{dim-1}[, b]
    let z = |p: &[f64], x: &[f64]| {
        x.iter().zip(p).map(|(xi, a)| xi * a).sum::<f64>()
            + if fit_bias { p[dim] } else { 0.0 }
            + offset
    };
    let loss = |p: &[f64]| -> f64 {
        xs.iter()
            .zip(&t)
            .map(|(x, &ti)| {
                let z = z(p, x);
                let softplus = if z > 0.0 {
                    z + (-z).exp().ln_1p()
                } else {
                    z.exp().ln_1p()
                };
                softplus - ti * z
            })
            .sum::<f64>()
            + 1e-6 * p.iter().map(|v| v * v).sum::<f64>()
    };
    let mut p = vec![0.0f64; k];
    if dim > 0 {
        p[0] = 1.0;
    }
    let mut current = loss(&p);
    for _ in 0..100 {
        let mut g = vec![0.0; k];
        let mut h = vec![vec![0.0; k]; k];
        for (x, &ti) in xs.iter().zip(&t) {
            let pr = sigmoid(z(&p, x));
            let d = pr - ti;
            let w = pr * (1.0 - pr);
            let xe = |j: usize| if j < dim { x[j] } else { 1.0 };
            for (a, (ga, row)) in g.iter_mut().zip(h.iter_mut()).enumerate() {
                *ga += d * xe(a);
                for (b, hab) in row.iter_mut().enumerate() {
                    *hab += w * xe(a) * xe(b);
                }
            }
        }
        for (a, row) in h.iter_mut().enumerate() {
            row[a] += 1e-9;
            g[a] += 2e-6 * p[a];
        }
        let Some(step) = solve(h, g) else { break };
        let mut scale = 1.0;
        let mut improved = false;
        while scale > 1e-8 {
            let cand: Vec<f64> = p.iter().zip(&step).map(|(v, s)| v - scale * s).collect();
            let l = loss(&cand);
            if l < current {
                p = cand;
                current = l;
                improved = true;
                break;
            }
            scale /= 2.0;
        }
        if !improved || step.iter().all(|s| s.abs() < 1e-9) {
            break;
        }
    }
    let b = if fit_bias { p[dim] } else { 0.0 };
    p.truncate(dim);
    (p, b)
}

/// Solves `a·x = b` by Gaussian elimination with partial pivoting.
pub(crate) fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-15 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (top, rest) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (r, row) in rest.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, &y) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * y;
            }
            b[col + 1 + r] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|c| a[row][c] * x[c]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn platt_recovers_a_known_scaling() {
        // Labels drawn so that P(pos | m) = sigmoid(2m - 0.5), deterministically.
        let mut xs = Vec::new();
        let mut labels = Vec::new();
        for i in 0..2000 {
            let m = (i % 200) as f64 / 50.0 - 2.0;
            let p = sigmoid(2.0 * m - 0.5);
            let u = ((i / 200) as f64 + 0.5) / 10.0;
            xs.push(vec![m]);
            labels.push(if u < p { 1.0 } else { 0.0 });
        }
        let (a, b) = logistic_fit(&xs, &labels);
        assert!(
            (a[0] - 2.0).abs() < 0.4 && (b + 0.5).abs() < 0.3,
            "a={a:?} b={b}"
        );
    }

    #[test]
    fn fit_separates_two_features() {
        let spec = FeatureSpec {
            hash_bits: 10,
            flags: verdict_judge::lab_api::features::KNOWN_FLAGS,
            char_min: 2,
            char_max: 5,
            char_weight: 0.5,
        };
        let mut store = FeatureStore::new();
        let a = store.push(
            &Features {
                words: vec![0, 5],
                chars: vec![],
                stats: Default::default(),
            },
            &spec,
        );
        let b = store.push(
            &Features {
                words: vec![1, 5],
                chars: vec![],
                stats: Default::default(),
            },
            &spec,
        );
        let samples: Vec<Sample> = (0..200)
            .map(|i| Sample {
                doc: if i % 2 == 0 { a } else { b },
                target: if i % 2 == 0 { 1.0 } else { 0.0 },
                weight: 1.0,
            })
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let hyper = Hyper {
            epochs: 3,
            learning_rate: 0.5,
            l2: 1e-6,
        };
        let (w, _) = fit(&store, &samples, 8, 0, &hyper, None, &mut rng);
        assert!(w[0] > 0.5 && w[1] < -0.5, "{w:?}");
        let nb = nb_scaling(&store, &samples, 8, 0, 1.0, 1.0);
        assert!(
            nb[0] > 1.0 && nb[1] > 1.0 && (nb[5] - 1.0).abs() < 1e-3,
            "{nb:?}"
        );
        let (q, scale) = quantize(&w);
        assert_eq!(q[0].abs().max(q[1].abs()), 127);
        assert!(scale > 0.0);
    }
}
