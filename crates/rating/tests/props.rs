//! Properties: `read` never panics and always scores within 0..=100;
//! scores are monotone in the value; `find_in_text` spans slice to raw.

use proptest::prelude::*;
use verdict_rating::{Reading, ScaleHint, find_in_text, read, read_with};

fn score(s: &str) -> f64 {
    match read(s) {
        Reading::Rated(r) => r.score,
        Reading::Refused(r) => panic!("{s:?} refused: {}", r.reason),
    }
}

/// Strings made of the pieces the grammar cares about, to reach deep into
/// it more often than uniform strings do.
fn ratingish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("/".to_string()),
        Just(".".to_string()),
        Just(" ".to_string()),
        Just("★".to_string()),
        Just("☆".to_string()),
        Just("½".to_string()),
        Just("*".to_string()),
        Just("stars".to_string()),
        Just(" out of ".to_string()),
        Just("..".to_string()),
        Just("+".to_string()),
        Just("-".to_string()),
        Just("−".to_string()),
        Just("%".to_string()),
        Just(":".to_string()),
        Just("Score: ".to_string()),
        Just("Rating:".to_string()),
        Just("\n".to_string()),
        Just("B".to_string()),
        Just("minus".to_string()),
        Just("and a half".to_string()),
        Just("'".to_string()),
        "[0-9]{1,4}",
        "[A-Fa-z]{1,3}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn check_reading(r: &Reading) {
    if let Reading::Rated(r) = r {
        assert!(
            r.score.is_finite() && (0.0..=100.0).contains(&r.score),
            "{r:?}"
        );
        assert!(r.best > r.worst, "{r:?}");
        assert!(r.value >= r.worst && r.value <= r.best, "{r:?}");
        assert!(r.span.is_none());
    }
    if let Reading::Refused(r) = r {
        assert!(!r.reason.trim().is_empty());
    }
}

fn check_found(text: &str) {
    for f in find_in_text(text) {
        let span = f.rating.span.expect("span");
        assert_eq!(&text[span.start..span.end], f.rating.raw);
        assert!((0.0..=100.0).contains(&f.rating.score));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn read_never_panics_on_any_string(s in "\\PC*") {
        check_reading(&read(&s));
        check_reading(&read_with(&s, &ScaleHint::out_of(7.0)));
    }

    #[test]
    fn read_never_panics_on_ratingish_strings(s in ratingish()) {
        check_reading(&read(&s));
        check_reading(&read_with(&s, &ScaleHint::out_of(4.0)));
    }

    #[test]
    fn odd_hints_are_harmless(s in ratingish(), best in prop::num::f64::ANY) {
        check_reading(&read_with(&s, &ScaleHint { best: Some(best), worst: None }));
    }

    #[test]
    fn monotone_out_of_five(a in 0u32..=500, b in 0u32..=500) {
        let (lo, hi) = (a.min(b), a.max(b));
        let x = score(&format!("{}/5", lo as f64 / 100.0));
        let y = score(&format!("{}/5", hi as f64 / 100.0));
        prop_assert!(x <= y, "{lo} {hi}: {x} > {y}");
    }

    #[test]
    fn monotone_out_of_ten(a in 0u32..=1000, b in 0u32..=1000) {
        let (lo, hi) = (a.min(b), a.max(b));
        let x = score(&format!("{}/10", lo as f64 / 100.0));
        let y = score(&format!("{}/10", hi as f64 / 100.0));
        prop_assert!(x <= y, "{lo} {hi}: {x} > {y}");
        let x = score(&format!("{} out of 10", lo as f64 / 100.0));
        let y = score(&format!("{} out of 10", hi as f64 / 100.0));
        prop_assert!(x <= y);
    }

    #[test]
    fn find_spans_slice_to_raw_any_string(s in "\\PC*") {
        check_found(&s);
    }

    #[test]
    fn find_spans_slice_to_raw_ratingish(s in ratingish()) {
        check_found(&s);
    }
}

#[test]
fn huge_inputs_do_not_panic() {
    let digits = "9".repeat(100_000);
    check_reading(&read(&digits));
    check_reading(&read(&format!("{digits}/{digits}")));
    check_reading(&read(&format!("1/{digits}")));
    check_reading(&read(&"★".repeat(10_000)));
    check_reading(&read(&"*".repeat(10_000)));
    check_reading(&read(&"½".repeat(10_000)));
    check_reading(&read(&"3.".repeat(10_000)));
    let text = format!(
        "Score: {digits}\n{}\n{}",
        "4/5 ".repeat(20_000),
        " ".repeat(100_000)
    );
    check_found(&text);
    check_found(&"1/".repeat(50_000));
}

#[test]
fn adversarial_texts_stay_linear() {
    // many cued inline phrases and many labels on one line
    let text = format!(
        "{}\n{}\n{}",
        "I rate it 4/5. ".repeat(20_000),
        "Score: 8. ".repeat(20_000),
        "★".repeat(50_000)
    );
    let start = std::time::Instant::now();
    let found = find_in_text(&text);
    assert!(found.len() >= 40_000, "{}", found.len());
    check_found(&text);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}
