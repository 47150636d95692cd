//! Reviews from the web: a source that fetches pages and feeds over HTTP,
//! with care.
//!
//! A fetched page becomes a [`RawDocument`] like a file does: its bytes,
//! its origin (the URL it was finally read from, after redirects) and the
//! `Content-Type` it came with, whose charset the document stage takes as
//! a hint. Nothing here looks inside a page; feeds are read in [`feed`].
//!
//! What "with care" means, set by a [`Policy`]:
//! - **time**: a connect timeout and a deadline for the whole fetch,
//!   redirects and body included, so a server that drips its answer one
//!   byte at a time is cut off;
//! - **size**: a limit on the body, checked against `Content-Length`
//!   before reading and while reading, on the decompressed bytes (gzip and
//!   brotli are accepted), so a compressed bomb stops at the limit;
//! - **redirects**: followed by hand, at most [`Policy::max_redirects`],
//!   loops named as such, every hop checked like the first;
//! - **manners**: robots.txt is read per site (RFC 9309; an unreadable one
//!   disallows and is asked again after 10 minutes, a missing one allows,
//!   a read one is kept a day) and requests to one host are spaced by
//!   [`Policy::host_interval`] or the site's `Crawl-delay`;
//! - **conditional GET**: [`Fetcher::fetch_if_changed`] sends `ETag` and
//!   `Last-Modified` back and reports [`Fetched::NotModified`];
//! - **addresses** (SSRF): with [`Addresses::PublicOnly`] — the
//!   [`Policy::server`] default — loopback, private and link-local
//!   addresses are refused after name resolution, on every hop. The command
//!   line ([`Policy::cli`]) fetches any address: its user asks for it. With
//!   [`Addresses::LoopbackOnly`] (a server under test) every address but
//!   loopback is refused.

pub mod feed;
mod guard;
pub mod robots;
#[cfg(feature = "test-server")]
pub mod test_server;

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use guard::{Addresses, is_loopback, is_public};
use robots::Robots;
use verdict_source::{MAX_DOCUMENT_BYTES, RawDocument};

/// The product token robots.txt groups are matched against.
pub const AGENT_TOKEN: &str = "verdict";

/// The `User-Agent` Verdict sends.
pub const USER_AGENT: &str = concat!(
    "Verdict/",
    env!("CARGO_PKG_VERSION"),
    " (open critic-review aggregator)"
);

/// The most of robots.txt that is read (RFC 9309 asks for at least 500 KiB).
const MAX_ROBOTS_BYTES: u64 = 512 * 1024;

/// How long a robots.txt read is used (RFC 9309 §2.4: at most 24 hours).
const ROBOTS_KEEP: Duration = Duration::from_secs(24 * 3600);

/// How long an unreadable robots.txt keeps its site closed before it is
/// asked for again.
const ROBOTS_RETRY: Duration = Duration::from_secs(10 * 60);

/// The longest `Crawl-delay` honoured; a site asking for more gets this.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

/// How fetching behaves. [`Policy::cli`] and [`Policy::server`] are the two
/// presets; every field may be changed.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Deadline for a whole fetch: every redirect hop, headers and body.
    pub timeout: Duration,
    /// Deadline for opening one connection.
    pub connect_timeout: Duration,
    /// The largest body accepted, after decompression.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// The least time between two requests to the same host.
    pub host_interval: Duration,
    /// Whether robots.txt is obeyed.
    pub robots: bool,
    /// Which addresses may be connected to.
    pub addresses: Addresses,
    pub user_agent: String,
    /// Whether the `http_proxy`/`https_proxy`/`all_proxy` environment
    /// variables are used. Never with [`Addresses::PublicOnly`] or
    /// [`Addresses::LoopbackOnly`]: through a proxy the guard would only
    /// see the proxy's address.
    pub env_proxy: bool,
}

impl Policy {
    /// For the command line: any address, the environment's proxy.
    pub fn cli() -> Policy {
        Policy {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: MAX_DOCUMENT_BYTES,
            max_redirects: 5,
            host_interval: Duration::from_secs(1),
            robots: true,
            addresses: Addresses::Any,
            user_agent: USER_AGENT.to_string(),
            env_proxy: true,
        }
    }

    /// For a server fetching URLs its users give it: public addresses only,
    /// no proxy.
    pub fn server() -> Policy {
        Policy {
            addresses: Addresses::PublicOnly {
                allow_hosts: Vec::new(),
            },
            env_proxy: false,
            ..Policy::cli()
        }
    }
}

