//! `verdict follow FEED-URL`: subscribe to an RSS or Atom feed.

use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;
use verdict_store::Database;

#[derive(clap::Args)]
pub struct Args {
    /// The feed's http(s) URL.
    url: String,
    #[arg(long)]
    json: bool,
    /// Follow it without fetching it here: its first sync is queued for
    /// `verdict work` (VERDICT_QUEUE=1: where workers run).
    #[arg(long, env = "VERDICT_QUEUE")]
    queue: bool,
}

pub fn run(args: Args, mut store: Database) -> Result<ExitCode> {
    if args.queue {
        if !verdict_fetch::is_url(&args.url) {
            say!(
                "verdict: {}: not an http(s) URL; not followed",
                super::out::shown(&args.url)
            );
            return Ok(ExitCode::FAILURE);
        }
        let (feed, new) = verdict_store::Store::follow_feed(&mut store, &args.url, None)?;
        let (job, _) = verdict::work::Work::SyncFeed { feed_id: feed.id }.enqueue(&mut store)?;
        if args.json {
            crate::print_json(&serde_json::json!({
                "url": feed.url, "new": new, "job": job
            }))?;
        } else {
            writeln!(
                std::io::stdout().lock(),
                "{} {}: its sync is queued (job {job}); `verdict work` reads it",
                if new {
                    "following"
                } else {
                    "already following"
                },
                feed.url
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let fetcher = verdict_fetch::Fetcher::new(verdict_fetch::Policy::cli());
    match verdict::web::follow(&mut store, &fetcher, &args.url) {
        Ok(followed) => {
            if args.json {
                crate::print_json(&followed)?;
            } else {
                let name = followed
                    .title
                    .as_deref()
                    .map(|t| format!(" ({})", super::out::shown(t)))
                    .unwrap_or_default();
                let broken = if followed.broken > 0 {
                    format!(", {} of them unreadable", followed.broken)
                } else {
                    String::new()
                };
                let how = if followed.new {
                    "following"
                } else {
                    "already following"
                };
                writeln!(
                    std::io::stdout().lock(),
                    "{how} {}{name}: {}{broken}; `verdict sync` reads what is new",
                    super::out::shown(&followed.url),
                    super::out::count(followed.entries as u64, "entry", "entries")
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            say!(
                "verdict: {}; not followed",
                super::out::about(&args.url, &error.to_string())
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
