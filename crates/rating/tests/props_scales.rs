//! Properties of the scales: for a fixed scale the score is monotone in the
//! value (fractions of any denominator, stars, signed ranges, bare numbers
//! with a hint, schema.org ratings, letter grades); the learned scale book
//! and verdict lines never panic and keep scores within 0..=100.

use proptest::prelude::*;
use serde_json::json;
use verdict_rating::scalebook::{Calibration, Labelled};
use verdict_rating::schema_org::read_rating;
use verdict_rating::{Reading, ScaleBook, ScaleHint, letter_grade_score, read, read_with};

fn score(r: Reading, what: &str) -> f64 {
    match r {
        Reading::Rated(r) => {
            assert!((0.0..=100.0).contains(&r.score), "{what}: {}", r.score);
            r.score
        }
        Reading::Refused(x) => panic!("{what} refused: {}", x.reason),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn fractions_are_monotone_for_any_denominator(den in 1u32..=200, a in 0u32..=1000, b in 0u32..=1000) {
        let d = den as f64;
        let (lo, hi) = (a.min(b) as f64 / 1000.0 * d, a.max(b) as f64 / 1000.0 * d);
        let (lo, hi) = ((lo * 100.0).round() / 100.0, (hi * 100.0).round() / 100.0);
        let x = score(read(&format!("{lo}/{den}")), "lo");
        let y = score(read(&format!("{hi}/{den}")), "hi");
        prop_assert!(x <= y, "{lo}/{den} = {x} > {hi}/{den} = {y}");
    }

    #[test]
    fn glyph_stars_are_monotone(slots in 1usize..=10, a in 0usize..=10, b in 0usize..=10) {
        let (lo, hi) = (a.min(b).min(slots), a.max(b).min(slots));
        let stars = |n: usize| format!("{}{}", "★".repeat(n), "☆".repeat(slots - n));
        prop_assume!(slots >= 2 || lo > 0);
        // all stars filled and no best written: at most 5 is assumed
        let unknown = |n: usize| n == slots && slots > 5;
        let y = read(&stars(hi));
        if unknown(hi) {
            prop_assert!(y.refusal().is_some_and(|r| r.reason.contains("no best written")), "{y:?}");
            return Ok(());
        }
        let y = score(y, "hi");
        let x = score(read(&stars(lo)), "lo");
        prop_assert!(x <= y);
        // with the scale known, a full row is the best
        if hi == slots {
            prop_assert_eq!(score(read_with(&stars(hi), &ScaleHint::out_of(slots as f64)), "hint"), 100.0);
        }
    }

    #[test]
    fn signed_ranges_are_monotone(a in -4i32..=4, b in -4i32..=4) {
        let (lo, hi) = (a.min(b), a.max(b));
        let s = |v: i32| if v > 0 { format!("+{v} out of -4..+4") } else { format!("{v} out of -4..+4") };
        let x = score(read(&s(lo)), "lo");
        let y = score(read(&s(hi)), "hi");
        prop_assert!(x <= y);
    }

    #[test]
    fn bare_numbers_with_a_hint_are_monotone(best in prop::sample::select(vec![4.0, 5.0, 10.0, 20.0, 100.0]), a in 0u32..=100, b in 0u32..=100) {
        let (lo, hi) = (a.min(b) as f64 / 100.0 * best, a.max(b) as f64 / 100.0 * best);
        let (lo, hi) = ((lo * 10.0).round() / 10.0, (hi * 10.0).round() / 10.0);
        let h = ScaleHint::out_of(best);
        let x = score(read_with(&format!("{lo}"), &h), "lo");
        let y = score(read_with(&format!("{hi}"), &h), "hi");
        prop_assert!(x <= y);
        prop_assert!((x - lo / best * 100.0).abs() < 1e-9);
    }

    #[test]
    fn signed_hints_read_signed_numbers(a in -4i32..=4, b in -4i32..=4) {
        let (lo, hi) = (a.min(b), a.max(b));
        let h = ScaleHint::range(-4.0, 4.0);
        let x = score(read_with(&lo.to_string(), &h), "lo");
        let y = score(read_with(&hi.to_string(), &h), "hi");
        prop_assert!(x <= y);
        prop_assert!((x - (lo as f64 + 4.0) / 8.0 * 100.0).abs() < 1e-9);
    }

    #[test]
    fn schema_org_ratings_are_monotone(worst in -5i32..=1, span in 1i32..=100, a in 0u32..=1000, b in 0u32..=1000) {
        let best = worst + span;
        let v = |k: u32| worst as f64 + k as f64 / 1000.0 * span as f64;
        let (lo, hi) = (v(a.min(b)), v(a.max(b)));
        let r = |x: f64| read_rating(&json!({"ratingValue": x, "bestRating": best, "worstRating": worst}));
        let x = score(r(lo), "lo");
        let y = score(r(hi), "hi");
        prop_assert!(x <= y);
    }

    #[test]
    fn schema_org_never_panics(v in prop::num::f64::ANY, best in prop::num::f64::ANY, worst in prop::num::f64::ANY, s in "\\PC{0,12}") {
        for r in [
            read_rating(&json!({"ratingValue": v.to_string(), "bestRating": best.to_string(), "worstRating": worst.to_string()})),
            read_rating(&json!({"ratingValue": s, "bestRating": best.to_string()})),
            read_rating(&json!({"ratingValue": s, "bestRating": s})),
        ] {
            if let Reading::Rated(r) = r {
                prop_assert!(r.score.is_finite() && (0.0..=100.0).contains(&r.score), "{r:?}");
            }
        }
    }

    #[test]
    fn the_scale_book_keeps_scores_in_range(rows in prop::collection::vec(("[a-c]", "[x-z]", "[0-9]{1,3}(\\.[0-9])?(/[0-9]{1,2})?"), 0..40), probe in "[0-9]{1,3}") {
        let book = ScaleBook::learn(rows.iter().map(|(o, c, r)| (Some(o.as_str()), Some(c.as_str()), r.as_str())));
        for (o, c, _) in &rows {
            if let Reading::Rated(r) = book.read(Some(o), Some(c), &probe) {
                prop_assert!((0.0..=100.0).contains(&r.score));
                prop_assert!(r.value >= r.worst && r.value <= r.best);
            }
        }
    }

    #[test]
    fn verdict_lines_stay_in_their_band(rows in prop::collection::vec(("[a-b]", "[x-y]", 0u32..=100, any::<bool>()), 0..80)) {
        let labelled: Vec<Labelled<'_>> = rows
            .iter()
            .map(|(o, c, s, f)| Labelled { outlet: Some(o), critic: Some(c), scale: "x/100", score: *s as f64, fresh: *f })
            .collect();
        let cal = Calibration::fit(&labelled);
        let (lo, hi) = cal.params().band;
        for (o, c, _, _) in &rows {
            let t = cal.threshold(Some(o), Some(c), "x/100");
            prop_assert!(t.at == 60.0 || (lo..=hi).contains(&t.at), "{t:?}");
        }
    }
}

#[test]
fn letter_grades_are_monotone_down_the_table() {
    let mut last = f64::INFINITY;
    for l in ["A", "B", "C", "D", "F"] {
        for m in ["+", "", "-"] {
            let s = letter_grade_score(&format!("{l}{m}")).unwrap();
            assert!(s <= last, "{l}{m}: {s} > {last}");
            last = s;
        }
    }
}