/// What a server said about a version of a resource, sent back to ask
/// whether it changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A page as fetched.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL asked for.
    pub requested: String,
    /// The URL the page was read from, after redirects.
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// The validators to send next time.
    pub validators: Validators,
    /// The body, decompressed.
    pub bytes: Vec<u8>,
}

impl Page {
    /// The page as a document for the pipeline, named by its final URL.
    pub fn into_document(self) -> RawDocument {
        RawDocument::new(self.url, self.bytes).with_content_type(self.content_type)
    }
}

/// The answer to a conditional fetch.
#[derive(Debug, Clone)]
pub enum Fetched {
    Page(Page),
    /// The server says nothing changed since the validators sent.
    NotModified,
}

/// Why a fetch failed. Every message starts with the URL.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: not a fetchable URL: {reason}")]
    BadUrl { url: String, reason: String },
    /// The address guard refused the host (see [`Addresses`]).
    #[error("{url}: refused: {reason}")]
    Refused { url: String, reason: String },
    /// The host name gave no address (it does not exist, or the resolver
    /// could not be asked).
    #[error("{url}: {reason}")]
    UnknownHost { url: String, reason: String },
    /// robots.txt does not allow the page, or (`unreadable`) could not be
    /// read, which disallows it too (RFC 9309 §2.3.1.4).
    #[error("{url}: {reason}")]
    Robots {
        url: String,
        reason: String,
        unreadable: bool,
    },
    #[error("{url}: redirect loop: {chain}")]
    RedirectLoop { url: String, chain: String },
    #[error("{url}: more than {limit} redirects (the last to {last})")]
    TooManyRedirects {
        url: String,
        limit: u32,
        last: String,
    },
    #[error("{url}: bad redirect: {reason}")]
    BadRedirect { url: String, reason: String },
    #[error("{url}: no complete answer within {} s", after.as_secs_f64())]
    Timeout { url: String, after: Duration },
    #[error("{url}: too large: {what} (the limit is {limit} bytes)")]
    TooLarge {
        url: String,
        what: String,
        limit: u64,
    },
    #[error("{url}: HTTP {status}{}", if reason.is_empty() { String::new() } else { format!(" {reason}") })]
    Status {
        url: String,
        status: u16,
        reason: String,
    },
    #[error("{url}: not a document: {content_type}")]
    NotADocument { url: String, content_type: String },
    #[error("{url}: {reason}")]
    Network { url: String, reason: String },
}

