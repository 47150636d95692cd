//! The critics' consensus line: one or two sentences drawn from a film's
//! own reviews that say what most critics say, on the side most critics
//! took. Every rule and formula is in `docs/aggregation.md` ("The critics'
//! consensus"); in short:
//!
//! - a film needs [`MIN_REVIEWS`] judged reviews that count (neither
//!   unjudged nor superseded);
//! - the side is the film's % positive: favourable from 60, unfavourable
//!   below 40, mixed between ([`Side::of`]);
//! - candidates are the sentences of the counted reviews' own words
//!   ([`Voice::texts`]: never a passage the extractor marked as a quote);
//!   a sentence with three words or more inside quotation marks is someone
//!   else's and never a candidate;
//! - a candidate must agree with the side twice: its review counted on
//!   that side, and the judge's reading of the sentence alone
//!   (P(favourable) ≥ 0.5 for favourable, < 0.5 for unfavourable);
//! - its score is its centrality (the cosine of its TF-IDF vector to the
//!   centroid of the *other* reviews) times the judge's confidence bonus
//!   and penalties for length, lists and fragments;
//! - a second sentence, from another review, is added when it says
//!   something the first does not (low overlap), scores at least half as
//!   well and keeps the line within [`MAX_LINE_CHARS`]; for a mixed film
//!   the first sentence comes from the larger side and the second from the
//!   other.
//!
//! Deterministic: the same reviews in the same order give the same line.

use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;
use verdict_judge::{BulkReader, Judge};

/// A film needs this many judged, counted reviews for a consensus.
pub const MIN_REVIEWS: usize = 5;
/// The longest line, in characters (both sentences and the space between).
pub const MAX_LINE_CHARS: usize = 300;
/// A candidate has at least this many words…
pub const MIN_WORDS: usize = 4;
/// …and at most this many.
pub const MAX_WORDS: usize = 50;
/// Sentences of this many words or fewer (down to [`MIN_WORDS`]) and from
/// [`LONG_WORDS`] are penalised in proportion.
pub const SHORT_WORDS: usize = 8;
pub const LONG_WORDS: usize = 30;
/// The judge's confidence in the side, |2P − 1|, that a sentence needs
/// (P ≥ 0.6 or ≤ 0.4): a sentence read near 0.5 (a plot summary) states no
/// verdict. Only when no sentence reaches it is the first drawn from those
/// merely on the side.
pub const MIN_CONFIDENCE: f64 = 0.2;
/// Weight of the judge's confidence in the side: score × (1 + w · |2P − 1|).
pub const CONFIDENCE_WEIGHT: f64 = 1.0;
/// The second sentence scores at least this share of the first's…
pub const SECOND_MIN_SHARE: f64 = 0.5;
/// …and its TF-IDF cosine to the first is below this.
pub const SECOND_MAX_OVERLAP: f64 = 0.2;
/// Words inside quotation marks that make a sentence someone else's.
pub const QUOTED_WORDS: usize = 3;

/// One review as the consensus reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Voice<'a> {
    /// The review's id: each sentence of the line links to it.
    pub review_id: i64,
    /// The critic's own words: an export row's pull quote, a document's
    /// passages but its quotes (or the judge's evidence sentences when the
    /// passages were not kept).
    pub texts: Vec<&'a str>,
    /// Counted in the film's numbers and judged: neither superseded nor
    /// unjudged. Only such reviews are read.
    pub counted: bool,
    /// The side the review counts on for % positive (its label, rating or
    /// reading: [`crate::Counted::favourable`]).
    pub favourable: Option<bool>,
}

/// The majority verdict the line speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Favourable,
    Mixed,
    Unfavourable,
}

impl Side {
    /// Favourable from 60 % positive, unfavourable below 40 %, mixed
    /// between (the Tomatometer's fresh line, and its mirror).
    pub fn of(positive_percent: f64) -> Side {
        if positive_percent >= 60.0 {
            Side::Favourable
        } else if positive_percent < 40.0 {
            Side::Unfavourable
        } else {
            Side::Mixed
        }
    }
}

