//! Finding rating statements in a document's text: labels, whole-line
//! expressions and inline explicit-scale phrases. See the crate docs.

use verdict_core::{Confidence, Rating, Span};

use crate::Found;
use crate::parse::{self, Ctx, Expr, Kind, Outcome, peek, prev_char, skip_ws};

/// A label before a rating: "Score:", "My rating -", "**Grade:**".
#[derive(Debug, Clone, Copy)]
pub(crate) struct Label {
    pub start: usize,
    /// End of the label's words ("Final score" of "Final score: 8").
    pub text_end: usize,
    pub head: &'static str,
    /// Where the expression may start.
    pub after: usize,
    /// A colon or dash came after the words (not just a space).
    pub delimited: bool,
}

/// The words a label ends with; French "Note : 4/5" and "Cote : ★★★"
/// (Québec's word) too.
const HEADS: &[&str] = &[
    "score", "rating", "grade", "verdict", "stars", "mark", "overall", "rated", "note", "cote",
];

/// The French heads: after them a French grade may be read ("Note : Très
/// bien").
const FRENCH_HEADS: &[&str] = &["note", "cote"];

/// Words a label may start with: "My rating", "Final score", and French
/// "Ma note", "Notre cote".
const PREFIXES: &[&str] = &[
    "my", "our", "final", "overall", "the", "total", "critic's", "critics'", "film", "movie",
    "star", "official", "personal", "average", "film's", "movie's", "verdict", "letter", "review",
    "ma", "notre", "la",
];

/// French words that may follow a head before the delimiter: "Note
/// globale :", "Note finale :".
const QUALIFIERS: &[&str] = &["globale", "finale", "générale", "personnelle"];

/// Words that make a following explicit-scale phrase a rating.
const CUES: &[&str] = &[
    "give",
    "gives",
    "giving",
    "gave",
    "given",
    "rate",
    "rates",
    "rated",
    "rating",
    "score",
    "scores",
    "scored",
    "scoring",
    "grade",
    "graded",
    "award",
    "awards",
    "awarded",
    "earn",
    "earns",
    "earned",
    "earning",
    "getting",
    "deserve",
    "deserves",
    "deserved",
    "solid",
    "strong",
    "generous",
    "perfect",
    "respectable",
    "decent",
    "mere",
    "measly",
    "healthy",
    "verdict",
    "overall",
    // French: "je lui donne 4 étoiles sur 5", "il mérite un solide 8/10"
    "donne",
    "donnons",
    "attribue",
    "accorde",
    "mérite",
    "vaut",
    "obtient",
    "note",
    "noté",
    "notée",
    "solide",
];

/// Words that make a clause hypothetical or negative: "if it were boring,
/// I'd give it zero stars", "I haven't given it four stars".
const HYPOTHETICAL: &[&str] = &[
    "not",
    "never",
    "no",
    "nor",
    "if",
    "unless",
    "enough",
    "prevents",
    "prevent",
    "prevented",
    "without",
    "instead",
    "wish",
    "almost",
    "nearly",
    "close",
    "thought",
    "considered",
    "considering",
    "another",
    "last",
    "minus",
    "can",
    "could",
    "might",
    "may",
    // someone else's rating: "288 people have given it 10 out of 10"
    "whoever",
    "anyone",
    "someone",
    "everyone",
    "people",
    "critics",
    "they",
    "them",
    "others",
    "users",
    "voters",
    "he",
    "she",
    // French: "je ne lui donnerais pas 4 étoiles", "si c'était…", the
    // spectators' average
    "pas",
    "jamais",
    "si",
    "sans",
    "presque",
    "aurais",
    "aurait",
    "pourrais",
    "pourrait",
    "ils",
    "elles",
    "spectateurs",
    "internautes",
    "lecteurs",
    "public",
    "moyenne",
];

