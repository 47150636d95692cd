//! The server's connections and writes, over real TCP: a request's head
//! must arrive in time, idle connections are closed, connections past the
//! cap wait without shutting everyone out, a 401 names the Bearer scheme
//! (read in any case), and a write that answered 408 stored nothing.
//!
//! The server runs in this process with a [`Domain`] of the test's own: it
//! sleeps as many milliseconds as the posted body says, then writes a run
//! through its ticket, so that a slow write can be made at will and what
//! it stored read back from the database.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use verdict_present::Outcome;
use verdict_source::RawDocument;
use verdict_store::{Database, Location, Store};
use verdict_web::{Config, Domain, Ticket};

mod common;
use common::TOKEN;

/// Sleeps the milliseconds the body says, then stores a run (in its
/// ticket's commit): what it stored is `Store::run`'s to tell.
struct Slow;

impl Domain for Slow {
    fn ingest(&self, store: &mut dyn Store, document: &RawDocument, ticket: &Ticket) -> Outcome {
        let ms: u64 = String::from_utf8_lossy(&document.bytes)
            .trim()
            .parse()
            .unwrap_or(0);
        std::thread::sleep(Duration::from_millis(ms));
        match ticket.commit(|| store.begin_run("test", &document.origin)) {
            Some(Ok(run)) => {
                let _ = store.finish_run(run);
                Outcome::Duplicate {
                    review_id: run,
                    film_id: 0,
                }
            }
            Some(Err(e)) => Outcome::Failed {
                error: e.to_string(),
            },
            None => Ticket::abandoned(),
        }
    }
}

struct Server {
    addr: SocketAddr,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts a server with `config` (and the token) on a port of its own,
    /// and waits until it answers.
    fn start(config: Config) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.db");
        let addr = common::serve(db.clone(), config, Arc::new(Slow));
        let server = Server {
            addr,
            db,
            _dir: dir,
        };
        // Bound before it opens the database: the first request waits
        // for it in the listen backlog.
        let answer = server.get("/api/status");
        assert_eq!(status(&answer), 200, "{answer}");
        server
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s
    }

    /// Sends `head` (without its blank line) and `body` on a connection of
    /// its own; the whole answer.
    fn send(&self, head: &str, body: &[u8]) -> String {
        common::exchange(self.addr, head, body)
    }

    fn get(&self, path: &str) -> String {
        self.send(&format!("GET {path} HTTP/1.1"), b"")
    }

    fn post(&self, authorization: Option<&str>, body: &str) -> String {
        let auth = authorization
            .map(|a| format!("\r\nAuthorization: {a}"))
            .unwrap_or_default();
        self.send(
            &format!("POST /api/reviews?source=t.txt HTTP/1.1\r\nContent-Type: text/plain{auth}"),
            body.as_bytes(),
        )
    }

    /// Whether the database holds the run of that id.
    fn has_run(&self, id: i64) -> bool {
        let db = Database::open(&Location::File(self.db.clone()), false).unwrap();
        db.run(id).unwrap().is_some()
    }
}

fn status(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"))
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    answer.split("\r\n\r\n").next()?.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Reads one response from a kept-alive connection (its head and its
/// `Content-Length` body); the status.
fn read_response(reader: &mut BufReader<TcpStream>) -> u16 {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let code = status(&line);
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        if h == "\r\n" || h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':')
            && n.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    code
}

/// How long until the server closes `stream` (it reads nothing more).
fn closed_after(stream: &mut impl Read) -> Duration {
    let started = Instant::now();
    let mut buf = [0u8; 256];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return started.elapsed(),
            Ok(_) => {}
        }
    }
}

fn config(header_secs: u64, idle_secs: u64) -> Config {
    Config {
        header_timeout: Duration::from_secs(header_secs),
        idle_timeout: Duration::from_secs(idle_secs),
        ..Config::default()
    }
}

#[test]
fn a_request_head_sent_in_half_is_dropped_after_the_header_timeout() {
    let server = Server::start(config(1, 60));
    // Half a request, then nothing.
    let mut half = server.connect();
    let opened = Instant::now();
    half.write_all(b"GET /api/status HTTP/1.1\r\nHost: te")
        .unwrap();
    let waited = closed_after(&mut half);
    assert!(
        waited < Duration::from_secs(30),
        "closed after {waited:?}, not after the 1 s header timeout"
    );
    assert!(
        opened.elapsed() >= Duration::from_millis(900),
        "closed before its time: {:?}",
        opened.elapsed()
    );
    // A connection that sends nothing at all owes its head just the same.
    let mut silent = server.connect();
    assert!(closed_after(&mut silent) < Duration::from_secs(30));
    // A whole request is answered.
    assert_eq!(status(&server.get("/api/status")), 200);
}