/// `consensus.sentences[]` in the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    pub text: String,
    pub review_id: i64,
}

/// `consensus` in the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consensus {
    /// The line: the sentences joined by a space.
    pub text: String,
    /// The side it speaks for.
    pub side: Side,
    pub sentences: Vec<Sentence>,
}

/// The film's consensus line, or `None` when fewer than [`MIN_REVIEWS`]
/// judged reviews count, % positive is unknown, or no sentence qualifies.
pub fn consensus(
    voices: &[Voice<'_>],
    positive_percent: Option<f64>,
    title: &str,
) -> Option<Consensus> {
    let percent = positive_percent.filter(|p| p.is_finite())?;
    if voices.iter().filter(|v| v.counted).count() < MIN_REVIEWS {
        return None;
    }
    let side = Side::of(percent);
    let pool = Pool::new(voices, title);
    let (first_side, second_side) = match side {
        Side::Favourable => (true, true),
        Side::Unfavourable => (false, false),
        Side::Mixed => (percent >= 50.0, percent < 50.0),
    };
    let first = pool.best(first_side, None)?;
    let second = pool.best(second_side, Some(first));
    let mut sentences = vec![pool.sentence(first.0)];
    sentences.extend(second.map(|(s, _)| pool.sentence(s)));
    let text = sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some(Consensus {
        text,
        side,
        sentences,
    })
}

/// The centroid baseline the lab measures the line against: the one
/// sentence of the counted reviews nearest the centroid of the other
/// reviews (the same centrality as the line's), whatever its side, length
/// or quotation marks.
pub fn centroid_sentence(voices: &[Voice<'_>], title: &str) -> Option<Sentence> {
    let pool = Pool::new(voices, title);
    let best = (0..pool.candidates.len())
        .filter(|&i| !pool.candidates[i].vector.is_empty())
        .max_by(|&a, &b| {
            pool.candidates[a]
                .centrality
                .total_cmp(&pool.candidates[b].centrality)
                .then(b.cmp(&a))
        })?;
    Some(pool.sentence(best))
}

/// The sentences of a text as the line draws them: tags removed, split at
/// line breaks and after `.`, `!`, `?` or `…` (with closing quotes or
/// brackets) followed by white space, except after an abbreviation or an
/// initial; white space collapsed.
pub fn sentences(text: &str) -> Vec<String> {
    let clean = strip_tags(text);
    verdict_judge::sentence_spans(&clean)
        .into_iter()
        .map(|(a, b)| collapse(&clean[a..b]))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The judge's P(favourable) of one sentence read alone.
pub fn polarity(text: &str) -> f64 {
    static READER: OnceLock<BulkReader<'static>> = OnceLock::new();
    READER
        .get_or_init(|| Judge::embedded().bulk_reader())
        .read(text)
        .p_positive
}

/// A sparse TF-IDF vector: (term, weight) sorted by term.
type Vector = Vec<(u32, f64)>;

struct Candidate {
    /// Index of its review among the voices.
    voice: usize,
    text: String,
    words: usize,
    quoted: bool,
    /// Its TF-IDF vector, unit length (empty without a content word).
    vector: Vector,
    content: Vec<u32>,
    /// Cosine to the centroid of the other reviews.
    centrality: f64,
    /// Penalties for length, lists and fragments (1 for none).
    shape: f64,
    /// The judge's P(favourable) of the sentence alone (read lazily).
    p: OnceLock<f64>,
}

struct Pool<'v, 'a> {
    voices: &'v [Voice<'a>],
    candidates: Vec<Candidate>,
}

impl<'v, 'a> Pool<'v, 'a> {
    fn new(voices: &'v [Voice<'a>], title: &str) -> Pool<'v, 'a> {
        let title_words: Vec<String> = verdict_core::title::fold(title)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let mut terms: HashMap<String, u32> = HashMap::new();
        let mut candidates = Vec::new();
        // Each counted review's term counts (sorted by term).
        let mut review_counts: Vec<(usize, Vec<(u32, f64)>)> = Vec::new();
        for (vi, voice) in voices.iter().enumerate().filter(|(_, v)| v.counted) {
            let mut counts: Vec<(u32, f64)> = Vec::new();
            for text in &voice.texts {
                let clean = strip_tags(text);
                let quotes = quoted_spans(&clean);
                for (a, b) in verdict_judge::sentence_spans(&clean) {
                    let raw = &clean[a..b];
                    let text = collapse(raw);
                    if text.is_empty() {
                        continue;
                    }
                    let quoted = quoted_words(raw, a, &quotes) >= QUOTED_WORDS;
                    let mut own: Vec<(u32, f64)> = Vec::new();
                    for token in tokens(&text, &title_words) {
                        let next = terms.len() as u32;
                        let id = *terms.entry(token).or_insert(next);
                        own.push((id, 1.0));
                    }
                    let own = merge(own);
                    if !quoted {
                        counts.extend(own.iter().copied());
                    }
                    candidates.push(Candidate {
                        voice: vi,
                        words: text.split_whitespace().count(),
                        shape: shape(&text),
                        text,
                        quoted,
                        content: own.iter().map(|&(t, _)| t).collect(),
                        vector: own,
                        centrality: 0.0,
                        p: OnceLock::new(),
                    });
                }
            }
            review_counts.push((vi, merge(counts)));
        }
        // Document frequency over the counted reviews.
        let mut df = vec![0u32; terms.len()];
        let mut n_docs = 0u32;
        for (_, counts) in &review_counts {
            if !counts.is_empty() {
                n_docs += 1;
            }
            for &(t, _) in counts {
                df[t as usize] += 1;
            }
        }
        let idf: Vec<f64> = df
            .iter()
            .map(|&d| ((1.0 + f64::from(n_docs)) / (1.0 + f64::from(d))).ln() + 1.0)
            .collect();
        let weigh =
            |v: &Vector| normalise(v.iter().map(|&(t, c)| (t, c * idf[t as usize])).collect());
        let reviews: HashMap<usize, Vector> = review_counts
            .iter()
            .map(|(vi, counts)| (*vi, weigh(counts)))
            .collect();
        // The sum of every review's unit vector, in the voices' order.
        let mut sum: Vector = Vec::new();
        for (vi, _) in &review_counts {
            sum = add(&sum, &reviews[vi], 1.0);
        }
        let sum_sq = dot(&sum, &sum);
        for c in &mut candidates {
            c.vector = weigh(&c.vector);
            let own = &reviews[&c.voice];
            // The centroid of the other reviews: sum − own (its length
            // from |sum|² − 2 sum·own + |own|²).
            let others_sq = sum_sq - 2.0 * dot(&sum, own) + dot(own, own);
            c.centrality = if others_sq > 1e-12 {
                (dot(&c.vector, &sum) - dot(&c.vector, own)) / others_sq.sqrt()
            } else {
                0.0
            };
        }
        Pool { voices, candidates }
    }

    fn sentence(&self, i: usize) -> Sentence {
        let c = &self.candidates[i];
        Sentence {
            text: c.text.clone(),
            review_id: self.voices[c.voice].review_id,
        }
    }

    fn p(&self, i: usize) -> f64 {
        let c = &self.candidates[i];
        *c.p.get_or_init(|| polarity(&c.text))
    }

    /// Whether a candidate may stand in the line at all.
    fn eligible(&self, i: usize) -> bool {
        let c = &self.candidates[i];
        !c.quoted
            && c.content.len() >= 2
            && (MIN_WORDS..=MAX_WORDS).contains(&c.words)
            && c.text.chars().count() <= MAX_LINE_CHARS
    }

    /// The candidate's score on `favourable`'s side, or `None` when the
    /// judge reads the sentence on the other side.
    fn score(&self, i: usize, favourable: bool, least: f64) -> Option<f64> {
        let c = &self.candidates[i];
        let p = self.p(i);
        let confidence = if favourable {
            2.0 * p - 1.0
        } else {
            1.0 - 2.0 * p
        };
        if confidence < least || (confidence == 0.0 && !favourable) {
            return None;
        }
        Some(
            c.centrality.max(0.0)
                * c.shape
                * length_factor(c.words)
                * (1.0 + CONFIDENCE_WEIGHT * confidence),
        )
    }

    /// The best candidate on `favourable`'s side, read with at least
    /// [`MIN_CONFIDENCE`]: from a review counted on that side when there is
    /// one, else from any review (and, failing both, with any confidence
    /// on the side). With `after` (the first sentence), only from a review
    /// on the side, another one, adding content, scoring at least
    /// [`SECOND_MIN_SHARE`] of it and fitting the line.
    fn best(&self, favourable: bool, after: Option<(usize, f64)>) -> Option<(usize, f64)> {
        let floor = after.map(|(_, s)| s * SECOND_MIN_SHARE);
        let after = after.map(|(f, _)| f);
        let fits = |i: usize| -> bool {
            let Some(f) = after else { return true };
            let (c, first) = (&self.candidates[i], &self.candidates[f]);
            if c.voice == first.voice || dot(&c.vector, &first.vector) >= SECOND_MAX_OVERLAP {
                return false;
            }
            let new_words = c
                .content
                .iter()
                .filter(|t| !first.content.contains(t))
                .count();
            new_words >= 3
                && first.text.chars().count() + 1 + c.text.chars().count() <= MAX_LINE_CHARS
        };
        let pick = |same_side_review: bool, least: f64| -> Option<(usize, f64)> {
            let mut best: Option<(f64, usize)> = None;
            for i in 0..self.candidates.len() {
                let voice = &self.voices[self.candidates[i].voice];
                if same_side_review && voice.favourable != Some(favourable) {
                    continue;
                }
                if !self.eligible(i) || !fits(i) {
                    continue;
                }
                let Some(s) = self.score(i, favourable, least) else {
                    continue;
                };
                if floor.is_some_and(|f| s < f) || s <= 0.0 {
                    continue;
                }
                // Ties go to the earlier sentence.
                if best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, i));
                }
            }
            best.map(|(s, i)| (i, s))
        };
        if after.is_some() {
            return pick(true, MIN_CONFIDENCE);
        }
        pick(true, MIN_CONFIDENCE)
            .or_else(|| pick(false, MIN_CONFIDENCE))
            .or_else(|| pick(true, 0.0))
            .or_else(|| pick(false, 0.0))
    }
}

