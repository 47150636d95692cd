//! `verdict serve` driven over HTTP: the real binary on 127.0.0.1:0, a real
//! HTTP client. The API's numbers are the command line's; review text comes
//! back escaped in HTML; writes need the token; bodies and requests are
//! limited; every API route is in the OpenAPI document and answers in the
//! shapes it describes.

mod common;
use common::server::{Server, agent};
use common::*;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

const TOKEN: &str = "test-token-5e1f";

/// A review whose text carries a script element.
const OWLS: &str = "Night Owls (2024)\n\nBy Jane Critic\n\nThe villain types <script>alert(1)</script> into a chat window, and the film never recovers from how silly that looks.\n\nStill, the lead performance is terrific and the ending lands.\n\nRating: 3/5\n";

/// The text of the element carrying `data-testid="ID"`.
fn testid(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("data-testid=\"{id}\""))
        .unwrap_or_else(|| panic!("no data-testid={id}"));
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest[start..].find('<').unwrap() + start;
    rest[start..end].trim().to_string()
}

/// Whether `html` holds `text` with its markup characters escaped (as
/// named or numeric character references).
fn shows_escaped(html: &str, text: &str) -> bool {
    let named = text.replace('<', "&lt;").replace('>', "&gt;");
    let numeric = text.replace('<', "&#60;").replace('>', "&#62;");
    html.contains(&named) || html.contains(&numeric)
}

fn db_with_seeds() -> Option<(tempfile::TempDir, PathBuf)> {
    let seeds = seeds()?;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    ok(&db, &["ingest", seeds.to_str().unwrap()]);
    Some((dir, db))
}

#[test]
fn the_api_gives_the_command_lines_numbers_and_the_page_shows_them() {
    let Some((_dir, db)) = db_with_seeds() else {
        return;
    };
    let cli = json(&db, &["show", "Red Rooms", "--json"]);
    let server = Server::start(&db, &[]);

    let api = server.get_json("/api/films/red-rooms-2023");
    assert_eq!(api, cli, "the API's film page is `verdict show --json`");
    let agg = &api["aggregate"];
    assert_eq!(agg["reviews"], 5);
    let percent = agg["positive_percent"].as_f64().unwrap();
    assert!(percent > 90.0 && percent < 100.0, "{agg:#}");
    let [lo, hi] = [0, 1].map(|i| agg["positive_interval"][i].as_f64().unwrap());
    assert!(
        lo < 60.0 && lo < percent && hi > percent && hi <= 100.0,
        "{agg:#}"
    );

    // The same film by id, and by its other title in search.
    let by_id = server.get_json(&format!("/api/films/{}", api["film"]["id"]));
    assert_eq!(by_id, api);
    let found = server.get_json("/api/search?q=les%20chambres%20rouges");
    assert_eq!(found["films"]["items"][0]["film"]["title"], "Red Rooms");
    assert_eq!(found["films"]["items"][0]["url"], "/films/red-rooms-2023");
    let list = server.get_json("/api/films");
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["aggregate"], *agg);

    let (status, html) = server.get("/films/red-rooms-2023");
    assert_eq!(status, 200);
    assert_eq!(
        testid(&html, "film-title").split(" <").next().unwrap(),
        "Red Rooms"
    );
    let num = |x: f64| {
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.1}")
        }
    };
    assert_eq!(testid(&html, "positive-percent"), num(percent));
    assert_eq!(
        testid(&html, "positive-interval"),
        format!("{}–{}", num(lo), num(hi))
    );
    // What % positive counted is said.
    assert!(
        testid(&html, "positive-basis").contains("read from text"),
        "{}",
        testid(&html, "positive-basis")
    );
    let score = agg["score"].as_f64().unwrap();
    assert_eq!(testid(&html, "score"), format!("{:.0}", score.round()));
    assert!(html.contains(&format!("data-exact=\"{}\"", serde_json::json!(score))));
    assert_eq!(testid(&html, "count-positive"), agg["positive"].to_string());
    assert_eq!(testid(&html, "count-mixed"), agg["mixed"].to_string());
    assert_eq!(testid(&html, "count-negative"), agg["negative"].to_string());
    assert_eq!(testid(&html, "count-inferred"), agg["inferred"].to_string());
    // Every review, its rating as written and as converted.
    assert_eq!(html.matches("class=\"review\"").count(), 5);
    assert!(html.contains("<q data-testid=\"rating-raw\">4.5/5</q>"));
    assert!(html.contains("<q data-testid=\"rating-raw\">Score: 88</q>"));
    assert_eq!(html.matches("class=\"tag inferred\"").count(), 2);
    // JSON-LD: a Movie with its AggregateRating.
    let ld_start = html.find("application/ld+json\">").unwrap() + "application/ld+json\">".len();
    let ld_end = html[ld_start..].find("</script>").unwrap() + ld_start;
    let ld: Value = serde_json::from_str(&html[ld_start..ld_end]).unwrap();
    assert_eq!(ld["@type"], "Movie");
    assert_eq!(ld["name"], "Red Rooms");
    assert_eq!(ld["aggregateRating"]["@type"], "AggregateRating");
    assert_eq!(ld["aggregateRating"]["ratingValue"], agg["score"]);
    assert_eq!(ld["aggregateRating"]["reviewCount"], 5);

    // The film's id leads to its slug; a slug ending in a year that is
    // some film's id is not that film.
    let (status, html) = server.get(&format!("/films/{}", api["film"]["id"]));
    assert_eq!(status, 200, "redirect followed to the film");
    assert!(html.contains("<link rel=\"canonical\" href=\"/films/red-rooms-2023\">"));
    assert_eq!(server.get("/films/red-rooms-1").0, 404);
    assert_eq!(server.get("/films/no-such-film").0, 404);
    assert_eq!(server.get("/api/films/no-such-film").0, 404);
    let (status, html) = server.get("/nowhere");
    assert_eq!(status, 404);
    assert!(html.contains("<!doctype html>"));
    let (status, json) = server.get("/api/nowhere");
    assert_eq!(status, 404);
    assert!(serde_json::from_str::<Value>(&json).unwrap()["error"].is_string());
}

