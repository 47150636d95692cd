//! `verdict extract FILE|URL|-`: what Verdict reads from one document.

use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;
use verdict::pipeline;
use verdict_judge::Judge;

#[derive(clap::Args)]
pub struct Args {
    /// A file, an http(s) URL to fetch, or "-" for standard input.
    input: String,
    #[arg(long)]
    json: bool,
    /// Print only the review's main text.
    #[arg(long, conflicts_with = "json")]
    text: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    extract(&args.input, args.json, args.text)
}

fn extract(input: &str, json: bool, text_only: bool) -> Result<ExitCode> {
    let raw = if input == "-" {
        verdict_source::read_stdin()?
    } else if verdict_fetch::is_url(input) {
        verdict_fetch::Fetcher::new(verdict_fetch::Policy::cli()).document(input)?
    } else {
        verdict_source::read_file(std::path::Path::new(input))?
    };
    let processed = pipeline::process(&raw, Judge::embedded())?;
    let mut out = std::io::stdout().lock();
    if text_only {
        writeln!(out, "{}", processed.review.body)?;
    } else if json {
        crate::print_json(&processed)?;
    } else {
        let r = &processed.review;
        let dash = |x: Option<&str>| x.unwrap_or("–").to_string();
        writeln!(out, "source:   {}", r.source)?;
        writeln!(out, "format:   {}", r.format)?;
        writeln!(
            out,
            "film:     {}{}",
            dash(r.film_title.as_deref()),
            r.year.map(|y| format!(" ({y})")).unwrap_or_default()
        )?;
        if !r.aliases.is_empty() {
            writeln!(out, "aliases:  {}", r.aliases.join(", "))?;
        }
        writeln!(out, "critic:   {}", dash(r.critic.as_deref()))?;
        writeln!(out, "outlet:   {}", dash(r.outlet.as_deref()))?;
        writeln!(
            out,
            "date:     {}",
            r.date.map(|d| d.to_string()).unwrap_or("–".into())
        )?;
        match &r.rating {
            Some(x) => writeln!(
                out,
                "rating:   {:?} → {:.0} ({} of {}, {})",
                x.raw, x.score, x.value, x.best, x.scale
            )?,
            None => writeln!(out, "rating:   none")?,
        }
        for a in &r.aspects {
            writeln!(out, "  aspect: {} {} → {:.0}", a.name, a.raw, a.score)?;
        }
        let a = &processed.assessment;
        writeln!(
            out,
            "verdict:  {} {:.0} ({}, confidence {:.0}%)",
            a.verdict,
            a.score,
            if a.inferred {
                "inferred by the judge"
            } else {
                "from the rating"
            },
            a.confidence * 100.0
        )?;
        for e in a.judgement.iter().flat_map(|j| &j.evidence) {
            writeln!(out, "  evidence: “{e}”")?;
        }
        for d in &processed.diagnostics {
            writeln!(out, "  note [{:?}] {}: {}", d.severity, d.code, d.message)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
