//! What the server asks of the application layer.
//!
//! The app crate (`verdict`) depends on this crate for `verdict serve`, so
//! this crate cannot depend on it; instead the app crate implements
//! [`Domain`] with `verdict::present` and `verdict::pipeline` and hands it
//! to [`crate::serve`]. Every number the server shows comes from there:
//! the server only routes, caches and renders.

use serde_json::Value;
use verdict_core::Film;
use verdict_source::RawDocument;
use verdict_store::{Store, StoreError, StoredReview};

/// The application functions the handlers call. Results are in the JSON
/// contract documented in the README (`verdict show --json`,
/// `verdict films --json`), which the API serves as they are and the pages
/// are rendered from (see [`crate::model`]).
pub trait Domain: Send + Sync + 'static {
    /// One film, its aggregate and every review (`verdict show --json`).
    fn film_page(&self, store: &dyn Store, film: &Film) -> Result<Value, StoreError>;

    /// Every film with its aggregate, in title order (`verdict films
    /// --json`): a JSON array of `{film, aggregate}`.
    fn films_overview(&self, store: &dyn Store) -> Result<Value, StoreError>;

    /// Films a user's query names, by title or alternative title.
    fn find_films(&self, store: &dyn Store, query: &str) -> Result<Vec<Film>, StoreError>;

    /// One stored review in the shape of the contract's `reviews[]`.
    fn review(&self, review: &StoredReview) -> Value;

    /// Runs one document through the pipeline and stores it. The outcome as
    /// JSON: `{"outcome": "stored" | "duplicate" | "failed", …}`.
    fn ingest(&self, store: &mut dyn Store, document: &RawDocument) -> Value;

    /// Brings what is derived from all the reviews up to date after
    /// writes (the cached cross-film statistics), as `verdict ingest` does
    /// when it ends. Called once after a burst of writes, off the request.
    fn after_writes(&self, store: &mut dyn Store) -> Result<(), StoreError>;
}
