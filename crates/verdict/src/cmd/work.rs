//! `verdict work`: take jobs from the queue and do them (feed syncs, page
//! fetches, statistics refreshes, re-judging), until stopped; `verdict
//! jobs`: what the queue holds; `verdict rejudge`: reviews an older model
//! read, read again.
//!
//! Any number of workers may run against one database: on PostgreSQL, on
//! as many machines as wanted; on SQLite, on its one machine. A worker
//! that dies (even by `kill -9`) loses its job when its lease runs out,
//! and another takes it; what it had stored is stored once (reviews are
//! known by their content).

use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use verdict::work::Worker;
use verdict_store::{Database, Store};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    reader: verdict::reader::ReaderArgs,
    /// Stop once the queue has no job whose time has come (instead of
    /// waiting for more).
    #[arg(long)]
    until_idle: bool,
    /// How long a job is held before another worker may take it (seconds).
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    lease: u64,
    /// How often an idle worker looks for work (seconds).
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    poll: f64,
    /// The delay before a failed job's first retry (seconds); doubled for
    /// each attempt made, at most an hour.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    retry_after: f64,
    /// The worker's name in the jobs it holds (default: host and process).
    #[arg(long)]
    name: Option<String>,
    /// One JSON object per job done, on standard output.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct RejudgeArgs {
    #[command(flatten)]
    reader: verdict::reader::ReaderArgs,
    /// Queue it for `verdict work` instead of doing it here.
    #[arg(long, env = "VERDICT_QUEUE")]
    queue: bool,
    #[arg(long)]
    json: bool,
}

/// `verdict rejudge`: every review the judge of another model read, read
/// again by this one (after an upgrade that changed the model).
pub fn rejudge(args: RejudgeArgs, mut store: Database) -> Result<ExitCode> {
    if args.queue {
        let (job, new) = verdict::work::Work::Rejudge.enqueue(&mut store)?;
        say!(
            "rejudge queued (job {job}{}) · `verdict work` does it",
            if new { "" } else { ", already waiting" }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let reader = verdict::reader::choose(&args.reader)?;
    say!("{}", reader.line());
    let judge = reader.judge;
    let done = verdict::work::rejudge(&mut store, judge)?;
    if args.json {
        crate::print_json(&done)?;
    }
    say!(
        "{} of {} read again by {} · database {}",
        done.changed,
        super::out::count(done.reviews, "review", "reviews"),
        judge.reader_name(),
        super::db::shown(store.path())
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct JobsArgs {
    /// The jobs as JSON.
    #[arg(long)]
    json: bool,
}

fn seconds(s: f64) -> Duration {
    Duration::from_secs_f64(if s.is_finite() {
        s.clamp(0.0, 86_400.0)
    } else {
        1.0
    })
}

pub fn run(args: Args, mut store: Database) -> Result<ExitCode> {
    let fetcher = verdict_fetch::Fetcher::new(verdict_fetch::Policy::cli());
    let name = args.name.clone().unwrap_or_else(|| {
        let host = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "localhost".to_string());
        format!("{host}:{}", std::process::id())
    });
    let reader = verdict::reader::choose(&args.reader)?;
    say!("{}", reader.line());
    let worker = Worker {
        name: name.clone(),
        lease: Duration::from_secs(args.lease.max(1)),
        retry_base: seconds(args.retry_after),
        judge: reader.judge,
        fetcher: &fetcher,
    };
    // SIGTERM and Ctrl-C end the loop between jobs.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook_sigterm(), signal_hook_sigint()] {
        let _ = signal_hook::flag::register(signal, Arc::clone(&stop));
    }
    say!("worker {name} on {}", super::db::shown(store.path()));
    let mut out = std::io::stdout().lock();
    let (mut done, mut failed) = (0u64, 0u64);
    while !stop.load(Ordering::Relaxed) {
        match worker.next(&mut store)? {
            Some(d) => {
                if d.state == "done" {
                    done += 1;
                } else {
                    failed += 1;
                }
                if args.json {
                    serde_json::to_writer(&mut out, &d)?;
                    writeln!(out)?;
                } else {
                    writeln!(
                        out,
                        "job {} {} (attempt {}): {} · {}",
                        d.job, d.kind, d.attempt, d.state, d.said
                    )?;
                }
                out.flush()?;
            }
            None if args.until_idle => break,
            None => std::thread::sleep(seconds(args.poll)),
        }
    }
    say!(
        "worker {name}: {} done, {} failed or put back",
        super::out::count(done, "job", "jobs"),
        failed
    );
    Ok(ExitCode::SUCCESS)
}

fn signal_hook_sigterm() -> i32 {
    signal_hook::consts::SIGTERM
}

fn signal_hook_sigint() -> i32 {
    signal_hook::consts::SIGINT
}

pub fn jobs(args: JobsArgs, store: Database) -> Result<ExitCode> {
    let jobs = store.jobs()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let list: Vec<serde_json::Value> = jobs
            .iter()
            .map(|j| {
                serde_json::json!({
                    "id": j.id,
                    "kind": j.kind,
                    "payload": serde_json::from_str::<serde_json::Value>(&j.payload).unwrap_or_default(),
                    "key": j.key,
                    "state": j.state.as_str(),
                    "attempts": j.attempts,
                    "max_attempts": j.max_attempts,
                    "run_at": j.run_at,
                    "lease_until": j.lease_until,
                    "worker": j.worker,
                    "last_error": j.last_error,
                    "created_at": j.created_at,
                    "finished_at": j.finished_at,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if jobs.is_empty() {
        writeln!(out, "no jobs")?;
    }
    for j in &jobs {
        let error = j
            .last_error
            .as_deref()
            .map(|e| format!(" · {e}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:>6}  {:<8} {:<14} {}  attempts {}/{}{error}",
            j.id,
            j.state.as_str(),
            j.kind,
            j.key.as_deref().unwrap_or(""),
            j.attempts,
            j.max_attempts
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
