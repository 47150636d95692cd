//! The HTML pages: thin handlers, the askama templates (which escape
//! everything they print) and the views they are filled from.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use verdict_aggregate::Aggregate;
use verdict_core::Diagnostic;
use verdict_present::ReviewView;
use verdict_store::{Store, StoredReview};

use crate::catalog::{Catalog, FilmEntry, Person};
use crate::respond::{self, CSS, Failure, Gzip, HTML};
use crate::state::AppState;
use crate::view;

/// The stylesheet, embedded.
pub const STYLESHEET: &str = include_str!("../static/style.css");

/// Reviews per page on critic and outlet pages.
pub const PER_PAGE: usize = 50;

/// Reviews per page on a film's page (its numbers always count them all).
pub const PER_FILM_PAGE: usize = 100;

// ---------------------------------------------------------------- views

/// A link with its text.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub text: String,
}

/// A film in a list.
pub struct FilmCard {
    pub href: String,
    pub title: String,
    pub year: Option<i32>,
    pub count: String,
    pub positive: Option<String>,
    pub label: String,
    pub score: String,
    pub band: &'static str,
    pub aliases: String,
}

impl FilmCard {
    pub fn of(f: &FilmEntry) -> FilmCard {
        let a = &f.doc.aggregate;
        FilmCard {
            href: format!("/films/{}", f.slug),
            title: f.doc.film.title.clone(),
            year: f.doc.film.year,
            count: view::count(a.reviews as u64, "review"),
            positive: a.positive_percent.map(view::num),
            label: a.label.unwrap_or_default().to_string(),
            score: a.score.map(view::whole).unwrap_or_else(|| "–".into()),
            band: a.score.map(view::band).unwrap_or("none"),
            aliases: f.doc.film.aliases.join(" · "),
        }
    }
}

/// A rating as written and as converted.
pub struct RatingLine {
    pub raw: String,
    pub scale: String,
    pub converted: String,
}

/// One review as the film, critic and outlet pages list it.
pub struct ReviewRow {
    pub id: i64,
    pub href: String,
    pub film: Option<Link>,
    pub critic: Option<Link>,
    pub outlet: Option<Link>,
    pub date: Option<String>,
    pub date_iso: String,
    pub score: String,
    pub band: &'static str,
    pub verdict: String,
    pub rating: Option<RatingLine>,
    pub aspects: Vec<RatingLine>,
    pub inferred: bool,
    pub confidence: String,
    pub evidence: Vec<String>,
    pub excerpt: String,
    pub source: String,
    pub source_name: String,
    pub source_link: Option<String>,
    pub top_critic: bool,
    /// A later review by the same writer replaces it: history, not counted.
    pub superseded: bool,
    /// The mark a listing page gave it ("favourable"), counted for %
    /// positive.
    pub marked: Option<&'static str>,
    /// Neither a rating nor a text to read: counted in nothing.
    pub unjudged: bool,
    /// The source's own label and whether Verdict's reading agrees.
    pub label: Option<String>,
    /// The learned fresh line its rating is held to, when not the plain 60.
    pub fresh_line: Option<String>,
    /// The review's other addresses (syndicated copies), each once.
    pub copies: Vec<CopyLine>,
}

/// Another address of a review, as the pages list it.
pub struct CopyLine {
    /// What is shown: a web address whole, a file by its name.
    pub text: String,
    /// The address, when it is on the web.
    pub href: Option<String>,
    /// The whole address (a file's path).
    pub source: String,
    pub outlet: Option<String>,
}

fn person_link(people: &crate::catalog::People, name: &Option<String>, base: &str) -> Option<Link> {
    let name = name.as_deref().map(str::trim).filter(|n| !n.is_empty())?;
    Some(Link {
        href: people
            .by_name(name)
            .map(|p| format!("/{base}/{}", p.slug))
            .unwrap_or_default(),
        text: name.to_string(),
    })
}

