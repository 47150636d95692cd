//! The expression grammar: a small hand-written scanner over byte positions
//! of a `&str`. Every position handed around is a char boundary: the scanner
//! only ever steps over whole chars (ASCII bytes or `char::len_utf8`).
//!
//! [`parse_at`] reads one rating expression starting exactly at a position
//! and says where it ends; the callers ([`crate::read_with`] and
//! [`crate::find_in_text`]) decide what may come before and after it.

use verdict_core::Confidence;

/// What kind of expression was read; the text scanner uses it to decide
/// whether an expression is explicit enough to stand on its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    /// `4.5/5`, `7 / 10`.
    Fraction,
    /// `7 out of 10`, `4.5 of 5` (`short`), `four out of five`.
    OutOf { short: bool },
    /// `+1 out of -4..+4`.
    Range,
    /// `★★★½`, `★★★☆☆`.
    GlyphStars { slots: u32 },
    /// `***1/2`, `****`.
    AsciiStars { half: bool },
    /// `3 1/2 stars`, `three and a half stars`, `ZERO STARS`.
    WordStars,
    /// `B+`, `A minus`, `B+/A-`; `bare` when a single letter with no
    /// modifier (`B`).
    Letter { bare: bool },
    /// `88%`.
    Percent,
    /// `8`, `Score: 88`: no scale written.
    Bare,
}

/// One expression read.
#[derive(Debug, Clone)]
pub(crate) struct Expr {
    pub value: f64,
    pub best: f64,
    pub worst: f64,
    pub scale: String,
    pub confidence: Confidence,
    pub kind: Kind,
    /// Whether a "star(s)" word was part of the expression.
    pub star_word: bool,
    /// Whether the best of the scale was written (denominator, empty stars,
    /// "out of N").
    pub explicit_best: bool,
    /// End of the minimal text that determines the reading ("4.5/5" of
    /// "4.5/5 Stars").
    pub core_end: usize,
    /// End of everything consumed.
    pub end: usize,
}

/// The result of trying to read an expression at a position.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Expr(Expr),
    /// It is rating-shaped but cannot be read; the reason is a sentence.
    Refused(String),
    /// Nothing rating-shaped starts here.
    NoMatch,
}

/// What the caller allows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    /// The best of the outlet's scale for bare numbers and stars.
    pub hint: Option<f64>,
    /// The worst of that scale, when it is not 0 (-4 on a -4..+4 scale):
    /// bare numbers may then be signed, and stars take no hint.
    pub hint_worst: Option<f64>,
    /// Bare numbers (no scale written) may be read.
    pub bare_numbers: bool,
    /// Lower-case letter grades with no modifier ("b") may be read.
    pub lower_letters: bool,
    /// A label ("Score:") preceded the expression.
    pub labelled: bool,
    /// The label was "Stars:": a bare number counts stars.
    pub stars_label: bool,
}

// ---------------------------------------------------------------------------
// Scanning helpers

pub(crate) fn peek(s: &str, i: usize) -> Option<char> {
    s.get(i..)?.chars().next()
}

pub(crate) fn prev_char(s: &str, i: usize) -> Option<char> {
    s.get(..i)?.chars().next_back()
}

pub(crate) fn skip_ws(s: &str, mut i: usize) -> usize {
    while let Some(c) = peek(s, i) {
        if c.is_whitespace() || c == '\u{FE0F}' || c == '\u{200B}' {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Matches the ASCII word `w` case-insensitively at `i`, not followed by a
/// letter or digit; returns the end.
pub(crate) fn eat_ci(s: &str, i: usize, w: &str) -> Option<usize> {
    let b = s.as_bytes();
    let end = i.checked_add(w.len())?;
    if end > b.len() || !b[i..end].eq_ignore_ascii_case(w.as_bytes()) {
        return None;
    }
    match peek(s, end) {
        Some(c) if c.is_alphanumeric() => None,
        _ => Some(end),
    }
}

/// Matches a sequence of words separated by whitespace.
fn eat_words_ci(s: &str, i: usize, words: &[&str]) -> Option<usize> {
    let mut j = i;
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            let after = skip_ws(s, j);
            if after == j {
                return None;
            }
            j = after;
        }
        j = eat_ci(s, j, w)?;
    }
    Some(j)
}

/// "stars", "star", and French "étoiles", "étoile" (also capitalised or
/// written without the accent).
fn eat_star_word(s: &str, i: usize) -> Option<usize> {
    [
        "stars", "star", "étoiles", "étoile", "Étoiles", "Étoile", "etoiles", "etoile",
    ]
    .iter()
    .find_map(|w| eat_ci(s, i, w))
}

/// French "sur" ("4 sur 5"): the same as "out of".
fn eat_sur(s: &str, i: usize) -> Option<usize> {
    eat_ci(s, i, "sur")
}

/// French "et demie" after stars ("trois étoiles et demie").
fn et_demie(s: &str, i: usize) -> Option<usize> {
    let j = skip_ws(s, i);
    eat_words_ci(s, j, &["et", "demie"]).or_else(|| eat_words_ci(s, j, &["et", "demi"]))
}

pub(crate) fn is_filled_glyph(c: char) -> bool {
    matches!(
        c,
        '★' | '⭐' | '✪' | '✭' | '✮' | '✯' | '🌟' | '✶' | '✷' | '✹'
    )
}

pub(crate) fn is_empty_glyph(c: char) -> bool {
    matches!(c, '☆' | '✩' | '✰')
}

/// Half-star glyphs (U+2BE8–U+2BEB, "star with left half black"…).
pub(crate) fn is_half_star_glyph(c: char) -> bool {
    matches!(c, '\u{2BE8}'..='\u{2BEB}')
}

fn vulgar_fraction(c: char) -> Option<f64> {
    match c {
        '½' => Some(0.5),
        '¼' => Some(0.25),
        '¾' => Some(0.75),
        _ => None,
    }
}

fn is_minus(c: char) -> bool {
    matches!(c, '-' | '−' | '–' | '‐' | '‑')
}

/// A short number for a scale name: "5", "4", "2.5".
pub(crate) fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Quotes a piece of input for a reason sentence, cut when long.
pub(crate) fn quote(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        format!("\"{s}\"")
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("\"{cut}…\"")
    }
}

