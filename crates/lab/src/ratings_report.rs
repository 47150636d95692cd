//! Measures the reader on real data (`verdict-lab ratings-report`): coverage of
//! every distinct rating string seen on Rotten Tomatoes, agreement of
//! `score >= 60` with the critics' own fresh/rotten calls, and
//! throughput.
//!
//! The data sits beside the project (`../shared/data`), never in it:
//!
//! - `rating-strings.tsv`: each distinct string (written as a Python
//!   literal), its count, and its fresh/rotten split;
//! - `rt-flatiron/rt.reviews.tsv.gz`: 54,432 reviews, 40,915 with a
//!   rating, with film id, critic, publisher and fresh/rotten
//!   (Windows-1252, tab-separated, CSV-quoted).
//!
//! # Agreement protocol
//!
//! Reviews are split into five folds by film id (a hash of the id, so a
//! film's reviews share a fold). Each review is judged by what was
//! learned from the other four folds only: its critic's and outlet's
//! scale ([`ScaleBook`], no labels) and the verdict lines
//! ([`Calibration`], labels). The three readings are judged on the same
//! reviews:
//!
//! 1. **linear**: [`verdict_rating::read`], fresh when the score is 60 or more;
//! 2. **+ scale hints**: bare numbers and unwritten-best stars read on the
//!    scale the critic or outlet writes elsewhere ([`ScaleBook::read`]);
//! 3. **+ verdict lines**: and fresh when the score reaches the critic's,
//!    outlet's or scale's learned line ([`Calibration`]). The score itself
//!    does not change.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use verdict_rating::scalebook::{Calibration, CalibrationParams, Labelled, ScaleBook};
use verdict_rating::{Reading, read};

pub use verdict_testkit::rating_strings::{StringRow, load as load_rating_strings};

/// One rated review of `rt.reviews.tsv.gz`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub film: String,
    pub raw: String,
    pub fresh: bool,
    pub critic: Option<String>,
    pub outlet: Option<String>,
}

fn other(msg: String) -> std::io::Error {
    std::io::Error::other(msg)
}

/// Loads the rated reviews of `rt.reviews.tsv.gz` (gzip, Windows-1252).
pub fn load_flatiron(path: &Path) -> std::io::Result<Vec<ReviewRow>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::io::BufReader::new(file)).read_to_end(&mut bytes)?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| other(format!("{}: {e}", path.display())))?
        .clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| other(format!("{}: no `{name}` column", path.display())))
    };
    let (id, rating, fresh, critic, publisher) = (
        col("id")?,
        col("rating")?,
        col("fresh")?,
        col("critic")?,
        col("publisher")?,
    );
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| other(format!("{}: {e}", path.display())))?;
        let get = |i: usize| rec.get(i).unwrap_or("");
        let raw = get(rating);
        if raw.trim().is_empty() {
            continue;
        }
        let fresh = match get(fresh).trim() {
            "fresh" => true,
            "rotten" => false,
            _ => continue,
        };
        let name = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        rows.push(ReviewRow {
            film: get(id).trim().to_string(),
            raw: raw.to_string(),
            fresh,
            critic: name(get(critic)),
            outlet: name(get(publisher)),
        });
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------
// Coverage

/// Coverage of a list of distinct strings with counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub distinct: usize,
    pub distinct_read: usize,
    pub distinct_refused: usize,
    pub occurrences: u64,
    pub occurrences_read: u64,
    pub occurrences_refused: u64,
    /// Refusals whose reason is empty (should be none).
    pub refused_without_reason: usize,
    /// Occurrences read with confidence Low (bare numbers of unknown scale).
    pub occurrences_low_confidence: u64,
    /// Every refused string: (count, input, reason), most frequent first.
    pub refused: Vec<(u64, String, String)>,
    /// Occurrences with a fresh/rotten split, and how many of them agree
    /// with `score >= 60` (the plain reading, no critic known).
    pub judged: u64,
    pub agree_linear: u64,
}

impl Coverage {
    pub fn read_percent(&self) -> f64 {
        pct(self.occurrences_read, self.occurrences)
    }

    /// Read, or refused with a reason, weighted by count.
    pub fn accounted_percent(&self) -> f64 {
        let accounted = self.occurrences_read + self.occurrences_refused;
        let empty: u64 = self
            .refused
            .iter()
            .filter(|(_, _, r)| r.trim().is_empty())
            .map(|(n, _, _)| *n)
            .sum();
        pct(accounted - empty, self.occurrences)
    }
}

