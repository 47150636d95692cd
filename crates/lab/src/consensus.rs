//! The consensus benchmark (`verdict-lab consensus`): Verdict's critics'
//! consensus line (`verdict_aggregate::consensus`) against Rotten
//! Tomatoes' own, staff-written `critics_consensus`, on the complete films
//! of `rt-kaggle-truncated` that have one (the films the film benchmark
//! reads, [`crate::train::load_film_sets`]).
//!
//! Each film is read as `verdict import` stores its rows: every row with a
//! text is a judged review, counted on its fresh/rotten label's side; a
//! row without a text counts for % positive by its label alone (so the
//! film's % positive is its share of fresh rows: its Tomatometer). Three
//! lines are drawn from the same reviews:
//!
//! - **Verdict**: [`verdict_aggregate::consensus::consensus`] (and, as a
//!   fourth row, its first sentence alone);
//! - **lead**: the first sentence of the film's first review with a text,
//!   in the file's order (the reviews of a film are listed by date: the
//!   earliest review's opening);
//! - **centroid**: [`verdict_aggregate::consensus::centroid_sentence`], the
//!   one sentence nearest the centroid of the other reviews, with no side,
//!   length or quotation rule.
//!
//! Each is scored with ROUGE-1 and ROUGE-L F1 against the film's published
//! consensus ([`crate::rouge`]), averaged over the films, and with the
//! share of films whose line the judge reads on the Tomatometer's side
//! (P(favourable) of the whole line ≥ 0.5 for a film fresh at ≥ 60 %, < 0.5
//! for a rotten one). A method that draws no line for a film scores 0 on
//! it and disagrees.

use crate::rouge::{rouge_1, rouge_l};
use crate::train::load_film_sets;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use verdict_aggregate::consensus::{self, Voice};

/// The set whose movies file carries `critics_consensus`.
pub const SET: &str = "rt-kaggle-truncated";
/// Its films, with their links.
const FILMS_FILE: &str = "rt-kaggle-truncated/DERIVED_complete_films.tsv";
/// Its movies file (the published consensus).
const MOVIES_FILE: &str = "rt-kaggle-truncated/rotten_tomatoes_movies.TRUNCATED-1MiB.csv";

/// One way of drawing a line, scored.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub method: &'static str,
    /// Films it drew a line for.
    pub lines: usize,
    pub rouge_1: f64,
    pub rouge_l: f64,
    /// Share of films whose line the judge reads on the Tomatometer's side.
    pub agreement: f64,
    /// Mean words of its lines.
    pub words: f64,
    /// Films whose line has two sentences.
    pub two_sentences: usize,
}

/// One film's lines, for reading by eye.
#[derive(Debug, Clone, Serialize)]
pub struct FilmLines {
    pub title: String,
    pub tomatometer: f64,
    pub reference: String,
    pub verdict: Option<String>,
    /// Verdict's first sentence alone.
    pub first: Option<String>,
    pub lead: Option<String>,
    pub centroid: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Films measured: complete, with a published consensus.
    pub films: usize,
    /// Mean words of the published consensus.
    pub reference_words: f64,
    pub rows: Vec<Row>,
    pub lines: Vec<FilmLines>,
    pub seconds: f64,
}