// ---------------------------------------------------------------------------
// Numbers

#[derive(Debug, Clone, Copy)]
pub(crate) struct Num {
    pub value: f64,
    pub end: usize,
    pub signed: bool,
    /// Written as a word ("three and a half", "zero").
    pub word: bool,
    /// A mixed number or a vulgar fraction ("3 1/2", "3½").
    pub mixed: bool,
    /// Has a decimal point.
    pub decimal: bool,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum NumScan {
    None,
    Num(Num),
    /// "3.5.5": two decimal points; the end of the run.
    TwoPoints(usize),
    /// More digits than any rating has.
    TooLong(usize),
}

const MAX_DIGITS: usize = 15;

/// A plain decimal number: `12`, `4.5`, `.5`, `3,5` (decimal comma, only
/// right before a slash, French "sur" or a stars word: `3,5/5`, `3,5 sur
/// 5`, `3,5 étoiles`), with an optional sign when `allow_sign`.
pub(crate) fn scan_number(s: &str, i: usize, allow_sign: bool) -> NumScan {
    let b = s.as_bytes();
    let mut j = i;
    let mut signed = false;
    let mut neg = false;
    if allow_sign {
        match peek(s, j) {
            Some('+') => {
                j += 1;
                signed = true;
            }
            Some(c) if c == '-' || c == '−' => {
                j += c.len_utf8();
                signed = true;
                neg = true;
            }
            _ => {}
        }
    }
    let int_start = j;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    let int_end = j;
    let mut frac: Option<(usize, usize)> = None;
    if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
        let fs = j + 1;
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        frac = Some((fs, j));
    } else if int_end > int_start && j + 1 < b.len() && b[j] == b',' && b[j + 1].is_ascii_digit() {
        let fs = j + 1;
        let mut k = fs;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        let after = skip_ws(s, k);
        let scale_follows = peek(s, after) == Some('/')
            || (after > k && (eat_sur(s, after).is_some() || eat_star_word(s, after).is_some()));
        if k - fs <= 2 && scale_follows {
            frac = Some((fs, k));
            j = k;
        }
    }
    if int_end == int_start && frac.is_none() {
        return NumScan::None;
    }
    if frac.is_some() && j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
        while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
            j += 1;
        }
        return NumScan::TwoPoints(j);
    }
    if int_end - int_start > MAX_DIGITS || frac.is_some_and(|(a, e)| e - a > MAX_DIGITS) {
        return NumScan::TooLong(j);
    }
    let mut text = String::with_capacity(j - i + 1);
    text.push_str(if int_end > int_start {
        &s[int_start..int_end]
    } else {
        "0"
    });
    if let Some((fs, fe)) = frac {
        text.push('.');
        text.push_str(&s[fs..fe]);
    }
    let Ok(v) = text.parse::<f64>() else {
        return NumScan::None;
    };
    if !v.is_finite() {
        return NumScan::TooLong(j);
    }
    NumScan::Num(Num {
        value: if neg { -v } else { v },
        end: j,
        signed,
        word: false,
        mixed: false,
        decimal: frac.is_some(),
    })
}

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("no", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    // French
    ("zéro", 0.0),
    ("une", 1.0),
    ("un", 1.0),
    ("deux", 2.0),
    ("trois", 3.0),
    ("quatre", 4.0),
    ("cinq", 5.0),
    ("sept", 7.0),
    ("huit", 8.0),
    ("neuf", 9.0),
    ("dix", 10.0),
];

/// Whether the word at `i` is a number word the grammar knows.
pub(crate) fn starts_number_word(s: &str, i: usize) -> bool {
    NUMBER_WORDS.iter().any(|(w, _)| eat_ci(s, i, w).is_some()) || eat_ci(s, i, "half").is_some()
}

