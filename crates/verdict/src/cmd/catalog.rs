//! `verdict catalog …`: the film catalogue (IMDb, MovieLens).

use anyhow::{Result, anyhow, bail};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use verdict_core::title::title_key;
use verdict_present::FilmQuery;
use verdict_resolve::{CatalogueCandidate, CatalogueMatch};
use verdict_store::{Database, Store};

use super::db;
use super::out::{count, shown};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Import catalogue files (IMDb title.basics, MovieLens movies.csv),
    /// as `verdict import` does.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print the import's report as JSON on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Which catalogue entry a title (and year) is, and why: a title,
    /// "Title (Year)", or a stored film (`#ID`, its slug).
    Match {
        title: String,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Films left unmatched, with the reason.
    Unmatched {
        #[arg(long)]
        json: bool,
    },
    /// Match every film again (after the catalogue changed).
    Link {
        /// Print what matching decided as JSON on standard output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct Candidate {
    id: i64,
    title: String,
    year: Option<i32>,
    imdb_id: Option<String>,
}

#[derive(Serialize)]
struct MatchView {
    title: String,
    year: Option<i32>,
    matched: Option<Candidate>,
    confidence: Option<f64>,
    method: String,
    reason: Option<String>,
    candidates: Vec<Candidate>,
}

/// The title, year and other titles `catalog match` looks up for its
/// argument: a stored film's (`#ID`, a slug), or the title and year the
/// argument gives ("Title (Year)", `--year`).
fn what_to_match(
    store: &Database,
    input: &str,
    year: Option<i32>,
) -> Result<(String, Option<i32>, Vec<String>)> {
    let shown = match year {
        Some(y) => format!("{input} --year {y}"),
        None => input.to_string(),
    };
    let query = FilmQuery::parse(input, year).map_err(|e| anyhow!("{shown}: {e}"))?;
    let film = match query {
        FilmQuery::Id(id) => store.film(id)?.ok_or_else(|| {
            anyhow!("{shown}: no film has the id {id}; `verdict films` lists them")
        })?,
        FilmQuery::Title { title, year: None } => {
            match verdict_present::film_by_slug(store, &title)? {
                Some(film) => film,
                None => return Ok((title, None, Vec::new())),
            }
        }
        FilmQuery::Title { title, year } => return Ok((title, year, Vec::new())),
    };
    Ok((film.title, film.year, film.aliases))
}

/// The catalogue entries a title's keys find, and the decision among them.
/// A title written the way exports write two ("Charly (A Heartbeat
/// Away)") is looked up by both, as an import would.
fn decide(
    store: &Database,
    title: &str,
    year: Option<i32>,
    film_aliases: &[String],
) -> Result<(Vec<verdict_store::CatalogueEntry>, CatalogueMatch)> {
    let mut aliases = verdict_import::alternative_titles(title);
    aliases.extend(film_aliases.iter().cloned());
    let keys: Vec<String> = std::iter::once(title)
        .chain(aliases.iter().map(String::as_str))
        .map(title_key)
        .collect();
    let entries = store.catalogue_by_keys(&keys)?;
    let candidates: Vec<CatalogueCandidate> = entries
        .iter()
        .cloned()
        .map(verdict::bulk::candidate)
        .collect();
    let decision = verdict_resolve::match_catalogue(title, year, &aliases, &candidates);
    Ok((entries, decision))
}

/// For an ambiguous title: each entry with the command that matches it
/// alone (its title and year, checked by matching them as the command
/// would), or why none does.
fn way_on(store: &Database, entries: &[verdict_store::CatalogueEntry]) -> Result<String> {
    let verdict = super::choose::verdict_command(store);
    let mut lines: Vec<(String, String)> = Vec::new();
    for e in entries {
        let argument = match e.year {
            Some(y) => format!("{} ({y})", e.title),
            None => e.title.clone(),
        };
        let (title, year) = match FilmQuery::parse(&argument, None) {
            Ok(FilmQuery::Title { title, year }) => (title, year),
            _ => (e.title.clone(), e.year),
        };
        let (found, decision) = decide(store, &title, year, &[])?;
        let chosen = match decision {
            CatalogueMatch::Matched { id, .. } => found.into_iter().find(|f| f.id == id),
            CatalogueMatch::Unmatched { .. } => None,
        };
        // Entries with one IMDb id are one film: either of them is it.
        let same =
            chosen.is_some_and(|c| c.id == e.id || (c.imdb_id.is_some() && c.imdb_id == e.imdb_id));
        let about = format!(
            "{argument} · {} {}{}",
            e.source,
            e.external_id,
            e.imdb_id
                .as_deref()
                .filter(|i| *i != e.external_id)
                .map(|i| format!(" ({i})"))
                .unwrap_or_default()
        );
        let command = if same {
            format!(
                "{verdict} catalog match {}",
                super::choose::shell_quote(&argument)
            )
        } else {
            "(its title and year name other entries too)".to_string()
        };
        if !lines.iter().any(|(c, a)| *c == command && *a == about) {
            lines.push((command, about));
        }
    }
    let width = lines
        .iter()
        .map(|(c, _)| c.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from("choose one:\n");
    for (command, about) in lines {
        let pad = width - command.chars().count();
        out.push_str(&format!("  {command}{:pad$}   # {about}\n", ""));
    }
    Ok(out)
}

pub fn run(command: Command, db: Option<PathBuf>) -> Result<ExitCode> {
    match command {
        Command::Import { paths, json } => {
            let mut plan = verdict_import::plan(&paths, None, None);
            let reviews = plan.units.iter().filter(|u| !u.is_catalogue()).count();
            plan.units.retain(|u| u.is_catalogue());
            for p in &plan.problems {
                say!("verdict: {}", super::out::shown(p));
            }
            if reviews > 0 {
                say!(
                    "skipped: {}; use `verdict import` for them",
                    count(reviews as u64, "review export", "review exports")
                );
            }
            if plan.units.is_empty() {
                // Nothing to import: no database is created.
                if plan.problems.is_empty() {
                    bail!(
                        "{}: no film catalogue to import",
                        paths
                            .iter()
                            .map(|p| super::out::shown_path(p))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
                return Ok(ExitCode::FAILURE);
            }
            let mut store = db::open_or_create(db)?;
            let report = verdict::bulk::import(
                &mut store,
                &plan,
                &verdict::bulk::Options::default(),
                &mut |e| say!("{}", super::out::shown(&e.to_string())),
                &mut |_| {},
            )?;
            say!(
                "catalogue: {} added, {} already known · {} in all · database {}",
                count(report.catalogue_inserted, "entry", "entries"),
                report.catalogue_unchanged,
                store.catalogue_count()?,
                db::shown(store.path())
            );
            if let Some(c) = &report.catalogue {
                say!(
                    "films: {} matched, {} ambiguous (left unmatched), {} not found",
                    c.matched,
                    c.ambiguous,
                    c.not_found
                );
            }
            if json {
                crate::print_json(&report)?;
            }
            Ok(if plan.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Match { title, year, json } => {
            let store = db::open_existing(db)?;
            let (title, year, film_aliases) = what_to_match(&store, &title, year)?;
            let (entries, decision) = decide(&store, &title, year, &film_aliases)?;
            let view_of = |e: &verdict_store::CatalogueEntry| Candidate {
                id: e.id,
                title: e.title.clone(),
                year: e.year,
                imdb_id: e.imdb_id.clone(),
            };
            let ambiguous = matches!(
                decision,
                CatalogueMatch::Unmatched {
                    method: "ambiguous",
                    ..
                }
            );
            let view = match decision {
                CatalogueMatch::Matched {
                    id,
                    confidence,
                    method,
                } => MatchView {
                    title: title.clone(),
                    year,
                    matched: entries.iter().find(|e| e.id == id).map(view_of),
                    confidence: Some(confidence),
                    method,
                    reason: None,
                    candidates: entries.iter().map(view_of).collect(),
                },
                CatalogueMatch::Unmatched { method, reason } => MatchView {
                    title: title.clone(),
                    year,
                    matched: None,
                    confidence: None,
                    method: method.to_string(),
                    reason: Some(reason),
                    candidates: entries.iter().map(view_of).collect(),
                },
            };
            if json {
                crate::print_json(&view)?;
            } else {
                let mut out = std::io::stdout().lock();
                // Titles come from the files imported: escaped.
                let title = shown(&title);
                match (&view.matched, &view.reason) {
                    (Some(m), _) => writeln!(
                        out,
                        "{} → {} ({}{}) · confidence {:.2} · {}",
                        title,
                        shown(&m.title),
                        m.year.map_or("?".into(), |y| y.to_string()),
                        m.imdb_id
                            .as_deref()
                            .map(|i| format!(", {i}"))
                            .unwrap_or_default(),
                        view.confidence.unwrap_or_default(),
                        view.method
                    )?,
                    (None, Some(reason)) => {
                        writeln!(out, "{title}: {} — {}", view.method, shown(reason))?;
                    }
                    (None, None) => writeln!(out, "{title}: {}", view.method)?,
                }
                if ambiguous {
                    print!("{}", way_on(&store, &entries)?);
                }
            }
            Ok(if view.matched.is_some() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Unmatched { json } => {
            let store = db::open_existing(db)?;
            let films: std::collections::HashMap<i64, verdict_core::Film> =
                store.films()?.into_iter().map(|f| (f.id, f)).collect();
            #[derive(Serialize)]
            struct Line {
                film_id: i64,
                title: String,
                year: Option<i32>,
                method: String,
                reason: Option<String>,
            }
            let lines: Vec<Line> = store
                .film_catalogue(None)?
                .into_iter()
                .filter(|d| d.entry.is_none())
                .map(|d| Line {
                    film_id: d.film_id,
                    title: films
                        .get(&d.film_id)
                        .map(|f| f.title.clone())
                        .unwrap_or_default(),
                    year: films.get(&d.film_id).and_then(|f| f.year),
                    method: d.method,
                    reason: d.note,
                })
                .collect();
            if json {
                crate::print_json(&lines)?;
            } else if store.catalogue_count()? == 0 {
                say!(
                    "the catalogue is empty: no film can be matched to it yet; `verdict import` an IMDb title.basics file or a MovieLens movies.csv first"
                );
            } else {
                let mut out = std::io::stdout().lock();
                for l in &lines {
                    writeln!(
                        out,
                        "#{} {}{}: {}: {}",
                        l.film_id,
                        l.title,
                        l.year.map(|y| format!(" ({y})")).unwrap_or_default(),
                        l.method,
                        l.reason.as_deref().unwrap_or("")
                    )?;
                }
                say!(
                    "{} left unmatched",
                    count(lines.len() as u64, "film", "films")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Link { json } => {
            let mut store = db::open_existing(db)?;
            let r = verdict::bulk::link_catalogue(&mut store, true)?;
            say!(
                "films: {} matched, {} ambiguous (left unmatched), {} not found · database {}",
                r.matched,
                r.ambiguous,
                r.not_found,
                db::shown(store.path())
            );
            if json {
                crate::print_json(&r)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
