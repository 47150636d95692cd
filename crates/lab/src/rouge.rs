//! ROUGE (Lin 2004), as the consensus benchmark scores a line against a
//! reference: lower-cased word tokens (runs of letters and digits), no
//! stemming, no stop words removed; F1 of the candidate's precision and
//! recall.
//!
//! - ROUGE-1: the unigram overlap Σ_w min(count_c(w), count_r(w)), over
//!   the candidate's length (P) and the reference's (R);
//! - ROUGE-L: the longest common subsequence of the two token sequences,
//!   over the candidate's length (P) and the reference's (R).
//!
//! F1 = 2PR / (P + R), 0 when either is 0.

use std::collections::HashMap;

/// Lower-cased runs of letters and digits.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn f1(overlap: usize, candidate: usize, reference: usize) -> f64 {
    if overlap == 0 || candidate == 0 || reference == 0 {
        return 0.0;
    }
    let p = overlap as f64 / candidate as f64;
    let r = overlap as f64 / reference as f64;
    2.0 * p * r / (p + r)
}

/// ROUGE-1 F1 of `candidate` against `reference`.
pub fn rouge_1(candidate: &str, reference: &str) -> f64 {
    let (c, r) = (tokens(candidate), tokens(reference));
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for w in &r {
        *counts.entry(w).or_default() += 1;
    }
    let mut overlap = 0;
    for w in &c {
        if let Some(n) = counts.get_mut(w.as_str())
            && *n > 0
        {
            *n -= 1;
            overlap += 1;
        }
    }
    f1(overlap, c.len(), r.len())
}

/// ROUGE-L F1 of `candidate` against `reference`.
pub fn rouge_l(candidate: &str, reference: &str) -> f64 {
    let (c, r) = (tokens(candidate), tokens(reference));
    f1(lcs(&c, &r), c.len(), r.len())
}

/// Length of the longest common subsequence (one row of the table at a
/// time).
pub fn lcs<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { up.max(row[j]) };
            diagonal = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Lin's example: 6 of the 7 reference words, all 6 candidate words.
        let reference = "the cat was found under the bed";
        let candidate = "the cat was under the bed";
        assert!((rouge_1(candidate, reference) - 12.0 / 13.0).abs() < 1e-12);
        assert!((rouge_l(candidate, reference) - 12.0 / 13.0).abs() < 1e-12);
        // The same words in another order: ROUGE-1 is perfect, ROUGE-L
        // keeps "the … was under the", 4 of 6.
        let swapped = "the bed was under the cat";
        assert_eq!(rouge_1(swapped, "the cat was under the bed"), 1.0);
        assert!((rouge_l(swapped, "the cat was under the bed") - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!(rouge_1("nothing shared", "the cat"), 0.0);
        assert_eq!(rouge_l("", "the cat"), 0.0);
        // Case and punctuation do not count; repeats count once each.
        assert_eq!(rouge_1("The CAT!", "the, cat"), 1.0);
        assert!((rouge_1("the the the", "the cat") - 0.4).abs() < 1e-12);
        assert_eq!(lcs(&[1, 2, 3, 4], &[2, 4, 3]), 2);
    }
}
