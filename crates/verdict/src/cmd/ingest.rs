//! `verdict ingest PATH…`: files and folders, any mix.

use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use verdict::pipeline::{self, Outcome};
use verdict_judge::Judge;
use verdict_store::{SqliteStore, Store};

#[derive(clap::Args)]
pub struct Args {
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// One JSON object per input on standard output.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, store: SqliteStore) -> Result<ExitCode> {
    ingest(store, &args.paths, args.json)
}

fn ingest(mut store: SqliteStore, paths: &[PathBuf], json: bool) -> Result<ExitCode> {
    let judge = Judge::embedded();
    let (mut stored, mut duplicates, mut failed) = (0usize, 0usize, 0usize);
    let mut stdout = std::io::stdout().lock();
    for entry in verdict_source::files(paths) {
        let (origin, outcome) = match entry.and_then(|p| verdict_source::read_file(&p)) {
            Ok(raw) => (
                raw.origin.clone(),
                pipeline::ingest(&mut store, judge, &raw),
            ),
            Err(e) => (
                e.path().display().to_string(),
                Outcome::Failed {
                    error: e.to_string(),
                },
            ),
        };
        match &outcome {
            Outcome::Stored {
                film,
                score,
                verdict,
                inferred,
                ..
            } => {
                stored += 1;
                if !json {
                    let how = if *inferred { "inferred" } else { "rated" };
                    writeln!(
                        stdout,
                        "stored     {origin}: {film}, {score:.0} {verdict} ({how})"
                    )?;
                }
            }
            Outcome::Duplicate { .. } => {
                duplicates += 1;
                if !json {
                    writeln!(stdout, "unchanged  {origin}: already stored")?;
                }
            }
            Outcome::Failed { error } => {
                failed += 1;
                eprintln!("error: {error}");
            }
        }
        if json {
            #[derive(Serialize)]
            struct Line<'a> {
                source: &'a str,
                #[serde(flatten)]
                outcome: &'a Outcome,
            }
            serde_json::to_writer(
                &mut stdout,
                &Line {
                    source: &origin,
                    outcome: &outcome,
                },
            )?;
            writeln!(stdout)?;
        }
    }
    let (films, reviews) = store.counts()?;
    eprintln!(
        "{} input(s): {stored} stored, {duplicates} already stored, {failed} failed · database: {films} film(s), {reviews} review(s)",
        stored + duplicates + failed
    );
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
