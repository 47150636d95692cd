//! `verdict export`: the whole database as NDJSON (documented in
//! `docs/export.md`), read back by `verdict import FILE` on either
//! backend.

use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use verdict_store::Database;

use super::out::count;

#[derive(clap::Args)]
pub struct Args {
    /// Write to this file (written aside and put in place whole) instead
    /// of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args, store: Database) -> Result<ExitCode> {
    let version = store.schema_version()?;
    let counts = match &args.output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            verdict::portable::export(&store, store.backend(), version, &mut out)?
        }
        Some(path) => {
            let aside = path.with_extension(format!("partial-{}", std::process::id()));
            let written = (|| -> Result<_> {
                let mut out = std::io::BufWriter::new(std::fs::File::create(&aside)?);
                let counts = verdict::portable::export(&store, store.backend(), version, &mut out)?;
                out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                std::fs::rename(&aside, path)?;
                Ok(counts)
            })();
            if written.is_err() {
                let _ = std::fs::remove_file(&aside);
            }
            written.map_err(|e| anyhow::anyhow!("{}: {e:#}", path.display()))?
        }
    };
    let get = |t: &str| counts.get(t).copied().unwrap_or(0);
    say!(
        "exported {}, {}, {}, {} from {}{}",
        count(get("films"), "film", "films"),
        count(get("reviews"), "review", "reviews"),
        count(get("feeds"), "feed", "feeds"),
        count(get("catalogue"), "catalogue entry", "catalogue entries"),
        super::db::shown(store.path()),
        args.output
            .as_ref()
            .map(|p| format!(" to {}", p.display()))
            .unwrap_or_default()
    );
    let _ = std::io::stdout().flush();
    Ok(ExitCode::SUCCESS)
}
