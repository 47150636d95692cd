#!/usr/bin/env bash
# Syndicated copies measured on the real data: does the near-duplicate
# detector (MinHash of 5-word shingles, 128 hashes, estimated Jaccard >= 0.7,
# texts of 50 words or more: crates/core/src/copies.rs) ever merge different
# writers' reviews of one film, and does it find real copies?
#
#   bench/copies/run.sh [DATA_DIR]
#
# - different writers, same film: every pair of one film's reviews in
#   rt-flatiron, rt-kaggle-truncated + rt-toplists/soccer, rt-scrape-2023
#   and aclImdb (grouped by film through its urls_*.txt files); every pair
#   of the main texts the real extraction reads from the pages of
#   extraction-benchmark and extraction-web-dev;
# - re-hosted copies: polarity v2.0's full reviews spliced into the
#   article of two different extraction-benchmark pages (each keeps its
#   own header, menus and footer), each read back by the real extraction;
#   both must merge; and two different reviews in one page's furniture
#   must not.
#
# Prints the table (and writes it to target/copies/table.txt, the JSON to
# target/copies/report.json); exits 1 on any false merge.
set -euo pipefail
cd "$(dirname "$0")/../.."

DATA="${1:-../shared/data}"
OUT="${CARGO_TARGET_DIR:-target}/copies"
mkdir -p "$OUT"
cargo build --release -p verdict-lab --bin verdict-lab
LAB="${CARGO_TARGET_DIR:-target}/release/verdict-lab"
"$LAB" copies --data "$DATA" --json "$OUT/report.json" | tee "$OUT/table.txt"
exit "${PIPESTATUS[0]}"
