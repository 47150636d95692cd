//! The API's contract where a client can get it wrong, over real TCP: what
//! the OpenAPI document (`/openapi.json`) says is refused is refused, with
//! its documented status and the JSON error every API failure has, and
//! what it says is accepted is accepted. `.ci/api-contract` fuzzes the
//! same contract with schemathesis; these are the cases it found, fixed.
//!
//! The server runs in this process with a [`Domain`] of the test's own
//! that keeps the documents it is given and stores nothing, so that what
//! reached the pipeline can be read back.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use verdict_fetch::test_server::{Response, TestServer};
use verdict_present::Outcome;
use verdict_source::RawDocument;
use verdict_store::Store;
use verdict_web::{Config, Domain, Ticket};

mod common;
use common::TOKEN;

/// Keeps every document it is given; answers that it was stored already
/// (review 1 of film 1), writing nothing.
#[derive(Default)]
struct Keep {
    documents: Mutex<Vec<RawDocument>>,
}

impl Domain for Keep {
    fn ingest(&self, _: &mut dyn Store, document: &RawDocument, _: &Ticket) -> Outcome {
        self.documents.lock().unwrap().push(document.clone());
        Outcome::Duplicate {
            review_id: 1,
            film_id: 1,
        }
    }
}

struct Server {
    addr: SocketAddr,
    domain: Arc<Keep>,
    _dir: tempfile::TempDir,
}

/// A status and the JSON body.
struct Answer {
    status: u16,
    content_type: String,
    json: Value,
}

impl Server {
    fn start(config: Config) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.db");
        let domain = Arc::new(Keep::default());
        let addr = common::serve(db, config, domain.clone());
        let server = Server {
            addr,
            domain,
            _dir: dir,
        };
        assert_eq!(server.get("/api/status").status, 200);
        server
    }

    fn send(&self, head: &str, body: &[u8]) -> Answer {
        let answer = common::exchange(self.addr, head, body);
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let content_type = head
            .lines()
            .find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case("content-type")
                    .then(|| v.trim().to_string())
            })
            .unwrap_or_default();
        let json = serde_json::from_str(body).unwrap_or(Value::Null);
        Answer {
            status,
            content_type,
            json,
        }
    }

    fn get(&self, path: &str) -> Answer {
        self.send(&format!("GET {path} HTTP/1.1"), b"")
    }

    fn post(&self, content_type: &str, body: &str) -> Answer {
        self.send(
            &format!(
                "POST /api/reviews HTTP/1.1\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: {content_type}"
            ),
            body.as_bytes(),
        )
    }

    fn post_json(&self, body: &str) -> Answer {
        self.post("application/json", body)
    }

    fn documents(&self) -> Vec<RawDocument> {
        self.domain.documents.lock().unwrap().clone()
    }
}

/// A 400 with the JSON error shape, whose message contains `says`.
fn assert_bad_request(answer: &Answer, says: &str, what: &str) {
    assert_eq!(answer.status, 400, "{what}: {}", answer.json);
    assert_eq!(answer.content_type, "application/json", "{what}");
    let error = answer.json["error"].as_str().unwrap_or_else(|| {
        panic!("{what}: no error in {}", answer.json);
    });
    assert!(
        error.contains(says),
        "{what}: {error:?} should say {says:?}"
    );
}