/// Words that, right before a phrase, make it the tail or part of
/// something else: "two out five stars", "between 3 and 4 stars", "rated
/// over 7 out of 10".
const NOT_BEFORE: &[&str] = &[
    "out",
    "of",
    "minus",
    "than",
    "over",
    "under",
    "above",
    "below",
    "to",
    "from",
    "between",
    "and",
    "or",
    "another",
    "extra",
    "additional",
    "first",
    "every",
    "each",
    "per",
    // French: "entre 3 et 4 étoiles", "de 3 à 4 étoiles", "plus de 4 sur 5"
    "sur",
    "entre",
    "et",
    "ou",
    "à",
    "que",
];

/// Words that may follow an inline phrase ("8/10 from me", "4 étoiles sur
/// 5 pour moi", "8/10 de ma part").
const INLINE_FOLLOW: &[&str] = &[
    "from", "for", "overall", "and", "but", "which", "so", "though", "because", "as", "pour", "de",
    "et", "mais", "car", "donc",
];

/// Words that show a labelled number or fraction is something else
/// ("Score: 3/4 of …", "Rating: 88 minutes").
const NOT_AFTER: &[&str] = &[
    "of", "percent", "per", "minutes", "minute", "min", "mins", "hours", "hour", "hrs", "hr",
    "seconds", "secs", "years", "year", "yrs", "days", "weeks", "months", "people", "times",
    "points", "pts", "pages", "episodes", "films", "movies", "votes", "reviews", "critics",
    "users", "girls", "boys", "men", "women",
];

/// The same in French ("Note : 3 heures", "4 sur 5 personnes").
const NOT_AFTER_FR: &[&str] = &[
    "sur",
    "heures",
    "heure",
    "ans",
    "an",
    "jours",
    "semaines",
    "mois",
    "années",
    "personnes",
    "fois",
    "épisodes",
    "avis",
    "critiques",
    "spectateurs",
    "internautes",
];

/// Denominators that make a fraction in prose read as a rating.
const RATING_DENOMINATORS: &[f64] = &[4.0, 5.0, 10.0, 20.0, 100.0];

