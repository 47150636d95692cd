//! `verdict ingest PATH|URL…`: files, folders and web pages, any mix.

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
    /// Files, folders, and http(s) URLs of pages to fetch.
    #[arg(required = true, value_name = "PATH|URL")]
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
    let run = super::remove::begin_run(&mut store, "ingest")?;
    let (mut stored, mut duplicates, mut failed) = (0usize, 0usize, 0usize);
    let mut stdout = std::io::stdout().lock();
    let fetcher = std::cell::OnceCell::new();
    for input in inputs(paths) {
        let (origin, outcome) = match input {
            Input::Url(url) => {
                let fetcher = fetcher
                    .get_or_init(|| verdict_fetch::Fetcher::new(verdict_fetch::Policy::cli()));
                verdict::web::ingest_url(&mut store, judge, fetcher, url, Some(run))
            }
            Input::File(Ok(raw)) => (
                raw.origin.clone(),
                pipeline::ingest(&mut store, judge, &raw, Some(run)),
            ),
            Input::File(Err(e)) => (
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
    store.finish_run(run)?;
    if stored > 0 {
        // The cached cross-film statistics (prior, critics' harshness)
        // describe the reviews stored: rebuild them.
        verdict_present::refresh_stats(&mut store)?;
    }
    let (films, reviews) = store.counts()?;
    eprintln!(
        "run {run}: {} input(s): {stored} stored, {duplicates} already stored, {failed} failed · database: {films} film(s), {reviews} review(s){}",
        stored + duplicates + failed,
        super::remove::undo_hint(&store, run, stored as u64)
    );
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One thing to ingest: a web page by its URL, or a file.
enum Input<'a> {
    Url(&'a str),
    File(Result<verdict_source::RawDocument, verdict_source::SourceError>),
}

/// What the arguments name, in order: URLs (http or https) as they are,
/// files, and every file of a folder.
fn inputs(paths: &[PathBuf]) -> impl Iterator<Item = Input<'_>> {
    paths
        .iter()
        .flat_map(|path| -> Box<dyn Iterator<Item = Input<'_>>> {
            match path.to_str() {
                Some(url) if verdict_fetch::is_url(url) => {
                    Box::new(std::iter::once(Input::Url(url)))
                }
                _ => Box::new(
                    verdict_source::files(std::slice::from_ref(path)).map(|entry| {
                        Input::File(entry.and_then(|p| verdict_source::read_file(&p)))
                    }),
                ),
            }
        })
}
