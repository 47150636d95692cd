//! The aggregate stage: one film's reviews become its verdict.
//!
//! Every formula is written out, with its reasons, in `docs/aggregation.md`;
//! in short (n reviews, each with a 0–100 score and a verdict):
//!
//! - `positive_percent` = 100 · favourable / n, where a review is
//!   favourable when the source's own label says so (Rotten Tomatoes'
//!   fresh), or, for a review without a label, when its score is ≥ 60 (see
//!   [`Verdict::from_score`]); mixed reviews count as not favourable, as a
//!   Tomatometer counts them rotten. `positive_basis` says which: "labels",
//!   "readings" or "labels+readings";
//! - `read_positive_percent`: the same with every label hidden: our own
//!   reading only (the probability from rating and text ≥ 0.5, or the score
//!   band when there is no probability);
//! - `positive_interval`: the Wilson score interval at 95 % (z = 1.96) for
//!   that proportion, so "100 % of 5" shows how little 5 reviews prove;
//! - `label`: fresh from 60 %; `certified`: at least 75 % over at least 80
//!   reviews, 5 of them by top critics (Rotten Tomatoes' Certified Fresh
//!   rule for wide releases);
//! - `score` = the mean of the scores, every review weighing the same;
//!   `weighted_score` = the mean weighted by outlet ([`OutletWeights`],
//!   equal by default);
//! - `band`: Metacritic-style bands of the mean (81–100 acclaim, 61–80
//!   favourable, 40–60 mixed, 20–39 unfavourable, 0–19 dislike);
//! - `shrunk_score` = (n · mean + m · C) / (n + m), IMDb's weighted rating,
//!   with the prior C (mean score of every review) and m (how many reviews
//!   the prior is worth) learnt across films by [`stats::CrossFilm`]; its
//!   interval is the posterior's: ± 1.96 · σ / √(n + m);
//! - `calibrated_score` = the mean of the scores after each critic's
//!   harshness (their shrunk mean offset from the other critics on the same
//!   films, [`stats`]) is taken out;
//! - `top_critics`: the same numbers over the top critics' reviews;
//! - `histogram`: counts of scores in ten bins of width 10 (100 falls in the
//!   last).
//!
//! Per-film numbers are derived, never stored: they are computed from the
//! stored reviews whenever they are shown. Only the cross-film statistics
//! (the prior and the critics' offsets) are cached, and rebuilt after every
//! write.

pub mod consensus;
pub mod estimate;
pub mod stats;
pub mod voices;
mod weights;

pub use weights::{OutletWeights, WeightsError};

use serde::Serialize;
use verdict_core::Verdict;

/// One review as plain aggregation sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub score: f64,
    pub verdict: Verdict,
    pub inferred: bool,
}

/// One review with everything the full aggregate reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Input {
    pub score: f64,
    pub verdict: Verdict,
    pub inferred: bool,
    /// The source's own verdict (Rotten Tomatoes' fresh / rotten).
    pub source_verdict: Option<Verdict>,
    /// The source's "top critic" flag.
    pub top_critic: Option<bool>,
    /// Our reading's probability that the review is favourable.
    pub p_positive: Option<f64>,
    /// The review's weight in `weighted_score` (its outlet's; 1 by default).
    pub weight: f64,
    /// Its critic's shrunk harshness offset, taken out of the calibrated
    /// score (rated reviews only).
    pub critic_offset: Option<f64>,
    /// A later review by the same writer replaces it ([`voices`]): kept as
    /// history, counted in nothing but `superseded`.
    pub superseded: bool,
    /// No rating and no text the judge could read: counted in nothing but
    /// `unjudged` (its score is a placeholder).
    pub unjudged: bool,
    /// The fresh line its rating is held to for % positive when the line
    /// learned for its critic, outlet or scale is not the plain 60
    /// (`verdict_rating::Calibration::shipped`): favourable when the score
    /// is at or above it. None: the review's own verdict (score ≥ 60).
    pub rating_line: Option<f64>,
    /// The share of favourable reviews its reading's P(favourable) was
    /// calibrated on, when not the aggregate reader's
    /// ([`estimate::calibration_prior`]: a French reading's); the
    /// estimator reads P in its own frame.
    pub p_prior: Option<f64>,
}

