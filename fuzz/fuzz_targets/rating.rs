//! Fuzzes the rating reader: `read`, `read_with` (with ordinary and odd
//! hints), `find_in_text` and the schema.org reader must never panic, and
//! every reading keeps the invariants: a score within 0..=100, a value
//! within the scale, a refusal with a reason, a span that slices back to
//! its raw text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verdict_rating::{Reading, ScaleHint, find_in_text, read, read_with, schema_org};

fn check(input: &str, r: &Reading) {
    match r {
        Reading::Rated(r) => {
            assert!(
                r.score.is_finite() && (0.0..=100.0).contains(&r.score),
                "{input:?}: score {}",
                r.score
            );
            assert!(r.best > r.worst, "{input:?}: {r:?}");
            assert!(r.value >= r.worst && r.value <= r.best, "{input:?}: {r:?}");
            assert!(!r.raw.is_empty(), "{input:?}: empty raw");
        }
        Reading::Refused(x) => assert!(!x.reason.trim().is_empty(), "{input:?}: no reason"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    check(s, &read(s));
    check(s, &read_with(s, &ScaleHint::out_of(4.0)));
    check(s, &read_with(s, &ScaleHint::range(-4.0, 4.0)));
    // the first bytes as an arbitrary hint
    if data.len() >= 16 {
        let best = f64::from_le_bytes(data[..8].try_into().unwrap());
        let worst = f64::from_le_bytes(data[8..16].try_into().unwrap());
        let hint = ScaleHint {
            best: Some(best),
            worst: Some(worst),
        };
        check(s, &read_with(s, &hint));
    }
    for f in find_in_text(s) {
        let span = f.rating.span.expect("find_in_text sets a span");
        assert_eq!(&s[span.start..span.end], f.rating.raw, "{s:?}");
        assert!((0.0..=100.0).contains(&f.rating.score), "{s:?}");
    }
    for r in schema_org::reviews_in_json_ld(s) {
        if let Some(reading) = &r.rating {
            check(s, reading);
        }
    }
    if let Some((a, b)) = schema_org::locate_rating_value(s, "", "4") {
        assert_eq!(&s[a..b], "4");
    }
});
