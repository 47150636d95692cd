//! Syndicated copies measured on the real data (`verdict-lab copies`,
//! `bench/copies/run.sh`): the near-duplicate detector of
//! `verdict_core::copies` run over every pair of reviews of each film that
//! different writers wrote (none may merge), and over real reviews
//! re-hosted in two real pages' furniture and read back by the real
//! extraction (each pair must merge).
//!
//! - **Different writers, same film**: the Rotten Tomatoes sets
//!   (`rt-flatiron`, `rt-kaggle-truncated` with `rt-toplists/soccer`,
//!   `rt-scrape-2023`: pull quotes, most too short to compare, which is
//!   the point), and aclImdb's 50,000 reviews grouped by film (the URL
//!   files beside them name each review's film; every review is a
//!   different user's, the set's own rule). A pair over the threshold by
//!   two named, different critics would be refused by the critic guard
//!   anyway; it is counted as a false merge of the signature all the same.
//!   Pairs of identical texts (the same review twice in a set) are
//!   counted apart: they are the same text, which the content hash of a
//!   real document would have caught first.
//! - **Different pages**: the main text the real extraction reads from
//!   every page of `extraction-benchmark` and of `extraction-web-dev`, all
//!   pairs (pages of one site share their furniture).
//! - **Re-hosted copies**: the full reviews of polarity v2.0 spliced into
//!   the article of two different `extraction-benchmark` pages (each keeps
//!   its header, menus, sidebars and footer), parsed and extracted as any
//!   document is: each pair must merge. And two different reviews in the
//!   same page's furniture must not.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use verdict_core::copies::{MIN_WORDS, Signature, THRESHOLD, jaccard};

use crate::train::data::{Dataset, load, load_film_sets};

/// One review as the measurement reads it.
struct Text {
    /// The film (or group) whose reviews are compared with each other.
    group: String,
    /// Who wrote it, when the set says.
    writer: Option<String>,
    text: String,
}

/// What one set of different writers' texts gave.
#[derive(Debug, Clone, Serialize)]
pub struct SetReport {
    pub set: String,
    pub texts: usize,
    /// Texts long enough to have a signature (≥ `MIN_WORDS` words).
    pub signed: usize,
    pub groups: usize,
    /// Pairs of signed texts of one group compared.
    pub pairs: u64,
    /// Pairs at or over the threshold.
    pub over: u64,
    /// Of those, pairs of identical texts (the same review twice in the
    /// set).
    pub identical: u64,
    /// Pairs over the threshold by two named, different writers whose
    /// texts differ: false merges.
    pub false_merges: u64,
    /// Pairs over the threshold whose texts differ and whose writers are
    /// not both named (aclImdb names none): the same text posted twice, or
    /// two writers' — to be looked at (`over_pairs`).
    pub unattributed: u64,
    /// The highest similarity of a pair of different texts by two named,
    /// different writers, or of two different pages.
    pub highest: f64,
    /// The estimated similarities of the pairs compared, in tenths
    /// (0–0.1, …, 0.9–1).
    pub histogram: [u64; 10],
    /// The pairs of different texts over the threshold, and the most
    /// similar pairs under it: (similarity, the two texts' first words).
    pub over_pairs: Vec<(f64, String, String)>,
    pub closest_under: Vec<(f64, String, String)>,
}

/// The re-hosted copies.
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    /// The extraction benchmark's pages.
    pub candidate_hosts: usize,
    /// Host pages whose article a review could be spliced into, and read
    /// back from by the extraction.
    pub hosts: usize,
    /// Copies whose extracted text holds the review (its first and last
    /// paragraphs) on both pages.
    pub read_whole: usize,
    pub copies: usize,
    /// Pairs whose two extracted texts merge.
    pub detected: usize,
    /// Copies whose extracted text was too short to be signed.
    pub unsigned: usize,
    pub lowest: f64,
    pub mean: f64,
    /// The exact Jaccard similarity of the least similar pair's shingles.
    pub lowest_exact: f64,
    /// Different reviews spliced into the same host page: pairs compared
    /// and pairs over the threshold (must be 0), the highest similarity.
    /// The copies' similarities in tenths (0–0.1, …, 0.9–1).
    pub histogram: [u64; 10],
    /// The least similar copies: (similarity, words of each extracted
    /// text).
    pub least: Vec<(f64, usize, usize)>,
    /// The same host's two reviews most alike: (similarity, words of
    /// each extracted text).
    pub same_furniture_most: Vec<(f64, usize, usize)>,
    pub same_furniture_pairs: usize,
    pub same_furniture_over: usize,
    pub same_furniture_highest: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub threshold: f64,
    pub sets: Vec<SetReport>,
    pub copies: CopyReport,
    /// The highest similarity of any pair that must not merge, and the
    /// lowest of any pair that must.
    pub highest_different: f64,
    pub lowest_copy: f64,
}

