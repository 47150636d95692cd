//! The JSON API: the same data as the pages, in the JSON contract of the
//! command line (`verdict show --json`, `verdict films --json`), plus the
//! write endpoint. Described by the OpenAPI document at `/openapi.json`.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::Arc;
use verdict_fetch::FetchError;
use verdict_present::Outcome;
use verdict_source::RawDocument;
use verdict_store::{Removal, Removed, Store, StoreError};

use crate::Ticket;
use crate::catalog::{Catalog, FilmEntry, Person};
use crate::pages::{self, FilmRef, Kind};
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

/// A query string the API reads: one it cannot read (a value of the wrong
/// type, a required parameter missing) is answered 400 with the JSON error
/// every API failure has, naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(bad_request(format!(
                "bad query string: {}",
                rejection
                    .body_text()
                    .trim_start_matches("Failed to deserialize query string: ")
            ))),
        }
    }
}

fn bad_request(message: impl Into<String>) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, message)
}

/// Where a list starts and how much of it to give: `?offset=&limit=` on
/// every list (`?page=` too on critics and outlets, counted in `limit`s).
/// A value out of its range is refused (400), never quietly changed.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default, deserialize_with = "count")]
    pub offset: Option<usize>,
    #[serde(default, deserialize_with = "count")]
    pub limit: Option<usize>,
    #[serde(default, deserialize_with = "count")]
    pub page: Option<usize>,
}

/// A count in a query string: decimal digits, however many (an offset past
/// every list is an empty page, not an error: it saturates).
fn count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    let s = String::deserialize(d)?;
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(serde::de::Error::custom(format!(
            "{s:?} is not a non-negative integer"
        )));
    }
    Ok(Some(s.parse().unwrap_or(usize::MAX)))
}

/// The most items one answer holds.
const MAX_LIMIT: usize = 1000;

impl ListQuery {
    /// `(offset, limit)`, with `default_limit` when none is asked; a
    /// `limit` out of 1..=1000 or a `page` of 0 is a 400.
    fn window(&self, default_limit: usize) -> Result<(usize, usize), Failure> {
        let limit = self.limit.unwrap_or(default_limit);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(bad_request(format!(
                "bad query string: limit must be from 1 to {MAX_LIMIT}, not {limit}"
            )));
        }
        if self.page == Some(0) {
            return Err(bad_request("bad query string: page counts from 1, not 0"));
        }
        let offset = match (self.offset, self.page) {
            (Some(o), _) => o,
            (None, Some(p)) => p.saturating_sub(1).saturating_mul(limit),
            (None, None) => 0,
        };
        Ok((offset, limit))
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
pub async fn films(State(s): State<AppState>, ApiQuery(q): ApiQuery<ListQuery>) -> Response {
    let window = match q.window(100) {
        Ok(w) => w,
        Err(f) => return f.json(),
    };
    let c = s.catalog();
    json_response(StatusCode::OK, &list(c.films.iter(), window, film_summary))
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
    let (offset, limit) = match q.window(pages::PER_PAGE) {
        Ok(w) => w,
        Err(f) => return f.json(),
    };
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
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    person(s, gz, Kind::Critic, slug, q).await
}

pub async fn outlet(
    State(s): State<AppState>,
    gz: Gzip,
    Path(slug): Path<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Response {
    person(s, gz, Kind::Outlet, slug, q).await
}

/// What `/api/search` is asked: `q` is required (it may be empty).
#[derive(Deserialize)]
pub struct ApiSearchQuery {
    pub q: String,
}

/// Films, critics and outlets a query names: each a list of the one
/// shape, `?offset=&limit=` applying to each.
pub async fn search(
    State(s): State<AppState>,
    gz: Gzip,
    ApiQuery(q): ApiQuery<ApiSearchQuery>,
    ApiQuery(l): ApiQuery<ListQuery>,
) -> Response {
    let q = q.q.trim().chars().take(200).collect::<String>();
    let window = match l.window(pages::SEARCH_LIMIT) {
        Ok(w) => w,
        Err(f) => return f.json(),
    };
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
/// The scheme is matched in any case (`bearer`, `BEARER`: RFC 9110 §11.1);
/// a 401 names it in `WWW-Authenticate` (RFC 6750 §3).
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
        .and_then(bearer_token);
    match given {
        Some(g) if same_secret(g.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(Failure::unauthorized(
            "a valid token is needed: Authorization: Bearer <token>",
            given.is_some(),
        )),
    }
}

/// The token of an `Authorization` value of the Bearer scheme, whatever
/// the scheme's case: `Bearer TOKEN`, `bearer TOKEN`.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once([' ', '\t'])?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A posted JSON document: exactly `{"url"}` or `{"text"[, "source"]}`,
/// each a string (the OpenAPI document's `IngestRequest`). Anything else
/// (another JSON type, a `null`, an unknown or a missing field) is a 400.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonDocument {
    /// A page to fetch.
    #[serde(default, deserialize_with = "string")]
    url: Option<String>,
    /// A document's text.
    #[serde(default, deserialize_with = "string")]
    text: Option<String>,
    /// What to name the document (a path or URL it came from).
    #[serde(default, deserialize_with = "string")]
    source: Option<String>,
}

/// A field that, when present, is a string (`null` is not).
fn string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

impl JsonDocument {
    /// Reads a JSON body: an object of the one shape or the other.
    fn read(bytes: &[u8]) -> Result<JsonDocument, Failure> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| bad_request(format!("bad JSON: {e}")))?;
        if !value.is_object() {
            return Err(bad_request(
                "bad JSON: the body must be an object, {\"url\": …} or {\"text\": …, \"source\": …}",
            ));
        }
        let doc: JsonDocument =
            serde_json::from_value(value).map_err(|e| bad_request(format!("bad JSON: {e}")))?;
        match (&doc.url, &doc.text, &doc.source) {
            (Some(url), None, None) if is_http_url(url) => Ok(doc),
            (Some(url), None, None) => Err(bad_request(format!(
                "bad JSON: \"url\" must be an http:// or https:// URL, not {url:?}"
            ))),
            (None, Some(text), _) if !text.is_empty() => Ok(doc),
            (None, Some(_), _) => Err(bad_request("bad JSON: \"text\" is empty")),
            (Some(_), None, Some(_)) => Err(bad_request(
                "bad JSON: \"source\" names a posted text; a URL names itself",
            )),
            _ => Err(bad_request(
                "bad JSON: give either \"url\" or \"text\" (with an optional \"source\")",
            )),
        }
    }
}

