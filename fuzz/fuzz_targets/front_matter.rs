//! Fuzzes Markdown with front matter (YAML `---` and TOML `+++`): the
//! input is put behind a fence so that the front matter readers see every
//! shape; parsing and extraction never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fence: &[u8] = if data.first().is_some_and(|b| b & 1 == 1) { b"+++\n" } else { b"---\n" };
    let mut bytes = fence.to_vec();
    bytes.extend_from_slice(data.get(1..).unwrap_or_default());
    for bytes in [bytes, data.to_vec()] {
        let raw = verdict_source::RawDocument::new("fuzz.md".to_string(), bytes);
        if let Ok(doc) = verdict_document::parse(&raw) {
            let _ = verdict_extract::listing::extract_page(&doc);
        }
    }
});
