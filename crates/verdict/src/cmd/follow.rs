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
}

pub fn run(args: Args, mut store: Database) -> Result<ExitCode> {
    let fetcher = verdict_fetch::Fetcher::new(verdict_fetch::Policy::cli());
    match verdict::web::follow(&mut store, &fetcher, &args.url) {
        Ok(followed) => {
            if args.json {
                crate::print_json(&followed)?;
            } else {
                let name = followed
                    .title
                    .as_deref()
                    .map(|t| format!(" ({t})"))
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
                    followed.url,
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
