//! `verdict extract FILE|URL|-`: what Verdict reads from one document.

use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;
use verdict::pipeline;
use verdict_judge::Judge;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    reader: verdict::reader::ReaderArgs,
    /// A file, an http(s) URL to fetch, or "-" for standard input.
    input: String,
    #[arg(long)]
    json: bool,
    /// Print only the review's main text.
    #[arg(long, conflicts_with = "json")]
    text: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let reader = verdict::reader::choose(&args.reader)?;
    if let Some(note) = &reader.note {
        eprintln!("verdict: reader {} ({note})", reader.judge.reader_name());
    }
    extract(&args.input, args.json, args.text, reader.judge)
}

fn extract(input: &str, json: bool, text_only: bool, judge: &Judge) -> Result<ExitCode> {
    let raw = if input == "-" {
        verdict_source::read_stdin()?
    } else if verdict_fetch::is_url(input) {
        verdict_fetch::Fetcher::new(verdict_fetch::Policy::cli()).document(input)?
    } else {
        verdict_source::read_file(std::path::Path::new(input))?
    };
    let page = pipeline::process_page(&raw, judge)?;
    let mut out = std::io::stdout().lock();
    match &page {
        // one review: its reading, as it always was
        pipeline::ProcessedPage::Review(processed) => {
            if text_only {
                writeln!(out, "{}", processed.review.body)?;
            } else if json {
                crate::print_json(processed)?;
            } else {
                describe(&mut out, processed)?;
            }
        }
        pipeline::ProcessedPage::Listing {
            reviews,
            published,
            diagnostics,
        } => {
            if text_only {
                for p in reviews {
                    writeln!(out, "{}\n", p.review.body)?;
                }
            } else if json {
                crate::print_json(&page)?;
            } else {
                writeln!(
                    out,
                    "listing:  {} lists {} (each stored as a review of its own)",
                    raw.origin,
                    super::out::count(reviews.len() as u64, "review", "reviews")
                )?;
                for p in published {
                    writeln!(
                        out,
                        "published: {} (the site's own; never counted)",
                        p.score.summary()
                    )?;
                }
                for d in diagnostics {
                    writeln!(out, "  note [{:?}] {}: {}", d.severity, d.code, d.message)?;
                }
                for p in reviews {
                    writeln!(out)?;
                    describe(&mut out, p)?;
                }
            }
        }
        pipeline::ProcessedPage::Refused(refusal) => {
            if json {
                crate::print_json(&page)?;
            } else {
                writeln!(
                    out,
                    "refused:  {}: {}; not stored",
                    raw.origin, refusal.reason
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One review's reading, as text.
fn describe(out: &mut impl Write, processed: &pipeline::Processed) -> Result<()> {
    let r = &processed.review;
    let dash = |x: Option<&str>| x.unwrap_or("–").to_string();
    writeln!(out, "source:   {}", super::out::shown(&r.source))?;
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
    if let Some(v) = r.source_verdict {
        writeln!(
            out,
            "mark:     {v} (the page's own mark; counted for % positive)"
        )?;
    }
    if let Some(link) = &r.link {
        writeln!(out, "link:     {link}")?;
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
    Ok(())
}