#[test]
fn query_values_that_cannot_be_read_are_a_documented_400() {
    let server = Server::start(Config::default());
    for (path, says) in [
        ("/api/films?offset=-1", "offset"),
        ("/api/films?limit=abc", "limit"),
        ("/api/films?limit=0", "limit must be from 1 to 1000"),
        ("/api/films?limit=1001", "limit must be from 1 to 1000"),
        ("/api/films?offset=", "offset"),
        ("/api/critics/someone?page=null", "page"),
        ("/api/outlets/somewhere?page=0", "page counts from 1"),
        ("/api/outlets/somewhere?offset=1.5", "offset"),
        ("/api/search?q=x&limit=-3", "limit"),
    ] {
        assert_bad_request(&server.get(path), says, path);
    }
    // A remove's dry_run is true or false; the 400 comes before anything
    // is looked up or removed.
    let answer = server.send(
        &format!("DELETE /api/reviews/1?dry_run=maybe HTTP/1.1\r\nAuthorization: Bearer {TOKEN}"),
        b"",
    );
    assert_bad_request(&answer, "dry_run", "dry_run=maybe");
    // Without the token, the token is what is missing: 401 first.
    let answer = server.send("DELETE /api/films/x?dry_run=maybe HTTP/1.1", b"");
    assert_eq!(answer.status, 401, "{}", answer.json);

    // In range, they are answered; an offset past every list (however
    // large) is an empty page, not an error.
    let films = server.get("/api/films?offset=0&limit=1000");
    assert_eq!(films.status, 200, "{}", films.json);
    let beyond = server.get("/api/films?offset=99999999999999999999999");
    assert_eq!(beyond.status, 200, "{}", beyond.json);
    assert_eq!(beyond.json["items"], serde_json::json!([]));
    assert_eq!(server.get("/api/critics/nobody?page=1").status, 404);
}

#[test]
fn search_needs_its_q() {
    let server = Server::start(Config::default());
    assert_bad_request(&server.get("/api/search"), "q", "no q");
    assert_bad_request(&server.get("/api/search?limit=5"), "q", "no q");
    let empty = server.get("/api/search?q=");
    assert_eq!(empty.status, 200, "an empty q is a q: {}", empty.json);
    assert_eq!(empty.json["query"], "");
    assert_eq!(server.get("/api/search?q=red&limit=5").status, 200);
    // The HTML search page is forgiving: no q is the empty form.
    let page = server.send("GET /search HTTP/1.1", b"");
    assert_eq!(page.status, 200);
}

#[test]
fn json_bodies_of_the_wrong_shape_are_refused_before_the_pipeline() {
    let server = Server::start(Config::default());
    for (body, says) in [
        ("[]", "must be an object"),
        ("[\"http://critic.example/\"]", "must be an object"),
        ("\"a review\"", "must be an object"),
        ("42", "must be an object"),
        ("null", "must be an object"),
        ("{}", "give either \"url\" or \"text\""),
        ("{\"text\": 5}", "invalid type"),
        ("{\"text\": null}", "invalid type"),
        ("{\"text\": \"ok\", \"source\": false}", "invalid type"),
        ("{\"url\": [\"http://critic.example/\"]}", "invalid type"),
        (
            "{\"text\": \"a\", \"url\": \"http://critic.example/\"}",
            "either",
        ),
        ("{\"text\": \"a\", \"rating\": 5}", "unknown field"),
        (
            "{\"url\": \"http://critic.example/\", \"source\": \"s\"}",
            "a URL names itself",
        ),
        (
            "{\"url\": \"ftp://critic.example/review\"}",
            "http:// or https://",
        ),
        (
            "{\"url\": \"critic.example/review\"}",
            "http:// or https://",
        ),
        ("{\"text\": \"\"}", "\"text\" is empty"),
        ("{\"text\": ", "bad JSON"),
    ] {
        assert_bad_request(&server.post_json(body), says, body);
    }
    // An empty body of any type.
    assert_bad_request(&server.post("text/plain", ""), "empty", "empty text");
    assert!(
        server.documents().is_empty(),
        "nothing reached the pipeline"
    );
}

