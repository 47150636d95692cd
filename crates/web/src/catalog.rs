//! The server's read model: what the home, search, critic and outlet pages
//! and the feed need across the whole database, built in two passes over
//! the stored reviews (the films' aggregates, then critics and outlets) and
//! swapped whole when the data changes.
//!
//! Film numbers come from [`verdict_present::films_overview`] (the same
//! code as `verdict films`); a critic's and an outlet's harshness from
//! [`verdict_aggregate::stats`], the formula of the cached cross-film
//! statistics (an outlet's with the outlet in the critic's place).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use verdict_aggregate::stats::{StatsBuilder, critic_key};
use verdict_core::CriticHarshness;
use verdict_core::title::fold;
use verdict_present::FilmSummary;
use verdict_store::{ReviewState, ScoreLine, Store, StoreError};

use crate::slug;

/// How many of the newest reviews the feed and the home page know.
pub const RECENT_REVIEWS: usize = 100;

/// A film with its aggregate and its place on the site.
#[derive(Debug, Clone)]
pub struct FilmEntry {
    /// The film and its aggregate, as `verdict films --json` gives them.
    pub doc: FilmSummary,
    pub slug: String,
    /// The id of its newest review (0 without reviews).
    pub latest_review: i64,
}

/// A critic or an outlet.
#[derive(Debug, Clone)]
pub struct Person {
    /// The name as first seen.
    pub name: String,
    /// The folded name the reviews are grouped by.
    pub key: String,
    pub slug: String,
    /// Review ids, oldest first: by the review's date (undated ones
    /// first), then as stored.
    pub reviews: Vec<i64>,
    pub films: u64,
    /// The mean of their reviews' scores; `None` when none has a score
    /// (every one unjudged).
    pub mean_score: Option<f64>,
    /// How far their rated scores sit from the other critics' on the same
    /// films (an outlet's with the outlet in the critic's place).
    pub harshness: Option<CriticHarshness>,
}

/// Critics or outlets, by slug and key.
#[derive(Debug, Default)]
pub struct People {
    pub all: Vec<Person>,
    by_slug: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
}

impl People {
    pub fn by_slug(&self, slug: &str) -> Option<&Person> {
        self.by_slug.get(slug).map(|&i| &self.all[i])
    }

    /// The person a name stands for (folded).
    pub fn by_name(&self, name: &str) -> Option<&Person> {
        critic_key(name).and_then(|k| self.by_key.get(&k).map(|&i| &self.all[i]))
    }

    /// People whose folded name contains the folded query, most reviews
    /// first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Person> {
        let q = fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<&Person> = self.all.iter().filter(|p| p.key.contains(&q)).collect();
        hits.sort_by(|a, b| {
            (a.key != q, Reverse(a.reviews.len()), &a.key).cmp(&(
                b.key != q,
                Reverse(b.reviews.len()),
                &b.key,
            ))
        });
        hits.truncate(limit);
        hits
    }
}

#[derive(Default)]
struct PersonAcc {
    name: String,
    key: String,
    /// (date, id): sorted into the person's order when finished.
    reviews: Vec<(NaiveDate, i64)>,
    films: u64,
    last_film: i64,
    sum: f64,
    scored: u32,
}

/// Groups review lines by folded name.
#[derive(Default)]
struct Grouper {
    by_name: HashMap<String, Option<usize>>,
    by_key: HashMap<String, usize>,
    acc: Vec<PersonAcc>,
}

impl Grouper {
    fn add(&mut self, name: Option<&str>, line: &ScoreLine<'_>) {
        let (film_id, review_id, score) = (line.film_id, line.review_id, line.score);
        let Some(name) = name else { return };
        let idx = match self.by_name.get(name) {
            Some(i) => *i,
            None => {
                let idx = critic_key(name).map(|key| {
                    *self.by_key.entry(key.clone()).or_insert_with(|| {
                        self.acc.push(PersonAcc {
                            name: name.trim().to_string(),
                            key,
                            ..PersonAcc::default()
                        });
                        self.acc.len() - 1
                    })
                });
                self.by_name.insert(name.to_string(), idx);
                idx
            }
        };
        let Some(i) = idx else { return };
        let p = &mut self.acc[i];
        p.reviews
            .push((line.date.unwrap_or(NaiveDate::MIN), review_id));
        if p.films == 0 || p.last_film != film_id {
            p.films += 1;
            p.last_film = film_id;
        }
        // An unjudged review's score is a placeholder.
        if line.judged && score.is_finite() {
            p.sum += score;
            p.scored += 1;
        }
    }

