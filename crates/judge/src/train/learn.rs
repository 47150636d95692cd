//! The learning algorithms: AdaGrad logistic regression, i8 quantisation,
//! Platt scaling. Plain loops over plain vectors, deterministic for a seed.

use crate::model::sigmoid;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// One training example: sorted unique feature buckets, label, weight.
pub(crate) struct Sample {
    pub features: Vec<u32>,
    pub positive: bool,
    pub weight: f64,
}

pub(crate) struct Hyper {
    pub epochs: usize,
    pub learning_rate: f64,
    pub l2: f64,
}

/// Learns float weights and a bias with AdaGrad on the logistic loss plus
/// L2 (applied to the features an example touches: "lazy" sparse L2).
/// Features are binary and each example is L2-normalised.
pub(crate) fn fit(
    samples: &[Sample],
    buckets: usize,
    hyper: &Hyper,
    rng: &mut ChaCha8Rng,
) -> (Vec<f64>, f64) {
    const EPS: f64 = 1e-8;
    let mut w = vec![0.0f64; buckets];
    let mut g2 = vec![0.0f64; buckets];
    let (mut bias, mut bias_g2) = (0.0f64, 0.0f64);
    let mut order: Vec<usize> = (0..samples.len()).collect();
    for _ in 0..hyper.epochs {
        order.shuffle(rng);
        for &i in &order {
            let s = &samples[i];
            if s.features.is_empty() {
                continue;
            }
            let x = 1.0 / (s.features.len() as f64).sqrt();
            let mut z = bias;
            for &f in &s.features {
                z += w[f as usize] * x;
            }
            let y = if s.positive { 1.0 } else { 0.0 };
            let g = (sigmoid(z) - y) * s.weight;
            for &f in &s.features {
                let f = f as usize;
                let grad = g * x + hyper.l2 * w[f];
                g2[f] += grad * grad;
                w[f] -= hyper.learning_rate * grad / (g2[f].sqrt() + EPS);
            }
            bias_g2 += g * g;
            bias -= hyper.learning_rate * g / (bias_g2.sqrt() + EPS);
        }
    }
    (w, bias)
}

/// Quantises weights to i8 with one scale that maps the largest magnitude
/// to 127. (Clipping the few largest weights to gain resolution for the
/// many small ones was tried and loses accuracy: the large weights carry
/// the model.)
pub(crate) fn quantize(w: &[f64]) -> (Vec<i8>, f32) {
    let top = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if top == 0.0 {
        return (vec![0; w.len()], 1.0);
    }
    let scale = (top / 127.0) as f32;
    let q = w
        .iter()
        .map(|&v| (v / scale as f64).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (q, scale)
}

/// Fits Platt scaling `P(pos) = sigmoid(a·margin + b)` by Newton's method
/// on the log loss, with Platt's smoothed targets.
pub(crate) fn platt(margins: &[f64], labels: &[bool]) -> (f64, f64) {
    let n_pos = labels.iter().filter(|&&l| l).count() as f64;
    let n_neg = labels.len() as f64 - n_pos;
    let hi = (n_pos + 1.0) / (n_pos + 2.0);
    let lo = 1.0 / (n_neg + 2.0);
    let targets: Vec<f64> = labels.iter().map(|&l| if l { hi } else { lo }).collect();
    let loss = |a: f64, b: f64| -> f64 {
        margins
            .iter()
            .zip(&targets)
            .map(|(&m, &t)| {
                let z = a * m + b;
                // log(1 + e^z) - t·z, computed stably.
                let softplus = if z > 0.0 {
                    z + (-z).exp().ln_1p()
                } else {
                    z.exp().ln_1p()
                };
                softplus - t * z
            })
            .sum()
    };
    let (mut a, mut b) = (1.0f64, 0.0f64);
    let mut current = loss(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-12, 0.0, 1e-12);
        for (&m, &t) in margins.iter().zip(&targets) {
            let p = sigmoid(a * m + b);
            let d = p - t;
            let h = p * (1.0 - p);
            ga += d * m;
            gb += d;
            haa += h * m * m;
            hab += h * m;
            hbb += h;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        let mut step = 1.0;
        let mut improved = false;
        while step > 1e-8 {
            let (na, nb) = (a - step * da, b - step * db);
            let l = loss(na, nb);
            if l < current {
                (a, b, current) = (na, nb, l);
                improved = true;
                break;
            }
            step /= 2.0;
        }
        if !improved || (da.abs() < 1e-9 && db.abs() < 1e-9) {
            break;
        }
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn platt_recovers_a_known_scaling() {
        // Labels drawn so that P(pos | m) = sigmoid(2m - 0.5), deterministically.
        let mut margins = Vec::new();
        let mut labels = Vec::new();
        for i in 0..2000 {
            let m = (i % 200) as f64 / 50.0 - 2.0;
            let p = sigmoid(2.0 * m - 0.5);
            let u = ((i / 200) as f64 + 0.5) / 10.0;
            margins.push(m);
            labels.push(u < p);
        }
        let (a, b) = platt(&margins, &labels);
        assert!(
            (a - 2.0).abs() < 0.4 && (b + 0.5).abs() < 0.3,
            "a={a} b={b}"
        );
    }

    #[test]
    fn fit_separates_two_features() {
        let samples: Vec<Sample> = (0..200)
            .map(|i| Sample {
                features: vec![(i % 2) as u32, 5],
                positive: i % 2 == 0,
                weight: 1.0,
            })
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let hyper = Hyper {
            epochs: 3,
            learning_rate: 0.5,
            l2: 1e-6,
        };
        let (w, _) = fit(&samples, 8, &hyper, &mut rng);
        assert!(w[0] > 0.5 && w[1] < -0.5, "{w:?}");
        let (q, scale) = quantize(&w);
        assert_eq!(q[0].abs().max(q[1].abs()), 127);
        assert!(scale > 0.0);
    }
}