/// Whether a string starts as the `url` of a posted document must
/// (`http://` or `https://`, in any case): what the OpenAPI document's
/// pattern says; the fetcher checks the rest.
fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

#[derive(Deserialize)]
pub struct SourceQuery {
    pub source: Option<String>,
}

/// Ingests one document: the request body itself (any text format the
/// pipeline reads), or JSON `{"text": …, "source": …}`, or JSON `{"url":
/// …}` for a page to fetch (public addresses only). Within the request
/// timeout, or 408 and nothing stored (a write that ran out of time commits nothing).
pub async fn ingest(
    State(s): State<AppState>,
    q: Result<ApiQuery<SourceQuery>, Failure>,
    request: Request,
) -> Response {
    let write = Write::begin(&s);
    api(ingest_inner(s, q, request, write).await)
}

/// A write's time: it must be done by the request timeout, or it answers
/// 408 and writes nothing. The router leaves writes out of its own
/// timeout (which would answer 408 while the write went on behind it):
/// a write bounds its reading (the body, a fetch) itself, and abandons its
/// [`Ticket`] at the deadline unless it is committing, which it then waits
/// for. A request dropped (its client gone) abandons its ticket too.
pub(crate) struct Write {
    deadline: tokio::time::Instant,
    ticket: Arc<Ticket>,
}

impl Write {
    fn begin(s: &AppState) -> Write {
        Write {
            deadline: tokio::time::Instant::now() + s.config.request_timeout,
            ticket: Arc::new(Ticket::new()),
        }
    }

    fn timed_out() -> Failure {
        Failure::new(
            StatusCode::REQUEST_TIMEOUT,
            "the request took too long; nothing was written",
        )
    }

    /// `step` (reading what is to be written) by the deadline, or 408.
    async fn before<T>(&self, step: impl Future<Output = T>) -> Result<T, Failure> {
        tokio::time::timeout_at(self.deadline, step)
            .await
            .map_err(|_| Write::timed_out())
    }

    /// Runs `f` with the writer and this write's ticket; 408 when the
    /// deadline passes before it has begun to commit.
    async fn run<T, F>(&self, s: &AppState, f: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store, &AppState, &Ticket) -> T + Send + 'static,
    {
        let ticket = self.ticket.clone();
        let write = s.write(move |store, s| f(store, s, &ticket));
        tokio::pin!(write);
        tokio::select! {
            done = &mut write => Ok(done?),
            () = tokio::time::sleep_until(self.deadline) => {
                if self.ticket.abandon() {
                    Err(Write::timed_out())
                } else {
                    // committing: its outcome is the answer
                    Ok(write.await?)
                }
            }
        }
    }
}

impl Drop for Write {
    fn drop(&mut self) {
        self.ticket.abandon();
    }
}