#[test]
fn review_text_is_escaped_in_html_and_kept_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let server = Server::start(&db, &["--token", TOKEN]);
    let (status, out) = server.post(
        "/api/reviews?source=owls.txt",
        Some(TOKEN),
        "text/plain",
        OWLS.as_bytes(),
    );
    assert_eq!(status, 201, "{out}");
    assert_eq!(out["outcome"], "stored");
    let review_url = out["review_url"].as_str().unwrap().to_string();
    let film_url = out["film_url"].as_str().unwrap().to_string();
    assert_eq!(film_url, "/films/night-owls-2024");

    for path in [
        review_url.as_str(),
        film_url.as_str(),
        "/",
        "/critics/jane-critic",
    ] {
        let (status, html) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(
            shows_escaped(&html, "<script>alert(1)</script>"),
            "{path}: the text is shown, escaped"
        );
        assert!(!html.contains("<script>alert"), "{path}: no live script");
    }
    let (_, html) = server.get(&review_url);
    assert!(html.contains("Rating: 3/5") && html.contains("Jane Critic"));
    // The API gives the text as data.
    let api = server.get_json(&format!("/api{review_url}"));
    assert!(
        api["body"]
            .as_str()
            .unwrap()
            .contains("<script>alert(1)</script>")
    );
    assert_eq!(api["review"]["rating"]["raw"], "Rating: 3/5");
    // The feed escapes it as XML.
    let (status, feed) = server.get("/feed.xml");
    assert_eq!(status, 200);
    assert!(feed.starts_with("<?xml") && feed.contains("<item>"));
    assert!(feed.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!feed.contains("<script>"));

    // The same document again changes nothing.
    let (status, again) = server.post(
        "/api/reviews?source=owls.txt",
        Some(TOKEN),
        "text/plain",
        OWLS.as_bytes(),
    );
    assert_eq!(
        (status, again["outcome"].as_str()),
        (200, Some("duplicate"))
    );
    // JSON {"text", "source"} is the other way to send a document.
    let doc = serde_json::json!({"text": "Quiet Storm (2021)\n\nBy Ann Other\n\nA dull, lifeless film.\n\nRating: 1/5\n", "source": "storm.txt"});
    let (status, out) = server.post(
        "/api/reviews",
        Some(TOKEN),
        "application/json",
        doc.to_string().as_bytes(),
    );
    assert_eq!(status, 201, "{out}");
    let page = server.get_json("/api/films/quiet-storm-2021");
    assert_eq!(page["aggregate"]["negative"], 1);
    // A document with no film in it is refused with the reason.
    let (status, out) = server.post("/api/reviews", Some(TOKEN), "text/plain", b"\n\n");
    assert!(status == 400 || status == 422, "{status} {out}");
}

