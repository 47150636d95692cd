#!/usr/bin/env bash
# Main-content extraction, side by side on the same pages and in the same
# run: Verdict (what `verdict extract --text` prints) against Python
# trafilatura and readability-lxml, all scored by one scorer
# (trafilatura_bench.py) with the benchmark's metric.
#
#   bench/extraction/run.sh [DATA_DIR]
#
# DATA_DIR defaults to ../shared/data/extraction-benchmark. The Python
# extractors are installed from PyPI into bench/.venv on first use.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-$root/../shared/data/extraction-benchmark}
if [ ! -f "$data/ground-truth.json" ]; then
    echo "SKIP: $data/ground-truth.json not found (the benchmark data lives in ../shared/data)"
    exit 0
fi
venv=$root/bench/.venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q trafilatura==2.3.1 readability-lxml==0.9 lxml_html_clean==0.4.6
fi
cd "$root"
cargo build -q --release -p verdict-extract --example extraction_bench
out=$(mktemp)
trap 'rm -f "$out"' EXIT
target/release/examples/extraction_bench "$data" --out "$out" --repeat "${REPEAT:-3}"
"$venv/bin/python" bench/extraction/trafilatura_bench.py "$data" --rust "$out" --repeat "${PY_REPEAT:-1}"
