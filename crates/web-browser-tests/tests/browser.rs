//! The site in a real browser: Debian's headless Chromium, driven through
//! chromedriver, against the real server (the router `verdict serve` runs,
//! on 127.0.0.1:0) with the seed reviews and a review whose text holds a
//! `<script>` element.
//!
//! Skips with a message when Chromium, chromedriver or the seeds are
//! missing, unless `VERDICT_REQUIRE_BROWSER=1` (CI), where a missing
//! browser is a failure. Screenshots of the home, film (desktop and
//! phone), review and search pages go to `target/screenshots/`.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use thirtyfour::prelude::*;
use verdict_store::{SqliteStore, Store};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A review whose text carries a script element (plain text: the
/// document stage keeps it as text).
const OWLS: &str = "Night Owls (2024)\n\nBy Jane Critic\n\nThe villain types <script>alert(1)</script> into a chat window, and the film never recovers from how silly that looks.\n\nStill, the lead performance is terrific and the ending lands.\n\nRating: 3/5\n";

fn path_from_env(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// The browser and its driver, or why the test cannot run.
fn tools() -> Result<(PathBuf, PathBuf), String> {
    let chromium = path_from_env("VERDICT_CHROMIUM", CHROMIUM);
    let driver = path_from_env("VERDICT_CHROMEDRIVER", CHROMEDRIVER);
    for p in [&chromium, &driver] {
        if !p.is_file() {
            return Err(format!(
                "{} is absent (apt-get install chromium chromium-driver)",
                p.display()
            ));
        }
    }
    Ok((chromium, driver))
}

/// Where screenshots go: `target/screenshots/`.
fn screenshots() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

/// The seeds and the `<script>` review, through the pipeline.
fn database(dir: &Path, seeds: &Path) -> PathBuf {
    let db = dir.join("browser.db");
    let mut store = SqliteStore::open(&db).unwrap();
    let judge = verdict_judge::Judge::embedded();
    let owls = dir.join("night-owls.txt");
    std::fs::write(&owls, OWLS).unwrap();
    let inputs = [seeds.to_path_buf(), owls];
    for path in verdict_source::files(&inputs) {
        let raw = verdict_source::read_file(&path.unwrap()).unwrap();
        let outcome = verdict::pipeline::ingest(&mut store, judge, &raw, None);
        assert!(
            !matches!(outcome, verdict::pipeline::Outcome::Failed { .. }),
            "{outcome:?}"
        );
    }
    verdict_present::refresh_stats(&mut store).unwrap();
    assert_eq!(store.counts().unwrap(), (2, 6));
    db
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts chromedriver and waits until it answers.
async fn chromedriver(path: &Path) -> (Driver, String) {
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::get(format!("{url}/status")).await.is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (Driver(child), url)
}

async fn browser(driver_url: &str, chromium: &Path, profile: &Path) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(chromium.to_str().unwrap()).unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1280,900",
        &format!("--user-data-dir={}", profile.display()),
    ] {
        caps.add_arg(arg).unwrap();
    }
    WebDriver::new(driver_url, caps)
        .await
        .expect("a Chromium session")
}

/// Saves a screenshot of the whole page at `width` pixels.
async fn full_page(driver: &WebDriver, width: u32, name: &str) {
    driver.set_window_rect(0, 0, width, 900).await.unwrap();
    let height = driver
        .execute("return document.documentElement.scrollHeight", vec![])
        .await
        .unwrap()
        .json()
        .as_u64()
        .unwrap_or(900)
        .clamp(400, 8000) as u32;
    driver.set_window_rect(0, 0, width, height).await.unwrap();
    let path = screenshots().join(name);
    driver.screenshot(&path).await.unwrap();
    eprintln!("screenshot: {}", path.display());
    driver.set_window_rect(0, 0, 1280, 900).await.unwrap();
}

/// The text of the element with this test id, waiting for it to appear
/// (after a click, the page it is on may still be loading).
async fn text_of(driver: &WebDriver, testid: &str) -> String {
    driver
        .query(By::Css(format!("[data-testid='{testid}']")))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no [data-testid={testid}]: {e}"))
        .text()
        .await
        .unwrap()
        .trim()
        .to_string()
}

async fn api(base: &str, path: &str) -> Value {
    let res = reqwest::get(format!("{base}{path}")).await.unwrap();
    assert!(res.status().is_success(), "GET {path}: {}", res.status());
    res.json().await.unwrap()
}

/// Scripts that would run on the page: every `<script>` but JSON-LD data.
async fn live_scripts(driver: &WebDriver) -> u64 {
    driver
        .execute(
            "return document.querySelectorAll('script:not([type=\"application/ld+json\"])').length",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_in_a_real_browser() {
    let required = std::env::var("VERDICT_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let (chromium, chromedriver_path) = match tools() {
        Ok(t) => t,
        Err(why) if !required => {
            verdict_testkit::note(format_args!("SKIPPED the_site_in_a_real_browser: {why}"));
            return;
        }
        Err(why) => panic!("VERDICT_REQUIRE_BROWSER=1 but {why}"),
    };
    let Some(seeds) = verdict_testkit::seeds() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path(), &seeds);

    // The server, as `verdict serve` runs it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(verdict_web::serve_on(
        listener,
        db,
        verdict_web::Config::default(),
        Arc::new(verdict::site::Site::new()),
    ));
    let deadline = Instant::now() + Duration::from_secs(60);
    while reqwest::get(format!("{base}/api/status")).await.is_err() {
        assert!(!server.is_finished(), "the server stopped");
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let (_chromedriver, driver_url) = chromedriver(&chromedriver_path).await;
    let driver = browser(&driver_url, &chromium, &dir.path().join("profile")).await;
    let result = journey(&driver, &base).await;
    let _ = driver.quit().await;
    server.abort();
    result.unwrap();
}

async fn journey(driver: &WebDriver, base: &str) -> WebDriverResult<()> {
    // Home: the films just reviewed and the best of the year.
    driver.goto(format!("{base}/")).await?;
    let recent = text_of(driver, "recently-reviewed").await;
    assert!(
        recent.contains("Red Rooms") && recent.contains("Night Owls"),
        "{recent}"
    );
    // The latest year first (Night Owls, 2024); the seeds' film in 2023.
    let best = text_of(driver, "best-of-year").await;
    assert!(
        best.contains("Night Owls") && !best.contains("Red Rooms"),
        "best of 2024: {best}"
    );
    assert_eq!(live_scripts(driver).await, 0);
    full_page(driver, 1280, "home.png").await;
    driver.find(By::LinkText("2023")).await?.click().await?;
    let best = text_of(driver, "best-of-year").await;
    assert!(best.contains("Red Rooms"), "best of 2023: {best}");

    // The seeds' film page: the numbers shown are the API's.
    driver
        .find(By::LinkText("Red Rooms"))
        .await?
        .click()
        .await?;
    assert!(
        driver
            .current_url()
            .await?
            .path()
            .starts_with("/films/red-rooms-2023")
    );
    let page = api(base, "/api/films/red-rooms-2023").await;
    let agg = &page["aggregate"];
    assert_eq!(agg["reviews"], 5);
    assert_eq!(text_of(driver, "film-title").await, "Red Rooms (2023)");
    assert_eq!(
        text_of(driver, "positive-percent").await,
        agg["positive_percent"].as_f64().unwrap().to_string()
    );
    let [lo, hi] = [0, 1].map(|i| agg["positive_interval"][i].as_f64().unwrap().to_string());
    assert_eq!(
        text_of(driver, "positive-interval").await,
        format!("{lo}–{hi}")
    );
    let score = agg["score"].as_f64().unwrap();
    let badge = driver.find(By::Css("[data-testid='score']")).await?;
    assert_eq!(badge.text().await?, format!("{:.0}", score.round()));
    assert_eq!(badge.attr("data-exact").await?.unwrap(), score.to_string());
    let band = driver.find(By::Css("[data-testid='band']")).await?;
    assert_eq!(
        band.attr("data-band").await?.as_deref(),
        agg["band"].as_str()
    );
    assert!(
        badge
            .attr("class")
            .await?
            .unwrap()
            .contains(&format!("b-{}", agg["band"].as_str().unwrap()))
    );
    for key in ["positive", "mixed", "negative", "inferred"] {
        assert_eq!(
            text_of(driver, &format!("count-{key}")).await,
            agg[key].to_string(),
            "{key}"
        );
    }
    let rows = driver.find_all(By::Css("li.review")).await?;
    assert_eq!(rows.len(), 5);
    // Each review's score and rating as written, as the API gives them.
    for r in page["reviews"].as_array().unwrap() {
        let row = driver.find(By::Css(format!("#review-{}", r["id"]))).await?;
        let shown = row
            .find(By::Css("[data-testid='review-score']"))
            .await?
            .text()
            .await?;
        assert_eq!(
            shown,
            format!("{:.0}", r["score"].as_f64().unwrap().round())
        );
        if let Some(raw) = r["rating"]["raw"].as_str() {
            let q = row
                .find(By::Css("[data-testid='rating-raw']"))
                .await?
                .text()
                .await?;
            assert_eq!(q.trim_matches(['“', '”']), raw);
        } else {
            // (Text as rendered: the tags are in capitals.)
            let text = row.text().await?.to_lowercase();
            assert!(
                text.contains("inferred"),
                "inferred reviews are marked: {text}"
            );
            assert!(text.contains("evidence"), "with their evidence: {text}");
            let evidence = row.find_all(By::Css(".evidence li")).await?;
            assert_eq!(evidence.len(), r["evidence"].as_array().unwrap().len());
        }
    }
    let histogram = driver.find_all(By::Css("svg.histogram rect.bar")).await?;
    assert_eq!(histogram.len(), 10);
    for (i, bar) in histogram.iter().enumerate() {
        assert_eq!(
            bar.attr("data-count").await?.unwrap(),
            agg["histogram"][i].to_string(),
            "histogram bin {i}"
        );
    }
    assert_eq!(live_scripts(driver).await, 0);
    full_page(driver, 1280, "film.png").await;
    full_page(driver, 390, "film-phone.png").await;

    // Follow a review to its detail.
    let first = &rows[0];
    let id = first.attr("data-review-id").await?.unwrap();
    let shown_score = first
        .find(By::Css("[data-testid='review-score']"))
        .await?
        .text()
        .await?;
    first.find(By::Css("a.detail")).await?.click().await?;
    assert_eq!(driver.current_url().await?.path(), format!("/reviews/{id}"));
    let detail = api(base, &format!("/api/reviews/{id}")).await;
    assert_eq!(text_of(driver, "review-score").await, shown_score);
    assert_eq!(text_of(driver, "film-link").await, "Red Rooms (2023)");
    let body = text_of(driver, "review-body").await;
    let first_words: String = detail["body"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        body.starts_with(&first_words),
        "{body:?} vs {first_words:?}"
    );
    full_page(driver, 1280, "review.png").await;

    // The review whose text holds <script>: shown as text, nothing runs.
    driver.goto(format!("{base}/films/night-owls-2024")).await?;
    let excerpt = driver
        .find(By::Css("li.review .excerpt"))
        .await?
        .text()
        .await?;
    assert!(excerpt.contains("<script>alert(1)</script>"), "{excerpt}");
    assert!(driver.get_alert_text().await.is_err(), "no alert is open");
    assert_eq!(live_scripts(driver).await, 0);
    driver
        .find(By::Css("li.review a.detail"))
        .await?
        .click()
        .await?;
    let body = text_of(driver, "review-body").await;
    assert!(
        body.contains("The villain types <script>alert(1)</script> into a chat window"),
        "{body}"
    );
    assert_eq!(live_scripts(driver).await, 0);
    assert!(driver.get_alert_text().await.is_err(), "no alert is open");
    full_page(driver, 1280, "review-script.png").await;

    // Search, typed into the box: the other title finds the film.
    driver.goto(format!("{base}/")).await?;
    let input = driver.find(By::Css("input[name='q']")).await?;
    input.send_keys("chambres rouges").await?;
    driver
        .find(By::Css("form.search button"))
        .await?
        .click()
        .await?;
    let films = text_of(driver, "film-results").await;
    assert!(films.contains("Red Rooms"), "{films}");
    full_page(driver, 1280, "search.png").await;
    driver.goto(format!("{base}/search?q=jane")).await?;
    assert!(
        text_of(driver, "critic-results")
            .await
            .contains("Jane Critic")
    );
    driver
        .find(By::LinkText("Jane Critic"))
        .await?
        .click()
        .await?;
    assert_eq!(text_of(driver, "person-name").await, "Jane Critic");
    assert_eq!(text_of(driver, "person-reviews").await, "1");
    Ok(())
}
