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
    let report =
        evaluate(&cfg).with_context(|| format!("evaluating on {}", args.data.display()))?;
    if args.json {
        crate::print_json(&serde_json::json!({ "report": report, "baseline": baseline }))?;
    } else {
        println!("{}", report.table(baseline.as_ref()));
    }
    Ok(ExitCode::SUCCESS)
}