impl From<Scored> for Input {
    fn from(s: Scored) -> Input {
        Input {
            score: s.score,
            verdict: s.verdict,
            inferred: s.inferred,
            source_verdict: None,
            top_critic: None,
            p_positive: None,
            weight: 1.0,
            critic_offset: None,
            superseded: false,
            unjudged: false,
            rating_line: None,
            p_prior: None,
        }
    }
}

/// How a counted review's verdict for % positive is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Counted {
    /// The source's own label: favourable or not.
    Label(bool),
    /// Its rating, without a label: favourable (score ≥ 60, or its
    /// learned line) or not.
    Rating(bool),
    /// Read from its text, with neither: P(favourable).
    Read(f64),
}

impl Counted {
    /// Counted favourable: the label's, the rating's, or a reading of
    /// P(favourable) ≥ 0.5.
    pub fn favourable(self) -> bool {
        match self {
            Counted::Label(v) | Counted::Rating(v) => v,
            Counted::Read(p) => p >= 0.5,
        }
    }
}

/// What a review gives the numbers: its score (none when unjudged), its
/// rating's verdict and its text's reading.
struct Signals {
    score: Option<f64>,
    by_rating: Option<bool>,
    reading: Option<f64>,
}

impl Input {
    fn signals(&self) -> Signals {
        // An unjudged review has no score: only a source's label can count it.
        let score = (!self.unjudged)
            .then_some(self.score)
            .filter(|s| s.is_finite())
            .map(|s| s.clamp(0.0, 100.0));
        let by_rating = score.filter(|_| !self.inferred).map(|s| {
            match self.rating_line.filter(|at| at.is_finite()) {
                Some(at) => s >= at,
                None => self.verdict == Verdict::Positive,
            }
        });
        // A text's reading; a review read before P was kept counts by its
        // verdict, as certain.
        let reading = score.map(|_| {
            self.p_positive.filter(|p| p.is_finite()).unwrap_or(
                if self.verdict == Verdict::Positive {
                    1.0
                } else {
                    0.0
                },
            )
        });
        Signals {
            score,
            by_rating,
            reading,
        }
    }

    /// How the review counts for % positive: by its source's label, else
    /// its rating, else its text's reading; `None` when it counts in
    /// nothing (superseded, or unjudged without a label).
    pub fn counted(&self) -> Option<Counted> {
        if self.superseded {
            return None;
        }
        let s = self.signals();
        match (self.source_verdict, s.by_rating, s.reading) {
            (Some(v), ..) => Some(Counted::Label(v == Verdict::Positive)),
            (None, Some(k), _) => Some(Counted::Rating(k)),
            (None, None, Some(p)) => Some(Counted::Read(p)),
            (None, None, None) => None,
        }
    }
}

/// The prior a film's mean score is shrunk toward.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prior {
    /// C: the mean score of every review.
    pub mean: f64,
    /// m: how many reviews the prior is worth.
    pub weight: f64,
    /// σ²: the variance of scores within a film (for the interval).
    #[serde(skip)]
    pub within_variance: f64,
}

/// What the full aggregate needs beyond the film's own reviews.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    pub prior: Option<Prior>,
    /// The name of the outlet weights in use ("equal" when none).
    pub weights: Option<String>,
}

/// The same numbers over the top critics' reviews.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subset {
    pub reviews: usize,
    pub favourable: usize,
    pub positive_percent: Option<f64>,
    pub positive_interval: Option<[f64; 2]>,
    pub score: Option<f64>,
}

/// Rotten Tomatoes' Certified Fresh rule (wide releases): % positive at
/// least this…
pub const CERTIFIED_PERCENT: f64 = 75.0;
/// …over at least this many reviews…
pub const CERTIFIED_REVIEWS: usize = 80;
/// …of which at least this many by top critics.
pub const CERTIFIED_TOP_CRITICS: usize = 5;

