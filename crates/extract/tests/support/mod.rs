//! What the data tests share (the `extraction_bench` example reads
//! `web_dev.rs` too).

pub mod web_dev;
