//! Fuzzes the feed reader (RSS, Atom, JSON Feed): any bytes parse to a
//! feed or an error, never a panic; every entry's documents can be made.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let url = "http://127.0.0.1/feed.xml";
    if let Ok(feed) = verdict_fetch::feed::parse(data, url) {
        for entry in &feed.entries {
            let _ = entry.full_text(url);
            let _ = entry.own_text(url);
        }
    }
});