fn pct(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Reads every string once, weighting by its count.
pub fn coverage(rows: &[StringRow]) -> Coverage {
    let mut c = Coverage {
        distinct: rows.len(),
        distinct_read: 0,
        distinct_refused: 0,
        occurrences: 0,
        occurrences_read: 0,
        occurrences_refused: 0,
        refused_without_reason: 0,
        occurrences_low_confidence: 0,
        refused: Vec::new(),
        judged: 0,
        agree_linear: 0,
    };
    for row in rows {
        c.occurrences += row.total;
        match read(&row.input) {
            Reading::Rated(r) => {
                c.judged += row.fresh + row.rotten;
                c.agree_linear += if r.score >= 60.0 {
                    row.fresh
                } else {
                    row.rotten
                };
                c.distinct_read += 1;
                c.occurrences_read += row.total;
                if r.confidence == verdict_core::Confidence::Low {
                    c.occurrences_low_confidence += row.total;
                }
            }
            Reading::Refused(r) => {
                c.distinct_refused += 1;
                c.occurrences_refused += row.total;
                if r.reason.trim().is_empty() {
                    c.refused_without_reason += 1;
                }
                c.refused.push((row.total, row.input.clone(), r.reason));
            }
        }
    }
    c.refused.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    c
}

// ---------------------------------------------------------------------------
// Agreement

/// The fold of a film: a hash of its id, so the split does not follow
/// the order films were numbered in.
pub fn fold_of(film: &str, folds: u64) -> u64 {
    // FNV-1a, then a splitmix64 finaliser
    let mut h: u64 = 0xcbf29ce484222325;
    for b in film.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58476d1ce4e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d049bb133111eb);
    h ^= h >> 31;
    h % folds.max(1)
}

/// One way of reading, judged on the held-out reviews.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Method {
    pub name: String,
    /// Reviews read (the same for every method but the first when a
    /// hint reads a string the plain reader refuses).
    pub judged: u64,
    pub agree: u64,
    /// Among reviews whose plain reading is an explicit `x/y` or a letter
    /// grade.
    pub judged_explicit: u64,
    pub agree_explicit: u64,
    /// Agreement in each fold, percent.
    pub per_fold: Vec<f64>,
}

impl Method {
    pub fn percent(&self) -> f64 {
        pct(self.agree, self.judged)
    }
    pub fn percent_explicit(&self) -> f64 {
        pct(self.agree_explicit, self.judged_explicit)
    }
}

/// A form (the trimmed rating string with a label) that disagrees often.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    pub form: String,
    /// The label the reviews carry while the reading says the other.
    pub label: String,
    /// Held-out reviews where the final method disagrees.
    pub count: u64,
    /// Held-out reviews where the linear reading disagrees.
    pub count_linear: u64,
    /// All reviews of the form, and how many are fresh.
    pub form_total: u64,
    pub form_fresh: u64,
    /// Of `count`, how many came from critics who labelled this same form
    /// both ways.
    pub from_split_critics: u64,
    /// The critics with most of `count`.
    pub top_critics: Vec<(String, u64)>,
    /// A sentence, computed from the numbers above.
    pub reason: String,
}

/// The agreement part of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub folds: u64,
    pub rated_reviews: u64,
    pub refused_reviews: u64,
    pub methods: Vec<Method>,
    pub disagreements: Vec<Disagreement>,
    /// Lines moved from 60 in the last fold's calibration: (scale, outlet,
    /// critic).
    pub lines_moved: (usize, usize, usize),
    pub params: CalibrationParams,
}

fn trimmed_form(raw: &str) -> String {
    raw.trim().to_string()
}

