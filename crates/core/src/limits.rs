//! How long a review's names may be. Real film titles run to a few hundred
//! characters and names to a few dozen; a field of megabytes is an error or
//! an attack, and is cut (and said) wherever a review is made: from a
//! document (`verdict-extract`) and from an export row (`verdict-import`).

use crate::{Diagnostic, Review};

/// A film title (or alternative title) longer than this many characters is cut.
pub const MAX_TITLE_CHARS: usize = 1000;
/// A critic's or an outlet's name longer than this many characters is cut.
pub const MAX_NAME_CHARS: usize = 300;

/// Cuts `s` to its first `max` characters; returns its length in
/// characters when it was longer (and so was cut).
pub fn cut_chars(s: &mut String, max: usize) -> Option<usize> {
    let (end, _) = s.char_indices().nth(max)?;
    let was = max + s[end..].chars().count();
    s.truncate(end);
    Some(was)
}

/// [`cut_chars`], with a warning (`code`) naming `what` when it cut.
pub fn cut_said(
    s: &mut String,
    max: usize,
    what: &str,
    code: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(was) = cut_chars(s, max) {
        diagnostics.push(Diagnostic::warning(
            code,
            format!("the {what} is {was} characters long: cut to its first {max}"),
        ));
    }
}

impl Review {
    /// Cuts the film title, the title seen, the aliases and the critic's and
    /// outlet's names to their limits, each cut said under `code`.
    pub fn cut_names(&mut self, code: &str, diagnostics: &mut Vec<Diagnostic>) {
        let titles = self
            .film_title
            .iter_mut()
            .chain(self.title_seen.iter_mut())
            .map(|t| (t, "film title"))
            .chain(
                self.aliases
                    .iter_mut()
                    .map(|a| (a, "film's alternative title")),
            );
        for (t, what) in titles {
            cut_said(t, MAX_TITLE_CHARS, what, code, diagnostics);
        }
        for (name, what) in [
            (&mut self.critic, "critic's name"),
            (&mut self.outlet, "outlet's name"),
        ] {
            if let Some(name) = name {
                cut_said(name, MAX_NAME_CHARS, what, code, diagnostics);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_a_character_boundary_and_says_how_long_it_was() {
        let mut s = "é".repeat(10);
        assert_eq!(cut_chars(&mut s, 4), Some(10));
        assert_eq!(s, "éééé");
        assert_eq!(cut_chars(&mut s, 4), None);
        let mut d = Vec::new();
        let mut long = "x".repeat(MAX_NAME_CHARS + 5);
        cut_said(
            &mut long,
            MAX_NAME_CHARS,
            "critic's name",
            "test.cut",
            &mut d,
        );
        assert_eq!(long.len(), MAX_NAME_CHARS);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .contains(&format!("{} characters", MAX_NAME_CHARS + 5)),
            "{}",
            d[0].message
        );
    }
}
