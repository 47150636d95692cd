//! Output as a Unix user expects it: data on standard output, everything
//! else on standard error, errors as `verdict: INPUT: REASON`, counts with
//! their plurals, and a closed pipe (`verdict films | head`) ending the
//! command quietly instead of with a message or a panic.

use std::borrow::Cow;
use std::io::ErrorKind;

/// Writes one line on standard error, like `eprintln!`, but never panics: a
/// closed standard error (`verdict ingest … 2>&1 | head`) is not worth
/// dying for. Control characters in the message (an input's name may hold
/// a terminal's escape codes) are escaped ([`shown_lines`]); the line
/// breaks of a message of several lines are kept: a name in a message is
/// escaped whole, line breaks included, with [`shown`] where it is named.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            $crate::cmd::out::shown_lines(&line)
        );
    }};
}

/// A name (a file's, a URL, a title) or a one-line message as a terminal
/// should get it: control characters escaped — `\n`, `\r`, `\t`, others
/// as `\u{1b}` — and the invisible controls of text direction too, so a
/// name can neither colour, move nor rewrite what is shown, nor start a
/// line of its own. Without any, the text as it is.
pub fn shown(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// [`shown`] for a message of several lines: its line breaks are kept.
pub fn shown_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// A path, [`shown`].
pub fn shown_path(path: &std::path::Path) -> String {
    shown(&path.display().to_string()).into_owned()
}

fn escaped(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && !(keep_newlines && c == '\n'))
        // bidirectional overrides and isolates, marks (Trojan Source)
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| escaped(c, keep_newlines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !escaped(c, keep_newlines) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Whether an error is standard output's reader going away (`| head`):
/// the command then ends quietly.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(ErrorKind::BrokenPipe)
    })
}

/// An error about one input, `INPUT: REASON`: most reasons name their
/// input already, and it is not named twice.
/// The whole line is [`shown`]: a name or a reason cannot break it.
pub fn about(input: &str, reason: &str) -> String {
    if !input.is_empty() && reason.starts_with(input) {
        shown(reason).into_owned()
    } else {
        format!("{}: {}", shown(input), shown(reason))
    }
}

/// "1 film", "2 films", "0 entries": a count with its noun.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_their_plural() {
        assert_eq!(count(1u64, "film", "films"), "1 film");
        assert_eq!(count(0u64, "film", "films"), "0 films");
        assert_eq!(count(2u64, "entry", "entries"), "2 entries");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(shown("plain.txt"), Cow::Borrowed("plain.txt"));
        assert_eq!(
            shown("a\u{1b}[31mred\nb\tc\r.txt"),
            "a\\u{1b}[31mred\\nb\\tc\\r.txt"
        );
        assert_eq!(shown("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(shown_lines("one\ntwo\u{7}"), "one\ntwo\\u{7}");
        assert_eq!(
            about("a\nb.txt", "a\nb.txt: empty document"),
            "a\\nb.txt: empty document"
        );
    }

    #[test]
    fn an_input_is_named_once() {
        assert_eq!(
            about("a.txt", "a.txt: empty document"),
            "a.txt: empty document"
        );
        assert_eq!(about("a.txt", "database locked"), "a.txt: database locked");
    }

    #[test]
    fn broken_pipes_are_told_from_other_errors() {
        let pipe = std::io::Error::from(ErrorKind::BrokenPipe);
        assert!(is_broken_pipe(&anyhow::Error::from(pipe)));
        let json = serde_json::to_writer(Closed, &[1, 2, 3]).unwrap_err();
        assert!(is_broken_pipe(
            &anyhow::Error::from(json).context("printing")
        ));
        let other = std::io::Error::from(ErrorKind::NotFound);
        assert!(!is_broken_pipe(&anyhow::Error::from(other)));
    }

    /// A writer whose reader is gone.
    struct Closed;

    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}

/// How many inputs (or listing items) were stored, found stored already,
/// or failed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub stored: usize,
    pub duplicates: usize,
    pub failed: usize,
}

/// Tells one input's outcome: a line on standard output (unless `quiet`:
/// `--json` writes its own), an error on standard error; a listing page
/// one line per item and one per published aggregate recorded.
pub fn tell(
    out: &mut impl std::io::Write,
    origin: &str,
    outcome: &verdict_present::Outcome,
    quiet: bool,
    tally: &mut Tally,
) -> std::io::Result<()> {
    use verdict_present::Outcome;
    match outcome {
        Outcome::Stored {
            film,
            review_id,
            copy: true,
            ..
        } => {
            tally.stored += 1;
            if !quiet {
                writeln!(
                    out,
                    "stored     {}: {}, another address of review #{review_id} (the same text; counted once)",
                    shown(origin),
                    shown(film)
                )?;
            }
        }
        Outcome::Stored {
            film,
            score,
            verdict,
            inferred,
            ..
        } => {
            tally.stored += 1;
            if !quiet {
                let how = if *inferred { "inferred" } else { "rated" };
                writeln!(
                    out,
                    "stored     {}: {}, {score:.0} {verdict} ({how})",
                    shown(origin),
                    shown(film)
                )?;
            }
        }
        Outcome::Duplicate { .. } => {
            tally.duplicates += 1;
            if !quiet {
                writeln!(out, "unchanged  {}: already stored", shown(origin))?;
            }
        }
        Outcome::Failed { error } => {
            tally.failed += 1;
            say!("verdict: {}", about(origin, error));
        }
        Outcome::Listing { items, published } => {
            if !quiet {
                writeln!(
                    out,
                    "listing    {}: a page that lists {}",
                    shown(origin),
                    count(items.len() as u64, "review", "reviews")
                )?;
            }
            for item in items {
                tell(out, &item.source, &item.outcome, quiet, tally)?;
            }
            if !quiet {
                for p in published {
                    writeln!(
                        out,
                        "published  {}: {} (the site's own aggregate, shown beside Verdict's; never counted)",
                        shown(origin),
                        shown(&p.summary())
                    )?;
                }
            }
        }
    }
    Ok(())
}