/// Judges the three readings on held-out films.
pub fn agreement(rows: &[ReviewRow], folds: u64, params: CalibrationParams) -> Agreement {
    let folds = folds.max(2);
    let fold: Vec<u64> = rows.iter().map(|r| fold_of(&r.film, folds)).collect();
    // plain readings do not depend on the fold
    let plain: Vec<Option<(f64, String, bool)>> = rows
        .iter()
        .map(|r| match read(&r.raw) {
            Reading::Rated(x) => {
                let explicit = x.scale == "letter"
                    || (x.scale.starts_with("x/") && x.confidence != verdict_core::Confidence::Low);
                Some((x.score, x.scale, explicit))
            }
            Reading::Refused(_) => None,
        })
        .collect();
    let names = ["linear", "+ scale hints", "+ verdict lines"];
    let mut methods: Vec<Method> = names
        .iter()
        .map(|n| Method {
            name: n.to_string(),
            judged: 0,
            agree: 0,
            judged_explicit: 0,
            agree_explicit: 0,
            per_fold: Vec::new(),
        })
        .collect();
    // per row: did linear / final disagree
    let mut wrong_linear = vec![false; rows.len()];
    let mut wrong_final = vec![false; rows.len()];
    // the final reading of each review: (score, line)
    let mut final_reading: Vec<Option<(f64, f64)>> = vec![None; rows.len()];
    let mut lines_moved = (0, 0, 0);
    for f in 0..folds {
        let train: Vec<usize> = (0..rows.len()).filter(|i| fold[*i] != f).collect();
        let test: Vec<usize> = (0..rows.len()).filter(|i| fold[*i] == f).collect();
        let book = ScaleBook::learn(train.iter().map(|&i| {
            (
                rows[i].outlet.as_deref(),
                rows[i].critic.as_deref(),
                rows[i].raw.as_str(),
            )
        }));
        let hinted = |i: usize| -> Option<(f64, String)> {
            match book.read(
                rows[i].outlet.as_deref(),
                rows[i].critic.as_deref(),
                &rows[i].raw,
            ) {
                Reading::Rated(x) => Some((x.score, x.scale)),
                Reading::Refused(_) => None,
            }
        };
        let train_readings: Vec<(usize, f64, String)> = train
            .iter()
            .filter_map(|&i| hinted(i).map(|(s, sc)| (i, s, sc)))
            .collect();
        let labelled: Vec<Labelled<'_>> = train_readings
            .iter()
            .map(|(i, s, sc)| Labelled {
                outlet: rows[*i].outlet.as_deref(),
                critic: rows[*i].critic.as_deref(),
                scale: sc,
                score: *s,
                fresh: rows[*i].fresh,
            })
            .collect();
        let cal = Calibration::fit_with(&labelled, params);
        lines_moved = cal.moved();
        let mut fold_counts = [(0u64, 0u64); 3];
        for &i in &test {
            let r = &rows[i];
            let explicit = plain[i].as_ref().is_some_and(|p| p.2);
            let mut judge = |m: usize, fresh: Option<bool>, wrong: Option<&mut Vec<bool>>| {
                let Some(fresh) = fresh else { return };
                let ok = fresh == r.fresh;
                methods[m].judged += 1;
                methods[m].agree += ok as u64;
                if explicit {
                    methods[m].judged_explicit += 1;
                    methods[m].agree_explicit += ok as u64;
                }
                fold_counts[m].0 += 1;
                fold_counts[m].1 += ok as u64;
                if let Some(w) = wrong {
                    w[i] = !ok;
                }
            };
            judge(
                0,
                plain[i].as_ref().map(|p| p.0 >= 60.0),
                Some(&mut wrong_linear),
            );
            let h = hinted(i);
            judge(1, h.as_ref().map(|(s, _)| *s >= 60.0), None);
            let line = h.as_ref().map(|(s, sc)| {
                (
                    *s,
                    cal.threshold(r.outlet.as_deref(), r.critic.as_deref(), sc)
                        .at,
                )
            });
            judge(2, line.map(|(s, t)| s >= t), Some(&mut wrong_final));
            final_reading[i] = line;
        }
        for (m, (n, a)) in fold_counts.iter().enumerate() {
            methods[m].per_fold.push(pct(*a, *n));
        }
    }
    let disagreements = disagreements(rows, &wrong_linear, &wrong_final, &final_reading);
    let refused = plain.iter().filter(|p| p.is_none()).count() as u64;
    Agreement {
        folds,
        rated_reviews: rows.len() as u64,
        refused_reviews: refused,
        methods,
        disagreements,
        lines_moved,
        params,
    }
}

