//! The published word table: the recommendation words critics write in
//! place of a mark ("Recommended", "Skip it", "Must see"), each with the
//! 0–100 score Verdict gives it. The table is the whole rule: a word that
//! is not in it is refused, never guessed. `docs/scales.md` lists the same
//! rows, and a test checks that the two agree.

/// One row of the word table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordRow {
    /// The phrase as the table writes it. Matching ignores case, hyphens
    /// and dots, surrounding punctuation and repeated spaces
    /// ("MUST-SEE!", "G.O.A.T").
    pub phrase: &'static str,
    /// The score the phrase is read as.
    pub score: f64,
}

const fn row(phrase: &'static str, score: f64) -> WordRow {
    WordRow { phrase, score }
}

/// Five steps, the way recommendation scales are published (DVD Talk's
/// "Highly Recommended / Recommended / Rent It / Skip It", Decider's
/// "Stream It / Skip It"): the top (100), strongly for (90), for (80),
/// mildly for (60), mixed (50), against (25), strongly against (0).
pub const WORD_TABLE: &[WordRow] = &[
    row("Must see", 100.0),
    row("Must watch", 100.0),
    row("Essential", 100.0),
    row("G.O.A.T", 100.0),
    row("Highly recommended", 90.0),
    row("Strongly recommended", 90.0),
    row("Recommended", 80.0),
    row("See it", 80.0),
    row("Go see it", 80.0),
    row("Worth seeing", 80.0),
    row("Worth watching", 80.0),
    row("Big screen watch", 80.0),
    row("Stream it", 80.0),
    row("Thumbs up", 80.0),
    row("Worth a look", 60.0),
    row("Worth a watch", 60.0),
    row("Mildly recommended", 60.0),
    row("Rent it", 60.0),
    row("Mixed", 50.0),
    row("So-so", 50.0),
    row("Not recommended", 25.0),
    row("Skip it", 25.0),
    row("Skip", 25.0),
    row("Thumbs down", 25.0),
    row("Don't bother", 25.0),
    row("Not worth it", 25.0),
    row("Avoid", 0.0),
    row("Avoid it", 0.0),
    row("Avoid at all costs", 0.0),
];

/// Words that look like a verdict but are refused, with the reason.
const REFUSED_WORDS: &[(&str, &str)] = &[
    (
        "fresh",
        "is Rotten Tomatoes' label for a review, not the critic's rating",
    ),
    (
        "rotten",
        "is Rotten Tomatoes' label for a review, not the critic's rating",
    ),
    (
        "certified fresh",
        "is Rotten Tomatoes' label for a film, not the critic's rating",
    ),
    (
        "full price",
        "is a price verdict (how much of a ticket the film is worth); where it sits between liking and not is not published, so it is not read",
    ),
    (
        "half price",
        "is a price verdict (how much of a ticket the film is worth); where it sits between liking and not is not published, so it is not read",
    ),
    (
        "matinee",
        "is a price verdict (how much of a ticket the film is worth); where it sits between liking and not is not published, so it is not read",
    ),
];

/// The form words are compared in: lower case, dots dropped, hyphens and
/// underscores as spaces, curly apostrophes straight, surrounding
/// punctuation trimmed, spaces collapsed.
pub(crate) fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '.' => {}
            '-' | '_' | '–' | '—' => out.push(' '),
            '’' | '‘' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.trim_matches(|c: char| c.is_whitespace() || matches!(c, '!' | '?' | ',' | ';' | ':'))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `s` may be a word of the tables at all: short, starting with
/// a letter (most ratings start with a digit, a star or a grade letter
/// followed by no letter).
fn wordlike(s: &str) -> bool {
    let s = s.trim_start();
    s.len() <= 64
        && s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars()
            .nth(1)
            .is_some_and(|c| c.is_alphabetic() || c == '.')
}

/// The table's phrases, normalised once.
fn normalised_table() -> &'static [String] {
    static TABLE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| WORD_TABLE.iter().map(|r| normalise(r.phrase)).collect())
}

/// The table row `s` is, when it is one.
pub(crate) fn lookup(s: &str) -> Option<&'static WordRow> {
    if !wordlike(s) {
        return None;
    }
    let n = normalise(s);
    normalised_table()
        .iter()
        .position(|p| *p == n)
        .map(|i| &WORD_TABLE[i])
}

/// Why `s` is refused, when it is a known non-rating verdict word.
pub(crate) fn refused(s: &str) -> Option<&'static str> {
    if !wordlike(s) {
        return None;
    }
    let n = normalise(s);
    REFUSED_WORDS
        .iter()
        .find(|(w, _)| *w == n)
        .map(|(_, reason)| *reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_distinct_after_normalising() {
        let mut seen = std::collections::HashSet::new();
        for r in WORD_TABLE {
            assert!(seen.insert(normalise(r.phrase)), "{} twice", r.phrase);
            assert!((0.0..=100.0).contains(&r.score));
        }
        for (w, _) in REFUSED_WORDS {
            assert!(!seen.contains(*w), "{w} is both read and refused");
        }
    }

    #[test]
    fn written_variants_match() {
        assert_eq!(lookup("MUST-SEE!").map(|r| r.score), Some(100.0));
        assert_eq!(lookup("G.O.A.T.").map(|r| r.score), Some(100.0));
        assert_eq!(lookup("goat").map(|r| r.score), Some(100.0));
        assert_eq!(lookup("  skip   it ").map(|r| r.score), Some(25.0));
        assert_eq!(lookup("Don’t bother").map(|r| r.score), Some(25.0));
        assert!(lookup("Recommended viewing for fans").is_none());
        assert!(refused("Half Price").is_some());
    }
}
