//! The `verdict` command line: a thin layer over the library. Each
//! subcommand lives in its own module under `cmd/`.

#[macro_use]
mod cmd;

use anyhow::Result;
use clap::{Parser, Subcommand};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use verdict_store::Database;

/// Verdict: an open critic-review aggregator.
#[derive(Parser)]
#[command(name = "verdict", version, about, long_about = None)]
struct Cli {
    /// The database: a SQLite file, or a PostgreSQL database
    /// (postgres://user@host:port/db). Default: $XDG_DATA_HOME/verdict/verdict.db.
    #[arg(long, global = true, env = "VERDICT_DB", value_name = "PATH|URL")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest review documents: files, folders and web pages (http(s)
    /// URLs), any mix.
    Ingest(cmd::ingest::Args),
    /// Follow an RSS or Atom feed of reviews; `sync` reads its entries.
    Follow(cmd::follow::Args),
    /// Fetch what is new from every followed feed and ingest it.
    Sync(cmd::sync::Args),
    /// Import exports (Rotten Tomatoes CSV, Flatiron TSV, Letterboxd,
    /// generic CSV) and film catalogues (IMDb, MovieLens): files and
    /// folders, each layout detected by its header.
    Import(cmd::import::Args),
    /// The film catalogue: match a title, list unmatched films.
    Catalog {
        #[command(subcommand)]
        command: cmd::catalog::Command,
    },
    /// Every film with its aggregate.
    Films(cmd::films::FilmsArgs),
    /// One film (by title or alternative title, "Title (Year)", slug or
    /// #ID): aggregate and every review.
    Show(cmd::films::ShowArgs),
    /// Remove reviews (by file, URL or #ID), everything one run stored
    /// (--run ID), or a film with its reviews (--film); --dry-run lists
    /// what would go.
    Remove(cmd::remove::Args),
    /// How a rating string is read ("4.5/5 Stars"); "-" reads one per line
    /// from standard input and writes one JSON object per line.
    Rating(cmd::rating::Args),
    /// What Verdict reads from one document ("-" for standard input),
    /// storing nothing.
    Extract(cmd::extract::Args),
    /// The judge's reading of review texts: "-" reads one review per line
    /// (plain text, or JSON with `text` and optionally `rating`) and writes
    /// one JSON object per line; a file is judged as one document.
    Judge(cmd::judge::Args),
    /// Serve the web site and the JSON API: `--addr 127.0.0.1:8080`;
    /// writes need `--token` (or VERDICT_TOKEN, or the config file).
    Serve(cmd::serve::Args),
    /// Take jobs from the queue and do them (feed syncs, page fetches,
    /// statistics refreshes): any number of workers share one database.
    Work(cmd::work::Args),
    /// What the queue of work holds.
    Jobs(cmd::work::JobsArgs),
    /// Read again every review the judge of another model read (after an
    /// upgrade changed the model); --queue leaves it to `verdict work`.
    Rejudge(cmd::work::RejudgeArgs),
    /// Write the whole database as NDJSON (films, aliases, reviews with
    /// their raw ratings, conversions, evidence and diagnostics, runs,
    /// feeds, catalogue links, published scores); `verdict import FILE`
    /// reads it back into an empty database, on either backend.
    Export(cmd::export::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // `verdict films | head`: the reader has what it wanted.
        Err(e) if cmd::out::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            say!("verdict: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the database `--db` names, or the default one, for a command
/// that reads: it must exist (nothing is created).
pub(crate) fn open_store(db: Option<PathBuf>) -> Result<Database> {
    Ok(cmd::db::open_existing(db)?)
}

/// Opens the database `--db` names, or the default one, for a command
/// that stores: created (and said so) when it does not exist yet.
pub(crate) fn create_store(db: Option<PathBuf>) -> Result<Database> {
    Ok(cmd::db::open_or_create(db)?)
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
        Command::Ingest(args) => cmd::ingest::run(args, create_store(cli.db)?),
        Command::Follow(args) => cmd::follow::run(args, create_store(cli.db)?),
        Command::Sync(args) => cmd::sync::run(args, create_store(cli.db)?),
        Command::Import(args) => cmd::import::run(args, cli.db),
        Command::Catalog { command } => cmd::catalog::run(command, cli.db),
        Command::Films(args) => cmd::films::films(args, open_store(cli.db)?),
        Command::Show(args) => cmd::films::show(args, open_store(cli.db)?),
        Command::Remove(args) => cmd::remove::run(args, open_store(cli.db)?),
        Command::Rating(args) => cmd::rating::run(args),
        Command::Extract(args) => cmd::extract::run(args),
        Command::Serve(args) => cmd::serve::run(args, cli.db),
        Command::Judge(args) => cmd::judge::run(args),
        Command::Work(args) => cmd::work::run(args, create_store(cli.db)?),
        Command::Jobs(args) => cmd::work::jobs(args, open_store(cli.db)?),
        Command::Rejudge(args) => cmd::work::rejudge(args, open_store(cli.db)?),
        Command::Export(args) => cmd::export::run(args, open_store(cli.db)?),
    }
}
