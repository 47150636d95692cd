//! Fetching over real HTTP from a server on loopback, hostile answers
//! included: each gets a clear error.

use std::io::Write;
use std::time::{Duration, Instant};
use verdict_fetch::test_server::{Response, TestServer};
use verdict_fetch::{Addresses, FetchError, Fetched, Fetcher, Policy, Validators};

/// The command-line policy, quick: no spacing between requests, a short
/// deadline, a 1 MiB body limit.
fn policy() -> Policy {
    Policy {
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(2),
        max_bytes: 1024 * 1024,
        host_interval: Duration::ZERO,
        env_proxy: false,
        ..Policy::cli()
    }
}

fn fetcher() -> Fetcher {
    Fetcher::new(policy())
}

const PAGE: &str =
    "<html><head><title>Red Rooms review</title></head><body><p>Score: 88</p></body></html>";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// 4 GiB of spaces in about 4 MiB: 256 gzip members of 16 MiB each (gzip
/// bodies may hold several members, and decoders read them all). Read
/// without a limit on the decompressed bytes, it would exhaust memory.
static BOMB: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
    let member = gzip(&vec![b' '; 16 * 1024 * 1024]);
    member.repeat(256)
});

/// A brotli stream of stored (uncompressed) meta-blocks (RFC 7932 §9.2).
fn brotli_stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, chunk) in data.chunks(65_536).enumerate() {
        // Bit 0 (first block only): WBITS = 16. Then ISLAST = 0,
        // MNIBBLES = 4, MLEN - 1 in 16 bits, ISUNCOMPRESSED = 1.
        let header: u32 = ((chunk.len() as u32 - 1) << 4) | (1 << 20);
        let header = if i == 0 { header } else { header >> 1 };
        out.extend_from_slice(&header.to_le_bytes()[..3]);
        out.extend_from_slice(chunk);
    }
    out.push(0b11); // ISLAST, ISLASTEMPTY
    out
}

fn routes(req: &verdict_fetch::test_server::Request) -> Response {
    match req.path.as_str() {
        "/robots.txt" => Response::ok(
            "text/plain",
            "User-agent: *\nDisallow: /private/\n\nUser-agent: verdict\nDisallow: /no-verdict/\n",
        ),
        "/page" => Response::html(PAGE)
            .with_header("ETag", "\"v1\"")
            .with_header("Last-Modified", "Fri, 06 Sep 2024 09:00:00 GMT"),
        "/feed" if req.header("if-none-match") == Some("\"v1\"") => Response::status(304),
        "/feed" => Response::ok("application/rss+xml", "<rss/>").with_header("ETag", "\"v1\""),
        "/gzip" => Response::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "text/html".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: gzip(PAGE.as_bytes()),
        },
        "/brotli" => Response::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "text/html".into()),
                ("Content-Encoding".into(), "br".into()),
            ],
            body: brotli_stored(PAGE.as_bytes()),
        },
        "/gzip-bomb" => Response::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "text/html".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: BOMB.clone(),
        },
        "/huge-declared" => Response::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "text/html".into()),
                ("Content-Length".into(), "104857600".into()),
            ],
            body: b"<html>".to_vec(),
        },
        "/huge-streamed" => Response::Stream {
            headers: vec![("Content-Type".into(), "text/html".into())],
            fill: b'a',
            total: 20 * 1024 * 1024,
        },
        "/drip" => Response::Drip {
            headers: vec![("Content-Type".into(), "text/html".into())],
            chunk: b"<".to_vec(),
            every: Duration::from_millis(100),
            times: 600,
        },
        "/silent" => Response::Silence {
            for_: Duration::from_secs(30),
        },
        "/r1" => Response::redirect(301, "/r2"),
        "/r2" => Response::redirect(302, "/page"),
        "/loop-a" => Response::redirect(302, "/loop-b"),
        "/loop-b" => Response::redirect(307, "/loop-a"),
        "/to-ftp" => Response::redirect(302, "ftp://critic.example/x"),
        "/no-location" => Response::status(302),
        "/image" => Response::ok("image/png", b"\x89PNG\r\n\x1a\n".to_vec()),
        p if p.starts_with("/chain/") => {
            let n: u32 = p["/chain/".len()..].parse().unwrap_or(0);
            Response::redirect(302, &format!("/chain/{}", n + 1))
        }
        _ => Response::status(404),
    }
}

