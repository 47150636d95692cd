//! The plain types of bulk imports, film catalogues and the cached
//! cross-film statistics (the [`crate::Store`] methods that take them are
//! documented on the trait).

use verdict_core::Verdict;

use crate::{Alias, FilmRecord};

pub use verdict_core::ImportedReview;

/// A film a batch refers to: already stored, or created by the same batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilmRef {
    Stored(i64),
    /// Index into [`ImportBatch::films`].
    New(usize),
}

/// A film for a batch to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFilm {
    pub title: String,
    pub title_key: String,
    pub year: Option<i32>,
    pub aliases: Vec<Alias>,
}

/// A stored film's year and aliases to update (as [`crate::FilmChoice::Existing`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FilmUpdate {
    pub film_id: i64,
    /// Replaces the film's year when `Some`.
    pub year: Option<i32>,
    /// Aliases to add; keys the film already has are ignored.
    pub new_aliases: Vec<Alias>,
}

/// A film's id in an export or catalogue ("rt" + "m/0814255").
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalId {
    pub source: String,
    pub external_id: String,
    /// The source's own published % positive (its Tomatometer), kept to be
    /// checked against; never used in our aggregates.
    pub published_percent: Option<f64>,
    /// How many reviews the published number counts.
    pub published_count: Option<i64>,
    /// How the id was tied to the film: "new film", or the resolver's rule.
    pub method: String,
    /// 0–1.
    pub confidence: f64,
}

/// Films, film changes and reviews written together by
/// [`crate::Store::write_batch`], in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportBatch {
    pub films: Vec<NewFilm>,
    pub updates: Vec<FilmUpdate>,
    /// External ids to tie to films; an id already tied to a film is kept
    /// as it is.
    pub links: Vec<(FilmRef, ExternalId)>,
    pub reviews: Vec<(FilmRef, ImportedReview)>,
    /// The run that writes it ([`crate::Store::begin_run`]), if any: every
    /// review of the batch carries its id.
    pub run: Option<i64>,
}

impl ImportBatch {
    pub fn is_empty(&self) -> bool {
        self.films.is_empty()
            && self.updates.is_empty()
            && self.links.is_empty()
            && self.reviews.is_empty()
    }
}

/// What [`crate::Store::write_batch`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchOutcome {
    /// The ids given to [`ImportBatch::films`], in order.
    pub film_ids: Vec<i64>,
    pub inserted: usize,
    /// Reviews whose content hash was already stored: skipped.
    pub duplicates: usize,
    /// Reviews refused by the database's rules: (index in
    /// [`ImportBatch::reviews`], reason). The rest of the batch is written.
    pub rejected: Vec<(usize, String)>,
}

/// A stored film with its lookup keys and external ids, for resolving a
/// bulk import in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedFilm {
    pub record: FilmRecord,
    /// (source, external id) pairs.
    pub external_ids: Vec<(String, String)>,
}

pub use verdict_core::title::TitleKind;

/// One title of a catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueTitle {
    pub title: String,
    /// [`verdict_core::title::title_key`] of the title.
    pub key: String,
    pub kind: TitleKind,
}

/// A reference film from a catalogue (IMDb, MovieLens).
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueEntry {
    /// The entry's id in this database (0 for an entry not stored yet).
    pub id: i64,
    /// "imdb", "movielens".
    pub source: String,
    pub external_id: String,
    pub title: String,
    pub year: Option<i32>,
    /// The IMDb id, which ties entries of different catalogues together.
    pub imdb_id: Option<String>,
    /// Every title, the primary one included.
    pub titles: Vec<CatalogueTitle>,
}

/// What [`crate::Store::put_catalogue`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatalogueWrite {
    pub inserted: usize,
    /// Entries already stored (same source and id): left as they were.
    pub unchanged: usize,
}

/// The catalogue decision for one film.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueDecision {
    pub film_id: i64,
    /// `None`: left unmatched, `note` says why.
    pub catalogue_id: Option<i64>,
    /// 0–1, with a match.
    pub confidence: Option<f64>,
    /// The rule that decided ("title and year", "ambiguous", "not found").
    pub method: String,
    pub note: Option<String>,
    /// Titles of the matched entry the film gets as aliases.
    pub aliases: Vec<Alias>,
}