/// Short and long sentences weigh less: w/8 below 8 words, 30/w above 30.
fn length_factor(words: usize) -> f64 {
    let w = words.max(1) as f64;
    if words < SHORT_WORDS {
        w / SHORT_WORDS as f64
    } else if words > LONG_WORDS {
        LONG_WORDS as f64 / w
    } else {
        1.0
    }
}

/// Penalties for a list (four commas or more; mostly capitalised words,
/// as a cast list), for a fragment (a pull quote cut at either end:
/// starting in lower case or with an ellipsis, ending without a full
/// stop, or with an ellipsis) and for a question.
fn shape(text: &str) -> f64 {
    let mut f = 1.0;
    if text.matches(',').count() >= 4 {
        f *= 0.6;
    }
    let words: Vec<&str> = text.split_whitespace().skip(1).collect();
    let capitals = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    if words.len() >= 4 && capitals * 5 > words.len() * 3 {
        f *= 0.6;
    }
    let first = text
        .chars()
        .find(|c| !matches!(c, '"' | '\'' | '“' | '‘' | '(' | '['));
    let starts_cut =
        text.starts_with("...") || text.starts_with('…') || first.is_some_and(char::is_lowercase);
    let end = text.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    let ends_cut = end.ends_with("...") || end.ends_with('…') || !end.ends_with(['.', '!', '?']);
    if starts_cut {
        f *= 0.8;
    }
    // A question states no verdict.
    if end.ends_with('?') {
        f *= 0.5;
    }
    if ends_cut {
        f *= 0.8;
    }
    f
}

