//! `verdict remove`: undoes what was stored — reviews (by the file or URL
//! they came from, or `#ID`), everything one run stored (`--run ID`), or a
//! film with its reviews (`--film`); `--dry-run` lists what would go. Also
//! the runs themselves: every command that stores reviews begins one and
//! says its id in its summary.

use super::out::count;
use anyhow::{Result, anyhow, bail};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use verdict_present::FilmQuery;
use verdict_store::{Database, Removal, Removed, Store, StoreError};

#[derive(clap::Args)]
#[command(group(
    clap::ArgGroup::new("what")
        .required(true)
        .args(["reviews", "run", "film"])
))]
pub struct Args {
    /// Reviews: a file or folder they were ingested from, a URL, or
    /// `#ID` (a review's id, as `verdict show` and the web give it).
    #[arg(value_name = "PATH|URL|#ID")]
    reviews: Vec<String>,
    /// Everything one `ingest`, `import` or `sync` stored: the id its
    /// summary printed.
    #[arg(long, value_name = "ID")]
    run: Option<i64>,
    /// A film and every review of it: a title, "Title (Year)", its slug or
    /// `#ID` (a film's id).
    #[arg(long, value_name = "FILM")]
    film: Option<String>,
    /// The film's year, when several films have the title (with --film).
    #[arg(long, requires = "film")]
    year: Option<i32>,
    /// List what would be removed, and change nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Reviews, and films, listed one by one; more are counted.
const LISTED: usize = 20;

/// The most characters of a command line a run keeps.
const RUN_ARGS: usize = 1000;

/// Begins a run of `command` (`ingest`, `import`, `sync`), recording its
/// command line.
pub fn begin_run(store: &mut dyn Store, command: &str) -> Result<i64> {
    let line: String = std::env::args()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(RUN_ARGS)
        .collect();
    Ok(store.begin_run(command, &line)?)
}

/// How a summary tells how to undo a run that stored something:
/// " · undo with `verdict remove --run 7`".
pub fn undo_hint(store: &Database, run: i64, stored: u64) -> String {
    if stored == 0 {
        return String::new();
    }
    format!(
        " · undo with `{} remove --run {run}`",
        super::choose::verdict_command(store)
    )
}

pub fn run(args: Args, mut store: Database) -> Result<ExitCode> {
    let (what, label) = if let Some(run) = args.run {
        (Removal::Run(run), format!("run {run}"))
    } else if let Some(film) = &args.film {
        let film = super::choose::film(&store, film, args.year, "remove --film")?;
        (
            Removal::Film(film.id),
            FilmQuery::of_film(&film).to_string(),
        )
    } else {
        let ids = review_ids(&store, &args.reviews)?;
        (
            by_address(&store, &args.reviews, ids)?,
            args.reviews.join(" "),
        )
    };
    let plan = store.removal(&what).map_err(|e| named(e, &label))?;
    if let Removal::Run(run) = what
        && plan.reviews.is_empty()
        && plan.detached.is_empty()
    {
        bail!(
            "{label}: nothing to remove: its reviews were removed already, or it stored none{}",
            store
                .run(run)?
                .map(|r| format!(" (`{}`)", r.args))
                .unwrap_or_default()
        );
    }
    let mut out = std::io::stdout().lock();
    if args.dry_run {
        describe(&mut out, &store, &plan, "would remove")?;
        drop(out);
        say!("dry run: nothing was removed");
        return Ok(ExitCode::SUCCESS);
    }
    // The reviews' sources are read before they go.
    let listing = listing(&store, &plan)?;
    let removed = store.remove(&what).map_err(|e| named(e, &label))?;
    write_description(&mut out, &listing, &removed, "removed")?;
    drop(out);
    // The cross-film statistics describe the reviews left.
    verdict_present::refresh_stats(&mut store)?;
    let (films, reviews) = store.counts()?;
    let detached = if removed.detached.is_empty() {
        String::new()
    } else {
        format!(
            ", {} of reviews that stay removed",
            count(removed.detached.len() as u64, "address", "addresses")
        )
    };
    say!(
        "{label}: {} removed{detached}, {} removed · database {}: {}, {}",
        count(removed.reviews.len() as u64, "review", "reviews"),
        count(
            removed.films.iter().filter(|f| f.film_removed()).count() as u64,
            "film",
            "films"
        ),
        super::db::shown(store.path()),
        count(films, "film", "films"),
        count(reviews, "review", "reviews")
    );
    Ok(ExitCode::SUCCESS)
}

/// A store error, with the input it was about when it is "not found".
fn named(e: StoreError, label: &str) -> anyhow::Error {
    match e {
        StoreError::NotFound { what, .. } => {
            let kind = what.split(' ').next().unwrap_or("thing");
            anyhow!("{label}: no such {kind}")
        }
        e => e.into(),
    }
}

/// The ids of the reviews the arguments name: `#ID`, a URL they were
/// fetched from, a file they were read from (by its content, else by its
/// path), or every file of a folder. Any argument that names no stored
/// review is an error, and nothing is removed.
fn review_ids(store: &Database, targets: &[String]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for t in targets {
        if let Some(digits) = t.strip_prefix('#')
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            let id: i64 = digits.parse().map_err(|_| anyhow!("{t}: no such review"))?;
            if store.review(id)?.is_none() {
                bail!("{t}: no such review");
            }
            ids.push(id);
        } else if verdict_fetch::is_url(t) {
            // a review's page, or a page that lists reviews
            let listed = store.reviews_from_page(t)?;
            if !listed.is_empty() {
                ids.extend(listed.into_iter().map(|(id, _)| id));
                continue;
            }
            let (id, _) = store
                .review_by_source(t)?
                .ok_or_else(|| anyhow!("{t}: no such review: nothing was stored from this URL"))?;
            ids.push(id);
        } else {
            let path = Path::new(t);
            if path.is_dir() {
                let before = ids.len();
                for file in verdict_source::files(std::slice::from_ref(&path.to_path_buf())) {
                    // A file of the folder that cannot be walked to costs
                    // only itself (it stored nothing that can be found).
                    let Ok(file) = file else { continue };
                    ids.extend(by_file(store, &file)?);
                }
                if ids.len() == before {
                    bail!("{t}: no such review: nothing was stored from the files of this folder");
                }
            } else {
                let found = by_file(store, path)?;
                if found.is_empty() {
                    bail!("{t}: no such review: nothing was stored from this file");
                }
                ids.extend(found);
            }
        }
    }
    Ok(ids)
}