/// "and a half", "-and-a-half", "and one half" after a whole number.
fn and_a_half(s: &str, i: usize) -> Option<usize> {
    let j = skip_ws(s, i);
    if let Some(e) = eat_words_ci(s, j, &["and", "a", "half"]) {
        return Some(e);
    }
    if let Some(e) = eat_words_ci(s, j, &["and", "one", "half"]) {
        return Some(e);
    }
    // "three-and-a-half"
    let mut k = i;
    for (n, w) in ["and", "a", "half"].iter().enumerate() {
        if peek(s, k) != Some('-') {
            return None;
        }
        k += 1;
        k = if n < 2 {
            // "and", "a" are followed by another hyphen, not by a boundary
            let e = k + w.len();
            if e <= s.len() && s.as_bytes()[k..e].eq_ignore_ascii_case(w.as_bytes()) {
                e
            } else {
                return None;
            }
        } else {
            eat_ci(s, k, w)?
        };
    }
    Some(k)
}

/// A number word: "three", "three and a half", "half a" (before "star"),
/// "zero", "no".
fn scan_word_number(s: &str, i: usize) -> Option<Num> {
    let w = Num {
        value: 0.0,
        end: i,
        signed: false,
        word: true,
        mixed: false,
        decimal: false,
    };
    if let Some(e) = eat_ci(s, i, "half") {
        // "half a star", "half star"
        let j = skip_ws(s, e);
        let end = if let Some(a) = eat_ci(s, j, "a") {
            a
        } else {
            e
        };
        if eat_star_word(s, skip_ws(s, end)).is_some() || peek(s, e) == Some('-') {
            return Some(Num {
                value: 0.5,
                end,
                ..w
            });
        }
        return None;
    }
    for (word, v) in NUMBER_WORDS {
        if let Some(e) = eat_ci(s, i, word) {
            if let Some(h) = and_a_half(s, e) {
                return Some(Num {
                    value: v + 0.5,
                    end: h,
                    mixed: true,
                    ..w
                });
            }
            return Some(Num {
                value: *v,
                end: e,
                ..w
            });
        }
    }
    None
}

/// A value: a plain number, a mixed number ("3 1/2", "3½", "3 and a
/// half"), a lone vulgar fraction ("½") or a number word.
pub(crate) fn scan_value(s: &str, i: usize, allow_sign: bool) -> NumScan {
    if let Some(c) = peek(s, i) {
        if let Some(v) = vulgar_fraction(c) {
            let end = i + c.len_utf8();
            return NumScan::Num(Num {
                value: v,
                end,
                signed: false,
                word: false,
                mixed: true,
                decimal: false,
            });
        }
        if c.is_ascii_alphabetic() {
            return match scan_word_number(s, i) {
                Some(n) => NumScan::Num(n),
                None => NumScan::None,
            };
        }
    }
    let n = match scan_number(s, i, allow_sign) {
        NumScan::Num(n) => n,
        other => return other,
    };
    if n.decimal || n.value < 0.0 {
        return NumScan::Num(n);
    }
    // "3½"
    if let Some(c) = peek(s, n.end)
        && let Some(v) = vulgar_fraction(c)
    {
        return NumScan::Num(Num {
            value: n.value + v,
            end: n.end + c.len_utf8(),
            mixed: true,
            ..n
        });
    }
    // "3 1/2", "3 ½"
    let j = skip_ws(s, n.end);
    if j > n.end {
        if let Some(c) = peek(s, j)
            && let Some(v) = vulgar_fraction(c)
        {
            return NumScan::Num(Num {
                value: n.value + v,
                end: j + c.len_utf8(),
                mixed: true,
                ..n
            });
        }
        let b = s.as_bytes();
        if j + 3 <= b.len() && b[j + 1] == b'/' {
            let (num, den) = (b[j], b[j + 2]);
            let follows_ok = match peek(s, j + 3) {
                Some(c) => !(c.is_ascii_digit() || c == '/' || c == '.'),
                None => true,
            };
            let frac = match (num, den) {
                (b'1', b'2') => Some(0.5),
                (b'1', b'4') => Some(0.25),
                (b'3', b'4') => Some(0.75),
                _ => None,
            };
            if let (Some(f), true) = (frac, follows_ok) {
                return NumScan::Num(Num {
                    value: n.value + f,
                    end: j + 3,
                    mixed: true,
                    ..n
                });
            }
        }
    }
    // "3 and a half"
    if let Some(h) = and_a_half(s, n.end) {
        return NumScan::Num(Num {
            value: n.value + 0.5,
            end: h,
            mixed: true,
            ..n
        });
    }
    NumScan::Num(n)
}

// ---------------------------------------------------------------------------
// Expressions

/// Reads one rating expression starting exactly at `i`.
pub(crate) fn parse_at(s: &str, i: usize, ctx: &Ctx) -> Outcome {
    let Some(c) = peek(s, i) else {
        return Outcome::NoMatch;
    };
    if is_filled_glyph(c) || is_half_star_glyph(c) || is_empty_glyph(c) {
        return glyph_stars(s, i, ctx);
    }
    if c == '*' {
        return ascii_stars(s, i, ctx);
    }
    if c.is_ascii_alphabetic() {
        let next_is_letter = peek(s, i + 1).is_some_and(|n| n.is_alphabetic());
        if !next_is_letter {
            return letter_grade(s, i, ctx);
        }
        // "low +2 out of -4..+4"
        for (word, shift) in [("low", -1.0 / 3.0), ("high", 1.0 / 3.0), ("mid", 0.0)] {
            if let Some(e) = eat_ci(s, i, word) {
                let j = skip_ws(s, e);
                if j > e {
                    return numeric(s, j, ctx, Some(shift));
                }
            }
        }
    }
    numeric(s, i, ctx, None)
}

