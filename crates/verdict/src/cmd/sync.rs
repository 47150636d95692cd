//! `verdict sync`: fetch what is new from every followed feed.

use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;
use verdict::web::FeedStatus;
use verdict_store::{Database, Store};

use super::out::{about, count, shown};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    reader: verdict::reader::ReaderArgs,
    /// The reports as JSON (one object per feed) on standard output.
    #[arg(long)]
    json: bool,
    /// Queue one sync job per feed for `verdict work` instead of fetching
    /// here (VERDICT_QUEUE=1: where workers run).
    #[arg(long, env = "VERDICT_QUEUE")]
    queue: bool,
}

pub fn run(args: Args, mut store: Database) -> Result<ExitCode> {
    if args.queue {
        return queue_all(&mut store, args.json);
    }
    let fetcher = verdict_fetch::Fetcher::new(verdict_fetch::Policy::cli());
    let reader = verdict::reader::choose(&args.reader)?;
    say!("{}", reader.line());
    let run = super::remove::begin_run(&mut store, "sync")?;
    let reports = verdict::web::sync(&mut store, reader.judge, &fetcher, Some(run))?;
    store.finish_run(run)?;
    if reports
        .iter()
        .flat_map(|r| &r.entries)
        .any(|e| e.outcome.stored_any())
    {
        // The cached cross-film statistics describe the reviews stored
        // (rebuilt before anything is printed: a reader gone from standard
        // output stops the printing, not this).
        verdict_present::refresh_stats(&mut store)?;
    }
    let (mut stored, mut duplicates, mut failed) = (0usize, 0usize, 0usize);
    let mut out = std::io::stdout().lock();
    for report in &reports {
        let name = report
            .title
            .as_deref()
            .map(|t| format!(" ({})", super::out::shown(t)))
            .unwrap_or_default();
        let url = super::out::shown(&report.url);
        match &report.status {
            FeedStatus::Read { entries } => {
                let new = report.entries.len();
                if !args.json {
                    writeln!(
                        out,
                        "feed       {url}{name}: {}, {new} tried, {} seen before",
                        count(*entries as u64, "entry", "entries"),
                        report.known
                    )?;
                }
            }
            FeedStatus::NotModified => {
                if !args.json {
                    writeln!(out, "feed       {url}{name}: not modified")?;
                }
            }
            FeedStatus::Failed { error } => {
                failed += 1;
                say!("verdict: {}", about(&report.url, error));
            }
        }
        for entry in &report.entries {
            let mut told = super::out::Tally::default();
            super::out::tell(
                &mut out,
                &entry.source,
                &entry.outcome,
                args.json,
                &mut told,
            )?;
            stored += told.stored;
            duplicates += told.duplicates;
            failed += told.failed;
        }
        for broken in &report.broken {
            failed += 1;
            let title = broken
                .title
                .as_deref()
                .map(|t| format!(" ({})", shown(t)))
                .unwrap_or_default();
            say!(
                "verdict: {}: entry {}{title}: {}",
                shown(&report.url),
                broken.position,
                shown(&broken.error)
            );
        }
    }
    if args.json {
        crate::print_json(&reports)?;
    }
    let (films, reviews) = store.counts()?;
    say!(
        "run {run}: {}: {stored} stored, {duplicates} already stored, {failed} failed · database {}: {}, {}{}",
        count(reports.len() as u64, "feed", "feeds"),
        super::db::shown(store.path()),
        count(films, "film", "films"),
        count(reviews, "review", "reviews"),
        super::remove::undo_hint(&store, run, stored as u64)
    );
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `sync --queue`: one job per followed feed.
fn queue_all(store: &mut Database, json: bool) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let feeds = store.feeds()?;
    let mut queued = 0;
    for feed in &feeds {
        let (job, new) = verdict::work::Work::SyncFeed { feed_id: feed.id }.enqueue(store)?;
        queued += usize::from(new);
        if json {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({"url": feed.url, "job": job, "queued": new}),
            )?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "queued     {}: job {job}{}",
                feed.url,
                if new { "" } else { " (already queued)" }
            )?;
        }
    }
    say!(
        "{} queued for `verdict work` ({} already waiting) · database {}",
        count(queued as u64, "feed sync", "feed syncs"),
        feeds.len() - queued,
        super::db::shown(store.path())
    );
    Ok(ExitCode::SUCCESS)
}
