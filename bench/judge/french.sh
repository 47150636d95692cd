#!/usr/bin/env bash
# The French judge on French reviews of titles it has never seen, side by
# side with scikit-learn on the same folds and with the English judge:
#
#   bench/judge/french.sh [DATA_DIR]
#
# Creates bench/.venv (git-ignored) with scikit-learn from PyPI, exports the
# folds `verdict-lab french` uses, runs bench/judge/sklearn_french.py on
# them, then `verdict-lab french --sklearn`. Outputs go to target/french-eval/.
set -euo pipefail
cd "$(dirname "$0")/../.."

DATA="${1:-../shared/data}"
OUT=target/french-eval

if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/python -c "import sklearn" 2>/dev/null || bench/.venv/bin/pip install -q scikit-learn

cargo build --release -q -p verdict-lab
target/release/verdict-lab french --data "$DATA" --export-splits "$OUT/splits"
bench/.venv/bin/python bench/judge/sklearn_french.py "$OUT/splits" "$OUT/sklearn.json"
target/release/verdict-lab french --data "$DATA" --sklearn "$OUT/sklearn.json" | tee "$OUT/table.txt"
