//! Main-content extraction benchmark: scores what `verdict extract --text`
//! prints (the review body) against the true article text of the pages in
//! `../shared/data/extraction-benchmark`, and times it.
//!
//! ```sh
//! cargo run --release -p verdict-extract --example extraction_bench -- ../shared/data/extraction-benchmark
//! ```
//!
//! Options: `--repeat N` (timing runs; the fastest counts, default 3),
//! `--out FILE` (write the texts and the timing as JSON, for
//! `bench/extraction/run.sh`, which scores every extractor with one scorer),
//! `--worst K` (list the K pages with the lowest F1), `--only ID` (one page;
//! prints its text).
//!
//! The metric is the benchmark's own: tokens are runs of `\w+`; 4-gram
//! shingles (one shingle when a text is shorter); per page, tp/fp/fn over
//! the shingle multisets; precision and recall per page (1 when fp = fn =
//! 0), each averaged over pages; F1 of the two averages.
//!
//! With `--web DIR` it measures the web-dev set instead (`DIR` is
//! `../shared/data/extraction-web-dev/pages.tar.xz` unpacked; run.sh
//! unpacks it under the target folder): the share of the `with` snippets
//! found and of the `without` snippets avoided, for the tuning part, the
//! held-out part and the whole (`crates/extract/tests/support/web_dev.rs`).
//! `--misses` lists, for the tuning part's pages only, the snippets missed
//! and leaked; `--only URL` prints one page's text.
//!
//! Without the data folder it says so and exits successfully.

#[path = "../tests/support/web_dev.rs"]
mod web_dev;

use regex::Regex;
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

struct Page {
    id: String,
    html: Vec<u8>,
    truth: String,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from("../shared/data/extraction-benchmark");
    let (mut repeat, mut worst) = (3usize, 0usize);
    let (mut out, mut only): (Option<PathBuf>, Option<String>) = (None, None);
    let mut stages = false;
    let (mut web, mut misses) = (None::<PathBuf>, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => {
                repeat = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--repeat N")
            }
            "--worst" => worst = args.next().and_then(|n| n.parse().ok()).expect("--worst K"),
            "--out" => out = Some(args.next().expect("--out FILE").into()),
            "--only" => only = Some(args.next().expect("--only ID")),
            "--stages" => stages = true,
            "--web" => web = Some(args.next().expect("--web DIR").into()),
            "--misses" => misses = true,
            _ => dir = PathBuf::from(a),
        }
    }
    if let Some(dir) = web {
        return web_dev_bench(&dir, repeat.max(1), out, misses, only.as_deref());
    }
    let truth_path = dir.join("ground-truth.json");
    if !truth_path.exists() {
        println!(
            "SKIP: {} not found (the benchmark data lives in ../shared/data)",
            truth_path.display()
        );
        return;
    }
    let pages = load(&dir, &truth_path, only.as_deref());
    let repeat = repeat.max(1);
    if stages {
        time_stages(&pages);
    }

    let mut best = f64::INFINITY;
    let mut texts: Vec<String> = Vec::new();
    for _ in 0..repeat {
        let mut run = Vec::with_capacity(pages.len());
        let t = Instant::now();
        for p in &pages {
            run.push(body(&p.id, &p.html));
        }
        best = best.min(t.elapsed().as_secs_f64());
        texts = run;
    }

    let scores: Vec<(f64, f64)> = pages
        .iter()
        .zip(&texts)
        .map(|(p, t)| precision_recall(t, &p.truth))
        .collect();
    let n = pages.len() as f64;
    let precision = scores.iter().map(|s| s.0).sum::<f64>() / n;
    let recall = scores.iter().map(|s| s.1).sum::<f64>() / n;
    let f1_all = f1(precision, recall);
    let ms = best * 1000.0 / n;
    println!(
        "verdict (review body)  pages {}  F1 {f1_all:.3}  precision {precision:.3}  recall {recall:.3}  {:.0} pages/s  {ms:.2} ms/page (fastest of {repeat})",
        pages.len(),
        n / best,
    );
    if only.is_some() {
        println!("---\n{}", texts[0]);
    }
    if worst > 0 {
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| {
            let fa = f1(scores[a].0, scores[a].1);
            let fb = f1(scores[b].0, scores[b].1);
            fa.total_cmp(&fb)
        });
        for &i in order.iter().take(worst) {
            println!(
                "  {}  P {:.3}  R {:.3}  ours {} chars, truth {} chars",
                pages[i].id,
                scores[i].0,
                scores[i].1,
                texts[i].len(),
                pages[i].truth.len()
            );
        }
    }
    if let Some(out) = out {
        write_predictions(&out, pages.iter().map(|p| p.id.as_str()), &texts, best);
    }
}