/// Stars written as glyphs: `★★★½`, `★★★☆☆`, `★★★ out of 5`.
fn glyph_stars(s: &str, i: usize, ctx: &Ctx) -> Outcome {
    let (mut filled, mut half, mut empty) = (0u32, 0u32, 0u32);
    let mut j = i;
    let mut last = i;
    while let Some(c) = peek(s, j) {
        if is_filled_glyph(c) && half == 0 && empty == 0 {
            filled += 1;
        } else if (is_half_star_glyph(c) || c == '½') && half == 0 && empty == 0 {
            half = 1;
        } else if is_empty_glyph(c) {
            empty += 1;
        } else {
            break;
        }
        if filled + half + empty > 20 {
            return Outcome::NoMatch;
        }
        j += c.len_utf8();
        // a variation selector after an emoji star
        if peek(s, j) == Some('\u{FE0F}') {
            j += '\u{FE0F}'.len_utf8();
        }
        last = j;
        // single spaces between glyphs: "★ ★ ★"
        if peek(s, j) == Some(' ')
            && let Some(n) = peek(s, j + 1)
            && (is_filled_glyph(n) || is_empty_glyph(n) || is_half_star_glyph(n) || n == '½')
        {
            j += 1;
        }
    }
    j = last;
    // "★★★1/2"
    if half == 0 && empty == 0 && s.get(j..).is_some_and(|r| r.starts_with("1/2")) {
        let after = peek(s, j + 3);
        if !after.is_some_and(|c| c.is_ascii_digit() || c == '/') {
            half = 1;
            j += 3;
        }
    }
    if filled == 0 && half == 0 && empty < 2 {
        return Outcome::NoMatch;
    }
    let value = filled as f64 + 0.5 * half as f64;
    let slots = filled + half + empty;
    let written = if empty > 0 { Some(slots as f64) } else { None };
    stars_tail(s, i, j, value, written, Kind::GlyphStars { slots }, ctx)
}

/// Stars written with asterisks: `****`, `***1/2`, `**½`.
fn ascii_stars(s: &str, i: usize, ctx: &Ctx) -> Outcome {
    let b = s.as_bytes();
    let mut j = i;
    while j < b.len() && b[j] == b'*' {
        j += 1;
    }
    let n = j - i;
    if n > 10 {
        return Outcome::NoMatch;
    }
    let mut half = false;
    if let Some(c) = peek(s, j) {
        if c == '½' {
            half = true;
            j += c.len_utf8();
        } else {
            let k = if c == ' ' { j + 1 } else { j };
            if s.get(k..).is_some_and(|r| r.starts_with("1/2")) {
                let after = peek(s, k + 3);
                if !after.is_some_and(|c| c.is_ascii_digit() || c == '/' || c == '.') {
                    half = true;
                    j = k + 3;
                }
            }
        }
    }
    // "*" followed directly by a letter or digit is markup or a footnote
    if !half && peek(s, j).is_some_and(|c| c.is_alphanumeric()) {
        return Outcome::NoMatch;
    }
    let value = n as f64 + if half { 0.5 } else { 0.0 };
    stars_tail(s, i, j, value, None, Kind::AsciiStars { half }, ctx)
}

/// After stars: an optional written best ("/5", "out of 5", "(out of 5)")
/// and an optional "stars" word; then the scale is settled.
fn stars_tail(
    s: &str,
    start: usize,
    mut j: usize,
    value: f64,
    mut written: Option<f64>,
    kind: Kind,
    ctx: &Ctx,
) -> Outcome {
    let mut core_end = j;
    let mut star_word = false;
    // "★★★★ stars" (rare) or "3 stars" handled by the caller
    let k = skip_ws(s, j);
    if let Some(e) = eat_star_word(s, k) {
        star_word = true;
        j = e;
        core_end = e;
    }
    if let Some((best, e, _)) = written_best(s, j, true) {
        written = Some(best);
        j = e;
        core_end = e;
    }
    let explicit = written.is_some();
    // a hint for a signed scale (-4..+4) says nothing of stars
    let hint = ctx.hint.filter(|_| ctx.hint_worst.is_none());
    let best = match (written, hint) {
        (Some(b), _) => b,
        (None, Some(h)) => h,
        (None, None) => {
            if value <= 4.0 {
                4.0
            } else if value <= 5.0 {
                5.0
            } else {
                return Outcome::Refused(format!(
                    "{}: {} stars with no best written, more than the 5 assumed: the scale is not known",
                    quote(&s[start..core_end]),
                    fmt_num(value)
                ));
            }
        }
    };
    let confidence = if explicit || hint.is_some() {
        Confidence::High
    } else {
        Confidence::Medium
    };
    finish(
        s,
        start,
        Expr {
            value,
            best,
            worst: 0.0,
            scale: format!("stars/{}", fmt_num(best)),
            confidence,
            kind,
            star_word,
            explicit_best: explicit,
            core_end,
            end: j,
        },
    )
}

