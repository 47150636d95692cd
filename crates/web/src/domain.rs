//! What the server asks of the application layer.
//!
//! The server reads stored films through `verdict_present`, typed, as
//! `verdict show` and `verdict films` do: every number it shows is the one
//! they print. Only what needs the whole pipeline — a posted document
//! read, judged, resolved and stored — is asked of the app crate
//! (`verdict`), which depends on this crate for `verdict serve` and so
//! implements [`Domain`] and hands it to [`crate::serve`].

use verdict_present::Outcome;
use verdict_source::RawDocument;
use verdict_store::Store;

/// The pipeline, as the server's write endpoint needs it.
pub trait Domain: Send + Sync + 'static {
    /// Runs one document through the pipeline and stores it (what `verdict
    /// ingest` does with one input).
    fn ingest(&self, store: &mut dyn Store, document: &RawDocument) -> Outcome;
}
