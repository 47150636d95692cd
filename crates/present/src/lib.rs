//! Presenting stored films: the JSON contract and the text views.
//!
//! The JSON shapes here are the public contract documented in the README
//! (`verdict show --json`, `verdict films --json`, what `verdict ingest
//! --json` says of each input); the HTTP API serves the same structs and
//! the web pages are rendered from them, typed: this crate is the one
//! place the contract is written. It reads the store and the aggregate
//! stage, and nothing of how a review was read or judged.
//!
//! It also says which film a user means ([`FilmQuery`], [`choose_film`]:
//! `#ID`, a slug, "Title (Year)", a title and a year), for the command
//! line and the web's search alike, with the slugs of the web's addresses
//! ([`slug`]).

mod outcome;
mod query;
pub mod slug;
mod stats;
mod text;

pub use outcome::{Item, Outcome};
pub use query::{
    Candidate, FilmQuery, FindError, argument_for, choose_film, film_by_slug, films_matching,
    find_films,
};
pub use stats::{refresh_stats, refresh_stats_from};
pub use text::{basis_line, consensus_line, film_text, films_text, fresh_line_note, label_line};

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use verdict_aggregate::consensus::{Consensus, Voice};
use verdict_aggregate::stats::{critic_key, prior_of};
use verdict_aggregate::{Aggregate, Context, Input, OutletWeights, aggregate_with, voices};
use verdict_core::{Aspect, Diagnostic, Film, Span, Verdict};
use verdict_store::{ExternalId, FilmCatalogue, Store, StoreError, StoredReview};

/// `film` in the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct FilmView {
    pub id: i64,
    pub title: String,
    pub year: Option<i32>,
    pub aliases: Vec<String>,
    /// The film's ids in exports, with the published numbers they came with.
    pub external_ids: Vec<ExternalIdView>,
    /// The catalogue decision; null when the film was never looked up.
    pub catalogue: Option<CatalogueView>,
}

impl From<&Film> for FilmView {
    fn from(f: &Film) -> Self {
        FilmView {
            id: f.id,
            title: f.title.clone(),
            year: f.year,
            aliases: f.aliases.clone(),
            external_ids: Vec::new(),
            catalogue: None,
        }
    }
}

/// `film.external_ids[]` in the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalIdView {
    pub source: String,
    pub id: String,
    /// The source's own published % positive (its Tomatometer).
    pub published_percent: Option<f64>,
    pub published_count: Option<i64>,
    /// How the id was tied to the film, and how sure that is.
    pub method: String,
    pub confidence: f64,
}

impl From<ExternalId> for ExternalIdView {
    fn from(x: ExternalId) -> Self {
        ExternalIdView {
            source: x.source,
            id: x.external_id,
            published_percent: x.published_percent,
            published_count: x.published_count,
            method: x.method,
            confidence: x.confidence,
        }
    }
}

/// `film.catalogue` in the JSON contract.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueView {
    /// True when a catalogue entry was matched.
    pub matched: bool,
    /// "imdb", "movielens".
    pub source: Option<String>,
    pub id: Option<String>,
    pub imdb_id: Option<String>,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub confidence: Option<f64>,
    /// The rule that decided ("primary title and year", "ambiguous", "not found").
    pub method: String,
    /// Why the film was left unmatched.
    pub note: Option<String>,
}