/// What removing the named reviews does, address by address when one
/// of them has several (a syndicated copy: `verdict_core::copies`): a file
/// or URL that is one address of a review takes that address only (the
/// review stays while another is left); `#ID` takes every address of the
/// review. With no review of several addresses, the reviews by id.
fn by_address(store: &Database, targets: &[String], ids: Vec<i64>) -> Result<Removal> {
    let mut addresses: Vec<(i64, String)> = Vec::new();
    let mut several = false;
    for &id in &ids {
        let Some(r) = store.review(id)? else { continue };
        several |= !r.copies.is_empty();
        // the addresses the arguments name (by content, path or URL)
        let mut named: Vec<String> = Vec::new();
        for t in targets {
            if t.strip_prefix('#') == Some(id.to_string().as_str()) {
                named.push(r.source.clone());
                named.extend(r.copies.iter().map(|c| c.source.clone()));
                continue;
            }
            let mut files = vec![std::path::PathBuf::from(t)];
            if Path::new(t).is_dir() {
                files = verdict_source::files(std::slice::from_ref(&files[0]))
                    .filter_map(std::result::Result::ok)
                    .collect();
            }
            for f in &files {
                let shown = f.display().to_string();
                let hash = (f.is_file())
                    .then(|| verdict_source::read_file(f).ok())
                    .flatten()
                    .map(|raw| raw.content_hash);
                if hash.as_deref() == Some(r.content_hash.as_str()) || r.source == shown {
                    named.push(r.source.clone());
                }
                for c in &r.copies {
                    if hash.as_deref() == Some(c.content_hash.as_str()) || c.source == shown {
                        named.push(c.source.clone());
                    }
                }
            }
        }
        if named.is_empty() {
            // found through a listing page: the review whole
            named.push(r.source.clone());
            named.extend(r.copies.iter().map(|c| c.source.clone()));
        }
        named.sort();
        named.dedup();
        addresses.extend(named.into_iter().map(|a| (id, a)));
    }
    Ok(if several {
        Removal::Sources(addresses)
    } else {
        Removal::Reviews(ids)
    })
}

