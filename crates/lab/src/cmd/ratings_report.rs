//! `verdict-lab ratings-report`: how well rating strings are read,
//! measured on the real data beside the project. The work is in
//! `verdict_lab::ratings_report`; this is its command line.

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The shared data folder (holds rating-strings.tsv and rt-flatiron/).
    #[arg(long, value_name = "DIR", default_value = "../shared/data")]
    data: PathBuf,
    /// How many times every rated review's string is read for the
    /// throughput figure.
    #[arg(long, value_name = "N", default_value_t = 20)]
    repeat: u32,
    /// How many of the most disagreeing forms to list.
    #[arg(long, value_name = "N", default_value_t = 15)]
    top: usize,
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let report = verdict_lab::ratings_report::run(&args.data, args.repeat).with_context(|| {
        format!(
            "reading rating-strings.tsv and rt-flatiron/rt.reviews.tsv.gz in {}",
            args.data.display()
        )
    })?;
    if args.json {
        crate::print_json(&report)?;
    } else {
        print!("{}", report.render(args.top));
    }
    Ok(ExitCode::SUCCESS)
}
