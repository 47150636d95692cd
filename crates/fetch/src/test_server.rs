//! A tiny HTTP/1.1 server on loopback, for tests: real sockets, real HTTP,
//! and full control over what goes on the wire, hostile answers included
//! (a body dripped byte by byte, a server that never answers, a compressed
//! bomb, a lying `Content-Length`).
//!
//! Each connection is served by its own thread and closed after one
//! response. The server stops when dropped.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query ("/feed.xml?x=1").
    pub path: String,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
pub enum Response {
    /// A complete answer; `Content-Length` is added unless a header sets it.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Headers at once, then `chunk` every `every`, `times` times.
    Drip {
        headers: Vec<(String, String)>,
        chunk: Vec<u8>,
        every: Duration,
        times: usize,
    },
    /// Read the request, then say nothing for `for_`.
    Silence { for_: Duration },
    /// Headers, then `total` bytes of `fill` streamed without a length.
    Stream {
        headers: Vec<(String, String)>,
        fill: u8,
        total: u64,
    },
}

impl Response {
    /// 200 with a body and a content type.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response::Full {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// 200 HTML in UTF-8.
    pub fn html(body: impl Into<Vec<u8>>) -> Response {
        Response::ok("text/html; charset=utf-8", body)
    }

    /// A status with no body.
    pub fn status(status: u16) -> Response {
        Response::Full {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A redirect.
    pub fn redirect(status: u16, location: &str) -> Response {
        Response::Full {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }

    /// The same response with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        match &mut self {
            Response::Full { headers, .. }
            | Response::Drip { headers, .. }
            | Response::Stream { headers, .. } => headers.push((name.into(), value.into())),
            Response::Silence { .. } => {}
        }
        self
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A running server.
pub struct TestServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    accept: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1 (a free port) answering with `handler`.
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = {
            let (stop, hits) = (stop.clone(), hits.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (handler, hits, stop) = (handler.clone(), hits.clone(), stop.clone());
                    std::thread::spawn(move || serve(stream, &*handler, &hits, &stop));
                }
            })
        };
        TestServer {
            addr,
            stop,
            hits,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `http://localhost:PORT{path}` (the same server, by name).
    pub fn url_by_name(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many requests asked for `path` (path and query).
    pub fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .map(|h| h.get(path).copied().unwrap_or(0))
            .unwrap_or(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn serve(
    stream: TcpStream,
    handler: &Handler,
    hits: &Mutex<HashMap<String, usize>>,
    stop: &AtomicBool,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    if let Ok(mut h) = hits.lock() {
        *h.entry(path.clone()).or_insert(0) += 1;
    }
    let request = Request {
        method,
        path,
        headers,
    };
    let mut out = stream;
    let head = |status: u16, headers: &[(String, String)], length: Option<usize>| {
        let mut s = format!(
            "HTTP/1.1 {status} {}\r\nConnection: close\r\n",
            reason(status)
        );
        let has_length = headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
        for (n, v) in headers {
            s.push_str(&format!("{n}: {v}\r\n"));
        }
        if let (Some(n), false) = (length, has_length) {
            s.push_str(&format!("Content-Length: {n}\r\n"));
        }
        s.push_str("\r\n");
        s
    };
    match handler(&request) {
        Response::Full {
            status,
            headers,
            body,
        } => {
            let _ = out.write_all(head(status, &headers, Some(body.len())).as_bytes());
            if request.method != "HEAD" {
                let _ = out.write_all(&body);
            }
        }
        Response::Drip {
            headers,
            chunk,
            every,
            times,
        } => {
            if out.write_all(head(200, &headers, None).as_bytes()).is_err() {
                return;
            }
            for _ in 0..times {
                if stop.load(Ordering::SeqCst)
                    || out.write_all(&chunk).is_err()
                    || out.flush().is_err()
                {
                    return;
                }
                std::thread::sleep(every);
            }
        }
        Response::Silence { for_ } => {
            let until = std::time::Instant::now() + for_;
            while std::time::Instant::now() < until && !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Response::Stream {
            headers,
            fill,
            total,
        } => {
            if out.write_all(head(200, &headers, None).as_bytes()).is_err() {
                return;
            }
            let block = vec![fill; 64 * 1024];
            let mut sent = 0u64;
            while sent < total {
                let n = (total - sent).min(block.len() as u64) as usize;
                if stop.load(Ordering::SeqCst) || out.write_all(&block[..n]).is_err() {
                    return;
                }
                sent += n as u64;
            }
        }
    }
    let _ = out.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