/// Words that say nothing of a film's points: function words, and the
/// words every review uses.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "been", "before", "being", "both", "but", "by", "can", "could", "did", "do", "does",
    "doing", "down", "each", "even", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "itself", "just", "me", "more", "most", "much", "my", "no", "nor", "not", "now",
    "of", "off", "on", "once", "one", "only", "or", "other", "our", "out", "over", "own", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "would", "you", "your", "s", "t", "isn", "doesn", "don", "didn", "film", "films",
    "movie", "movies",
];

/// The content words of a sentence: folded (case and accents), without
/// stop words, one-letter words or the film's title words.
fn tokens(text: &str, title_words: &[String]) -> Vec<String> {
    verdict_core::title::fold(text)
        .split(' ')
        .filter(|w| w.chars().count() >= 2)
        .filter(|w| !STOPWORDS.contains(w) && !title_words.iter().any(|t| t == w))
        .map(str::to_string)
        .collect()
}

/// Sums the weights of equal terms; sorted by term.
fn merge(mut v: Vec<(u32, f64)>) -> Vec<(u32, f64)> {
    v.sort_by_key(|&(t, _)| t);
    let mut out: Vec<(u32, f64)> = Vec::with_capacity(v.len());
    for (t, w) in v {
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 += w,
            _ => out.push((t, w)),
        }
    }
    out
}

