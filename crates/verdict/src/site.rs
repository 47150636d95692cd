//! What `verdict serve` asks of the application: the [`verdict_web::Domain`]
//! implemented with [`crate::present`] and [`crate::pipeline`], so that the
//! pages and the API show exactly what `verdict show` and `verdict films`
//! print, and a document POSTed to the server goes down the same pipeline
//! as `verdict ingest`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use verdict_core::Film;
use verdict_judge::Judge;
use verdict_source::RawDocument;
use verdict_store::{Store, StoreError, StoredReview};

use crate::{pipeline, present};

/// The application, as the web server sees it.
pub struct Site {
    judge: &'static Judge,
}

impl Site {
    pub fn new() -> Site {
        Site {
            judge: Judge::embedded(),
        }
    }
}

impl Default for Site {
    fn default() -> Site {
        Site::new()
    }
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl verdict_web::Domain for Site {
    fn film_page(&self, store: &dyn Store, film: &Film) -> Result<Value, StoreError> {
        Ok(json(&present::film_page(store, film)?))
    }

    fn films_overview(&self, store: &dyn Store) -> Result<Value, StoreError> {
        Ok(json(&present::films_overview(store)?))
    }

    fn find_films(&self, store: &dyn Store, query: &str) -> Result<Vec<Film>, StoreError> {
        present::find_films(store, query)
    }

    fn review(&self, review: &StoredReview) -> Value {
        json(&present::ReviewView::from(review))
    }

    fn ingest(&self, store: &mut dyn Store, document: &RawDocument) -> Value {
        json(&pipeline::ingest(store, self.judge, document))
    }

    fn after_writes(&self, store: &mut dyn Store) -> Result<(), StoreError> {
        crate::bulk::refresh_stats(store).map(|_| ())
    }
}

/// Serves the database at `db_path` on `addr` until interrupted
/// (`verdict serve`).
pub fn serve(
    addr: SocketAddr,
    db_path: PathBuf,
    config: verdict_web::Config,
) -> anyhow::Result<()> {
    verdict_web::run(addr, db_path, config, Arc::new(Site::new()))
}