/// A film's aggregate verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    /// Number of reviews counted: one a writer ([`voices`]).
    pub reviews: usize,
    /// Earlier reviews by writers who reviewed the film again: kept as
    /// history, counted in no other number.
    pub superseded: usize,
    pub positive: usize,
    pub mixed: usize,
    pub negative: usize,
    /// Reviews whose score the judge inferred from their text.
    pub inferred: usize,
    /// Reviews with neither a rating nor a text the judge could read:
    /// counted in no score; one without a source label is counted in no
    /// other number (not in `reviews`), one with a label counts for %
    /// positive by it (in `reviews` and `labelled`).
    pub unjudged: usize,
    /// Reviews counted favourable: a label's, a rating's (score ≥ 60) or,
    /// for a review read from text, a reading of P(favourable) ≥ 0.5.
    pub favourable: usize,
    /// Reviews carrying the source's own verdict.
    pub labelled: usize,
    /// Reviews without a label whose verdict is their rating's.
    pub rated: usize,
    /// Reviews with neither whose verdict is read from their text
    /// (`labelled + rated + read = reviews`).
    pub read: usize,
    /// What `positive_percent` counts: "labels" (every review has one),
    /// "readings" (none has), "labels+readings" (labels where given).
    pub positive_basis: Option<&'static str>,
    /// 0–100, one decimal; null without reviews. Labelled and rated
    /// reviews are counted; the share of the reviews read from text is
    /// estimated ([`estimate`]), not counted.
    pub positive_percent: Option<f64>,
    /// 95 % interval of `positive_percent`, in points: Wilson's for
    /// counted reviews, widened by the reader's error for read ones.
    pub positive_interval: Option<[f64; 2]>,
    /// How the read reviews' share was estimated (null when none was
    /// read).
    pub positive_estimator: Option<&'static str>,
    /// % favourable by our own reading alone, every label hidden (ratings
    /// counted, texts estimated as above).
    pub read_positive_percent: Option<f64>,
    /// Mean score 0–100, one decimal; null without reviews.
    pub score: Option<f64>,
    /// 95 % interval of `score` (normal approximation: mean ± 1.96 · s/√n,
    /// s the sample standard deviation, clamped to 0–100); null below two
    /// reviews. Shown on the film page; not yet part of the JSON contract.
    #[serde(skip)]
    pub score_interval: Option<[f64; 2]>,
    /// Mean score weighted by outlet.
    pub weighted_score: Option<f64>,
    /// The outlet weights `weighted_score` used ("equal" by default).
    pub weights: String,
    /// The mean score shrunk toward the prior (IMDb's weighted rating).
    pub shrunk_score: Option<f64>,
    /// 95 % interval of `shrunk_score`.
    pub shrunk_interval: Option<[f64; 2]>,
    /// The prior `shrunk_score` pulls toward.
    pub prior: Option<Prior>,
    /// Mean score with each critic's harshness taken out.
    pub calibrated_score: Option<f64>,
    /// "acclaim", "favourable", "mixed", "unfavourable", "dislike".
    pub band: Option<&'static str>,
    /// "fresh" when positive_percent ≥ 60, else "rotten".
    pub label: Option<&'static str>,
    /// The Certified-Fresh-style rule: see [`CERTIFIED_PERCENT`].
    pub certified: bool,
    /// The top critics' reviews alone; null when the source gives no
    /// top-critic flags.
    pub top_critics: Option<Subset>,
    /// Scores in bins \[0,10), \[10,20), … \[90,100\].
    pub histogram: [usize; 10],
}

/// Aggregates a film's reviews (no labels, equal weights, no prior).
pub fn aggregate(reviews: impl IntoIterator<Item = Scored>) -> Aggregate {
    aggregate_with(reviews.into_iter().map(Input::from), &Context::default())
}

#[derive(Default)]
struct Acc {
    n: usize,
    favourable: usize,
    sum: f64,
    scored: usize,
}

impl Acc {
    fn subset(&self) -> Subset {
        let (percent, interval) = percent_and_interval(self.favourable, self.n);
        Subset {
            reviews: self.n,
            favourable: self.favourable,
            positive_percent: percent,
            positive_interval: interval,
            score: (self.scored > 0).then(|| round1(self.sum / self.scored as f64)),
        }
    }
}

fn percent_and_interval(k: usize, n: usize) -> (Option<f64>, Option<[f64; 2]>) {
    if n == 0 {
        return (None, None);
    }
    let (lo, hi) = wilson(k, n);
    (
        Some(round1(100.0 * k as f64 / n as f64)),
        Some([round1(100.0 * lo), round1(100.0 * hi)]),
    )
}

