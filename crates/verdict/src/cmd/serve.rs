//! `verdict serve`: the web site and the JSON API (see `crates/web`).

use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    reader: verdict::reader::ReaderArgs,
    /// The address to listen on; port 0 picks a free port (the address is
    /// printed on standard output).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: SocketAddr,
    /// The token writes (POST /api/reviews) need; without one, writes are
    /// refused. Prefer the environment variable or the config file to
    /// keep it out of the process list.
    #[arg(
        long,
        env = "VERDICT_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    token: Option<String>,
    /// A TOML config file (token, body_limit, request_timeout_secs,
    /// readers, workers, poll_interval_secs, base_url, cache_mib,
    /// fetch_timeout_secs, fetch_allow_hosts, fetch_loopback_only).
    #[arg(long, env = "VERDICT_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// The public address of the site, for absolute links in the feed and
    /// the JSON-LD (https://verdict.example).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Read connections to the database.
    #[arg(long, value_name = "N")]
    readers: Option<usize>,
    /// Threads answering requests (default: one per core).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Seconds between checks for reviews written by other processes.
    #[arg(long, value_name = "SECONDS")]
    poll: Option<u64>,
    /// Create the database when it does not exist yet (a site that starts
    /// empty and takes its reviews by POST). Without it, a database that
    /// does not exist is an error: a mistyped `--db` serves nothing.
    #[arg(long)]
    create: bool,
}

/// Logs on standard error: a line per request answered (method, path,
/// status, latency) and every error, filtered by `VERDICT_LOG` (a
/// `tracing` filter: `warn`, `info`, `verdict_web=debug`…; default
/// `info`).
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("VERDICT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

pub fn run(args: Args, db: Option<PathBuf>) -> Result<ExitCode> {
    init_logs();
    let mut config = match &args.config {
        Some(path) => verdict_web::Config::load(path)?,
        None => verdict_web::Config::default(),
    };
    if let Some(token) = args.token.filter(|t| !t.trim().is_empty()) {
        config.token = Some(token);
    }
    if let Some(url) = args.base_url {
        config.base_url = Some(url.trim_end_matches('/').to_string());
    }
    if let Some(n) = args.readers {
        config.readers = n.clamp(1, 64);
    }
    if let Some(n) = args.workers {
        config.workers = Some(n.clamp(1, 256));
    }
    if let Some(s) = args.poll {
        config.poll_interval = Duration::from_secs(s.max(1));
    }
    // Checked (and brought up to date) before the server starts, so that
    // a database that is missing or not Verdict's fails here, by name.
    let location = super::db::location(db)?;
    let store = if args.create {
        super::db::open_or_create_at(&location)?
    } else {
        verdict_store::Database::open(&location, false).map_err(super::db::DatabaseError::from)?
    };
    let shown = super::db::shown(store.path());
    drop(store);
    let reader = verdict::reader::choose(&args.reader)?;
    say!("{}", reader.line());
    verdict::site::serve(args.addr, location, config, reader.judge)
        .with_context(|| format!("serving {shown}"))?;
    Ok(ExitCode::SUCCESS)
}
