//! `verdict judge -|FILE`: the judge's reading of review texts.
//!
//! With `-`, standard input holds one review per line: plain text, or a
//! JSON object with a `text` field and optionally a `rating` field (the raw
//! rating string, as in the Rotten Tomatoes files: "3/5", "B+"). One JSON
//! object per line comes out, in the same order. With a file, the document
//! goes through extraction first (quotes set aside, the closing verdict
//! weighed more, a rating in the text read) and one JSON object comes out.
//!
//! Fields: `score` (0–100), `verdict`, `probability` (that the verdict is
//! right: P(favourable) for a positive verdict, 1 − P for a negative one,
//! at most 0.5 for a mixed one — a confidence, not P(favourable)),
//! `p_favourable` (the calibrated probability that the review is
//! favourable, whatever the verdict: what a film's % positive is estimated
//! from), `evidence`, `language`, `unsure` (not English: the model is
//! trained on English and says so), `model`; when a rating was given and
//! read, `score` and `verdict` are the rating's, `probability` weighs the
//! rating and the text, `text` holds the text's own reading and
//! `disagreement` says whether the two strongly disagree.

use anyhow::{Context, Result};
use serde::Serialize;
use std::io::{BufRead, Write};
use std::process::ExitCode;
use verdict::pipeline;
use verdict_core::Verdict;
use verdict_judge::{Judge, Language, Reading};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    reader: verdict::reader::ReaderArgs,
    /// A review document, or "-" to read one review per line from standard
    /// input (plain text, or JSON with `text` and optionally `rating`).
    input: String,
    /// Indent the JSON (one document only).
    #[arg(long)]
    pretty: bool,
}

/// The text's own reading, when a rating decides the headline.
#[derive(Serialize)]
struct TextReading {
    score: f64,
    verdict: Verdict,
    probability: f64,
    p_favourable: f64,
}

/// The rating as read.
#[derive(Serialize)]
struct RatingOut {
    raw: String,
    /// 0–100, or `null` when the string could not be read as a rating.
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refused: Option<String>,
}

#[derive(Serialize)]
struct Output {
    score: f64,
    verdict: Verdict,
    /// How sure the verdict is (not P(favourable)).
    probability: f64,
    /// P(favourable), calibrated.
    p_favourable: f64,
    evidence: Vec<String>,
    language: Language,
    unsure: bool,
    model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rating: Option<RatingOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<TextReading>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disagreement: Option<bool>,
    /// Why a line could not be read (bad JSON): the line is judged as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

fn output(
    judge: &Judge,
    reading: Reading,
    rating: Option<(String, Option<f64>, Option<String>)>,
) -> Output {
    let j = &reading.judgement;
    let mut out = Output {
        score: j.score,
        verdict: j.verdict,
        probability: round4(j.probability),
        p_favourable: round4(reading.p_positive),
        evidence: j.evidence.clone(),
        language: reading.language,
        unsure: reading.unsure,
        model: j.model.clone(),
        rating: None,
        text: None,
        disagreement: None,
        note: None,
    };
    if let Some((raw, score, refused)) = rating {
        if let Some(score) = score {
            let rated = judge.with_rating(&reading, score);
            out.text = Some(TextReading {
                score: j.score,
                verdict: j.verdict,
                probability: round4(j.probability),
                p_favourable: round4(reading.p_positive),
            });
            out.score = (score * 10.0).round() / 10.0;
            out.verdict = rated.verdict;
            out.probability = round4(rated.probability);
            out.p_favourable = round4(rated.p_positive);
            out.disagreement = Some(rated.disagreement);
        }
        out.rating = Some(RatingOut {
            raw,
            score: score.map(|s| (s * 10.0).round() / 10.0),
            refused,
        });
    }
    out
}

fn round4(p: f64) -> f64 {
    (p * 10_000.0).round() / 10_000.0
}

/// Reads a raw rating string with the project's rating reader.
fn read_rating(raw: &str) -> (String, Option<f64>, Option<String>) {
    match verdict_rating::read(raw) {
        verdict_rating::Reading::Rated(r) => (raw.to_string(), Some(r.score), None),
        verdict_rating::Reading::Refused(x) => (raw.to_string(), None, Some(x.reason)),
    }
}

/// One input line as read: the text to judge, the rating given with it,
/// and why it was read other than as written.
struct Line {
    text: String,
    rating: Option<(String, Option<f64>, Option<String>)>,
    note: Option<String>,
}

fn parse_line(line: &str) -> Line {
    let trimmed = line.trim();
    let plain = |note: Option<String>| Line {
        text: trimmed.to_string(),
        rating: None,
        note,
    };
    if trimmed.starts_with('{') {
        match serde_json::from_str::<serde_json::Value>(trimmed) {
            Ok(serde_json::Value::Object(map))
                if map.get("text").is_some_and(|t| t.is_string()) =>
            {
                let text = map["text"].as_str().unwrap_or_default();
                let rating = match map.get("rating") {
                    Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                        Some(read_rating(s.trim()))
                    }
                    Some(serde_json::Value::Number(n)) => Some(read_rating(&n.to_string())),
                    _ => None,
                };
                return Line {
                    text: text.to_string(),
                    rating,
                    note: None,
                };
            }
            Ok(_) => {
                return plain(Some(
                    "a JSON line needs a string `text` field; judged as plain text".into(),
                ));
            }
            Err(e) if trimmed.ends_with('}') => {
                return plain(Some(format!("not valid JSON ({e}); judged as plain text")));
            }
            Err(_) => {} // not JSON after all: plain text that starts with '{'
        }
    }
    plain(None)
}

