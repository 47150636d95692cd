//! `verdict ingest PATH|URL…`: files, folders and web pages, any mix.
//!
//! A table among them (a CSV or TSV file, known by its name or by a
//! header Verdict knows) is never read as a document: an export is
//! imported as `verdict import` imports it, after the documents, and a
//! table of any other layout is refused, naming its columns.

use anyhow::Result;
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use verdict::bulk::{BulkError, Options, Report};
use verdict::pipeline::{self, Outcome};
use verdict_import::{Header, ImportError, Layout, Plan};
use verdict_judge::Judge;
use verdict_store::{Database, Store};

use super::db;
use super::out::count;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    reader: verdict::reader::ReaderArgs,
    /// Files, folders, and http(s) URLs of pages to fetch. Exports (CSV,
    /// TSV) among them are imported as `verdict import` imports them.
    #[arg(required = true, value_name = "PATH|URL")]
    paths: Vec<PathBuf>,
    /// One JSON object per input on standard output.
    #[arg(long)]
    json: bool,
    /// Queue the URLs for `verdict work` instead of fetching them here
    /// (files are read here all the same).
    #[arg(long, env = "VERDICT_QUEUE")]
    queue: bool,
}

pub fn run(args: Args, store: Database) -> Result<ExitCode> {
    let reader = verdict::reader::choose(&args.reader)?;
    ingest(store, &args.paths, args.json, args.queue, &reader)
}

/// What an ingest did, input by input.
#[derive(Default)]
struct Tally {
    /// Documents and exports met.
    inputs: usize,
    /// Reviews stored (a listing page stores one per item).
    stored: usize,
    duplicates: usize,
    failed: usize,
    /// Exports imported, and the rows they stored.
    exports: usize,
    rows_stored: u64,
    rows_duplicate: u64,
}

/// One JSON line of `--json`: a document's outcome, named by its source.
#[derive(Serialize)]
struct Line<'a> {
    source: &'a str,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

/// One JSON line of `--json`: an export imported.
#[derive(Serialize)]
struct ExportLine<'a> {
    source: String,
    outcome: &'static str,
    format: &'static str,
    files: Vec<String>,
    report: &'a Report,
}

/// Standard output, and how each input's outcome is told on it.
struct Out<'a> {
    stdout: std::io::StdoutLock<'a>,
    json: bool,
}

impl Out<'_> {
    /// A document's outcome: a line on standard output, an error on
    /// standard error.
    fn outcome(&mut self, origin: &str, outcome: &Outcome, tally: &mut Tally) -> Result<()> {
        tally.inputs += 1;
        let mut told = super::out::Tally::default();
        super::out::tell(&mut self.stdout, origin, outcome, self.json, &mut told)?;
        tally.stored += told.stored;
        tally.duplicates += told.duplicates;
        tally.failed += told.failed;
        if self.json {
            serde_json::to_writer(
                &mut self.stdout,
                &Line {
                    source: origin,
                    outcome,
                },
            )?;
            writeln!(self.stdout)?;
        }
        Ok(())
    }

    /// An input refused: `error` names it.
    fn refused(&mut self, origin: &str, error: String, tally: &mut Tally) -> Result<()> {
        self.outcome(origin, &Outcome::Failed { error }, tally)
    }
}

/// A table met among the inputs.
struct Table {
    path: PathBuf,
    /// Which argument it came from.
    arg: usize,
    /// Named on the command line itself, not found in a folder.
    named: bool,
    /// Its layout by its header, or why the header cannot be read.
    layout: Result<(Layout, Vec<String>), String>,
}

impl Table {
    fn known(&self) -> bool {
        matches!(self.layout, Ok((l, _)) if l != Layout::Unknown)
    }
}

/// The layout a header shows, with its columns.
fn layout_of(header: Header) -> (Layout, Vec<String>) {
    (verdict_import::layout_of(&header), header.names)
}

