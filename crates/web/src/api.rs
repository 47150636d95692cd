//! The JSON API: the same data as the pages, in the JSON contract of the
//! command line (`verdict show --json`, `verdict films --json`), plus the
//! write endpoint. Described by the OpenAPI document at `/openapi.json`.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use verdict_present::Outcome;
use verdict_source::RawDocument;
use verdict_store::{Removal, Removed, Store, StoreError};

use crate::catalog::{Catalog, FilmEntry, Person};
use crate::pages::{self, FilmRef, Kind, SearchQuery};
use crate::respond::{self, Failure, Gzip, JSON};
use crate::state::AppState;

/// How long a write waits for the derived data and the catalog to be
/// rebuilt before answering.
const REFRESH_PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

/// The OpenAPI document.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Every API route, as `(method, path)` in the router's syntax; the
/// OpenAPI document describes exactly these (a test checks both ways).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/status"),
    ("GET", "/api/films"),
    ("GET", "/api/films/{slug}"),
    ("GET", "/api/reviews/{id}"),
    ("POST", "/api/reviews"),
    ("DELETE", "/api/reviews/{id}"),
    ("DELETE", "/api/films/{slug}"),
    ("DELETE", "/api/runs/{id}"),
    ("GET", "/api/critics/{slug}"),
    ("GET", "/api/outlets/{slug}"),
    ("GET", "/api/search"),
    ("GET", "/openapi.json"),
    ("GET", "/feed.xml"),
];

fn api(r: Result<Response, Failure>) -> Response {
    r.unwrap_or_else(Failure::json)
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    respond::with_type(status, JSON, value.to_string().into())
}

fn film_ref(f: &FilmEntry) -> Value {
    json!({
        "id": f.doc.film.id,
        "title": f.doc.film.title,
        "year": f.doc.film.year,
        "slug": f.slug,
        "url": format!("/films/{}", f.slug),
    })
}

/// `{film, aggregate}` as `verdict films --json` gives it, with `slug` and
/// `url`.
fn film_summary(f: &FilmEntry) -> Value {
    let mut v: Value = serde_json::to_value(&f.doc).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("slug".into(), f.slug.clone().into());
        o.insert("url".into(), format!("/films/{}", f.slug).into());
    }
    v
}

fn person_json(p: &Person, kind: Kind) -> Value {
    json!({
        "name": p.name,
        "slug": p.slug,
        "url": format!("/{}/{}", kind.path(), p.slug),
        "reviews": p.reviews.len(),
        "films": p.films,
        "mean_score": p.mean_score.map(|m| (m * 10.0).round() / 10.0),
        "harshness": p.harshness.as_ref().map(|h| json!({
            "offset": (h.shrunk_offset * 10.0).round() / 10.0,
            "mean_offset": (h.mean_offset * 10.0).round() / 10.0,
            "reviews": h.reviews,
            "films": h.films,
        })),
    })
}

pub async fn status(State(s): State<AppState>) -> Response {
    let c = s.catalog();
    json_response(
        StatusCode::OK,
        &json!({
            "films": c.films.len(),
            "reviews": c.reviews,
            "max_review_id": c.state.max_review_id,
            "catalog_built_ms": c.built_in.as_millis() as u64,
            "writes": s.config.token.is_some(),
        }),
    )
}

/// Where a list starts and how much of it to give: `?offset=&limit=` on
/// every list (`?page=` too on critics and outlets, counted in `limit`s).
#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub offset: Option<usize>,
    pub limit: Option<usize>,
    pub page: Option<usize>,
}

/// The most items one answer holds.
const MAX_LIMIT: usize = 1000;

impl ListQuery {
    /// `(offset, limit)`, with `default_limit` when none is asked.
    fn window(&self, default_limit: usize) -> (usize, usize) {
        let limit = self.limit.unwrap_or(default_limit).clamp(1, MAX_LIMIT);
        let offset = match (self.offset, self.page) {
            (Some(o), _) => o,
            (None, Some(p)) => p.max(1).saturating_sub(1).saturating_mul(limit),
            (None, None) => 0,
        };
        (offset, limit)
    }
}

/// The one shape of every list the API gives: `{total, offset, limit,
/// items}`, `items` the `limit` (at most) from `offset` of `total`.
fn list<T>(
    all: impl ExactSizeIterator<Item = T>,
    (offset, limit): (usize, usize),
    item: impl FnMut(T) -> Value,
) -> Value {
    let total = all.len();
    let items: Vec<Value> = all.skip(offset).take(limit).map(item).collect();
    json!({ "total": total, "offset": offset, "limit": limit, "items": items })
}

