//! Connections: the accept loop, its cap and each connection's timeouts.
//!
//! hyper serves each connection (HTTP/1.1, keep-alive); this module
//! decides which connections it gets and how long they may sit:
//!
//! - **A cap** on open connections (`max_connections`): a connection is
//!   accepted only with one of that many permits in hand, so past the cap
//!   new connections wait in the listen backlog instead of taking the
//!   process's last file descriptors; connections already open keep being
//!   served.
//! - **A request head in time** (`header_timeout`): from the moment a
//!   connection is accepted, or the first byte of a later request arrives,
//!   the request line and headers must be whole within it, or the
//!   connection is closed (a client that sends half a request and stalls
//!   holds nothing for long).
//! - **Idle connections closed** (`idle_timeout`): a kept-alive
//!   connection with no request under way on which nothing was read or
//!   written for that long is closed.
//!
//! Both clocks stop while a request is being answered: its handler has
//! the request timeout. hyper's own header timer is not used, because it
//! runs between requests too (it would close every idle connection after
//! the header timeout).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

/// How many connections, and how long they may take to ask and sit idle.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
}

/// Serves `app` on `listener` until `signal`; then stops accepting, lets
/// the requests under way finish and returns when every connection is
/// closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    signal: impl Future<Output = ()>,
) {
    // Shutdown takes every permit back at once, in a u32.
    let max = limits
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let permits = Arc::new(Semaphore::new(max));
    let (closing, closed) = watch::channel(false);
    tokio::pin!(signal);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut signal => break,
        };
        let tcp = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut signal => break,
        };
        let _ = tcp.set_nodelay(true);
        let app = app.clone();
        let closed = closed.clone();
        tokio::spawn(async move {
            connection(tcp, app, limits, closed).await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = closing.send(true);
    // every permit back: every connection closed
    let _ = permits.acquire_many(max as u32).await;
}

/// An error of `accept`: one connection's (it went away first) is nothing;
/// anything else (out of file descriptors…) is logged, and accepting
/// pauses a moment rather than spin.
async fn accept_failed(e: io::Error) {
    use io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!("cannot accept a connection: {e}");
    tokio::time::sleep(Duration::from_millis(250)).await;
}

/// Serves one connection until it ends, times out or the server closes.
async fn connection(
    tcp: TcpStream,
    app: Router,
    limits: Limits,
    mut closed: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        tcp,
        activity: activity.clone(),
    });
    let service = {
        let activity = activity.clone();
        hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let busy = activity.begin();
            let app = app.clone();
            async move {
                let response = tower::ServiceExt::oneshot(app, request.map(Body::new)).await;
                drop(busy);
                response
            }
        })
    };
    let conn = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        tokio::select! {
            done = conn.as_mut() => {
                if let Err(e) = done {
                    tracing::debug!("connection: {e}");
                }
                return;
            }
            why = activity.expired(limits) => {
                // Nothing is under way on it: dropping it closes it.
                tracing::debug!("connection closed: {why}");
                return;
            }
            _ = closed.changed(), if !closing => {
                closing = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// What a connection did last, in milliseconds since it was accepted.
struct Activity {
    start: Instant,
    /// The last byte read or written, or request begun or answered.
    last: AtomicU64,
    /// When the head being read began ([`NONE`]: none is).
    head_since: AtomicU64,
    /// Requests being answered.
    busy: AtomicUsize,
}

const NONE: u64 = u64::MAX;

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
            // a new connection owes its first request's head
            head_since: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(NONE - 1)
    }

    fn read(&self) {
        let now = self.now();
        self.last.store(now, Ordering::Relaxed);
        if self.busy.load(Ordering::Acquire) == 0 {
            // the first byte of the next request: its head's clock starts
            let _ =
                self.head_since
                    .compare_exchange(NONE, now, Ordering::AcqRel, Ordering::Relaxed);
        }
    }

    fn wrote(&self) {
        self.last.store(self.now(), Ordering::Relaxed);
    }

    /// A request's head is whole and its handler called.
    fn begin(self: &Arc<Activity>) -> Busy {
        self.busy.fetch_add(1, Ordering::AcqRel);
        self.head_since.store(NONE, Ordering::Release);
        self.wrote();
        Busy(self.clone())
    }

    /// Resolves when the connection has been waiting too long: for the
    /// rest of a request's head, or idle.
    async fn expired(&self, limits: Limits) -> Expired {
        let header = millis(limits.header_timeout);
        let idle = millis(limits.idle_timeout);
        // how often the clocks are looked at: often enough to close within
        // a quarter of a timeout of its end
        let tick = (header.min(idle) / 4).clamp(10, 1000);
        loop {
            let now = self.now();
            let due = if self.busy.load(Ordering::Acquire) > 0 {
                None
            } else {
                match self.head_since.load(Ordering::Acquire) {
                    NONE => Some((
                        self.last.load(Ordering::Relaxed).saturating_add(idle),
                        Expired::Idle,
                    )),
                    since => Some((since.saturating_add(header), Expired::Head)),
                }
            };
            let wait = match due {
                Some((at, why)) if now >= at => return why,
                Some((at, _)) => (at - now).min(tick),
                None => tick,
            };
            tokio::time::sleep(Duration::from_millis(wait)).await;
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(NONE / 2).max(1)
}

/// Why a connection was closed by its clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expired {
    Head,
    Idle,
}

impl std::fmt::Display for Expired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Expired::Head => "the request's head did not arrive in time",
            Expired::Idle => "idle",
        })
    }
}

/// A request under way (dropped when it is answered, or abandoned).
struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.wrote();
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A TCP stream that tells its [`Activity`] of every byte.
struct Watched {
    tcp: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.tcp).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.tcp).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}
