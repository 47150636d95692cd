//! `verdict-lab train …`: models trained by the project's own code.

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Model {
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
    /// The French judge shipped beside it (reads French reviews).
    JudgeFr {
        /// The data folder (holding french/).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "crates/judge/model/judge-linear-fr.bin")]
        out: PathBuf,
        #[arg(long, default_value_t = 20240906)]
        seed: u64,
    },
    /// The encoder reader's head (over the frozen MiniLM encoder, stacked
    /// on the shipped linear model), shipped in verdict-judge.
    Encoder {
        /// The data folder (holding pang-lee/ and rt-flatiron/).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write the head.
        #[arg(long, default_value = "crates/judge/model/encoder-head-en.tsv")]
        out: PathBuf,
        /// The encoder's weights (else found as `verdict` finds them).
        #[arg(long, value_name = "DIR")]
        encoder: Option<PathBuf>,
        /// Where embeddings are kept between runs.
        #[arg(long, value_name = "DIR")]
        cache: Option<PathBuf>,
        #[arg(long, default_value_t = 20240906)]
        seed: u64,
    },
    /// The critics', outlets' and scales' fresh/rotten lines shipped in
    /// verdict-rating (learned from rt-flatiron's labelled ratings).
    Lines {
        /// The data folder (holding rt-flatiron/ and the film files).
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where to write the table.
        #[arg(long, default_value = "crates/rating/model/rating-lines.tsv")]
        out: PathBuf,
    },
}

pub fn run(model: Model) -> Result<ExitCode> {
    match model {
        Model::Lines { data, out } => {
            let (table, rows) = verdict_lab::train::shipped_lines(&data)
                .with_context(|| format!("learning the rating lines from {}", data.display()))?;
            std::fs::write(&out, &table).with_context(|| format!("writing {}", out.display()))?;
            let moved = table.lines().filter(|l| !l.starts_with('#')).count() - 1;
            println!(
                "{moved} lines moved from their parent's, learned from {rows} rated reviews; written to {}",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Model::Encoder {
            data,
            out,
            encoder,
            cache,
            seed,
        } => {
            let encoder = super::load_encoder(encoder.as_deref())?;
            let mut recipe = verdict_lab::train::TrainConfig::new(&data);
            recipe.seed = seed;
            let cache = cache.unwrap_or_else(verdict_lab::train::encoder::default_cache_dir);
            let (head, report) =
                verdict_lab::train::encoder::train_shipped(&recipe, &encoder, &cache)
                    .with_context(|| format!("training the encoder head on {}", data.display()))?;
            std::fs::write(&out, head.to_tsv())
                .with_context(|| format!("writing {}", out.display()))?;
            println!("{report}");
            println!("head written to {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Model::Judge { data, out, seed } => {
            write(verdict_lab::train::TrainConfig::new(&data), seed, &out)
        }
        Model::JudgeFr { data, out, seed } => {
            write(verdict_lab::train::TrainConfig::french(&data), seed, &out)
        }
    }
}

/// Trains with `cfg` and `seed`, writes the model to `out`, prints the report.
fn write(
    mut cfg: verdict_lab::train::TrainConfig,
    seed: u64,
    out: &std::path::Path,
) -> Result<ExitCode> {
    let data = cfg.data_dir.clone();
    cfg.seed = seed;
    let (bytes, report) = verdict_lab::train::train(&cfg)
        .with_context(|| format!("training the judge on {}", data.display()))?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!("{report}");
    println!("model written to {} ({} bytes)", out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}
