//! `verdict films` and `verdict show TITLE`.

use anyhow::{Result, bail};
use std::process::ExitCode;
use verdict::present;
use verdict_store::SqliteStore;

#[derive(clap::Args)]
pub struct FilmsArgs {
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// A title or alternative title (case and accents do not matter).
    title: String,
    #[arg(long)]
    json: bool,
}

pub fn films(args: FilmsArgs, store: SqliteStore) -> Result<ExitCode> {
    let films = present::films_overview(&store)?;
    if args.json {
        crate::print_json(&films)?;
    } else {
        print!("{}", present::films_text(&films));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(args: ShowArgs, store: SqliteStore) -> Result<ExitCode> {
    let title = &args.title;
    let films = present::find_films(&store, title)?;
    match films.as_slice() {
        [] => bail!("no film matches {title:?}; `verdict films` lists them"),
        [film] => {
            let page = present::film_page(&store, film)?;
            if args.json {
                crate::print_json(&page)?;
            } else {
                print!("{}", present::film_text(&page));
            }
            Ok(ExitCode::SUCCESS)
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|f| match f.year {
                    Some(y) => format!("{} ({y})", f.title),
                    None => f.title.clone(),
                })
                .collect();
            bail!("{title:?} matches several films: {}", names.join(", "))
        }
    }
}