/// A best written after a value: "/5" (when `slash`), " out of 5",
/// " of 5", " (out of 5)", " out of *****", " (out of 5 stars)".
/// Returns (best, end, whether the best was counted in stars).
fn written_best(s: &str, j: usize, slash: bool) -> Option<(f64, usize, bool)> {
    let k = skip_ws(s, j);
    let (paren, k) = if peek(s, k) == Some('(') {
        (true, skip_ws(s, k + 1))
    } else {
        (false, k)
    };
    let after_kw = if slash && peek(s, k) == Some('/') {
        k + 1
    } else if let Some(e) = eat_words_ci(s, k, &["out", "of"]) {
        e
    } else if let Some(e) = eat_sur(s, k).filter(|_| k > j || paren) {
        e
    } else if k > j || paren {
        eat_ci(s, k, "of")?
    } else {
        return None;
    };
    let m = skip_ws(s, after_kw);
    let (best, mut end, counted) = match star_run(s, m) {
        Some((n, e)) => (n as f64, e, true),
        None => {
            let NumScan::Num(n) = scan_value(s, m, false) else {
                return None;
            };
            if n.mixed {
                return None;
            }
            (n.value, n.end, false)
        }
    };
    if paren {
        let p = skip_ws(s, end);
        // "(out of 5 stars)"
        let p = match eat_star_word(s, p) {
            Some(e) => skip_ws(s, e),
            None => p,
        };
        if peek(s, p) != Some(')') {
            return None;
        }
        end = p + 1;
    }
    Some((best, end, counted))
}

/// A run of asterisks or star glyphs used as a count ("out of *****").
fn star_run(s: &str, i: usize) -> Option<(u32, usize)> {
    let mut n = 0;
    let mut j = i;
    while let Some(c) = peek(s, j) {
        if c == '*' || is_filled_glyph(c) || is_empty_glyph(c) {
            n += 1;
            j += c.len_utf8();
        } else {
            break;
        }
    }
    if n == 0 || n > 10 || peek(s, j).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    Some((n, j))
}

/// Letter grades: `B+`, `A-`, `B−`, `C=`, `A minus`, `B-plus`, `A -`,
/// splits `B+/A-`.
fn letter_grade(s: &str, i: usize, ctx: &Ctx) -> Outcome {
    let Some((score, end, bare)) = one_grade(s, i, ctx.lower_letters) else {
        return Outcome::NoMatch;
    };
    let mut value = score;
    let mut end = end;
    let mut bare = bare;
    // split grade: "B+/A-", "B / B+", "B to B+"
    let k = skip_ws(s, end);
    let sep = if peek(s, k) == Some('/') {
        Some(k + 1)
    } else {
        eat_ci(s, k, "to")
    };
    if let Some(sep) = sep {
        let m = skip_ws(s, sep);
        if let Some((score2, end2, _)) = one_grade(s, m, ctx.lower_letters || !bare) {
            value = (score + score2) / 2.0;
            end = end2;
            bare = false;
        }
    }
    finish(
        s,
        i,
        Expr {
            value,
            best: 100.0,
            worst: 0.0,
            scale: "letter".to_string(),
            confidence: Confidence::High,
            kind: Kind::Letter { bare },
            star_word: false,
            explicit_best: true,
            core_end: end,
            end,
        },
    )
}

/// One letter grade at `i`: (score, end, bare).
pub(crate) fn one_grade(s: &str, i: usize, allow_lower_bare: bool) -> Option<(f64, usize, bool)> {
    let c = peek(s, i)?;
    let base = match c.to_ascii_uppercase() {
        'A' => 0,
        'B' => 3,
        'C' => 6,
        'D' => 9,
        'F' => 12,
        _ => return None,
    };
    let j = i + 1;
    if peek(s, j).is_some_and(|n| n.is_alphanumeric()) {
        return None;
    }
    let (modifier, end) = grade_modifier(s, j)?;
    if modifier.is_none() && c.is_ascii_lowercase() && !allow_lower_bare {
        return None;
    }
    let steps = base - modifier.unwrap_or(0);
    Some((grade_steps_score(steps), end, modifier.is_none()))
}

/// The published table: A = 100 and each third of a grade 8⅓ points lower
/// (B+ 83.33, B 75, C 50, D 25, F 0); A+ is capped at 100, F- floored at 0.
pub(crate) fn grade_steps_score(steps: i32) -> f64 {
    ((12 - steps) as f64 * 100.0 / 12.0).clamp(0.0, 100.0)
}

