//! The scale each outlet and critic writes on, learned while an export is
//! read ([`verdict_rating::ScaleBook`]), for the ratings that do not say it
//! ("8", "★★★").
//!
//! The book learns from the ratings read so far: in a file sorted by film,
//! an outlet's first bare numbers may come before the ratings that show its
//! scale, and are then read with the rating reader's own guess (confidence
//! low, as the stored rating says).

use verdict_rating::{Reading, ScaleBook, ScaleHint};

/// Learns scales row by row.
#[derive(Debug, Default)]
pub(crate) struct Hints {
    book: ScaleBook,
}

fn is_star(c: char) -> bool {
    matches!(c, '*' | '★' | '☆' | '½' | '⭐' | '✭' | '✮' | '✩')
}

/// Whether a rating can teach a scale: it holds a number or stars (letter
/// grades and words say nothing about a scale).
fn teaches(raw: &str) -> bool {
    raw.chars().any(|c| c.is_ascii_digit() || is_star(c))
}

/// Whether a rating leaves its scale unwritten: a bare number ("8",
/// " 3.5 ") or stars with no best ("★★★", "***½").
fn needs_hint(raw: &str) -> bool {
    let t = raw.trim();
    !t.is_empty()
        && (t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | ' '))
            || t.chars().all(|c| is_star(c) || c == ' '))
}

/// How to read a row's rating, as [`Hints::observe`] found it.
#[derive(Debug, Default)]
pub(crate) struct Observed {
    /// The hint to read it with: its scale is unwritten and known.
    pub hint: Option<ScaleHint>,
    /// Its reading with no hint, made to learn from it; `None` when a hint
    /// applies (the rating is read again with it) or it teaches nothing.
    pub reading: Option<Reading>,
}

impl Hints {
    /// Notes one rating an outlet's critic wrote and says how to read it:
    /// with the hint learned for its critic or outlet, when it needs one and
    /// one is known; or as already read.
    pub(crate) fn observe(
        &mut self,
        outlet: Option<&str>,
        critic: Option<&str>,
        raw: &str,
    ) -> Observed {
        let reading = teaches(raw).then(|| self.book.observe(outlet, critic, raw));
        let hint = if needs_hint(raw) {
            self.book.hint(outlet, critic).map(|l| l.hint)
        } else {
            None
        };
        Observed {
            reading: reading.filter(|_| hint.is_none()),
            hint,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_ratings_need_a_hint() {
        assert!(needs_hint("8"));
        assert!(needs_hint(" 3.5 "));
        assert!(needs_hint("★★★"));
        assert!(!needs_hint("3/5"));
        assert!(!needs_hint("B+"));
        assert!(!needs_hint(""));
        assert!(teaches("3/5"));
        assert!(!teaches("B+"));
    }

    #[test]
    fn an_outlet_writing_fifths_reads_a_bare_four_as_four_fifths() {
        let mut h = Hints::default();
        let first = h.observe(Some("Paper"), Some("Ann"), "3/5");
        assert_eq!(first.hint, None);
        // Read once, to learn from it: the reading is handed on.
        assert_eq!(first.reading, Some(verdict_rating::read("3/5")));
        let _ = h.observe(Some("Paper"), Some("Ann"), "4.5/5");
        let four = h.observe(Some("Paper"), Some("Bob"), "4");
        assert_eq!(four.hint.unwrap().best, Some(5.0));
        // A hint applies: the reading without it is not handed on.
        assert_eq!(four.reading, None);
        // A letter grade teaches nothing: not read here.
        assert_eq!(h.observe(Some("Paper"), Some("Ann"), "B+").reading, None);
    }
}
