//! Output as a Unix user expects it: data on standard output, everything
//! else on standard error, errors as `verdict: INPUT: REASON`, counts with
//! their plurals, and a closed pipe (`verdict films | head`) ending the
//! command quietly instead of with a message or a panic.

use std::io::ErrorKind;

/// Writes one line on standard error, like `eprintln!`, but never panics: a
/// closed standard error (`verdict ingest … 2>&1 | head`) is not worth
/// dying for.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
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
pub fn about(input: &str, reason: &str) -> String {
    if !input.is_empty() && reason.starts_with(input) {
        reason.to_string()
    } else {
        format!("{input}: {reason}")
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
                    "stored     {origin}: {film}, {score:.0} {verdict} ({how})"
                )?;
            }
        }
        Outcome::Duplicate { .. } => {
            tally.duplicates += 1;
            if !quiet {
                writeln!(out, "unchanged  {origin}: already stored")?;
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
                    "listing    {origin}: a page that lists {}",
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
                        "published  {origin}: {} (the site's own aggregate, shown beside Verdict's; never counted)",
                        p.summary()
                    )?;
                }
            }
        }
    }
    Ok(())
}