impl Report {
    pub fn pairs(&self) -> u64 {
        self.sets.iter().map(|s| s.pairs).sum::<u64>() + self.copies.same_furniture_pairs as u64
    }

    pub fn false_merges(&self) -> u64 {
        self.sets.iter().map(|s| s.false_merges).sum::<u64>()
            + self.copies.same_furniture_over as u64
    }

    pub fn table(&self) -> String {
        let mut out = format!(
            "syndicated copies: MinHash of {}-word shingles, {} hashes, threshold {:.2}, texts of {}+ words\n\n",
            verdict_core::copies::SHINGLE_WORDS,
            verdict_core::copies::HASHES,
            self.threshold,
            MIN_WORDS
        );
        out.push_str(&format!(
            "{:<34} {:>6} {:>6} {:>6} {:>8} {:>5} {:>5} {:>6} {:>5} {:>7}\n",
            "different writers, same film",
            "texts",
            "signed",
            "groups",
            "pairs",
            "over",
            "ident",
            "unattr",
            "FALSE",
            "highest"
        ));
        for s in &self.sets {
            out.push_str(&format!(
                "{:<34} {:>6} {:>6} {:>6} {:>8} {:>5} {:>5} {:>6} {:>5} {:>7.3}\n",
                s.set,
                s.texts,
                s.signed,
                s.groups,
                s.pairs,
                s.over,
                s.identical,
                s.unattributed,
                s.false_merges,
                s.highest
            ));
        }
        let c = &self.copies;
        out.push_str(&format!(
            "{:<34} {:>6} {:>6} {:>6} {:>8} {:>5} {:>5} {:>6} {:>5} {:>7.3}\n",
            "polarity v2.0 in one host's page",
            c.copies,
            "",
            c.hosts,
            c.same_furniture_pairs,
            c.same_furniture_over,
            "",
            "",
            c.same_furniture_over,
            c.same_furniture_highest
        ));
        out.push_str("\nsimilarity histogram (pairs per tenth, 0-0.1 … 0.9-1):\n");
        for s in &self.sets {
            let bins: Vec<String> = s.histogram.iter().map(u64::to_string).collect();
            out.push_str(&format!("  {:<32} {}\n", s.set, bins.join(" ")));
        }
        for s in self.sets.iter().filter(|s| !s.over_pairs.is_empty()) {
            out.push_str(&format!(
                "\n{}: pairs of different texts over the threshold\n",
                s.set
            ));
            for (sim, a, b) in s.over_pairs.iter().take(8) {
                out.push_str(&format!("  {sim:.3}  {a} …\n         {b} …\n"));
            }
            if s.over_pairs.len() > 8 {
                out.push_str(&format!("  … and {} more\n", s.over_pairs.len() - 8));
            }
        }
        for s in self.sets.iter().filter(|s| !s.closest_under.is_empty()) {
            out.push_str(&format!(
                "\n{}: the most similar pairs under the threshold\n",
                s.set
            ));
            for (sim, a, b) in s.closest_under.iter().take(3) {
                out.push_str(&format!("  {sim:.3}  {a} …\n         {b} …\n"));
            }
        }
        out.push_str(&format!(
            "\nre-hosted copies: polarity v2.0 reviews spliced into two of {} host pages ({} of the {} extraction-benchmark pages take one and give it back), real extraction:\n  {} of {} detected ({:.1} %); {} read whole on both pages; {} too short once extracted; similarity lowest {:.3} (exact Jaccard {:.3}), mean {:.3}\n",
            c.hosts,
            c.hosts,
            c.candidate_hosts,
            c.detected,
            c.copies,
            100.0 * c.detected as f64 / c.copies.max(1) as f64,
            c.read_whole,
            c.unsigned,
            c.lowest,
            c.lowest_exact,
            c.mean
        ));
        let bins: Vec<String> = c.histogram.iter().map(u64::to_string).collect();
        out.push_str(&format!(
            "  copies' similarity histogram: {}\n",
            bins.join(" ")
        ));
        let least: Vec<String> = c
            .least
            .iter()
            .map(|(s, a, b)| format!("{s:.3} ({a}/{b} words)"))
            .collect();
        out.push_str(&format!("  least similar copies: {}\n", least.join(", ")));
        let most: Vec<String> = c
            .same_furniture_most
            .iter()
            .map(|(s, a, b)| format!("{s:.3} ({a}/{b} words)"))
            .collect();
        out.push_str(&format!(
            "  different reviews in one host's page, most alike: {}\n",
            most.join(", ")
        ));
        out.push_str(&format!(
            "\npairs compared {}, false merges {}; margin: highest different-writer (or different-page) similarity {:.3} < threshold {:.2}; copies under it {} of {} (lowest {:.3})\n",
            self.pairs(),
            self.false_merges(),
            self.highest_different,
            self.threshold,
            c.copies - c.detected,
            c.copies,
            self.lowest_copy
        ));
        out
    }
}