/// The web-dev set: Verdict's scores on each part, its speed, and (with
/// `--out`) its texts for the one scorer of `bench/extraction/run.sh`.
fn web_dev_bench(
    dir: &std::path::Path,
    repeat: usize,
    out: Option<PathBuf>,
    misses: bool,
    only: Option<&str>,
) {
    if !dir.join("evaldata.json").exists() {
        println!(
            "SKIP: {} not found (unpack ../shared/data/extraction-web-dev/pages.tar.xz there)",
            dir.join("evaldata.json").display()
        );
        return;
    }
    let pages: Vec<web_dev::WebPage> = web_dev::load(dir)
        .into_iter()
        .filter(|p| only.is_none_or(|o| o == p.url))
        .collect();
    let html: Vec<Vec<u8>> = pages
        .iter()
        .map(|p| std::fs::read(&p.file).expect("page readable"))
        .collect();
    let mut best = f64::INFINITY;
    let mut texts: Vec<String> = Vec::new();
    for _ in 0..repeat {
        let t = Instant::now();
        let run: Vec<String> = pages
            .iter()
            .zip(&html)
            .map(|(p, h)| {
                let name = p.file.file_name().unwrap_or_default().to_string_lossy();
                body(&name, h)
            })
            .collect();
        best = best.min(t.elapsed().as_secs_f64());
        texts = run;
    }
    let (mut tuning, mut held, mut whole) = (
        web_dev::Tally::default(),
        web_dev::Tally::default(),
        web_dev::Tally::default(),
    );
    for (p, t) in pages.iter().zip(&texts) {
        whole.add(p, t);
        if p.held_out() {
            held.add(p, t);
        } else {
            tuning.add(p, t);
        }
    }
    for (name, t) in [("tuning", tuning), ("held-out", held), ("whole", whole)] {
        println!(
            "verdict (review body)  web-dev {name:<8}  pages {:3}  found {:.3} ({}/{})  avoided {:.3} ({}/{})",
            t.pages,
            t.found_share(),
            t.found,
            t.with,
            t.avoided_share(),
            t.avoided,
            t.without
        );
    }
    let n = pages.len() as f64;
    println!(
        "  {:.0} pages/s  {:.2} ms/page (fastest of {repeat})",
        n / best,
        best * 1000.0 / n
    );
    if only.is_some() {
        println!("---\n{}", texts.first().map(String::as_str).unwrap_or(""));
    }
    if misses {
        for (p, t) in pages.iter().zip(&texts) {
            if p.held_out() && only.is_none() {
                continue;
            }
            let missed: Vec<&String> = p.with.iter().filter(|s| !t.contains(s.as_str())).collect();
            let leaked: Vec<&String> = p
                .without
                .iter()
                .filter(|s| t.contains(s.as_str()))
                .collect();
            if missed.is_empty() && leaked.is_empty() {
                continue;
            }
            println!("{}  ({}, {} chars)", p.url, p.file.display(), t.len());
            for s in missed {
                println!("    missed  {s:?}");
            }
            for s in leaked {
                println!("    leaked  {s:?}");
            }
        }
    }
    if let Some(out) = out {
        write_predictions(&out, pages.iter().map(|p| p.url.as_str()), &texts, best);
    }
}

/// Writes Verdict's text of each page, by the page's key, for the Python
/// scorer (`--out`).
fn write_predictions<'a>(
    out: &std::path::Path,
    keys: impl Iterator<Item = &'a str>,
    texts: &[String],
    seconds: f64,
) {
    let predictions: serde_json::Map<String, serde_json::Value> = keys
        .zip(texts)
        .map(|(k, t)| (k.to_string(), serde_json::Value::String(t.clone())))
        .collect();
    let json = serde_json::json!({
        "name": "verdict",
        "seconds": seconds,
        "pages": texts.len(),
        "predictions": predictions,
    });
    std::fs::write(out, serde_json::to_vec(&json).expect("json")).expect("write --out");
}