    fn finish(self, stats: StatsBuilder, fallback: &str) -> People {
        let mut harsh: HashMap<String, CriticHarshness> = stats
            .finish()
            .critics
            .into_iter()
            .map(|c| (c.key.clone(), c))
            .collect();
        let mut acc = self.acc;
        // Most reviewed first, so that on a slug clash the better-known
        // name keeps the plain slug.
        acc.sort_by(|a, b| {
            (Reverse(a.reviews.len()), &a.key).cmp(&(Reverse(b.reviews.len()), &b.key))
        });
        let slugs = slug::name_slugs(acc.iter().map(|p| p.name.as_str()), fallback);
        let mut people = People::default();
        for (p, slug) in acc.into_iter().zip(slugs) {
            let mut dated = p.reviews;
            dated.sort_unstable();
            let reviews: Vec<i64> = dated.into_iter().map(|(_, id)| id).collect();
            let i = people.all.len();
            people.by_slug.insert(slug.clone(), i);
            people.by_key.insert(p.key.clone(), i);
            people.all.push(Person {
                harshness: harsh.remove(&p.key),
                name: p.name,
                key: p.key,
                slug,
                mean_score: (p.scored > 0).then(|| p.sum / f64::from(p.scored)),
                films: p.films,
                reviews,
            });
        }
        people
    }
}

/// Everything the site knows across the database at one data version.
#[derive(Debug)]
pub struct Catalog {
    /// Counts the catalogs built by this server: what cached pages are
    /// stamped with.
    pub generation: u64,
    /// The watcher connection's `data_version` when the build began.
    pub data_version: i64,
    /// How many reviews, and the newest id, when the build began.
    pub state: ReviewState,
    pub built_in: Duration,
    /// Every film, in title order.
    pub films: Vec<FilmEntry>,
    by_id: HashMap<i64, usize>,
    by_slug: HashMap<String, usize>,
    pub critics: People,
    pub outlets: People,
    /// The newest review ids, newest first.
    pub recent_reviews: Vec<i64>,
    pub reviews: u64,
}

impl Catalog {
    /// An empty catalog (before the first build).
    pub fn empty() -> Catalog {
        Catalog {
            generation: 0,
            data_version: i64::MIN,
            state: ReviewState {
                reviews: 0,
                max_review_id: -1,
            },
            built_in: Duration::ZERO,
            films: Vec::new(),
            by_id: HashMap::new(),
            by_slug: HashMap::new(),
            critics: People::default(),
            outlets: People::default(),
            recent_reviews: Vec::new(),
            reviews: 0,
        }
    }

    /// Reads the database: the films with their aggregates, then every
    /// review's score line.
    pub fn build(
        store: &dyn Store,
        generation: u64,
        data_version: i64,
    ) -> Result<Catalog, StoreError> {
        let started = Instant::now();
        let state = store.review_state()?;
        let mut films: Vec<FilmEntry> = verdict_present::films_overview(store)?
            .into_iter()
            .map(|doc| FilmEntry {
                doc,
                slug: String::new(),
                latest_review: 0,
            })
            .collect();
        let slugs = slug::film_slugs(
            films
                .iter()
                .map(|f| (f.doc.film.id, f.doc.film.title.as_str(), f.doc.film.year)),
        );
        let mut by_id = HashMap::with_capacity(films.len());
        let mut by_slug = HashMap::with_capacity(films.len());
        for (i, f) in films.iter_mut().enumerate() {
            f.slug = slugs.get(&f.doc.film.id).cloned().unwrap_or_default();
            by_id.insert(f.doc.film.id, i);
            by_slug.insert(f.slug.clone(), i);
        }

        let mut critics = Grouper::default();
        let mut outlets = Grouper::default();
        let mut critic_stats = StatsBuilder::new();
        let mut outlet_stats = StatsBuilder::new();
        let mut newest: BinaryHeap<Reverse<i64>> = BinaryHeap::new();
        let mut reviews = 0u64;
        store.for_each_score(&mut |line| {
            reviews += 1;
            critics.add(line.critic, line);
            outlets.add(line.outlet, line);
            if line.judged {
                critic_stats.push(line.film_id, line.score, line.inferred, line.critic);
                outlet_stats.push(line.film_id, line.score, line.inferred, line.outlet);
            }
            if newest.len() < RECENT_REVIEWS {
                newest.push(Reverse(line.review_id));
            } else if newest.peek().is_some_and(|r| r.0 < line.review_id) {
                newest.pop();
                newest.push(Reverse(line.review_id));
            }
            if let Some(&i) = by_id.get(&line.film_id) {
                let f: &mut FilmEntry = &mut films[i];
                f.latest_review = f.latest_review.max(line.review_id);
            }
        })?;
        let mut recent_reviews: Vec<i64> = newest.into_iter().map(|r| r.0).collect();
        recent_reviews.sort_unstable_by(|a, b| b.cmp(a));
        Ok(Catalog {
            generation,
            data_version,
            state,
            built_in: started.elapsed(),
            films,
            by_id,
            by_slug,
            critics: critics.finish(critic_stats, "critic"),
            outlets: outlets.finish(outlet_stats, "outlet"),
            recent_reviews,
            reviews,
        })
    }