async fn ingest_inner(
    s: AppState,
    q: Result<ApiQuery<SourceQuery>, Failure>,
    request: Request,
    write: Write,
) -> Result<Response, Failure> {
    authorize(&s, request.headers())?;
    // Read after the token: a request without one learns nothing more.
    let ApiQuery(q) = q?;
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_json_type);
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = write
        .before(read_body(request.into_body(), s.config.body_limit))
        .await??;
    if bytes.is_empty() {
        return Err(Failure::new(StatusCode::BAD_REQUEST, "the body is empty"));
    }
    let document = if is_json {
        let doc = JsonDocument::read(&bytes)?;
        match (doc.url, doc.text) {
            (Some(url), _) => {
                // On the blocking pool, without holding a read connection.
                let fetcher = s.clone();
                let fetched = write
                    .before(tokio::task::spawn_blocking(move || {
                        fetcher.fetcher.document(&url)
                    }))
                    .await?
                    .map_err(Failure::internal)?;
                match fetched {
                    Ok(document) => document,
                    Err(e) => return fetch_failure(e),
                }
            }
            (None, text) => RawDocument::new(
                doc.source.or(q.source).unwrap_or_else(|| "api".into()),
                text.unwrap_or_default().into_bytes(),
            ),
        }
    } else {
        RawDocument::new(q.source.unwrap_or_else(|| "api".into()), bytes.to_vec())
            .with_content_type(content_type)
    };
    let outcome = write
        .run(&s, move |store, s, ticket| {
            s.domain.ingest(store, &document, ticket)
        })
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

/// Whether a `Content-Type` is JSON's (`application/json`, any case, any
/// parameters).
fn is_json_type(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// The answer to a posted URL that could not be fetched. What is wrong
/// with the URL itself — not an address this server fetches, a host that
/// does not resolve, a page that is not there or not a document, a site
/// whose robots.txt refuses it — is the client's to fix: 422, the
/// document's `failed` outcome, its error naming the URL and the reason.
/// The site failing to answer (a connection refused or cut, a server
/// error, robots.txt unreadable so) is 502, and running out of time 504:
/// the upstream's failures.
fn fetch_failure(e: FetchError) -> Result<Response, Failure> {
    let status = match &e {
        FetchError::BadUrl { .. }
        | FetchError::Refused { .. }
        | FetchError::UnknownHost { .. }
        | FetchError::Robots {
            unreadable: false, ..
        }
        | FetchError::RedirectLoop { .. }
        | FetchError::TooManyRedirects { .. }
        | FetchError::BadRedirect { .. }
        | FetchError::TooLarge { .. }
        | FetchError::NotADocument { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        FetchError::Status { status, .. } if (400..500).contains(status) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        FetchError::Timeout { .. } => StatusCode::GATEWAY_TIMEOUT,
        FetchError::Status { .. }
        | FetchError::Network { .. }
        | FetchError::Robots {
            unreadable: true, ..
        } => StatusCode::BAD_GATEWAY,
    };
    let error = format!("cannot fetch {e}");
    if status == StatusCode::UNPROCESSABLE_ENTITY {
        let outcome = serde_json::to_value(Outcome::Failed { error })?;
        Ok(json_response(status, &outcome))
    } else {
        Err(Failure::new(status, error))
    }
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
    q: Result<ApiQuery<RemoveQuery>, Failure>,
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
    q: Result<ApiQuery<RemoveQuery>, Failure>,
    headers: &HeaderMap,
    id: &str,
    what: fn(i64) -> Removal,
    missing: &'static str,
) -> Result<Response, Failure> {
    let write = Write::begin(s);
    authorize(s, headers)?;
    let ApiQuery(q) = q?;
    let id = id.parse::<i64>().map_err(|_| Failure::not_found(missing))?;
    let dry_run = q.dry_run.unwrap_or(false);
    remove(s, what(id), dry_run, missing, write).await
}

/// `DELETE /api/films/{slug}`: a film and every review of it.
pub async fn remove_film(
    State(s): State<AppState>,
    q: Result<ApiQuery<RemoveQuery>, Failure>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    api(remove_film_inner(&s, q, &headers, &slug).await)
}

async fn remove_film_inner(
    s: &AppState,
    q: Result<ApiQuery<RemoveQuery>, Failure>,
    headers: &HeaderMap,
    slug: &str,
) -> Result<Response, Failure> {
    let write = Write::begin(s);
    authorize(s, headers)?;
    let ApiQuery(q) = q?;
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
    remove(s, Removal::Film(id), dry_run, "no such film", write).await
}

/// `DELETE /api/runs/{id}`: every review one run stored (an `ingest`, an
/// `import`, a `sync`, a document posted here).
pub async fn remove_run(
    State(s): State<AppState>,
    q: Result<ApiQuery<RemoveQuery>, Failure>,
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
    write: Write,
) -> Result<Response, Failure> {
    let is_run = matches!(what, Removal::Run(_));
    let removed = write
        .run(s, move |store, _, ticket| {
            if dry_run {
                Some(store.removal(&what))
            } else {
                ticket.commit(|| store.remove(&what))
            }
        })
        .await?
        .ok_or_else(Write::timed_out)?;
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
