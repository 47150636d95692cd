//! Bulk imports, catalogues and the cached statistics (PostgreSQL): being
//! ported from `sqlite/bulk.rs`; until then each says so.

use super::PgStore;
use crate::{
    BatchOutcome, CatalogueDecision, CatalogueEntry, CatalogueWrite, CriticHarshness, ExternalId,
    FilmCatalogue, FilmRecord, ImportBatch, IndexedFilm, Result, ReviewState, ScoreLine, StatLine,
    StatsSnapshot, StoreError,
};

fn not_yet<T>(store: &PgStore, what: &str) -> Result<T> {
    Err(StoreError::Backend {
        path: store.name().to_path_buf(),
        reason: format!("{what} is not built for PostgreSQL yet"),
    })
}

pub(super) fn write_batch(store: &mut PgStore, _batch: &ImportBatch) -> Result<BatchOutcome> {
    not_yet(store, "importing")
}
pub(super) fn film_index(store: &PgStore) -> Result<Vec<IndexedFilm>> {
    not_yet(store, "the film index")
}
pub(super) fn external_ids(
    store: &PgStore,
    _film_id: Option<i64>,
) -> Result<Vec<(i64, ExternalId)>> {
    not_yet(store, "external ids")
}
pub(super) fn put_catalogue(
    store: &mut PgStore,
    _entries: &[CatalogueEntry],
) -> Result<CatalogueWrite> {
    not_yet(store, "the catalogue")
}
pub(super) fn catalogue_by_keys(store: &PgStore, _keys: &[String]) -> Result<Vec<CatalogueEntry>> {
    not_yet(store, "the catalogue")
}
pub(super) fn catalogue_count(store: &PgStore) -> Result<u64> {
    not_yet(store, "the catalogue")
}
pub(super) fn films_without_catalogue_decision(store: &PgStore) -> Result<Vec<FilmRecord>> {
    not_yet(store, "the catalogue")
}
pub(super) fn set_film_catalogue(
    store: &mut PgStore,
    _decisions: &[CatalogueDecision],
) -> Result<()> {
    not_yet(store, "the catalogue")
}
pub(super) fn film_catalogue(store: &PgStore, _film_id: Option<i64>) -> Result<Vec<FilmCatalogue>> {
    not_yet(store, "the catalogue")
}
pub(super) fn for_each_score(
    store: &PgStore,
    _visit: &mut dyn FnMut(&ScoreLine<'_>),
) -> Result<()> {
    not_yet(store, "listing films")
}
pub(super) fn for_each_stat_line(
    store: &PgStore,
    _visit: &mut dyn FnMut(&StatLine<'_>),
) -> Result<()> {
    not_yet(store, "the statistics")
}
pub(super) fn review_state(store: &PgStore) -> Result<ReviewState> {
    not_yet(store, "the statistics")
}
pub(super) fn put_stats(
    store: &mut PgStore,
    _stats: &StatsSnapshot,
    _critics: &[CriticHarshness],
) -> Result<()> {
    not_yet(store, "the statistics")
}
pub(super) fn stats(store: &PgStore) -> Result<Option<StatsSnapshot>> {
    not_yet(store, "the statistics")
}
pub(super) fn critic_stats(
    store: &PgStore,
    _keys: Option<&[String]>,
) -> Result<Vec<CriticHarshness>> {
    not_yet(store, "the statistics")
}
