//! What the `find_in_text` tests share.

use verdict_rating::{Found, find_in_text};

/// Every rating found slices back to its raw text, and they come in order.
pub fn assert_spans(text: &str, found: &[Found]) {
    for f in found {
        let span = f.rating.span.expect("span set");
        assert_eq!(&text[span.start..span.end], f.rating.raw);
    }
    for w in found.windows(2) {
        assert!(
            w[0].rating.span.unwrap().start <= w[1].rating.span.unwrap().start,
            "in order"
        );
    }
}

/// (raw, score) of everything found.
pub fn raws(text: &str) -> Vec<(String, f64)> {
    let found = find_in_text(text);
    assert_spans(text, &found);
    found
        .iter()
        .map(|f| {
            (
                f.rating.raw.clone(),
                (f.rating.score * 100.0).round() / 100.0,
            )
        })
        .collect()
}