impl ReviewRow {
    pub fn of(r: &ReviewView, catalog: &Catalog, body: &str, film: Option<Link>) -> ReviewRow {
        ReviewRow {
            id: r.id,
            href: format!("/reviews/{}", r.id),
            film,
            critic: person_link(&catalog.critics, &r.critic, "critics"),
            outlet: person_link(&catalog.outlets, &r.outlet, "outlets"),
            date: r.date.map(view::date),
            date_iso: r.date.map(|d| d.to_string()).unwrap_or_default(),
            score: r.score.map_or("–".to_string(), view::whole),
            band: r.score.map_or("unjudged", view::band),
            verdict: r.verdict.map_or("unjudged".to_string(), |v| v.to_string()),
            unjudged: r.unjudged,
            label: verdict_present::label_line(r),
            fresh_line: verdict_present::fresh_line_note(r),
            rating: r.rating.as_ref().map(|x| RatingLine {
                raw: x.raw.clone(),
                scale: x.scale.clone(),
                converted: view::num(x.score),
            }),
            aspects: r
                .aspects
                .iter()
                .map(|a| RatingLine {
                    raw: a.raw.clone(),
                    scale: a.name.clone(),
                    converted: view::num(a.score),
                })
                .collect(),
            inferred: r.inferred,
            confidence: format!("{:.0}", r.confidence * 100.0),
            evidence: r.evidence.clone(),
            excerpt: view::excerpt(body, 300),
            source: r.source.clone(),
            source_name: view::source_name(&r.source),
            // a listed review's own address, else the page it came from
            source_link: r
                .link
                .clone()
                .filter(|l| view::is_web(l))
                .or_else(|| view::is_web(&r.source).then(|| r.source.clone())),
            top_critic: r.top_critic == Some(true),
            copies: r
                .copies
                .iter()
                .map(|c| {
                    let address = c.link.as_deref().unwrap_or(&c.source);
                    let web = view::is_web(address);
                    CopyLine {
                        text: if web {
                            address.to_string()
                        } else {
                            view::source_name(address)
                        },
                        href: web.then(|| address.to_string()),
                        source: address.to_string(),
                        outlet: c.outlet.clone(),
                    }
                })
                .collect(),
            superseded: r.superseded_by.is_some(),
            marked: r
                .source_verdict
                .filter(|_| verdict_present::is_listing_item(&r.source))
                .map(|v| match v {
                    verdict_core::Verdict::Positive => "favourable",
                    verdict_core::Verdict::Negative => "unfavourable",
                    verdict_core::Verdict::Mixed => "mixed",
                }),
        }
    }
}

/// The headline % positive.
pub struct PositiveView {
    pub value: String,
    pub label: String,
    pub certified: bool,
    pub lo: String,
    pub hi: String,
    pub favourable: usize,
    pub svg: String,
    /// What % positive counted (labels, ratings, texts read and how,
    /// unjudged left out), and why "favourable" and "positive" differ.
    pub basis: Vec<String>,
}

/// The headline score.
pub struct ScoreView {
    pub value: String,
    pub exact: String,
    pub band: &'static str,
    pub words: &'static str,
    pub interval: Option<(String, String)>,
    pub svg: String,
    pub shrunk: Option<String>,
}

fn positive_view(a: &Aggregate) -> Option<PositiveView> {
    let value = a.positive_percent?;
    let [lo, hi] = a.positive_interval.unwrap_or([value, value]);
    Some(PositiveView {
        value: view::num(value),
        label: a.label.unwrap_or_default().to_string(),
        certified: a.certified,
        lo: view::num(lo),
        hi: view::num(hi),
        favourable: a.favourable,
        svg: view::interval_svg(value, lo, hi, "positive"),
        basis: verdict_present::basis_line(a)
            .lines()
            .map(str::to_string)
            .collect(),
    })
}

fn score_view(a: &Aggregate) -> Option<ScoreView> {
    let score = a.score?;
    let band = a.band.unwrap_or(view::band(score));
    let [lo, hi] = a.score_interval.unwrap_or([score, score]);
    Some(ScoreView {
        value: view::whole(score),
        exact: view::num(score),
        band,
        words: view::band_words(band),
        interval: a
            .score_interval
            .map(|[lo, hi]| (view::num(lo), view::num(hi))),
        svg: view::interval_svg(score, lo, hi, &format!("b-{band}")),
        shrunk: a.shrunk_score.map(|s| match a.shrunk_interval {
            Some([lo, hi]) => format!(
                "{} (95 % {}–{})",
                view::num(s),
                view::num(lo),
                view::num(hi)
            ),
            None => view::num(s),
        }),
    })
}

// ------------------------------------------------------------ templates

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub title: String,
    pub q: String,
    pub films: String,
    pub reviews: String,
    pub recent: Vec<FilmCard>,
    pub year: Option<i32>,
    pub best: Vec<FilmCard>,
    pub years: Vec<i32>,
    pub latest: Vec<ReviewRow>,
}