/// The modifier after a grade letter: Some(+1) plus, Some(-1) minus,
/// None none; and the end. Returns None when what follows makes it no
/// grade at all ("B-52", "A-list").
fn grade_modifier(s: &str, j: usize) -> Option<(Option<i32>, usize)> {
    let c = peek(s, j);
    match c {
        Some('+') | Some('=') => {
            let m = if c == Some('+') { Some(1) } else { None };
            let e = j + 1;
            if peek(s, e).is_some_and(|n| n.is_alphanumeric()) {
                return None;
            }
            return Some((m, e));
        }
        Some(h) if is_minus(h) => {
            let e = j + h.len_utf8();
            if let Some(p) = eat_ci(s, e, "plus") {
                return Some((Some(1), p));
            }
            if let Some(p) = eat_ci(s, e, "minus") {
                return Some((Some(-1), p));
            }
            if peek(s, e).is_some_and(|n| n.is_alphanumeric() || is_minus(n)) {
                return None;
            }
            return Some((Some(-1), e));
        }
        _ => {}
    }
    // spaced: "A minus", "C plus", "A -", "C +"
    let k = skip_ws(s, j);
    if k > j {
        if let Some(p) = eat_ci(s, k, "plus") {
            return Some((Some(1), p));
        }
        if let Some(p) = eat_ci(s, k, "minus") {
            return Some((Some(-1), p));
        }
        if let Some(m) = peek(s, k) {
            let sign = if m == '+' {
                Some(1)
            } else if is_minus(m) {
                Some(-1)
            } else {
                None
            };
            if let Some(sign) = sign {
                // only when nothing but closing punctuation follows: "A - a
                // masterpiece" is a grade and a dash
                let e = k + m.len_utf8();
                let rest = skip_ws(s, e);
                let ends = match peek(s, rest) {
                    None => true,
                    Some(n) => matches!(
                        n,
                        ')' | ']' | ',' | ';' | '.' | '|' | '"' | '\'' | '*' | '_' | '<'
                    ),
                };
                if ends {
                    return Some((Some(sign), e));
                }
            }
        }
    }
    Some((None, j))
}