#[test]
fn fetches_a_page_with_its_headers() {
    let server = TestServer::start(routes);
    let page = fetcher().fetch(&server.url("/page")).unwrap();
    assert_eq!(page.status, 200);
    assert_eq!(page.bytes, PAGE.as_bytes());
    assert_eq!(
        page.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.validators.etag.as_deref(), Some("\"v1\""));
    let doc = page.into_document();
    assert_eq!(doc.origin, server.url("/page"));
    assert_eq!(doc.charset(), Some("utf-8"));
}

#[test]
fn conditional_get_reports_not_modified() {
    let server = TestServer::start(routes);
    let f = fetcher();
    let first = match f.fetch_if_changed(&server.url("/feed"), &Validators::default()) {
        Ok(Fetched::Page(p)) => p,
        other => panic!("{other:?}"),
    };
    assert!(matches!(
        f.fetch_if_changed(&server.url("/feed"), &first.validators),
        Ok(Fetched::NotModified)
    ));
}

#[test]
fn gzip_and_brotli_bodies_are_decompressed() {
    let server = TestServer::start(routes);
    let f = fetcher();
    assert_eq!(
        f.fetch(&server.url("/gzip")).unwrap().bytes,
        PAGE.as_bytes()
    );
    assert_eq!(
        f.fetch(&server.url("/brotli")).unwrap().bytes,
        PAGE.as_bytes()
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_size_limit() {
    let server = TestServer::start(routes);
    let e = fetcher().fetch(&server.url("/gzip-bomb")).unwrap_err();
    assert!(matches!(e, FetchError::TooLarge { .. }), "{e}");
    assert!(e.to_string().contains("the limit is 1048576 bytes"), "{e}");
}

#[test]
fn huge_bodies_are_refused_announced_or_not() {
    let server = TestServer::start(routes);
    let f = fetcher();
    let e = f.fetch(&server.url("/huge-declared")).unwrap_err();
    assert!(e.to_string().contains("announces 104857600 bytes"), "{e}");
    let e = f.fetch(&server.url("/huge-streamed")).unwrap_err();
    assert!(matches!(e, FetchError::TooLarge { .. }), "{e}");
}

#[test]
fn slow_and_silent_servers_time_out() {
    let server = TestServer::start(routes);
    let f = fetcher();
    for path in ["/drip", "/silent"] {
        let e = f.fetch(&server.url(path)).unwrap_err();
        assert!(matches!(e, FetchError::Timeout { .. }), "{path}: {e}");
        assert!(
            e.to_string().contains("no complete answer within 2 s"),
            "{e}"
        );
    }
}

#[test]
fn redirects_are_followed_within_limits() {
    let server = TestServer::start(routes);
    let f = fetcher();
    let page = f.fetch(&server.url("/r1")).unwrap();
    assert_eq!(page.url, server.url("/page"), "named by where it was read");
    assert_eq!(page.requested, server.url("/r1"));

    let e = f.fetch(&server.url("/loop-a")).unwrap_err();
    assert!(matches!(e, FetchError::RedirectLoop { .. }), "{e}");
    assert!(e.to_string().contains("/loop-b → "), "{e}");

    let e = f.fetch(&server.url("/chain/0")).unwrap_err();
    assert!(
        matches!(e, FetchError::TooManyRedirects { limit: 5, .. }),
        "{e}"
    );
    assert_eq!(server.hits("/chain/5"), 1);
    assert_eq!(
        server.hits("/chain/6"),
        0,
        "the sixth redirect is not followed"
    );

    let e = f.fetch(&server.url("/to-ftp")).unwrap_err();
    assert!(e.to_string().contains("not http or https"), "{e}");
    let e = f.fetch(&server.url("/no-location")).unwrap_err();
    assert!(e.to_string().contains("without a Location"), "{e}");
}

#[test]
fn robots_txt_is_read_once_and_obeyed() {
    let server = TestServer::start(routes);
    let f = fetcher();
    f.fetch(&server.url("/page")).unwrap();
    let e = f.fetch(&server.url("/no-verdict/review")).unwrap_err();
    assert!(matches!(e, FetchError::Robots { .. }), "{e}");
    assert!(e.to_string().contains("does not allow verdict"), "{e}");
    // Our group replaces the * group.
    assert!(matches!(
        f.fetch(&server.url("/private/x")),
        Err(FetchError::Status { status: 404, .. })
    ));
    assert_eq!(server.hits("/robots.txt"), 1);
    assert_eq!(server.hits("/no-verdict/review"), 0);

    let ignoring = Fetcher::new(Policy {
        robots: false,
        ..policy()
    });
    assert!(matches!(
        ignoring.fetch(&server.url("/no-verdict/review")),
        Err(FetchError::Status { status: 404, .. })
    ));
}

#[test]
fn robots_txt_missing_allows_and_broken_disallows() {
    let missing = TestServer::start(|r| match r.path.as_str() {
        "/page" => Response::html(PAGE),
        _ => Response::status(404),
    });
    assert!(fetcher().fetch(&missing.url("/page")).is_ok());
    let broken = TestServer::start(|r| match r.path.as_str() {
        "/page" => Response::html(PAGE),
        _ => Response::status(503),
    });
    let e = fetcher().fetch(&broken.url("/page")).unwrap_err();
    assert!(
        e.to_string()
            .contains("robots.txt could not be read (HTTP 503"),
        "{e}"
    );
    assert_eq!(broken.hits("/page"), 0);
}

#[test]
fn requests_to_one_host_are_spaced() {
    let server = TestServer::start(routes);
    let f = Fetcher::new(Policy {
        host_interval: Duration::from_millis(300),
        ..policy()
    });
    let start = Instant::now();
    for _ in 0..2 {
        f.fetch(&server.url("/page")).unwrap();
    }
    // robots.txt, then the page twice: three requests, two waits.
    assert!(
        start.elapsed() >= Duration::from_millis(600),
        "{:?}",
        start.elapsed()
    );

    // A site's Crawl-delay slows us down further.
    let slow_site = TestServer::start(|r| match r.path.as_str() {
        "/robots.txt" => Response::ok("text/plain", "User-agent: *\nCrawl-delay: 0.4\n"),
        _ => Response::html(PAGE),
    });
    let f = fetcher();
    let start = Instant::now();
    f.fetch(&slow_site.url("/a")).unwrap();
    f.fetch(&slow_site.url("/b")).unwrap();
    // robots.txt, /a, /b: the delay is known after robots.txt, so /a and
    // /b wait for it.
    assert!(
        start.elapsed() >= Duration::from_millis(800),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn the_server_policy_refuses_private_addresses() {
    let server = TestServer::start(routes);
    let guarded = Fetcher::new(Policy {
        addresses: Addresses::PublicOnly {
            allow_hosts: Vec::new(),
        },
        ..policy()
    });
    for url in [
        server.url("/page"),
        server.url_by_name("/page"),
        format!("http://[::1]:{}/page", server.addr().port()),
        format!("http://[::ffff:127.0.0.1]:{}/page", server.addr().port()),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://10.0.0.1/".to_string(),
    ] {
        let e = guarded.fetch(&url).unwrap_err();
        assert!(matches!(e, FetchError::Refused { .. }), "{url}: {e}");
        assert!(e.to_string().contains("not a public address"), "{e}");
    }
    assert_eq!(server.hits("/robots.txt") + server.hits("/page"), 0);

    // Configured to allow one host by name: that host, and only it.
    let allowing = Fetcher::new(Policy {
        addresses: Addresses::PublicOnly {
            allow_hosts: vec!["localhost".to_string()],
        },
        ..policy()
    });
    assert!(allowing.fetch(&server.url_by_name("/page")).is_ok());
    let hop = TestServer::start({
        let target = server.url("/page");
        move |r| match r.path.as_str() {
            "/jump" => Response::redirect(302, &target),
            _ => Response::status(404),
        }
    });
    let e = allowing.fetch(&hop.url_by_name("/jump")).unwrap_err();
    assert!(
        matches!(e, FetchError::Refused { .. }),
        "a redirect to a private address is refused: {e}"
    );
}

#[test]
fn the_loopback_only_policy_refuses_every_other_address() {
    let server = TestServer::start(routes);
    let confined = Fetcher::new(Policy {
        addresses: Addresses::LoopbackOnly,
        ..policy()
    });
    // Loopback is fetched, by address and by name.
    assert!(confined.fetch(&server.url("/page")).is_ok());
    assert!(confined.fetch(&server.url_by_name("/page")).is_ok());
    // Everything else is refused before a connection is opened: public
    // addresses as well as private and link-local ones.
    for url in [
        "http://93.184.216.34/".to_string(),
        "http://[2606:4700::1111]/".to_string(),
        "http://8.8.8.8:53/".to_string(),
        "http://10.0.0.1/".to_string(),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        format!("http://0.0.0.0:{}/page", server.addr().port()),
    ] {
        let e = confined.fetch(&url).unwrap_err();
        assert!(matches!(e, FetchError::Refused { .. }), "{url}: {e}");
        assert!(e.to_string().contains("not a loopback address"), "{e}");
    }
    // A name other than localhost is not even looked up.
    let e = confined.fetch("http://critic.example/review").unwrap_err();
    assert!(matches!(e, FetchError::Refused { .. }), "{e}");
    assert!(
        e.to_string().contains("not an IP address or localhost"),
        "{e}"
    );
    // A redirect from loopback to anywhere else is refused on its hop.
    let hop = TestServer::start(|r| match r.path.as_str() {
        "/jump" => Response::redirect(302, "http://93.184.216.34/page"),
        _ => Response::status(404),
    });
    let e = confined.fetch(&hop.url("/jump")).unwrap_err();
    assert!(matches!(e, FetchError::Refused { .. }), "{e}");
}

#[test]
fn a_host_that_does_not_resolve_is_named_as_such() {
    // `.invalid` never resolves (RFC 6761).
    let e = fetcher()
        .fetch("http://no-such-host.invalid/review")
        .unwrap_err();
    assert!(matches!(e, FetchError::UnknownHost { .. }), "{e}");
    assert!(
        e.to_string()
            .starts_with("http://no-such-host.invalid/review: no-such-host.invalid "),
        "{e}"
    );
}

#[test]
fn other_failures_are_named() {
    let server = TestServer::start(routes);
    let f = fetcher();
    let e = f.fetch(&server.url("/image")).unwrap_err();
    assert!(e.to_string().contains("not a document: image/png"), "{e}");
    let e = f.fetch(&server.url("/missing")).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("{}: HTTP 404 Not Found", server.url("/missing"))
    );
    let e = f.fetch("ftp://critic.example/x").unwrap_err();
    assert!(matches!(e, FetchError::BadUrl { .. }), "{e}");
    // Nothing listens on port 9 of loopback (discard, never run in tests).
    let e = f.fetch("http://127.0.0.1:9/page").unwrap_err();
    assert!(
        e.to_string().starts_with("http://127.0.0.1:9/page: "),
        "{e}"
    );
}