impl FetchError {
    /// The URL the fetch was asked for.
    pub fn url(&self) -> &str {
        match self {
            FetchError::BadUrl { url, .. }
            | FetchError::Refused { url, .. }
            | FetchError::UnknownHost { url, .. }
            | FetchError::Robots { url, .. }
            | FetchError::RedirectLoop { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::NotADocument { url, .. }
            | FetchError::Network { url, .. } => url,
        }
    }
}

/// Whether an input names a URL rather than a file: `http://` or `https://`.
pub fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Fetches pages by a [`Policy`]. One fetcher remembers each site's
/// robots.txt and when each host was last asked, so reuse it across
/// fetches.
pub struct Fetcher {
    agent: ureq::Agent,
    policy: Policy,
    /// Each site's robots.txt (by origin), with when it was read.
    robots: Mutex<HashMap<String, (Arc<Robots>, Instant)>>,
    /// When each host (`name:port`) was last asked, or will be by a
    /// request waiting for its turn.
    last_request: Mutex<HashMap<String, Instant>>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// The kind of request, which decides what is checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// A page or feed: robots.txt applies, the body must be a document.
    Document,
    /// robots.txt itself.
    Robots,
}

impl Fetcher {
    pub fn new(policy: Policy) -> Fetcher {
        let proxy = if policy.env_proxy && !policy.addresses.is_guarded() {
            ureq::Proxy::try_from_env()
        } else {
            None
        };
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(policy.connect_timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(policy.user_agent.as_str())
            .proxy(proxy)
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default(),
            guard::GuardedResolver {
                addresses: Arc::new(policy.addresses.clone()),
            },
        );
        Fetcher {
            agent,
            policy,
            robots: Mutex::new(HashMap::new()),
            last_request: Mutex::new(HashMap::new()),
        }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Fetches a page.
    pub fn fetch(&self, url: &str) -> Result<Page, FetchError> {
        match self.get(url, None, Purpose::Document)? {
            Fetched::Page(page) => Ok(page),
            Fetched::NotModified => Err(FetchError::Status {
                url: url.to_string(),
                status: 304,
                reason: "Not Modified (unasked)".to_string(),
            }),
        }
    }

    /// Fetches a page as a document for the pipeline.
    pub fn document(&self, url: &str) -> Result<RawDocument, FetchError> {
        self.fetch(url).map(Page::into_document)
    }

    /// Fetches a page unless it is unchanged since `validators` were given.
    pub fn fetch_if_changed(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        self.get(url, Some(validators), Purpose::Document)
    }

    fn get(
        &self,
        url: &str,
        validators: Option<&Validators>,
        purpose: Purpose,
    ) -> Result<Fetched, FetchError> {
        let bad = |reason: String| FetchError::BadUrl {
            url: url.to_string(),
            reason,
        };
        let mut current = url::Url::parse(url.trim()).map_err(|e| bad(e.to_string()))?;
        check_scheme(&current).map_err(bad)?;
        let mut deadline = Instant::now() + self.policy.timeout;
        let mut chain: Vec<String> = vec![current.to_string()];
        loop {
            if purpose == Purpose::Document && self.policy.robots {
                self.check_robots(url, &current)?;
            }
            // Waiting for our turn at a host is not the server's time.
            deadline += self.wait_turn(&current);
            let mut response = self.request(url, &current, validators, deadline)?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let redirect = |reason: String| FetchError::BadRedirect {
                    url: url.to_string(),
                    reason,
                };
                let location = header("location")
                    .ok_or_else(|| redirect(format!("HTTP {status} without a Location")))?;
                let next = current
                    .join(&location)
                    .map_err(|e| redirect(format!("Location {location:?}: {e}")))?;
                check_scheme(&next).map_err(|e| redirect(format!("to {next}: {e}")))?;
                let next_s = next.to_string();
                if chain.contains(&next_s) {
                    chain.push(next_s);
                    return Err(FetchError::RedirectLoop {
                        url: url.to_string(),
                        chain: chain.join(" → "),
                    });
                }
                if chain.len() > self.policy.max_redirects as usize {
                    return Err(FetchError::TooManyRedirects {
                        url: url.to_string(),
                        limit: self.policy.max_redirects,
                        last: next_s,
                    });
                }
                chain.push(next_s);
                current = next;
                continue;
            }
            if status == 304 && validators.is_some() {
                return Ok(Fetched::NotModified);
            }
            if !(200..300).contains(&status) {
                return Err(FetchError::Status {
                    url: url.to_string(),
                    status,
                    reason: response
                        .status()
                        .canonical_reason()
                        .unwrap_or_default()
                        .to_string(),
                });
            }
            let content_type = header("content-type");
            if purpose == Purpose::Document
                && let Some(ct) = &content_type
                && !is_document_type(ct)
            {
                return Err(FetchError::NotADocument {
                    url: url.to_string(),
                    content_type: ct.clone(),
                });
            }
            let validators = Validators {
                etag: header("etag"),
                last_modified: header("last-modified"),
            };
            let limit = match purpose {
                Purpose::Document => self.policy.max_bytes,
                Purpose::Robots => MAX_ROBOTS_BYTES,
            };
            let declared = header("content-length").and_then(|v| v.parse::<u64>().ok());
            if purpose == Purpose::Document
                && let Some(n) = declared.filter(|n| *n > limit)
            {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    what: format!("the server announces {n} bytes"),
                    limit,
                });
            }
            let bytes = self.read_body(url, &mut response, limit, purpose, deadline)?;
            return Ok(Fetched::Page(Page {
                requested: url.to_string(),
                url: current.to_string(),
                status,
                content_type,
                validators,
                bytes,
            }));
        }
    }

    /// One HTTP request, no redirect followed, within what is left of the
    /// deadline.
    fn request(
        &self,
        url: &str,
        target: &url::Url,
        validators: Option<&Validators>,
        deadline: Instant,
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(FetchError::Timeout {
                url: url.to_string(),
                after: self.policy.timeout,
            });
        }
        let mut request = self
            .agent
            .get(target.as_str())
            .header("Accept", "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/*;q=0.8, */*;q=0.5");
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header("If-None-Match", etag.as_str());
            }
            if let Some(date) = &v.last_modified {
                request = request.header("If-Modified-Since", date.as_str());
            }
        }
        request
            .config()
            .timeout_global(Some(left))
            .build()
            .call()
            .map_err(|e| self.map_error(url, e))
    }

    /// Reads a body, decompressed, refusing more than `limit` bytes: the
    /// compressed stream is limited too, so neither a huge body nor a
    /// compressed bomb gets far.
    fn read_body(
        &self,
        url: &str,
        response: &mut ureq::http::Response<ureq::Body>,
        limit: u64,
        purpose: Purpose,
        deadline: Instant,
    ) -> Result<Vec<u8>, FetchError> {
        let reader = response
            .body_mut()
            .with_config()
            .limit(limit.saturating_add(1))
            .reader();
        let mut bytes = Vec::new();
        let read = reader.take(limit.saturating_add(1)).read_to_end(&mut bytes);
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            what: format!("more than {limit} bytes"),
            limit,
        };
        match read {
            Ok(_) => {}
            Err(e) => {
                let e = ureq::Error::from(e);
                if matches!(e, ureq::Error::BodyExceedsLimit(_)) {
                    if purpose == Purpose::Robots {
                        bytes.truncate(limit as usize);
                        return Ok(bytes);
                    }
                    return Err(too_large());
                }
                if Instant::now() >= deadline {
                    return Err(FetchError::Timeout {
                        url: url.to_string(),
                        after: self.policy.timeout,
                    });
                }
                return Err(self.map_error(url, e));
            }
        }
        if bytes.len() as u64 > limit {
            if purpose == Purpose::Robots {
                bytes.truncate(limit as usize);
            } else {
                return Err(too_large());
            }
        }
        Ok(bytes)
    }

    fn map_error(&self, url: &str, e: ureq::Error) -> FetchError {
        let url = url.to_string();
        match e {
            ureq::Error::Timeout(_) => FetchError::Timeout {
                url,
                after: self.policy.timeout,
            },
            ureq::Error::Io(io) => {
                if let Some(refusal) = io
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<guard::Refusal>())
                {
                    return FetchError::Refused {
                        url,
                        reason: refusal.to_string(),
                    };
                }
                if let Some(unresolved) = io
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<guard::Unresolved>())
                {
                    return FetchError::UnknownHost {
                        url,
                        reason: unresolved.to_string(),
                    };
                }
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                ) {
                    return FetchError::Timeout {
                        url,
                        after: self.policy.timeout,
                    };
                }
                FetchError::Network {
                    url,
                    reason: io.to_string(),
                }
            }
            ureq::Error::HostNotFound => FetchError::UnknownHost {
                url,
                reason: "host not found".to_string(),
            },
            ureq::Error::BodyExceedsLimit(n) => FetchError::TooLarge {
                url,
                what: format!("more than {n} bytes"),
                limit: self.policy.max_bytes,
            },
            ureq::Error::Decompress(what, io) => FetchError::Network {
                url,
                reason: format!("cannot decompress the {what} body: {io}"),
            },
            other => FetchError::Network {
                url,
                reason: other.to_string(),
            },
        }
    }

    /// Refuses `target` when its site's robots.txt disallows it.
    fn check_robots(&self, url: &str, target: &url::Url) -> Result<(), FetchError> {
        let origin = target.origin().ascii_serialization();
        let cached = self
            .lock_robots()
            .get(&origin)
            .filter(|(r, read_at)| {
                let keep = if r.unreadable.is_some() {
                    ROBOTS_RETRY
                } else {
                    ROBOTS_KEEP
                };
                read_at.elapsed() < keep
            })
            .map(|(r, _)| r.clone());
        let robots = match cached {
            Some(r) => r,
            None => {
                let r = Arc::new(self.read_robots(url, &origin)?);
                self.lock_robots()
                    .insert(origin.clone(), (r.clone(), Instant::now()));
                r
            }
        };
        let mut path = target.path().to_string();
        if let Some(q) = target.query() {
            path.push('?');
            path.push_str(q);
        }
        if robots.allows(&path) {
            Ok(())
        } else if robots.unreadable.is_some() {
            Err(FetchError::Robots {
                url: url.to_string(),
                reason: format!(
                    "{origin}/robots.txt could not be read ({}); not fetching",
                    robots.unreadable.as_deref().unwrap_or_default()
                ),
                unreadable: true,
            })
        } else {
            Err(FetchError::Robots {
                url: url.to_string(),
                reason: format!("{origin}/robots.txt does not allow {AGENT_TOKEN} to fetch {path}"),
                unreadable: false,
            })
        }
    }

    fn read_robots(&self, url: &str, origin: &str) -> Result<Robots, FetchError> {
        let robots_url = format!("{origin}/robots.txt");
        match self.get(&robots_url, None, Purpose::Robots) {
            Ok(Fetched::Page(page)) => Ok(Robots::parse(
                &String::from_utf8_lossy(&page.bytes),
                AGENT_TOKEN,
            )),
            Ok(Fetched::NotModified) => Ok(Robots::allow_all()),
            Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                Ok(Robots::allow_all())
            }
            // The guard's refusal is about the address, a host that does
            // not resolve is the page's as much as robots.txt's, and running
            // out of time is running out of time, whatever was being read.
            Err(FetchError::Refused { reason, .. }) => Err(FetchError::Refused {
                url: url.to_string(),
                reason,
            }),
            Err(FetchError::UnknownHost { reason, .. }) => Err(FetchError::UnknownHost {
                url: url.to_string(),
                reason,
            }),
            Err(FetchError::Timeout { .. }) => Err(FetchError::Timeout {
                url: url.to_string(),
                after: self.policy.timeout,
            }),
            Err(e) => Ok(Robots::unreadable(describe(&e))),
        }
    }

    /// Waits until the host may be asked again; returns how long it waited.
    fn wait_turn(&self, target: &url::Url) -> Duration {
        let host = format!(
            "{}:{}",
            target.host_str().unwrap_or_default(),
            target.port_or_known_default().unwrap_or(0)
        );
        let origin = target.origin().ascii_serialization();
        let crawl_delay = self
            .lock_robots()
            .get(&origin)
            .and_then(|(r, _)| r.crawl_delay)
            .map(|d| d.min(MAX_CRAWL_DELAY))
            .unwrap_or_default();
        let interval = self.policy.host_interval.max(crawl_delay);
        let now = Instant::now();
        let wait = {
            let mut last = self
                .last_request
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // The interval counts from the last request (robots.txt
            // included), with what is known of the site now.
            let at = last.get(&host).map_or(now, |t| *t + interval).max(now);
            last.insert(host, at);
            at - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
        wait
    }

    fn lock_robots(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Arc<Robots>, Instant)>> {
        self.robots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn describe(e: &FetchError) -> String {
    let s = e.to_string();
    match s.split_once(": ") {
        Some((_, rest)) => rest.to_string(),
        None => s,
    }
}

fn check_scheme(url: &url::Url) -> Result<(), String> {
    match url.scheme() {
        "http" | "https" if url.host().is_some() => Ok(()),
        "http" | "https" => Err("no host".to_string()),
        other => Err(format!("the scheme {other:?} is not http or https")),
    }
}

/// Whether a media type can be a review page or a feed.
fn is_document_type(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (kind, sub) = mime.split_once('/').unwrap_or((mime.as_str(), ""));
    match kind {
        "text" => true,
        "image" | "audio" | "video" | "font" | "model" => false,
        "application" => {
            sub.ends_with("xml")
                || sub.ends_with("+xml")
                || sub.ends_with("json")
                || matches!(sub, "xhtml+xml" | "octet-stream" | "x-www-form-urlencoded")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://critic.example/review"));
        assert!(is_url("HTTP://x"));
        assert!(!is_url("reviews/https.html"));
        assert!(!is_url("ftp://x"));
        assert!(!is_url("-"));
    }

    #[test]
    fn document_types() {
        assert!(is_document_type("text/html; charset=utf-8"));
        assert!(is_document_type("application/rss+xml"));
        assert!(is_document_type("application/xhtml+xml"));
        assert!(is_document_type("application/feed+json"));
        assert!(!is_document_type("image/png"));
        assert!(!is_document_type("application/pdf"));
        assert!(!is_document_type("video/mp4"));
    }

    #[test]
    fn presets() {
        assert_eq!(Policy::cli().addresses, Addresses::Any);
        assert!(matches!(
            Policy::server().addresses,
            Addresses::PublicOnly { .. }
        ));
        assert!(!Policy::server().env_proxy);
        assert_eq!(Policy::cli().max_bytes, MAX_DOCUMENT_BYTES);
    }
}