fn normalise(v: Vector) -> Vector {
    let norm = dot(&v, &v).sqrt();
    if norm <= 0.0 {
        return Vec::new();
    }
    v.into_iter().map(|(t, w)| (t, w / norm)).collect()
}

fn dot(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// a + k·b.
fn add(a: &Vector, b: &Vector, k: f64) -> Vector {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j >= b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i >= a.len() || b[j].0 < a[i].0 {
            out.push((b[j].0, k * b[j].1));
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + k * b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}

/// Removes HTML-like tags (`<i>`, `</b>`, `<br/>`): a `<` followed by a
/// letter or `/` up to the next `>` within 200 bytes; a line break, a
/// paragraph or a block quote's tag becomes a line break.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/');
        let close = after.find('>').filter(|&e| e <= 200);
        match (tag, close) {
            (true, Some(e)) => {
                out.push_str(&rest[..at]);
                // A tag that breaks the text breaks a sentence.
                let name: String = after[..e]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if matches!(
                    name.as_str(),
                    "br" | "p" | "div" | "li" | "blockquote" | "hr"
                ) {
                    out.push('\n');
                }
                rest = &after[e + 1..];
            }
            _ => {
                out.push_str(&rest[..=at]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte ranges of `text` inside quotation marks: straight double quotes
/// (each one toggles), “…”, «…», and ‘…’ where ‘ opens a word and ’ ends
/// one. A quotation never closed runs to the end of the text.
fn quoted_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let boundary_before = prev.is_none_or(|p| !p.is_alphanumeric());
        let boundary_after = next.is_none_or(|n| !n.is_alphanumeric());
        match (open, c) {
            (None, '"' | '\u{201c}' | '«') => open = Some((i + c.len_utf8(), c)),
            (None, '\u{2018}') if boundary_before => open = Some((i + c.len_utf8(), c)),
            (Some((start, '"')), '"')
            | (Some((start, '\u{201c}')), '\u{201d}')
            | (Some((start, '«')), '»') => {
                spans.push((start, i));
                open = None;
            }
            (Some((start, '\u{2018}')), '\u{2019}') if boundary_after => {
                spans.push((start, i));
                open = None;
            }
            _ => {}
        }
        prev = Some(c);
    }
    if let Some((start, _)) = open {
        spans.push((start, text.len()));
    }
    spans
}

/// How many words of the sentence at `offset` lie inside `spans`.
fn quoted_words(sentence: &str, offset: usize, spans: &[(usize, usize)]) -> usize {
    let mut n = 0;
    let mut at = 0;
    for word in sentence.split_whitespace() {
        let start = offset + at + sentence[at..].find(word).unwrap_or(0);
        at = start - offset + word.len();
        let end = start + word.len();
        if word.chars().any(char::is_alphanumeric)
            && spans.iter().any(|&(a, b)| a < end && start < b)
        {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice(id: i64, text: &'static str, favourable: bool) -> Voice<'static> {
        Voice {
            review_id: id,
            texts: vec![text],
            counted: true,
            favourable: Some(favourable),
        }
    }

    /// Five favourable reviews that praise the performances and the
    /// score, and one unfavourable.
    fn liked() -> Vec<Voice<'static>> {
        vec![
            voice(
                1,
                "The performances are superb and the score is haunting. I laughed twice.",
                true,
            ),
            voice(
                2,
                "A haunting score and superb performances make this a wonderful, moving drama.",
                true,
            ),
            voice(
                3,
                "\"The best film of the decade, a triumph of haunting performances,\" said my neighbour. The lead actress gives superb, moving performances throughout.",
                true,
            ),
            voice(
                4,
                "Beautifully shot, with a haunting score that lingers long after the credits.",
                true,
            ),
            voice(
                5,
                "Moving performances and a superb, haunting score: a wonderful achievement.",
                true,
            ),
            voice(
                6,
                "A dull, tedious mess with wooden performances and a forgettable score.",
                false,
            ),
        ]
    }

    fn texts_of(voices: &[Voice<'_>]) -> Vec<(i64, Vec<String>)> {
        voices
            .iter()
            .map(|v| {
                (
                    v.review_id,
                    v.texts.iter().flat_map(|t| sentences(t)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn draws_real_sentences_linked_to_their_reviews() {
        let voices = liked();
        let c = consensus(&voices, Some(83.0), "Red Rooms").expect("a line");
        assert_eq!(c.side, Side::Favourable);
        assert!(!c.sentences.is_empty() && c.sentences.len() <= 2);
        assert!(c.text.chars().count() <= MAX_LINE_CHARS);
        let texts = texts_of(&voices);
        for s in &c.sentences {
            let (_, own) = texts.iter().find(|(id, _)| *id == s.review_id).unwrap();
            assert!(
                own.contains(&s.text),
                "{s:?} is not a sentence of its review"
            );
        }
        if let [a, b] = &c.sentences[..] {
            assert_ne!(a.review_id, b.review_id);
        }
    }

    #[test]
    fn picks_the_majority_side() {
        let voices = liked();
        let c = consensus(&voices, Some(83.0), "Red Rooms").unwrap();
        assert!(c.sentences.iter().all(|s| s.review_id != 6), "{c:?}");
        for s in &c.sentences {
            assert!(polarity(&s.text) >= 0.5, "{s:?}");
        }
        // The same reviews, most of them unfavourable.
        let voices = vec![
            voice(
                1,
                "A dull, tedious mess with wooden performances and a forgettable score.",
                false,
            ),
            voice(
                2,
                "Tedious and dull, its wooden performances sink a forgettable, lifeless script.",
                false,
            ),
            voice(
                3,
                "The script is lifeless and the performances wooden; a tedious slog.",
                false,
            ),
            voice(
                4,
                "A forgettable, boring drama with a lifeless script.",
                false,
            ),
            voice(
                5,
                "Wooden, dull and far too long, a tedious waste of a fine cast.",
                false,
            ),
            voice(
                6,
                "The performances are superb and the score is haunting, a wonderful drama.",
                true,
            ),
        ];
        let c = consensus(&voices, Some(16.7), "Red Rooms").unwrap();
        assert_eq!(c.side, Side::Unfavourable);
        assert!(c.sentences.iter().all(|s| s.review_id != 6), "{c:?}");
        for s in &c.sentences {
            assert!(polarity(&s.text) < 0.5, "{s:?}");
        }
    }

    #[test]
    fn never_picks_a_quoted_sentence() {
        // The most central sentence of all is a quotation.
        let quote = "\"Superb performances, a haunting score, a wonderful and moving drama.\"";
        let voices: Vec<Voice<'static>> = vec![
            voice(1, quote, true),
            voice(
                2,
                "“Superb performances and a haunting score,” the festival's jury wrote.",
                true,
            ),
            voice(
                3,
                "Superb performances and a haunting score make a moving drama.",
                true,
            ),
            voice(4, "A wonderful drama, moving and superb.", true),
            voice(5, "The haunting score is wonderful.", true),
        ];
        let c = consensus(&voices, Some(100.0), "Red Rooms").unwrap();
        for s in &c.sentences {
            assert!(!s.text.contains('"') && !s.text.contains('“'), "{s:?}");
            assert!(s.review_id >= 3, "{s:?}");
        }
        assert!(quoted_spans(quote).len() == 1);
    }

    #[test]
    fn needs_five_judged_reviews() {
        let mut voices = liked();
        voices.truncate(5);
        assert!(consensus(&voices, Some(100.0), "Red Rooms").is_some());
        // An unjudged or superseded review does not count.
        voices[4].counted = false;
        assert!(consensus(&voices, Some(100.0), "Red Rooms").is_none());
        voices.truncate(4);
        assert!(consensus(&voices, Some(100.0), "Red Rooms").is_none());
        assert!(consensus(&liked(), None, "Red Rooms").is_none());
    }

    #[test]
    fn uncounted_reviews_give_no_sentence() {
        let mut voices = liked();
        voices.push(voice(
            7,
            "Superb performances and a haunting, moving, wonderful score.",
            true,
        ));
        voices[6].counted = false;
        let c = consensus(&voices, Some(83.0), "Red Rooms").unwrap();
        assert!(c.sentences.iter().all(|s| s.review_id != 7));
    }

    #[test]
    fn is_deterministic() {
        let voices = liked();
        let a = consensus(&voices, Some(83.0), "Red Rooms");
        for _ in 0..5 {
            assert_eq!(consensus(&voices, Some(83.0), "Red Rooms"), a);
        }
    }

    #[test]
    fn a_mixed_film_speaks_for_both_sides() {
        let voices = vec![
            voice(
                1,
                "The performances are superb and the score is haunting.",
                true,
            ),
            voice(
                2,
                "Superb performances and a wonderful, haunting score.",
                true,
            ),
            voice(3, "A moving drama with superb performances.", true),
            voice(
                4,
                "The plot is a tedious, dull mess that drags on forever.",
                false,
            ),
            voice(5, "A dull plot and a tedious last hour sink it.", false),
        ];
        let c = consensus(&voices, Some(50.0), "Red Rooms").unwrap();
        assert_eq!(c.side, Side::Mixed);
        assert_eq!(Side::of(59.9), Side::Mixed);
        assert_eq!(Side::of(60.0), Side::Favourable);
        assert_eq!(Side::of(39.9), Side::Unfavourable);
        assert!(polarity(&c.sentences[0].text) >= 0.5, "{c:?}");
    }

    #[test]
    fn title_only_and_list_sentences_are_not_drawn() {
        let voices = vec![
            voice(
                1,
                "Red Rooms, Red Rooms, Red Rooms. A superb and haunting thriller.",
                true,
            ),
            voice(2, "A superb, haunting thriller with a chilling lead.", true),
            voice(3, "A haunting thriller, superb and chilling.", true),
            voice(4, "Chilling and superb.", true),
            voice(5, "The haunting lead performance is superb.", true),
        ];
        let c = consensus(&voices, Some(100.0), "Red Rooms").unwrap();
        assert!(
            c.sentences.iter().all(|s| !s.text.starts_with("Red Rooms")),
            "{c:?}"
        );
    }

    #[test]
    fn splits_sentences_and_finds_quotes() {
        assert_eq!(
            sentences("It is <i>great</i>. Mr. Smith agrees!  \"Really?\" Yes…\nNew line"),
            [
                "It is great.",
                "Mr. Smith agrees!",
                "\"Really?\"",
                "Yes…",
                "New line"
            ]
        );
        let text = "He said “this is a long quoted line” and left. It's ‘fine’ here.";
        let spans = quoted_spans(text);
        assert_eq!(spans.len(), 2);
        assert_eq!(&text[spans[0].0..spans[0].1], "this is a long quoted line");
        assert_eq!(quoted_words(text, 0, &spans), 7);
    }
}
