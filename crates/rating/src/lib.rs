//! Reads the ratings critics write, on their own scale, and normalises them
//! to 0–100.
//!
//! Two entry points:
//!
//! - [`read`] / [`read_with`] read one rating string, the way a data set or
//!   a structured field gives it ("4.5/5 Stars", "B+", "★★★½", " 3.5/5 ").
//!   They never fail: they return a [`Reading`], either a rated
//!   [`Rating`] or a [`Refusal`] whose reason is a sentence.
//! - [`find_in_text`] scans a review's text for rating statements and
//!   returns them in order with byte spans into the text. It is
//!   conservative: a missed rating costs less than a year, a runtime or an
//!   MPAA certificate read as one.
//!
//! Around them:
//!
//! - [`words`]: the published table of recommendation words
//!   ("Recommended" 80, "Skip it" 25), and Allociné's French grades
//!   ("Très bien", four stars of 5: 80);
//! - [`ScaleBook`]: the scale each outlet and critic writes bare numbers
//!   and stars on, learned from their other ratings (no labels), and
//!   [`Calibration`]: where each critic's fresh/rotten line sits on the
//!   score, learned from labelled reviews (it never changes a score);
//! - [`schema_org`]: `Rating`, `AggregateRating`, `Review` and
//!   `CriticReview` items in JSON-LD.
//!
//! Coverage, agreement and throughput on the real data (`verdict-lab
//! ratings-report`) are measured outside the runtime, in the
//! `verdict-lab` crate.
//!
//! The full conversion table, with every word and grade, is
//! `docs/scales.md`; a test checks it against this crate.
//!
//! ```
//! use verdict_rating::{find_in_text, letter_grade_score, read, read_with, ScaleHint};
//!
//! assert_eq!(read("4.5/5 Stars").score(), Some(90.0));
//! assert_eq!(read("★★★½").rating().map(|r| r.scale.as_str()), Some("stars/4"));
//! assert_eq!(read_with("4", &ScaleHint::out_of(5.0)).score(), Some(80.0));
//! assert!(read("3.5.5").refusal().is_some_and(|r| r.reason.contains("two decimal points")));
//! assert_eq!(letter_grade_score("C"), Some(50.0));
//!
//! let text = "A tense, eerie thriller.\n\nScore: 88\n";
//! let found = find_in_text(text);
//! assert_eq!(found[0].rating.raw, "Score: 88");
//! let span = found[0].rating.span.unwrap();
//! assert_eq!(&text[span.start..span.end], "Score: 88");
//! ```
//!
//! # Score
//!
//! `score = (value − worst) / (best − worst) × 100`, always within
//! 0..=100 and never NaN; for a fixed scale it is monotone in the value.
//! A value above the scale's best (`5/4`) or below its worst is refused,
//! never clamped.
//!
//! # Grammar
//!
//! Input is first trimmed of whitespace and of wrapping quotes (`'4/5'`,
//! `" 3.5/5 "`, `“B+”`, `« Pas mal »`). An optional label may lead
//! (`Score:`, `Rating:`, `Grade:`, `Verdict:`, `Stars:`, `My rating:`,
//! `Final score:`, …, French `Note :`, `Ma note :`, `Note globale :`,
//! `Cote :`, with any space before the colon); then one expression, in
//! this order:
//!
//! | form | examples | value / best | scale |
//! |---|---|---|---|
//! | fraction, any denominator | `4.5/5`, `3/4`, `15.5/20`, `7.5/ 10`, `3,5/5`, `.5/4` | x / y | `x/5`, `x/4`, `x/20`… |
//! | "out of", "of" | `7 out of 10`, `4.5 of 5`, `four out of five`, `3 (out of 10)`, `1/2 out of ****` | x / y (a best in asterisks is counted) | `x/10`…, `stars/N` |
//! | signed range | `+1 out of -4..+4`, `low +2 out of -4..+4` | worst −4, best +4; `low`/`high` shift by ⅓ | `-4..+4` |
//! | glyph stars | `★★★½`, `★★★☆☆`, `★★★ out of 5`, `★★★/5`, `⭐⭐⭐⭐` | filled + ½; empty `☆` count toward best | `stars/N` |
//! | ASCII stars | `****`, `***1/2`, `**½`, `** out of *****` | as glyphs | `stars/N` |
//! | star words | `3 1/2 stars`, `three and a half stars`, `ZERO STARS`, `half a star`, `4-star`, `4 stars out of 5` | number words zero…ten, `and a half`, `½`, `1/2` | `stars/N` |
//! | letter grade | `B+`, `B−`, `A minus`, `C-plus`, `C +`, `C=` (= C), `b+`; split `B+/A-` → midpoint | see below | `letter` |
//! | percentage | `88%`, `88 percent` | x / 100 | `percent` |
//! | bare number | `8`, `Score: 88`, `3 1/2` | see below | `x/5`, `x/10`, `0-100` |
//! | words | `Recommended`, `Skip it`, `Must see`, `Verdict: Worth a look` | the [`words`] table's score / 100 (confidence Medium) | `words` |
//! | French grades | `Très bien`, `Chef-d'œuvre`, `Note : Pas mal` | Allociné's stars / 5 ([`words::FRENCH_GRADES`]; confidence Medium) | `allocine` |
//!
//! French forms read as their English ones: `sur` is "out of" (`3,5 sur
//! 5`), `étoile(s)` is "star(s)" (`4 étoiles sur 5`, `4/5 étoiles`), number
//! words `un`/`une` to `dix`, and "et demie" after stars (`trois étoiles et
//! demie`).
//!
//! A "stars" word after a fraction adds nothing (`4.5/5 Stars` is `x/5`).
//! Numbers are ASCII decimals (a decimal comma only right before a slash,
//! "sur" or a stars word: `3,5/5`, `3,5 sur 5`), number words zero to ten
//! (`un`/`une` to `dix` in French), mixed numbers (`3 1/2`, `3½`, `three
//! and a half`); signs only on a signed range scale (written, or
//! the hint's). `1/2` alone is read as one of two with confidence Low: it
//! may be half a star.
//!
//! **Unwritten best.** Stars with no empty stars and no "out of N" take
//! [`ScaleHint::best`] when given (confidence High; not a signed hint),
//! else 4 when at most 4 stars are given and 5 when 5 are (confidence
//! Medium: the best was assumed; more than 5 are refused). Bare numbers take the hint, `x/best` or
//! `worst..best` (confidence Medium), else a guess: at most 5 → /5, at
//! most 10 → /10, at most 100 → /100 (confidence Low; a labelled number
//! above 10, `Score: 88`, is read on 0–100 with confidence High); above
//! 100 with no hint is refused. With a hint, a fraction above its best
//! that is a mixed number typed with a dot (`2.1/2`, `3.3/4`) is read as
//! that number on the hint's scale, confidence Low; without one it is
//! refused with that reason.
//!
//! **Letter grades** follow the published linear table (also
//! [`letter_grade_score`]): A = 100 and each third of a grade 8⅓ lower:
//!
//! | A+ | A | A− | B+ | B | B− | C+ | C | C− | D+ | D | D− | F+ | F | F− |
//! |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
//! | 100 | 100 | 91.67 | 83.33 | 75 | 66.67 | 58.33 | 50 | 41.67 | 33.33 | 25 | 16.67 | 8.33 | 0 | 0 |
//!
//! (A+ is capped at 100, F− floored at 0.)
//!
//! **Refused**, with a reason: empty input; words outside the [`words`]
//! table (`short`, `Recommended viewing`); price verdicts (`Half Price`);
//! Rotten Tomatoes' labels (`Fresh`, `Rotten`); single letters that are
//! no grade (`N`, `T`); `3.5.5` (two decimal points); a value above the
//! best or below the worst (`5/4`, `5.5/5`: refused, never clamped); a
//! best of zero (`3.0/.0`); ranges (`1-5`); dates (`3/4/2024`); bare
//! numbers above 100; negative numbers with no signed scale (`-1`); MPAA
//! and TV certificates (`R`, `PG-13`, `Rated R`, `MPAA Rating: R`);
//! anything with unread text after the expression.
//!
//! # Finding ratings in text
//!
//! [`find_in_text`] works line by line and accepts only:
//!
//! 1. **a line that is by itself an explicit-scale expression**: `4.5/5
//!    Stars`, `★★★½`, `3 1/2 stars`, `7 out of 10`, `B+`. Not a bare
//!    number (`3`), a bare letter (`A`), a percentage, or asterisks with no
//!    half (`***` is a section break). The raw is the minimal text that
//!    determines the reading: `4.5/5` of `4.5/5 Stars`, but all of
//!    `3 1/2 stars`.
//! 2. **a labelled rating** at the start of a line or sentence: `Score:
//!    88`, `Rating: B+`, `**Final score:** 8/10`, `Stars: ★★★★`, `Note :
//!    4/5`. The raw includes the label. After a French label (`Note`,
//!    `Cote`) a French grade is read when nothing but punctuation follows
//!    it to the line's end (`Note : Très bien`); grades are never read in
//!    prose. A label preceded by any other word (`MPAA Rating: R`) is no
//!    label; a bare number or bare letter must end the
//!    clause (`Score: 88 minutes` is not a rating).
//! 3. **an inline explicit-scale phrase** (confidence at most Medium) when
//!    a rating word leads within the clause (`give`, `rate`, `score`,
//!    `earns`, `a solid`, …) or the phrase says "stars": `I give it 4 out
//!    of 5 stars`, `a solid 8/10`, `★★★★`, `****1/2 out of *****`.
//!    Fractions need a rating denominator (4, 5, 10, 20, 100) and must not
//!    run on into prose (`3/4 of the film`, `4/5 people`). Refused when the
//!    clause is negative, hypothetical or someone else's (`if it were
//!    boring, I'd give it zero stars`, `I haven't given it four stars`,
//!    `288 people have given it 10 out of 10`), when the phrase sits in
//!    parentheses (`Rushmore (8/10)` rates another film), or when it is the
//!    tail of another phrase (`between 3 and 4 stars`, `rated over 7 out
//!    of 10`).
//!
//! Never returned: years, runtimes, ages, counts, list numbers, dates,
//! times, bare numbers on their own line (multi-aspect marks are read
//! elsewhere).

