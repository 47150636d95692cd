//! A film's % positive when some of its reviews are read from text.
//!
//! Reviews whose verdict is known — a source's label, a critic's own
//! rating — are counted. The others carry only the judge's calibrated
//! P(favourable) of their text, and thresholding those at 0.5 and counting
//! (classify and count) is biased whenever the film's share of favourable
//! reviews differs from the share the judge was calibrated on: a film most
//! critics liked has more favourable reviews to misread than unfavourable
//! ones. The estimators here are the standard answers to that *prior
//! shift* (quantification):
//!
//! - [`Method::Count`]: classify and count, P ≥ 0.5;
//! - [`Method::ProbCount`]: probabilistic counting, the mean of P;
//! - [`Method::Adjusted`] (ACC) and [`Method::ProbAdjusted`] (PACC): the
//!   count (or the mean of P) corrected by the reader's true and false
//!   positive rates measured on held-out reviews ([`Rates`]):
//!   (c − fpr) / (tpr − fpr);
//! - [`Method::Em`]: the EM prior adjustment of Saerens, Latinne and
//!   Decaestecker (2002): each P is re-weighed from the prior it was
//!   calibrated on to the film's share, and the share re-estimated from
//!   the re-weighed P, until it settles; the known reviews take part in
//!   the share (they tell what kind of film it is) and are never
//!   re-weighed.
//!
//! `verdict-lab films` measures every method on the films with a published
//! Tomatometer, side by side with scikit-learn and QuaPy, and the aggregate
//! uses the one that measured best ([`SHIPPED`]). Every formula is in
//! `docs/aggregation.md`.

use serde::Serialize;

/// How the read reviews' share is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Count,
    ProbCount,
    Adjusted,
    ProbAdjusted,
    Em,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Count,
        Method::ProbCount,
        Method::Adjusted,
        Method::ProbAdjusted,
        Method::Em,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Method::Count => "classify and count",
            Method::ProbCount => "probabilistic count",
            Method::Adjusted => "adjusted count (ACC)",
            Method::ProbAdjusted => "probabilistic adjusted count (PACC)",
            Method::Em => "EM prior adjustment (Saerens et al.)",
        }
    }
}

/// What the reader's errors look like on held-out reviews of one kind of
/// text: measured by `verdict-lab` on the judge's calibration part.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rates {
    /// Share of favourable reviews read P ≥ 0.5.
    pub tpr: f64,
    /// Share of unfavourable reviews read P ≥ 0.5.
    pub fpr: f64,
    /// Mean P of favourable reviews.
    pub soft_tpr: f64,
    /// Mean P of unfavourable reviews.
    pub soft_fpr: f64,
    /// The share of favourable reviews P was calibrated on.
    pub prior: f64,
}

/// The reader the aggregate assumes: the shipped judge's rates, and how
/// far a film's estimate strays beyond what its reviews' own uncertainty
/// explains.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reader {
    pub method: Method,
    pub rates: Rates,
    /// δ: the standard deviation, as a share, of a film's systematic
    /// reading error (the films differ from the calibration reviews in
    /// more than their share of favourable ones); it widens the interval
    /// by δ · (read reviews) / (counted reviews).
    pub film_error: f64,
}

/// The shipped judge (`linear-en-v2`) as `verdict-lab films` measured it:
/// rates on its calibration part, the method with the lowest error on the
/// 169 films with a published Tomatometer, δ fitted on those films (the
/// benchmark's coverage is measured leaving each film out of that fit).
/// `crates/lab/tests/train.rs` checks the rates against the embedded model.
pub const SHIPPED: Reader = Reader {
    method: Method::Em,
    rates: Rates {
        tpr: 0.873,
        fpr: 0.234,
        soft_tpr: 0.798,
        soft_fpr: 0.305,
        prior: 0.592,
    },
    film_error: 0.115,
};

/// The share of favourable reviews the French judge's P(favourable) is set
/// to: French critics' share of favourable grades in 174,222 press grades
/// (78,407 "Chef-d'œuvre"/"Très bien" against 43,528 "Pas terrible"/"Très
/// mauvais").
pub const FRENCH_PRIOR: f64 = 78_407.0 / (78_407.0 + 43_528.0);

/// The share of favourable reviews a judge model's P(favourable) was
/// calibrated on, when it is not the aggregate reader's ([`SHIPPED`]'s
/// `prior`): the French judge's. `None` for the English judge and for any
/// model it does not know.
pub fn calibration_prior(model: &str) -> Option<f64> {
    match model {
        "linear-fr-v1" => Some(FRENCH_PRIOR),
        _ => None,
    }
}

/// A P(favourable) calibrated on a share `from` of favourable reviews,
/// re-expressed as if calibrated on the reader's own prior, so that one
/// estimator reads readings of every language (Bayes' rule on the odds).
pub fn in_readers_frame(p: f64, from: f64, reader: &Reader) -> f64 {
    let to = em_prior(reader.rates.prior);
    if !(from > 0.0 && from < 1.0) || (from - to).abs() < 1e-12 {
        return p;
    }
    reweigh(p, to, from)
}