/// Where the time goes: each stage on its own, over every page.
fn time_stages(pages: &[Page]) {
    let n = pages.len() as f64;
    let time = |name: &str, f: &dyn Fn(&Page)| {
        let t = Instant::now();
        for p in pages {
            f(p);
        }
        println!(
            "  {name:<28} {:.2} ms/page",
            t.elapsed().as_secs_f64() * 1000.0 / n
        );
    };
    time("decode", &|p| {
        let _ = verdict_document::decode(&p.id, &p.html);
    });
    time("html5ever parse (dom_query)", &|p| {
        let text = String::from_utf8_lossy(&p.html);
        let _ = dom_query::Document::from(text.as_ref());
    });
    time("dom_smoothie readability", &|p| {
        let text = String::from_utf8_lossy(&p.html);
        let _ = dom_smoothie::Readability::new(text.as_ref(), None, None)
            .ok()
            .and_then(|mut r| r.parse().ok());
    });
    time("document::parse", &|p| {
        let _ = verdict_document::parse(&verdict_source::RawDocument::new(&p.id, p.html.clone()));
    });
    let docs: Vec<_> = pages
        .iter()
        .filter_map(|p| {
            verdict_document::parse(&verdict_source::RawDocument::new(&p.id, p.html.clone())).ok()
        })
        .collect();
    let t = Instant::now();
    for d in &docs {
        let _ = verdict_extract::extract(d);
    }
    println!(
        "  {:<28} {:.2} ms/page",
        "extract",
        t.elapsed().as_secs_f64() * 1000.0 / n
    );
}

/// What `verdict extract --text` prints for a page (kept out of line so
/// that a profiler can be told to measure it alone).
#[inline(never)]
fn body(id: &str, html: &[u8]) -> String {
    let raw = verdict_source::RawDocument::new(id, html.to_vec());
    match verdict_document::parse(&raw) {
        Ok(doc) => verdict_extract::extract(&doc).review.body,
        Err(_) => String::new(),
    }
}

fn load(dir: &std::path::Path, truth_path: &std::path::Path, only: Option<&str>) -> Vec<Page> {
    let truth: HashMap<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(truth_path).expect("ground-truth.json readable"))
            .expect("ground-truth.json is JSON");
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    ids.into_iter()
        .filter(|id| only.is_none_or(|o| o == id.as_str()))
        .map(|id| {
            let path = dir.join("html").join(format!("{id}.html.gz"));
            let mut html = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("page readable"))
                .read_to_end(&mut html)
                .expect("page is gzip");
            Page {
                id: id.clone(),
                html,
                truth: truth[id]["articleBody"].as_str().unwrap_or("").to_string(),
            }
        })
        .collect()
}

fn shingles(text: &str) -> HashMap<String, usize> {
    static TOKEN: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(r"\w+").expect("token"));
    let tokens: Vec<&str> = TOKEN.find_iter(text).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    let n = 4;
    for i in 0..tokens.len().saturating_sub(n - 1).max(1) {
        let shingle = tokens[i.min(tokens.len())..(i + n).min(tokens.len())].join(" ");
        if !shingle.is_empty() {
            *out.entry(shingle).or_insert(0) += 1;
        }
    }
    out
}

/// The benchmark's per-page precision and recall.
fn precision_recall(pred: &str, truth: &str) -> (f64, f64) {
    let (p, t) = (shingles(pred), shingles(truth));
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (k, &pc) in &p {
        let tc = t.get(k).copied().unwrap_or(0);
        tp += pc.min(tc);
        fp += pc.saturating_sub(tc);
    }
    for (k, &tc) in &t {
        fn_ += tc.saturating_sub(p.get(k).copied().unwrap_or(0));
    }
    let precision = if fp == 0 && fn_ == 0 {
        1.0
    } else if tp == 0 && fp == 0 {
        0.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if fp == 0 && fn_ == 0 {
        1.0
    } else if tp == 0 && fn_ == 0 {
        0.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    (precision, recall)
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}
