//! What the server asks of the application layer.
//!
//! The server reads stored films through `verdict_present`, typed, as
//! `verdict show` and `verdict films` do: every number it shows is the one
//! they print. Only what needs the whole pipeline — a posted document
//! read, judged, resolved and stored — is asked of the app crate
//! (`verdict`), which depends on this crate for `verdict serve` and so
//! implements [`Domain`] and hands it to [`crate::serve`].

use std::sync::{Mutex, PoisonError};

use verdict_present::Outcome;
use verdict_source::RawDocument;
use verdict_store::Store;

/// The pipeline, as the server's write endpoint needs it.
pub trait Domain: Send + Sync + 'static {
    /// Runs one document through the pipeline and stores it (what `verdict
    /// ingest` does with one input). Everything it writes is written
    /// inside [`Ticket::commit`]: when the request that asked for it has
    /// timed out (or its client went away) by then, nothing is written
    /// and the outcome is [`Ticket::abandoned`]'s.
    fn ingest(&self, store: &mut dyn Store, document: &RawDocument, ticket: &Ticket) -> Outcome;
}

/// Whether the request a write works for still waits for it. The request
/// [abandons](Ticket::abandon) it when it times out (it answers 408) or
/// its client goes away; the write [commits](Ticket::commit) only while
/// it is not abandoned, and once it has begun to commit it is no longer
/// abandoned: the request waits for it and answers what it stored. So a
/// client that got 408 finds nothing of its request stored.
#[derive(Debug, Default)]
pub struct Ticket {
    phase: Mutex<Phase>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Phase {
    #[default]
    Waiting,
    Committing,
    Abandoned,
}

impl Ticket {
    pub fn new() -> Ticket {
        Ticket::default()
    }

    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `write` unless the request has been abandoned (then `None`,
    /// and nothing runs). Once it runs the request can no longer be
    /// abandoned.
    pub fn commit<T>(&self, write: impl FnOnce() -> T) -> Option<T> {
        {
            let mut phase = self.phase();
            if *phase == Phase::Abandoned {
                return None;
            }
            *phase = Phase::Committing;
        }
        Some(write())
    }

    /// Whether the request has been abandoned (work not begun yet can be
    /// skipped).
    pub fn is_abandoned(&self) -> bool {
        *self.phase() == Phase::Abandoned
    }

    /// Abandons the request unless its write has begun to commit: `true`
    /// when nothing will be written, `false` when the write is committing
    /// (or committed) and its outcome should be waited for.
    pub fn abandon(&self) -> bool {
        let mut phase = self.phase();
        match *phase {
            Phase::Waiting | Phase::Abandoned => {
                *phase = Phase::Abandoned;
                true
            }
            Phase::Committing => false,
        }
    }

    /// The outcome of a write whose request was abandoned before it could
    /// commit.
    pub fn abandoned() -> Outcome {
        Outcome::Failed {
            error: "the request timed out before it was stored; nothing was stored".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abandoned_ticket_commits_nothing_and_a_committing_one_cannot_be_abandoned() {
        let t = Ticket::new();
        assert!(t.abandon());
        assert!(t.is_abandoned());
        assert_eq!(t.commit(|| 1), None);

        let t = Ticket::new();
        assert_eq!(
            t.commit(|| {
                assert!(!t.abandon(), "a write under way is waited for");
                2
            }),
            Some(2)
        );
        assert!(!t.abandon());
    }
}
