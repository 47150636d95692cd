//! Who reads a review's text: the linear judge, or the encoder reader (a
//! pretrained sentence encoder stacked on it, cargo feature `encoder`, its
//! weights installed apart: see the README). Documents get the best reader
//! there is; bulk imports always read with the linear judge (the encoder
//! reads about a hundred snippets a second, the linear judge a hundred
//! thousand). Every judgement names the model that read it.

use std::path::PathBuf;
use verdict_judge::Judge;

/// `--reader`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReaderChoice {
    /// The encoder reader when its weights are found, else the linear judge.
    #[default]
    Auto,
    /// The linear judge alone (fastest).
    Linear,
    /// The encoder reader; an error when its weights are not found.
    Encoder,
}

/// The options of every command that judges documents.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ReaderArgs {
    /// Who reads review texts: `auto` (the encoder reader when its weights
    /// are installed, else the linear judge), `linear`, or `encoder`.
    #[arg(long, value_enum, default_value_t = ReaderChoice::Auto, env = "VERDICT_READER")]
    pub reader: ReaderChoice,
    /// The sentence encoder's weights (a folder holding model.safetensors,
    /// tokenizer.json and config.json, or the installed package); default:
    /// VERDICT_ENCODER, then the places the README lists.
    #[arg(long, value_name = "DIR")]
    pub encoder: Option<PathBuf>,
}

/// Which reader a judge reads with, and why: what commands say.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub judge: &'static Judge,
    /// Why the encoder is not used, when it was wanted but is not there.
    pub note: Option<String>,
}

/// The judge `args` ask for (loaded once per process).
pub fn choose(args: &ReaderArgs) -> anyhow::Result<Chosen> {
    if args.reader == ReaderChoice::Linear {
        return Ok(Chosen {
            judge: Judge::embedded(),
            note: None,
        });
    }
    match (with_encoder(args), args.reader) {
        (Ok(judge), _) => Ok(Chosen { judge, note: None }),
        // Not installed: one short line (where it looked is the error's
        // business, with `--reader encoder`).
        (Err(Missing::NotInstalled { short, .. }), ReaderChoice::Auto) => Ok(Chosen {
            judge: Judge::embedded(),
            note: Some(short),
        }),
        (Err(Missing::Unusable(why)), ReaderChoice::Auto) => Ok(Chosen {
            judge: Judge::embedded(),
            note: Some(why),
        }),
        (Err(Missing::NotInstalled { full: why, .. } | Missing::Unusable(why)), _) => {
            anyhow::bail!("--reader encoder: {why}")
        }
    }
}

/// Why there is no encoder reader.
#[derive(Debug, Clone)]
enum Missing {
    /// No weights anywhere it looks: a short line, and the whole story
    /// (the places looked in).
    #[cfg_attr(not(feature = "encoder"), allow(dead_code))]
    NotInstalled { short: String, full: String },
    /// Weights named or found, but unusable (or no encoder in this build).
    Unusable(String),
}

#[cfg(feature = "encoder")]
fn with_encoder(args: &ReaderArgs) -> Result<&'static Judge, Missing> {
    use std::sync::OnceLock;
    use verdict_judge::encoder::EncoderError;
    static LOADED: OnceLock<Result<&'static Judge, Missing>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            Judge::embedded_with_encoder(args.encoder.as_deref())
                .map(|j| &*Box::leak(Box::new(j)))
                .map_err(|e| match e {
                    EncoderError::NotFound { .. } => Missing::NotInstalled {
                        short: format!(
                            "no sentence encoder found; `{}` adds it",
                            verdict_judge::encoder::INSTALL
                        ),
                        full: e.to_string(),
                    },
                    _ => Missing::Unusable(e.to_string()),
                })
        })
        .clone()
}

#[cfg(not(feature = "encoder"))]
fn with_encoder(_: &ReaderArgs) -> Result<&'static Judge, Missing> {
    Err(Missing::Unusable(
        "this build of verdict has no encoder reader (built without the `encoder` feature)".into(),
    ))
}

impl Chosen {
    /// One line for standard error: who reads, and why not the encoder.
    pub fn line(&self) -> String {
        match &self.note {
            Some(note) => format!("reader: {} ({note})", self.judge.reader_name()),
            None => format!("reader: {}", self.judge.reader_name()),
        }
    }
}
