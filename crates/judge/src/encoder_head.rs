//! The encoder reader's head: a logistic layer over a sentence embedding,
//! stacked with the linear model's polarity margin.
//!
//! * **Embedding margin** `e = w·x + b`, where `x` is the text's
//!   L2-normalised mean-pooled sentence embedding (384 numbers for
//!   MiniLM-L6) and `w`, `b` are learnt by `verdict-lab train encoder` on
//!   labelled texts the linear model's calibration never saw.
//! * **Stacking**: P(favourable) = `σ(θ·[m, m·ℓ, e, e·ℓ, ℓ] + θ_b)`, where
//!   `m` is the linear model's polarity margin and `ℓ` the length input
//!   of `calib.rs` (`ln(1 + words) / 5`). Fitted on calibration parts that
//!   neither the linear model nor `w` was trained on: it is the stack and
//!   the calibration at once, as length-aware as the linear judge's.
//! * The score follows from P(favourable) with the linear model's score
//!   fit (`calib.rs`): 60 exactly where P(favourable) is 0.5.
//!
//! The file is plain text (`model/encoder-head-en.tsv`): one `key<TAB>value`
//! line each, `#` comments. It names the encoder weights it was trained
//! over by their SHA-256, so that other weights of the same shape are
//! refused instead of read as noise.

use crate::calib::length;
use crate::model::sigmoid;

/// Parameter names of the stacked P(favourable): weights of
/// [`stack_inputs`], then the bias.
pub const STACK: [&str; 6] = [
    "stack.m", "stack.ml", "stack.e", "stack.el", "stack.l", "stack.b",
];

/// The inputs of the stacked P(favourable): `m`, `m·ℓ`, `e`, `e·ℓ`, `ℓ`.
pub fn stack_inputs(linear_margin: f64, embedding_margin: f64, words: u32) -> Vec<f64> {
    let l = length(words);
    vec![
        linear_margin,
        linear_margin * l,
        embedding_margin,
        embedding_margin * l,
        l,
    ]
}

/// A trained head (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct EncoderHead {
    /// The reader's name, recorded in every judgement it gives
    /// ("minilm-l6-en-v1").
    pub name: String,
    /// The linear model whose margins it stacks ("linear-en-v2").
    pub linear: String,
    /// SHA-256 (hex) of the `model.safetensors` it was trained over.
    pub weights_sha256: String,
    /// Tokens per window, and windows at most per text (see the encoder).
    pub window_tokens: usize,
    pub max_windows: usize,
    /// The longest text (in words read) the encoder reader reads: the
    /// lengths it was trained and calibrated on. Longer texts are read by
    /// the linear model alone.
    pub max_words: u32,
    /// The embedding head.
    pub weights: Vec<f32>,
    pub bias: f32,
    /// The stack's parameters, by the names of [`STACK`].
    pub params: Vec<(String, f64)>,
    /// Free-text lines kept as comments (what it was trained on).
    pub notes: Vec<String>,
}

/// Why a head file was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("encoder head, line {line}: {reason}")]
pub struct HeadError {
    pub line: usize,
    pub reason: String,
}

impl EncoderHead {
    /// The embedding margin `w·x + b`; `None` when `x` has another size.
    pub fn embedding_margin(&self, x: &[f32]) -> Option<f64> {
        (x.len() == self.weights.len()).then(|| {
            self.weights
                .iter()
                .zip(x)
                .map(|(w, v)| f64::from(*w) * f64::from(*v))
                .sum::<f64>()
                + f64::from(self.bias)
        })
    }

