//! Fuzzes JSON-LD: the bytes as a JSON-LD block read by the schema.org
//! reader, and the same block inside a page (the document stage's items
//! and the extractor's listing path). Readings keep their invariants.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verdict_rating::{Reading, schema_org};

fuzz_target!(|data: &[u8]| {
    let Ok(block) = std::str::from_utf8(data) else {
        return;
    };
    for review in schema_org::reviews_in_json_ld(block) {
        if let Some(Reading::Rated(r)) = &review.rating {
            assert!((0.0..=100.0).contains(&r.score), "{block:?}: {r:?}");
        }
    }
    let _ = schema_org::page_review(&[block.to_string()]);
    let page = format!(
        "<!DOCTYPE html><html><head><title>t</title><script type=\"application/ld+json\">{block}</script></head><body><p>A review.</p></body></html>"
    );
    let raw = verdict_source::RawDocument::new("fuzz.html".to_string(), page.into_bytes());
    if let Ok(doc) = verdict_document::parse(&raw) {
        let _ = verdict_extract::listing::extract_page(&doc);
    }
});
