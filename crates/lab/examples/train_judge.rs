//! Trains the judge and writes the model file.
//!
//! ```text
//! cargo run --release -p verdict-lab --example train_judge -- \
//!     ../shared/data crates/judge/model/judge-linear-en.bin
//! ```
//!
//! Options after the two paths override the shipped configuration (for
//! experiments): `--epochs N`, `--bits B`, `--score-bits B`, `--lr X`,
//! `--l2 X`, `--nb X`, `--snippet-weight X`, `--seed N`, `--limit N`.

use anyhow::{Context, Result, bail};
use verdict_lab::train::{TrainConfig, train};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || !args.len().is_multiple_of(2) {
        bail!(
            "usage: train_judge DATA_DIR OUT.bin [--epochs N] [--bits B] [--score-bits B] [--lr X] [--l2 X] [--nb X] [--snippet-weight X] [--seed N] [--limit N]"
        );
    }
    let mut cfg = TrainConfig::new(&args[0]);
    for pair in args[2..].chunks(2) {
        let v = &pair[1];
        match pair[0].as_str() {
            "--epochs" => cfg.epochs = v.parse()?,
            "--bits" => cfg.hash_bits = v.parse()?,
            "--lr" => cfg.learning_rate = v.parse()?,
            "--l2" => cfg.l2 = v.parse()?,
            "--score-bits" => cfg.score_bits = v.parse()?,
            "--nb" => cfg.nb_strength = v.parse()?,
            "--snippet-weight" => cfg.snippet_weight = v.parse()?,
            "--seed" => cfg.seed = v.parse()?,
            "--limit" => cfg.limit_per_dataset = Some(v.parse()?),
            other => bail!("unknown option {other}"),
        }
    }
    let (bytes, report) = train(&cfg)?;
    std::fs::write(&args[1], &bytes).with_context(|| format!("writing {}", args[1]))?;
    println!("{report}");
    println!("wrote {} ({} bytes)", args[1], bytes.len());
    Ok(())
}