    /// A stack parameter (0 when absent).
    pub fn param(&self, name: &str) -> f64 {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0.0, |(_, v)| *v)
    }

    /// The stacked, calibrated P(favourable).
    pub fn p_positive(&self, linear_margin: f64, embedding_margin: f64, words: u32) -> f64 {
        let z = stack_inputs(linear_margin, embedding_margin, words)
            .iter()
            .zip(STACK)
            .map(|(x, n)| x * self.param(n))
            .sum::<f64>()
            + self.param(STACK[5]);
        sigmoid(z)
    }

    /// The file's text.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from(
            "# Verdict encoder head: see crates/judge/src/encoder_head.rs.\n\
             # Written by `verdict-lab train encoder`; do not edit by hand.\n",
        );
        for n in &self.notes {
            out.push_str(&format!("# {n}\n"));
        }
        out.push_str(&format!("name\t{}\n", self.name));
        out.push_str(&format!("linear\t{}\n", self.linear));
        out.push_str(&format!("weights-sha256\t{}\n", self.weights_sha256));
        out.push_str(&format!("window-tokens\t{}\n", self.window_tokens));
        out.push_str(&format!("max-windows\t{}\n", self.max_windows));
        out.push_str(&format!("max-words\t{}\n", self.max_words));
        for (n, v) in &self.params {
            out.push_str(&format!("{n}\t{v:e}\n"));
        }
        out.push_str(&format!("bias\t{:e}\n", self.bias));
        let w: Vec<String> = self.weights.iter().map(|v| format!("{v:e}")).collect();
        out.push_str(&format!("weights\t{}\n", w.join(" ")));
        out
    }

    /// Reads [`EncoderHead::to_tsv`]'s text.
    pub fn from_tsv(text: &str) -> Result<EncoderHead, HeadError> {
        let mut head = EncoderHead {
            name: String::new(),
            linear: String::new(),
            weights_sha256: String::new(),
            window_tokens: 0,
            max_windows: 0,
            max_words: 0,
            weights: Vec::new(),
            bias: 0.0,
            params: Vec::new(),
            notes: Vec::new(),
        };
        let mut seen_bias = false;
        for (k, raw) in text.lines().enumerate() {
            let line = k + 1;
            let err = |reason: String| HeadError { line, reason };
            if let Some(note) = raw.strip_prefix('#') {
                let note = note.trim();
                if !note.starts_with("Verdict encoder head")
                    && !note.starts_with("Written by `verdict-lab")
                {
                    head.notes.push(note.to_string());
                }
                continue;
            }
            if raw.trim().is_empty() {
                continue;
            }
            let Some((key, value)) = raw.split_once('\t') else {
                return Err(err(format!("no tab in {:?}", clip(raw))));
            };
            let number = |v: &str| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| err(format!("{key}: not a number: {:?}", clip(v))))
            };
            match key {
                "name" => head.name = value.trim().to_string(),
                "linear" => head.linear = value.trim().to_string(),
                "weights-sha256" => head.weights_sha256 = value.trim().to_ascii_lowercase(),
                "window-tokens" => head.window_tokens = number(value)? as usize,
                "max-windows" => head.max_windows = number(value)? as usize,
                "max-words" => head.max_words = number(value)? as u32,
                "bias" => {
                    head.bias = number(value)? as f32;
                    seen_bias = true;
                }
                "weights" => {
                    head.weights = value
                        .split_ascii_whitespace()
                        .map(|v| number(v).map(|x| x as f32))
                        .collect::<Result<_, _>>()?;
                }
                k if STACK.contains(&k) => head.params.push((k.to_string(), number(value)?)),
                other => return Err(err(format!("unknown key {:?}", clip(other)))),
            }
        }
        let missing = |what: &str| HeadError {
            line: text.lines().count(),
            reason: format!("no {what}"),
        };
        if head.name.is_empty() {
            return Err(missing("name"));
        }
        if head.weights.is_empty() {
            return Err(missing("weights"));
        }
        if !seen_bias {
            return Err(missing("bias"));
        }
        if head.weights_sha256.len() != 64 {
            return Err(missing("weights-sha256 of 64 hex digits"));
        }
        if head.window_tokens < 8 || head.max_windows == 0 || head.max_words == 0 {
            return Err(missing(
                "window-tokens (≥ 8), max-windows (≥ 1) and max-words (≥ 1)",
            ));
        }
        for n in STACK {
            if !head.params.iter().any(|(k, _)| k == n) {
                return Err(missing(n));
            }
        }
        Ok(head)
    }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> EncoderHead {
        EncoderHead {
            name: "minilm-test".into(),
            linear: "linear-en-v2".into(),
            weights_sha256: "ab".repeat(32),
            window_tokens: 128,
            max_windows: 4,
            max_words: 80,
            weights: vec![0.5, -1.25, 3.0e-7],
            bias: -0.1,
            params: STACK
                .iter()
                .zip([1.0, 0.1, 2.0, -0.2, 0.3, -0.05])
                .map(|(n, v)| (n.to_string(), v))
                .collect(),
            notes: vec!["trained on a test".into()],
        }
    }

    #[test]
    fn a_head_reads_back_what_it_wrote() {
        let h = head();
        assert_eq!(EncoderHead::from_tsv(&h.to_tsv()).unwrap(), h);
    }

    #[test]
    fn the_stack_weighs_both_margins() {
        let h = head();
        let p0 = h.p_positive(0.0, 0.0, 10);
        assert!(h.p_positive(1.0, 0.0, 10) > p0);
        assert!(h.p_positive(0.0, 1.0, 10) > p0);
        let e = h.embedding_margin(&[1.0, 0.0, 0.0]).unwrap();
        assert!((e - 0.4).abs() < 1e-6);
        assert_eq!(h.embedding_margin(&[1.0]), None);
    }

    #[test]
    fn bad_heads_are_refused_with_their_line() {
        let text = head().to_tsv();
        let broken = text.replace("stack.e\t", "stack.e\tx");
        let e = EncoderHead::from_tsv(&broken).unwrap_err();
        assert!(e.reason.contains("stack.e"), "{e}");
        let without = text
            .lines()
            .filter(|l| !l.starts_with("weights\t"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(EncoderHead::from_tsv(&without).is_err());
        assert!(EncoderHead::from_tsv("name\tx\nwhat\t1\n").is_err());
    }
}