mod find;
mod parse;
pub mod scalebook;
pub mod schema_org;
pub mod words;

pub use scalebook::{Calibration, Learned, ScaleBook};

use serde::Serialize;
use verdict_core::{Confidence, Rating};

use parse::{Ctx, Outcome, quote};

/// What is known of the scale an outlet or critic uses: the scale bare
/// numbers ("8") and stars with no written best ("★★★") are read on.
/// [`ScaleBook`] learns it from the ratings an outlet or critic writes
/// elsewhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ScaleHint {
    /// The best value of the scale bare numbers and stars are written on
    /// (5 for an outlet that writes "4" meaning 4/5). None: unknown.
    pub best: Option<f64>,
    /// The worst value, when it is not 0 (-4 on Mark R. Leeper's -4..+4
    /// scale): bare numbers may then be signed ("-1"), and stars take no
    /// hint. None: 0.
    pub worst: Option<f64>,
}

impl ScaleHint {
    /// A hint that bare numbers and stars are out of `best`.
    pub fn out_of(best: f64) -> Self {
        ScaleHint {
            best: Some(best),
            worst: None,
        }
    }

    /// A hint that bare numbers run from `worst` to `best` ("-4..+4").
    pub fn range(worst: f64, best: f64) -> Self {
        ScaleHint {
            best: Some(best),
            worst: (worst != 0.0).then_some(worst),
        }
    }

