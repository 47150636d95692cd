//! Presenting stored films: the JSON contract and the text views.
//!
//! The JSON shapes here are the public contract documented in the README
//! (`verdict show --json`, `verdict films --json`); the HTTP API will serve
//! the same structs.

mod text;

pub use text::{film_text, films_text};

use serde::Serialize;
use std::collections::BTreeMap;
use verdict_aggregate::{Aggregate, Scored, aggregate};
use verdict_core::title::title_key;
use verdict_core::{Aspect, Diagnostic, Film, Span, Verdict};
use verdict_store::{Store, StoreError, StoredReview};

/// `film` in the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct FilmView {
    pub id: i64,
    pub title: String,
    pub year: Option<i32>,
    pub aliases: Vec<String>,
}

impl From<&Film> for FilmView {
    fn from(f: &Film) -> Self {
        FilmView {
            id: f.id,
            title: f.title.clone(),
            year: f.year,
            aliases: f.aliases.clone(),
        }
    }
}

/// `rating` in the JSON contract: `null` for inferred reviews.
#[derive(Debug, Clone, Serialize)]
pub struct RatingView {
    pub raw: String,
    pub value: f64,
    pub best: f64,
    pub span: Option<Span>,
    pub scale: String,
    pub score: f64,
}

/// `aspects[]` in the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct AspectView {
    pub name: String,
    pub raw: String,
    pub score: f64,
    pub value: f64,
    pub best: f64,
}

impl From<&Aspect> for AspectView {
    fn from(a: &Aspect) -> Self {
        AspectView {
            name: a.name.clone(),
            raw: a.raw.clone(),
            score: a.score,
            value: a.value,
            best: a.best,
        }
    }
}

/// `reviews[]` in the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    pub id: i64,
    pub source: String,
    pub title_seen: Option<String>,
    pub critic: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    pub score: f64,
    pub inferred: bool,
    pub verdict: Verdict,
    pub confidence: f64,
    pub rating: Option<RatingView>,
    pub aspects: Vec<AspectView>,
    /// The sentences that decided the judge's reading.
    pub evidence: Vec<String>,
    pub judge_model: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl From<&StoredReview> for ReviewView {
    fn from(r: &StoredReview) -> Self {
        ReviewView {
            id: r.id,
            source: r.source.clone(),
            title_seen: r.title_seen.clone(),
            critic: r.critic.clone(),
            outlet: r.outlet.clone(),
            date: r.date,
            score: round2(r.score),
            inferred: r.inferred,
            verdict: r.verdict,
            confidence: round2(r.confidence),
            rating: r
                .rating
                .as_ref()
                .filter(|_| !r.inferred)
                .map(|x| RatingView {
                    raw: x.raw.clone(),
                    value: x.value,
                    best: x.best,
                    span: x.span,
                    scale: x.scale.clone(),
                    score: round2(x.score),
                }),
            aspects: r.aspects.iter().map(AspectView::from).collect(),
            evidence: r.evidence.clone(),
            judge_model: r.judge_model.clone(),
            diagnostics: r.diagnostics.clone(),
        }
    }
}

/// `verdict show --json`: one film, its aggregate and every review.
#[derive(Debug, Clone, Serialize)]
pub struct FilmPage {
    pub film: FilmView,
    pub aggregate: Aggregate,
    pub reviews: Vec<ReviewView>,
}

/// An entry of `verdict films --json`.
#[derive(Debug, Clone, Serialize)]
pub struct FilmSummary {
    pub film: FilmView,
    pub aggregate: Aggregate,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn scored(r: &StoredReview) -> Scored {
    Scored {
        score: r.score,
        verdict: r.verdict,
        inferred: r.inferred,
    }
}

/// The page of one film.
pub fn film_page(store: &dyn Store, film: &Film) -> Result<FilmPage, StoreError> {
    let reviews = store.reviews_of(film.id)?;
    Ok(FilmPage {
        film: FilmView::from(film),
        aggregate: aggregate(reviews.iter().map(scored)),
        reviews: reviews.iter().map(ReviewView::from).collect(),
    })
}

/// Every film with its aggregate, in title order.
pub fn films_overview(store: &dyn Store) -> Result<Vec<FilmSummary>, StoreError> {
    let mut by_film: BTreeMap<i64, Vec<Scored>> = BTreeMap::new();
    for row in store.score_rows()? {
        by_film.entry(row.film_id).or_default().push(Scored {
            score: row.score,
            verdict: row.verdict,
            inferred: row.inferred,
        });
    }
    Ok(store
        .films()?
        .iter()
        .map(|f| FilmSummary {
            film: FilmView::from(f),
            aggregate: aggregate(by_film.remove(&f.id).unwrap_or_default()),
        })
        .collect())
}

/// Films a user's query names: by title or alias key first (case,
/// diacritics and a leading article folded); failing that, films whose title
/// or an alias contains the query.
pub fn find_films(store: &dyn Store, query: &str) -> Result<Vec<Film>, StoreError> {
    let key = title_key(query);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let exact: Vec<Film> = store
        .films_by_keys(std::slice::from_ref(&key))?
        .into_iter()
        .map(|r| r.film)
        .collect();
    if !exact.is_empty() {
        return Ok(exact);
    }
    Ok(store
        .films()?
        .into_iter()
        .filter(|f| {
            std::iter::once(&f.title)
                .chain(&f.aliases)
                .any(|t| title_key(t).contains(&key))
        })
        .collect())
}
