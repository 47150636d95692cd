//! Fuzzes the export reader: the bytes as a `.csv` and as a `.tsv` file,
//! planned (layout by header), streamed row by row and each row processed
//! (rating read, text judged). Nothing panics; a bad row is an item, not a
//! stop.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use verdict_import::{Item, Processor};

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let processor = Processor::embedded();
    for name in ["reviews.csv", "reviews.tsv"] {
        let path = dir.path().join(name);
        std::fs::write(&path, data).expect("written");
        let plan = verdict_import::plan(&[path], None, None);
        for unit in &plan.units {
            let progress = Arc::new(AtomicU64::new(0));
            let Ok(rows) = verdict_import::reviews(unit, &progress) else {
                continue;
            };
            for item in rows.take(200) {
                if let Item::Row(row) = item {
                    let _ = processor.process(*row);
                }
            }
        }
    }
});