/// The Rotten Tomatoes sets: every pair of one film's reviews.
pub fn rotten_tomatoes(data: &Path) -> Result<Vec<SetReport>> {
    Ok(vec![
        compare("rt-flatiron", &rt_flatiron(data)?),
        compare("rt-kaggle-truncated + soccer", &rt_films(data)?),
        compare("rt-scrape-2023", &rt_scrape(data)?),
    ])
}

/// The main text of the extraction benchmark's pages, every pair.
pub fn benchmark(data: &Path) -> Result<SetReport> {
    Ok(compare(
        "extraction-benchmark pages",
        &bench_texts(&benchmark_pages(data)?),
    ))
}

fn bench_texts(bench: &[(String, Vec<String>, String)]) -> Vec<Text> {
    bench
        .iter()
        .map(|(_, _, body)| Text {
            group: "all".into(),
            writer: None,
            text: body.clone(),
        })
        .collect()
}

/// Runs the whole measurement on the data folder.
pub fn run(data: &Path) -> Result<Report> {
    let mut sets = rotten_tomatoes(data)?;
    sets.push(compare("aclImdb (by film)", &imdb(data)?));
    let bench = benchmark_pages(data)?;
    sets.push(compare("extraction-benchmark pages", &bench_texts(&bench)));
    sets.push(compare("extraction-web-dev pages", &web_dev_pages(data)?));
    let copies = rehosted(data, &bench)?;
    let highest_different = sets
        .iter()
        .map(|s| s.highest)
        .fold(copies.same_furniture_highest, f64::max);
    let lowest_copy = copies.lowest;
    Ok(Report {
        threshold: THRESHOLD,
        sets,
        copies,
        highest_different,
        lowest_copy,
    })
}