    /// Whether the hint says anything.
    pub fn is_known(&self) -> bool {
        self.usable().0.is_some()
    }

    /// (best, worst when not 0), or (None, None) when the hint is unusable
    /// (not finite, best not above worst, a best of 0 or less on a scale
    /// from 0).
    fn usable(&self) -> (Option<f64>, Option<f64>) {
        let worst = self.worst.unwrap_or(0.0);
        match self.best {
            Some(b) if b.is_finite() && worst.is_finite() && b > worst && b > 0.0 => {
                (Some(b), (worst != 0.0).then_some(worst))
            }
            _ => (None, None),
        }
    }
}

/// The result of reading one rating string.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reading {
    Rated(Rating),
    Refused(Refusal),
}

impl Reading {
    /// The rating, when one was read.
    pub fn rating(&self) -> Option<&Rating> {
        match self {
            Reading::Rated(r) => Some(r),
            Reading::Refused(_) => None,
        }
    }

    /// The refusal, when none was read.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Reading::Rated(_) => None,
            Reading::Refused(r) => Some(r),
        }
    }

    /// The 0–100 score, when a rating was read.
    pub fn score(&self) -> Option<f64> {
        self.rating().map(|r| r.score)
    }
}

/// Why a string was not read as a rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    /// The input as given.
    pub input: String,
    /// A sentence: "\"3.5.5\" is ambiguous: two decimal points".
    pub reason: String,
}

/// A rating statement found in a document's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    /// The rating; its `span` is set and `&text[span] == raw`.
    pub rating: Rating,
    /// The label as written ("Score", "My rating", "Final score"), when
    /// the rating was labelled.
    pub label: Option<String>,
}