/// Films in title order, a page at a time.
pub async fn films(State(s): State<AppState>, Query(q): Query<ListQuery>) -> Response {
    let c = s.catalog();
    json_response(
        StatusCode::OK,
        &list(c.films.iter(), q.window(100), film_summary),
    )
}

/// One film: `verdict show --json`.
pub async fn film(State(s): State<AppState>, gz: Gzip, Path(slug): Path<String>) -> Response {
    let catalog = s.catalog();
    let id = match pages::resolve_film(&catalog, &slug) {
        Some(FilmRef::Id(id)) => id,
        Some(FilmRef::Moved(to)) => match catalog.film_by_slug(&to) {
            Some(f) => f.doc.film.id,
            None => return Failure::not_found("no such film").json(),
        },
        None => return Failure::not_found("no such film").json(),
    };
    api(respond::cached(
        &s,
        format!("api/film/{id}/"),
        JSON,
        gz,
        move |store, _, _| {
            let film = store
                .film(id)?
                .ok_or_else(|| Failure::not_found("no such film"))?;
            Ok(serde_json::to_vec(&verdict_present::film_page(
                store, &film,
            )?)?)
        },
    )
    .await)
}

fn review_json(
    store: &dyn Store,
    catalog: &Catalog,
    r: &verdict_store::StoredReview,
) -> Result<Value, Failure> {
    let film = match catalog.film(r.film_id) {
        Some(f) => film_ref(f),
        None => {
            let f = store.film(r.film_id)?;
            json!({
                "id": r.film_id,
                "title": f.as_ref().map(|f| f.title.clone()),
                "year": f.and_then(|f| f.year),
                "url": format!("/films/{}", r.film_id),
            })
        }
    };
    Ok(json!({
        "film": film,
        "review": verdict_present::ReviewView::from(r),
        "url": format!("/reviews/{}", r.id),
    }))
}

/// One review with its film and its text.
pub async fn review(State(s): State<AppState>, gz: Gzip, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return Failure::not_found("no such review").json();
    };
    api(respond::cached(
        &s,
        format!("api/review/{id}"),
        JSON,
        gz,
        move |store, _, c| {
            let r = store
                .review(id)?
                .ok_or_else(|| Failure::not_found("no such review"))?;
            let mut v = review_json(store, c, &r)?;
            v["body"] = r.body.clone().into();
            Ok(serde_json::to_vec(&v)?)
        },
    )
    .await)
}

/// A critic or an outlet, and their reviews newest first, a page at a
/// time: the person's numbers, then `{total, offset, limit, items}`.
async fn person(s: AppState, gz: Gzip, kind: Kind, slug: String, q: ListQuery) -> Response {
    let (offset, limit) = q.window(pages::PER_PAGE);
    let key = format!("api/{}/{slug}/{offset}/{limit}", kind.path());
    api(respond::cached(&s, key, JSON, gz, move |store, _, c| {
        let person = kind
            .people(c)
            .by_slug(&slug)
            .ok_or_else(|| Failure::not_found(format!("no such {}", kind.word())))?;
        let mut reviews = Vec::with_capacity(limit);
        for &id in person.reviews.iter().rev().skip(offset).take(limit) {
            if let Some(r) = store.review(id)? {
                reviews.push(review_json(store, c, &r)?);
            }
        }
        let mut v = person_json(person, kind);
        v["total"] = person.reviews.len().into();
        v["offset"] = offset.into();
        v["limit"] = limit.into();
        v["items"] = reviews.into();
        Ok(serde_json::to_vec(&v)?)
    })
    .await)
}

pub async fn critic(
    State(s): State<AppState>,
    gz: Gzip,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    person(s, gz, Kind::Critic, slug, q).await
}

pub async fn outlet(
    State(s): State<AppState>,
    gz: Gzip,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    person(s, gz, Kind::Outlet, slug, q).await
}

/// Films, critics and outlets a query names: each a list of the one
/// shape, `?offset=&limit=` applying to each.
pub async fn search(
    State(s): State<AppState>,
    gz: Gzip,
    Query(q): Query<SearchQuery>,
    Query(l): Query<ListQuery>,
) -> Response {
    let q = q.q.trim().chars().take(200).collect::<String>();
    let window = l.window(pages::SEARCH_LIMIT);
    let key = format!("api/search/{}/{}/{q}", window.0, window.1);
    api(respond::cached(&s, key, JSON, gz, move |store, _, c| {
        let found = pages::search_in(store, c, &q)?;
        let v = json!({
            "query": q,
            "films": list(found.films.into_iter(), window, film_summary),
            "critics": list(found.critics.into_iter(), window, |p| person_json(p, Kind::Critic)),
            "outlets": list(found.outlets.into_iter(), window, |p| person_json(p, Kind::Outlet)),
        });
        Ok(serde_json::to_vec(&v)?)
    })
    .await)
}