/// Whether a document's bytes are a table of a layout Verdict knows (its
/// first line a header naming at least two columns): an export whose name
/// does not say so.
fn sniff(raw: &verdict_source::RawDocument) -> Option<(Layout, Vec<String>)> {
    let header = Header::parse(Path::new(&raw.origin), &raw.bytes);
    if header.names.len() < 2 {
        return None;
    }
    let (layout, names) = layout_of(header);
    (layout != Layout::Unknown).then_some((layout, names))
}

fn ingest(
    mut store: Database,
    paths: &[PathBuf],
    json: bool,
    queue: bool,
    reader: &verdict::reader::Chosen,
) -> Result<ExitCode> {
    let run = super::remove::begin_run(&mut store, "ingest")?;
    say!("{}", reader.line());
    let mut tally = Tally::default();
    let mut out = Out {
        stdout: std::io::stdout().lock(),
        json,
    };
    // Whatever stopped the inputs (standard output's reader gone, the
    // database failing), what was stored is described by the statistics.
    let done = ingest_all(
        &mut store,
        run,
        paths,
        &mut out,
        &mut tally,
        queue,
        reader.judge,
    );
    store.finish_run(run)?;
    if tally.stored > 0 && tally.rows_stored == 0 {
        // The cached cross-film statistics (prior, critics' harshness)
        // describe the reviews stored: rebuild them. (An import that
        // stored rows rebuilt them after every document was stored.)
        verdict_present::refresh_stats(&mut store)?;
    }
    done?;
    let (films, reviews) = store.counts()?;
    let inputs = tally.inputs;
    let exports = if tally.exports > 0 {
        format!(
            ", {} imported ({} stored, {} already stored)",
            count(tally.exports as u64, "export", "exports"),
            count(tally.rows_stored, "row", "rows"),
            tally.rows_duplicate
        )
    } else {
        String::new()
    };
    say!(
        "run {run}: {}: {} stored, {} already stored, {} failed{exports} · database {}: {}, {}{}",
        count(inputs as u64, "input", "inputs"),
        tally.stored,
        tally.duplicates,
        tally.failed,
        super::out::shown(&db::shown(store.path())),
        count(films, "film", "films"),
        count(reviews, "review", "reviews"),
        super::remove::undo_hint(&store, run, tally.stored as u64 + tally.rows_stored)
    );
    Ok(if tally.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Every input in turn: documents and pages as they come, tables once
/// the documents are done.
fn ingest_all(
    store: &mut Database,
    run: i64,
    paths: &[PathBuf],
    out: &mut Out<'_>,
    tally: &mut Tally,
    queue: bool,
    judge: &Judge,
) -> Result<()> {
    let fetcher = std::cell::OnceCell::new();
    let mut tables: Vec<Table> = Vec::new();
    for (arg, path) in paths.iter().enumerate() {
        if let Some(url) = path.to_str().filter(|p| verdict_fetch::is_url(p))
            && queue
        {
            let work = verdict::work::Work::FetchPage {
                url: url.to_string(),
            };
            let (job, new) = work.enqueue(store)?;
            tally.inputs += 1;
            if !out.json {
                writeln!(
                    out.stdout,
                    "queued     {}: job {job}{} · `verdict work` fetches it",
                    super::out::shown(url),
                    if new { "" } else { " (already queued)" }
                )?;
            }
            continue;
        }
        if let Some(url) = path.to_str().filter(|p| verdict_fetch::is_url(p)) {
            let fetcher =
                fetcher.get_or_init(|| verdict_fetch::Fetcher::new(verdict_fetch::Policy::cli()));
            let (origin, outcome) = verdict::web::ingest_url(store, judge, fetcher, url, Some(run));
            out.outcome(&origin, &outcome, tally)?;
            continue;
        }
        let named = path.is_file();
        for entry in verdict_source::files(std::slice::from_ref(path)) {
            let file = match entry {
                Ok(file) => file,
                Err(e) => {
                    out.refused(&e.path().display().to_string(), e.to_string(), tally)?;
                    continue;
                }
            };
            if verdict_import::is_table_name(&file) {
                let layout = verdict_import::read_header(&file)
                    .map(layout_of)
                    .map_err(|e| format!("{}: cannot read its header: {e}", file.display()));
                tables.push(Table {
                    path: file,
                    arg,
                    named,
                    layout,
                });
                continue;
            }
            match verdict_source::read_file(&file) {
                Err(e) => out.refused(&e.path().display().to_string(), e.to_string(), tally)?,
                Ok(raw) => match sniff(&raw) {
                    Some(layout) => tables.push(Table {
                        path: file,
                        arg,
                        named,
                        layout: Ok(layout),
                    }),
                    None => {
                        let outcome = pipeline::ingest(store, judge, &raw, Some(run));
                        out.outcome(&raw.origin, &outcome, tally)?;
                    }
                },
            }
        }
    }
    if !tables.is_empty() {
        import_tables(store, run, tables, out, tally)?;
    }
    Ok(())
}

/// Imports the exports among the tables met, as `verdict import` would;
/// refuses the tables whose layout Verdict does not know, naming their
/// columns. A table of another layout in a folder that holds an export
/// (a full Letterboxd export has profile.csv, comments.csv…) is passed
/// over with a note, as `verdict import` passes it over.
fn import_tables(
    store: &mut Database,
    run: i64,
    tables: Vec<Table>,
    out: &mut Out<'_>,
    tally: &mut Tally,
) -> Result<()> {
    let with_export: HashSet<usize> = tables.iter().filter(|t| t.known()).map(|t| t.arg).collect();
    let (mut named, mut found) = (Vec::new(), Vec::new());
    for table in tables {
        let origin = table.path.display().to_string();
        match table.layout {
            Err(error) => out.refused(&origin, error, tally)?,
            Ok((Layout::Unknown, columns)) => {
                let error = ImportError::UnknownLayout {
                    path: table.path,
                    columns,
                }
                .to_string();
                if !table.named && with_export.contains(&table.arg) {
                    say!("skipped: {}; skipped", super::out::shown(&error));
                } else {
                    out.refused(&origin, error, tally)?;
                }
            }
            Ok(_) if table.named => named.push(table.path),
            Ok(_) => found.push(table.path),
        }
    }
    let mut plan = verdict_import::plan_files(&named, &found);
    for problem in std::mem::take(&mut plan.problems) {
        let origin = problem.split(": ").next().unwrap_or_default().to_string();
        out.refused(&origin, problem, tally)?;
    }
    for s in &plan.skipped {
        say!("skipped: {}", super::out::shown(s));
    }
    // Catalogues first, so that the films the reviews bring are matched.
    plan.units.sort_by_key(|u| !u.is_catalogue());
    for unit in &plan.units {
        let files: Vec<String> = unit
            .files()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let origin = files.first().cloned().unwrap_or_default();
        say!("importing {}", super::out::shown(&unit.describe()));
        let one = Plan {
            units: vec![unit.clone()],
            ..Plan::default()
        };
        let options = Options {
            run: Some(run),
            ..Options::default()
        };
        let report = match super::import::import_plan(store, &one, &options, false) {
            Ok(report) => report,
            // The unit cannot be read as its header said: it alone fails.
            Err(BulkError::Input(e)) => {
                out.refused(&origin, e.to_string(), tally)?;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        tally.exports += 1;
        tally.inputs += 1;
        tally.rows_stored += report.inserted;
        tally.rows_duplicate += report.duplicates;
        if out.json {
            serde_json::to_writer(
                &mut out.stdout,
                &ExportLine {
                    source: origin,
                    outcome: "imported",
                    format: unit.format().name(),
                    files,
                    report: &report,
                },
            )?;
            writeln!(out.stdout)?;
        } else {
            writeln!(
                out.stdout,
                "imported   {}: {}: {} stored, {} already stored, {} bad, {} unmatched",
                super::out::shown(&unit.describe()),
                count(report.rows, "row", "rows"),
                report.inserted,
                report.duplicates,
                report.bad_rows,
                report.unmatched
            )?;
        }
    }
    Ok(())
}