/// A film's catalogue decision as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmCatalogue {
    pub film_id: i64,
    /// The matched entry; `None` when left unmatched.
    pub entry: Option<CatalogueEntry>,
    pub confidence: Option<f64>,
    pub method: String,
    pub note: Option<String>,
}

/// The numbers aggregation reads per review, streamed by
/// [`crate::Store::for_each_score`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreLine<'a> {
    pub film_id: i64,
    pub review_id: i64,
    pub score: f64,
    pub verdict: Verdict,
    pub inferred: bool,
    pub source_verdict: Option<Verdict>,
    pub top_critic: Option<bool>,
    pub p_positive: Option<f64>,
    pub critic: Option<&'a str>,
    pub outlet: Option<&'a str>,
    /// The review's date, when it has one.
    pub date: Option<chrono::NaiveDate>,
    /// False for an unjudged review: neither a rating nor a text the judge
    /// could read ([`crate::StoredReview::unjudged`]); its score is a
    /// placeholder, counted in nothing.
    pub judged: bool,
    /// The scale of the review's rating ("x/5", "letter"), when it has one.
    pub rating_scale: Option<&'a str>,
    /// The model that read its text ("linear-en-v2"), when one did.
    pub judge_model: Option<&'a str>,
}

/// What the cross-film statistics read of a judged review
/// ([`crate::Store::for_each_stat_line`]; unjudged ones are not read).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatLine<'a> {
    pub film_id: i64,
    pub score: f64,
    pub inferred: bool,
    pub critic: Option<&'a str>,
}

/// Stat lines held in memory (24 bytes a review, critics' names once
/// each), given back grouped by film: in the order of
/// [`crate::Store::for_each_stat_line`] when they were pushed in id order.
#[derive(Debug, Default)]
pub struct StatLines {
    lines: Vec<HeldLine>,
    names: Vec<String>,
    index: std::collections::HashMap<String, u32>,
}

#[derive(Debug)]
struct HeldLine {
    film_id: i64,
    score: f64,
    inferred: bool,
    /// Index into `names`, or `u32::MAX` for none.
    critic: u32,
}

impl StatLines {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, line: &StatLine<'_>) {
        let critic = match line.critic {
            None => u32::MAX,
            Some(name) => match self.index.get(name) {
                Some(&i) => i,
                None => {
                    let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX - 1);
                    self.names.push(name.to_string());
                    self.index.insert(name.to_string(), i);
                    i
                }
            },
        };
        self.lines.push(HeldLine {
            film_id: line.film_id,
            score: line.score,
            inferred: line.inferred,
            critic,
        });
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Every line, grouped by film in film id order; a film's lines stay
    /// in the order they were pushed.
    pub fn for_each_by_film(mut self, visit: &mut dyn FnMut(&StatLine<'_>)) {
        // Stable: a film's lines keep their order.
        self.lines.sort_by_key(|l| l.film_id);
        for l in &self.lines {
            visit(&StatLine {
                film_id: l.film_id,
                score: l.score,
                inferred: l.inferred,
                critic: self.names.get(l.critic as usize).map(String::as_str),
            });
        }
    }
}

/// How many reviews are stored and the newest id: what the cached
/// statistics are stamped with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewState {
    pub reviews: u64,
    pub max_review_id: i64,
}

/// Cached cross-film statistics (see docs/aggregation.md for the formulas).
#[derive(Debug, Clone, PartialEq)]
pub struct StatsSnapshot {
    /// The reviews these were computed from.
    pub state: ReviewState,
    pub films: u64,
    /// Mean score of all reviews: the prior the shrunk score pulls toward.
    pub mean_score: Option<f64>,
    /// How many reviews the prior is worth (IMDb's `m`).
    pub prior_weight: Option<f64>,
    /// Pooled variance of scores within a film.
    pub within_variance: Option<f64>,
    /// Variance of true film means (method of moments).
    pub between_variance: Option<f64>,
    pub computed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// True when no review was stored since they were computed (set by
    /// [`crate::Store::stats`]; ignored by [`crate::Store::put_stats`]).
    pub current: bool,
}

/// One critic's harshness, as the store caches it.
pub use verdict_core::CriticHarshness;
