//! Cross-film statistics, computed in one streaming pass over every review
//! in film order: the prior of the shrunk score and each critic's
//! harshness. Formulas and reasons in `docs/aggregation.md`.
//!
//! - **Prior mean** C: the mean score of every review.
//! - **Within-film variance** σ²: the pooled variance of scores around
//!   their film's mean (films with two reviews or more).
//! - **Between-film variance** τ²: the variance of film means less the part
//!   their sampling noise explains, `Var(mean_f) − σ² · mean(1/n_f)`
//!   (method of moments).
//! - **Prior weight** m = σ² / τ², within [1, 200]: how many reviews the
//!   prior is worth (with normal scores this makes IMDb's weighted rating
//!   the posterior mean). Needs at least three films.
//! - **Harshness** of a critic: the mean over their rated reviews of
//!   `score − (the mean of the other rated reviews of the same film)`,
//!   over films with at least two rated reviews; the **shrunk offset**
//!   multiplies it by `n / (n + 5)`, so five reviews earn half of it.
//!   Scores the judge inferred are not marks a critic gave: they count
//!   neither for nor against anyone.

use std::collections::HashMap;

pub use verdict_core::CriticHarshness;
use verdict_core::title::fold;

use crate::Prior;

/// A critic's offset is shrunk by n / (n + OFFSET_SHRINK).
pub const OFFSET_SHRINK: f64 = 5.0;
/// The prior is worth at most this many reviews.
pub const MAX_PRIOR_WEIGHT: f64 = 200.0;
/// …and at least this many.
pub const MIN_PRIOR_WEIGHT: f64 = 1.0;
/// Films needed before a prior is learnt.
pub const MIN_PRIOR_FILMS: u64 = 3;

/// The key a critic's offset is kept under: the folded name (case,
/// accents and punctuation ignored); `None` for an empty name.
pub fn critic_key(name: &str) -> Option<String> {
    let k = fold(name);
    (!k.is_empty()).then_some(k)
}

/// The statistics of all films.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossFilm {
    pub reviews: u64,
    pub films: u64,
    pub mean_score: Option<f64>,
    pub within_variance: Option<f64>,
    pub between_variance: Option<f64>,
    pub prior_weight: Option<f64>,
    /// Ordered by key.
    pub critics: Vec<CriticHarshness>,
}

impl CrossFilm {
    /// The prior for [`crate::aggregate_with`], when one was learnt.
    pub fn prior(&self) -> Option<Prior> {
        prior_of(self.mean_score, self.prior_weight, self.within_variance)
    }
}

/// A prior from its cached parts.
pub fn prior_of(mean: Option<f64>, weight: Option<f64>, within: Option<f64>) -> Option<Prior> {
    Some(Prior {
        mean: mean?,
        weight: weight?,
        within_variance: within.unwrap_or(f64::NAN),
    })
}

#[derive(Debug, Clone)]
struct CriticAcc {
    key: String,
    name: String,
    sum: f64,
    n: u64,
    films: u64,
    last_film: Option<i64>,
}

/// Builds [`CrossFilm`] from review lines given in film order.
#[derive(Debug, Default)]
pub struct StatsBuilder {
    film: Option<i64>,
    /// (score, inferred, critic index) of the current film.
    buf: Vec<(f64, bool, Option<usize>)>,
    by_name: HashMap<String, Option<usize>>,
    by_key: HashMap<String, usize>,
    critics: Vec<CriticAcc>,
    total_sum: f64,
    total_n: u64,
    films: u64,
    ss_within: f64,
    dof_within: u64,
    sum_means: f64,
    sum_means_sq: f64,
    sum_inv_n: f64,
}