#[derive(Template)]
#[template(path = "film.html")]
pub struct FilmPage {
    pub title: String,
    pub q: String,
    pub canonical: String,
    pub json_ld: String,
    pub api: String,
    pub film_title: String,
    pub year: Option<i32>,
    pub aliases: String,
    pub n: usize,
    pub n_text: String,
    pub has_inferred: bool,
    pub positive: Option<PositiveView>,
    pub score: Option<ScoreView>,
    pub counts: [usize; 4],
    /// Earlier reviews replaced by their writers' later ones.
    pub superseded: usize,
    /// The sites' own published aggregates ("Rotten Tomatoes: 94 % of
    /// 433"), shown beside Verdict's, never counted.
    pub published: Vec<String>,
    pub split_svg: String,
    pub histogram_svg: String,
    /// The critics' consensus drawn from the reviews; none below five
    /// judged reviews.
    pub consensus: Option<Vec<ConsensusSentence>>,
    pub reviews: Vec<ReviewRow>,
    /// "101–200 of 1234" when the reviews take several pages.
    pub shown: String,
    pub page: usize,
    pub pages: usize,
    pub prev: Option<usize>,
    pub next: Option<usize>,
    pub base: String,
}

/// A sentence of the critics' consensus, linked to its review's place on
/// the film's page.
pub struct ConsensusSentence {
    pub text: String,
    pub review_id: i64,
    /// `#review-ID` on this page, or `?page=N#review-ID` on another.
    pub href: String,
}

/// The consensus's sentences with their links: a review's anchor on the
/// page of the film's reviews that shows it.
fn consensus_sentences(
    doc: &verdict_present::FilmPage,
    page: usize,
    base: &str,
) -> Option<Vec<ConsensusSentence>> {
    let c = doc.consensus.as_ref()?;
    Some(
        c.sentences
            .iter()
            .map(|s| {
                let on = doc
                    .reviews
                    .iter()
                    .position(|r| r.id == s.review_id)
                    .map_or(page, |i| i / PER_FILM_PAGE + 1);
                ConsensusSentence {
                    text: s.text.clone(),
                    review_id: s.review_id,
                    href: if on == page {
                        format!("#review-{}", s.review_id)
                    } else {
                        format!("{base}?page={on}#review-{}", s.review_id)
                    },
                }
            })
            .collect(),
    )
}

#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub title: String,
    pub q: String,
    pub row: ReviewRow,
    pub film: Link,
    pub title_seen: String,
    pub paragraphs: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub rating_value: String,
    pub api: String,
}

#[derive(Template)]
#[template(path = "person.html")]
pub struct PersonPage {
    pub title: String,
    pub q: String,
    pub kind: &'static str,
    pub name: String,
    pub reviews: usize,
    pub films: String,
    pub mean: String,
    pub mean_band: &'static str,
    pub harshness: Option<HarshView>,
    pub rows: Vec<ReviewRow>,
    pub page: usize,
    pub pages: usize,
    pub show_pager: bool,
    pub prev: Option<usize>,
    pub next: Option<usize>,
    pub base: String,
    pub api: String,
}

/// A harshness offset in words.
pub struct HarshView {
    pub offset: String,
    pub mean_offset: String,
    pub reviews: String,
    pub films: String,
    pub words: &'static str,
    pub tone: &'static str,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub title: String,
    pub q: String,
    pub films: Vec<FilmCard>,
    pub critics: Vec<PersonCard>,
    pub outlets: Vec<PersonCard>,
}

/// A critic or outlet in a list.
pub struct PersonCard {
    pub href: String,
    pub name: String,
    pub count: String,
}

