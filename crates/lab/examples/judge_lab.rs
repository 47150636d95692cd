//! Runs the benchmarks with a modified recipe: for tuning the judge.
//!
//! ```text
//! cargo run --release -p verdict-lab --example judge_lab -- DATA_DIR [--only mr,imdb] \
//!     [--folds-run N] [--no-recipe] [--epochs N] [--bits B] [--score-bits B] [--lr X] [--l2 X] \
//!     [--nb X] [--chars MIN-MAX|off] [--char-weight X] [--trigrams on|off] [--snippet-weight X] [--limit N]
//! ```

use anyhow::{Result, bail};
use verdict_lab::train::Dataset;
use verdict_lab::train::eval::{EvalConfig, evaluate};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.len().is_multiple_of(2) {
        bail!("usage: judge_lab DATA_DIR [--option value]…");
    }
    let mut cfg = EvalConfig::new(&args[0]);
    for pair in args[1..].chunks(2) {
        let v = &pair[1];
        let r = &mut cfg.recipe;
        match pair[0].as_str() {
            "--only" => cfg.only = v.split(',').map(str::to_string).collect(),
            "--folds-run" => cfg.max_folds = Some(v.parse()?),
            "--no-recipe" => cfg.full_recipe = v != "yes",
            "--epochs" => r.epochs = v.parse()?,
            "--bits" => r.hash_bits = v.parse()?,
            "--score-bits" => r.score_bits = v.parse()?,
            "--lr" => r.learning_rate = v.parse()?,
            "--l2" => r.l2 = v.parse()?,
            "--nb" => r.nb_strength = v.parse()?,
            "--nb-alpha" => r.nb_alpha = v.parse()?,
            "--chars" => {
                if v == "off" {
                    r.char_max = 0;
                } else {
                    let (a, b) = v.split_once('-').unwrap_or((v, v));
                    r.char_min = a.parse()?;
                    r.char_max = b.parse()?;
                }
            }
            "--char-weight" => r.char_weight = v.parse()?,
            "--trigrams" => r.trigrams = v == "on",
            "--snippet-weight" => r.snippet_weight = v.parse()?,
            "--limit" => r.limit_per_dataset = Some(v.parse()?),
            "--seed" => r.seed = v.parse()?,
            "--datasets" => {
                r.datasets = v
                    .split(',')
                    .map(|d| match d {
                        "mr" => Ok(Dataset::Mr),
                        "pol" => Ok(Dataset::PolarityV2),
                        "scale" => Ok(Dataset::Scale),
                        "rt" => Ok(Dataset::RtFlatiron),
                        "imdb" => Ok(Dataset::Imdb),
                        "lb" => Ok(Dataset::Letterboxd),
                        other => Err(anyhow::anyhow!("unknown dataset {other}")),
                    })
                    .collect::<Result<_>>()?
            }
            other => bail!("unknown option {other}"),
        }
    }
    let report = evaluate(&cfg)?;
    println!("{}", report.table(None));
    Ok(())
}
