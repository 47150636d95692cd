//! `verdict-lab copies`: the syndicated-copy detector on the real data —
//! pairs compared, false merges among different writers' reviews of a
//! film, re-hosted copies detected, and the margin between the two
//! (`verdict_lab::copies`; `bench/copies/run.sh` runs it).

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The data folder (holding rt-flatiron/, imdb-aclimdb/, …).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Also write the report as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let report = verdict_lab::copies::run(&args.data)
        .with_context(|| format!("measuring on {}", args.data.display()))?;
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    print!("{}", report.table());
    Ok(if report.false_merges() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
