//! Multi-aspect marks: a bare number on its own line followed by the name of
//! what it rates, as Little White Lies prints them:
//!
//! ```text
//! 3
//! Anticipation.
//! Not sure what sets this apart in a crowded field...
//! 4
//! Enjoyment.
//! ```
//!
//! Little White Lies marks each aspect out of 5 and its final verdict is
//! "In Retrospect". For other aspect sets the scale is assumed from the
//! largest mark (≤ 5 → 5, ≤ 10 → 10) with low confidence.

use verdict_core::{Aspect, Confidence, Rating, Span};

/// One line of content with its span in the document text.
pub struct Line<'a> {
    pub text: &'a str,
    pub span: Option<Span>,
}

/// Aspect names that are an outlet's final verdict.
const FINAL: [&str; 7] = [
    "in retrospect",
    "overall",
    "verdict",
    "final verdict",
    "final",
    "total",
    "overall rating",
];
const LITTLE_WHITE_LIES: [&str; 3] = ["anticipation", "enjoyment", "in retrospect"];

/// The marks found, with the indices of the lines they used.
pub struct Marks {
    pub aspects: Vec<Aspect>,
    pub headline: Option<Rating>,
    pub used_lines: Vec<usize>,
    pub scale_note: String,
}

/// Finds a run of at least two aspect marks.
pub fn find(lines: &[Line]) -> Option<Marks> {
    let mut found: Vec<(usize, f64, String)> = Vec::new(); // (number line, value, name)
    let mut i = 0;
    while i + 1 < lines.len() {
        let number = lines[i].text.trim();
        if let Some(value) = bare_mark(number)
            && let Some(name) = aspect_name(lines[i + 1].text)
        {
            found.push((i, value, name));
            i += 2;
            continue;
        }
        i += 1;
    }
    if found.len() < 2 {
        return None;
    }
    let names: Vec<String> = found.iter().map(|(_, _, n)| n.to_lowercase()).collect();
    let lwl = names
        .iter()
        .all(|n| LITTLE_WHITE_LIES.contains(&n.as_str()));
    let max = found.iter().map(|(_, v, _)| *v).fold(0.0, f64::max);
    let (best, confidence, scale_note) = if lwl {
        (
            5.0,
            Confidence::High,
            "Little White Lies marks, each out of 5".to_string(),
        )
    } else if max <= 5.0 {
        (
            5.0,
            Confidence::Low,
            "aspect marks assumed out of 5 (largest mark ≤ 5)".to_string(),
        )
    } else if max <= 10.0 {
        (
            10.0,
            Confidence::Low,
            "aspect marks assumed out of 10 (largest mark ≤ 10)".to_string(),
        )
    } else {
        return None;
    };
    let score = |v: f64| (v / best * 100.0).clamp(0.0, 100.0);
    let aspects: Vec<Aspect> = found
        .iter()
        .map(|(line, value, name)| Aspect {
            name: name.clone(),
            raw: lines[*line].text.trim().to_string(),
            value: *value,
            best,
            score: score(*value),
            span: lines[*line].span,
        })
        .collect();
    let headline = aspects
        .iter()
        .rev()
        .find(|a| FINAL.contains(&a.name.to_lowercase().as_str()))
        .map(|a| Rating {
            raw: a.raw.clone(),
            value: a.value,
            best,
            worst: 0.0,
            score: a.score,
            scale: format!("x/{best}"),
            confidence,
            span: a.span,
        });
    let used_lines = found.iter().flat_map(|(l, _, _)| [*l, *l + 1]).collect();
    Some(Marks {
        aspects,
        headline,
        used_lines,
        scale_note,
    })
}

/// A mark on a line by itself: "3", "4.5".
fn bare_mark(s: &str) -> Option<f64> {
    if s.is_empty()
        || s.len() > 4
        || s.ends_with('.')
        || !s.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return None;
    }
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0 && *v <= 10.0)
}

/// An aspect name: one to three capitalised words, optionally ending in "."
/// or ":", no digits.
fn aspect_name(s: &str) -> Option<String> {
    let t = s.trim().trim_end_matches(['.', ':']).trim();
    let words = t.split_whitespace().count();
    let ok = (1..=3).contains(&words)
        && t.chars().next().is_some_and(char::is_uppercase)
        && t.chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'');
    ok.then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines<'a>(texts: &[&'a str]) -> Vec<Line<'a>> {
        texts
            .iter()
            .map(|t| Line {
                text: t,
                span: None,
            })
            .collect()
    }

    #[test]
    fn little_white_lies_triad() {
        let l = lines(&[
            "3",
            "Anticipation.",
            "Not sure what sets this apart...",
            "4",
            "Enjoyment.",
            "Plenty to admire.",
            "4",
            "In Retrospect.",
            "Eerie, exacting filmmaking.",
        ]);
        let m = find(&l).unwrap();
        let scores: Vec<f64> = m.aspects.iter().map(|a| a.score).collect();
        assert_eq!(scores, vec![60.0, 80.0, 80.0]);
        let h = m.headline.unwrap();
        assert_eq!(h.score, 80.0);
        assert_eq!(h.confidence, Confidence::High);
        assert_eq!(m.used_lines, vec![0, 1, 3, 4, 6, 7]);
    }

    #[test]
    fn one_number_is_not_a_mark_set() {
        assert!(find(&lines(&["3", "Young girls.", "Some text"])).is_none());
        assert!(find(&lines(&["1.", "Intro", "2.", "Body"])).is_none());
    }
}