fn word_end_apos(s: &str, i: usize) -> usize {
    let mut j = i;
    while let Some(c) = peek(s, j) {
        let inner_apos =
            (c == '\'' || c == '’') && j > i && peek(s, j + c.len_utf8()).is_some_and(|n| n == 's');
        let trailing_apos = (c == '\'' || c == '’') && j > i && s[i..j].ends_with('s');
        if c.is_alphabetic() || inner_apos || trailing_apos {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    j
}

fn skip_spaces(s: &str, mut i: usize) -> usize {
    while let Some(c) = peek(s, i) {
        if matches!(c, ' ' | '\t' | '\u{A0}' | '\u{202F}') {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Skips HTML tags ("</span>") directly at `i`.
fn skip_tags(s: &str, mut i: usize) -> usize {
    loop {
        if peek(s, i) != Some('<') {
            return i;
        }
        let Some(rest) = s.get(i..) else { return i };
        let Some(close) = rest.find('>') else {
            return i;
        };
        let tag = &rest[..close];
        if !(2..=200).contains(&close)
            || tag.contains('\n')
            || !tag[1..].starts_with(|c: char| c == '/' || c.is_ascii_alphabetic())
        {
            return i;
        }
        i += close + 1;
    }
}

/// Skips a run of markup characters (`**`, `__`) at `i` when `ok(after)`.
fn skip_markup_if(s: &str, i: usize, ok: impl Fn(usize) -> bool) -> usize {
    let b = s.as_bytes();
    let mut j = i;
    while j < b.len() && (b[j] == b'*' || b[j] == b'_') && j - i < 3 {
        j += 1;
    }
    if j > i && ok(j) { j } else { i }
}

/// A label starting exactly at `i`.
pub(crate) fn label_at(s: &str, i: usize) -> Option<Label> {
    let mut j = i;
    let mut undelimited: Option<Label> = None;
    for _ in 0..4 {
        let e = word_end_apos(s, j);
        if e == j {
            break;
        }
        let w = s[j..e].to_lowercase().replace('’', "'");
        // "Note globale :": a qualifier after the head
        let e = match HEADS.contains(&w.as_str()).then(|| skip_spaces(s, e)) {
            Some(q) if q > e => {
                let qe = word_end_apos(s, q);
                if QUALIFIERS.contains(&s[q..qe].to_lowercase().as_str()) {
                    qe
                } else {
                    e
                }
            }
            _ => e,
        };
        if let Some(head) = HEADS.iter().find(|h| **h == w)
            && let Some((after, delimited)) = delimiter(s, e)
        {
            let label = Label {
                start: i,
                text_end: e,
                head,
                after,
                delimited,
            };
            if delimited {
                return Some(label);
            }
            undelimited.get_or_insert(label);
        }
        if !PREFIXES.contains(&w.as_str()) && !HEADS.contains(&w.as_str()) {
            break;
        }
        let k = skip_spaces(s, e);
        if k == e {
            break;
        }
        j = k;
    }
    undelimited
}

/// The delimiter after a label's words: (where the expression starts,
/// whether a colon or dash was seen).
fn delimiter(s: &str, e: usize) -> Option<(usize, bool)> {
    // "**Rating**:", "<b>Rating</b>:"
    let mut k = skip_tags(s, e);
    k = skip_markup_if(s, k, |j| {
        matches!(peek(s, skip_spaces(s, j)), Some(':') | Some('：'))
    });
    k = skip_tags(s, k);
    let k2 = skip_spaces(s, k);
    match peek(s, k2) {
        Some(c @ (':' | '：')) => {
            let mut a = k2 + c.len_utf8();
            // "**Rating:** 4/5": closing markup right after the colon
            a = skip_markup_if(s, a, |j| {
                peek(s, j).is_none_or(|n| n.is_whitespace() || n == '<')
            });
            a = skip_tags(s, a);
            let a = skip_tags(s, skip_ws(s, a));
            Some((skip_ws(s, a), true))
        }
        Some(c @ ('-' | '–' | '—' | '=')) if k2 > k => {
            let a = k2 + c.len_utf8();
            if peek(s, a).is_some_and(|n| n.is_whitespace()) {
                Some((skip_ws(s, a), true))
            } else {
                None
            }
        }
        Some(c) if k2 > e && !c.is_whitespace() => Some((k2, false)),
        _ => None,
    }
}

/// Whether a label may start at `p` of `line`: at the line's start or a
/// sentence's, never after another word ("MPAA Rating").
fn at_clause_start(line: &str, p: usize) -> bool {
    if prev_char(line, p)
        .is_some_and(|x| x.is_alphanumeric() || matches!(x, '\'' | '’' | '-' | '/' | '.'))
    {
        return false;
    }
    let before = line[..p]
        .trim_end_matches(|x: char| x.is_whitespace() || matches!(x, '*' | '_' | '#' | '"' | '“'));
    match before.chars().next_back() {
        None => true,
        Some(x) => matches!(
            x,
            '.' | '!' | '?' | '|' | '•' | '·' | ';' | '>' | '—' | '–' | '-' | ')' | ']' | '…'
        ),
    }
}

/// The clause before `p`: whether a rating word leads within it
/// ("give", "rate", "a solid"), and whether it is negative or hypothetical.
#[derive(Debug, Clone, Copy)]
struct Clause {
    cue: bool,
    negative: bool,
    /// The cue is only a colon right before ("Rushmore: 8/10").
    colon: bool,
}

impl Clause {
    /// A cue and nothing negative.
    fn cued(self) -> bool {
        self.cue && !self.negative
    }
}

fn clause_before(line: &str, p: usize) -> Clause {
    let before = line[..p].trim_end();
    if before.ends_with(':') {
        return Clause {
            cue: true,
            negative: false,
            colon: true,
        };
    }
    let mut start = p.saturating_sub(80);
    while !line.is_char_boundary(start) {
        start += 1;
    }
    let window = &line[start..p];
    let stop = |c: char| {
        matches!(
            c,
            '.' | '!' | '?' | ';' | ':' | '"' | '“' | '”' | '(' | ')' | '[' | ']' | '—' | '–'
        )
    };
    let clause = match window.char_indices().rev().find(|&(_, c)| stop(c)) {
        Some((x, c)) => &window[x + c.len_utf8()..],
        None => window,
    };
    let words: Vec<String> = clause
        .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect();
    let negative = words
        .iter()
        .any(|w| HYPOTHETICAL.contains(&w.as_str()) || w.ends_with("n't"));
    let cue = words
        .iter()
        .rev()
        .take(5)
        .any(|w| CUES.contains(&w.as_str()));
    Clause {
        cue,
        negative,
        colon: false,
    }
}

/// Whether the phrase at `p` is inside parentheses: "Rushmore (8/10)" in
/// prose rates another film.
fn in_parentheses(line: &str, p: usize) -> bool {
    line[..p].trim_end().ends_with(['(', '['])
}

#[derive(Clone, Copy, PartialEq)]
enum After {
    /// Nothing but the end of the clause may follow (bare numbers, bare
    /// letters).
    Strict,
    /// After a label: anything but a unit or "of".
    Labelled,
    /// In prose: only a few linking words.
    Inline,
}

/// Whether what follows an expression ending at `end` lets it stand.
fn ends_ok(line: &str, end: usize, mode: After) -> bool {
    let rest = &line[end..];
    if rest.starts_with(|c: char| c.is_alphanumeric()) {
        return false;
    }
    let r = rest.trim_start();
    let Some(c) = r.chars().next() else {
        return true;
    };
    if c.is_alphabetic() {
        let w: String = r
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect::<String>()
            .to_lowercase();
        return match mode {
            After::Strict => false,
            After::Labelled => {
                !(NOT_AFTER.contains(&w.as_str()) || NOT_AFTER_FR.contains(&w.as_str()))
            }
            After::Inline => INLINE_FOLLOW.contains(&w.as_str()),
        };
    }
    if c.is_ascii_digit() {
        return false;
    }
    // "13, 14", "9:30", "88-90", "3/4/5"
    let next = r[c.len_utf8()..].trim_start().chars().next();
    if matches!(
        c,
        ',' | ':' | '-' | '–' | '—' | '/' | '.' | '&' | '+' | 'x' | '×'
    ) && next.is_some_and(|n| n.is_ascii_digit())
    {
        return false;
    }
    if mode == After::Strict
        && matches!(
            c,
            '%' | '$' | '€' | '£' | '°' | '\'' | '"' | '’' | '”' | '′' | '″'
        )
    {
        return false;
    }
    true
}

fn ctx_plain() -> Ctx {
    Ctx {
        hint: None,
        hint_worst: None,
        bare_numbers: false,
        lower_letters: false,
        labelled: false,
        stars_label: false,
    }
}

/// Whether an expression filling a line by itself has a scale explicit
/// enough to be a rating.
fn explicit_alone(e: &Expr) -> bool {
    match e.kind {
        Kind::Fraction => e.star_word || RATING_DENOMINATORS.contains(&e.best),
        Kind::OutOf { short } => !short || e.star_word,
        Kind::Range => true,
        Kind::GlyphStars { .. } => true,
        Kind::AsciiStars { half } => half || e.star_word || e.explicit_best,
        Kind::WordStars => true,
        Kind::Letter { bare } => !bare,
        Kind::Percent | Kind::Bare => false,
    }
}

fn found(
    text_off: usize,
    line: &str,
    start: usize,
    e: &Expr,
    label: Option<&str>,
    cap: Confidence,
) -> Found {
    let raw = &line[start..e.core_end];
    Found {
        rating: Rating {
            raw: raw.to_string(),
            value: e.value,
            best: e.best,
            worst: e.worst,
            score: parse::score_of(e),
            scale: e.scale.clone(),
            confidence: e.confidence.min(cap),
            span: Some(Span::new(text_off + start, text_off + e.core_end)),
        },
        label: label.map(str::to_string),
    }
}

pub(crate) fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut off = 0;
    for line in text.split('\n') {
        let line_off = off;
        off += line.len() + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        scan_line(line_off, line, &mut out);
    }
    out
}

/// Content bounds of a line: trimmed, without a heading, quote or bullet
/// marker.
fn content_bounds(line: &str) -> (usize, usize) {
    let end = line.trim_end().len();
    let mut start = line.len() - line.trim_start().len();
    loop {
        let rest = &line[start..end];
        let skipped = ["#", ">", "- ", "• ", "+ "]
            .iter()
            .find_map(|m| rest.strip_prefix(m));
        match skipped {
            Some(r) => {
                let r2 = r.trim_start();
                start = end - r2.len();
            }
            None => return (start, end),
        }
    }
}

fn whole_line(line: &str) -> Option<(usize, Expr)> {
    let (cs, ce) = content_bounds(line);
    if cs >= ce {
        return None;
    }
    let mut candidates = vec![(cs, ce)];
    let content = &line[cs..ce];
    for marker in ["**", "__", "*", "_"] {
        if content.len() > 2 * marker.len()
            && content.starts_with(marker)
            && content.ends_with(marker)
        {
            let (a, b) = (cs + marker.len(), ce - marker.len());
            let inner = line[a..b].trim();
            if !inner.is_empty() {
                let a2 = a + (line[a..b].len() - line[a..b].trim_start().len());
                candidates.push((a2, a2 + inner.len()));
            }
            break;
        }
    }
    for (a, b) in candidates {
        if let Outcome::Expr(e) = parse::parse_at(line, a, &ctx_plain()) {
            if e.end > b {
                continue;
            }
            let rest = &line[e.end..b];
            if rest
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '.' | '!' | '*' | '_'))
                && explicit_alone(&e)
            {
                return Some((a, e));
            }
        }
    }
    None
}

fn scan_line(off: usize, line: &str, out: &mut Vec<Found>) {
    if let Some((start, e)) = whole_line(line) {
        out.push(found(off, line, start, &e, None, Confidence::High));
        return;
    }
    let mut here: Vec<Found> = Vec::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();

    // labelled ratings
    let mut p = 0;
    while p < line.len() {
        let Some(c) = peek(line, p) else { break };
        if c.is_ascii_alphabetic()
            && at_clause_start(line, p)
            && let Some(l) = label_at(line, p)
        {
            let ctx = Ctx {
                hint: None,
                hint_worst: None,
                bare_numbers: l.delimited,
                lower_letters: false,
                labelled: true,
                stars_label: l.head == "stars",
            };
            if let Outcome::Expr(e) = parse::parse_at(line, l.after, &ctx) {
                let mode = match e.kind {
                    Kind::Bare | Kind::Letter { bare: true } | Kind::Percent => After::Strict,
                    // "STAR RATING: ***** Saturday Night **** Friday …" is a legend
                    Kind::AsciiStars { .. } if !e.explicit_best => After::Strict,
                    _ => After::Labelled,
                };
                let explicit_enough = l.delimited || explicit_alone(&e);
                let asterisks_ok = !matches!(e.kind, Kind::AsciiStars { .. }) || l.delimited;
                if explicit_enough && asterisks_ok && ends_ok(line, e.end, mode) {
                    let label = &line[l.start..l.text_end];
                    here.push(found(off, line, l.start, &e, Some(label), Confidence::High));
                    covered.push((l.start, e.end));
                    p = e.end;
                    continue;
                }
            } else if let Some(f) = french_grade_after(off, line, &l) {
                let end = f.rating.span.map_or(line.len(), |s| s.end - off);
                here.push(f);
                covered.push((l.start, end));
                p = end;
                continue;
            }
        }
        p += c.len_utf8();
    }

    // inline phrases
    let mut next_covered = 0;
    let mut p = 0;
    while p < line.len() {
        let Some(c) = peek(line, p) else { break };
        let step = c.len_utf8();
        // labelled ratings, in order, are skipped
        while next_covered < covered.len() && covered[next_covered].1 <= p {
            next_covered += 1;
        }
        if let Some(&(a, e)) = covered.get(next_covered)
            && a <= p
        {
            p = e;
            continue;
        }
        if !inline_start(line, p, c) {
            p += step;
            continue;
        }
        if let Outcome::Expr(e) = parse::parse_at(line, p, &ctx_plain())
            && inline_ok(line, p, &e)
        {
            here.push(found(off, line, p, &e, None, Confidence::Medium));
            p = e.end.max(p + step);
            continue;
        }
        p += step;
    }
    here.sort_by_key(|f| f.rating.span.map_or(0, |s| s.start));
    out.extend(here);
}

/// A French grade after a French label, filling the rest of the line: "Note
/// : Très bien", "**Cote :** Pas mal." Never in prose: "bien" in a
/// sentence is no grade.
fn french_grade_after(off: usize, line: &str, l: &Label) -> Option<Found> {
    if !l.delimited || !FRENCH_HEADS.contains(&l.head) {
        return None;
    }
    let (grade, len) = crate::words::french_grade_at(&line[l.after..])?;
    let end = l.after + len;
    // nothing but closing punctuation, markup and tags to the line's end
    let mut rest = &line[end..];
    loop {
        rest = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '.' | '!' | '*' | '_' | '»' | '"' | '”')
        });
        let t = skip_tags(rest, 0);
        if t == 0 {
            break;
        }
        rest = &rest[t..];
    }
    if !rest.is_empty() {
        return None;
    }
    let raw = &line[l.start..end];
    let mut rating = crate::words::grade_rating(raw, grade);
    rating.span = Some(Span::new(off + l.start, off + end));
    Some(Found {
        rating,
        label: Some(line[l.start..l.text_end].to_string()),
    })
}