fn disagreements(
    rows: &[ReviewRow],
    wrong_linear: &[bool],
    wrong_final: &[bool],
    final_reading: &[Option<(f64, f64)>],
) -> Vec<Disagreement> {
    let label = |f: bool| if f { "fresh" } else { "rotten" };
    // per form: totals and fresh
    let mut form_stats: HashMap<String, (u64, u64)> = HashMap::new();
    // per (form, critic): labels seen
    let mut critic_labels: HashMap<(String, String), (bool, bool)> = HashMap::new();
    for r in rows {
        let f = trimmed_form(&r.raw);
        let e = form_stats.entry(f.clone()).or_default();
        e.0 += 1;
        e.1 += r.fresh as u64;
        if let Some(c) = &r.critic {
            let l = critic_labels.entry((f, c.clone())).or_default();
            if r.fresh {
                l.0 = true;
            } else {
                l.1 = true;
            }
        }
    }
    #[derive(Default)]
    struct Acc {
        count: u64,
        count_linear: u64,
        split: u64,
        critics: HashMap<String, u64>,
        /// Smallest distance from the review's score to its line, and the
        /// scores seen.
        score_lo: f64,
        score_hi: f64,
        near: u64,
    }
    let mut acc: HashMap<(String, bool), Acc> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if !(wrong_final[i] || wrong_linear[i]) {
            continue;
        }
        let f = trimmed_form(&r.raw);
        let a = acc.entry((f.clone(), r.fresh)).or_default();
        if wrong_linear[i] {
            a.count_linear += 1;
        }
        if wrong_final[i] {
            if a.count == 0 {
                a.score_lo = f64::INFINITY;
                a.score_hi = f64::NEG_INFINITY;
            }
            a.count += 1;
            if let Some((score, line)) = final_reading[i] {
                a.score_lo = a.score_lo.min(score);
                a.score_hi = a.score_hi.max(score);
                if (score - line).abs() <= 25.0 {
                    a.near += 1;
                }
            }
            let who = r
                .critic
                .clone()
                .or_else(|| r.outlet.clone())
                .unwrap_or_else(|| "(unnamed)".to_string());
            *a.critics.entry(who).or_default() += 1;
            if let Some(c) = &r.critic
                && critic_labels
                    .get(&(f.clone(), c.clone()))
                    .is_some_and(|(x, y)| *x && *y)
            {
                a.split += 1;
            }
        }
    }
    let mut out: Vec<Disagreement> = acc
        .into_iter()
        .filter(|(_, a)| a.count > 0)
        .map(|((form, fresh), a)| {
            let (total, nfresh) = form_stats.get(&form).copied().unwrap_or_default();
            let mut top: Vec<(String, u64)> = a.critics.into_iter().collect();
            top.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            top.truncate(3);
            let reason = reason_for(&Why {
                form: &form,
                fresh,
                count: a.count,
                split: a.split,
                near: a.near,
                total,
                nfresh,
                scores: (a.score_lo, a.score_hi),
            });
            Disagreement {
                form,
                label: label(fresh).to_string(),
                count: a.count,
                count_linear: a.count_linear,
                form_total: total,
                form_fresh: nfresh,
                from_split_critics: a.split,
                top_critics: top,
                reason,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.form.cmp(&b.form)));
    out
}

/// The numbers a disagreement's reason is made from.
struct Why<'a> {
    form: &'a str,
    fresh: bool,
    count: u64,
    split: u64,
    /// Of `count`, how many scored within 25 points of their line.
    near: u64,
    total: u64,
    nfresh: u64,
    /// The lowest and highest final score among `count`.
    scores: (f64, f64),
}

/// A sentence saying why a form disagrees, from its numbers.
fn reason_for(w: &Why<'_>) -> String {
    let share = pct(w.nfresh, w.total);
    let bare = read(w.form)
        .rating()
        .is_some_and(|r| r.confidence == verdict_core::Confidence::Low);
    let (lo, hi) = w.scores;
    let read_as = if (hi - lo).abs() < 0.5 {
        format!("{lo:.0}/100")
    } else {
        format!("{lo:.0}–{hi:.0}/100")
    };
    let mut parts = Vec::new();
    if (25.0..=75.0).contains(&share) {
        parts.push(format!(
            "a mid-scale mark: {share:.0}% of its {} reviews are fresh, and the critics' lines fall on both sides of it",
            w.total
        ));
    } else if w.near * 2 < w.count {
        parts.push(format!(
            "{}labelled {} though read as {read_as}, far from any line ({share:.0}% of its {} reviews are fresh): the stored rating and the label disagree at the source",
            if bare { "a bare number " } else { "" },
            if w.fresh { "fresh" } else { "rotten" },
            w.total
        ));
    } else {
        parts.push(format!(
            "{share:.0}% of its {} reviews are fresh; these are labelled {} against that, on the other side of their critic's line",
            w.total,
            if w.fresh { "fresh" } else { "rotten" }
        ));
    }
    if w.split > 0 {
        parts.push(format!(
            "{} of the {} {} from critics who labelled this same form both ways",
            w.split,
            w.count,
            if w.split == 1 { "comes" } else { "come" }
        ));
    }
    parts.join("; ")
}

