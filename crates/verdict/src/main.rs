//! The `verdict` command line: a thin layer over the library. Each
//! subcommand lives in its own module under `cmd/`.

mod cmd;

use anyhow::Result;
use clap::{Parser, Subcommand};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use verdict_store::SqliteStore;

/// Verdict: an open critic-review aggregator.
#[derive(Parser)]
#[command(name = "verdict", version, about, long_about = None)]
struct Cli {
    /// The database file (SQLite). Default: $XDG_DATA_HOME/verdict/verdict.db.
    #[arg(long, global = true, env = "VERDICT_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest review documents: files and folders, any mix.
    Ingest(cmd::ingest::Args),
    /// Every film with its aggregate.
    Films(cmd::films::FilmsArgs),
    /// One film (by title or alternative title): aggregate and every review.
    Show(cmd::films::ShowArgs),
    /// How a rating string is read ("4.5/5 Stars"); "-" reads one per line
    /// from standard input and writes one JSON object per line.
    Rating(cmd::rating::Args),
    /// What Verdict reads from one document ("-" for standard input),
    /// storing nothing.
    Extract(cmd::extract::Args),
    /// Train a model from the data in ../shared/data.
    Train {
        #[command(subcommand)]
        model: cmd::train::Model,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("verdict: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the database `--db` names, or the default one.
pub(crate) fn open_store(db: Option<PathBuf>) -> Result<SqliteStore> {
    let path = db.unwrap_or_else(verdict_store::default_path);
    Ok(SqliteStore::open(&path)?)
}

/// Prints a value as pretty JSON on standard output.
pub(crate) fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => cmd::ingest::run(args, open_store(cli.db)?),
        Command::Films(args) => cmd::films::films(args, open_store(cli.db)?),
        Command::Show(args) => cmd::films::show(args, open_store(cli.db)?),
        Command::Rating(args) => cmd::rating::run(args),
        Command::Extract(args) => cmd::extract::run(args),
        Command::Train { model } => cmd::train::run(model),
    }
}
