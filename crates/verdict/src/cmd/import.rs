//! `verdict import PATH…`: exports and film catalogues, files and folders.

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use verdict::bulk::{self, BulkError, Event, Options, Report, Tick};
use verdict_import::{Format, Plan};
use verdict_store::{Database, Location, NewDatabase, Store};

use super::db;
use super::out::{count, shown, shown_path};

#[derive(clap::Args)]
pub struct Args {
    /// Files and folders; a folder holding an export (a Letterboxd export,
    /// a critic_reviews.csv + movies.csv pair) is read as one.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Read every input as this format instead of detecting it by its
    /// header: rt-kaggle, rt, flatiron, letterboxd, csv, imdb, movielens.
    #[arg(long, value_parser = parse_format, value_name = "FORMAT")]
    format: Option<Format>,
    /// Columns of a generic CSV: FIELD=COLUMN,… with the fields title,
    /// year, rating, text, critic, outlet, date, label, top_critic, id.
    #[arg(long, value_name = "FIELD=COLUMN,…")]
    map: Option<String>,
    /// Threads reading ratings and judging texts (default: one per core).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Print the import's report as JSON on standard output.
    #[arg(long)]
    json: bool,
    /// No progress bar (it shows only on a terminal anyway).
    #[arg(long)]
    quiet: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| {
        format!(
            "unknown format {s:?}; one of {}",
            Format::ALL.map(Format::name).join(", ")
        )
    })
}

/// At most this many lines per kind of event; then a count.
const SHOWN: usize = 50;

/// Imports the units of `plan` into `store` as `verdict import` does: a
/// progress bar on a terminal (unless `quiet`), each bad, unmatched or
/// refused row on standard error (at most [`SHOWN`] of a kind, then a
/// count in the summary).
pub(crate) fn import_plan<S: Store + Send>(
    store: &mut S,
    plan: &Plan,
    options: &Options,
    quiet: bool,
) -> Result<Report, BulkError> {
    let total: u64 = plan.units.iter().map(|u| u.size()).sum();
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} · {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut shown: [usize; 4] = [0; 4];
    let mut event = |e: Event| {
        let kind = match &e {
            Event::Bad(_) => 0,
            Event::Note(_) => 1,
            Event::Unmatched { .. } => 2,
            Event::Rejected { .. } => 3,
        };
        shown[kind] += 1;
        if shown[kind] <= SHOWN {
            bar.suspend(|| say!("{}", super::out::shown(&e.to_string())));
        } else if shown[kind] == SHOWN + 1 {
            bar.suspend(|| say!("… more of these are counted in the summary"));
        }
    };
    let mut tick = |t: Tick| {
        bar.set_position(t.bytes);
        bar.set_message(format!("{} rows", t.rows));
    };
    let report = bulk::import(store, plan, options, &mut event, &mut tick);
    bar.finish_and_clear();
    report
}

/// Begins a run, imports the plan as it, and finishes the run.
fn import_run<S: Store + Send>(
    store: &mut S,
    plan: &Plan,
    options: &mut Options,
    quiet: bool,
) -> Result<(i64, Report)> {
    let run = super::remove::begin_run(store, "import")?;
    options.run = Some(run);
    let report = import_plan(store, plan, options, quiet)?;
    store.finish_run(run)?;
    Ok((run, report))
}

