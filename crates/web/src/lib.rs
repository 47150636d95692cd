//! Verdict on the web: `verdict serve`.
//!
//! An axum server over the application layer: HTML pages (home, film,
//! review, critic, outlet, search), a JSON API in the command line's JSON
//! contract with its OpenAPI document, an RSS feed of new reviews, and a
//! write endpoint guarded by a token. Handlers are thin: they find what a
//! URL names, read it through `verdict_present` (the typed JSON contract
//! `verdict show` prints) or the [`verdict_store::Store`], and render; a
//! posted document goes down the app's pipeline through the [`Domain`].
//! No number is computed here.
//!
//! - **Reads** run on a small pool of SQLite connections in the blocking
//!   thread pool ([`pool`]); rendered pages and API answers are cached,
//!   each stamped with the data version (the number of stored reviews and
//!   the newest id) and served only while it is current.
//! - **The catalog** ([`catalog`]) is the read model of the cross-film
//!   pages; it is rebuilt when the data version changes (checked every
//!   `poll_interval`, and at once after a write through the server), and
//!   swapped whole.
//! - **Writes** (`POST /api/reviews`) need `Authorization: Bearer TOKEN`;
//!   with no token configured they are refused. Request bodies are limited
//!   in size (413) and requests in time (408); a write that runs out of
//!   time writes nothing ([`Ticket`]).
//! - **Connections** ([`conn`]): at most `max_connections` open (more wait
//!   to be accepted); a request's head must arrive within `header_timeout`
//!   and an idle kept-alive connection is closed after `idle_timeout`.
//! - **Logs** go through `tracing`: a span per request (method, path) and
//!   one event when it is answered (status, latency in ms); errors behind a
//!   500 are logged with their cause, which the client never sees. The
//!   binary installs the subscriber (`VERDICT_LOG` filters it).
//! - **Escaping**: templates are askama's, which escape every value; the
//!   only unescaped insertions are the SVG charts and the JSON-LD block,
//!   built from numbers and escaped text ([`view`]). Pages carry a
//!   Content-Security-Policy that runs no script at all.

pub mod api;
pub mod catalog;
pub mod conn;
mod domain;
pub mod feed;
pub mod pages;
pub mod pool;
pub mod respond;
/// URL slugs (`red-rooms-2023`): the film-choosing rules of the command
/// line read them too, so they live in `verdict-present`.
pub use verdict_present::slug;
pub mod state;
pub mod view;

use std::net::SocketAddr;
use std::path::Path;

use std::sync::Arc;
use std::time::Duration;
use verdict_store::Location;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use serde::Deserialize;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

pub use domain::{Domain, Ticket};
pub use state::AppState;

/// How the server behaves. [`Config::default`] is what `verdict serve`
/// starts with; a TOML file ([`Config::from_toml`]) and the command line
/// change it.
#[derive(Debug, Clone)]
pub struct Config {
    /// The token writes need; `None`: writes are refused.
    pub token: Option<String>,
    /// The largest request body accepted, in bytes (default 2 MiB).
    pub body_limit: usize,
    /// How long a request may take (default 30 s). A write that runs out
    /// of it answers 408 and writes nothing.
    pub request_timeout: Duration,
    /// The most connections open at once (default 512); more wait to be
    /// accepted. Keep it well under the open-file limit (`ulimit -n`).
    pub max_connections: usize,
    /// How long a client has to send a request's line and headers, from
    /// its connection or the request's first byte (default 10 s).
    pub header_timeout: Duration,
    /// How long a kept-alive connection may sit with nothing to do
    /// (default 60 s).
    pub idle_timeout: Duration,
    /// Read connections (default 4).
    pub readers: usize,
    /// Threads answering requests (default: one per core).
    pub workers: Option<usize>,
    /// How often the database is checked for writes by other processes
    /// (default 1 s; a check costs microseconds).
    pub poll_interval: Duration,
    /// The public address of the site (`https://verdict.example`), for
    /// absolute links in the feed and JSON-LD; default: relative links.
    pub base_url: Option<String>,
    /// The most bytes of rendered pages kept (default 256 MiB).
    pub cache_bytes: usize,
    /// How long fetching a URL given to `POST /api/reviews` may take
    /// (default 20 s).
    pub fetch_timeout: Duration,
    /// Hosts that may be fetched although not public (tests only; the
    /// default fetches public addresses only).
    pub fetch_allow_hosts: Vec<String>,
    /// Fetch loopback addresses only, and refuse every other (public ones
    /// included) without looking a name up: a server under test, given
    /// generated URLs, reaches nothing outside the machine. Default off.
    pub fetch_loopback_only: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            token: None,
            body_limit: 2 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            readers: 4,
            workers: None,
            poll_interval: Duration::from_secs(1),
            base_url: None,
            cache_bytes: 256 * 1024 * 1024,
            fetch_timeout: Duration::from_secs(20),
            fetch_allow_hosts: Vec::new(),
            fetch_loopback_only: false,
        }
    }
}

