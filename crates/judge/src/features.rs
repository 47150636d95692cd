//! Text → hashed binary features.
//!
//! The same code serves training and inference, so a model and the text it
//! reads always agree on what a feature is. Everything here is deterministic
//! and independent of the platform: the hash is FNV-1a 64 written out below,
//! never `std`'s randomised hasher.

/// Feature family switches stored in the model file (one byte).
pub(crate) const FLAG_UNIGRAMS: u8 = 1;
pub(crate) const FLAG_BIGRAMS: u8 = 1 << 1;
pub(crate) const FLAG_NEGATION: u8 = 1 << 2;

/// Every flag this version of the crate knows how to compute.
pub(crate) const KNOWN_FLAGS: u8 = FLAG_UNIGRAMS | FLAG_BIGRAMS | FLAG_NEGATION;

/// What features to extract and into how many buckets to hash them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FeatureSpec {
    pub hash_bits: u8,
    pub flags: u8,
}

impl FeatureSpec {
    pub fn buckets(&self) -> usize {
        1usize << self.hash_bits
    }

    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a 64 over `bytes`, continuing from `state`.
pub(crate) fn fnv1a(mut state: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        state ^= b as u64;
        state = state.wrapping_mul(FNV_PRIME);
    }
    state
}

pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a(FNV_OFFSET, bytes)
}

// Namespaces keep the feature families apart in the hash space.
const NS_UNIGRAM: &[u8] = b"u\x1f";
const NS_NEGATED: &[u8] = b"n\x1f";
const NS_BIGRAM: &[u8] = b"b\x1f";

/// A piece of the token stream: a lowercased word, or a clause boundary
/// (punctuation or a line break) that ends a negation scope and a bigram run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    Word(String),
    Break,
}

/// Removes HTML/XML tags (`<br />`, `<span class="x">`), turning each into a
/// space. A `<` that does not open something tag-like is kept.
pub(crate) fn strip_tags(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('<') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let tag_like = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let close = if tag_like {
            after
                .char_indices()
                .take(400)
                .find(|&(_, c)| c == '>' || c == '<')
                .filter(|&(_, c)| c == '>')
                .map(|(i, _)| i)
        } else {
            None
        };
        match close {
            Some(end) => {
                out.push(' ');
                rest = &after[end + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}')
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '\n'
            | '('
            | ')'
            | '['
            | ']'
            | '"'
            | '\u{201c}'
            | '\u{201d}'
            | '\u{2026}'
            | '\u{2014}'
            | '\u{2013}'
    )
}

/// Splits `text` into lowercased word tokens and clause breaks.
///
/// A word is a run of alphanumeric characters; an apostrophe between two
/// of them stays inside the word (`isn't`, `director's`), and curly
/// apostrophes are read as `'`. Tags are removed first.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let text = strip_tags(text);
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
            continue;
        }
        if is_apostrophe(c) && !word.is_empty() && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            word.push('\'');
            continue;
        }
        if !word.is_empty() {
            tokens.push(Token::Word(std::mem::take(&mut word)));
        }
        if is_clause_break(c) && tokens.last().is_some_and(|t| *t != Token::Break) {
            tokens.push(Token::Break);
        }
    }
    if !word.is_empty() {
        tokens.push(Token::Word(word));
    }
    tokens
}

/// Whether `word` opens a negation scope ("not", "never", "isn't", "dont").
pub(crate) fn is_negator(word: &str) -> bool {
    matches!(
        word,
        "not"
            | "no"
            | "never"
            | "nor"
            | "none"
            | "nothing"
            | "nobody"
            | "neither"
            | "nowhere"
            | "cannot"
            | "without"
            | "dont"
            | "doesnt"
            | "didnt"
            | "isnt"
            | "wasnt"
            | "arent"
            | "werent"
            | "cant"
            | "couldnt"
            | "wouldnt"
            | "shouldnt"
            | "hasnt"
            | "havent"
    ) || word.ends_with("n't")
}

/// Appends the hashed bucket of every feature of `text` to `out`, then sorts
/// and deduplicates `out` (binary features: presence, not counts).
pub(crate) fn extract_into(text: &str, spec: &FeatureSpec, out: &mut Vec<u32>) {
    let mask = (spec.buckets() - 1) as u64;
    let bucket = |h: u64| ((h ^ (h >> 32)) & mask) as u32;
    let mut negated = false;
    let mut prev: Option<u64> = None; // hash state "b\x1f<prev word>\x1f"
    for token in tokenize(text) {
        match token {
            Token::Break => {
                negated = false;
                prev = None;
            }
            Token::Word(w) => {
                let bytes = w.as_bytes();
                if spec.has(FLAG_UNIGRAMS) {
                    let ns = if negated && spec.has(FLAG_NEGATION) {
                        NS_NEGATED
                    } else {
                        NS_UNIGRAM
                    };
                    out.push(bucket(fnv1a(fnv1a64(ns), bytes)));
                }
                if spec.has(FLAG_BIGRAMS) {
                    if let Some(state) = prev {
                        out.push(bucket(fnv1a(state, bytes)));
                    }
                    prev = Some(fnv1a(fnv1a(fnv1a64(NS_BIGRAM), bytes), b"\x1f"));
                }
                if is_negator(&w) {
                    negated = true;
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// The sorted, deduplicated feature buckets of `text`.
pub(crate) fn extract(text: &str, spec: &FeatureSpec) -> Vec<u32> {
    let mut out = Vec::new();
    extract_into(text, spec, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .map(|t| match t {
                Token::Word(w) => w,
                Token::Break => "|".to_string(),
            })
            .collect()
    }

    #[test]
    fn fnv_matches_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn tokenizer_keeps_inner_apostrophes_and_strips_tags() {
        assert_eq!(
            words("It isn’t <br />GOOD, the director's 'cut'."),
            ["it", "isn't", "good", "|", "the", "director's", "cut", "|"]
        );
        assert_eq!(
            words("a < b and <span class=\"x\">c</span>"),
            ["a", "b", "and", "c"]
        );
    }

    #[test]
    fn negation_marks_until_punctuation() {
        let spec = FeatureSpec {
            hash_bits: 20,
            flags: KNOWN_FLAGS,
        };
        let neg = extract("not good", &spec);
        let pos = extract("good", &spec);
        let after_break = extract("not. good", &spec);
        assert!(
            !neg.iter().any(|f| pos.contains(f)),
            "negated 'good' must not be the plain 'good'"
        );
        assert!(
            pos.iter().all(|f| after_break.contains(f)),
            "negation ends at punctuation"
        );
    }
}