/// One line read → one output object (`reading`: the judge's reading of
/// its text; `cut`: why the line itself was cut or repaired).
fn line_output(judge: &Judge, line: Line, reading: Reading, cut: Option<&String>) -> Output {
    let mut out = output(judge, reading, line.rating);
    out.note = match (cut, line.note) {
        (Some(n), Some(first)) => Some(format!("{n}; {first}")),
        (Some(n), None) => Some(n.clone()),
        (None, note) => note,
    };
    out
}

/// Longest input line judged whole; the rest of a longer line is skipped
/// (and said), so one endless line cannot exhaust memory.
const MAX_LINE_BYTES: usize = 4 << 20;

/// The next line of `input` (without its line break), decoded as UTF-8 with
/// invalid bytes replaced, and a note when it had to be cut or repaired
/// (`verb` says what is done with a cut line's start: "judged", "read");
/// `None` at the end. `judge -` and `rating -` read their lines with it.
pub(super) fn next_line(
    input: &mut impl BufRead,
    verb: &str,
) -> std::io::Result<Option<(String, Option<String>)>> {
    let mut bytes = Vec::new();
    let (mut cut, mut any) = (false, false);
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            if !any {
                return Ok(None);
            }
            break;
        }
        any = true;
        let newline = buf.iter().position(|&b| b == b'\n');
        let content = newline.unwrap_or(buf.len());
        let room = MAX_LINE_BYTES - bytes.len();
        cut |= content > room;
        bytes.extend_from_slice(&buf[..content.min(room)]);
        input.consume(newline.map_or(content, |i| i + 1));
        if newline.is_some() {
            break;
        }
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    let mut note =
        cut.then(|| format!("line longer than {MAX_LINE_BYTES} bytes: {verb} on its start"));
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            note.get_or_insert_with(|| "not valid UTF-8: invalid bytes replaced".into());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    Ok(Some((text, note)))
}

pub fn run(args: Args) -> Result<ExitCode> {
    let reader = verdict::reader::choose(&args.reader)?;
    if let Some(note) = &reader.note {
        // Every output names its model; this says why it is not the encoder.
        eprintln!("verdict: reader {} ({note})", reader.judge.reader_name());
    }
    let judge = reader.judge;
    if args.input == "-" {
        return judge_stdin(judge);
    }
    let raw = verdict_source::read_file(std::path::Path::new(&args.input))?;
    let processed = pipeline::process(&raw, judge)?;
    let reading = processed.reading.clone();
    let rating = processed
        .review
        .rating
        .as_ref()
        .map(|r| (r.raw.clone(), Some(r.score), None));
    let out = output(judge, reading, rating);
    if args.pretty {
        crate::print_json(&out)?;
    } else {
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer(&mut stdout, &out)?;
        writeln!(stdout)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Judges standard input line by line, in batches spread over the cores,
/// writing in input order.
fn judge_stdin(judge: &Judge) -> Result<ExitCode> {
    const BATCH: usize = 4096;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    loop {
        let mut batch: Vec<(String, Option<String>)> = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            match next_line(&mut stdin, "judged").context("standard input")? {
                Some(line) => batch.push(line),
                None => break,
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<Output> = if judge.has_encoder() {
            // The encoder runs many texts at once, on every core itself.
            let lines: Vec<Line> = batch.iter().map(|(line, _)| parse_line(line)).collect();
            let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
            let readings = judge.read_texts(&texts);
            lines
                .into_iter()
                .zip(readings)
                .zip(&batch)
                .map(|((line, reading), (_, cut))| line_output(judge, line, reading, cut.as_ref()))
                .collect()
        } else {
            let chunk = batch.len().div_ceil(threads);
            std::thread::scope(|s| {
                let handles: Vec<_> = batch
                    .chunks(chunk)
                    .map(|c| {
                        s.spawn(move || {
                            c.iter()
                                .map(|(line, cut)| {
                                    let line = parse_line(line);
                                    let reading = judge.read_text(&line.text);
                                    line_output(judge, line, reading, cut.as_ref())
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("judging thread panicked"))
                    .collect()
            })
        };
        for r in &results {
            serde_json::to_writer(&mut out, r)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