/// Every pair of signed texts within each group.
fn compare(set: &str, texts: &[Text]) -> SetReport {
    let mut groups: BTreeMap<&str, Vec<(usize, Signature)>> = BTreeMap::new();
    let mut signed = 0;
    for (i, t) in texts.iter().enumerate() {
        if let Some(s) = Signature::of(&t.text) {
            signed += 1;
            groups.entry(t.group.as_str()).or_default().push((i, s));
        }
    }
    let mut report = SetReport {
        set: set.to_string(),
        texts: texts.len(),
        signed,
        groups: texts
            .iter()
            .map(|t| t.group.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        pairs: 0,
        over: 0,
        identical: 0,
        false_merges: 0,
        unattributed: 0,
        highest: 0.0,
        histogram: [0; 10],
        over_pairs: Vec::new(),
        closest_under: Vec::new(),
    };
    let head = |s: &str| s.split_whitespace().take(14).collect::<Vec<_>>().join(" ");
    let mut under: Vec<(f64, usize, usize)> = Vec::new();
    for members in groups.values() {
        for (x, (i, a)) in members.iter().enumerate() {
            for (j, b) in &members[x + 1..] {
                report.pairs += 1;
                let sim = a.similarity(b);
                report.histogram[((sim * 10.0) as usize).min(9)] += 1;
                let (ti, tj) = (&texts[*i], &texts[*j]);
                if ti.text.trim() == tj.text.trim() {
                    if sim >= THRESHOLD {
                        report.over += 1;
                        report.identical += 1;
                    }
                    continue;
                }
                // two named, different writers, or two different pages
                let different = match (&ti.writer, &tj.writer) {
                    (Some(a), Some(b)) => a != b,
                    _ => ti.group == "all",
                };
                if different {
                    report.highest = report.highest.max(sim);
                }
                if sim < THRESHOLD {
                    if sim >= 0.2 {
                        under.push((sim, *i, *j));
                    }
                    continue;
                }
                report.over += 1;
                if different {
                    report.false_merges += 1;
                } else {
                    report.unattributed += 1;
                }
                report
                    .over_pairs
                    .push((sim, head(&ti.text), head(&tj.text)));
            }
        }
    }
    under.sort_by(|a, b| b.0.total_cmp(&a.0));
    report.closest_under = under
        .into_iter()
        .take(5)
        .map(|(sim, i, j)| (sim, head(&texts[i].text), head(&texts[j].text)))
        .collect();
    report.over_pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    report
}

fn rt_flatiron(data: &Path) -> Result<Vec<Text>> {
    Ok(load(Dataset::RtFlatiron, data)?
        .docs
        .into_iter()
        .map(|d| Text {
            group: d.group.to_string(),
            writer: d.critic,
            text: d.text,
        })
        .collect())
}

fn rt_films(data: &Path) -> Result<Vec<Text>> {
    let mut out = Vec::new();
    for (set, films) in load_film_sets(data)? {
        for film in films {
            for d in film.reviews {
                out.push(Text {
                    group: format!("{set}/{}", film.title),
                    writer: d.critic,
                    text: d.text,
                });
            }
        }
    }
    Ok(out)
}

fn rt_scrape(data: &Path) -> Result<Vec<Text>> {
    let path = data.join("rt-scrape-2023/movie_reviews.csv");
    let mut reader =
        csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
    let header = reader.headers()?.clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no {name} column", path.display()))
    };
    let (film, critic, text) = (
        col("movie_title")?,
        col("critic_name")?,
        col("review_content")?,
    );
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        out.push(Text {
            group: row.get(film).unwrap_or_default().to_string(),
            writer: row
                .get(critic)
                .map(str::to_string)
                .filter(|c| !c.is_empty()),
            text: row.get(text).unwrap_or_default().to_string(),
        });
    }
    Ok(out)
}

/// aclImdb's reviews, each with its film (the `urls_*.txt` files give
/// review N of each folder its film's IMDb address, line N), written by
/// different users: the writer is the review's own file.
fn imdb(data: &Path) -> Result<Vec<Text>> {
    let path = data.join("imdb-aclimdb/aclImdb_v1_labeled.tar.gz");
    let file = std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let mut archive =
        tar::Archive::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)));
    let mut urls: HashMap<String, Vec<String>> = HashMap::new();
    let mut reviews: Vec<(String, usize, String)> = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        // aclImdb/<split>/urls_<pos|neg>.txt and aclImdb/<split>/<pos|neg>/<id>_<r>.txt
        let parts: Vec<&str> = name.split('/').collect();
        let mut bytes = Vec::new();
        if parts.len() == 3
            && let Some(kind) = parts[2]
                .strip_prefix("urls_")
                .and_then(|k| k.strip_suffix(".txt"))
            && (kind == "pos" || kind == "neg")
        {
            entry.read_to_end(&mut bytes)?;
            urls.insert(
                format!("{}/{kind}", parts[1]),
                String::from_utf8_lossy(&bytes)
                    .lines()
                    .map(str::to_string)
                    .collect(),
            );
        } else if parts.len() == 4
            && (parts[2] == "pos" || parts[2] == "neg")
            && (parts[1] == "train" || parts[1] == "test")
            && let Some(id) = parts[3].split('_').next().and_then(|i| i.parse().ok())
        {
            entry.read_to_end(&mut bytes)?;
            let text = String::from_utf8_lossy(&bytes).replace("<br />", "\n");
            reviews.push((format!("{}/{}", parts[1], parts[2]), id, text));
        }
    }
    if urls.is_empty() {
        bail!("{}: no urls_*.txt files", path.display());
    }
    let film = |url: &str| {
        url.split('/')
            .find(|p| p.starts_with("tt"))
            .unwrap_or(url)
            .to_string()
    };
    Ok(reviews
        .into_iter()
        .filter_map(|(folder, id, text)| {
            let url = urls.get(&folder)?.get(id)?;
            // no names: every review is meant to be another user's, but
            // the set holds re-posts of one text (counted apart)
            Some(Text {
                group: film(url),
                writer: None,
                text,
            })
        })
        .collect())
}