/// Where an inline phrase may start: a number (not inside another
/// number or word), a number word, a star glyph.
fn inline_start(line: &str, p: usize, c: char) -> bool {
    let prev = prev_char(line, p);
    if parse::is_filled_glyph(c) || parse::is_half_star_glyph(c) {
        return !prev.is_some_and(|x| {
            parse::is_filled_glyph(x) || parse::is_half_star_glyph(x) || x == '\u{FE0F}'
        });
    }
    let glued = |x: char| {
        x.is_alphanumeric()
            || matches!(
                x,
                '.' | ',' | '/' | '-' | '+' | '$' | '£' | '€' | '#' | ':' | '_' | '*'
            )
    };
    if prev.is_some_and(glued) {
        return false;
    }
    if c == '*' {
        return true;
    }
    if c.is_ascii_digit() {
        return true;
    }
    if c == '+' || c == '-' {
        return peek(line, p + 1).is_some_and(|n| n.is_ascii_digit());
    }
    c.is_ascii_alphabetic() && parse::starts_number_word(line, p)
}

fn inline_ok(line: &str, p: usize, e: &Expr) -> bool {
    if in_parentheses(line, p) {
        return false;
    }
    let last_word = line[..p]
        .trim_end()
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if NOT_BEFORE.contains(&last_word.as_str()) {
        return false;
    }
    let clause = clause_before(line, p);
    // "4 out of 5 stars" needs no cue, only a plain clause
    let said = clause.cued() || (e.star_word && !clause.negative);
    match e.kind {
        Kind::Fraction => {
            RATING_DENOMINATORS.contains(&e.best) && said && ends_ok(line, e.end, After::Inline)
        }
        Kind::OutOf { short } => {
            (!short || e.star_word) && said && ends_ok(line, e.end, After::Inline)
        }
        Kind::Range => ends_ok(line, e.end, After::Inline),
        Kind::GlyphStars { slots } => {
            (slots >= 2 || e.star_word || e.explicit_best || clause.cued())
                && !line[e.end..].starts_with(|c: char| c.is_alphanumeric())
        }
        // "one: no stars, no action" is no rating; a colon is no cue here
        Kind::WordStars => {
            ((clause.cued() && !clause.colon) || (e.explicit_best && !clause.negative))
                && ends_ok(line, e.end, After::Inline)
        }
        // "****1/2 out of *****"
        Kind::AsciiStars { .. } => e.explicit_best && ends_ok(line, e.end, After::Inline),
        Kind::Letter { .. } | Kind::Percent | Kind::Bare => false,
    }
}