pub fn run(args: Args, db: Option<PathBuf>) -> Result<ExitCode> {
    let location = db::location(db)?;
    // An export of a whole database (`verdict export`) is read back whole.
    if let Some(export) = args.paths.iter().find(|p| verdict::portable::is_export(p)) {
        if args.paths.len() > 1 {
            bail!(
                "{}: an export of a whole database is imported on its own",
                shown_path(export)
            );
        }
        return restore(&location, export);
    }
    let plan: Plan = verdict_import::plan(&args.paths, args.format, args.map.as_deref());
    for p in &plan.problems {
        say!("verdict: {}", shown(p));
    }
    for s in &plan.skipped {
        say!("skipped: {}", shown(s));
    }
    if plan.units.is_empty() {
        // Nothing to import: no database is created.
        if plan.problems.is_empty() {
            bail!(
                "{}: nothing to import",
                args.paths
                    .iter()
                    .map(|p| shown_path(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        return Ok(ExitCode::FAILURE);
    }
    // A SQLite database that does not exist yet is built aside and put in
    // place when the import is done (see `NewDatabase`); one that exists,
    // or a PostgreSQL database, takes the rows batch by batch.
    let mut new = match &location {
        Location::File(path) => NewDatabase::create(path)?,
        Location::Postgres(_) => None,
    };
    for left in new.iter().flat_map(|n| n.removed_leftovers()) {
        say!(
            "note: removed {}, left by an import of this database that did not finish (its process is gone)",
            shown_path(left)
        );
    }
    let mut existing = match new {
        Some(_) => None,
        None => Some(Database::open(&location, true)?),
    };
    for u in &plan.units {
        say!("importing {}", shown(&u.describe()));
    }
    let mut options = Options::default();
    if let Some(w) = args.workers {
        options.workers = w.max(1);
    }
    let (run, report) = match (new.as_mut(), existing.as_mut()) {
        (Some(new), _) => import_run(new.store(), &plan, &mut options, args.quiet)?,
        (None, Some(store)) => import_run(store, &plan, &mut options, args.quiet)?,
        (None, None) => unreachable!("a database is opened when none is new"),
    };
    let created = new.is_some();
    let store = match new {
        Some(new) => Database::Sqlite(new.finish()?),
        None => existing.expect("opened above"),
    };
    if created {
        db::created(store.path());
    }
    let (films, reviews) = store.counts()?;
    let rate = if report.seconds > 0.0 {
        report.rows as f64 / report.seconds
    } else {
        0.0
    };
    say!(
        "run {run}: {} read in {:.1} s ({:.0} rows/s): {} stored, {} already stored, {} bad, {} unmatched, {} refused · films: {} new, {} found among known films{}",
        count(report.rows, "row", "rows"),
        report.seconds,
        rate,
        report.inserted,
        report.duplicates,
        report.bad_rows,
        report.unmatched,
        report.rejected,
        report.films_created,
        report.films_matched,
        super::remove::undo_hint(&store, run, report.inserted),
    );
    if report.labelled > 0 {
        say!(
            "source verdicts: {} labelled; our reading (rating and text, label hidden) agrees on {:.1}%",
            count(report.labelled, "row", "rows"),
            100.0 * report.label_agreement as f64 / report.labelled as f64
        );
    }
    if report.catalogue_inserted + report.catalogue_unchanged > 0 {
        say!(
            "catalogue: {} added, {} already known",
            count(report.catalogue_inserted, "entry", "entries"),
            report.catalogue_unchanged
        );
    }
    if let Some(c) = &report.catalogue {
        say!(
            "films matched to the catalogue: {} matched, {} ambiguous (left unmatched), {} not found",
            c.matched,
            c.ambiguous,
            c.not_found
        );
    }
    say!(
        "database {}: {}, {}",
        shown(&db::shown(store.path())),
        count(films, "film", "films"),
        count(reviews, "review", "reviews")
    );
    let t = &report.stages;
    say!(
        "time: rows {:.1} s (CPU s: read {:.1}, judge {:.1}, resolve {:.1}, write {:.1}), catalogue {:.1} s, statistics {:.1} s",
        t.rows_wall,
        t.read_cpu,
        t.judge_cpu,
        t.resolve_cpu,
        t.write_cpu,
        t.catalogue_wall,
        t.stats_wall
    );
    if args.json {
        crate::print_json(&report)?;
    }
    Ok(if plan.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `verdict import EXPORT`: a whole database read back into an empty one.
fn restore(location: &Location, export: &std::path::Path) -> Result<ExitCode> {
    // a damaged export creates no database
    let checked = verdict::portable::check(export)?;
    let created = match location {
        Location::File(path) => !path.exists(),
        Location::Postgres(_) => false,
    };
    let mut store = db::open_or_create_at(location)?;
    let shown = db::shown(store.path());
    let counts = match verdict::portable::import(&mut store, &checked, &shown) {
        Ok(counts) => counts,
        Err(e) => {
            // a database this import made holds nothing else: it goes
            if created && let Location::File(path) = location {
                drop(store);
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
                bail!(
                    "{e:#}; {} was removed (this import had made it)",
                    shown_path(path)
                );
            }
            return Err(e.into());
        }
    };
    let get = |t: &str| counts.get(t).copied().unwrap_or(0);
    say!(
        "imported {} of {}: {}, {}, {}, {} · database {}",
        shown_path(export),
        "a whole database",
        count(get("films"), "film", "films"),
        count(get("reviews"), "review", "reviews"),
        count(get("feeds"), "feed", "feeds"),
        count(get("catalogue"), "catalogue entry", "catalogue entries"),
        super::out::shown(&shown)
    );
    Ok(ExitCode::SUCCESS)
}