pub async fn openapi() -> Response {
    respond::with_type(StatusCode::OK, JSON, OPENAPI.into())
}

// ---------------------------------------------------------------- writes

/// Compares in time independent of where the strings differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks `Authorization: Bearer <token>` against the configured token.
fn authorize(s: &AppState, headers: &HeaderMap) -> Result<(), Failure> {
    let Some(token) = s.config.token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(Failure::new(
            StatusCode::FORBIDDEN,
            "writes are disabled: the server has no token (--token, VERDICT_TOKEN or the config file)",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if same_secret(g.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            "a valid token is needed: Authorization: Bearer <token>",
        )),
    }
}

#[derive(Deserialize)]
struct JsonDocument {
    /// A page to fetch.
    url: Option<String>,
    /// A document's text.
    text: Option<String>,
    /// What to name the document (a path or URL it came from).
    source: Option<String>,
}

#[derive(Deserialize)]
pub struct SourceQuery {
    pub source: Option<String>,
}

/// Ingests one document: the request body itself (any text format the
/// pipeline reads), or JSON `{"text": …, "source": …}`, or JSON `{"url":
/// …}` for a page to fetch (public addresses only).
pub async fn ingest(
    State(s): State<AppState>,
    Query(q): Query<SourceQuery>,
    request: Request,
) -> Response {
    api(ingest_inner(s, q, request).await)
}

async fn ingest_inner(s: AppState, q: SourceQuery, request: Request) -> Result<Response, Failure> {
    authorize(&s, request.headers())?;
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = read_body(request.into_body(), s.config.body_limit).await?;
    if bytes.is_empty() {
        return Err(Failure::new(StatusCode::BAD_REQUEST, "the body is empty"));
    }
    let document = if is_json {
        let doc: JsonDocument = serde_json::from_slice(&bytes)
            .map_err(|e| Failure::new(StatusCode::BAD_REQUEST, format!("bad JSON: {e}")))?;
        match (doc.url, doc.text) {
            (Some(url), None) => {
                // On the blocking pool, without holding a read connection.
                let fetcher = s.clone();
                tokio::task::spawn_blocking(move || fetcher.fetcher.document(&url))
                    .await
                    .map_err(Failure::internal)?
                    .map_err(|e| Failure::new(StatusCode::BAD_GATEWAY, e.to_string()))?
            }
            (None, Some(text)) => RawDocument::new(
                doc.source.or(q.source).unwrap_or_else(|| "api".into()),
                text.into_bytes(),
            ),
            _ => {
                return Err(Failure::new(
                    StatusCode::BAD_REQUEST,
                    "give either \"url\" or \"text\"",
                ));
            }
        }
    } else {
        RawDocument::new(q.source.unwrap_or_else(|| "api".into()), bytes.to_vec())
            .with_content_type(content_type)
    };
    let outcome = s
        .write(move |store, s| s.domain.ingest(store, &document))
        .await?;
    let (status, review_id, film_id) = match &outcome {
        Outcome::Failed { .. } => (StatusCode::UNPROCESSABLE_ENTITY, None, None),
        // a review, or a listing page's reviews
        _ => {
            let first = outcome.first_review();
            let status = if outcome.stored_any() {
                for film_id in outcome.films_written() {
                    s.forget(&pages::film_keys(film_id));
                }
                // The statistics and the cross-film pages follow: wait for
                // them when that is quick (small databases); it goes on
                // regardless.
                s.written(REFRESH_PATIENCE).await;
                StatusCode::CREATED
            } else if first.is_some() {
                StatusCode::OK
            } else {
                // a listing none of whose items could be stored
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (status, first.map(|f| f.0), first.map(|f| f.1))
        }
    };
    let mut v = serde_json::to_value(&outcome)?;
    if let Some(id) = review_id {
        v["review_url"] = format!("/reviews/{id}").into();
    }
    if let Some(id) = film_id {
        let c = s.catalog();
        v["film_url"] = match c.film(id) {
            Some(f) => format!("/films/{}", f.slug),
            None => format!("/films/{id}"),
        }
        .into();
    }
    Ok(json_response(status, &v))
}

/// Reads a body up to `limit` bytes; more is 413.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, Failure> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            || e.to_string().contains("length limit");
        if too_large {
            Failure::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is larger than {limit} bytes"),
            )
        } else {
            Failure::new(
                StatusCode::BAD_REQUEST,
                format!("cannot read the body: {e}"),
            )
        }
    })
}