/// Reads one rating string: "4.5/5 Stars", "B+", "★★★½", "3 1/2 stars",
/// "Score: 88", " 3.5/5 ". See the crate docs for the grammar.
pub fn read(input: &str) -> Reading {
    read_with(input, &ScaleHint::default())
}

/// Same as [`read`], knowing the best of the scale the outlet or critic
/// writes bare numbers (and unwritten-best stars) on.
pub fn read_with(input: &str, hint: &ScaleHint) -> Reading {
    read_detail(input, hint).0
}

/// What kind of expression a reading came from, for learning scales.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Detail {
    pub kind: Option<parse::Kind>,
    /// The best of the scale was written (a denominator, empty stars,
    /// "out of N").
    pub explicit_best: bool,
}

/// [`read_with`], and what kind of expression was read.
pub(crate) fn read_detail(input: &str, hint: &ScaleHint) -> (Reading, Detail) {
    let none = Detail {
        kind: None,
        explicit_best: false,
    };
    let refuse = |reason: String| {
        (
            Reading::Refused(Refusal {
                input: input.to_string(),
                reason,
            }),
            none,
        )
    };
    let (a, b) = trim_bounds(input);
    let s = &input[a..b];
    if s.is_empty() {
        return refuse("empty input: no rating".to_string());
    }
    if let Some(cert) = mpaa(s) {
        return refuse(format!(
            "{} is an MPAA certificate ({cert}), not a critic's rating",
            quote(s)
        ));
    }
    if let Some(reason) = words::refused(s) {
        return refuse(format!("{} {reason}", quote(s)));
    }
    let (hint_best, hint_worst) = hint.usable();
    let (start, ctx) = match find::label_at(s, 0) {
        Some(l) => (
            l.after,
            Ctx {
                hint: hint_best,
                hint_worst,
                bare_numbers: true,
                lower_letters: true,
                labelled: true,
                stars_label: l.head == "stars",
            },
        ),
        None => (
            0,
            Ctx {
                hint: hint_best,
                hint_worst,
                bare_numbers: true,
                lower_letters: true,
                labelled: false,
                stars_label: false,
            },
        ),
    };
    // a word from the published table ("Recommended", "Verdict: Skip it")
    if let Some(w) = words::lookup(&s[start..]) {
        let rating = Rating {
            raw: s.to_string(),
            value: w.score,
            best: 100.0,
            worst: 0.0,
            score: w.score,
            scale: "words".to_string(),
            confidence: Confidence::Medium,
            span: None,
        };
        return (Reading::Rated(rating), none);
    }
    // one of Allociné's grades ("Très bien", "Note : Chef-d'œuvre"): its
    // stars out of 5
    if let Some(g) = words::french_grade(&s[start..]) {
        return (Reading::Rated(words::grade_rating(s, g)), none);
    }
    match parse::parse_at(s, start, &ctx) {
        Outcome::Expr(e) => {
            let rest =
                s[e.end..].trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '!'));
            if !rest.is_empty() {
                return refuse(trailing_reason(s, &s[start..e.end], rest));
            }
            let detail = Detail {
                kind: Some(e.kind),
                explicit_best: e.explicit_best,
            };
            let rating = Rating {
                raw: s.to_string(),
                value: e.value,
                best: e.best,
                worst: e.worst,
                score: parse::score_of(&e),
                scale: e.scale,
                confidence: e.confidence,
                span: None,
            };
            (Reading::Rated(rating), detail)
        }
        Outcome::Refused(reason) => refuse(reason),
        Outcome::NoMatch => refuse(unread_reason(s)),
    }
}

/// Scans a document's text for rating statements and returns them in
/// order, with byte spans into `text`. See the crate docs for what counts.
pub fn find_in_text(text: &str) -> Vec<Found> {
    find::find(text)
}

/// The published letter-grade table: A+ 100, A 100, A− 91.67, B+ 83.33,
/// B 75, B− 66.67, C+ 58.33, C 50, C− 41.67, D+ 33.33, D 25, D− 16.67,
/// F+ 8.33, F 0, F− 0. Accepts the written variants `read` accepts ("B−",
/// "B minus", "b+", "C=") and split grades ("B+/A-" → 87.5).
pub fn letter_grade_score(grade: &str) -> Option<f64> {
    let (a, b) = trim_bounds(grade);
    let s = &grade[a..b];
    let ctx = Ctx {
        hint: None,
        hint_worst: None,
        bare_numbers: false,
        lower_letters: true,
        labelled: false,
        stars_label: false,
    };
    match parse::parse_at(s, 0, &ctx) {
        Outcome::Expr(e)
            if matches!(e.kind, parse::Kind::Letter { .. }) && s[e.end..].trim().is_empty() =>
        {
            Some(e.value)
        }
        _ => None,
    }
}

