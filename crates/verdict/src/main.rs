//! The `verdict` command line: a thin layer over the library.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use serde::Serialize;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use verdict::pipeline::{self, Outcome};
use verdict::present;
use verdict_judge::Judge;
use verdict_store::{SqliteStore, Store};

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
    Ingest {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// One JSON object per input on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Every film with its aggregate.
    Films {
        #[arg(long)]
        json: bool,
    },
    /// One film (by title or alternative title): aggregate and every review.
    Show {
        title: String,
        #[arg(long)]
        json: bool,
    },
    /// How a rating string is read ("4.5/5 Stars"); "-" reads one per line
    /// from standard input and writes one JSON object per line.
    Rating {
        input: String,
        #[arg(long)]
        json: bool,
        /// The best of the scale bare numbers are written on, when known.
        #[arg(long, value_name = "N")]
        best: Option<f64>,
    },
    /// What Verdict reads from one document ("-" for standard input),
    /// storing nothing.
    Extract {
        input: String,
        #[arg(long)]
        json: bool,
        /// Print only the review's main text.
        #[arg(long, conflicts_with = "json")]
        text: bool,
    },
    /// Train a model from the data in ../shared/data.
    Train {
        #[command(subcommand)]
        model: TrainModel,
    },
}

#[derive(Subcommand)]
enum TrainModel {
    /// The linear judge shipped inside the binary.
    Judge {
        /// The data folder (holding pang-lee/, imdb-aclimdb/, …).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "crates/judge/model/judge-linear-en.bin")]
        out: PathBuf,
        #[arg(long, default_value_t = 20240906)]
        seed: u64,
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

fn open_store(db: Option<PathBuf>) -> Result<SqliteStore> {
    let path = db.unwrap_or_else(verdict_store::default_path);
    Ok(SqliteStore::open(&path)?)
}

fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest { paths, json } => ingest(open_store(cli.db)?, &paths, json),
        Command::Films { json } => {
            let store = open_store(cli.db)?;
            let films = present::films_overview(&store)?;
            if json {
                print_json(&films)?;
            } else {
                print!("{}", present::films_text(&films));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { title, json } => {
            let store = open_store(cli.db)?;
            let films = present::find_films(&store, &title)?;
            match films.as_slice() {
                [] => bail!("no film matches {title:?}; `verdict films` lists them"),
                [film] => {
                    let page = present::film_page(&store, film)?;
                    if json {
                        print_json(&page)?;
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
        Command::Rating { input, json, best } => rating(&input, json, best),
        Command::Extract { input, json, text } => extract(&input, json, text),
        Command::Train {
            model: TrainModel::Judge { data, out, seed },
        } => {
            let mut cfg = verdict_judge::train::TrainConfig::new(&data);
            cfg.seed = seed;
            let (bytes, report) = verdict_judge::train::train(&cfg)
                .with_context(|| format!("training the judge on {}", data.display()))?;
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            println!("{report}");
            println!("model written to {} ({} bytes)", out.display(), bytes.len());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn ingest(mut store: SqliteStore, paths: &[PathBuf], json: bool) -> Result<ExitCode> {
    let judge = Judge::embedded();
    let (mut stored, mut duplicates, mut failed) = (0usize, 0usize, 0usize);
    let mut stdout = std::io::stdout().lock();
    for entry in verdict_source::files(paths) {
        let (origin, outcome) = match entry.and_then(|p| verdict_source::read_file(&p)) {
            Ok(raw) => (
                raw.origin.clone(),
                pipeline::ingest(&mut store, judge, &raw),
            ),
            Err(e) => (
                e.path().display().to_string(),
                Outcome::Failed {
                    error: e.to_string(),
                },
            ),
        };
        match &outcome {
            Outcome::Stored {
                film,
                score,
                verdict,
                inferred,
                ..
            } => {
                stored += 1;
                if !json {
                    let how = if *inferred { "inferred" } else { "rated" };
                    writeln!(
                        stdout,
                        "stored     {origin}: {film}, {score:.0} {verdict} ({how})"
                    )?;
                }
            }
            Outcome::Duplicate { .. } => {
                duplicates += 1;
                if !json {
                    writeln!(stdout, "unchanged  {origin}: already stored")?;
                }
            }
            Outcome::Failed { error } => {
                failed += 1;
                eprintln!("error: {error}");
            }
        }
        if json {
            #[derive(Serialize)]
            struct Line<'a> {
                source: &'a str,
                #[serde(flatten)]
                outcome: &'a Outcome,
            }
            serde_json::to_writer(
                &mut stdout,
                &Line {
                    source: &origin,
                    outcome: &outcome,
                },
            )?;
            writeln!(stdout)?;
        }
    }
    let (films, reviews) = store.counts()?;
    eprintln!(
        "{} input(s): {stored} stored, {duplicates} already stored, {failed} failed · database: {films} film(s), {reviews} review(s)",
        stored + duplicates + failed
    );
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Serialize)]
struct RatingLine {
    input: String,
    score: Option<f64>,
    value: Option<f64>,
    best: Option<f64>,
    worst: Option<f64>,
    scale: Option<String>,
    confidence: Option<verdict_core::Confidence>,
    refused: Option<String>,
}

fn read_rating(input: &str, best: Option<f64>) -> RatingLine {
    let hint = verdict_rating::ScaleHint { best };
    match verdict_rating::read_with(input, &hint) {
        verdict_rating::Reading::Rated(r) => RatingLine {
            input: input.to_string(),
            score: Some((r.score * 100.0).round() / 100.0),
            value: Some(r.value),
            best: Some(r.best),
            worst: Some(r.worst),
            scale: Some(r.scale),
            confidence: Some(r.confidence),
            refused: None,
        },
        verdict_rating::Reading::Refused(x) => RatingLine {
            input: input.to_string(),
            score: None,
            value: None,
            best: None,
            worst: None,
            scale: None,
            confidence: None,
            refused: Some(x.reason),
        },
    }
}

fn rating(input: &str, json: bool, best: Option<f64>) -> Result<ExitCode> {
    if input == "-" {
        let mut out = std::io::stdout().lock();
        for line in std::io::stdin().lock().lines() {
            let line = line.context("reading standard input")?;
            serde_json::to_writer(&mut out, &read_rating(&line, best))?;
            writeln!(out)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let r = read_rating(input, best);
    if json {
        print_json(&r)?;
    } else if let Some(reason) = &r.refused {
        println!("{input:?}: not read as a rating: {reason}");
    } else {
        println!(
            "{input:?} → {:.1} / 100 ({} of {}, scale {}, {:?} confidence)",
            r.score.unwrap_or_default(),
            r.value.unwrap_or_default(),
            r.best.unwrap_or_default(),
            r.scale.as_deref().unwrap_or(""),
            r.confidence.unwrap_or(verdict_core::Confidence::Low)
        );
    }
    Ok(if r.refused.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn extract(input: &str, json: bool, text_only: bool) -> Result<ExitCode> {
    let raw = if input == "-" {
        verdict_source::read_stdin()?
    } else {
        verdict_source::read_file(std::path::Path::new(input))?
    };
    let processed = pipeline::process(&raw, Judge::embedded())?;
    if text_only {
        println!("{}", processed.review.body);
    } else if json {
        print_json(&processed)?;
    } else {
        let r = &processed.review;
        let dash = |x: Option<&str>| x.unwrap_or("–").to_string();
        println!("source:   {}", r.source);
        println!("format:   {}", r.format);
        println!(
            "film:     {}{}",
            dash(r.film_title.as_deref()),
            r.year.map(|y| format!(" ({y})")).unwrap_or_default()
        );
        if !r.aliases.is_empty() {
            println!("aliases:  {}", r.aliases.join(", "));
        }
        println!("critic:   {}", dash(r.critic.as_deref()));
        println!("outlet:   {}", dash(r.outlet.as_deref()));
        println!(
            "date:     {}",
            r.date.map(|d| d.to_string()).unwrap_or("–".into())
        );
        match &r.rating {
            Some(x) => println!(
                "rating:   {:?} → {:.0} ({} of {}, {})",
                x.raw, x.score, x.value, x.best, x.scale
            ),
            None => println!("rating:   none"),
        }
        for a in &r.aspects {
            println!("  aspect: {} {} → {:.0}", a.name, a.raw, a.score);
        }
        println!(
            "verdict:  {} {:.0} ({}, confidence {:.0}%)",
            processed.verdict,
            processed.score,
            if processed.inferred {
                "inferred by the judge"
            } else {
                "from the rating"
            },
            processed.confidence * 100.0
        );
        for e in &processed.judgement.evidence {
            println!("  evidence: “{e}”");
        }
        for d in &processed.diagnostics {
            println!("  note [{:?}] {}: {}", d.severity, d.code, d.message);
        }
    }
    Ok(ExitCode::SUCCESS)
}