impl PersonCard {
    fn of(p: &Person, base: &str) -> PersonCard {
        PersonCard {
            href: format!("/{base}/{}", p.slug),
            name: p.name.clone(),
            count: view::count(p.reviews.len() as u64, "review"),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub title: String,
    pub q: String,
    pub status: u16,
    pub message: String,
}

/// A failure as an HTML page.
pub fn failure_page(f: Failure) -> Response {
    let page = ErrorPage {
        title: f.status.canonical_reason().unwrap_or("Error").to_string(),
        q: String::new(),
        status: f.status.as_u16(),
        message: f.message,
    };
    match page.render() {
        Ok(html) => respond::with_type(f.status, HTML, html.into()),
        Err(_) => (f.status, "error").into_response(),
    }
}

fn page(r: Result<Response, Failure>) -> Response {
    r.unwrap_or_else(failure_page)
}

// ------------------------------------------------------------- renders

/// The film page's HTML.
pub fn render_film(
    store: &dyn Store,
    s: &AppState,
    catalog: &Catalog,
    id: i64,
    page: usize,
) -> Result<Vec<u8>, Failure> {
    let film = store
        .film(id)?
        .ok_or_else(|| Failure::not_found("no such film"))?;
    let doc = verdict_present::film_page(store, &film)?;
    let pages = doc.reviews.len().div_ceil(PER_FILM_PAGE).max(1);
    let page = page.clamp(1, pages);
    let shown: Vec<&ReviewView> = doc
        .reviews
        .iter()
        .skip((page - 1) * PER_FILM_PAGE)
        .take(PER_FILM_PAGE)
        .collect();
    // The texts of the reviews shown: all at once for most films, one by
    // one when only a page of a long list is shown.
    let bodies: HashMap<i64, String> = if pages == 1 {
        store
            .reviews_of(id)?
            .into_iter()
            .map(|r| (r.id, r.body))
            .collect()
    } else {
        let mut bodies = HashMap::with_capacity(shown.len());
        for r in &shown {
            if let Some(stored) = store.review(r.id)? {
                bodies.insert(r.id, stored.body);
            }
        }
        bodies
    };
    let slug = catalog
        .film(id)
        .map(|f| f.slug.clone())
        .unwrap_or_else(|| id.to_string());
    let canonical = format!("/films/{slug}");
    let a = &doc.aggregate;
    let json_ld = json_ld(&doc, &s.config.absolute(&canonical));
    let page = FilmPage {
        title: match doc.film.year {
            Some(y) => format!("{} ({y})", doc.film.title),
            None => doc.film.title.clone(),
        },
        q: String::new(),
        api: format!("/api/films/{slug}"),
        canonical: s.config.absolute(&canonical),
        json_ld,
        film_title: doc.film.title.clone(),
        year: doc.film.year,
        aliases: doc.film.aliases.join(" · "),
        n: a.reviews,
        n_text: view::count(a.reviews as u64, "review"),
        has_inferred: a.inferred > 0,
        positive: positive_view(a),
        score: score_view(a),
        counts: [a.positive, a.mixed, a.negative, a.inferred],
        superseded: a.superseded,
        published: doc.published.iter().map(|p| p.summary.clone()).collect(),
        split_svg: view::split_svg(a.positive, a.mixed, a.negative),
        histogram_svg: view::histogram_svg(&a.histogram),
        consensus: consensus_sentences(&doc, page, &canonical),
        reviews: shown
            .iter()
            .map(|r| {
                let body = bodies.get(&r.id).map(String::as_str).unwrap_or("");
                ReviewRow::of(r, catalog, body, None)
            })
            .collect(),
        shown: if pages > 1 {
            format!(
                "{}–{} of {}",
                (page - 1) * PER_FILM_PAGE + 1,
                (page - 1) * PER_FILM_PAGE + shown.len(),
                doc.reviews.len()
            )
        } else {
            String::new()
        },
        page,
        pages,
        prev: (page > 1).then(|| page - 1),
        next: (page < pages).then(|| page + 1),
        base: canonical.clone(),
    };
    Ok(page.render()?.into_bytes())
}

/// schema.org `Movie` with its `AggregateRating`.
fn json_ld(doc: &verdict_present::FilmPage, url: &str) -> String {
    let a = &doc.aggregate;
    let mut movie = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": doc.film.title,
        "url": url,
    });
    if let Some(y) = doc.film.year {
        movie["dateCreated"] = y.to_string().into();
    }
    if !doc.film.aliases.is_empty() {
        movie["alternateName"] = doc.film.aliases.clone().into();
    }
    if let (Some(score), n) = (a.score, a.reviews)
        && n > 0
    {
        movie["aggregateRating"] = serde_json::json!({
            "@type": "AggregateRating",
            "ratingValue": score,
            "bestRating": 100,
            "worstRating": 0,
            "ratingCount": n,
            "reviewCount": n,
        });
    }
    view::script_json(&movie)
}