#[test]
fn an_idle_kept_alive_connection_is_closed_after_the_idle_timeout_not_the_header_timeout() {
    // The header clock (1 s) does not run between requests: a kept-alive
    // connection idle for longer still takes its next request.
    let server = Server::start(config(1, 4));
    let stream = server.connect();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut w = stream;
    let ask = "GET /api/status HTTP/1.1\r\nHost: test\r\n\r\n";
    w.write_all(ask.as_bytes()).unwrap();
    assert_eq!(read_response(&mut reader), 200);
    std::thread::sleep(Duration::from_millis(2000));
    w.write_all(ask.as_bytes()).unwrap();
    assert_eq!(read_response(&mut reader), 200, "idle 2 s of 4: still open");
    // Then, idle past the idle timeout, it is closed.
    let answered = Instant::now();
    let waited = closed_after(&mut reader);
    assert!(waited < Duration::from_secs(30), "{waited:?}");
    assert!(
        answered.elapsed() >= Duration::from_millis(3500),
        "closed after {:?}, before the idle timeout",
        answered.elapsed()
    );
}

#[test]
fn past_the_cap_connections_wait_and_idle_ones_do_not_shut_everyone_out() {
    let server = Server::start(Config {
        max_connections: 8,
        ..config(2, 2)
    });
    // A client already connected before the flood.
    let stream = server.connect();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut w = stream;
    let ask = "GET /api/status HTTP/1.1\r\nHost: test\r\n\r\n";
    w.write_all(ask.as_bytes()).unwrap();
    assert_eq!(read_response(&mut reader), 200);
    // 30 connections that never send a byte: 7 fill the cap, the rest
    // wait to be accepted.
    let idle: Vec<TcpStream> = (0..30).map(|_| server.connect()).collect();
    std::thread::sleep(Duration::from_millis(200));
    // The client already connected is served at once.
    let started = Instant::now();
    w.write_all(ask.as_bytes()).unwrap();
    assert_eq!(read_response(&mut reader), 200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "an open connection waited {:?}",
        started.elapsed()
    );
    drop(reader);
    drop(w);
    // A new one waits for room (the idle ones are dropped after the
    // header timeout, a cap's worth at a time), then is answered.
    let started = Instant::now();
    assert_eq!(status(&server.get("/api/status")), 200);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1000),
        "answered in {waited:?}: the cap did not hold it"
    );
    assert!(waited < Duration::from_secs(40), "{waited:?}");
    drop(idle);
}

#[test]
fn a_401_names_the_bearer_scheme_and_the_scheme_is_read_in_any_case() {
    let server = Server::start(Config::default());
    let answer = server.post(None, "0");
    assert_eq!(status(&answer), 401, "{answer}");
    assert_eq!(
        header(&answer, "www-authenticate"),
        Some("Bearer realm=\"verdict\""),
        "{answer}"
    );
    let answer = server.post(Some("Bearer wrong-token"), "0");
    assert_eq!(status(&answer), 401);
    assert_eq!(
        header(&answer, "www-authenticate"),
        Some("Bearer realm=\"verdict\", error=\"invalid_token\"")
    );
    let answer = server.send("DELETE /api/runs/1 HTTP/1.1", b"");
    assert_eq!(status(&answer), 401);
    assert!(header(&answer, "www-authenticate").is_some_and(|v| v.starts_with("Bearer ")));
    assert!(!server.has_run(1), "nothing was written");
    for (i, scheme) in ["bearer", "BEARER", "Bearer"].iter().enumerate() {
        let answer = server.post(Some(&format!("{scheme} {TOKEN}")), "0");
        assert_eq!(status(&answer), 200, "{scheme}: {answer}");
        assert!(server.has_run(i as i64 + 1));
    }
    let answer = server.post(Some(&format!("Basic {TOKEN}")), "0");
    assert_eq!(status(&answer), 401, "another scheme is not the bearer's");
}

#[test]
fn a_write_that_timed_out_stored_nothing() {
    let server = Arc::new(Server::start(Config {
        request_timeout: Duration::from_secs(1),
        ..Config::default()
    }));
    let auth = format!("Bearer {TOKEN}");
    // A write that takes 3 s, and one posted behind it that waits for the
    // writer: both answered 408.
    let slow = {
        let (server, auth) = (server.clone(), auth.clone());
        std::thread::spawn(move || server.post(Some(&auth), "3000"))
    };
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let queued = server.post(Some(&auth), "0");
    assert_eq!(status(&queued), 408, "{queued}");
    assert!(started.elapsed() < Duration::from_secs(3));
    let slow = slow.join().unwrap();
    assert_eq!(status(&slow), 408, "{slow}");
    assert!(slow.contains("nothing was written"), "{slow}");
    // The slow write has finished its work by now, and the queued one has
    // had the writer: neither stored anything.
    std::thread::sleep(Duration::from_millis(3500));
    assert!(!server.has_run(1), "a write answered 408 was stored");
    // A write in time is stored.
    let answer = server.post(Some(&auth), "0");
    assert_eq!(status(&answer), 200, "{answer}");
    assert!(server.has_run(1));
    assert!(!server.has_run(2));
}
