//! What `verdict serve` asks of the application: the [`verdict_web::Domain`]
//! implemented with [`crate::pipeline`], so that a document POSTed to the
//! server goes down the same pipeline as `verdict ingest`. (The server reads
//! films through `verdict_present`, as `verdict show` does.)

use std::net::SocketAddr;
use std::sync::Arc;

use verdict_judge::Judge;
use verdict_present::Outcome;
use verdict_source::RawDocument;
use verdict_store::Store;
use verdict_web::Ticket;

use crate::pipeline;

/// The application, as the web server sees it.
pub struct Site {
    judge: &'static Judge,
}

impl Site {
    /// The site reading with the linear judge.
    pub fn new() -> Site {
        Site::with_judge(Judge::embedded())
    }

    /// The site reading posted documents with `judge` (the reader chosen
    /// by `--reader`).
    pub fn with_judge(judge: &'static Judge) -> Site {
        Site { judge }
    }
}

impl Default for Site {
    fn default() -> Site {
        Site::new()
    }
}

impl verdict_web::Domain for Site {
    /// Each posted document is a run of its own (so that `verdict remove
    /// --run ID` undoes it, as it undoes a command's). The document is
    /// read and judged first; the run and the review are written only if
    /// the request still waits for them (`ticket`): a request that timed
    /// out stores nothing, not even its run.
    fn ingest(&self, store: &mut dyn Store, document: &RawDocument, ticket: &Ticket) -> Outcome {
        if ticket.is_abandoned() {
            return Ticket::abandoned();
        }
        let ready = match pipeline::prepare(store, self.judge, document) {
            pipeline::Prepared::Done(outcome) => return outcome,
            pipeline::Prepared::Ready(ready) => ready,
        };
        ticket
            .commit(|| {
                let args = format!("POST /api/reviews {}", document.origin);
                let run = match store.begin_run("serve", &args) {
                    Ok(run) => run,
                    Err(e) => {
                        return Outcome::Failed {
                            error: e.to_string(),
                        };
                    }
                };
                let outcome = ready.store(store, Some(run));
                // The review is stored (or not) whatever becomes of the
                // run's record: one that fails to be closed reads as never
                // finished.
                let _ = store.finish_run(run);
                outcome
            })
            .unwrap_or_else(Ticket::abandoned)
    }
}

/// Serves the database at `db_path` on `addr` until interrupted
/// (`verdict serve`).
pub fn serve(
    addr: SocketAddr,
    db: verdict_store::Location,
    config: verdict_web::Config,
    judge: &'static Judge,
) -> anyhow::Result<()> {
    verdict_web::run(addr, db, config, Arc::new(Site::with_judge(judge)))
}
