//! `verdict extract FILE|URL|-`: what Verdict reads from one document.

use anyhow::Result;
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
    if text_only {
        println!("{}", processed.review.body);
    } else if json {
        crate::print_json(&processed)?;
    } else {
        let r = &processed.review;
        let dash = |x: Option<&str>| x.unwrap_or("–").to_string();
        println!("source:   {}", r.source);
        println!("format:   {}", r.format);
        println!(
            "film:     {}{}",
            dash(r.film_title.as_deref()),
            r.year.map(|y| format!(" ({y})")).unwrap_or_default()
        );
        if !r.aliases.is_empty() {
            println!("aliases:  {}", r.aliases.join(", "));
        }
        println!("critic:   {}", dash(r.critic.as_deref()));
        println!("outlet:   {}", dash(r.outlet.as_deref()));
        println!(
            "date:     {}",
            r.date.map(|d| d.to_string()).unwrap_or("–".into())
        );
        match &r.rating {
            Some(x) => println!(
                "rating:   {:?} → {:.0} ({} of {}, {})",
                x.raw, x.score, x.value, x.best, x.scale
            ),
            None => println!("rating:   none"),
        }
        for a in &r.aspects {
            println!("  aspect: {} {} → {:.0}", a.name, a.raw, a.score);
        }
        let a = &processed.assessment;
        println!(
            "verdict:  {} {:.0} ({}, confidence {:.0}%)",
            a.verdict,
            a.score,
            if a.inferred {
                "inferred by the judge"
            } else {
                "from the rating"
            },
            a.confidence * 100.0
        );
        for e in a.judgement.iter().flat_map(|j| &j.evidence) {
            println!("  evidence: “{e}”");
        }
        for d in &processed.diagnostics {
            println!("  note [{:?}] {}: {}", d.severity, d.code, d.message);
        }
    }
    Ok(ExitCode::SUCCESS)
}
