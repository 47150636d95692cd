//! What both backends decide alike about syndicated copies (V11): which
//! stored review a new one is a copy of, and what removing addresses does
//! to a review that has several.

use std::collections::{BTreeMap, BTreeSet};

use verdict_core::copies::{Signature, critics_differ};

/// A stored review a new one may be a copy of: one of the same film with
/// a signature.
pub(crate) struct Candidate {
    pub review_id: i64,
    pub critic: Option<String>,
    /// As stored (hex).
    pub signature: String,
}

/// The stored review the new one (its signature and critic) is a copy of:
/// the most similar candidate at or over the threshold that names no other
/// critic (the lowest id among equals), with the similarity.
pub(crate) fn best_match(
    signature: &Signature,
    critic: Option<&str>,
    candidates: impl IntoIterator<Item = Candidate>,
) -> Option<(i64, f64)> {
    let mut best: Option<(i64, f64)> = None;
    for c in candidates {
        if critics_differ(critic, c.critic.as_deref()) {
            continue;
        }
        let Some(theirs) = Signature::from_hex(&c.signature) else {
            continue;
        };
        let similarity = signature.similarity(&theirs);
        if !signature.matches(&theirs) {
            continue;
        }
        let better = match best {
            None => true,
            Some((id, s)) => similarity > s || (similarity == s && c.review_id < id),
        };
        if better {
            best = Some((c.review_id, similarity));
        }
    }
    best
}

/// A review's addresses: its own and its copies' (by copy id, in id
/// order).
#[derive(Debug, Clone)]
pub(crate) struct Addresses {
    pub review_id: i64,
    pub film_id: i64,
    pub own: String,
    pub copies: Vec<(i64, String)>,
}

/// What removing some of a review's addresses does.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// Every address goes: the review goes.
    Remove,
    /// These copies go (by id), and, when `promote` names one, that copy
    /// becomes the review's own address (its own went). `detached` lists
    /// the addresses taken from the review.
    Keep {
        copies: Vec<i64>,
        promote: Option<i64>,
        detached: Vec<String>,
    },
}

/// What removing `own_goes` (the review's own address) and the copies
/// `going` does to a review with these addresses.
pub(crate) fn decide(a: &Addresses, own_goes: bool, going: &BTreeSet<i64>) -> Action {
    let left: Vec<&(i64, String)> = a
        .copies
        .iter()
        .filter(|(id, _)| !going.contains(id))
        .collect();
    if own_goes && left.is_empty() {
        return Action::Remove;
    }
    let mut detached = Vec::new();
    if own_goes {
        detached.push(a.own.clone());
    }
    let copies: Vec<i64> = a
        .copies
        .iter()
        .filter(|(id, _)| going.contains(id))
        .map(|(id, source)| {
            detached.push(source.clone());
            *id
        })
        .collect();
    Action::Keep {
        copies,
        promote: if own_goes {
            left.first().map(|(id, _)| *id)
        } else {
            None
        },
        detached,
    }
}

/// The first of `sources` (addresses named for removal) that is not one
/// of the review's addresses, as a message; `None` when all are.
pub(crate) fn unknown_source(a: &Addresses, sources: &BTreeSet<&str>) -> Option<String> {
    sources
        .iter()
        .find(|s| **s != a.own && !a.copies.iter().any(|(_, c)| c == *s))
        .map(|s| format!("address {s} of review {}", a.review_id))
}

/// For a removal by address: whether a review's own address is named, and
/// which of its copies are (`named`: each review's named addresses).
pub(crate) fn named_going(
    named: &BTreeMap<i64, BTreeSet<&str>>,
    a: &Addresses,
) -> (bool, BTreeSet<i64>) {
    let sources = &named[&a.review_id];
    (
        sources.contains(a.own.as_str()),
        a.copies
            .iter()
            .filter(|(_, s)| sources.contains(s.as_str()))
            .map(|(id, _)| *id)
            .collect(),
    )
}

/// What removing addresses does to reviews with copies: the reviews whose
/// every address goes are removed (in `reviews` and `films`), the others
/// keep theirs (in `keep`, and their addresses in `detached`).
pub(crate) fn apply_decisions(
    book: &BTreeMap<i64, Addresses>,
    goes: &dyn Fn(&Addresses) -> (bool, BTreeSet<i64>),
    reviews: &mut Vec<i64>,
    films: &mut BTreeMap<i64, u64>,
    keep: &mut Vec<Keep>,
    detached: &mut Vec<(i64, String)>,
) {
    for a in book.values() {
        let (own_goes, going) = goes(a);
        match decide(a, own_goes, &going) {
            Action::Remove => {
                reviews.push(a.review_id);
                *films.entry(a.film_id).or_default() += 1;
            }
            Action::Keep {
                copies,
                promote,
                detached: gone,
            } => {
                if copies.is_empty() && promote.is_none() {
                    continue;
                }
                detached.extend(gone.into_iter().map(|s| (a.review_id, s)));
                keep.push(Keep {
                    review_id: a.review_id,
                    copies,
                    promote,
                });
            }
        }
    }
}

/// A review that keeps some of its addresses.
pub(crate) struct Keep {
    pub review_id: i64,
    /// Copies that go.
    pub copies: Vec<i64>,
    /// The copy that becomes the review's own address.
    pub promote: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Addresses {
        Addresses {
            review_id: 1,
            film_id: 1,
            own: "blog.html".into(),
            copies: vec![(10, "outlet.html".into()), (11, "mirror.html".into())],
        }
    }

    #[test]
    fn a_review_goes_with_its_last_address() {
        let all: BTreeSet<i64> = [10, 11].into();
        assert_eq!(decide(&book(), true, &all), Action::Remove);
    }

    #[test]
    fn its_own_address_going_makes_the_oldest_copy_left_its_own() {
        let some: BTreeSet<i64> = [10].into();
        assert_eq!(
            decide(&book(), true, &some),
            Action::Keep {
                copies: vec![10],
                promote: Some(11),
                detached: vec!["blog.html".into(), "outlet.html".into()],
            }
        );
        assert_eq!(
            decide(&book(), false, &some),
            Action::Keep {
                copies: vec![10],
                promote: None,
                detached: vec!["outlet.html".into()],
            }
        );
    }
}
