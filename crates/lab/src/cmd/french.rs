//! `verdict-lab french`: the French judge on French reviews of titles it
//! has never seen, side by side with scikit-learn on the same folds
//! (`bench/judge/french.sh` runs both) and with the English judge.

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;
use verdict_lab::train::french::{FrenchConfig, evaluate, export_folds};

#[derive(clap::Args)]
pub struct Args {
    /// The data folder (holding french/, …).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Folds by title.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// scikit-learn's results on the same folds (JSON from
    /// bench/judge/sklearn_french.py), printed side by side.
    #[arg(long, value_name = "FILE")]
    sklearn: Option<PathBuf>,
    /// Write each fold as JSON lines into DIR and stop.
    #[arg(long, value_name = "DIR")]
    export_splits: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Try another recipe: passes over the data.
    #[arg(long)]
    epochs: Option<usize>,
    /// Try another recipe: Naive-Bayes scaling strength (0 off).
    #[arg(long)]
    nb_strength: Option<f32>,
    /// Try another recipe: AdaGrad learning rate.
    #[arg(long)]
    learning_rate: Option<f32>,
    /// Try another recipe: L2 strength.
    #[arg(long)]
    l2: Option<f32>,
    /// Try another recipe: weight of the char n-gram family.
    #[arg(long)]
    char_weight: Option<f32>,
    /// Try another recipe: hash bits of the polarity head.
    #[arg(long)]
    hash_bits: Option<u8>,
    /// Try another recipe: the share of favourable reviews P(favourable)
    /// is set to (0 keeps the training sets' share).
    #[arg(long)]
    prior: Option<f64>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut cfg = FrenchConfig::new(&args.data);
    cfg.folds = args.folds.max(2);
    let r = &mut cfg.recipe;
    r.epochs = args.epochs.unwrap_or(r.epochs);
    r.nb_strength = args.nb_strength.unwrap_or(r.nb_strength);
    r.learning_rate = args.learning_rate.unwrap_or(r.learning_rate);
    r.l2 = args.l2.unwrap_or(r.l2);
    r.char_weight = args.char_weight.unwrap_or(r.char_weight);
    r.hash_bits = args.hash_bits.unwrap_or(r.hash_bits);
    r.score_bits = r.score_bits.min(r.hash_bits);
    if let Some(p) = args.prior {
        r.target_prior = (p > 0.0 && p < 1.0).then_some(p);
    }
    if let Some(dir) = &args.export_splits {
        for (path, n) in export_folds(&cfg, dir)? {
            println!("{path}: {n} rows");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let report = evaluate(&cfg, args.sklearn.as_deref())
        .with_context(|| format!("evaluating the French judge on {}", args.data.display()))?;
    if args.json {
        crate::print_json(&report)?;
    } else {
        print!("{}", report.table());
    }
    Ok(ExitCode::SUCCESS)
}