fn film_link(catalog: &Catalog, store: &dyn Store, film_id: i64) -> Result<Link, Failure> {
    if let Some(f) = catalog.film(film_id) {
        return Ok(Link {
            href: format!("/films/{}", f.slug),
            text: match f.doc.film.year {
                Some(y) => format!("{} ({y})", f.doc.film.title),
                None => f.doc.film.title.clone(),
            },
        });
    }
    let film = store.film(film_id)?;
    Ok(Link {
        href: format!("/films/{film_id}"),
        text: film.map(|f| f.title).unwrap_or_default(),
    })
}

/// A stored review with its row for the pages.
pub fn review_row(
    store: &dyn Store,
    catalog: &Catalog,
    r: &StoredReview,
) -> Result<(ReviewView, ReviewRow), Failure> {
    let doc = ReviewView::from(r);
    let film = film_link(catalog, store, r.film_id)?;
    let row = ReviewRow::of(&doc, catalog, &r.body, Some(film));
    Ok((doc, row))
}

fn render_review(store: &dyn Store, catalog: &Catalog, id: i64) -> Result<Vec<u8>, Failure> {
    let r = store
        .review(id)?
        .ok_or_else(|| Failure::not_found("no such review"))?;
    let (doc, row) = review_row(store, catalog, &r)?;
    let film = row.film.clone().unwrap_or(Link {
        href: String::new(),
        text: String::new(),
    });
    let paragraphs: Vec<String> = r
        .body
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let who = row
        .critic
        .as_ref()
        .or(row.outlet.as_ref())
        .map(|l| l.text.clone())
        .unwrap_or_else(|| "A critic".into());
    let page = ReviewPage {
        title: format!("{who} on {}", film.text),
        q: String::new(),
        title_seen: doc.title_seen.clone().unwrap_or_default(),
        paragraphs,
        diagnostics: doc.diagnostics.clone(),
        rating_value: doc
            .rating
            .as_ref()
            .map(|x| format!("{} / {}", view::num(x.value), view::num(x.best)))
            .unwrap_or_default(),
        api: format!("/api/reviews/{id}"),
        film,
        row,
    };
    Ok(page.render()?.into_bytes())
}

/// The review ids of one page of a person's reviews, newest first.
pub fn page_ids(p: &Person, page: usize) -> (Vec<i64>, usize) {
    let pages = p.reviews.len().div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let ids = p
        .reviews
        .iter()
        .rev()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .copied()
        .collect();
    (ids, pages)
}

pub fn harsh_view(p: &Person) -> Option<HarshView> {
    let h = p.harshness.as_ref()?;
    let (words, tone) = if h.shrunk_offset <= -1.0 {
        ("Harsher than the other critics of the same films", "harsh")
    } else if h.shrunk_offset >= 1.0 {
        ("Kinder than the other critics of the same films", "kind")
    } else {
        ("In line with the other critics of the same films", "even")
    };
    Some(HarshView {
        offset: view::signed(h.shrunk_offset),
        mean_offset: view::signed(h.mean_offset),
        reviews: view::count(h.reviews, "rated review"),
        films: view::count(h.films, "film"),
        words,
        tone,
    })
}

fn render_person(
    store: &dyn Store,
    catalog: &Catalog,
    kind: Kind,
    slug: &str,
    page: usize,
) -> Result<Vec<u8>, Failure> {
    let people = kind.people(catalog);
    let p = people
        .by_slug(slug)
        .ok_or_else(|| Failure::not_found(format!("no such {}", kind.word())))?;
    let (ids, pages) = page_ids(p, page);
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(r) = store.review(id)? {
            rows.push(review_row(store, catalog, &r)?.1);
        }
    }
    let page = PersonPage {
        title: p.name.clone(),
        q: String::new(),
        kind: kind.title(),
        name: p.name.clone(),
        reviews: p.reviews.len(),
        films: view::count(p.films, "film"),
        mean: p.mean_score.map_or("–".to_string(), view::num),
        mean_band: p.mean_score.map_or("unjudged", view::band),
        harshness: harsh_view(p),
        rows,
        page: page.clamp(1, pages),
        pages,
        show_pager: pages > 1,
        prev: (page.clamp(1, pages) > 1).then(|| page.clamp(1, pages) - 1),
        next: (page.clamp(1, pages) < pages).then(|| page.clamp(1, pages) + 1),
        base: format!("/{}/{}", kind.path(), p.slug),
        api: format!("/api/{}/{}", kind.path(), p.slug),
    };
    Ok(page.render()?.into_bytes())
}

