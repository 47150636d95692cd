//! The web-dev set (`../shared/data/extraction-web-dev/pages.tar.xz`,
//! unpacked): 439 pages of the wider web, each with snippets its main text
//! must contain (`with`) and snippets of furniture it must not
//! (`without`). Read by the `web_dev` test and by the `extraction_bench`
//! example (`--web`), so that both score alike.
//!
//! The metric is the set's own: the share of all `with` snippets found in
//! the extracted text (a plain substring match), and the share of all
//! `without` snippets absent from it, each summed over pages.
//!
//! The pages are split once, by a hash of their URL: a tuning part (about
//! two thirds) that extraction was tuned on, and a held-out part (about one
//! third) that nobody looks at page by page, which says how the tuning
//! carries to pages of the same kind never seen.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One page of the set.
pub struct WebPage {
    pub url: String,
    pub file: PathBuf,
    pub with: Vec<String>,
    pub without: Vec<String>,
}

impl WebPage {
    /// Whether the page is in the held-out part.
    pub fn held_out(&self) -> bool {
        held_out(&self.url)
    }
}

/// Whether a URL's page is held out: FNV-1a (64 bits) of the URL's bytes,
/// one in three (`bench/extraction/trafilatura_bench.py` splits alike).
pub fn held_out(url: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h.is_multiple_of(3)
}

/// The pages of the unpacked set in `dir` (`evaldata.json`, `eval/`), in
/// the order of their URLs.
pub fn load(dir: &Path) -> Vec<WebPage> {
    let path = dir.join("evaldata.json");
    let data: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&path).expect("evaldata.json readable"))
            .expect("evaldata.json is JSON");
    let snippets = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect()
    };
    let mut pages: Vec<WebPage> = data
        .iter()
        .map(|(url, v)| WebPage {
            url: url.clone(),
            file: dir.join("eval").join(v["file"].as_str().expect("file")),
            with: snippets(&v["with"]),
            without: snippets(&v["without"]),
        })
        .collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    pages
}

/// Snippets found and avoided, summed over pages.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub pages: usize,
    pub with: usize,
    pub found: usize,
    pub without: usize,
    pub avoided: usize,
}

impl Tally {
    /// Counts one page's extracted text.
    pub fn add(&mut self, page: &WebPage, text: &str) {
        self.pages += 1;
        self.with += page.with.len();
        self.found += page
            .with
            .iter()
            .filter(|s| text.contains(s.as_str()))
            .count();
        self.without += page.without.len();
        self.avoided += page
            .without
            .iter()
            .filter(|s| !text.contains(s.as_str()))
            .count();
    }

    /// The share of `with` snippets found.
    pub fn found_share(&self) -> f64 {
        self.found as f64 / self.with.max(1) as f64
    }

    /// The share of `without` snippets absent.
    pub fn avoided_share(&self) -> f64 {
        self.avoided as f64 / self.without.max(1) as f64
    }
}
