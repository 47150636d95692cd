#!/usr/bin/env bash
# The film-level benchmark: how close does a film's % positive (its share of
# fresh reviews) come to the Tomatometer that Rotten Tomatoes published?
#
#   bench/films/run.sh [DATA_DIR] [extra `verdict-lab films` options]
#
# Test films: the 117 complete films of rt-kaggle-truncated and the 52 of
# rt-toplists/soccer, every critic review of each. Verdict's estimate is
# computed three ways:
#   - text only: the judge reads each review's text;
#   - text + rating: the critic's rating where there is one, the judge on the
#     text where there is none;
#   - labels: RT's own fresh/rotten label of each review (a check of the
#     data: it gives the published number back, within rounding).
# Side by side, on exactly the same split: scikit-learn TF-IDF + logistic
# regression, classify and count, and QuaPy's EMQ and PACC over that same
# classifier (and "text + rating" with it: fresh at a rating of 60/100 and
# above, the classifier where there is no rating), all trained on
# rt-flatiron's snippets with the test films' texts left out
# (bench/films/baseline.py).
#
# Creates bench/.venv (git-ignored) with scikit-learn and QuaPy from PyPI,
# exports the split, runs the baselines, then prints the table. Outputs go to
# target/films/ (split/, sklearn.json, table.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."

DATA="${1:-../shared/data}"
shift || true
OUT=target/films

if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/python -c "import sklearn" 2>/dev/null || bench/.venv/bin/pip install -q scikit-learn
# QuaPy 0.2 changed the API that baseline.py uses (fit(X, y) instead of a
# LabelledCollection), so 0.2.x it is.
bench/.venv/bin/python -c "import quapy; assert quapy.__version__.startswith('0.2.')" 2>/dev/null \
    || bench/.venv/bin/pip install -q "quapy>=0.2,<0.3"

cargo build --release -q -p verdict-lab
target/release/verdict-lab films --data "$DATA" --export "$OUT/split"
bench/.venv/bin/python bench/films/baseline.py "$OUT/split" "$OUT/sklearn.json"
target/release/verdict-lab films --data "$DATA" --sklearn "$OUT/sklearn.json" "$@" | tee "$OUT/table.txt"