/// Critics or outlets.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Critic,
    Outlet,
}

impl Kind {
    pub fn people(self, c: &Catalog) -> &crate::catalog::People {
        match self {
            Kind::Critic => &c.critics,
            Kind::Outlet => &c.outlets,
        }
    }
    pub fn path(self) -> &'static str {
        match self {
            Kind::Critic => "critics",
            Kind::Outlet => "outlets",
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            Kind::Critic => "critic",
            Kind::Outlet => "outlet",
        }
    }
    fn title(self) -> &'static str {
        match self {
            Kind::Critic => "Critic",
            Kind::Outlet => "Outlet",
        }
    }
}

fn render_home(
    store: &dyn Store,
    catalog: &Catalog,
    year: Option<i32>,
) -> Result<Vec<u8>, Failure> {
    let years = catalog.years();
    let this_year = chrono::Utc::now()
        .naive_utc()
        .date()
        .format("%Y")
        .to_string();
    let this_year: i32 = this_year.parse().unwrap_or(i32::MAX);
    let year = year.or_else(|| years.iter().copied().find(|&y| y <= this_year));
    let mut latest = Vec::new();
    for &id in catalog.recent_reviews.iter().take(6) {
        if let Some(r) = store.review(id)? {
            let mut row = review_row(store, catalog, &r)?.1;
            // Compact on the home page: the film page has the evidence.
            row.evidence.clear();
            row.excerpt = view::excerpt(&r.body, 160);
            latest.push(row);
        }
    }
    let page = HomePage {
        title: "Critics' verdicts".into(),
        q: String::new(),
        films: view::count(catalog.films.len() as u64, "film"),
        reviews: view::count(catalog.reviews, "review"),
        recent: catalog
            .recently_reviewed(12)
            .into_iter()
            .map(FilmCard::of)
            .collect(),
        best: year
            .map(|y| catalog.best_of(y, 5, 10))
            .unwrap_or_default()
            .into_iter()
            .map(FilmCard::of)
            .collect(),
        year,
        years: years.into_iter().take(12).collect(),
        latest,
    };
    Ok(page.render()?.into_bytes())
}

/// What a search finds, all of it: films by title or alternative title,
/// critics and outlets by name (the page shows the first
/// [`SEARCH_LIMIT`] of each; the API gives them a page at a time).
pub struct Found<'a> {
    pub films: Vec<&'a FilmEntry>,
    pub critics: Vec<&'a Person>,
    pub outlets: Vec<&'a Person>,
}

pub const SEARCH_LIMIT: usize = 50;

pub fn search_in<'a>(
    store: &dyn Store,
    catalog: &'a Catalog,
    q: &str,
) -> Result<Found<'a>, Failure> {
    let films = verdict_present::find_films(store, q)?
        .iter()
        .filter_map(|f| catalog.film(f.id))
        .collect();
    Ok(Found {
        films,
        critics: catalog.critics.search(q, usize::MAX),
        outlets: catalog.outlets.search(q, usize::MAX),
    })
}

fn render_search(store: &dyn Store, catalog: &Catalog, q: &str) -> Result<Vec<u8>, Failure> {
    let mut found = search_in(store, catalog, q)?;
    found.films.truncate(SEARCH_LIMIT);
    found.critics.truncate(SEARCH_LIMIT);
    found.outlets.truncate(SEARCH_LIMIT);
    let page = SearchPage {
        title: if q.is_empty() {
            "Search".into()
        } else {
            format!("Search: {q}")
        },
        q: q.to_string(),
        films: found.films.into_iter().map(FilmCard::of).collect(),
        critics: found
            .critics
            .into_iter()
            .map(|p| PersonCard::of(p, "critics"))
            .collect(),
        outlets: found
            .outlets
            .into_iter()
            .map(|p| PersonCard::of(p, "outlets"))
            .collect(),
    };
    Ok(page.render()?.into_bytes())
}

// ------------------------------------------------------------- handlers

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    pub page: Option<usize>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
}

pub async fn home(State(s): State<AppState>, gz: Gzip, Query(q): Query<YearQuery>) -> Response {
    let key = format!("home/{:?}", q.year);
    page(
        respond::cached(&s, key, HTML, gz, move |store, _, c| {
            render_home(store, c, q.year)
        })
        .await,
    )
}