/// One film's estimated share of favourable reviews.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// 0–1.
    pub share: f64,
    /// 95 %, 0–1.
    pub interval: [f64; 2],
}

/// The reviews whose verdict is known: how many, and how many of them are
/// favourable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Known {
    pub favourable: usize,
    pub total: usize,
}

impl Known {
    pub fn push(&mut self, favourable: bool) {
        self.total += 1;
        self.favourable += usize::from(favourable);
    }

    pub fn of(verdicts: &[bool]) -> Known {
        let mut k = Known::default();
        verdicts.iter().for_each(|&v| k.push(v));
        k
    }
}

/// Estimates a film's share of favourable reviews from the `known` ones
/// and `read` (each read review's P(favourable)). `None` without a review.
pub fn estimate(known: Known, read: &[f64], reader: &Reader) -> Option<Estimate> {
    Parts::of(known, read, reader).map(|p| p.estimate(reader.film_error))
}

/// An estimate before its interval is drawn: the share and the pieces of
/// its variance (so that a benchmark can try several δ cheaply).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parts {
    /// 0–1.
    pub share: f64,
    /// Reviews counted (known and read).
    pub counted: usize,
    /// Reviews read from text.
    pub read: usize,
    /// Variance of the share as a sample of the film's reviews.
    pub sample: f64,
    /// Variance of the read reviews' favourable count from their own
    /// uncertainty (δ not included).
    pub reading: f64,
}

impl Parts {
    pub fn of(known: Known, read: &[f64], reader: &Reader) -> Option<Parts> {
        let n = known.total + read.len();
        if n == 0 {
            return None;
        }
        let fixed = known.favourable.min(known.total) as f64;
        let (favourable, reading) = read_part(fixed, known.total, read, reader);
        let nf = n as f64;
        // The counted reviews as a sample of the film's (Agresti–Coull's
        // adjusted share keeps 0 and 1 from claiming certainty).
        let adjusted = (fixed + favourable + 2.0) / (nf + 4.0);
        Some(Parts {
            share: ((fixed + favourable) / nf).clamp(0.0, 1.0),
            counted: n,
            read: read.len(),
            sample: adjusted * (1.0 - adjusted) / nf,
            reading,
        })
    }

    /// The estimate with its 95 % interval, for a film error δ: Wilson's
    /// interval over the effective number of reviews, n · sample /
    /// (sample + reading), where reading = (Σ q(1 − q) + (δ·m)²) / n².
    pub fn estimate(&self, film_error: f64) -> Estimate {
        let n = self.counted as f64;
        let m = self.read as f64;
        let reading = (self.reading + (film_error * m).powi(2)) / (n * n);
        let effective = n * self.sample / (self.sample + reading);
        let (lo, hi) = wilson_share(self.share, effective);
        Estimate {
            share: self.share,
            interval: [lo.min(self.share), hi.max(self.share)],
        }
    }
}

/// A probability as the estimators read it: within 0–1, an unreadable one
/// as 0.5.
fn probability(p: f64) -> f64 {
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.5
    }
}

/// The read reviews' estimated favourable count and its variance from the
/// reviews' own uncertainty.
fn read_part(fixed: f64, known: usize, read: &[f64], reader: &Reader) -> (f64, f64) {
    let m = read.len() as f64;
    if read.is_empty() {
        return (0.0, 0.0);
    }
    let ps = || read.iter().map(|&p| probability(p));
    let bernoulli = ps().map(|p| p * (1.0 - p)).sum::<f64>();
    let r = &reader.rates;
    let corrected = |c: f64, pos: f64, neg: f64| -> f64 {
        if pos - neg > 0.05 {
            ((c - neg) / (pos - neg)).clamp(0.0, 1.0)
        } else {
            c
        }
    };
    match reader.method {
        Method::Count => (ps().filter(|&p| p >= 0.5).count() as f64, bernoulli),
        Method::ProbCount => (ps().sum(), bernoulli),
        Method::Adjusted => {
            let c = ps().filter(|&p| p >= 0.5).count() as f64 / m;
            let share = corrected(c, r.tpr, r.fpr);
            let spread = (r.tpr - r.fpr).max(0.05);
            (share * m, bernoulli / (spread * spread))
        }
        Method::ProbAdjusted => {
            let c = ps().sum::<f64>() / m;
            let share = corrected(c, r.soft_tpr, r.soft_fpr);
            let spread = (r.soft_tpr - r.soft_fpr).max(0.05);
            (share * m, bernoulli / (spread * spread))
        }
        Method::Em => {
            let prior = em_prior(r.prior);
            let share = em(fixed, known, read, prior);
            read.iter()
                .map(|&p| reweigh(p, share, prior))
                .fold((0.0, 0.0), |(sum, var), q| (sum + q, var + q * (1.0 - q)))
        }
    }
}

/// A read P re-weighed from the `prior` it was calibrated on to the film's
/// `share` (Bayes' rule on the odds).
fn reweigh(p: f64, share: f64, prior: f64) -> f64 {
    let (up, down) = (share / prior, (1.0 - share) / (1.0 - prior));
    let p = probability(p).clamp(1e-6, 1.0 - 1e-6);
    up * p / (up * p + down * (1.0 - p))
}