// ---------------------------------------------------------------------------
// Throughput

/// Strings read per second.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Throughput {
    pub strings: u64,
    pub seconds: f64,
    pub per_second: f64,
    /// Whether the code was built with debug assertions (a debug build is
    /// many times slower).
    pub debug_build: bool,
}

/// Reads every string `repetitions` times.
pub fn throughput(strings: &[&str], repetitions: u32) -> Throughput {
    let start = Instant::now();
    let mut n = 0u64;
    let mut sink = 0.0f64;
    for _ in 0..repetitions.max(1) {
        for s in strings {
            if let Reading::Rated(r) = read(std::hint::black_box(s)) {
                sink += r.score;
            }
            n += 1;
        }
    }
    std::hint::black_box(sink);
    let seconds = start.elapsed().as_secs_f64();
    Throughput {
        strings: n,
        seconds,
        per_second: if seconds > 0.0 {
            n as f64 / seconds
        } else {
            0.0
        },
        debug_build: cfg!(debug_assertions),
    }
}

// ---------------------------------------------------------------------------
// The whole report

/// Everything `verdict-lab ratings-report` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub rating_strings: Coverage,
    /// The rated reviews of rt-flatiron, each string weighted by its rows.
    pub flatiron_coverage: Coverage,
    pub agreement: Agreement,
    pub throughput: Throughput,
}

/// Runs the report on the data in `data` (`../shared/data`).
pub fn run(data: &Path, repetitions: u32) -> std::io::Result<Report> {
    let strings = load_rating_strings(&data.join("rating-strings.tsv"))?;
    let reviews = load_flatiron(&data.join("rt-flatiron/rt.reviews.tsv.gz"))?;
    let rating_strings = coverage(&strings);
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for r in &reviews {
        *counts.entry(r.raw.as_str()).or_default() += 1;
    }
    let mut flat_rows: Vec<StringRow> = counts
        .into_iter()
        .map(|(s, n)| StringRow {
            input: s.to_string(),
            total: n,
            fresh: 0,
            rotten: 0,
        })
        .collect();
    flat_rows.sort_by(|a, b| a.input.cmp(&b.input));
    let flatiron_coverage = coverage(&flat_rows);
    let agreement = agreement(&reviews, 5, CalibrationParams::default());
    let raws: Vec<&str> = reviews.iter().map(|r| r.raw.as_str()).collect();
    let throughput = throughput(&raws, repetitions);
    Ok(Report {
        rating_strings,
        flatiron_coverage,
        agreement,
        throughput,
    })
}