/// The config file: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    token: Option<String>,
    body_limit: Option<usize>,
    request_timeout_secs: Option<u64>,
    max_connections: Option<usize>,
    header_timeout_secs: Option<u64>,
    idle_timeout_secs: Option<u64>,
    readers: Option<usize>,
    workers: Option<usize>,
    poll_interval_secs: Option<u64>,
    base_url: Option<String>,
    cache_mib: Option<usize>,
    fetch_timeout_secs: Option<u64>,
    fetch_allow_hosts: Option<Vec<String>>,
    fetch_loopback_only: Option<bool>,
}

impl Config {
    /// Reads a TOML config file:
    ///
    /// ```toml
    /// token = "…"                # writes need it
    /// body_limit = 2097152       # bytes
    /// request_timeout_secs = 30
    /// max_connections = 512     # more wait to be accepted
    /// header_timeout_secs = 10   # to send a request's line and headers
    /// idle_timeout_secs = 60     # a kept-alive connection with nothing to do
    /// readers = 4
    /// workers = 2                # default: one per core
    /// poll_interval_secs = 2
    /// base_url = "https://verdict.example"
    /// cache_mib = 256
    /// fetch_timeout_secs = 20
    /// fetch_allow_hosts = []     # non-public hosts URLs may name (tests)
    /// fetch_loopback_only = false # fetch loopback only, nothing else (tests)
    /// ```
    pub fn from_toml(text: &str) -> anyhow::Result<Config> {
        let f: ConfigFile = toml::from_str(text)?;
        let d = Config::default();
        let fetch_loopback_only = f.fetch_loopback_only.unwrap_or(false);
        if fetch_loopback_only && f.fetch_allow_hosts.as_ref().is_some_and(|h| !h.is_empty()) {
            anyhow::bail!(
                "fetch_loopback_only and fetch_allow_hosts contradict each other: loopback-only fetches loopback and nothing else"
            );
        }
        Ok(Config {
            token: f.token.filter(|t| !t.trim().is_empty()),
            body_limit: f.body_limit.unwrap_or(d.body_limit),
            request_timeout: f
                .request_timeout_secs
                .map(Duration::from_secs)
                .unwrap_or(d.request_timeout),
            max_connections: f
                .max_connections
                .unwrap_or(d.max_connections)
                .clamp(1, 1 << 20),
            header_timeout: f
                .header_timeout_secs
                .map(|s| Duration::from_secs(s.max(1)))
                .unwrap_or(d.header_timeout),
            idle_timeout: f
                .idle_timeout_secs
                .map(|s| Duration::from_secs(s.max(1)))
                .unwrap_or(d.idle_timeout),
            readers: f.readers.unwrap_or(d.readers).clamp(1, 64),
            workers: f.workers.map(|w| w.clamp(1, 256)),
            poll_interval: f
                .poll_interval_secs
                .map(Duration::from_secs)
                .unwrap_or(d.poll_interval),
            base_url: f.base_url.map(|u| u.trim_end_matches('/').to_string()),
            cache_bytes: f
                .cache_mib
                .map(|m| m * 1024 * 1024)
                .unwrap_or(d.cache_bytes),
            fetch_timeout: f
                .fetch_timeout_secs
                .map(Duration::from_secs)
                .unwrap_or(d.fetch_timeout),
            fetch_allow_hosts: f.fetch_allow_hosts.unwrap_or_default(),
            fetch_loopback_only,
        })
    }

    /// Reads the config file at `path`.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the config file {}", path.display()))?;
        Config::from_toml(&text).with_context(|| format!("bad config file {}", path.display()))
    }

    /// A site path as a link: absolute when `base_url` is set.
    pub fn absolute(&self, path: &str) -> String {
        match &self.base_url {
            Some(base) => format!("{base}{path}"),
            None => path.to_string(),
        }
    }
}

/// Every route of the site.
pub fn router(state: AppState) -> Router {
    let limit = state.config.body_limit;
    let timeout = state.config.request_timeout;
    Router::new()
        .route("/", get(pages::home))
        .route("/films/{slug}", get(pages::film))
        .route("/reviews/{id}", get(pages::review))
        .route("/critics/{slug}", get(pages::critic))
        .route("/outlets/{slug}", get(pages::outlet))
        .route("/search", get(pages::search))
        .route("/static/style.css", get(pages::stylesheet))
        .route("/feed.xml", get(feed::feed))
        .route("/openapi.json", get(api::openapi))
        .route("/api/status", get(api::status))
        .route("/api/films", get(api::films))
        .route("/api/films/{slug}", get(api::film).delete(api::remove_film))
        .route("/api/reviews", post(api::ingest))
        .route(
            "/api/reviews/{id}",
            get(api::review).delete(api::remove_review),
        )
        .route("/api/runs/{id}", delete(api::remove_run))
        .route("/api/critics/{slug}", get(api::critic))
        .route("/api/outlets/{slug}", get(api::outlet))
        .route("/api/search", get(api::search))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::from_fn_with_state(timeout, read_timeout))
        .layer(axum::middleware::map_response(respond::security_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<axum::body::Body>| {
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                    )
                })
                .on_request(())
                .on_response(
                    |response: &axum::http::Response<axum::body::Body>,
                     latency: Duration,
                     _: &tracing::Span| {
                        let status = response.status().as_u16();
                        let latency_ms = latency.as_secs_f64() * 1000.0;
                        if response.status().is_server_error() {
                            tracing::error!(status, latency_ms, "answered");
                        } else {
                            tracing::info!(status, latency_ms, "answered");
                        }
                    },
                )
                .on_failure(()),
        )
        .with_state(state)
}