#[test]
fn writes_need_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let server = Server::start(&db, &["--token", TOKEN]);
    let (status, out) = server.post("/api/reviews", None, "text/plain", OWLS.as_bytes());
    assert_eq!(status, 401, "{out}");
    assert!(out["error"].as_str().unwrap().contains("token"));
    let (status, _) = server.post(
        "/api/reviews",
        Some("wrong-token-5e1f"),
        "text/plain",
        OWLS.as_bytes(),
    );
    assert_eq!(status, 401);
    let (status, _) = server.post(
        "/api/reviews",
        Some("test-token"),
        "text/plain",
        OWLS.as_bytes(),
    );
    assert_eq!(status, 401, "a prefix of the token is not the token");
    assert_eq!(
        server.get_json("/api/status")["reviews"],
        0,
        "nothing was written"
    );
    drop(server);

    // Without a token configured, writes are off.
    let server = Server::start(&db, &[]);
    let (status, out) = server.post("/api/reviews", Some(TOKEN), "text/plain", OWLS.as_bytes());
    assert_eq!(status, 403, "{out}");
    assert_eq!(server.get_json("/api/status")["writes"], false);
}

#[test]
fn bodies_are_limited_in_size_and_requests_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let config = dir.path().join("verdict.toml");
    std::fs::write(
        &config,
        format!("token = \"{TOKEN}\"\nbody_limit = 65536\nrequest_timeout_secs = 2\n"),
    )
    .unwrap();
    let server = Server::start(&db, &["--config", config.to_str().unwrap()]);

    // Over the limit, announced by Content-Length.
    let big = format!("{OWLS}{}", "x".repeat(70_000));
    let (status, _) = server.post("/api/reviews", Some(TOKEN), "text/plain", big.as_bytes());
    assert_eq!(status, 413);
    // Over the limit, streamed without a length (chunked).
    let mut reader = std::io::Cursor::new(big.clone().into_bytes());
    let mut res = agent()
        .post(&server.url("/api/reviews"))
        .header("Authorization", &format!("Bearer {TOKEN}"))
        .header("Content-Type", "text/plain")
        .send(ureq::SendBody::from_reader(&mut reader))
        .expect("POST");
    assert_eq!(
        res.status().as_u16(),
        413,
        "{:?}",
        res.body_mut().read_to_string()
    );
    // Under the limit it goes through.
    let (status, out) = server.post("/api/reviews", Some(TOKEN), "text/plain", OWLS.as_bytes());
    assert_eq!(status, 201, "{out}");

    // A client that announces a body and never sends it is cut off.
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /api/reviews HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nNight Owls"
    )
    .unwrap();
    let started = std::time::Instant::now();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// Checks `value` against a JSON Schema subset (type, required,