    pub fn film(&self, id: i64) -> Option<&FilmEntry> {
        self.by_id.get(&id).map(|&i| &self.films[i])
    }

    pub fn film_by_slug(&self, slug: &str) -> Option<&FilmEntry> {
        self.by_slug.get(slug).map(|&i| &self.films[i])
    }

    /// Films by their newest review, newest first.
    pub fn recently_reviewed(&self, limit: usize) -> Vec<&FilmEntry> {
        let mut films: Vec<&FilmEntry> =
            self.films.iter().filter(|f| f.latest_review > 0).collect();
        films.sort_by_key(|f| Reverse(f.latest_review));
        films.truncate(limit);
        films
    }

    /// Years with reviewed films, newest first.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .films
            .iter()
            .filter(|f| f.doc.aggregate.reviews > 0)
            .filter_map(|f| f.doc.film.year)
            .collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        years
    }

    /// The best films of a year: by score weighed with all films (the
    /// shrunk score, when the cross-film prior is known; else the mean),
    /// among the films with at least `min_reviews` reviews (fewer when no
    /// film of the year has that many), then by the number of reviews.
    pub fn best_of(&self, year: i32, min_reviews: usize, limit: usize) -> Vec<&FilmEntry> {
        let of_year: Vec<&FilmEntry> = self
            .films
            .iter()
            .filter(|f| f.doc.film.year == Some(year) && f.doc.aggregate.score.is_some())
            .collect();
        let most = of_year
            .iter()
            .map(|f| f.doc.aggregate.reviews)
            .max()
            .unwrap_or(0);
        let floor = min_reviews.min(most).max(1);
        let mut best: Vec<&FilmEntry> = of_year
            .into_iter()
            .filter(|f| f.doc.aggregate.reviews >= floor)
            .collect();
        let rank = |f: &FilmEntry| f.doc.aggregate.shrunk_score.or(f.doc.aggregate.score);
        best.sort_by(|a, b| {
            let (sa, sb) = (rank(a), rank(b));
            sb.partial_cmp(&sa)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.doc.aggregate.reviews.cmp(&a.doc.aggregate.reviews))
                .then(a.doc.film.id.cmp(&b.doc.film.id))
        });
        best.truncate(limit);
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use verdict_core::{Assessment, Verdict};
    use verdict_store::{FilmRef, ImportBatch, ImportedReview, NewFilm, SqliteStore};

    fn review(n: usize, critic: &str, outlet: &str, score: f64) -> ImportedReview {
        // Ann's first review is dated after her second: her page lists
        // them by date, not as stored.
        let date = match n {
            0 => NaiveDate::from_ymd_opt(2021, 1, 1),
            3 => NaiveDate::from_ymd_opt(2019, 1, 1),
            _ => None,
        };
        ImportedReview {
            content_hash: format!("h{n}"),
            source: format!("test:{n}"),
            format: "test",
            title_seen: None,
            year_seen: None,
            critic: Some(critic.into()),
            outlet: Some(outlet.into()),
            date,
            body: String::new(),
            rating: None,
            assessment: Assessment {
                score,
                verdict: Verdict::from_score(score),
                confidence: 0.9,
                inferred: false,
                p_positive: None,
                judgement: None,
            },
            source_verdict: None,
            top_critic: None,
            diagnostics: Vec::new(),
        }
    }

    fn catalog() -> Catalog {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let films = [
            ("Solaris", 2002),
            ("Solaris", 2002),
            ("Heat", 1995),
            ("Alien", 1979),
        ];
        let mut batch = ImportBatch::default();
        for (title, year) in films {
            batch.films.push(NewFilm {
                title: title.into(),
                title_key: verdict_core::title::title_key(title),
                year: Some(year),
                aliases: Vec::new(),
            });
        }
        // Ann Harsh is 20 below the others on every film; "ANN HARSH" is
        // the same critic.
        let rows = [
            (0, "Ann Harsh", "The Daily", 50.0),
            (0, "Bob Kind", "Weekly", 70.0),
            (0, "Cy Even", "Weekly", 70.0),
            (2, "ANN HARSH", "The Daily", 40.0),
            (2, "Bob Kind", "Weekly", 60.0),
            (2, "Cy Even", "Weekly", 60.0),
            (3, "Bob Kind", "Weekly", 90.0),
        ];
        for (i, (film, critic, outlet, score)) in rows.into_iter().enumerate() {
            batch
                .reviews
                .push((FilmRef::New(film), review(i, critic, outlet, score)));
        }
        store.write_batch(&batch).unwrap();
        Catalog::build(&store, 7, 0).unwrap()
    }

    #[test]
    fn an_unjudged_reviews_placeholder_is_in_no_mean() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let mut batch = ImportBatch::default();
        batch.films.push(NewFilm {
            title: "Heat".into(),
            title_key: verdict_core::title::title_key("Heat"),
            year: Some(1995),
            aliases: Vec::new(),
        });
        let unjudged = |n: usize, critic: &str| {
            let mut r = review(n, critic, "Weekly", 50.0);
            r.assessment.inferred = true;
            r.assessment.confidence = 0.0;
            r
        };
        batch.reviews = vec![
            (FilmRef::New(0), review(1, "Bob Kind", "Weekly", 80.0)),
            (FilmRef::New(0), unjudged(2, "Bob Kind")),
            (FilmRef::New(0), unjudged(4, "Dee Silent")),
        ];
        store.write_batch(&batch).unwrap();
        let c = Catalog::build(&store, 1, 0).unwrap();
        let bob = c.critics.by_slug("bob-kind").expect("Bob");
        assert_eq!((bob.reviews.len(), bob.mean_score), (2, Some(80.0)));
        let dee = c.critics.by_slug("dee-silent").expect("Dee");
        assert_eq!((dee.reviews.len(), dee.mean_score), (1, None));
        assert_eq!(c.outlets.by_slug("weekly").unwrap().mean_score, Some(80.0));
    }

    #[test]
    fn critics_and_outlets_are_grouped_by_folded_name_with_their_harshness() {
        let c = catalog();
        assert_eq!((c.generation, c.reviews, c.films.len()), (7, 7, 4));
        let ann = c.critics.by_slug("ann-harsh").expect("Ann");
        assert_eq!(ann.name, "Ann Harsh");
        assert_eq!((ann.reviews.len(), ann.films), (2, 2));
        // Oldest first by date: the review stored second is the older.
        let (first, second) = (ann.reviews[0], ann.reviews[1]);
        assert!(first > second, "{:?}", ann.reviews);
        assert_eq!(ann.mean_score, Some(45.0));
        let h = ann.harshness.as_ref().unwrap();
        assert_eq!((h.reviews, h.films), (2, 2));
        assert!((h.mean_offset + 20.0).abs() < 1e-9, "{h:?}");
        assert!(h.shrunk_offset < 0.0 && h.shrunk_offset > h.mean_offset);
        assert!(std::ptr::eq(c.critics.by_name("ann  harsh!").unwrap(), ann));
        let bob = c
            .critics
            .by_slug("bob-kind")
            .unwrap()
            .harshness
            .as_ref()
            .unwrap();
        assert!(bob.mean_offset > 0.0);
        // Outlets the same way.
        let daily = c.outlets.by_slug("the-daily").unwrap();
        assert_eq!(daily.reviews.len(), 2);
        assert!(daily.harshness.as_ref().unwrap().mean_offset < 0.0);
        // Search: folded substring, most reviews first.
        let names: Vec<&str> = c
            .critics
            .search("KIND", 10)
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["Bob Kind"]);
        assert_eq!(c.critics.search("", 10).len(), 0);
    }

    #[test]
    fn films_get_slugs_recency_and_a_best_of_year() {
        let c = catalog();
        let solaris: Vec<&str> = c
            .films
            .iter()
            .filter(|f| f.doc.film.title == "Solaris")
            .map(|f| f.slug.as_str())
            .collect();
        assert_eq!(solaris, ["solaris-2002", "solaris-2002-2"]);
        assert_eq!(
            c.film_by_slug("heat-1995").unwrap().doc.aggregate.reviews,
            3
        );
        // The newest review is Alien's, then Heat's.
        let recent: Vec<&str> = c
            .recently_reviewed(2)
            .iter()
            .map(|f| f.slug.as_str())
            .collect();
        assert_eq!(recent, ["alien-1979", "heat-1995"]);
        assert_eq!(c.recent_reviews.first(), Some(&7));
        assert_eq!(c.years(), [2002, 1995, 1979]);
        // 2002: only the reviewed Solaris counts.
        let best: Vec<&str> = c
            .best_of(2002, 5, 10)
            .iter()
            .map(|f| f.slug.as_str())
            .collect();
        assert_eq!(best, ["solaris-2002"]);
        assert!(c.best_of(1990, 5, 10).is_empty());
    }
}