/// The request timeout of everything but the writes: 408 past it, the
/// handler dropped. A write (`POST`, `DELETE`: anything but `GET` and
/// `HEAD`) keeps its own time (`api::Write`), so that one answered 408
/// has written nothing.
async fn read_timeout(
    axum::extract::State(timeout): axum::extract::State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::Method;
    use axum::response::IntoResponse;
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// Serves the database at `db` (a SQLite file or a PostgreSQL URL) on `addr` until interrupted (Ctrl-C or
/// SIGTERM). Prints `listening on http://ADDR` on standard output once it
/// answers.
pub async fn serve(
    addr: SocketAddr,
    db: impl Into<Location>,
    config: Config,
    domain: Arc<dyn Domain>,
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    serve_on(listener, db, config, domain).await
}

/// [`serve`] on a bound listener.
pub async fn serve_on(
    listener: TcpListener,
    db: impl Into<Location>,
    config: Config,
    domain: Arc<dyn Domain>,
) -> anyhow::Result<()> {
    let local = listener.local_addr()?;
    let poll = config.poll_interval;
    let db: Location = db.into();
    let state = tokio::task::spawn_blocking(move || AppState::open(&db, config, domain)).await??;
    let catalog = state.catalog();
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "verdict serve: listening on http://{local} ({} films, {} reviews; catalog built in {} ms; writes {})",
            catalog.films.len(),
            catalog.reviews,
            catalog.built_in.as_millis(),
            if state.config.token.is_some() {
                "need the token"
            } else {
                "disabled (no token)"
            }
        )?;
        out.flush()?;
    }
    let poller = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = poller.refresh().await {
                tracing::error!("cannot refresh the catalog: {e:#}");
            }
        }
    });
    let limits = conn::Limits {
        max_connections: state.config.max_connections,
        header_timeout: state.config.header_timeout,
        idle_timeout: state.config.idle_timeout,
    };
    conn::serve(listener, router(state), limits, shutdown()).await;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// [`serve`] on a runtime of its own, for the command line: as many worker
/// threads as cores, and blocking threads for the read connections.
pub fn run(
    addr: SocketAddr,
    db: impl Into<Location>,
    config: Config,
    domain: Arc<dyn Domain>,
) -> anyhow::Result<()> {
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime
        .enable_all()
        .max_blocking_threads(config.readers + 8);
    if let Some(n) = config.workers {
        runtime.worker_threads(n);
    }
    let runtime = runtime.build()?;
    runtime.block_on(serve(addr, db, config, domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_file_sets_what_it_names() {
        let c = Config::from_toml(
            "token = \"s3cret\"\nbody_limit = 1024\nbase_url = \"https://v.example/\"\n",
        )
        .unwrap();
        assert_eq!(c.token.as_deref(), Some("s3cret"));
        assert_eq!(c.body_limit, 1024);
        assert_eq!(c.request_timeout, Duration::from_secs(30));
        assert_eq!(c.max_connections, 512);
        assert_eq!(c.header_timeout, Duration::from_secs(10));
        assert_eq!(c.idle_timeout, Duration::from_secs(60));
        let limits = Config::from_toml(
            "max_connections = 8\nheader_timeout_secs = 2\nidle_timeout_secs = 3\n",
        )
        .unwrap();
        assert_eq!(limits.max_connections, 8);
        assert_eq!(limits.header_timeout, Duration::from_secs(2));
        assert_eq!(limits.idle_timeout, Duration::from_secs(3));
        assert_eq!(c.absolute("/feed.xml"), "https://v.example/feed.xml");
        assert!(
            Config::from_toml("tokn = \"x\"").is_err(),
            "unknown keys are refused"
        );
        assert!(Config::from_toml("token = \"  \"").unwrap().token.is_none());
    }

    #[test]
    fn fetching_can_be_confined_to_loopback() {
        assert!(!Config::default().fetch_loopback_only);
        assert!(
            Config::from_toml("fetch_loopback_only = true\n")
                .unwrap()
                .fetch_loopback_only
        );
        assert!(
            Config::from_toml("fetch_loopback_only = true\nfetch_allow_hosts = [\"10.0.0.1\"]\n")
                .is_err(),
            "loopback-only allows no other host"
        );
    }
}