/// Aggregates a film's reviews with labels, weights, the prior and the
/// critics' offsets.
pub fn aggregate_with(reviews: impl IntoIterator<Item = Input>, ctx: &Context) -> Aggregate {
    let mut a = Aggregate {
        reviews: 0,
        superseded: 0,
        positive: 0,
        mixed: 0,
        negative: 0,
        inferred: 0,
        unjudged: 0,
        favourable: 0,
        labelled: 0,
        rated: 0,
        read: 0,
        positive_basis: None,
        positive_percent: None,
        positive_interval: None,
        positive_estimator: None,
        read_positive_percent: None,
        score: None,
        score_interval: None,
        weighted_score: None,
        weights: ctx.weights.clone().unwrap_or_else(|| "equal".to_string()),
        shrunk_score: None,
        shrunk_interval: None,
        prior: None,
        calibrated_score: None,
        band: None,
        label: None,
        certified: false,
        top_critics: None,
        histogram: [0; 10],
    };
    let mut sum = 0.0;
    // Welford's running variance of the scores.
    let (mut running_mean, mut squares) = (0.0, 0.0);
    let (mut weighted_sum, mut weight_total) = (0.0, 0.0);
    let mut calibrated_sum = 0.0;
    // % positive: the reviews whose verdict is known (a label, a rating)
    // and the read ones' P(favourable); the same with labels hidden.
    let (mut known, mut read) = (estimate::Known::default(), Vec::new());
    let (mut own_known, mut own_read) = (estimate::Known::default(), Vec::new());
    let mut top = Acc::default();
    let mut flagged = false;
    // Reviews with a score (an unjudged one counted by its label has none).
    let mut scored = 0usize;
    for r in reviews {
        if r.superseded {
            a.superseded += 1;
            continue;
        }
        a.unjudged += usize::from(r.unjudged);
        let Signals {
            score,
            by_rating,
            reading,
        } = r.signals();
        let Some(counted) = r.counted() else {
            continue;
        };
        let framed = |p: f64| match r.p_prior {
            Some(from) => estimate::in_readers_frame(p, from, &estimate::SHIPPED),
            None => p,
        };
        let favourable = counted.favourable();
        match counted {
            Counted::Label(v) => {
                a.labelled += 1;
                known.push(v);
            }
            Counted::Rating(k) => {
                a.rated += 1;
                known.push(k);
            }
            Counted::Read(p) => {
                a.read += 1;
                read.push(framed(p));
            }
        }
        a.reviews += 1;
        a.favourable += usize::from(favourable);
        if let Some(is_top) = r.top_critic {
            flagged = true;
            if is_top {
                top.n += 1;
                top.favourable += usize::from(favourable);
                if let Some(score) = score {
                    top.sum += score;
                    top.scored += 1;
                }
            }
        }
        let Some(score) = score else {
            continue;
        };
        // Labels hidden: the rating decides, else the reading.
        match (by_rating, reading) {
            (Some(k), _) => own_known.push(k),
            (None, Some(p)) => own_read.push(framed(p)),
            (None, None) => {}
        }
        scored += 1;
        sum += score;
        let delta = score - running_mean;
        running_mean += delta / scored as f64;
        squares += delta * (score - running_mean);
        match r.verdict {
            Verdict::Positive => a.positive += 1,
            Verdict::Mixed => a.mixed += 1,
            Verdict::Negative => a.negative += 1,
        }
        if r.inferred {
            a.inferred += 1;
        }
        a.histogram[((score / 10.0) as usize).min(9)] += 1;
        if r.weight.is_finite() && r.weight > 0.0 {
            weighted_sum += r.weight * score;
            weight_total += r.weight;
        }
        let offset = r.critic_offset.filter(|o| o.is_finite() && !r.inferred);
        calibrated_sum += (score - offset.unwrap_or(0.0)).clamp(0.0, 100.0);
    }
    if a.reviews > 0 {
        let reader = estimate::SHIPPED;
        if let Some(e) = estimate::estimate(known, &read, &reader) {
            a.positive_percent = Some(round1(100.0 * e.share));
            a.positive_interval =
                Some([round1(100.0 * e.interval[0]), round1(100.0 * e.interval[1])]);
        }
        a.positive_estimator = (!read.is_empty()).then_some(reader.method.name());
        a.positive_basis = Some(match a.labelled {
            0 => "readings",
            l if l == a.reviews => "labels",
            _ => "labels+readings",
        });
        a.read_positive_percent =
            estimate::estimate(own_known, &own_read, &reader).map(|e| round1(100.0 * e.share));
        let p = a.positive_percent.unwrap_or(0.0);
        a.label = Some(if p >= 60.0 { "fresh" } else { "rotten" });
        a.certified = p >= CERTIFIED_PERCENT
            && a.reviews >= CERTIFIED_REVIEWS
            && top.n >= CERTIFIED_TOP_CRITICS;
    }
    if scored > 0 {
        let n = scored as f64;
        let mean = sum / n;
        a.score = Some(round1(mean));
        a.score_interval = mean_interval(mean, squares, scored);
        a.band = Some(band(mean));
        if weight_total > 0.0 {
            a.weighted_score = Some(round1(weighted_sum / weight_total));
        }
        a.calibrated_score = Some(round1(calibrated_sum / n));
        if let Some(prior) = ctx
            .prior
            .filter(|p| p.mean.is_finite() && p.weight.is_finite() && p.weight >= 0.0)
        {
            let (shrunk, half) = shrink(mean, n, &prior);
            a.shrunk_score = Some(round1(shrunk));
            a.shrunk_interval = half.map(|h| {
                [
                    round1((shrunk - h).max(0.0)),
                    round1((shrunk + h).min(100.0)),
                ]
            });
            a.prior = Some(Prior {
                mean: round1(prior.mean),
                weight: round1(prior.weight),
                within_variance: prior.within_variance,
            });
        }
    }
    if flagged {
        a.top_critics = Some(top.subset());
    }
    a
}

