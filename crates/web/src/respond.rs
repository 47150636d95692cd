//! Responses: content types, security headers, failures and the cached
//! render path every GET handler shares.

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use verdict_store::{Store, StoreError};

use crate::catalog::Catalog;
use crate::state::{AppState, Cached};

pub const HTML: &str = "text/html; charset=utf-8";
pub const JSON: &str = "application/json";
pub const RSS: &str = "application/rss+xml; charset=utf-8";
pub const CSS: &str = "text/css; charset=utf-8";

/// The Content-Security-Policy of every page: no script runs at all (the
/// JSON-LD block is data), styles only from the site's own sheet.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Why a request could not be answered.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
    /// The `WWW-Authenticate` challenge of a 401 ([`Failure::unauthorized`]).
    pub challenge: Option<&'static str>,
}

/// The challenge of a 401 whose request carried no token (RFC 6750 §3).
pub const BEARER_CHALLENGE: &str = "Bearer realm=\"verdict\"";
/// The challenge of a 401 whose request carried a token that is not the
/// server's.
pub const INVALID_TOKEN_CHALLENGE: &str = "Bearer realm=\"verdict\", error=\"invalid_token\"";

impl Failure {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
            challenge: None,
        }
    }

    /// 401, with the challenge that names the scheme: `given` says whether
    /// the request carried a token (then it was the wrong one).
    pub fn unauthorized(message: impl Into<String>, given: bool) -> Failure {
        Failure {
            challenge: Some(if given {
                INVALID_TOKEN_CHALLENGE
            } else {
                BEARER_CHALLENGE
            }),
            ..Failure::new(StatusCode::UNAUTHORIZED, message)
        }
    }

    pub fn not_found(what: impl Into<String>) -> Failure {
        Failure::new(StatusCode::NOT_FOUND, what)
    }

    /// Logs the cause and answers 500 without it.
    pub fn internal(cause: impl std::fmt::Display) -> Failure {
        tracing::error!("internal error: {cause}");
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }

    /// As a JSON body `{"error": …}`.
    pub fn json(self) -> Response {
        let body = serde_json::json!({ "error": self.message }).to_string();
        let mut res = with_type(self.status, JSON, body.into());
        if let Some(challenge) = self.challenge {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        res
    }
}

/// A failure answered as the API answers one: `{"error": …}`.
impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        self.json()
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::internal(e)
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::internal(format!("{e:#}"))
    }
}

impl From<askama::Error> for Failure {
    fn from(e: askama::Error) -> Failure {
        Failure::internal(e)
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Failure {
        Failure::internal(e)
    }
}

/// A body with its content type.
pub fn with_type(status: StatusCode, content_type: &'static str, body: Bytes) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// Adds the headers every response carries.
pub async fn security_headers(mut res: Response) -> Response {
    let unauthorized = res.status() == StatusCode::UNAUTHORIZED;
    let h = res.headers_mut();
    if unauthorized && !h.contains_key(header::WWW_AUTHENTICATE) {
        // every 401 names the scheme that would be accepted (RFC 9110 §15.5.2)
        h.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(BEARER_CHALLENGE),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    let is_html = h
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    res
}

/// Whether the client takes gzip (`Accept-Encoding`).
#[derive(Debug, Clone, Copy)]
pub struct Gzip(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for Gzip {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Gzip, Self::Rejection> {
        let accepts = parts
            .headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|coding| {
                let mut parts = coding.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| {
                    let p = p.trim().replace(' ', "");
                    p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
                });
                name.eq_ignore_ascii_case("gzip") && !refused
            });
        Ok(Gzip(accepts))
    }
}

/// A cached page as a response, gzipped when the client takes it.
fn from_cache(page: &Cached, gzip: Gzip) -> Response {
    let (body, encoded) = match (&page.gzip, gzip.0) {
        (Some(z), true) => (z.clone(), true),
        _ => (page.body.clone(), false),
    };
    let mut res = with_type(StatusCode::OK, page.content_type, body);
    let h = res.headers_mut();
    if encoded {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    if page.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// The page under `key` from the cache when it was rendered under the
/// current catalog, else rendered by `render` on a read connection (and
/// cached when it succeeds).
pub async fn cached<F>(
    s: &AppState,
    key: String,
    content_type: &'static str,
    gzip: Gzip,
    render: F,
) -> Result<Response, Failure>
where
    F: FnOnce(&dyn Store, &AppState, &Catalog) -> Result<Vec<u8>, Failure> + Send + 'static,
{
    let catalog = s.catalog();
    if let Some(page) = s.cached(&key, catalog.generation) {
        return Ok(from_cache(&page, gzip));
    }
    let generation = catalog.generation;
    let page = s
        .read(move |store, s| -> Result<Cached, Failure> {
            let body = render(store, s, &catalog)?;
            Ok(Cached::new(generation, content_type, body.into()))
        })
        .await??;
    let res = from_cache(&page, gzip);
    s.cache(key, page);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    async fn accepts(header: Option<&str>) -> bool {
        let mut req = Request::builder().uri("/");
        if let Some(h) = header {
            req = req.header(header::ACCEPT_ENCODING, h);
        }
        let (mut parts, _) = req.body(()).unwrap().into_parts();
        Gzip::from_request_parts(&mut parts, &()).await.unwrap().0
    }

    #[tokio::test]
    async fn gzip_is_used_only_when_accepted() {
        assert!(accepts(Some("gzip, deflate, br")).await);
        assert!(accepts(Some("br;q=1.0, GZIP;q=0.5")).await);
        assert!(!accepts(Some("gzip;q=0")).await);
        assert!(!accepts(Some("br, deflate")).await);
        assert!(!accepts(None).await);
    }
}