/// Where a film slug leads.
pub enum FilmRef {
    Id(i64),
    /// Another spelling of a known film: its canonical slug.
    Moved(String),
}

/// Finds the film a slug names: a current slug; a film id leads to the
/// film's slug (or, for a film too new for the catalog, is served as it
/// is). Slugs are never bare numbers, so the two cannot be confused.
pub fn resolve_film(catalog: &Catalog, slug: &str) -> Option<FilmRef> {
    if let Some(f) = catalog.film_by_slug(slug) {
        return Some(FilmRef::Id(f.doc.film.id));
    }
    if !slug.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id: i64 = slug.parse().ok()?;
    Some(match catalog.film(id) {
        Some(f) => FilmRef::Moved(f.slug.clone()),
        None => FilmRef::Id(id),
    })
}

/// The cache keys of a film's pages and API answer start with these.
pub fn film_keys(id: i64) -> Vec<String> {
    vec![format!("film/{id}/"), format!("api/film/{id}/")]
}

pub async fn film(
    State(s): State<AppState>,
    gz: Gzip,
    Path(slug): Path<String>,
    Query(p): Query<PageQuery>,
) -> Response {
    let catalog = s.catalog();
    let n = p.page.unwrap_or(1).max(1);
    match resolve_film(&catalog, &slug) {
        Some(FilmRef::Id(id)) => page(
            respond::cached(
                &s,
                format!("film/{id}/{n}"),
                HTML,
                gz,
                move |store, s, c| render_film(store, s, c, id, n),
            )
            .await,
        ),
        Some(FilmRef::Moved(to)) => Redirect::permanent(&format!("/films/{to}")).into_response(),
        None => failure_page(Failure::not_found("no such film")),
    }
}

pub async fn review(State(s): State<AppState>, gz: Gzip, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return failure_page(Failure::not_found("no such review"));
    };
    page(
        respond::cached(&s, format!("review/{id}"), HTML, gz, move |store, _, c| {
            render_review(store, c, id)
        })
        .await,
    )
}

async fn person(s: AppState, gz: Gzip, kind: Kind, slug: String, p: PageQuery) -> Response {
    let n = p.page.unwrap_or(1);
    let key = format!("{}/{slug}/{n}", kind.path());
    page(
        respond::cached(&s, key, HTML, gz, move |store, _, c| {
            render_person(store, c, kind, &slug, n)
        })
        .await,
    )
}

pub async fn critic(
    State(s): State<AppState>,
    gz: Gzip,
    Path(slug): Path<String>,
    Query(p): Query<PageQuery>,
) -> Response {
    person(s, gz, Kind::Critic, slug, p).await
}

pub async fn outlet(
    State(s): State<AppState>,
    gz: Gzip,
    Path(slug): Path<String>,
    Query(p): Query<PageQuery>,
) -> Response {
    person(s, gz, Kind::Outlet, slug, p).await
}

pub async fn search(State(s): State<AppState>, gz: Gzip, Query(q): Query<SearchQuery>) -> Response {
    let q = q.q.trim().chars().take(200).collect::<String>();
    let key = format!("search/{q}");
    page(
        respond::cached(&s, key, HTML, gz, move |store, _, c| {
            render_search(store, c, &q)
        })
        .await,
    )
}

pub async fn stylesheet() -> Response {
    let mut res = respond::with_type(StatusCode::OK, CSS, STYLESHEET.into());
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=86400"),
    );
    res
}

/// 404: an HTML page, or JSON under `/api/`.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        Failure::not_found("no such resource").json()
    } else {
        failure_page(Failure::not_found("no such page"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_view_shows_the_aggregates_favourable_count() {
        let a = verdict_aggregate::aggregate([80.0, 90.0, 70.0, 65.0, 95.0].map(|score| {
            verdict_aggregate::Scored {
                score,
                verdict: verdict_core::Verdict::from_score(score),
                inferred: false,
            }
        }));
        let p = positive_view(&a).unwrap();
        assert_eq!(
            (p.value.as_str(), p.lo.as_str(), p.favourable),
            ("100", "56.6", 5)
        );
        let s = score_view(&a).unwrap();
        let (lo, hi) = s.interval.unwrap();
        assert!(lo.parse::<f64>().unwrap() < 80.0 && hi.parse::<f64>().unwrap() > 80.0);
        assert!(positive_view(&verdict_aggregate::aggregate([])).is_none());
    }
}
