//! `verdict rating STRING|-`: how rating strings are read.

use anyhow::{Context, Result};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The rating string, or "-" to read one per line from standard input
    /// (one JSON object per line out; a line that is not UTF-8 is read
    /// with its bad bytes replaced, and says so in `note`).
    input: String,
    #[arg(long)]
    json: bool,
    /// The best of the scale bare numbers are written on, when known.
    #[arg(long, value_name = "N")]
    best: Option<f64>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    rating(&args.input, args.json, args.best)
}

#[derive(Serialize)]
struct RatingLine {
    input: String,
    score: Option<f64>,
    value: Option<f64>,
    best: Option<f64>,
    worst: Option<f64>,
    scale: Option<String>,
    confidence: Option<verdict_core::Confidence>,
    refused: Option<String>,
    /// What had to be done to the line to read it (repaired, cut).
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

fn read_rating(input: &str, best: Option<f64>) -> RatingLine {
    let hint = verdict_rating::ScaleHint { best, worst: None };
    match verdict_rating::read_with(input, &hint) {
        verdict_rating::Reading::Rated(r) => RatingLine {
            input: input.to_string(),
            score: Some((r.score * 100.0).round() / 100.0),
            value: Some(r.value),
            best: Some(r.best),
            worst: Some(r.worst),
            scale: Some(r.scale),
            confidence: Some(r.confidence),
            refused: None,
            note: None,
        },
        verdict_rating::Reading::Refused(x) => RatingLine {
            input: input.to_string(),
            score: None,
            value: None,
            best: None,
            worst: None,
            scale: None,
            confidence: None,
            refused: Some(x.reason),
            note: None,
        },
    }
}

fn rating(input: &str, json: bool, best: Option<f64>) -> Result<ExitCode> {
    if input == "-" {
        let mut out = std::io::stdout().lock();
        let mut stdin = std::io::stdin().lock();
        // A line that is not UTF-8 is repaired and read, as `judge -` does:
        // one bad line never stops the rest.
        while let Some((line, note)) =
            super::judge::next_line(&mut stdin, "read").context("standard input")?
        {
            let mut r = read_rating(&line, best);
            r.note = note;
            serde_json::to_writer(&mut out, &r)?;
            writeln!(out)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let r = read_rating(input, best);
    if json {
        crate::print_json(&r)?;
    } else if let Some(reason) = &r.refused {
        writeln!(
            std::io::stdout().lock(),
            "{input:?}: not read as a rating: {reason}"
        )?;
    } else {
        writeln!(
            std::io::stdout().lock(),
            "{input:?} → {:.1} / 100 ({} of {}, scale {}, {:?} confidence)",
            r.score.unwrap_or_default(),
            r.value.unwrap_or_default(),
            r.best.unwrap_or_default(),
            r.scale.as_deref().unwrap_or(""),
            r.confidence.unwrap_or(verdict_core::Confidence::Low)
        )?;
    }
    Ok(if r.refused.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
