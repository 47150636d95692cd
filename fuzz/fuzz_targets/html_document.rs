//! Fuzzes the HTML document stage and the extractor behind it: any bytes
//! read as a page (decoding, the cost guard, html5ever, readability, the
//! microdata items) and then extracted (one review, a listing, or a
//! refusal) never panic, and every span a rating carries slices the
//! decoded text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verdict_extract::listing::{Page, extract_page};

fuzz_target!(|data: &[u8]| {
    let raw = verdict_source::RawDocument::new("fuzz.html".to_string(), data.to_vec());
    let Ok(doc) = verdict_document::parse(&raw) else {
        return;
    };
    let check = |review: &verdict_extract::Extraction| {
        if let Some(rating) = &review.review.rating
            && let Some(span) = rating.span
        {
            assert!(doc.text.get(span.start..span.end).is_some(), "span {span:?}");
        }
    };
    match extract_page(&doc) {
        Page::Review(r) => check(&r),
        Page::Listing(l) => l.reviews.iter().for_each(check),
        Page::Refused(_) => {}
    }
});
