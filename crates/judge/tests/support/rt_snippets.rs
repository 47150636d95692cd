//! The texts of the Rotten Tomatoes snippets (rt-flatiron) in the shared
//! data folder: real review texts for the tests that hold two readers to
//! the same numbers (the fast feature extraction and its reference, the
//! bulk reader and the full reading). Shared by the crate's unit tests and
//! `tests/bulk_reader.rs`.
//!
//! The texts are the ones the trainer (`verdict-lab`) reads from the
//! dataset: gzip, Windows-1252, tab-separated with CSV quoting; every row
//! labelled fresh or rotten that has a review, trimmed.

use std::io::Read;
use std::path::Path;

/// The snippets' texts, or why they could not be read (the file absent:
/// "… not found").
pub fn rt_snippets(data_dir: &Path) -> Result<Vec<String>, String> {
    let path = data_dir.join("rt-flatiron/rt.reviews.tsv.gz");
    if !path.exists() {
        return Err(format!(
            "rt-flatiron is missing: {} not found",
            path.display()
        ));
    }
    let failed = |e: &dyn std::fmt::Display| format!("reading {}: {e}", path.display());
    let file = std::fs::File::open(&path).map_err(|e| failed(&e))?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::io::BufReader::new(file))
        .read_to_end(&mut bytes)
        .map_err(|e| failed(&e))?;
    let text = encoding_rs::WINDOWS_1252.decode(&bytes).0;
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = rows.headers().map_err(|e| failed(&e))?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no `{name}` column", path.display()))
    };
    let (review, fresh) = (column("review")?, column("fresh")?);
    let mut texts = Vec::new();
    for row in rows.records() {
        let row = row.map_err(|e| failed(&e))?;
        let (Some(text), Some(label)) = (row.get(review), row.get(fresh)) else {
            continue;
        };
        if matches!(label, "fresh" | "rotten") && !text.trim().is_empty() {
            texts.push(text.trim().to_string());
        }
    }
    if texts.is_empty() {
        return Err(format!(
            "rt-flatiron: no examples found in {}",
            path.display()
        ));
    }
    Ok(texts)
}