/// The calibration prior EM reads (0.5 when it is no share).
fn em_prior(prior: f64) -> f64 {
    if prior > 0.0 && prior < 1.0 {
        prior
    } else {
        0.5
    }
}

/// Saerens–Latinne–Decaestecker: the film's share, `fixed` favourable of
/// `known` reviews counted and the `read` ones' P re-weighed to it, until it
/// settles. `prior` is the share P was calibrated on.
pub fn em(fixed: f64, known: usize, read: &[f64], prior: f64) -> f64 {
    let prior = em_prior(prior);
    let n = (known + read.len()) as f64;
    let mut share = (fixed + read.iter().map(|&p| probability(p)).sum::<f64>()) / n;
    for _ in 0..200 {
        // One imagined review each way keeps a film of three unanimous
        // reviews off a share of exactly 0 or 1, where EM would stay.
        let reweighed: f64 = read.iter().map(|&p| reweigh(p, share, prior)).sum();
        let next = (fixed + reweighed + 1.0) / (n + 2.0);
        let done = (next - share).abs() < 1e-9;
        share = next;
        if done {
            break;
        }
    }
    share
}

/// Wilson's 95 % interval of a share observed over `n` (possibly
/// fractional) reviews.
fn wilson_share(p: f64, n: f64) -> (f64, f64) {
    if n.is_nan() || n <= 0.0 || !n.is_finite() {
        return (0.0, 1.0);
    }
    let z = 1.96_f64;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(method: Method) -> Reader {
        Reader {
            method,
            rates: Rates {
                tpr: 0.8,
                fpr: 0.2,
                soft_tpr: 0.7,
                soft_fpr: 0.3,
                prior: 0.5,
            },
            film_error: 0.0,
        }
    }

    #[test]
    fn known_reviews_alone_are_counted() {
        for m in Method::ALL {
            let e = estimate(Known::of(&[true, true, false, true]), &[], &reader(m)).unwrap();
            assert_eq!(e.share, 0.75);
            assert!(e.interval[0] < 0.75 && e.interval[1] > 0.75);
        }
        assert!(estimate(Known::default(), &[], &reader(Method::Em)).is_none());
    }

    #[test]
    fn adjusted_counts_undo_the_readers_errors() {
        // A film 90 % favourable read by a reader with tpr 0.8, fpr 0.2:
        // 0.9·0.8 + 0.1·0.2 = 74 % read favourable.
        let mut read = vec![0.9; 74];
        read.extend(vec![0.1; 26]);
        let cc = estimate(Known::default(), &read, &reader(Method::Count)).unwrap();
        assert!((cc.share - 0.74).abs() < 1e-9);
        let acc = estimate(Known::default(), &read, &reader(Method::Adjusted)).unwrap();
        assert!((acc.share - 0.9).abs() < 1e-9, "{}", acc.share);
        // Soft rates 0.7 / 0.3: a mean P of 0.66 reads 90 %.
        let pacc = estimate(Known::default(), &[0.66; 50], &reader(Method::ProbAdjusted)).unwrap();
        assert!((pacc.share - 0.9).abs() < 1e-9, "{}", pacc.share);
    }

    #[test]
    fn em_moves_toward_the_films_own_share() {
        // Mostly favourable readings: EM pushes the share beyond the plain
        // mean of P, and never past the certain reading.
        let read = [0.8, 0.75, 0.7, 0.85, 0.3, 0.9, 0.8, 0.65];
        let pcc = estimate(Known::default(), &read, &reader(Method::ProbCount)).unwrap();
        let em = estimate(Known::default(), &read, &reader(Method::Em)).unwrap();
        assert!(em.share > pcc.share, "{} vs {}", em.share, pcc.share);
        assert!(em.share < 1.0);
        // At the calibration prior, a balanced film stays balanced.
        let em = estimate(Known::default(), &[0.7, 0.3, 0.6, 0.4], &reader(Method::Em)).unwrap();
        assert!((em.share - 0.5).abs() < 1e-6);
    }

    #[test]
    fn reading_error_and_few_reviews_widen_the_interval() {
        let width = |e: Estimate| e.interval[1] - e.interval[0];
        let known = estimate(Known::of(&[true; 20]), &[], &reader(Method::Em)).unwrap();
        let read = estimate(Known::default(), &[0.9; 20], &reader(Method::Em)).unwrap();
        assert!(width(read) > width(known));
        let mut loose = reader(Method::Em);
        loose.film_error = 0.1;
        let wider = estimate(Known::default(), &[0.9; 20], &loose).unwrap();
        assert!(width(wider) > width(read));
        let small = estimate(Known::of(&[true; 3]), &[], &reader(Method::Em)).unwrap();
        assert!(width(small) > width(known));
        for e in [known, read, wider, small] {
            assert!(e.interval[0] <= e.share && e.share <= e.interval[1]);
        }
    }
}
