//! `verdict-lab consensus`: Verdict's critics' consensus line against
//! Rotten Tomatoes' staff-written one, beside the lead and centroid
//! baselines (`bench/consensus/run.sh` runs it). The work is in
//! `verdict_lab::consensus`.

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The data folder (holding rt-kaggle-truncated/).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Print every film's lines beside its published consensus too.
    #[arg(long)]
    lines: bool,
    /// Print the report as JSON (every film's lines included).
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let report = verdict_lab::consensus::run(&args.data)
        .with_context(|| format!("measuring on {}", args.data.display()))?;
    if args.json {
        crate::print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.lines {
        for f in &report.lines {
            println!("{} ({:.0} %)", f.title, f.tomatometer);
            println!("  published: {}", f.reference);
            for (name, line) in [
                ("Verdict", &f.verdict),
                ("lead", &f.lead),
                ("centroid", &f.centroid),
            ] {
                println!("  {name:<9}: {}", line.as_deref().unwrap_or("–"));
            }
        }
        println!();
    }
    println!("{}", report.table());
    Ok(ExitCode::SUCCESS)
}
