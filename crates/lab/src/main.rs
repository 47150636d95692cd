//! The `verdict-lab` command line: training, benchmarks and measurements
//! on the real data beside the project, kept out of the shipped `verdict`
//! binary. Each subcommand lives in its own module under `cmd/`.

mod cmd;

use anyhow::Result;
use clap::{Parser, Subcommand};
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

/// Verdict's lab: trains and benchmarks the judge and measures the rating
/// reader on the data in ../shared/data.
#[derive(Parser)]
#[command(name = "verdict-lab", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Coverage, fresh/rotten agreement and speed of the rating reader on
    /// the data in ../shared/data.
    RatingsReport(cmd::ratings_report::Args),
    /// The judge's benchmarks side by side with the published anchors
    /// (and the scikit-learn baseline with --sklearn).
    Eval(cmd::eval::Args),
    /// Each film's % positive against its published Tomatometer: text
    /// only, text + rating, labels; every estimator (and the scikit-learn
    /// / QuaPy baseline with --sklearn).
    Films(cmd::films::Args),
    /// The French judge on French reviews of titles it has never seen,
    /// beside scikit-learn (with --sklearn) and the English judge.
    French(cmd::french::Args),
    /// The critics' consensus line against Rotten Tomatoes' published one
    /// (ROUGE-1, ROUGE-L, agreement with fresh/rotten), beside the lead
    /// and centroid baselines.
    Consensus(cmd::consensus::Args),
    /// Syndicated copies: false merges among different critics' reviews of a film, and re-hosted copies detected (bench/copies/run.sh).
    Copies(cmd::copies::Args),
    /// Train a model from the data in ../shared/data.
    Train {
        #[command(subcommand)]
        model: cmd::train::Model,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::RatingsReport(args) => cmd::ratings_report::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Films(args) => cmd::films::run(args),
        Command::French(args) => cmd::french::run(args),
        Command::Consensus(args) => cmd::consensus::run(args),
        Command::Copies(args) => cmd::copies::run(args),
        Command::Train { model } => cmd::train::run(model),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("verdict-lab: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a value as pretty JSON on standard output.
pub(crate) fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}