/// The published consensus of each complete film, by title.
fn published(data_dir: &Path) -> Result<HashMap<String, String>> {
    let films_path = data_dir.join(FILMS_FILE);
    let mut films = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .flexible(true)
        .from_path(&films_path)
        .with_context(|| format!("reading {}", films_path.display()))?;
    let header = films.headers()?.clone();
    let col = |h: &csv::StringRecord, name: &str, path: &Path| {
        h.iter()
            .position(|x| x == name)
            .with_context(|| format!("{}: no `{name}` column", path.display()))
    };
    let (link, title) = (
        col(&header, "rotten_tomatoes_link", &films_path)?,
        col(&header, "movie_title", &films_path)?,
    );
    let mut title_of = HashMap::new();
    for row in films.records() {
        let row = row?;
        if let (Some(l), Some(t)) = (row.get(link), row.get(title)) {
            title_of.insert(l.to_string(), t.to_string());
        }
    }
    let movies_path = data_dir.join(MOVIES_FILE);
    let bytes = std::fs::read(&movies_path)
        .with_context(|| format!("reading {}", movies_path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut movies = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = movies.headers()?.clone();
    let (link, consensus) = (
        col(&header, "rotten_tomatoes_link", &movies_path)?,
        col(&header, "critics_consensus", &movies_path)?,
    );
    let mut out = HashMap::new();
    for row in movies.records() {
        // The last row is cut by the truncation.
        let Ok(row) = row else { continue };
        if row.len() != header.len() {
            continue;
        }
        let (Some(l), Some(c)) = (row.get(link), row.get(consensus)) else {
            continue;
        };
        if let Some(t) = title_of.get(l)
            && !c.trim().is_empty()
        {
            out.insert(t.clone(), c.trim().to_string());
        }
    }
    Ok(out)
}

/// Runs the benchmark on the data folder.
pub fn run(data_dir: &Path) -> Result<Report> {
    let t0 = std::time::Instant::now();
    let references = published(data_dir)?;
    let Some((_, films)) = load_film_sets(data_dir)?
        .into_iter()
        .find(|(set, _)| set == SET)
    else {
        bail!("no {SET} films under {}", data_dir.display());
    };
    let mut lines = Vec::new();
    for f in films {
        let Some(reference) = references.get(&f.title) else {
            continue;
        };
        let labelled: Vec<bool> = f.reviews.iter().filter_map(|r| r.positive).collect();
        let percent = (!labelled.is_empty()).then(|| {
            100.0 * labelled.iter().filter(|&&p| p).count() as f64 / labelled.len() as f64
        });
        let voices: Vec<Voice<'_>> = f
            .reviews
            .iter()
            .enumerate()
            .map(|(i, r)| Voice {
                review_id: i as i64,
                texts: vec![r.text.as_str()],
                counted: !r.text.trim().is_empty(),
                favourable: r.positive,
            })
            .collect();
        let line = consensus::consensus(&voices, percent, &f.title);
        let first = line.as_ref().map(|c| c.sentences[0].text.clone());
        let verdict = line.map(|c| c.text);
        let lead = f
            .reviews
            .iter()
            .find_map(|r| consensus::sentences(&r.text).into_iter().next());
        let centroid = consensus::centroid_sentence(&voices, &f.title).map(|s| s.text);
        lines.push(FilmLines {
            title: f.title,
            tomatometer: f.tomatometer,
            reference: reference.clone(),
            verdict,
            first,
            lead,
            centroid,
        });
    }
    if lines.is_empty() {
        bail!("no film of {SET} has a published consensus");
    }
    let n = lines.len() as f64;
    let row = |method: &'static str, pick: fn(&FilmLines) -> Option<&String>| {
        let (mut r1, mut rl, mut agree, mut words, mut drawn, mut two) =
            (0.0, 0.0, 0usize, 0usize, 0usize, 0usize);
        for f in &lines {
            let Some(line) = pick(f) else { continue };
            drawn += 1;
            r1 += rouge_1(line, &f.reference);
            rl += rouge_l(line, &f.reference);
            words += line.split_whitespace().count();
            two += usize::from(consensus::sentences(line).len() > 1);
            agree += usize::from((consensus::polarity(line) >= 0.5) == (f.tomatometer >= 60.0));
        }
        Row {
            method,
            lines: drawn,
            rouge_1: r1 / n,
            rouge_l: rl / n,
            agreement: agree as f64 / n,
            words: words as f64 / drawn.max(1) as f64,
            two_sentences: two,
        }
    };
    let rows = vec![
        row("Verdict (consensus line)", |f| f.verdict.as_ref()),
        row("Verdict, its first sentence alone", |f| f.first.as_ref()),
        row("lead (first review's first sentence)", |f| f.lead.as_ref()),
        row("centroid (nearest sentence, no side)", |f| {
            f.centroid.as_ref()
        }),
    ];
    let reference_words = lines
        .iter()
        .map(|f| f.reference.split_whitespace().count())
        .sum::<usize>() as f64
        / n;
    Ok(Report {
        films: lines.len(),
        reference_words,
        rows,
        lines,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

impl Report {
    /// The table `bench/consensus/run.sh` prints.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} films of {SET} with a published critics' consensus ({:.1} words on average); ROUGE F1 averaged over films; agreement: the judge's reading of the line on the Tomatometer's side (fresh ≥ 60)",
            self.films, self.reference_words
        );
        let _ = writeln!(
            s,
            "{:<40} {:>6} {:>8} {:>8} {:>10} {:>6} {:>6}",
            "method", "lines", "ROUGE-1", "ROUGE-L", "agreement", "words", "two"
        );
        for r in &self.rows {
            let _ = writeln!(
                s,
                "{:<40} {:>6} {:>8.3} {:>8.3} {:>9.1} % {:>6.1} {:>6}",
                r.method,
                r.lines,
                r.rouge_1,
                r.rouge_l,
                100.0 * r.agreement,
                r.words,
                r.two_sentences
            );
        }
        let _ = write!(s, "time: {:.1} s", self.seconds);
        s
    }
}