impl StatsBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// One review. Lines must come grouped by film (the store gives them
    /// ordered by film id); a film seen again later counts as another.
    pub fn push(&mut self, film_id: i64, score: f64, inferred: bool, critic: Option<&str>) {
        if !score.is_finite() {
            return;
        }
        if self.film != Some(film_id) {
            self.flush();
            self.film = Some(film_id);
        }
        let critic = critic.and_then(|name| self.critic_index(name));
        self.buf.push((score.clamp(0.0, 100.0), inferred, critic));
    }

    fn critic_index(&mut self, name: &str) -> Option<usize> {
        if let Some(i) = self.by_name.get(name) {
            return *i;
        }
        let idx = critic_key(name).map(|key| {
            *self.by_key.entry(key.clone()).or_insert_with(|| {
                self.critics.push(CriticAcc {
                    key,
                    name: name.trim().to_string(),
                    sum: 0.0,
                    n: 0,
                    films: 0,
                    last_film: None,
                });
                self.critics.len() - 1
            })
        });
        self.by_name.insert(name.to_string(), idx);
        idx
    }

    fn flush(&mut self) {
        let Some(film) = self.film else { return };
        let n = self.buf.len();
        if n == 0 {
            return;
        }
        let sum: f64 = self.buf.iter().map(|r| r.0).sum();
        let mean = sum / n as f64;
        self.total_sum += sum;
        self.total_n += n as u64;
        self.films += 1;
        self.sum_means += mean;
        self.sum_means_sq += mean * mean;
        self.sum_inv_n += 1.0 / n as f64;
        if n >= 2 {
            self.ss_within += self.buf.iter().map(|r| (r.0 - mean).powi(2)).sum::<f64>();
            self.dof_within += n as u64 - 1;
        }
        let (rated_sum, rated_n) = self
            .buf
            .iter()
            .filter(|r| !r.1)
            .fold((0.0, 0usize), |(s, k), r| (s + r.0, k + 1));
        if rated_n >= 2 {
            let others = (rated_n - 1) as f64;
            for &(score, inferred, critic) in &self.buf {
                let (false, Some(c)) = (inferred, critic) else {
                    continue;
                };
                let consensus = (rated_sum - score) / others;
                let acc = &mut self.critics[c];
                acc.sum += score - consensus;
                acc.n += 1;
                if acc.last_film != Some(film) {
                    acc.films += 1;
                    acc.last_film = Some(film);
                }
            }
        }
        self.buf.clear();
    }

    /// The statistics of every film pushed.
    pub fn finish(mut self) -> CrossFilm {
        self.flush();
        let mean_score = (self.total_n > 0).then(|| self.total_sum / self.total_n as f64);
        let within = (self.dof_within > 0).then(|| self.ss_within / self.dof_within as f64);
        let f = self.films as f64;
        let between = (self.films >= MIN_PRIOR_FILMS)
            .then(|| {
                let var_means =
                    (self.sum_means_sq - self.sum_means * self.sum_means / f) / (f - 1.0);
                within.map(|w| var_means - w * self.sum_inv_n / f)
            })
            .flatten();
        let prior_weight = match (within, between) {
            (Some(w), Some(b)) if b > 0.0 => {
                Some((w / b).clamp(MIN_PRIOR_WEIGHT, MAX_PRIOR_WEIGHT))
            }
            // Film means vary no more than their noise: lean on the prior.
            (Some(_), Some(_)) => Some(MAX_PRIOR_WEIGHT),
            _ => None,
        };
        let mut critics: Vec<CriticHarshness> = self
            .critics
            .into_iter()
            .filter(|c| c.n > 0)
            .map(|c| {
                let n = c.n as f64;
                let mean_offset = c.sum / n;
                CriticHarshness {
                    key: c.key,
                    critic: c.name,
                    reviews: c.n,
                    films: c.films,
                    mean_offset,
                    shrunk_offset: mean_offset * n / (n + OFFSET_SHRINK),
                }
            })
            .collect();
        critics.sort_by(|a, b| a.key.cmp(&b.key));
        CrossFilm {
            reviews: self.total_n,
            films: self.films,
            mean_score,
            within_variance: within,
            between_variance: between,
            prior_weight,
            critics,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harsh_critic_is_found_and_shrunk() {
        let mut b = StatsBuilder::new();
        // Three films; "Harsh" always 20 below the two others.
        for (film, base) in [(1, 80.0), (2, 60.0), (3, 70.0)] {
            b.push(film, base, false, Some("Ann"));
            b.push(film, base, false, Some("Bob"));
            b.push(film, base - 20.0, false, Some("HARSH"));
        }
        let s = b.finish();
        let harsh = s.critics.iter().find(|c| c.key == "harsh").unwrap();
        // score − mean(others) = −20 on every film.
        assert!((harsh.mean_offset + 20.0).abs() < 1e-9);
        assert_eq!((harsh.reviews, harsh.films), (3, 3));
        assert!((harsh.shrunk_offset + 20.0 * 3.0 / 8.0).abs() < 1e-9);
        let ann = s.critics.iter().find(|c| c.key == "ann").unwrap();
        // Ann sits 10 above the mean of Bob and Harsh.
        assert!((ann.mean_offset - 10.0).abs() < 1e-9);
        assert_eq!(s.films, 3);
        assert_eq!(s.reviews, 9);
    }

    #[test]
    fn inferred_scores_judge_no_critic() {
        let mut b = StatsBuilder::new();
        b.push(1, 90.0, false, Some("Ann"));
        b.push(1, 10.0, true, Some("Bob"));
        let s = b.finish();
        // Only one rated review: no consensus to compare with.
        assert!(s.critics.is_empty());
        assert_eq!(s.mean_score, Some(50.0));
    }

    #[test]
    fn prior_weight_is_noise_over_signal() {
        let mut b = StatsBuilder::new();
        // Film means 30, 50, 70; within-film spread ±20.
        for (film, m) in [(1, 30.0), (2, 50.0), (3, 70.0)] {
            for d in [-20.0, 20.0, -20.0, 20.0] {
                b.push(film, m + d, false, None);
            }
        }
        let s = b.finish();
        let within = s.within_variance.unwrap();
        // SS = 12 · 400 over 9 degrees of freedom.
        assert!((within - 4800.0 / 9.0).abs() < 1e-9);
        // Var(means) = 400; their noise part = within / 4.
        let between = s.between_variance.unwrap();
        assert!((between - (400.0 - within / 4.0)).abs() < 1e-9);
        assert!((s.prior_weight.unwrap() - 2.0).abs() < 1e-9);
        assert_eq!(s.mean_score, Some(50.0));

        // Less noise: the prior is never worth fewer than one review.
        let mut b = StatsBuilder::new();
        for (film, m) in [(1, 40.0), (2, 60.0), (3, 80.0)] {
            for d in [-10.0, 10.0] {
                b.push(film, m + d, false, None);
            }
        }
        assert_eq!(b.finish().prior_weight, Some(MIN_PRIOR_WEIGHT));
    }

    #[test]
    fn too_few_films_learn_no_prior() {
        let mut b = StatsBuilder::new();
        b.push(1, 80.0, false, None);
        b.push(1, 60.0, false, None);
        b.push(2, 20.0, false, None);
        let s = b.finish();
        assert_eq!(s.prior_weight, None);
        assert!(s.prior().is_none());
    }

    #[test]
    fn critic_names_fold_to_one_key() {
        let mut b = StatsBuilder::new();
        b.push(1, 80.0, false, Some("Jean-Luc Côté"));
        b.push(1, 60.0, false, Some("jean luc cote"));
        let s = b.finish();
        assert_eq!(s.critics.len(), 1);
        assert_eq!(s.critics[0].critic, "Jean-Luc Côté");
        assert_eq!(s.critics[0].reviews, 2);
        // Both reviews are the same critic's: +10 and −10 cancel.
        assert!(s.critics[0].mean_offset.abs() < 1e-9);
        assert_eq!(s.critics[0].films, 1);
    }
}
