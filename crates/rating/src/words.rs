//! The published word tables: the recommendation words critics write in
//! place of a mark ("Recommended", "Skip it", "Must see"), each with the
//! 0–100 score Verdict gives it, and Allociné's French grades ("Très
//! bien", "Pas mal"), each with its stars. The tables are the whole rule:
//! a word that is not in them is refused, never guessed. `docs/scales.md`
//! lists the same rows, and a test checks that they agree.

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

/// One grade of Allociné's star scale: the word Allociné writes for a
/// number of stars.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradeRow {
    /// The grade as Allociné writes it. Matching ignores case, hyphens,
    /// apostrophes' shape, accents and the ligature œ ("Chef-d'oeuvre",
    /// "chef d’œuvre", "TRES BIEN").
    pub phrase: &'static str,
    /// Its stars, out of 5, in half stars (Nul is ½, Chef-d'œuvre 5).
    pub stars: f64,
}

const fn grade(phrase: &'static str, stars: f64) -> GradeRow {
    GradeRow { phrase, stars }
}

/// The scale name of a French grade's reading.
pub const GRADE_SCALE: &str = "allocine";

/// Allociné's grades, one word per half star from ½ to 5: the words its
/// star widgets write. Press ratings are whole stars (five of these
/// words; the press data beside the project shows the half-star ones
/// fewer than once in a thousand rows), spectators' ratings half stars.
/// A grade is read as its stars on a scale from 0 to 5: score = stars ×
/// 20 (`docs/scales.md`, "French grades").
pub const FRENCH_GRADES: &[GradeRow] = &[
    grade("Chef-d'œuvre", 5.0),
    grade("Excellent", 4.5),
    grade("Très bien", 4.0),
    grade("Bien", 3.5),
    grade("Pas mal", 3.0),
    grade("Moyen", 2.5),
    grade("Pas terrible", 2.0),
    grade("Mauvais", 1.5),
    grade("Très mauvais", 1.0),
    grade("Nul", 0.5),
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

/// The reading of a French grade written as `raw`: its stars out of 5,
/// scale [`GRADE_SCALE`], confidence Medium (the table's, not the
/// critic's).
pub(crate) fn grade_rating(raw: &str, g: &GradeRow) -> verdict_core::Rating {
    verdict_core::Rating {
        raw: raw.to_string(),
        value: g.stars,
        best: 5.0,
        worst: 0.0,
        score: g.stars / 5.0 * 100.0,
        scale: GRADE_SCALE.to_string(),
        confidence: verdict_core::Confidence::Medium,
        span: None,
    }
}

/// The French grades' form: [`normalise`]d, then accents and ligatures
/// folded to ASCII letters ("chef d'œuvre" → "chef d'oeuvre", "très" →
/// "tres").
fn fold_french(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in normalise(s).chars() {
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'à' | 'â' | 'ä' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' => out.push('i'),
            'ô' | 'ö' => out.push('o'),
            'ù' | 'û' | 'ü' => out.push('u'),
            'ç' => out.push('c'),
            c => out.push(c),
        }
    }
    out
}

/// The grade table's phrases, folded once.
fn folded_grades() -> &'static [String] {
    static TABLE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        FRENCH_GRADES
            .iter()
            .map(|r| fold_french(r.phrase))
            .collect()
    })
}

/// The French grade `s` is, when it is one ("Très bien", "Chef-d'oeuvre").
pub fn french_grade(s: &str) -> Option<&'static GradeRow> {
    if !wordlike(s) {
        return None;
    }
    let n = fold_french(s);
    folded_grades()
        .iter()
        .position(|p| *p == n)
        .map(|i| &FRENCH_GRADES[i])
}

/// The longest French grade that `s` starts with, and its length in
/// bytes: the finder's way to a grade after a label ("Note : Très bien.").
pub(crate) fn french_grade_at(s: &str) -> Option<(&'static GradeRow, usize)> {
    // Grades are at most two words: try the first two, then the first.
    let mut ends = Vec::with_capacity(2);
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        let word_char = c.is_alphabetic() || matches!(c, '\'' | '’' | '-');
        if in_word && !word_char {
            ends.push(i);
            if ends.len() == 2 {
                break;
            }
        }
        in_word = word_char;
    }
    if in_word && ends.len() < 2 {
        ends.push(s.len());
    }
    ends.iter()
        .rev()
        .find_map(|&e| french_grade(&s[..e]).map(|g| (g, e)))
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

    #[test]
    fn french_grades_fold_and_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for g in FRENCH_GRADES {
            assert!(seen.insert(fold_french(g.phrase)), "{} twice", g.phrase);
            assert!(lookup(g.phrase).is_none(), "{} is in both tables", g.phrase);
            assert!((0.5..=5.0).contains(&g.stars) && (g.stars * 2.0).fract() == 0.0);
        }
        let stars = |s: &str| french_grade(s).map(|g| g.stars);
        assert_eq!(stars("Chef-d'oeuvre"), Some(5.0));
        assert_eq!(stars("chef d’œuvre"), Some(5.0));
        assert_eq!(stars("TRÈS BIEN"), Some(4.0));
        assert_eq!(stars("Très  mauvais."), Some(1.0));
        assert_eq!(stars("Bien joué"), None);
        assert_eq!(french_grade_at("Très bien."), Some((&FRENCH_GRADES[2], 10)));
        assert_eq!(french_grade_at("Bien joué").map(|g| g.1), Some(4));
        assert_eq!(french_grade_at("Pas"), None);
    }
}
