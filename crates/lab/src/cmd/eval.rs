//! `verdict-lab eval`: the judge's standard benchmarks, side by side with the
//! published anchors and, when given, the scikit-learn baseline's numbers
//! on the same splits (`bench/judge-eval.sh` runs both).

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;
use verdict_judge::Judge;
use verdict_lab::train::eval::{Baseline, EvalConfig, evaluate, export_splits};

#[derive(clap::Args)]
pub struct Args {
    /// The data folder (holding pang-lee/, imdb-aclimdb/, …).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// A fast subset: 2,000 examples a dataset, 2 epochs, 2 folds of 10.
    #[arg(long)]
    quick: bool,
    /// Only these benchmarks (comma-separated: mr, imdb, scale, rt, films, speed).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Train on each benchmark's own data only (skip the shipped recipe's
    /// retraining on every dataset).
    #[arg(long)]
    benchmark_data_only: bool,
    /// The baseline's results on the same splits (JSON from
    /// bench/sklearn_baseline.py), printed side by side.
    #[arg(long, value_name = "FILE")]
    sklearn: Option<PathBuf>,
    /// Write every benchmark's split as JSON lines into DIR and stop.
    #[arg(long, value_name = "DIR")]
    export_splits: Option<PathBuf>,
    /// Also measure the encoder reader (frozen MiniLM + head, stacked on
    /// the linear judge) on the same splits, in a second table.
    #[arg(long)]
    encoder: bool,
    /// Only the encoder reader's table (the linear judge's numbers are
    /// in it, read by the same protocol).
    #[arg(long)]
    encoder_only: bool,
    /// The encoder's weights (else found as `verdict` finds them).
    #[arg(long, value_name = "DIR")]
    encoder_dir: Option<PathBuf>,
    /// Where embeddings are kept between runs.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut cfg = if args.quick {
        EvalConfig::quick(&args.data)
    } else {
        EvalConfig::new(&args.data)
    };
    cfg.only = args.only;
    cfg.full_recipe = !args.benchmark_data_only;
    cfg.embedded = Some(Judge::embedded_bytes());
    if let Some(dir) = &args.export_splits {
        for (path, n) in export_splits(&cfg, dir)? {
            println!("{path}: {n} rows");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let baseline: Option<Baseline> = super::read_baseline(args.sklearn.as_deref())?;
    // The encoder is loaded first: a missing one fails before the long part.
    let encoder = if args.encoder || args.encoder_only {
        Some(std::sync::Arc::new(super::load_encoder(
            args.encoder_dir.as_deref(),
        )?))
    } else {
        None
    };
    let report = if args.encoder_only {
        None
    } else {
        Some(evaluate(&cfg).with_context(|| format!("evaluating on {}", args.data.display()))?)
    };
    let encoder_report = match encoder {
        Some(encoder) => {
            let cache = args
                .cache
                .clone()
                .unwrap_or_else(verdict_lab::train::encoder::default_cache_dir);
            Some(
                verdict_lab::train::eval_encoder::evaluate(&cfg, encoder, &cache).with_context(
                    || format!("evaluating the encoder reader on {}", args.data.display()),
                )?,
            )
        }
        None => None,
    };
    if args.json {
        crate::print_json(&serde_json::json!({
            "report": report,
            "encoder": encoder_report,
            "baseline": baseline,
        }))?;
    } else {
        if let Some(report) = &report {
            println!("{}", report.table(baseline.as_ref()));
        }
        if let Some(report) = &encoder_report {
            if !args.encoder_only {
                println!();
            }
            println!("{}", report.table(baseline.as_ref()));
        }
    }
    Ok(ExitCode::SUCCESS)
}