/// IMDb's weighted rating, (n·R + m·C)/(n + m), and the half-width of its
/// 95 % interval, 1.96·σ/√(n + m) (the posterior of a normal mean with a
/// normal prior worth m reviews: m = σ²/τ²).
pub fn shrink(mean: f64, n: f64, prior: &Prior) -> (f64, Option<f64>) {
    let m = prior.weight;
    let shrunk = (n * mean + m * prior.mean) / (n + m);
    let half = (prior.within_variance.is_finite() && prior.within_variance > 0.0 && n + m > 0.0)
        .then(|| 1.96 * (prior.within_variance / (n + m)).sqrt());
    (shrunk, half)
}

/// The 95 % interval of a mean of `n` scores whose squared deviations from
/// it sum to `squares`: mean ± 1.96 · s/√n with s² = squares / (n − 1),
/// clamped to 0–100; `None` below two scores.
fn mean_interval(mean: f64, squares: f64, n: usize) -> Option<[f64; 2]> {
    if n < 2 {
        return None;
    }
    let n = n as f64;
    let half = 1.96 * (squares.max(0.0) / (n - 1.0) / n).sqrt();
    Some([
        round1((mean - half).max(0.0)),
        round1((mean + half).min(100.0)),
    ])
}

/// Wilson score interval at 95 % for `k` successes in `n` trials.
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.96_f64;
    let n = n as f64;
    let p = k as f64 / n;
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Metacritic-style band of a 0–100 score (bands on the rounded score).
pub fn band(score: f64) -> &'static str {
    match score.round() as i64 {
        81.. => "acclaim",
        61..=80 => "favourable",
        40..=60 => "mixed",
        20..=39 => "unfavourable",
        _ => "dislike",
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(score: f64) -> Scored {
        Scored {
            score,
            verdict: Verdict::from_score(score),
            inferred: false,
        }
    }

    #[test]
    fn counts_percent_and_mean() {
        let a = aggregate([s(88.0), s(90.0), s(80.0), s(55.0), s(20.0)]);
        assert_eq!(a.reviews, 5);
        assert_eq!((a.positive, a.mixed, a.negative), (3, 1, 1));
        assert_eq!(a.positive_percent, Some(60.0));
        assert_eq!(a.score, Some(66.6));
        assert_eq!(a.band, Some("favourable"));
        assert_eq!(a.label, Some("fresh"));
        assert_eq!(a.histogram[8], 2);
        assert_eq!(a.histogram[9], 1);
    }

    #[test]
    fn superseded_reviews_count_in_nothing_but_their_own_count() {
        let mut earlier = Input::from(s(10.0));
        earlier.superseded = true;
        let a = aggregate_with(
            [earlier, s(90.0).into(), s(70.0).into()],
            &Context::default(),
        );
        let b = aggregate_with([s(90.0).into(), s(70.0).into()], &Context::default());
        assert_eq!(a.superseded, 1);
        assert_eq!(b.superseded, 0);
        assert_eq!(Aggregate { superseded: 0, ..a }, b);
    }

    #[test]
    fn the_mean_has_its_normal_interval() {
        // 80, 90, 100: mean 90, s = 10, half-width 1.96 · 10 / √3 = 11.3.
        let a = aggregate([s(80.0), s(90.0), s(100.0)]);
        assert_eq!(a.score_interval, Some([78.7, 100.0]));
        let a = aggregate([s(40.0), s(60.0)]);
        // s = 14.14, half-width 19.6.
        assert_eq!(a.score_interval, Some([30.4, 69.6]));
        assert_eq!(aggregate([s(50.0)]).score_interval, None);
        assert_eq!(aggregate([]).score_interval, None);
    }

    #[test]
    fn empty_has_no_numbers() {
        let a = aggregate([]);
        assert_eq!(a.reviews, 0);
        assert_eq!(a.positive_percent, None);
        assert_eq!(a.score, None);
    }

    #[test]
    fn wilson_matches_known_values() {
        // 5 of 5: [56.6, 100] at 95 %.
        let (lo, hi) = wilson(5, 5);
        assert!((lo - 0.5655).abs() < 1e-3, "{lo}");
        assert_eq!(hi, 1.0);
        let (lo, hi) = wilson(50, 100);
        assert!((lo - 0.4038).abs() < 1e-3 && (hi - 0.5962).abs() < 1e-3);
    }

    #[test]
    fn bands_follow_metacritic() {
        assert_eq!(band(81.0), "acclaim");
        assert_eq!(band(80.4), "favourable");
        assert_eq!(band(60.0), "mixed");
        assert_eq!(band(39.0), "unfavourable");
        assert_eq!(band(19.0), "dislike");
    }

    fn input(score: f64, label: Option<Verdict>) -> Input {
        Input {
            source_verdict: label,
            ..Input::from(s(score))
        }
    }

    #[test]
    fn labels_decide_positive_percent_and_say_so() {
        use Verdict::*;
        // Scores say 1 of 3 positive; labels say 2 of 3 fresh.
        let reviews = [
            input(80.0, Some(Positive)),
            input(55.0, Some(Positive)),
            input(30.0, Some(Negative)),
        ];
        let a = aggregate_with(reviews, &Context::default());
        assert_eq!(a.positive_basis, Some("labels"));
        assert_eq!((a.favourable, a.labelled, a.positive), (2, 3, 1));
        assert_eq!(a.positive_percent, Some(66.7));
        // Labels hidden: the scores' own reading.
        assert_eq!(a.read_positive_percent, Some(33.3));
        // A review without a label counts by its reading, and that is said.
        let a = aggregate_with(
            [input(80.0, Some(Negative)), input(80.0, None)],
            &Context::default(),
        );
        assert_eq!(a.positive_basis, Some("labels+readings"));
        assert_eq!(a.positive_percent, Some(50.0));
        let a = aggregate([s(80.0), s(20.0)]);
        assert_eq!(a.positive_basis, Some("readings"));
    }

    #[test]
    fn read_reviews_are_estimated_and_ratings_decide() {
        // A rating of 55 is not favourable, whatever its text reads.
        let mut rated = input(55.0, None);
        rated.p_positive = Some(0.7);
        // A review read from its text counts by its P(favourable), and the
        // film's share of those is estimated, not counted.
        let mut read = input(55.0, None);
        read.inferred = true;
        read.p_positive = Some(0.7);
        let a = aggregate_with([rated, read, input(90.0, None)], &Context::default());
        assert_eq!((a.labelled, a.rated, a.read), (0, 2, 1));
        assert_eq!(a.favourable, 2);
        let p = a.positive_percent.unwrap();
        assert!(p > 33.3 && p < 66.7, "{p}");
        assert_eq!(a.positive_estimator, Some(estimate::SHIPPED.method.name()));
        let [lo, hi] = a.positive_interval.unwrap();
        assert!(lo < p && p < hi);
        // Counted reviews alone: the plain share and Wilson's interval.
        let a = aggregate_with([input(90.0, None), input(30.0, None)], &Context::default());
        assert_eq!(a.positive_percent, Some(50.0));
        assert_eq!(a.positive_estimator, None);
        let (lo, hi) = wilson(1, 2);
        assert_eq!(
            a.positive_interval,
            Some([round1(100.0 * lo), round1(100.0 * hi)])
        );
    }

    #[test]
    fn a_rating_is_held_to_its_learned_line() {
        // 55 is not favourable under the plain line, and is under a line
        // of 50; 70 is favourable under 60, not under 75.
        let plain = aggregate_with([input(55.0, None), input(70.0, None)], &Context::default());
        assert_eq!((plain.rated, plain.favourable), (2, 1));
        assert_eq!(plain.positive_percent, Some(50.0));
        let mut lenient = input(55.0, None);
        lenient.rating_line = Some(50.0);
        let mut strict = input(70.0, None);
        strict.rating_line = Some(75.0);
        let a = aggregate_with([lenient, strict], &Context::default());
        assert_eq!((a.rated, a.favourable), (2, 1));
        assert_eq!(a.positive_percent, Some(50.0));
        let mut both_lenient = strict;
        both_lenient.rating_line = Some(65.0);
        let a = aggregate_with([lenient, both_lenient], &Context::default());
        assert_eq!(a.positive_percent, Some(100.0));
        // Labels hidden, the lines decide the rated reviews too.
        assert_eq!(a.read_positive_percent, Some(100.0));
        // A line is for a rating: a review read from its text ignores it.
        let mut read = input(70.0, None);
        read.inferred = true;
        read.p_positive = Some(0.9);
        read.rating_line = Some(95.0);
        let a = aggregate_with([read], &Context::default());
        assert_eq!((a.read, a.favourable), (1, 1));
    }

    #[test]
    fn readings_calibrated_on_another_share_are_read_in_the_readers_frame() {
        let reader = estimate::SHIPPED;
        // The reader's own prior changes nothing.
        let p = estimate::in_readers_frame(0.7, reader.rates.prior, &reader);
        assert!((p - 0.7).abs() < 1e-12);
        // A French reading's P is set on 64 % favourable: the same P means
        // less in the English reader's frame (59 %).
        let fr = estimate::in_readers_frame(0.7, estimate::FRENCH_PRIOR, &reader);
        assert!(fr < 0.7 && fr > 0.6, "{fr}");
        let read = |p_prior: Option<f64>| {
            let reviews: Vec<Input> = [0.8, 0.7, 0.6, 0.3]
                .iter()
                .map(|&p| {
                    let mut r = input(60.0, None);
                    r.inferred = true;
                    r.p_positive = Some(p);
                    r.p_prior = p_prior;
                    r
                })
                .collect();
            aggregate_with(reviews, &Context::default())
                .positive_percent
                .unwrap()
        };
        let (english, french) = (read(None), read(Some(estimate::FRENCH_PRIOR)));
        assert!(french < english, "{french} {english}");
        assert_eq!(
            estimate::calibration_prior("linear-fr-v1"),
            Some(estimate::FRENCH_PRIOR)
        );
        assert_eq!(estimate::calibration_prior("linear-en-v2"), None);
    }

    #[test]
    fn unjudged_reviews_count_in_nothing_but_their_count() {
        let mut empty = input(50.0, None);
        empty.inferred = true;
        empty.unjudged = true;
        let a = aggregate_with(
            [empty, input(90.0, None), input(80.0, None)],
            &Context::default(),
        );
        let b = aggregate_with([input(90.0, None), input(80.0, None)], &Context::default());
        assert_eq!(a.unjudged, 1);
        assert_eq!(a.reviews, 2);
        assert_eq!(Aggregate { unjudged: 0, ..a }, b);
        assert_eq!(b.positive_percent, Some(100.0));
        // A label is a verdict even without a score: counted for %
        // positive, in no score.
        let mut fresh = input(50.0, Some(Verdict::Positive));
        fresh.inferred = true;
        fresh.unjudged = true;
        let a = aggregate_with([fresh, input(20.0, None)], &Context::default());
        assert_eq!((a.unjudged, a.reviews, a.labelled, a.rated), (1, 2, 1, 1));
        assert_eq!(a.positive_percent, Some(50.0));
        assert_eq!(a.score, Some(20.0));
        assert_eq!(a.histogram.iter().sum::<usize>(), 1);
    }

    #[test]
    fn certified_needs_percent_count_and_top_critics() {
        let mk = |n: usize, fresh: usize, top: usize| -> Aggregate {
            let reviews = (0..n).map(|i| Input {
                top_critic: Some(i < top),
                ..input(if i < fresh { 80.0 } else { 20.0 }, None)
            });
            aggregate_with(reviews, &Context::default())
        };
        assert!(mk(80, 60, 5).certified);
        assert!(!mk(79, 79, 5).certified, "too few reviews");
        assert!(!mk(100, 74, 10).certified, "below 75 %");
        assert!(!mk(100, 100, 4).certified, "too few top critics");
        let a = mk(10, 5, 4);
        let top = a.top_critics.unwrap();
        assert_eq!((top.reviews, top.favourable), (4, 4));
        assert_eq!(top.positive_percent, Some(100.0));
        assert_eq!(top.score, Some(80.0));
        // No flags at all: no top-critic view.
        assert!(aggregate([s(80.0)]).top_critics.is_none());
    }

    #[test]
    fn weighted_score_follows_outlet_weights() {
        let reviews = [
            Input {
                weight: 3.0,
                ..input(90.0, None)
            },
            Input {
                weight: 1.0,
                ..input(50.0, None)
            },
            Input {
                weight: 0.0,
                ..input(0.0, None)
            },
        ];
        let ctx = Context {
            weights: Some("mine".into()),
            ..Context::default()
        };
        let a = aggregate_with(reviews, &ctx);
        assert_eq!(a.weighted_score, Some(80.0));
        assert_eq!(a.score, Some(46.7));
        assert_eq!(a.weights, "mine");
        assert_eq!(aggregate([s(10.0)]).weights, "equal");
    }

    #[test]
    fn shrinkage_pulls_small_films_to_the_prior() {
        let prior = Prior {
            mean: 60.0,
            weight: 4.0,
            within_variance: 400.0,
        };
        let ctx = Context {
            prior: Some(prior),
            ..Context::default()
        };
        // One review of 100: (1·100 + 4·60) / 5 = 68.
        let a = aggregate_with([input(100.0, None)], &ctx);
        assert_eq!(a.shrunk_score, Some(68.0));
        // ± 1.96 · 20 / √5 = 17.5.
        assert_eq!(a.shrunk_interval, Some([50.5, 85.5]));
        // Many reviews: the film's own mean wins.
        let a = aggregate_with((0..396).map(|_| input(100.0, None)), &ctx);
        assert_eq!(a.shrunk_score, Some(99.6));
        assert!(aggregate([s(100.0)]).shrunk_score.is_none());
    }

    #[test]
    fn calibration_takes_out_rated_critics_offsets_only() {
        let harsh = Input {
            critic_offset: Some(-20.0),
            ..input(40.0, None)
        };
        let judged = Input {
            inferred: true,
            critic_offset: Some(-20.0),
            ..input(40.0, None)
        };
        let a = aggregate_with([harsh, judged], &Context::default());
        assert_eq!(a.score, Some(40.0));
        assert_eq!(a.calibrated_score, Some(50.0));
    }

    #[test]
    fn out_of_range_scores_are_clamped_and_nan_skipped() {
        let a = aggregate([s(150.0), s(f64::NAN)]);
        assert_eq!(a.reviews, 1);
        assert_eq!(a.score, Some(100.0));
    }
}
