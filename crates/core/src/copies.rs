//! Syndicated copies: the same review at several addresses (a critic's
//! blog and an outlet that reprints it, each page with its own furniture).
//!
//! A review's extracted main text is summarised by a MinHash signature
//! over its word shingles; two texts whose signatures agree on at least
//! [`THRESHOLD`] of their slots are near-duplicates: the same review. The
//! store keeps each review's signature and compares a new review's with
//! those of the reviews of the same film only (see `docs/aggregation.md`,
//! "One review, several addresses", for the method and its measurement).
//!
//! - **Words**: the text [`fold`]ed (NFKD, marks removed, lower case),
//!   split on every run of non-alphanumerics: furniture's punctuation and
//!   case never matter.
//! - **Shingles**: every run of [`SHINGLE_WORDS`] consecutive words, as a
//!   set.
//! - **Signature**: for each of [`HASHES`] hash functions, the least hash
//!   of the text's shingles. The share of slots where two signatures agree
//!   estimates the Jaccard similarity of their shingle sets (|A ∩ B| /
//!   |A ∪ B|), with a standard error of √(J(1 − J)/128): 0.041 at 0.7.
//! - **Short texts are never compared**: a text of fewer than
//!   [`MIN_WORDS`] words (a pull quote, a one-line verdict) has no
//!   signature. Two critics may well write the same short line; only a
//!   whole review is evidence of a copy.
//!
//! The hashes are fixed here (FNV-1a of the shingle, then one
//! SplitMix64 finalisation per slot with a seed of its own), so a
//! signature stored by one build is compared with one computed by another.

use crate::title::fold;

/// Words per shingle: five words in a row are rare enough to be a
/// writer's own, and short enough that an extraction's edits (a caption
/// kept, a last paragraph cut) touch few of them.
pub const SHINGLE_WORDS: usize = 5;

/// Hash functions (slots) per signature.
pub const HASHES: usize = 128;

/// Texts shorter than this many words get no signature and are never
/// merged (one-line pull quotes, capsule verdicts).
pub const MIN_WORDS: usize = 50;

/// Only a text's first this many words are shingled: a review is far
/// shorter, and a page's cost stays bounded whatever its size (128
/// hashes a shingle).
pub const MAX_WORDS: usize = 10_000;

/// The estimated Jaccard similarity of two texts' shingles from which they
/// are one review. Measured (`verdict-lab copies`): different writers'
/// reviews of a film and different pages stay at or under 0.57 (the worst:
/// two reviews in one site's page whose extraction kept 600 words of its
/// furniture), re-hosted copies average 0.94; where an extraction keeps a
/// page's furniture the copy's similarity falls. 0.7 is three standard
/// errors above the worst different pair: a missed copy counts a review
/// twice, a false merge loses one, and the second is worse.
pub const THRESHOLD: f64 = 0.7;

/// A text's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; HASHES]);

impl Signature {
    /// The signature of a text's main body, or `None` when it is shorter
    /// than [`MIN_WORDS`] words.
    pub fn of(text: &str) -> Option<Signature> {
        let words = words(text);
        if words.len() < MIN_WORDS {
            return None;
        }
        let mut slots = [u32::MAX; HASHES];
        for shingle in shingle_hashes(&words) {
            for (slot, seed) in slots.iter_mut().zip(SEEDS.iter()) {
                let h = (mix(shingle ^ seed) >> 32) as u32;
                if h < *slot {
                    *slot = h;
                }
            }
        }
        Some(Signature(slots))
    }

    /// The estimated Jaccard similarity of the two texts' shingles: the
    /// share of slots where the signatures agree.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / HASHES as f64
    }

    /// Whether the two texts are one review's.
    pub fn matches(&self, other: &Signature) -> bool {
        self.similarity(other) >= THRESHOLD
    }

    /// As stored: 8 hex digits a slot, 1,024 in all.
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(HASHES * 8);
        for v in &self.0 {
            s.push_str(&format!("{v:08x}"));
        }
        s
    }

    /// Reads a stored signature back; `None` when it is not one.
    pub fn from_hex(s: &str) -> Option<Signature> {
        if s.len() != HASHES * 8 || !s.is_ascii() {
            return None;
        }
        let mut slots = [0u32; HASHES];
        for (i, slot) in slots.iter_mut().enumerate() {
            *slot = u32::from_str_radix(&s[i * 8..i * 8 + 8], 16).ok()?;
        }
        Some(Signature(slots))
    }
}

/// Whether two reviews name different critics (case, accents and
/// punctuation folded): then they are never one review, however alike
/// their texts. A review without a critic names none.
pub fn critics_differ(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.map(fold), b.map(fold)) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => a != b,
        _ => false,
    }
}

/// The words of a text, as shingles read them (at most [`MAX_WORDS`]).
pub fn words(text: &str) -> Vec<String> {
    // a word is at most a few dozen bytes: fold no more than the words read
    let mut end = text.len().min(MAX_WORDS * 64);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    fold(&text[..end])
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(str::to_owned)
        .collect()
}