/// Numbers and what follows them: fractions, "out of", star words,
/// percentages, ranges, bare numbers.
fn numeric(s: &str, i: usize, ctx: &Ctx, shift: Option<f64>) -> Outcome {
    let v = match scan_value(s, i, true) {
        NumScan::Num(n) => n,
        NumScan::TwoPoints(e) => {
            return Outcome::Refused(format!(
                "{} is ambiguous: two decimal points",
                quote(&s[i..e])
            ));
        }
        NumScan::TooLong(e) => {
            return Outcome::Refused(format!(
                "{} has too many digits to be a rating",
                quote(&s[i..e])
            ));
        }
        NumScan::None => return Outcome::NoMatch,
    };
    let k = skip_ws(s, v.end);

    // x/y
    if !v.word && !v.mixed && matches!(peek(s, k), Some('/') | Some('⁄')) {
        if shift.is_some() {
            return Outcome::NoMatch;
        }
        let slash = k + peek(s, k).map_or(1, char::len_utf8);
        let m = skip_ws(s, slash);
        let d = match scan_number(s, m, false) {
            NumScan::Num(d) => d,
            NumScan::TwoPoints(e) => {
                return Outcome::Refused(format!(
                    "{} is ambiguous: two decimal points",
                    quote(&s[i..e])
                ));
            }
            NumScan::TooLong(e) => {
                return Outcome::Refused(format!(
                    "{} has too many digits to be a rating",
                    quote(&s[i..e])
                ));
            }
            NumScan::None => return Outcome::NoMatch,
        };
        // "3/4/2024", "06/09-2024": a date
        if let Some(c) = peek(s, d.end)
            && matches!(c, '/' | '-' | '.')
            && peek(s, d.end + 1).is_some_and(|n| n.is_ascii_digit())
        {
            let mut e = d.end;
            while peek(s, e).is_some_and(|n| n.is_ascii_digit() || matches!(n, '/' | '-' | '.')) {
                e += 1;
            }
            return Outcome::Refused(format!(
                "{} looks like a date, not a rating",
                quote(&s[i..e])
            ));
        }
        // "2.1/2": more than its best; the mixed number "2 1/2" typed with
        // a dot. Read on the critic's known scale (confidence Low), else
        // refused with that reason.
        if v.value > d.value
            && !v.signed
            && let Some(mixed) = dotted_mixed_number(&s[i..d.end])
        {
            let text = &s[i..d.end];
            return match (ctx.hint, ctx.hint_worst) {
                (Some(h), None) if mixed <= h => finish(
                    s,
                    i,
                    Expr {
                        value: mixed,
                        best: h,
                        worst: 0.0,
                        scale: format!("x/{}", fmt_num(h)),
                        confidence: Confidence::Low,
                        kind: Kind::Bare,
                        star_word: false,
                        explicit_best: false,
                        core_end: d.end,
                        end: d.end,
                    },
                ),
                _ => Outcome::Refused(format!(
                    "{}: value above the scale's best; perhaps the mixed number {} typed with a dot, but its scale is not written",
                    quote(text),
                    quote(&text.replacen('.', " ", 1))
                )),
            };
        }
        // "1/2 out of ****", "1/2* out of *****": the fraction is the value
        let q = if peek(s, d.end) == Some('*') {
            d.end + 1
        } else {
            d.end
        };
        if let Some((best, e, counted)) = written_best(s, q, false)
            && d.value > 0.0
            && v.value < d.value
        {
            let scale = if counted {
                format!("stars/{}", fmt_num(best))
            } else {
                format!("x/{}", fmt_num(best))
            };
            return finish(
                s,
                i,
                Expr {
                    value: v.value / d.value,
                    best,
                    worst: 0.0,
                    scale,
                    confidence: Confidence::High,
                    kind: Kind::OutOf { short: false },
                    star_word: counted,
                    explicit_best: true,
                    core_end: e,
                    end: e,
                },
            );
        }
        let core_end = d.end;
        let (star_word, end) = match eat_star_word(s, skip_ws(s, d.end)) {
            Some(e) => (true, e),
            None => (false, d.end),
        };
        // "1/2" alone may be one of two or half a star ("**1/2" writes ½
        // so): read as written, with confidence Low
        let half_star_like = v.value == 1.0 && d.value == 2.0 && !v.decimal && !d.decimal;
        return finish(
            s,
            i,
            Expr {
                value: v.value,
                best: d.value,
                worst: 0.0,
                scale: format!("x/{}", fmt_num(d.value)),
                confidence: if half_star_like && !star_word {
                    Confidence::Low
                } else {
                    Confidence::High
                },
                kind: Kind::Fraction,
                star_word,
                explicit_best: true,
                core_end,
                end,
            },
        );
    }

    // x out of y, x of y, x out of a..b, French x sur y
    let out_of =
        eat_words_ci(s, k, &["out", "of"]).or_else(|| if k > v.end { eat_sur(s, k) } else { None });
    let of = if out_of.is_none() && k > v.end && !v.word {
        eat_ci(s, k, "of")
    } else {
        None
    };
    if let Some(kw_end) = out_of.or(of) {
        let m = skip_ws(s, kw_end);
        if out_of.is_some()
            && let Some((lo, hi, e)) = scan_range(s, m)
        {
            let value = v.value + shift.unwrap_or(0.0);
            return finish(
                s,
                i,
                Expr {
                    value,
                    best: hi,
                    worst: lo,
                    scale: format!("{}..{}", signed(lo), signed(hi)),
                    confidence: if shift.is_some_and(|x| x != 0.0) {
                        Confidence::Medium
                    } else {
                        Confidence::High
                    },
                    kind: Kind::Range,
                    star_word: false,
                    explicit_best: true,
                    core_end: e,
                    end: e,
                },
            );
        }
        if shift.is_some() {
            return Outcome::NoMatch;
        }
        let best = match scan_value(s, m, false) {
            NumScan::Num(b) if !b.mixed && (out_of.is_some() || !b.word) => b,
            _ => return Outcome::NoMatch,
        };
        if best.end < s.len() && peek(s, best.end) == Some('/') {
            return Outcome::NoMatch;
        }
        let core_end = best.end;
        let (star_word, end) = match eat_star_word(s, skip_ws(s, best.end)) {
            Some(e) => (true, e),
            None => (false, best.end),
        };
        let scale = if star_word {
            format!("stars/{}", fmt_num(best.value))
        } else {
            format!("x/{}", fmt_num(best.value))
        };
        return finish(
            s,
            i,
            Expr {
                value: v.value,
                best: best.value,
                worst: 0.0,
                scale,
                confidence: Confidence::High,
                kind: Kind::OutOf {
                    short: out_of.is_none(),
                },
                star_word,
                explicit_best: true,
                core_end,
                end,
            },
        );
    }
    if shift.is_some() {
        return Outcome::NoMatch;
    }

    // "3 (out of 10)"
    if peek(s, k) == Some('(')
        && !v.signed
        && let Some((best, e, counted)) = written_best(s, v.end, false)
    {
        let scale = if counted {
            format!("stars/{}", fmt_num(best))
        } else {
            format!("x/{}", fmt_num(best))
        };
        return finish(
            s,
            i,
            Expr {
                value: v.value,
                best,
                worst: 0.0,
                scale,
                confidence: Confidence::High,
                kind: Kind::OutOf { short: false },
                star_word: counted,
                explicit_best: true,
                core_end: e,
                end: e,
            },
        );
    }

    // stars in words or digits: "3 1/2 stars", "three and a half stars",
    // "4-star"
    let hyphen = if k == v.end && peek(s, k) == Some('-') {
        k + 1
    } else {
        k
    };
    if let Some(e) = eat_star_word(s, hyphen) {
        if v.signed {
            return Outcome::NoMatch;
        }
        // "trois étoiles et demie", "3 étoiles et demie"
        let (value, e) = match et_demie(s, e) {
            Some(h) if !v.mixed && !v.decimal && v.value.fract() == 0.0 => (v.value + 0.5, h),
            _ => (v.value, e),
        };
        return stars_tail(s, i, e, value, None, Kind::WordStars, ctx).map_star_word();
    }

    if v.word {
        return Outcome::NoMatch;
    }

    // 88%, 88 percent
    let pct = if peek(s, k) == Some('%') {
        Some(k + 1)
    } else {
        eat_ci(s, k, "percent").or_else(|| eat_words_ci(s, k, &["per", "cent"]))
    };
    if let Some(e) = pct {
        return finish(
            s,
            i,
            Expr {
                value: v.value,
                best: 100.0,
                worst: 0.0,
                scale: "percent".to_string(),
                confidence: Confidence::High,
                kind: Kind::Percent,
                star_word: false,
                explicit_best: true,
                core_end: e,
                end: e,
            },
        );
    }

    // a sign only on a scale known to be signed ("-1" of a -4..+4 critic)
    if !ctx.bare_numbers || (v.signed && ctx.hint_worst.is_none_or(|w| w >= 0.0)) {
        return Outcome::NoMatch;
    }
    if ctx.stars_label && !v.signed {
        return stars_tail(s, i, v.end, v.value, None, Kind::WordStars, ctx);
    }
    bare(s, i, v, ctx)
}

