//! How film titles compare: case, diacritics, punctuation and a leading
//! article do not matter.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A title a film is also known by, with the key it is looked up under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub title: String,
    /// [`title_key`] of the title.
    pub key: String,
}

impl Alias {
    /// An alias with an explicit key.
    pub fn new(title: impl Into<String>, key: impl Into<String>) -> Alias {
        Alias {
            title: title.into(),
            key: key.into(),
        }
    }

    /// An alias keyed by [`title_key`].
    pub fn of(title: &str) -> Alias {
        Alias {
            title: title.to_string(),
            key: title_key(title),
        }
    }
}

/// Folds text for comparison: NFKD, combining marks removed, lower case,
/// every run of non-alphanumerics turned into one space, "&" read as "and".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) || c == '\'' || c == '’' {
            continue;
        }
        if c == '&' {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("and");
            space = true;
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

const ARTICLES: [&str; 9] = [
    "the ", "a ", "an ", "les ", "le ", "la ", "l ", "der ", "die ",
];

/// The key a title is stored and looked up under: [`fold`]ed, without a
/// leading article ("The Zone of Interest" → "zone of interest",
/// "Les Chambres Rouges" → "chambres rouges").
pub fn title_key(title: &str) -> String {
    let folded = fold(title);
    for article in ARTICLES {
        if let Some(rest) = folded.strip_prefix(article)
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    folded
}

/// Title case for titles written in capitals ("RED ROOMS" → "Red Rooms"),
/// keeping short function words lower case except first and last.
pub fn title_case(s: &str) -> String {
    const SMALL: [&str; 16] = [
        "a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to",
        "vs", "with",
    ];
    let words: Vec<&str> = s.split_whitespace().collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i != 0 && i != last && SMALL.contains(&lower.as_str()) {
                return lower;
            }
            let mut out = String::with_capacity(lower.len());
            let mut start = true;
            for c in lower.chars() {
                if start && c.is_alphanumeric() {
                    out.extend(c.to_uppercase());
                    start = false;
                } else {
                    out.push(c);
                    if c == '-' {
                        start = true;
                    }
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the letters of `s` are all capitals (and there are some).
pub fn is_all_caps(s: &str) -> bool {
    let mut letters = s.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(|c| !c.is_lowercase())
}

/// Which kind of title a catalogue entry is known by; ordered from the
/// strongest evidence of a match to the weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TitleKind {
    /// The entry's main title.
    Primary,
    /// Its title in the original language.
    Original,
    /// Any other title it is known by.
    Alternative,
}

impl TitleKind {
    /// How the store writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            TitleKind::Primary => "primary",
            TitleKind::Original => "original",
            TitleKind::Alternative => "alternative",
        }
    }

    /// The inverse of [`TitleKind::as_str`].
    pub fn parse(s: &str) -> Option<TitleKind> {
        match s {
            "primary" => Some(TitleKind::Primary),
            "original" => Some(TitleKind::Original),
            "alternative" => Some(TitleKind::Alternative),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_punctuation() {
        assert_eq!(fold("Les Chambres Rouges"), "les chambres rouges");
        assert_eq!(fold("  RÉD—Rooms!! "), "red rooms");
        assert_eq!(fold("Amélie"), "amelie");
        assert_eq!(fold("Kelly-Anne’s"), "kelly annes");
        assert_eq!(fold("Fast & Furious"), "fast and furious");
    }

    #[test]
    fn keys_drop_a_leading_article() {
        assert_eq!(title_key("Les Chambres Rouges"), "chambres rouges");
        assert_eq!(title_key("the red rooms"), "red rooms");
        assert_eq!(title_key("The"), "the");
        assert_eq!(title_key("Red Rooms"), title_key("RED ROOMS"));
    }

    #[test]
    fn title_cases_capitals() {
        assert_eq!(title_case("RED ROOMS"), "Red Rooms");
        assert_eq!(
            title_case("KINGDOM OF THE PLANET OF THE APES"),
            "Kingdom of the Planet of the Apes"
        );
        assert_eq!(
            title_case("SPIDER-MAN: NO WAY HOME"),
            "Spider-Man: No Way Home"
        );
        assert!(is_all_caps("RED ROOMS 2"));
        assert!(!is_all_caps("Red Rooms"));
    }
}