impl From<FilmCatalogue> for CatalogueView {
    fn from(c: FilmCatalogue) -> Self {
        CatalogueView {
            matched: c.entry.is_some(),
            source: c.entry.as_ref().map(|e| e.source.clone()),
            id: c.entry.as_ref().map(|e| e.external_id.clone()),
            imdb_id: c.entry.as_ref().and_then(|e| e.imdb_id.clone()),
            title: c.entry.as_ref().map(|e| e.title.clone()),
            year: c.entry.as_ref().and_then(|e| e.year),
            confidence: c.confidence,
            method: c.method,
            note: c.note,
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
    /// 0–100; null for an unjudged review.
    pub score: Option<f64>,
    pub inferred: bool,
    /// Null for an unjudged review.
    pub verdict: Option<Verdict>,
    /// Neither a rating nor a text the judge could read: no score; counted
    /// in no number but `aggregate.unjudged`, and for % positive when the
    /// source labels it.
    pub unjudged: bool,
    pub confidence: f64,
    pub rating: Option<RatingView>,
    pub aspects: Vec<AspectView>,
    /// The sentences that decided the judge's reading.
    pub evidence: Vec<String>,
    pub judge_model: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The verdict the source itself gave (an export's fresh/rotten).
    pub source_verdict: Option<Verdict>,
    /// The source's "top critic" flag.
    pub top_critic: Option<bool>,
    /// Our reading's probability that the review is favourable (rating and
    /// text, never the source's label).
    pub p_positive: Option<f64>,
    /// The critic's harshness: their shrunk mean offset from the other
    /// critics on the same films (rated reviews; null when unknown).
    pub critic_offset: Option<f64>,
    /// The score with that offset taken out.
    pub calibrated_score: Option<f64>,
    /// The review's text when it came from a row of an export (a pull
    /// quote); null for documents, whose text lives at `source`.
    pub text: Option<String>,
    /// The id of the later review by the same writer that replaces this
    /// one: this one is history, counted in no number but
    /// `aggregate.superseded`; null when it counts.
    pub superseded_by: Option<i64>,
    /// The review's own address, when it was read from a page that lists
    /// it (its `source` is that page and the item, `PAGE#review-N`).
    pub link: Option<String>,
    /// The review's other addresses: documents whose main text is a
    /// near-duplicate of its own (a reprint, the critic's blog), in the
    /// order they were stored. The review counts once however many it has.
    /// Absent when it has none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<CopyView>,
    /// The line its rating is held to for % positive when Verdict has
    /// learned one for its critic, outlet or scale from critics' own
    /// fresh/rotten calls; null: the plain 60.
    pub fresh_line: Option<FreshLineView>,
}

/// `reviews[].fresh_line`: a rating counts favourable at `at` (0–100) and
/// above, the line learned for the review's `level` ("critic", "outlet"
/// or "scale").
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FreshLineView {
    /// The line, rounded to two decimals for showing.
    pub at: f64,
    pub level: verdict_rating::scalebook::Level,
    /// The line itself, which decides.
    #[serde(skip)]
    pub exact: f64,
}

/// The learned fresh lines ([`verdict_rating::Calibration::shipped`]),
/// looked up once per critic, outlet and scale.
#[derive(Default)]
struct FreshLines {
    by_names: HashMap<String, Option<FreshLineView>>,
    buffer: String,
}

impl FreshLines {
    /// The line a rating on `scale` by the critic at the outlet is held
    /// to, when it is not the plain 60.
    fn of(
        &mut self,
        critic: Option<&str>,
        outlet: Option<&str>,
        scale: Option<&str>,
    ) -> Option<FreshLineView> {
        let scale = scale?;
        self.buffer.clear();
        for part in [critic.unwrap_or(""), outlet.unwrap_or(""), scale] {
            self.buffer.push_str(part);
            self.buffer.push('\u{1f}');
        }
        if let Some(line) = self.by_names.get(self.buffer.as_str()) {
            return *line;
        }
        let t = verdict_rating::Calibration::shipped().threshold(outlet, critic, scale);
        let line =
            (t.level != verdict_rating::scalebook::Level::Default).then_some(FreshLineView {
                at: round2(t.at),
                level: t.level,
                exact: t.at,
            });
        self.by_names.insert(self.buffer.clone(), line);
        line
    }
}

/// `reviews[].copies[]`: another address of a review (a syndicated copy).
#[derive(Debug, Clone, Serialize)]
pub struct CopyView {
    /// Where the copy was read from (a path or URL).
    pub source: String,
    /// Its own address, when it was read from a page that lists it.
    pub link: Option<String>,
    pub critic: Option<String>,
    pub outlet: Option<String>,
    /// The estimated Jaccard similarity of its text's 5-word shingles to
    /// the review's (0–1; a copy is at least 0.7).
    pub similarity: f64,
}

impl ReviewView {
    /// Every address of the review: its own (its `link` when it was read
    /// from a listing, else its `source`), then its copies'.
    pub fn addresses(&self) -> Vec<&str> {
        std::iter::once(self.link.as_deref().unwrap_or(&self.source))
            .chain(
                self.copies
                    .iter()
                    .map(|c| c.link.as_deref().unwrap_or(&c.source)),
            )
            .collect()
    }
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
            score: (!r.unjudged()).then(|| round2(r.score)),
            inferred: r.inferred,
            verdict: (!r.unjudged()).then_some(r.verdict),
            unjudged: r.unjudged(),
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
            source_verdict: r.source_verdict,
            top_critic: r.top_critic,
            p_positive: r.p_positive.map(round2),
            critic_offset: None,
            calibrated_score: None,
            // an export's row and a listing page's item are quotes
            text: (verdict_core::is_import_format(&r.format) || is_listing_item(&r.source))
                .then(|| r.body.clone())
                .filter(|b| !b.is_empty()),
            superseded_by: None,
            link: r.link.clone(),
            copies: r
                .copies
                .iter()
                .map(|c| CopyView {
                    source: c.source.clone(),
                    link: c.link.clone(),
                    critic: c.critic.clone(),
                    outlet: c.outlet.clone(),
                    similarity: round2(c.similarity),
                })
                .collect(),
            fresh_line: None,
        }
    }
}

/// The critic's own words of a review, for the consensus line: an export
/// row's or a listing item's text (a pull quote), a document's passages
/// but its quotes, or, for a document stored before its passages were
/// kept, the judge's evidence sentences (never read from a quote). An
/// unjudged review has none.
fn own_words(r: &StoredReview) -> Vec<&str> {
    if r.unjudged() {
        return Vec::new();
    }
    if verdict_core::is_import_format(&r.format) || is_listing_item(&r.source) {
        return vec![r.body.as_str()];
    }
    match &r.passages {
        Some(passages) => passages
            .iter()
            .filter(|p| p.role != verdict_core::Role::Quote)
            .map(|p| p.text.as_str())
            .collect(),
        None => r.evidence.iter().map(String::as_str).collect(),
    }
}

/// Whether a review was read from an item of a listing page (its source
/// is `PAGE#review-N`).
pub fn is_listing_item(source: &str) -> bool {
    verdict_core::listing_page(source).is_some()
}

/// `published[]` in the JSON contract: a site's own aggregate of the film,
/// read from a page that lists its reviews; shown beside Verdict's numbers,
/// never counted in them.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedView {
    #[serde(flatten)]
    pub score: verdict_core::PublishedScore,
    /// "Rotten Tomatoes: 94 % of 433".
    pub summary: String,
}

