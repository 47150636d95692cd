//! The upkeep of the cached cross-film statistics (the prior of the shrunk
//! score and every critic's harshness) that every view reads: rebuilt
//! whole, in one streaming pass, after writes. The formulas are
//! [`verdict_aggregate::stats`]'; the cache is the store's.

use verdict_aggregate::stats::StatsBuilder;
use verdict_store::{StatLine, StatLines, StatsSnapshot, Store, StoreError};

/// Rebuilds the cached cross-film statistics in one streaming pass over
/// the reviews.
pub fn refresh_stats<S: Store + ?Sized>(store: &mut S) -> Result<StatsSnapshot, StoreError> {
    refresh_stats_from(store, None).map(|(snapshot, _)| snapshot)
}

/// [`refresh_stats`] from `lines` when they are every review stored (an
/// import into an empty table gathers them as it writes), else from the
/// store; the flag says whether the lines were used.
pub fn refresh_stats_from<S: Store + ?Sized>(
    store: &mut S,
    lines: Option<StatLines>,
) -> Result<(StatsSnapshot, bool), StoreError> {
    let state = store.review_state()?;
    let mut builder = StatsBuilder::new();
    let mut push = |l: &StatLine<'_>| builder.push(l.film_id, l.score, l.inferred, l.critic);
    let from_rows = match lines.filter(|l| l.len() as u64 == state.reviews) {
        Some(lines) => {
            lines.for_each_by_film(&mut push);
            true
        }
        None => {
            store.for_each_stat_line(&mut push)?;
            false
        }
    };
    let cross = builder.finish();
    let snapshot = StatsSnapshot {
        state,
        films: cross.films,
        mean_score: cross.mean_score,
        prior_weight: cross.prior_weight,
        within_variance: cross.within_variance,
        between_variance: cross.between_variance,
        computed_at: None,
        current: true,
    };
    store.put_stats(&snapshot, &cross.critics)?;
    Ok((snapshot, from_rows))
}