impl Report {
    /// The report as text.
    pub fn render(&self, top: usize) -> String {
        use std::fmt::Write;
        let mut o = String::new();
        let c = &self.rating_strings;
        let _ = writeln!(o, "1. Coverage of rating-strings.tsv");
        let _ = writeln!(
            o,
            "   weighted by count: {:.3}% read, {:.3}% refused with a reason, {:.3}% accounted for ({} occurrences)",
            c.read_percent(),
            pct(c.occurrences_refused, c.occurrences),
            c.accounted_percent(),
            c.occurrences
        );
        let _ = writeln!(
            o,
            "   distinct strings:  {} read, {} refused ({:.2}% read, {} strings); refusals without a reason: {}",
            c.distinct_read,
            c.distinct_refused,
            pct(c.distinct_read as u64, c.distinct as u64),
            c.distinct,
            c.refused_without_reason
        );
        let _ = writeln!(
            o,
            "   read with confidence low (bare numbers, scale unknown): {:.2}% of occurrences",
            pct(c.occurrences_low_confidence, c.occurrences)
        );
        if c.judged > 0 {
            let _ = writeln!(
                o,
                "   linear agreement with the file's own fresh/rotten split (all its sources, no critic known): {:.2}% of {}",
                pct(c.agree_linear, c.judged),
                c.judged
            );
        }
        for (n, s, r) in &c.refused {
            let _ = writeln!(o, "   {n:>6}  {s:?}: {r}");
        }
        let f = &self.flatiron_coverage;
        let _ = writeln!(
            o,
            "   rt-flatiron rated reviews: {:.3}% of {} read ({} distinct strings, {} refused)",
            f.read_percent(),
            f.occurrences,
            f.distinct,
            f.distinct_refused
        );
        let a = &self.agreement;
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "2. Agreement of the verdict with the critic's fresh/rotten (rt-flatiron, {} rated reviews, {} refused)",
            a.rated_reviews, a.refused_reviews
        );
        let _ = writeln!(
            o,
            "   held out: {}-fold cross-validation by film id; each review is judged by what was learned without its film",
            a.folds
        );
        let _ = writeln!(
            o,
            "   {:<18} {:>9} {:>9} {:>16} {:>16}",
            "reading", "judged", "agree %", "x/y+letters %", "fold range %"
        );
        for m in &a.methods {
            let lo = m.per_fold.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = m.per_fold.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let _ = writeln!(
                o,
                "   {:<18} {:>9} {:>9.2} {:>16.2} {:>9.2}–{:.2}",
                m.name,
                m.judged,
                m.percent(),
                m.percent_explicit(),
                lo,
                hi
            );
        }
        let (ls, lo, lc) = a.lines_moved;
        let _ = writeln!(
            o,
            "   verdict lines moved from 60 (last fold): {ls} scales, {lo} outlet×scale, {lc} critic×scale (min {} reviews, gain ≥ {}, band {}–{})",
            a.params.min_rows, a.params.min_gain, a.params.band.0, a.params.band.1
        );
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "   Forms that disagree most (held out, with verdict lines; linear count beside):"
        );
        for d in a.disagreements.iter().take(top) {
            let critics: Vec<String> = d
                .top_critics
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            let _ = writeln!(
                o,
                "   {:>5} (linear {:>5})  {:<8} labelled {:<6} — {}. [{}]",
                d.count,
                d.count_linear,
                format!("{:?}", d.form),
                d.label,
                d.reason,
                critics.join(", ")
            );
        }
        let t = &self.throughput;
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "3. Throughput: {} strings in {:.3} s = {:.0} strings/s{}",
            t.strings,
            t.seconds,
            t.per_second,
            if t.debug_build {
                " (debug build: measure with --release)"
            } else {
                " (release build, one thread)"
            }
        );
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_stable_and_spread() {
        assert_eq!(fold_of("3", 5), fold_of("3", 5));
        let mut n = [0; 5];
        for i in 0..1000 {
            n[fold_of(&i.to_string(), 5) as usize] += 1;
        }
        assert!(n.iter().all(|c| *c > 150), "{n:?}");
    }

    #[test]
    fn coverage_counts_weights() {
        let rows = vec![
            StringRow {
                input: "3/5".into(),
                total: 10,
                fresh: 9,
                rotten: 1,
            },
            StringRow {
                input: "3.5.5".into(),
                total: 2,
                fresh: 2,
                rotten: 0,
            },
        ];
        let c = coverage(&rows);
        assert_eq!((c.distinct_read, c.distinct_refused), (1, 1));
        assert_eq!((c.occurrences_read, c.occurrences_refused), (10, 2));
        assert!((c.accounted_percent() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn agreement_on_a_tiny_corpus() {
        // one critic who calls 2.5/4 rotten, over many films
        let mut rows = Vec::new();
        for film in 0..60 {
            let (raw, fresh) = match film % 3 {
                0 => ("2.5/4", false),
                1 => ("3/4", true),
                _ => ("1/4", false),
            };
            rows.push(ReviewRow {
                film: film.to_string(),
                raw: raw.into(),
                fresh,
                critic: Some("Strict".into()),
                outlet: Some("Paper".into()),
            });
        }
        let a = agreement(&rows, 5, CalibrationParams::default());
        assert_eq!(a.methods[0].judged, 60);
        // linear calls every 2.5/4 fresh: 20 wrong
        assert_eq!(a.methods[0].agree, 40);
        // the learned line gets them right
        assert_eq!(a.methods[2].agree, 60);
        assert!(a.disagreements.is_empty(), "{:?}", a.disagreements);
    }
}