/// Reads a document as the pipeline does: parse, extract; the body.
fn extracted(origin: &str, html: Vec<u8>) -> Option<String> {
    let raw = verdict_source::RawDocument::new(origin, html);
    let doc = verdict_document::parse(&raw).ok()?;
    Some(verdict_extract::extract(&doc).review.body)
}

/// The extraction benchmark's pages: (HTML, the ground truth's
/// paragraphs, the main text the extraction reads).
fn benchmark_pages(data: &Path) -> Result<Vec<(String, Vec<String>, String)>> {
    let dir = data.join("extraction-benchmark");
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("ground-truth.json"))
            .with_context(|| format!("reading {}", dir.display()))?,
    )?;
    let truth = truth
        .as_object()
        .context("ground-truth.json: not an object")?;
    let mut out = Vec::new();
    for (id, page) in truth {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(file).read_to_end(&mut bytes)?;
        let html = String::from_utf8_lossy(&bytes).into_owned();
        let paragraphs: Vec<String> = page["articleBody"]
            .as_str()
            .unwrap_or_default()
            .split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        let body = extracted(&path.display().to_string(), bytes).unwrap_or_default();
        out.push((html, paragraphs, body));
    }
    Ok(out)
}

fn web_dev_pages(data: &Path) -> Result<Vec<Text>> {
    let archive = data.join("extraction-web-dev/pages.tar.xz");
    let mut xz = std::io::BufReader::new(
        std::fs::File::open(&archive).with_context(|| format!("opening {}", archive.display()))?,
    );
    let mut tar_bytes = Vec::new();
    lzma_rs::xz_decompress(&mut xz, &mut tar_bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", archive.display()))?;
    let mut out = Vec::new();
    let mut tar = tar::Archive::new(tar_bytes.as_slice());
    for entry in tar.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        if !(name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".html.gz")) {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        if name.ends_with(".gz") {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut plain)?;
            bytes = plain;
        }
        if let Some(body) = extracted(&name, bytes) {
            out.push(Text {
                group: "all".into(),
                writer: None,
                text: body,
            });
        }
    }
    Ok(out)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A host page with its article replaced by `paragraphs`: from the `<p>`
/// whose text opens with the ground truth's first paragraph to the `</p>`
/// that closes its last, when both are found in the HTML as written (as
/// an element's text: not in a `<meta>` description or a script).
fn splice(html: &str, truth: &[String], paragraphs: &[String]) -> Option<String> {
    let prefix = |p: &str| p.chars().take(24).collect::<String>();
    let suffix = |p: &str| {
        let chars: Vec<char> = p.chars().collect();
        chars[chars.len().saturating_sub(24)..]
            .iter()
            .collect::<String>()
    };
    let first = prefix(truth.iter().find(|p| p.chars().count() >= 40)?);
    let last = suffix(truth.iter().rev().find(|p| p.chars().count() >= 40)?);
    // the first occurrence right after a <p …> tag
    let (start, at) = html.match_indices(&first).find_map(|(at, _)| {
        let open = html[..at].rfind('<')?;
        let tag = &html[open..at];
        let is_p = tag.starts_with("<p>") || tag.starts_with("<p ");
        (is_p && tag.trim_end().ends_with('>') && tag.matches('>').count() == 1)
            .then_some((open, at))
    })?;
    let end = at + html[at..].rfind(&last)?;
    let close = end + html[end..].find("</p>")? + 4;
    let inner: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", escape(p)))
        .collect();
    Some(format!("{}{inner}{}", &html[..start], &html[close..]))
}

/// Whether the extraction reads `review` from `body`: its first and last
/// paragraphs' words are there.
fn reads(body: &str, review: &[String]) -> bool {
    let body = verdict_core::copies::words(body).join(" ");
    let has = |p: &String| {
        let w = verdict_core::copies::words(p);
        let n = w.len().min(8);
        body.contains(&w[..n].join(" ")) && body.contains(&w[w.len() - n..].join(" "))
    };
    match (review.first(), review.last()) {
        (Some(a), Some(b)) => has(a) && has(b),
        _ => false,
    }
}

