//! Sentences for evidence.

use crate::features::strip_tags;

/// The longest evidence sentence returned, in characters.
pub(crate) const MAX_EVIDENCE_CHARS: usize = 300;

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "lt", "col", "gen", "sgt", "capt", "jr", "sr", "vs", "etc",
    "no", "vol", "mt", "prof", "rev", "fig", "approx", "dept", "inc", "ltd", "co",
];

/// Splits a passage into sentences: at line breaks, and after `.`, `!`, `?`
/// or `…` (with any closing quotes or brackets) followed by white space.
/// Tags are removed and white space is collapsed; empty pieces are dropped.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let text = strip_tags(text);
    let mut out = Vec::new();
    for (a, b) in sentence_spans(&text) {
        push_sentence(&mut out, &text[a..b]);
    }
    out
}

/// Byte ranges of the sentences of `text`, trimmed, empty ones dropped:
/// a sentence ends at a line break, or after `.`, `!`, `?` or `…` (with
/// any closing quotes, brackets or emphasis marks) followed by white
/// space, unless the period ends an abbreviation ("Mr.") or an initial
/// ("J."). The one sentence splitter of the project: the judge's
/// evidence and the aggregate's consensus both read sentences this way.
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let mut start = 0;
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !matches!(c, '.' | '!' | '?' | '\u{2026}') {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if matches!(
                    n,
                    '.' | '!'
                        | '?'
                        | '\u{2026}'
                        | '"'
                        | '\''
                        | ')'
                        | ']'
                        | '\u{201d}'
                        | '\u{2019}'
                        | '»'
                        | '*'
                        | '_'
                ) {
                    end = j + n.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let at_space = chars.peek().is_some_and(|&(_, n)| n.is_whitespace());
            if at_space && !(c == '.' && ends_with_abbreviation(&line[start..i])) {
                push_span(&mut out, line, line_start, start, end);
                start = end;
            }
        }
        push_span(&mut out, line, line_start, start, line.len());
        line_start += line.len() + 1;
    }
    out
}

/// `line[a..b]` trimmed, as a range of the whole text (`offset` is where
/// the line starts), unless it is empty.
fn push_span(out: &mut Vec<(usize, usize)>, line: &str, offset: usize, a: usize, b: usize) {
    let piece = &line[a..b];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push((offset + a + lead, offset + a + lead + trimmed.len()));
    }
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return true; // an initial: "J. R. R. Tolkien"
    }
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

fn push_sentence(out: &mut Vec<String>, piece: &str) {
    let mut s = String::with_capacity(piece.len());
    for w in piece.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    if !s.is_empty() {
        out.push(s);
    }
}

/// Shortens `s` to at most [`MAX_EVIDENCE_CHARS`] characters, at a word
/// boundary where there is one, marking the cut with `…`.
pub(crate) fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_EVIDENCE_CHARS {
        return s.to_string();
    }
    let cut: String = s.chars().take(MAX_EVIDENCE_CHARS - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(p) if p > MAX_EVIDENCE_CHARS / 2 => &cut[..p],
        _ => &cut[..],
    };
    format!("{}\u{2026}", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences() {
        assert_eq!(
            sentences("It is great. Mr. Smith agrees!  \"Really?\" Yes…\nNew line<br/>here"),
            [
                "It is great.",
                "Mr. Smith agrees!",
                "\"Really?\"",
                "Yes…",
                "New line here"
            ]
        );
        assert_eq!(
            sentences("J. R. R. Tolkien wrote it. Fine."),
            ["J. R. R. Tolkien wrote it.", "Fine."]
        );
        assert!(sentences("  \n ").is_empty());
    }

    #[test]
    fn clips_long_sentences() {
        let long = "word ".repeat(100);
        let c = clip(&long);
        assert!(c.chars().count() <= MAX_EVIDENCE_CHARS);
        assert!(c.ends_with('…'));
        assert_eq!(clip("short"), "short");
        let unbroken = "x".repeat(400);
        assert_eq!(clip(&unbroken).chars().count(), MAX_EVIDENCE_CHARS);
    }
}