impl From<verdict_core::PublishedScore> for PublishedView {
    fn from(score: verdict_core::PublishedScore) -> Self {
        PublishedView {
            summary: score.summary(),
            score,
        }
    }
}

/// `verdict show --json`: one film, its aggregate and every review.
#[derive(Debug, Clone, Serialize)]
pub struct FilmPage {
    pub film: FilmView,
    pub aggregate: Aggregate,
    /// The critics' consensus: one or two sentences of the reviews that
    /// say what most critics say, on the side most took, each with its
    /// review's id; null below five judged reviews
    /// (`verdict_aggregate::consensus`).
    pub consensus: Option<Consensus>,
    /// The sites' own published aggregates (never counted).
    pub published: Vec<PublishedView>,
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

/// The aggregate's context: the cached prior and the outlet weights.
fn context(store: &dyn Store, weights: &OutletWeights) -> Result<Context, StoreError> {
    let prior = store
        .stats()?
        .and_then(|s| prior_of(s.mean_score, s.prior_weight, s.within_variance));
    Ok(Context {
        prior,
        weights: Some(weights.name().to_string()),
    })
}

/// One review as the full aggregate reads it.
#[allow(clippy::too_many_arguments)]
fn input(
    score: f64,
    verdict: Verdict,
    inferred: bool,
    source_verdict: Option<Verdict>,
    top_critic: Option<bool>,
    p_positive: Option<f64>,
    outlet: Option<&str>,
    critic_offset: Option<f64>,
    weights: &OutletWeights,
    unjudged: bool,
    fresh_line: Option<FreshLineView>,
    judge_model: Option<&str>,
) -> Input {
    Input {
        unjudged,
        rating_line: fresh_line.map(|l| l.exact),
        p_prior: judge_model.and_then(verdict_aggregate::estimate::calibration_prior),
        score,
        verdict,
        inferred,
        source_verdict,
        top_critic,
        p_positive,
        weight: weights.weight(outlet),
        critic_offset,
        superseded: false,
    }
}

/// Interns the writers of the reviews streamed by [`films_overview_with`]
/// ([`voices::writer_key`], folded once per distinct name pair).
#[derive(Default)]
struct Writers {
    by_names: HashMap<String, Option<u32>>,
    by_key: HashMap<(String, String), u32>,
    buffer: String,
}

impl Writers {
    fn id(&mut self, critic: Option<&str>, outlet: Option<&str>) -> Option<u32> {
        let critic = critic?;
        self.buffer.clear();
        self.buffer.push_str(critic);
        self.buffer.push('\u{1f}');
        self.buffer.push_str(outlet.unwrap_or(""));
        if let Some(id) = self.by_names.get(self.buffer.as_str()) {
            return *id;
        }
        let id = voices::writer_key(Some(critic), outlet).map(|key| {
            let next = self.by_key.len() as u32;
            *self.by_key.entry(key).or_insert(next)
        });
        self.by_names.insert(self.buffer.clone(), id);
        id
    }
}

/// Marks the reviews a later one by the same writer replaces.
fn mark_superseded<K: Eq + std::hash::Hash>(
    inputs: &mut [Input],
    said: &[voices::Keyed<K>],
) -> Vec<Option<i64>> {
    let by = voices::superseded_by_key(said);
    for (input, by) in inputs.iter_mut().zip(&by) {
        input.superseded = by.is_some();
    }
    by
}

/// The page of one film, every outlet weighing the same.
pub fn film_page(store: &dyn Store, film: &Film) -> Result<FilmPage, StoreError> {
    film_page_with(store, film, &OutletWeights::equal())
}

/// The film's view with its external ids and catalogue decision.
fn film_view(store: &dyn Store, film: &Film) -> Result<FilmView, StoreError> {
    let mut view = FilmView::from(film);
    view.external_ids = store
        .external_ids(Some(film.id))?
        .into_iter()
        .map(|(_, x)| x.into())
        .collect();
    view.catalogue = store
        .film_catalogue(Some(film.id))?
        .into_iter()
        .next()
        .map(CatalogueView::from);
    Ok(view)
}

/// The page of one film, with outlet weights.
pub fn film_page_with(
    store: &dyn Store,
    film: &Film,
    weights: &OutletWeights,
) -> Result<FilmPage, StoreError> {
    let reviews = store.reviews_of(film.id)?;
    let keys: Vec<String> = reviews
        .iter()
        .filter_map(|r| r.critic.as_deref().and_then(critic_key))
        .collect();
    let offsets: HashMap<String, f64> = if keys.is_empty() {
        HashMap::new()
    } else {
        store
            .critic_stats(Some(&keys))?
            .into_iter()
            .map(|c| (c.key, c.shrunk_offset))
            .collect()
    };
    let offset_of = |r: &StoredReview| -> Option<f64> {
        if r.inferred {
            return None;
        }
        offsets.get(&critic_key(r.critic.as_deref()?)?).copied()
    };
    let ctx = context(store, weights)?;
    let mut lines = FreshLines::default();
    let fresh_lines: Vec<Option<FreshLineView>> = reviews
        .iter()
        .map(|r| {
            let scale = r
                .rating
                .as_ref()
                .filter(|_| !r.inferred)
                .map(|x| x.scale.as_str());
            lines.of(r.critic.as_deref(), r.outlet.as_deref(), scale)
        })
        .collect();
    let mut inputs: Vec<Input> = reviews
        .iter()
        .zip(&fresh_lines)
        .map(|(r, line)| {
            input(
                r.score,
                r.verdict,
                r.inferred,
                r.source_verdict,
                r.top_critic,
                r.p_positive,
                r.outlet.as_deref(),
                offset_of(r),
                weights,
                r.unjudged(),
                *line,
                r.judge_model.as_deref(),
            )
        })
        .collect();
    let said: Vec<_> = reviews
        .iter()
        .map(|r| {
            (
                voices::writer_key(r.critic.as_deref(), r.outlet.as_deref()),
                r.date,
                r.id,
            )
        })
        .collect();
    let superseded_by = mark_superseded(&mut inputs, &said);
    let spoken: Vec<Voice<'_>> = reviews
        .iter()
        .zip(&inputs)
        .map(|(r, i)| Voice {
            review_id: r.id,
            texts: own_words(r),
            counted: !i.unjudged && !i.superseded,
            favourable: i.counted().map(|c| c.favourable()),
        })
        .collect();
    let aggregate = aggregate_with(inputs, &ctx);
    let consensus =
        verdict_aggregate::consensus::consensus(&spoken, aggregate.positive_percent, &film.title);
    let views = reviews
        .iter()
        .zip(superseded_by)
        .zip(fresh_lines)
        .map(|((r, superseded_by), fresh_line)| {
            let mut v = ReviewView::from(r);
            v.superseded_by = superseded_by;
            v.fresh_line = fresh_line;
            if let Some(o) = offset_of(r) {
                v.critic_offset = Some(round2(o));
                v.calibrated_score = Some(round2((r.score - o).clamp(0.0, 100.0)));
            }
            v
        })
        .collect();
    Ok(FilmPage {
        film: film_view(store, film)?,
        aggregate,
        consensus,
        published: store
            .published(film.id)?
            .into_iter()
            .map(PublishedView::from)
            .collect(),
        reviews: views,
    })
}

/// Every film with its aggregate, in title order, every outlet weighing the
/// same.
pub fn films_overview(store: &dyn Store) -> Result<Vec<FilmSummary>, StoreError> {
    films_overview_with(store, &OutletWeights::equal())
}

/// Every film with its aggregate, in title order: one streaming pass over
/// the reviews (film by film), never all of them in memory.
pub fn films_overview_with(
    store: &dyn Store,
    weights: &OutletWeights,
) -> Result<Vec<FilmSummary>, StoreError> {
    let ctx = context(store, weights)?;
    let offsets: HashMap<String, f64> = store
        .critic_stats(None)?
        .into_iter()
        .map(|c| (c.key, c.shrunk_offset))
        .collect();
    let mut offset_by_name: HashMap<String, Option<f64>> = HashMap::new();
    let mut aggregates: HashMap<i64, Aggregate> = HashMap::new();
    let mut current: Option<i64> = None;
    let mut inputs: Vec<Input> = Vec::new();
    let mut writers = Writers::default();
    let mut lines = FreshLines::default();
    let mut said: Vec<voices::Keyed<u32>> = Vec::new();
    let finish = |inputs: &mut Vec<Input>, said: &mut Vec<_>| {
        mark_superseded(inputs, said);
        said.clear();
        aggregate_with(inputs.drain(..), &ctx)
    };
    store.for_each_score(&mut |l| {
        if current != Some(l.film_id) {
            if let Some(film) = current {
                aggregates.insert(film, finish(&mut inputs, &mut said));
            }
            current = Some(l.film_id);
        }
        said.push((writers.id(l.critic, l.outlet), l.date, l.review_id));
        let offset = match l.critic.filter(|_| !l.inferred) {
            None => None,
            Some(name) => match offset_by_name.get(name) {
                Some(o) => *o,
                None => {
                    let o = critic_key(name).and_then(|k| offsets.get(&k).copied());
                    offset_by_name.insert(name.to_string(), o);
                    o
                }
            },
        };
        inputs.push(input(
            l.score,
            l.verdict,
            l.inferred,
            l.source_verdict,
            l.top_critic,
            l.p_positive,
            l.outlet,
            offset,
            weights,
            !l.judged,
            lines.of(l.critic, l.outlet, l.rating_scale.filter(|_| !l.inferred)),
            l.judge_model,
        ));
    })?;
    if let Some(film) = current {
        aggregates.insert(film, finish(&mut inputs, &mut said));
    }
    let mut external: BTreeMap<i64, Vec<ExternalIdView>> = BTreeMap::new();
    for (film_id, x) in store.external_ids(None)? {
        external.entry(film_id).or_default().push(x.into());
    }
    let mut catalogue: HashMap<i64, CatalogueView> = store
        .film_catalogue(None)?
        .into_iter()
        .map(|c| (c.film_id, CatalogueView::from(c)))
        .collect();
    Ok(store
        .films()?
        .iter()
        .map(|f| {
            let mut film = FilmView::from(f);
            film.external_ids = external.remove(&f.id).unwrap_or_default();
            film.catalogue = catalogue.remove(&f.id);
            FilmSummary {
                film,
                aggregate: aggregates
                    .remove(&f.id)
                    .unwrap_or_else(|| aggregate_with(std::iter::empty::<Input>(), &ctx)),
            }
        })
        .collect())
}