/// "2.1/2" → 2.5, "3.3/4" → 3.75: a whole number, a dot, and one of the
/// fractions 1/2, 1/4, 3/4, nothing else.
fn dotted_mixed_number(text: &str) -> Option<f64> {
    let (whole, rest) = text.split_once('.')?;
    if whole.is_empty() || whole.len() > 3 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let f = match frac.as_str() {
        "1/2" => 0.5,
        "1/4" => 0.25,
        "3/4" => 0.75,
        _ => return None,
    };
    Some(whole.parse::<f64>().ok()? + f)
}

/// A bare number: the hint's scale, or a guess.
fn bare(s: &str, i: usize, v: Num, ctx: &Ctx) -> Outcome {
    let text = &s[i..v.end];
    let mut worst = 0.0;
    let (best, scale, confidence) = if let Some(h) = ctx.hint {
        match ctx.hint_worst {
            Some(w) => {
                worst = w;
                let scale = if w < 0.0 {
                    format!("{}..{}", signed(w), signed(h))
                } else {
                    format!("{}..{}", fmt_num(w), fmt_num(h))
                };
                (h, scale, Confidence::Medium)
            }
            None => (h, format!("x/{}", fmt_num(h)), Confidence::Medium),
        }
    } else if v.value <= 5.0 {
        (5.0, "x/5".to_string(), Confidence::Low)
    } else if v.value <= 10.0 {
        (10.0, "x/10".to_string(), Confidence::Low)
    } else if v.value <= 100.0 {
        let conf = if ctx.labelled && !v.mixed {
            Confidence::High
        } else {
            Confidence::Low
        };
        (100.0, "0-100".to_string(), conf)
    } else {
        return Outcome::Refused(format!("{}: a number above 100 with no scale", quote(text)));
    };
    finish(
        s,
        i,
        Expr {
            value: v.value,
            best,
            worst,
            scale,
            confidence,
            kind: Kind::Bare,
            star_word: false,
            explicit_best: false,
            core_end: v.end,
            end: v.end,
        },
    )
}

fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", fmt_num(x))
    } else {
        fmt_num(x)
    }
}

/// "-4..+4" (also "-4 .. +4", "-4 to +4").
fn scan_range(s: &str, i: usize) -> Option<(f64, f64, usize)> {
    let NumScan::Num(lo) = scan_number(s, i, true) else {
        return None;
    };
    let k = skip_ws(s, lo.end);
    let m = if s.get(k..).is_some_and(|r| r.starts_with("..")) {
        let mut m = k + 2;
        if peek(s, m) == Some('.') {
            m += 1;
        }
        m
    } else if lo.signed {
        eat_ci(s, k, "to")?
    } else {
        return None;
    };
    let m = skip_ws(s, m);
    let NumScan::Num(hi) = scan_number(s, m, true) else {
        return None;
    };
    if hi.value <= lo.value {
        return None;
    }
    Some((lo.value, hi.value, hi.end))
}

impl Outcome {
    fn map_star_word(self) -> Outcome {
        match self {
            Outcome::Expr(mut e) => {
                e.star_word = true;
                Outcome::Expr(e)
            }
            other => other,
        }
    }
}

/// Checks the scale and the value against it and computes the score.
fn finish(s: &str, start: usize, e: Expr) -> Outcome {
    let text = &s[start..e.core_end.max(start)];
    if !(e.value.is_finite() && e.best.is_finite() && e.worst.is_finite()) {
        return Outcome::Refused(format!("{} has a number too large to read", quote(text)));
    }
    if e.best <= e.worst {
        if e.best == 0.0 {
            return Outcome::Refused(format!("{}: the scale's best is zero", quote(text)));
        }
        return Outcome::Refused(format!(
            "{}: the scale's best is not above its worst",
            quote(text)
        ));
    }
    if e.value > e.best {
        return Outcome::Refused(format!(
            "{}: value {} above the scale's best {} (refused, not clamped)",
            quote(text),
            fmt_num(e.value),
            fmt_num(e.best)
        ));
    }
    if e.value < e.worst {
        return Outcome::Refused(format!(
            "{}: value {} below the scale's worst {} (refused, not clamped)",
            quote(text),
            fmt_num(e.value),
            fmt_num(e.worst)
        ));
    }
    Outcome::Expr(e)
}

/// The 0–100 score of an expression that passed [`finish`].
pub(crate) fn score_of(e: &Expr) -> f64 {
    let x = (e.value - e.worst) / (e.best - e.worst) * 100.0;
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 100.0) }
}