// -------------------------------------------------------------- removals

/// Reviews a removal forgets the cached pages of one by one; past this,
/// every cached page is forgotten.
const FORGET_ONE_BY_ONE: usize = 100;

#[derive(Deserialize)]
pub struct RemoveQuery {
    /// List what would be removed, and change nothing.
    pub dry_run: Option<bool>,
}

/// `DELETE /api/reviews/{id}`: one review (its film too, when it was the
/// film's last).
pub async fn remove_review(
    State(s): State<AppState>,
    Query(q): Query<RemoveQuery>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    api(remove_by_id(
        &s,
        q,
        &headers,
        &id,
        |id| Removal::Reviews(vec![id]),
        "no such review",
    )
    .await)
}

/// A removal named by a numeric id in the path (a review's, a run's).
async fn remove_by_id(
    s: &AppState,
    q: RemoveQuery,
    headers: &HeaderMap,
    id: &str,
    what: fn(i64) -> Removal,
    missing: &'static str,
) -> Result<Response, Failure> {
    authorize(s, headers)?;
    let id = id.parse::<i64>().map_err(|_| Failure::not_found(missing))?;
    let dry_run = q.dry_run.unwrap_or(false);
    remove(s, what(id), dry_run, missing).await
}

/// `DELETE /api/films/{slug}`: a film and every review of it.
pub async fn remove_film(
    State(s): State<AppState>,
    Query(q): Query<RemoveQuery>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    api(remove_film_inner(&s, q, &headers, &slug).await)
}

async fn remove_film_inner(
    s: &AppState,
    q: RemoveQuery,
    headers: &HeaderMap,
    slug: &str,
) -> Result<Response, Failure> {
    authorize(s, headers)?;
    let id = {
        let catalog = s.catalog();
        match pages::resolve_film(&catalog, slug) {
            Some(FilmRef::Id(id)) => id,
            Some(FilmRef::Moved(to)) => catalog
                .film_by_slug(&to)
                .map(|f| f.doc.film.id)
                .ok_or_else(|| Failure::not_found("no such film"))?,
            None => return Err(Failure::not_found("no such film")),
        }
    };
    let dry_run = q.dry_run.unwrap_or(false);
    remove(s, Removal::Film(id), dry_run, "no such film").await
}

/// `DELETE /api/runs/{id}`: every review one run stored (an `ingest`, an
/// `import`, a `sync`, a document posted here).
pub async fn remove_run(
    State(s): State<AppState>,
    Query(q): Query<RemoveQuery>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    api(remove_by_id(&s, q, &headers, &id, Removal::Run, "no such run").await)
}

/// Runs a removal (or, dry, says what it would take) with the writer,
/// then forgets the cached pages it touched and brings the statistics and
/// the catalog up to date. Answers what went.
async fn remove(
    s: &AppState,
    what: Removal,
    dry_run: bool,
    missing: &'static str,
) -> Result<Response, Failure> {
    let is_run = matches!(what, Removal::Run(_));
    let removed = s
        .write(move |store, _| {
            if dry_run {
                store.removal(&what)
            } else {
                store.remove(&what)
            }
        })
        .await?;
    let removed: Removed = match removed {
        Ok(r) => r,
        Err(StoreError::NotFound { .. }) => return Err(Failure::not_found(missing)),
        Err(e) => return Err(e.into()),
    };
    if is_run && removed.reviews.is_empty() {
        return Err(Failure::not_found(
            "nothing to remove: the run's reviews were removed already, or it stored none",
        ));
    }
    if !dry_run {
        let mut keys: Vec<String> = removed
            .films
            .iter()
            .flat_map(|f| pages::film_keys(f.film_id))
            .collect();
        if removed.reviews.len() <= FORGET_ONE_BY_ONE {
            keys.extend(
                removed
                    .reviews
                    .iter()
                    .flat_map(|id| [format!("review/{id}"), format!("api/review/{id}")]),
            );
        } else {
            keys = vec![String::new()];
        }
        s.forget(&keys);
        s.written(REFRESH_PATIENCE).await;
    }
    let films: Vec<Value> = removed
        .films
        .iter()
        .map(|f| {
            json!({
                "id": f.film_id,
                "title": f.title,
                "year": f.year,
                "reviews": f.reviews,
                "left": f.left,
                "removed": f.film_removed(),
            })
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({ "dry_run": dry_run, "reviews": removed.reviews, "films": films }),
    ))
}
