//! Page furniture that is not the review: comment forms, post navigation,
//! share prompts, repeated image alt text.
//!
//! Applies to every format, because text copied from a web page carries the
//! same furniture as the page.

use regex::Regex;
use std::sync::LazyLock;

/// Lines from which on nothing belongs to the review (the comment section).
static CUT_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:leave a (?:reply|comment)|post a comment|\d+ (?:comments?|responses?|thoughts? on)\b|comments are closed|join the discussion|add a comment|what do you think\?$)")
        .expect("cut")
});

/// Single lines that are furniture.
static DROP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?ix)^(?:
        previous\s+(?:post|article|review|entry)\b | next\s+(?:post|article|review|entry)\b |
        «\s*previous | next\s*» | older\s+posts? | newer\s+posts? |
        share\s+(?:this|on)\b | share:?$ | like\s+this:?$ | tweet$ | pin\s+it$ | email$ | print$ |
        related(?:\s+posts?|\s+articles?)?:?$ | you\s+(?:might|may)\s+(?:also\s+)?like\b | read\s+more\b |
        more\s+from\b | recommended\s+for\s+you | subscribe\b | sign\s+up\b | advertisement$ |
        your\s+email\s+address\s+will\s+not\s+be\s+published | required\s+fields\s+are\s+marked |
        posted\s+in\b | filed\s+under\b | tagged\b | tags:\s | categories:\s | skip\s+to\s+content |
        follow\s+us\b | copyright\b | ©
    )").expect("drop")
});

/// Why a line is furniture, if it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// The comment section starts here: drop this line and everything after.
    CommentsFrom,
    /// Navigation, sharing, subscription prompts.
    Line,
    /// The same line twice in a row: image alt text or a caption.
    Repeated,
}

/// Marks each line as furniture or not.
pub fn classify(lines: &[&str]) -> Vec<Option<Furniture>> {
    let mut out = vec![None; lines.len()];
    let mut cut = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if cut {
            out[i] = Some(Furniture::CommentsFrom);
            continue;
        }
        if CUT_FROM.is_match(t) {
            cut = true;
            out[i] = Some(Furniture::CommentsFrom);
        } else if DROP.is_match(t) {
            out[i] = Some(Furniture::Line);
        }
    }
    for i in 1..lines.len() {
        let (a, b) = (lines[i - 1].trim(), lines[i].trim());
        if a == b && a.chars().count() >= 12 {
            out[i - 1].get_or_insert(Furniture::Repeated);
            out[i].get_or_insert(Furniture::Repeated);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordpress_tail_is_dropped() {
        let lines = [
            "A review paragraph that matters.",
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "Previous post KINGDOM OF THE PLANET OF THE APES is Everything",
        ];
        let c = classify(&lines);
        assert_eq!(c[0], None);
        assert!(c[1..].iter().all(|x| *x == Some(Furniture::CommentsFrom)));
    }

    #[test]
    fn navigation_and_repeats() {
        let lines = [
            "Close-up of a woman's face, with vibrant lighting.",
            "Close-up of a woman's face, with vibrant lighting.",
            "3",
            "3",
            "Next post ONCE UPON A TIME IN AMERICA",
            "You might like",
            "Tagged drama, thriller",
            "A line about the film that stays.",
        ];
        let c = classify(&lines);
        assert_eq!(c[0], Some(Furniture::Repeated));
        assert_eq!(c[1], Some(Furniture::Repeated));
        assert_eq!(c[2], None, "short repeated lines are not alt text");
        assert_eq!(c[4], Some(Furniture::Line));
        assert_eq!(c[5], Some(Furniture::Line));
        assert_eq!(c[6], Some(Furniture::Line));
        assert_eq!(c[7], None);
    }
}
