//! One voice per writer per film: when a writer reviewed a film more than
//! once (a Letterboxd diary's rewatches, an updated review), only their
//! latest opinion counts; the earlier ones are kept as history. The rule is
//! in `docs/aggregation.md`.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::NaiveDate;
use verdict_core::title::fold;

/// A review as the rule sees it: who wrote it, where, when, and its id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Said<'a> {
    pub id: i64,
    pub critic: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub date: Option<NaiveDate>,
}

/// The writer a review speaks for: its critic (folded) at its outlet
/// (folded; none is an outlet of its own). A review with no critic speaks
/// for nobody in particular and is never replaced.
pub fn writer_key(critic: Option<&str>, outlet: Option<&str>) -> Option<(String, String)> {
    let critic = fold(critic?);
    if critic.is_empty() {
        return None;
    }
    Some((critic, outlet.map(fold).unwrap_or_default()))
}

/// For each review of one film, in the order given, the id of the review
/// by the same writer that replaces it (their latest: the latest date, a
/// dated review after an undated one, then the latest stored), or `None`
/// when it is the writer's latest or has no writer.
pub fn superseded(reviews: &[Said<'_>]) -> Vec<Option<i64>> {
    let keyed: Vec<Keyed<(String, String)>> = reviews
        .iter()
        .map(|r| (writer_key(r.critic, r.outlet), r.date, r.id))
        .collect();
    superseded_by_key(&keyed)
}

/// A review keyed by its writer: `(writer, date, id)`.
pub type Keyed<K> = (Option<K>, Option<NaiveDate>, i64);

/// [`superseded`] with the writers already keyed (`(writer, date, id)`;
/// any key that tells writers apart, such as an interned [`writer_key`]).
pub fn superseded_by_key<K: Eq + Hash>(
    reviews: &[(Option<K>, Option<NaiveDate>, i64)],
) -> Vec<Option<i64>> {
    let order = |date: Option<NaiveDate>, id: i64| (date.unwrap_or(NaiveDate::MIN), id);
    let mut latest: HashMap<&K, (NaiveDate, i64)> = HashMap::new();
    for (key, date, id) in reviews {
        if let Some(key) = key {
            let this = order(*date, *id);
            latest
                .entry(key)
                .and_modify(|best| *best = (*best).max(this))
                .or_insert(this);
        }
    }
    reviews
        .iter()
        .map(|(key, _, id)| {
            let (_, best) = latest.get(key.as_ref()?)?;
            (best != id).then_some(*best)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(
        id: i64,
        critic: Option<&'static str>,
        outlet: Option<&'static str>,
        date: Option<&str>,
    ) -> Said<'static> {
        Said {
            id,
            critic,
            outlet,
            date: date.map(|d| d.parse().unwrap()),
        }
    }

    #[test]
    fn a_writers_latest_review_replaces_the_earlier_ones() {
        let reviews = [
            said(
                1,
                Some("Ann Diarist"),
                Some("Letterboxd"),
                Some("2019-10-05"),
            ),
            said(
                2,
                Some("ann diarist"),
                Some("letterboxd"),
                Some("2021-01-02"),
            ),
            said(
                3,
                Some("Ann Diarist"),
                Some("Letterboxd"),
                Some("2020-06-30"),
            ),
            // Another outlet is another voice; no critic is nobody's.
            said(
                4,
                Some("Ann Diarist"),
                Some("The Daily"),
                Some("2019-01-01"),
            ),
            said(5, None, Some("Letterboxd"), Some("2018-01-01")),
            said(6, None, Some("Letterboxd"), Some("2018-01-01")),
        ];
        assert_eq!(
            superseded(&reviews),
            [Some(2), None, Some(2), None, None, None]
        );
    }

    #[test]
    fn without_dates_the_latest_stored_counts_and_a_date_beats_none() {
        let reviews = [
            said(7, Some("Bo"), None, None),
            said(9, Some("Bo"), None, None),
            said(8, Some("Bo"), None, None),
        ];
        assert_eq!(superseded(&reviews), [Some(9), None, Some(9)]);
        let reviews = [
            said(10, Some("Cy"), Some("Paper"), Some("2020-01-01")),
            said(11, Some("Cy"), Some("Paper"), None),
        ];
        assert_eq!(superseded(&reviews), [None, Some(10)]);
    }
}
