//! `verdict films` and `verdict show TITLE`.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use verdict_aggregate::OutletWeights;
use verdict_present as present;
use verdict_store::Database;

#[derive(clap::Args)]
pub struct FilmsArgs {
    #[arg(long)]
    json: bool,
    /// Outlet weights for the weighted score: lines "outlet<TAB>weight"
    /// ("*" for every other outlet). Default: every outlet weighs the same.
    #[arg(long, env = "VERDICT_WEIGHTS", value_name = "FILE")]
    weights: Option<PathBuf>,
    /// The order of the list: by title, or best first by score, % positive
    /// or number of reviews (films without one last; ties by title).
    #[arg(long, value_enum, default_value_t = Sort::Title)]
    sort: Sort,
    /// Only films with at least this many reviews.
    #[arg(long, value_name = "N")]
    min_reviews: Option<usize>,
    /// At most this many films (after sorting).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
}

/// How `verdict films` orders its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Sort {
    /// By title (case does not matter), as the database lists them.
    Title,
    /// By the 0–100 score, best first.
    Score,
    /// By % positive, highest first.
    Percent,
    /// By number of reviews, most first.
    Reviews,
}

/// The films `verdict films` lists: at least `min_reviews` reviews each,
/// in `sort` order (ties and `Title` in the title order they come in), at
/// most `limit` of them.
fn select(
    mut films: Vec<present::FilmSummary>,
    sort: Sort,
    min_reviews: Option<usize>,
    limit: Option<usize>,
) -> Vec<present::FilmSummary> {
    if let Some(min) = min_reviews {
        films.retain(|f| f.aggregate.reviews >= min);
    }
    // Best first; a film without the number last. The sort is stable, so
    // ties keep their title order.
    let descending = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (a, b) => b.is_some().cmp(&a.is_some()),
    };
    match sort {
        Sort::Title => {}
        Sort::Score => films.sort_by(|a, b| descending(a.aggregate.score, b.aggregate.score)),
        Sort::Percent => films
            .sort_by(|a, b| descending(a.aggregate.positive_percent, b.aggregate.positive_percent)),
        Sort::Reviews => films.sort_by_key(|f| std::cmp::Reverse(f.aggregate.reviews)),
    }
    if let Some(limit) = limit {
        films.truncate(limit);
    }
    films
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
        .with_context(|| format!("{}: cannot read the outlet weights", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    OutletWeights::parse(&name, &text)
        .map_err(|e| anyhow::anyhow!("{}: not outlet weights: {e}", path.display()))
}

pub fn films(args: FilmsArgs, store: Database) -> Result<ExitCode> {
    let weights = weights(args.weights.as_deref())?;
    let all = present::films_overview_with(&store, &weights)?;
    let known = all.len();
    let films = select(all, args.sort, args.min_reviews, args.limit);
    if args.json {
        crate::print_json(&films)?;
    } else if films.is_empty() && known > 0 {
        // Every film was left out: by --min-reviews, or by --limit 0.
        if let Some(min) = args.min_reviews.filter(|_| args.limit != Some(0)) {
            writeln!(
                std::io::stdout().lock(),
                "No film has {min} reviews or more ({}).",
                super::out::count(known as u64, "film in all", "films in all")
            )?;
        }
    } else {
        write!(std::io::stdout().lock(), "{}", present::films_text(&films))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(args: ShowArgs, store: Database) -> Result<ExitCode> {
    let film = super::choose::film(&store, &args.title, args.year, "show")?;
    let page = present::film_page_with(&store, &film, &weights(args.weights.as_deref())?)?;
    if args.json {
        crate::print_json(&page)?;
    } else {
        write!(std::io::stdout().lock(), "{}", present::film_text(&page))?;
    }
    Ok(ExitCode::SUCCESS)
}