/// properties, items, enum, $ref, allOf, oneOf).
fn check(value: &Value, schema: &Value, doc: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return check(value, &doc["components"]["schemas"][name], doc, at);
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            check(value, s, doc, at)?;
        }
    }
    if let Some(any) = schema["oneOf"].as_array()
        && !any.iter().any(|s| check(value, s, doc, at).is_ok())
    {
        return Err(format!("{at}: {value} matches no alternative"));
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let is = |t: &str| match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    };
    if !types.is_empty() && !types.iter().any(|t| is(t)) {
        return Err(format!("{at}: {value} is not {types:?}"));
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        return Err(format!("{at}: {value} not in {values:?}"));
    }
    if let Some(o) = value.as_object() {
        for key in schema["required"].as_array().into_iter().flatten() {
            let key = key.as_str().unwrap();
            if !o.contains_key(key) {
                return Err(format!("{at}: no {key:?} in {value}"));
            }
        }
        if let Some(props) = schema["properties"].as_object() {
            for (key, s) in props {
                if let Some(v) = o.get(key) {
                    check(v, s, doc, &format!("{at}.{key}"))?;
                }
            }
        }
    }
    if let (Some(items), Some(a)) = (schema.get("items"), value.as_array()) {
        for (i, v) in a.iter().enumerate() {
            check(v, items, doc, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[test]
fn every_api_route_is_documented_and_answers_as_documented() {
    let Some((_dir, db)) = db_with_seeds() else {
        return;
    };
    let server = Server::start(&db, &["--token", TOKEN]);
    let (status, _) = server.post(
        "/api/reviews?source=owls.txt",
        Some(TOKEN),
        "text/plain",
        OWLS.as_bytes(),
    );
    assert_eq!(status, 201);
    let doc = server.get_json("/openapi.json");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let routes = verdict_web::api::ROUTES;
    for (method, path) in routes {
        assert!(
            paths
                .get(*path)
                .and_then(|p| p.get(method.to_lowercase()))
                .is_some(),
            "{method} {path} is not in the OpenAPI document"
        );
    }
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            assert!(
                routes
                    .iter()
                    .any(|(m, p)| p == path && m.eq_ignore_ascii_case(method)),
                "{method} {path} is documented but not routed"
            );
        }
    }
    // Every GET route answers 200 with what its schema says.
    for (method, path) in routes.iter().filter(|(m, _)| *m == "GET") {
        let concrete = path
            .replace("/films/{slug}", "/films/red-rooms-2023")
            .replace("/critics/{slug}", "/critics/jane-critic")
            .replace("/outlets/{slug}", "/outlets/little-white-lies")
            .replace("{id}", "1")
            .replace("/api/search", "/api/search?q=red");
        let (status, body) = server.get(&concrete);
        assert_eq!(status, 200, "{method} {concrete}: {body}");
        let schema =
            &paths[*path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        if schema.is_object() {
            let value: Value = serde_json::from_str(&body).unwrap();
            if let Err(e) = check(&value, schema, &doc, &concrete) {
                panic!("{e}");
            }
        }
    }
    // The write's answer too.
    let (status, out) = server.post(
        "/api/reviews?source=owls.txt",
        Some(TOKEN),
        "text/plain",
        OWLS.as_bytes(),
    );
    assert_eq!(status, 200);
    let schema =
        &paths["/api/reviews"]["post"]["responses"]["200"]["content"]["application/json"]["schema"];
    check(&out, schema, &doc, "POST /api/reviews").unwrap();
    // The critic's page carries the review and the outlet's its own.
    let critic = server.get_json("/api/critics/jane-critic");
    assert_eq!(critic["reviews"], 1);
    assert_eq!(critic["items"][0]["film"]["title"], "Night Owls");
    let outlet = server.get_json("/api/outlets/little-white-lies");
    assert_eq!(outlet["items"][0]["review"]["outlet"], "Little White Lies");
    let found = server.get_json("/api/search?q=jane");
    assert_eq!(found["critics"]["items"][0]["name"], "Jane Critic");
}

#[test]
fn a_review_can_be_sent_by_url_and_private_addresses_are_refused() {
    use verdict_fetch::test_server::{Response, TestServer};
    let page = "<html><head><title>Quiet Storm (2021) review</title></head><body><article><h1>Quiet Storm (2021)</h1><p>By Ann Other</p><p>A dull, lifeless film that never finds its footing, and the cast look as bored as we were.</p><p>Rating: 1/5</p></article></body></html>";
    let site = TestServer::start(move |req| match req.path.as_str() {
        "/quiet-storm" => Response::html(page),
        _ => Response::status(404),
    });
    let url = site.url("/quiet-storm");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");

    // By default only public addresses are fetched: loopback is refused.
    let server = Server::start(&db, &["--token", TOKEN]);
    let body = serde_json::json!({ "url": url }).to_string();
    let (status, out) = server.post(
        "/api/reviews",
        Some(TOKEN),
        "application/json",
        body.as_bytes(),
    );
    assert_eq!(status, 422, "a URL this server will not fetch: {out}");
    assert_eq!(out["outcome"], "failed", "{out}");
    assert!(out["error"].as_str().unwrap().contains("refused"), "{out}");
    assert_eq!(site.hits("/quiet-storm"), 0, "nothing was fetched");
    drop(server);

    // A host the config allows is fetched and ingested, named by its URL.
    let config = dir.path().join("verdict.toml");
    std::fs::write(
        &config,
        format!("token = \"{TOKEN}\"\nfetch_allow_hosts = [\"127.0.0.1\"]\n"),
    )
    .unwrap();
    let server = Server::start(&db, &["--config", config.to_str().unwrap()]);
    let (status, out) = server.post(
        "/api/reviews",
        Some(TOKEN),
        "application/json",
        body.as_bytes(),
    );
    assert_eq!(status, 201, "{out}");
    let review = server.get_json(&format!("/api{}", out["review_url"].as_str().unwrap()));
    assert_eq!(review["review"]["source"], url);
    assert_eq!(review["review"]["rating"]["raw"], "Rating: 1/5");
    let (_, html) = server.get(out["film_url"].as_str().unwrap());
    assert!(
        html.contains(&format!("href=\"{url}\"")),
        "the page links to the source"
    );
}

#[test]
fn reviews_written_by_another_process_show_up() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let server = Server::start(&db, &["--poll", "1"]);
    assert_eq!(server.get_json("/api/status")["films"], 0);
    let (_, html) = server.get("/");
    assert!(html.contains("Nothing reviewed yet"));
    ok(&db, &["ingest", seeds.to_str().unwrap()]);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while server.get_json("/api/status")["reviews"] != 5 {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never saw the new reviews"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (_, html) = server.get("/");
    assert!(
        html.contains("/films/red-rooms-2023"),
        "the cached home page was replaced"
    );
}

/// Every request answered is logged in its span (method, path) with its
/// status and latency; a client's error is not the server's.
#[test]
fn requests_are_logged_with_method_path_status_and_latency() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("verdict.db");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reviews/01-plain.txt");
    ok(&db, &["ingest", &example.to_string_lossy()]);
    let log = dir.path().join("serve.log");
    let server = Server::start_logging(
        &db,
        &[],
        "info",
        Stdio::from(std::fs::File::create(&log).unwrap()),
    );
    assert_eq!(server.get("/api/status").0, 200);
    assert_eq!(server.get("/films/no-such-film").0, 404);
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    let line_of = |path: &str| {
        text.lines()
            .find(|l| l.contains(&format!("path={path}")) && l.contains("answered"))
            .unwrap_or_else(|| panic!("no line for {path} in:\n{text}"))
            .to_string()
    };
    let status = line_of("/api/status");
    assert!(status.contains("method=GET"), "{status}");
    assert!(status.contains("status=200"), "{status}");
    assert!(status.contains("latency_ms="), "{status}");
    assert!(status.contains(" INFO "), "{status}");
    let missing = line_of("/films/no-such-film");
    assert!(missing.contains("status=404"), "{missing}");
}

/// The search reads a film's arguments as `verdict show` does; removals
/// need the token, answer what went (or, dry, would go), and the pages,
/// the API and the statistics follow at once.
#[test]
fn films_are_found_as_the_command_line_names_them_and_removed_behind_the_token() {
    let (Some((_dir, db)), Some(soccer)) =
        (db_with_seeds(), verdict_testkit::data("rt-toplists/soccer"))
    else {
        return;
    };
    let out = verdict(&db, &["import", soccer.to_str().unwrap(), "--quiet"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err.lines().find(|l| l.starts_with("run ")).unwrap();
    let soccer_run: i64 = line["run ".len()..line.find(':').unwrap()].parse().unwrap();
    let cli_alone = {
        let alone = db.with_file_name("alone.db");
        ok(&alone, &["ingest", seeds().unwrap().to_str().unwrap()]);
        json(&alone, &["show", "Red Rooms", "--json"])
    };
    let server = Server::start(&db, &["--token", TOKEN]);

    // The search: a title names both films; its year, its slug or its id one.
    let titles = |q: &str| -> Vec<(String, i64)> {
        let url = format!(
            "/api/search?q={}",
            q.replace(' ', "%20").replace('#', "%23")
        );
        let mut found: Vec<(String, i64)> = server.get_json(&url)["films"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["film"]["title"].as_str().unwrap().to_string(),
                    f["film"]["year"].as_i64().unwrap(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let ngw = |y: i64| ("Next Goal Wins".to_string(), y);
    assert_eq!(titles("Next Goal Wins"), [ngw(2014), ngw(2023)]);
    assert_eq!(titles("Next Goal Wins (2023)"), [ngw(2023)]);
    assert_eq!(titles("next-goal-wins-2014"), [ngw(2014)]);
    let film = server.get_json("/api/films/next-goal-wins-2023");
    let film_id = film["film"]["id"].as_i64().unwrap();
    let film_reviews = film["aggregate"]["reviews"].as_i64().unwrap();
    assert_eq!(titles(&format!("#{film_id}")), [ngw(2023)]);

    // Without the token, nothing.
    let reviews = server.get_json("/api/status")["reviews"].as_i64().unwrap();
    let review_id = film["reviews"][0]["id"].as_i64().unwrap();
    let one = format!("/api/reviews/{review_id}");
    assert_eq!(server.delete(&one, None).0, 401);
    assert_eq!(server.delete(&one, Some("wrong-token-5e1f")).0, 401);
    assert_eq!(server.delete("/api/films/next-goal-wins-2023", None).0, 401);
    assert_eq!(
        server.delete(&format!("/api/runs/{soccer_run}"), None).0,
        401
    );
    // A dry run: what would go, nothing gone.
    let (status, out) = server.delete(&format!("{one}?dry_run=true"), Some(TOKEN));
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["dry_run"], true);
    assert_eq!(out["reviews"], serde_json::json!([review_id]));
    assert_eq!(out["films"][0]["left"], film_reviews - 1);
    assert_eq!(server.get_json("/api/status")["reviews"], reviews);
    assert_eq!(server.get(&one).0, 200);

    // One review; its page and its film's follow at once.
    let (status, out) = server.delete(&one, Some(TOKEN));
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["films"][0]["removed"], false);
    assert_eq!(server.get(&one).0, 404);
    assert_eq!(server.get(&format!("/reviews/{review_id}")).0, 404);
    let after = server.get_json("/api/films/next-goal-wins-2023");
    assert_eq!(after["aggregate"]["reviews"], film_reviews - 1);
    assert_eq!(
        server.get_json("/api/status")["reviews"].as_i64().unwrap(),
        reviews - 1
    );
    let (status, out) = server.delete(&one, Some(TOKEN));
    assert_eq!(status, 404, "twice: {out}");
    assert_eq!(out["error"], "no such review");

    // The film, by its slug; then it is gone from the API, the pages and
    // the command line.
    let (status, out) = server.delete("/api/films/next-goal-wins-2023", Some(TOKEN));
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["films"][0]["removed"], true);
    assert_eq!(
        out["reviews"].as_array().unwrap().len() as i64,
        film_reviews - 1
    );
    assert_eq!(server.get("/api/films/next-goal-wins-2023").0, 404);
    assert_eq!(server.get("/films/next-goal-wins-2023").0, 404);
    assert_eq!(titles("Next Goal Wins"), [ngw(2014)]);
    assert_eq!(
        server
            .delete("/api/films/next-goal-wins-2023", Some(TOKEN))
            .0,
        404
    );
    assert_eq!(
        json(&db, &["show", "Next Goal Wins", "--json"])["film"]["year"],
        2014
    );

    // The rest of the run; Red Rooms is then as if it had never been
    // imported, cross-film statistics included.
    let (status, out) = server.delete(&format!("/api/runs/{soccer_run}"), Some(TOKEN));
    assert_eq!(status, 200, "{out}");
    assert_eq!(server.get_json("/api/status")["reviews"], 5);
    assert_eq!(server.get_json("/api/films/red-rooms-2023"), cli_alone);
    let (status, out) = server.delete(&format!("/api/runs/{soccer_run}"), Some(TOKEN));
    assert_eq!(status, 404, "{out}");
    assert_eq!(server.delete("/api/runs/999", Some(TOKEN)).0, 404);
}

/// Every list the API gives has one shape, `{total, offset, limit, items}`,
/// and `offset` and `limit` walk it.
#[test]
fn every_api_list_has_one_shape_and_pages_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("verdict.db");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reviews");
    ok(&db, &["ingest", &examples.to_string_lossy()]);
    std::fs::write(dir.path().join("owls.txt"), OWLS).unwrap();
    ok(
        &db,
        &["ingest", &dir.path().join("owls.txt").to_string_lossy()],
    );
    let server = Server::start(&db, &[]);
    let shape = |v: &Value, at: &str| {
        for key in ["total", "offset", "limit", "items"] {
            assert!(v.get(key).is_some(), "{at}: no {key} in {v}");
        }
        assert!(v["items"].is_array(), "{at}");
    };
    let all = server.get_json("/api/films");
    shape(&all, "films");
    assert_eq!(all["total"], 2, "{all}");
    let first = server.get_json("/api/films?limit=1");
    let second = server.get_json("/api/films?limit=1&offset=1");
    for (page, at) in [(&first, "first"), (&second, "second")] {
        shape(page, at);
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
        assert_eq!(page["total"], 2);
    }
    assert_ne!(
        first["items"][0]["film"]["id"],
        second["items"][0]["film"]["id"]
    );
    assert_eq!(second["offset"], 1);

    let found = server.get_json("/api/search?q=i&limit=1");
    for kind in ["films", "critics", "outlets"] {
        shape(&found[kind], kind);
        assert!(
            found[kind]["items"].as_array().unwrap().len() <= 1,
            "{found}"
        );
    }
    assert_eq!(found["films"]["total"], 2, "both titles hold an i: {found}");

    // A critic's reviews: the same shape, after the critic's numbers.
    let critic = server.get_json("/api/critics/jane-critic?limit=1");
    shape(&critic, "critic");
    assert_eq!(critic["name"], "Jane Critic");
    assert_eq!(critic["limit"], 1);
    assert_eq!(
        critic["total"].as_u64().unwrap() as usize,
        critic["reviews"].as_u64().unwrap() as usize
    );
    let beyond = server.get_json("/api/critics/jane-critic?offset=1000");
    assert_eq!(beyond["items"].as_array().unwrap().len(), 0);
    let paged = server.get_json("/api/critics/jane-critic?page=1&limit=1");
    assert_eq!(paged["items"], critic["items"]);
}

/// Pages that list reviews, served: the home page's newest reviews are the
/// critics' quotes (never the page's furniture or its consensus), the film
/// page shows the site's own number beside Verdict's, and each listed
/// review its mark and a link to the full review.
#[test]
fn listed_reviews_are_served_with_the_sites_number_beside() {
    let Some(pages) = verdict_testkit::unpacked("rt-html-pages/rt-movie-pages-dev.tar.xz") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    ok(&db, &["ingest", s(&pages.join("movie_htmls"))]);
    let server = Server::start(&db, &[]);
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    let latest = &home[home.find("id=\"latest\"").expect("newest reviews")..];
    for furniture in [
        "Critics Consensus",
        "critics consensus",
        "Show all services",
        "Cast &amp; Crew",
    ] {
        assert!(
            !latest.contains(furniture),
            "{furniture} among the newest reviews"
        );
    }
    assert!(
        latest.contains("data-testid=\"marked\""),
        "the marks are shown"
    );

    let film = server.get_json("/api/films/lady-bird-2017");
    assert_eq!(
        film["published"][0]["summary"],
        "Rotten Tomatoes: 99 % of 398"
    );
    let (status, page) = server.get("/films/lady-bird-2017");
    assert_eq!(status, 200);
    assert!(
        testid(&page, "published").contains("Rotten Tomatoes: 99 % of 398"),
        "{}",
        testid(&page, "published")
    );
    // 24 listed reviews, 24 fresh: Verdict's own % is of its own reviews
    assert_eq!(testid(&page, "positive-percent"), "100");
    assert!(page.contains("href=\"https://www.filmcompanion.in/lady-bird-hollywood-movie-review-greta-gerwig-saoirse-ronan/\""));
}