/// Real reviews re-hosted in two real pages each, read back by the real
/// extraction.
fn rehosted(data: &Path, bench: &[(String, Vec<String>, String)]) -> Result<CopyReport> {
    // polarity v2.0: one sentence a line; paragraphs of five sentences
    let reviews: Vec<Vec<String>> = load(Dataset::PolarityV2, data)?
        .docs
        .into_iter()
        .map(|d| {
            let lines: Vec<&str> = d.text.lines().filter(|l| !l.trim().is_empty()).collect();
            lines.chunks(5).map(|c| c.join(" ")).collect()
        })
        .collect();
    // hosts: pages whose article can be replaced, and from which the
    // extraction then reads the review (a page whose main text it finds
    // elsewhere is no host for a copy of it); a probe review decides
    let probe = reviews.last().context("polarity v2.0: no review")?;
    let candidates = bench.len();
    let hosts: Vec<&(String, Vec<String>, String)> = bench
        .iter()
        .filter(|(html, truth, _)| {
            splice(html, truth, probe)
                .and_then(|page| extracted("probe.html", page.into_bytes()))
                .is_some_and(|body| reads(&body, probe))
        })
        .collect();
    if hosts.len() < 3 {
        bail!("only {} host pages could take a review", hosts.len());
    }
    let n = reviews.len().min(500);
    let mut report = CopyReport {
        candidate_hosts: candidates,
        hosts: hosts.len(),
        copies: 0,
        read_whole: 0,
        histogram: [0; 10],
        least: Vec::new(),
        same_furniture_most: Vec::new(),
        detected: 0,
        unsigned: 0,
        lowest: 1.0,
        mean: 0.0,
        lowest_exact: 1.0,
        same_furniture_pairs: 0,
        same_furniture_over: 0,
        same_furniture_highest: 0.0,
    };
    let mut sum = 0.0;
    let host = |k: usize| hosts[k % hosts.len()];
    let read = |k: usize, review: &[String]| -> Option<String> {
        let (html, truth, _) = host(k);
        extracted(
            &format!("host-{k}.html"),
            splice(html, truth, review)?.into_bytes(),
        )
    };
    let mut previous: Option<usize> = None;
    for (i, review) in reviews.iter().take(n).enumerate() {
        let (h1, h2) = (i, i * 7 + 3);
        if h1 % hosts.len() == h2 % hosts.len() {
            continue;
        }
        let (Some(a), Some(b)) = (read(h1, review), read(h2, review)) else {
            continue;
        };
        report.copies += 1;
        if reads(&a, review) && reads(&b, review) {
            report.read_whole += 1;
        }
        let (Some(sa), Some(sb)) = (Signature::of(&a), Signature::of(&b)) else {
            report.unsigned += 1;
            report.lowest = 0.0;
            continue;
        };
        let sim = sa.similarity(&sb);
        report.histogram[((sim * 10.0) as usize).min(9)] += 1;
        let words = |t: &str| t.split_whitespace().count();
        report.least.push((sim, words(&a), words(&b)));
        sum += sim;
        if sim >= THRESHOLD {
            report.detected += 1;
        }
        if sim < report.lowest {
            report.lowest = sim;
            report.lowest_exact = jaccard(&a, &b);
        }
        // the previous review in this review's first host's furniture
        if let Some(j) = previous
            && let Some(other) = read(h1, &reviews[j])
            && let Some(so) = Signature::of(&other)
        {
            report.same_furniture_pairs += 1;
            let s = sa.similarity(&so);
            report.same_furniture_most.push((
                s,
                a.split_whitespace().count(),
                other.split_whitespace().count(),
            ));
            report.same_furniture_highest = report.same_furniture_highest.max(s);
            if s >= THRESHOLD {
                report.same_furniture_over += 1;
            }
        }
        previous = Some(i);
    }
    report.least.sort_by(|x, y| x.0.total_cmp(&y.0));
    report.least.truncate(10);
    report
        .same_furniture_most
        .sort_by(|x, y| y.0.total_cmp(&x.0));
    report.same_furniture_most.truncate(5);
    report.mean = sum / (report.copies - report.unsigned).max(1) as f64;
    Ok(report)
}