/// Byte bounds of `s` without surrounding whitespace and wrapping quotes.
fn trim_bounds(s: &str) -> (usize, usize) {
    let (mut a, mut b) = (0, s.len());
    loop {
        let t = &s[a..b];
        let trimmed = t.trim();
        let lead = t.len() - t.trim_start().len();
        a += lead;
        b = a + trimmed.len();
        let t = &s[a..b];
        let mut chars = t.chars();
        match (chars.next(), chars.next_back()) {
            (Some(o), Some(c)) if t.chars().count() >= 2 && closes(o, c) => {
                a += o.len_utf8();
                b -= c.len_utf8();
            }
            _ => return (a, b),
        }
    }
}

fn closes(open: char, close: char) -> bool {
    matches!(
        (open, close),
        ('\'', '\'') | ('"', '"') | ('`', '`') | ('“', '”') | ('‘', '’') | ('«', '»') | ('„', '“')
    )
}

const CERTIFICATES: &[&str] = &[
    "G",
    "PG",
    "PG-13",
    "R",
    "NC-17",
    "X",
    "NR",
    "M",
    "GP",
    "M/PG",
    "TV-Y",
    "TV-Y7",
    "TV-G",
    "TV-PG",
    "TV-14",
    "TV-MA",
    "Not Rated",
    "Unrated",
];

/// The certificate, when `s` is an MPAA / TV certificate ("R", "Rated R",
/// "Rated PG-13 for violence", "MPAA Rating: R").
fn mpaa(s: &str) -> Option<&'static str> {
    let mut t = s.trim();
    let mut prefixed = false;
    for p in ["mpaa", "rating", "rated"] {
        let n = p.len();
        if t.len() >= n
            && t.as_bytes()[..n].eq_ignore_ascii_case(p.as_bytes())
            && !t[n..].starts_with(|c: char| c.is_alphanumeric())
        {
            t = t[n..].trim_start();
            prefixed = true;
        }
    }
    if let Some(r) = t.strip_prefix(':') {
        t = r.trim_start();
    }
    CERTIFICATES
        .iter()
        .filter(|c| t.starts_with(**c))
        .filter(|c| {
            let r = &t[c.len()..];
            r.trim().is_empty()
                || (prefixed
                    && !r.starts_with(|x: char| x.is_alphanumeric() || x == '-' || x == '/'))
        })
        .max_by_key(|c| c.len())
        .copied()
}

/// Why a string with text after its expression is refused.
fn trailing_reason(s: &str, read: &str, rest: &str) -> String {
    let generic = unread_reason(s);
    if generic.contains("is a range") {
        return generic;
    }
    format!(
        "{}: {} after {} is not part of a rating",
        quote(s),
        quote(rest),
        quote(read)
    )
}

/// Why a string that is no expression is refused.
fn unread_reason(s: &str) -> String {
    let q = quote(s);
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_alphabetic()
    {
        return format!("{q} is a single letter but no letter grade (A to F)");
    }
    let b = s.as_bytes();
    // "1-5", "2 – 3"
    let digits_then = |i: usize| {
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let e1 = digits_then(0);
    if e1 > 0 {
        let rest = s[e1..].trim_start();
        if let Some(r) = rest.strip_prefix(['-', '–', '—']) {
            let r = r.trim_start();
            if !r.is_empty() && r.bytes().all(|c| c.is_ascii_digit()) {
                return format!("{q} is a range, not a rating");
            }
        }
    }
    if s.strip_prefix(['-', '−'])
        .is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    {
        return format!(
            "{q}: a negative number is not a rating without its scale (as in \"-1 out of -4..+4\")"
        );
    }
    let has_digit = s.bytes().any(|c| c.is_ascii_digit());
    let has_star = s.chars().any(|c| {
        parse::is_filled_glyph(c)
            || parse::is_empty_glyph(c)
            || parse::is_half_star_glyph(c)
            || c == '*'
    });
    if !has_digit && !has_star {
        return format!("{q} is not a rating: no number, stars or letter grade");
    }
    format!("{q} is not a rating Verdict can read")
}
