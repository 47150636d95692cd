//! `verdict-lab films`: each film's % positive against its published
//! Tomatometer, three ways (text only, text + rating, labels), every
//! estimator side by side, and the scikit-learn / QuaPy baseline's numbers
//! on the same films when given (`bench/films/run.sh` runs both).

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;
use verdict_lab::train::films::{Baseline, export, run_with};

#[derive(clap::Args)]
pub struct Args {
    /// The data folder (holding rt-kaggle-truncated/, rt-toplists/, …).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Write the split the baseline reads (train.tsv, films.tsv,
    /// reviews.tsv) into DIR and stop.
    #[arg(long, value_name = "DIR")]
    export: Option<PathBuf>,
    /// The baseline's results on the same films (JSON from
    /// bench/films/baseline.py), printed side by side.
    #[arg(long, value_name = "FILE")]
    sklearn: Option<PathBuf>,
    /// Who reads the texts: `linear` (the shipped linear judge) or
    /// `encoder` (the encoder reader; its weights must be installed).
    #[arg(long, default_value = "linear", value_parser = ["linear", "encoder"])]
    reader: String,
    /// The encoder's weights (else found as `verdict` finds them).
    #[arg(long, value_name = "DIR")]
    encoder_dir: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(dir) = &args.export {
        export(&args.data, dir).with_context(|| format!("exporting to {}", dir.display()))?;
        println!("wrote {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let baseline: Option<Baseline> = super::read_baseline(args.sklearn.as_deref())?;
    let judge = if args.reader == "encoder" {
        let encoder = super::load_encoder(args.encoder_dir.as_deref())?;
        verdict_judge::Judge::embedded().clone().with_encoder(
            std::sync::Arc::new(encoder),
            verdict_judge::Judge::embedded_encoder_head(),
        )?
    } else {
        verdict_judge::Judge::embedded().clone()
    };
    let report = run_with(&args.data, baseline.as_ref(), &judge)
        .with_context(|| format!("measuring on {}", args.data.display()))?;
    if args.json {
        crate::print_json(&serde_json::json!({ "report": report, "baseline": baseline }))?;
    } else {
        println!("{}", report.table());
    }
    Ok(ExitCode::SUCCESS)
}
