//! The aggregate stage: one film's reviews become its verdict.
//!
//! Formulas (n reviews, each with a 0–100 score and a verdict):
//! - `positive_percent` = 100 · positive / n (a review is positive when its
//!   score is ≥ 60, see [`Verdict::from_score`]); mixed reviews count as not
//!   positive, as a Tomatometer counts them rotten;
//! - `positive_interval`: the Wilson score interval at 95 % (z = 1.96) for
//!   that proportion, so "100 % of 5" shows how little 5 reviews prove;
//! - `score` = the mean of the scores, every review weighing the same;
//! - `band`: Metacritic-style bands of the mean (81–100 acclaim, 61–80
//!   favourable, 40–60 mixed, 20–39 unfavourable, 0–19 dislike);
//! - `histogram`: counts of scores in ten bins of width 10 (100 falls in the
//!   last).
//!
//! Aggregates are derived, never stored: they are computed from the stored
//! reviews whenever they are shown.

use serde::Serialize;
use verdict_core::Verdict;

/// One review as aggregation sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub score: f64,
    pub verdict: Verdict,
    pub inferred: bool,
}

/// A film's aggregate verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    /// Number of reviews.
    pub reviews: usize,
    pub positive: usize,
    pub mixed: usize,
    pub negative: usize,
    /// Reviews whose score the judge inferred from their text.
    pub inferred: usize,
    /// 0–100, one decimal; null without reviews.
    pub positive_percent: Option<f64>,
    /// Wilson 95 % interval of `positive_percent`, in points.
    pub positive_interval: Option<[f64; 2]>,
    /// Mean score 0–100, one decimal; null without reviews.
    pub score: Option<f64>,
    /// "acclaim", "favourable", "mixed", "unfavourable", "dislike".
    pub band: Option<&'static str>,
    /// "fresh" when positive_percent ≥ 60, else "rotten".
    pub label: Option<&'static str>,
    /// Scores in bins [0,10), [10,20), … [90,100].
    pub histogram: [usize; 10],
}

/// Aggregates a film's reviews.
pub fn aggregate(reviews: impl IntoIterator<Item = Scored>) -> Aggregate {
    let mut a = Aggregate {
        reviews: 0,
        positive: 0,
        mixed: 0,
        negative: 0,
        inferred: 0,
        positive_percent: None,
        positive_interval: None,
        score: None,
        band: None,
        label: None,
        histogram: [0; 10],
    };
    let mut sum = 0.0;
    for r in reviews {
        if !r.score.is_finite() {
            continue;
        }
        let score = r.score.clamp(0.0, 100.0);
        a.reviews += 1;
        sum += score;
        match r.verdict {
            Verdict::Positive => a.positive += 1,
            Verdict::Mixed => a.mixed += 1,
            Verdict::Negative => a.negative += 1,
        }
        if r.inferred {
            a.inferred += 1;
        }
        a.histogram[((score / 10.0) as usize).min(9)] += 1;
    }
    if a.reviews > 0 {
        let n = a.reviews as f64;
        let p = a.positive as f64 / n;
        a.positive_percent = Some(round1(100.0 * p));
        let (lo, hi) = wilson(a.positive, a.reviews);
        a.positive_interval = Some([round1(100.0 * lo), round1(100.0 * hi)]);
        let mean = sum / n;
        a.score = Some(round1(mean));
        a.band = Some(band(mean));
        a.label = Some(if 100.0 * p >= 60.0 { "fresh" } else { "rotten" });
    }
    a
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

    #[test]
    fn out_of_range_scores_are_clamped_and_nan_skipped() {
        let a = aggregate([s(150.0), s(f64::NAN)]);
        assert_eq!(a.reviews, 1);
        assert_eq!(a.score, Some(100.0));
    }
}