/// The reviews stored from a file: the one read from it (by its content,
/// wherever it was read from; else, when the file changed, is gone or
/// cannot be read (too large, unreadable), by the path it was stored
/// under), or every review listed on it (a page that lists reviews).
fn by_file(store: &Database, path: &Path) -> Result<Vec<i64>> {
    if path.is_file()
        && let Ok(raw) = verdict_source::read_file(path)
        && let Some(id) = store.contains(&raw.content_hash)?
    {
        return Ok(vec![id]);
    }
    let source = path.display().to_string();
    let listed = store.reviews_from_page(&source)?;
    if !listed.is_empty() {
        return Ok(listed.into_iter().map(|(id, _)| id).collect());
    }
    Ok(store
        .review_by_source(&source)?
        .map(|(id, _)| id)
        .into_iter()
        .collect())
}

/// The first reviews of a removal, each as "#ID source".
fn listing(store: &Database, plan: &Removed) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for &id in plan.reviews.iter().take(LISTED) {
        let source = store
            .review(id)?
            .map(|r| r.source)
            .unwrap_or_else(|| "?".into());
        lines.push(format!("review #{id} · {source}"));
    }
    Ok(lines)
}

fn describe(out: &mut impl Write, store: &Database, plan: &Removed, verb: &str) -> Result<()> {
    let listing = listing(store, plan)?;
    write_description(out, &listing, plan, verb)
}

fn write_description(
    out: &mut impl Write,
    listing: &[String],
    removed: &Removed,
    verb: &str,
) -> Result<()> {
    writeln!(
        out,
        "{verb} {} of {}:",
        count(removed.reviews.len() as u64, "review", "reviews"),
        count(removed.films.len() as u64, "film", "films")
    )?;
    for line in listing {
        writeln!(out, "  {line}")?;
    }
    if removed.reviews.len() > listing.len() {
        writeln!(
            out,
            "  … and {} more",
            count(
                (removed.reviews.len() - listing.len()) as u64,
                "review",
                "reviews"
            )
        )?;
    }
    for (id, address) in removed.detached.iter().take(LISTED) {
        writeln!(
            out,
            "  address {address} of review #{id} (the review stays at its other addresses)"
        )?;
    }
    for f in removed.films.iter().take(LISTED) {
        let name = match f.year {
            Some(y) => format!("{} ({y})", f.title),
            None => f.title.clone(),
        };
        if f.film_removed() {
            writeln!(
                out,
                "  film #{} {name}: {}, none left: the film goes too",
                f.film_id,
                count(f.reviews, "review", "reviews")
            )?;
        } else {
            writeln!(
                out,
                "  film #{} {name}: {}, {} left",
                f.film_id,
                count(f.reviews, "review", "reviews"),
                f.left
            )?;
        }
    }
    if removed.films.len() > LISTED {
        let gone = removed.films[LISTED..]
            .iter()
            .filter(|f| f.film_removed())
            .count();
        writeln!(
            out,
            "  … and {} more, {gone} of them with no review left: they go too",
            count((removed.films.len() - LISTED) as u64, "film", "films")
        )?;
    }
    Ok(())
}
