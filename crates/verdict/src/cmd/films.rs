//! `verdict films` and `verdict show TITLE`.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use verdict_aggregate::OutletWeights;
use verdict_present as present;
use verdict_store::SqliteStore;

#[derive(clap::Args)]
pub struct FilmsArgs {
    #[arg(long)]
    json: bool,
    /// Outlet weights for the weighted score: lines "outlet<TAB>weight"
    /// ("*" for every other outlet). Default: every outlet weighs the same.
    #[arg(long, env = "VERDICT_WEIGHTS", value_name = "FILE")]
    weights: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The film: a title or alternative title (case and accents do not
    /// matter), "Title (Year)", its slug (`red-rooms-2023`) or `#ID`.
    title: String,
    /// The film's year, when several films have the title.
    #[arg(long)]
    year: Option<i32>,
    #[arg(long)]
    json: bool,
    /// Outlet weights for the weighted score (as for `verdict films`).
    #[arg(long, env = "VERDICT_WEIGHTS", value_name = "FILE")]
    weights: Option<PathBuf>,
}

/// The outlet weights a file gives, or equal weights.
fn weights(path: Option<&Path>) -> Result<OutletWeights> {
    let Some(path) = path else {
        return Ok(OutletWeights::equal());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the outlet weights {}", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    OutletWeights::parse(&name, &text)
        .map_err(|e| anyhow::anyhow!("outlet weights {}: {e}", path.display()))
}

pub fn films(args: FilmsArgs, store: SqliteStore) -> Result<ExitCode> {
    let weights = weights(args.weights.as_deref())?;
    let films = present::films_overview_with(&store, &weights)?;
    if args.json {
        crate::print_json(&films)?;
    } else {
        print!("{}", present::films_text(&films));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(args: ShowArgs, store: SqliteStore) -> Result<ExitCode> {
    let film = super::choose::film(&store, &args.title, args.year, "show")?;
    let page = present::film_page_with(&store, &film, &weights(args.weights.as_deref())?)?;
    if args.json {
        crate::print_json(&page)?;
    } else {
        print!("{}", present::film_text(&page));
    }
    Ok(ExitCode::SUCCESS)
}