#[test]
fn schema_valid_bodies_reach_the_pipeline() {
    let server = Server::start(Config::default());
    let text = "Red Rooms (2023) review. Rating: 4/5";
    let answer =
        server.post_json(&serde_json::json!({ "text": text, "source": "mine.txt" }).to_string());
    assert_eq!(answer.status, 200, "{}", answer.json);
    assert_eq!(answer.json["outcome"], "duplicate");
    // JSON's media type in any case, with parameters.
    let answer = server.post(
        "Application/JSON; charset=utf-8",
        &serde_json::json!({ "text": text }).to_string(),
    );
    assert_eq!(answer.status, 200, "{}", answer.json);
    // A document of any text type, JSON-looking or not, is a document.
    for content_type in ["text/plain", "text/markdown", "text/html; charset=utf-8"] {
        let answer = server.post(content_type, "{}");
        assert_eq!(answer.status, 200, "{content_type}: {}", answer.json);
    }
    let documents = server.documents();
    assert_eq!(documents.len(), 5);
    assert_eq!(documents[0].origin, "mine.txt");
    assert_eq!(documents[0].bytes, text.as_bytes());
    assert_eq!(documents[1].origin, "api");
    assert_eq!(documents[2].bytes, b"{}");
}

#[test]
fn a_url_whose_host_does_not_resolve_is_a_422_naming_it() {
    let server = Server::start(Config {
        fetch_timeout: Duration::from_secs(10),
        ..Config::default()
    });
    // `.invalid` never resolves (RFC 6761).
    let url = "http://no-such-host.invalid/review";
    let answer = server.post_json(&serde_json::json!({ "url": url }).to_string());
    assert_eq!(answer.status, 422, "{}", answer.json);
    assert_eq!(answer.json["outcome"], "failed");
    let error = answer.json["error"].as_str().unwrap();
    assert!(
        error.starts_with(&format!("cannot fetch {url}: ")),
        "{error}"
    );
    assert!(error.contains("does not resolve"), "{error}");
    assert!(server.documents().is_empty());
}

#[test]
fn with_fetching_confined_to_loopback_every_other_address_is_refused() {
    let site = TestServer::start(|r| match r.path.as_str() {
        "/review" => Response::html(
            "<html><head><title>Red Rooms review</title></head><body><p>Rating: 4/5</p></body></html>",
        ),
        _ => Response::status(404),
    });
    let server = Server::start(Config {
        fetch_loopback_only: true,
        fetch_timeout: Duration::from_secs(10),
        ..Config::default()
    });
    // Loopback is fetched, and the page goes down the pipeline by its URL.
    let url = site.url("/review");
    let answer = server.post_json(&serde_json::json!({ "url": url }).to_string());
    assert_eq!(answer.status, 200, "{}", answer.json);
    let documents = server.documents();
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].origin, url);
    assert_eq!(site.hits("/review"), 1);

    // Anything else is refused without a connection (a name is not even
    // looked up): a 422 naming the URL and why.
    for url in [
        "http://93.184.216.34/review",
        "https://[2606:4700::1111]/review",
        "http://10.0.0.1/review",
        "http://critic.example/review",
        "http://no-such-host.invalid/review",
    ] {
        let answer = server.post_json(&serde_json::json!({ "url": url }).to_string());
        assert_eq!(answer.status, 422, "{url}: {}", answer.json);
        assert_eq!(answer.json["outcome"], "failed");
        let error = answer.json["error"].as_str().unwrap();
        assert!(
            error.starts_with(&format!("cannot fetch {url}: refused: ")),
            "{error}"
        );
        assert!(error.contains("loopback"), "{error}");
    }
    // A page that is not there is the URL's fault: 422 too.
    let missing = site.url("/missing");
    let answer = server.post_json(&serde_json::json!({ "url": missing }).to_string());
    assert_eq!(answer.status, 422, "{}", answer.json);
    assert!(answer.json["error"].as_str().unwrap().contains("404"));
    // Nothing answering on a loopback port is the upstream failing: 502.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{closed}/review");
    let answer = server.post_json(&serde_json::json!({ "url": url }).to_string());
    assert_eq!(answer.status, 502, "{}", answer.json);
    assert!(
        answer.json["error"].as_str().unwrap().contains(&url),
        "{}",
        answer.json
    );
    assert_eq!(server.documents().len(), 1, "only the loopback page");
}
