#!/usr/bin/env bash
# The critics' consensus benchmark: how close does Verdict's consensus line
# (one or two sentences drawn from a film's own reviews) come to the
# "Critics Consensus" Rotten Tomatoes' staff wrote for the film?
#
#   bench/consensus/run.sh [DATA_DIR] [extra `verdict-lab consensus` options]
#
# Films: the complete films of rt-kaggle-truncated whose movies row carries
# a critics_consensus. Three lines per film, from the same reviews:
#   - Verdict: verdict_aggregate::consensus (docs/aggregation.md);
#   - lead: the first sentence of the film's first review (the file lists a
#     film's reviews by date);
#   - centroid: the one sentence nearest the TF-IDF centroid of the other
#     reviews, with no side, length or quotation rule.
# Scores: ROUGE-1 and ROUGE-L F1 against the published consensus (lower-cased
# word tokens, no stemming), averaged over films; agreement: the share of
# films whose line the judge reads on the Tomatometer's side (fresh ≥ 60).
# `--lines` prints every film's lines too. The table goes to
# target/consensus/table.txt as well.
set -euo pipefail
cd "$(dirname "$0")/../.."

DATA="${1:-../shared/data}"
shift || true
OUT="${CARGO_TARGET_DIR:-target}/consensus"
mkdir -p "$OUT"

cargo build --release -q -p verdict-lab
"${CARGO_TARGET_DIR:-target}/release/verdict-lab" consensus --data "$DATA" "$@" | tee "$OUT/table.txt"