/// The exact Jaccard similarity of two texts' shingle sets (what a
/// signature estimates; for measuring it).
pub fn jaccard(a: &str, b: &str) -> f64 {
    use std::collections::HashSet;
    let a: HashSet<u64> = shingle_hashes(&words(a)).collect();
    let b: HashSet<u64> = shingle_hashes(&words(b)).collect();
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// Each shingle's FNV-1a hash (the words joined by one space).
fn shingle_hashes(words: &[String]) -> impl Iterator<Item = u64> + '_ {
    words
        .windows(SHINGLE_WORDS.min(words.len().max(1)))
        .map(|w| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for (i, word) in w.iter().enumerate() {
                if i > 0 {
                    h ^= u64::from(b' ');
                    h = h.wrapping_mul(0x0000_0100_0000_01b3);
                }
                for b in word.bytes() {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(0x0000_0100_0000_01b3);
                }
            }
            h
        })
}

/// SplitMix64's finaliser: every input bit moves every output bit.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One seed per slot: SplitMix64's sequence from 0.
const SEEDS: [u64; HASHES] = {
    let mut seeds = [0u64; HASHES];
    let mut i = 0;
    while i < HASHES {
        seeds[i] = mix((i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        i += 1;
    }
    seeds
};

#[cfg(test)]
mod tests {
    use super::*;

    /// A text of `n` distinct words, from `start`.
    fn text(start: usize, n: usize) -> String {
        (start..start + n)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_signature_is_deterministic_and_survives_storage() {
        let t = text(0, 200);
        let a = Signature::of(&t).unwrap();
        assert_eq!(a, Signature::of(&t).unwrap());
        assert_eq!(Signature::from_hex(&a.to_hex()), Some(a.clone()));
        assert_eq!(a.to_hex().len(), 1024);
        assert_eq!(Signature::from_hex("zz"), None);
        // fixed hashes: the same text gives the same first slot on every build
        let fixed = Signature::of(&text(0, 60)).unwrap();
        assert_eq!(fixed, Signature::of(&text(0, 60)).unwrap());
    }

    #[test]
    fn case_punctuation_and_accents_do_not_matter() {
        let t = text(0, 80);
        let shouted = format!("{}!!", t.to_uppercase().replace(' ', ", "));
        let a = Signature::of(&t).unwrap();
        assert_eq!(a.similarity(&Signature::of(&shouted).unwrap()), 1.0);
        assert_eq!(
            words("Café, CAFE — café!"),
            vec!["cafe".to_string(), "cafe".into(), "cafe".into()]
        );
    }

    #[test]
    fn short_texts_have_no_signature() {
        assert!(Signature::of(&text(0, MIN_WORDS - 1)).is_none());
        assert!(Signature::of(&text(0, MIN_WORDS)).is_some());
        assert!(Signature::of("A triumph. Go see it.").is_none());
    }

    /// Known overlaps: texts of 1,000 words sharing a run of words have
    /// shingle sets whose Jaccard similarity is known exactly; the
    /// estimate is within four standard errors of it.
    #[test]
    fn estimates_are_within_tolerance_of_the_jaccard_similarity() {
        for shift in [0, 50, 200, 333, 500, 800, 1000] {
            let a = text(0, 1000);
            let b = text(shift, 1000);
            let exact = jaccard(&a, &b);
            let shingles = (1000 - SHINGLE_WORDS + 1) as f64;
            let common = (shingles - shift as f64).max(0.0);
            let expected = common / (2.0 * shingles - common);
            assert!(
                (exact - expected).abs() < 1e-9,
                "{shift}: {exact} {expected}"
            );
            let estimate = Signature::of(&a)
                .unwrap()
                .similarity(&Signature::of(&b).unwrap());
            let se = (expected * (1.0 - expected) / HASHES as f64).sqrt();
            assert!(
                (estimate - expected).abs() <= 4.0 * se + 1e-9,
                "shift {shift}: estimate {estimate}, exact {expected}"
            );
        }
    }

    #[test]
    fn a_copy_with_furniture_matches_and_another_text_does_not() {
        let body = text(0, 400);
        let furnished = format!("Share this. Subscribe now. {body} Comments (3). Related posts.");
        let a = Signature::of(&body).unwrap();
        assert!(a.matches(&Signature::of(&furnished).unwrap()));
        assert!(!a.matches(&Signature::of(&text(10_000, 400)).unwrap()));
    }

    #[test]
    fn a_huge_text_is_read_to_a_bound() {
        let huge = text(0, MAX_WORDS * 3);
        assert_eq!(words(&huge).len(), MAX_WORDS);
        // its signature is its first MAX_WORDS words'
        assert_eq!(Signature::of(&huge), Signature::of(&text(0, MAX_WORDS)));
    }

    #[test]
    fn critics_differ_only_when_both_are_named() {
        assert!(critics_differ(Some("Jane Doe"), Some("John Roe")));
        assert!(!critics_differ(Some("Jane Doe"), Some("jane  DOE")));
        assert!(!critics_differ(Some("Jane Doe"), None));
        assert!(!critics_differ(None, None));
        assert!(!critics_differ(Some(""), Some("John Roe")));
    }
}
