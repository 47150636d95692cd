#!/usr/bin/env bash
# Main-content extraction, side by side on the same pages and in the same
# run: Verdict (what `verdict extract --text` prints) against Python
# trafilatura and readability-lxml, all scored by one scorer
# (trafilatura_bench.py) with each data set's own metric.
#
#   bench/extraction/run.sh [DATA_DIR [WEB_DEV_DIR]]
#
# Two data sets:
# - DATA_DIR, default ../shared/data/extraction-benchmark: news articles
#   with their true text (F1 over 4-gram shingles);
# - WEB_DEV_DIR, default ../shared/data/extraction-web-dev: 439 pages of
#   the wider web with snippets the text must contain and furniture it must
#   not (found / avoided), reported for its tuning part, its held-out part
#   and the whole. Its pages.tar.xz is unpacked once into a cache under the
#   target folder ($CARGO_TARGET_DIR, default target/), never into the
#   repository's tracked paths.
#
# A data set that is absent is skipped, with a line that says so. The
# Python extractors are installed from PyPI into bench/.venv on first use.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-$root/../shared/data/extraction-benchmark}
web=${2:-$root/../shared/data/extraction-web-dev}
target=${CARGO_TARGET_DIR:-$root/target}
venv=$root/bench/.venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q trafilatura==2.3.1 readability-lxml==0.9 lxml_html_clean==0.4.6
fi
cd "$root"
cargo build -q --release -p verdict-extract --example extraction_bench
bench=$target/release/examples/extraction_bench
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "== extraction benchmark ($data)"
if [ -f "$data/ground-truth.json" ]; then
    "$bench" "$data" --out "$out" --repeat "${REPEAT:-3}"
    "$venv/bin/python" bench/extraction/trafilatura_bench.py "$data" --rust "$out" --repeat "${PY_REPEAT:-1}"
else
    echo "SKIP: $data/ground-truth.json not found (the benchmark data lives in ../shared/data)"
fi

echo
echo "== web-dev set ($web)"
if [ -f "$web/pages.tar.xz" ]; then
    size=$(stat -c %s "$web/pages.tar.xz")
    pages=$target/extraction-web-dev/$size
    if [ ! -f "$pages/evaldata.json" ]; then
        rm -rf "$pages.tmp"
        mkdir -p "$pages.tmp"
        tar -xJf "$web/pages.tar.xz" -C "$pages.tmp"
        rm -rf "$pages"
        mv "$pages.tmp" "$pages"
    fi
    "$bench" --web "$pages" --out "$out" --repeat "${REPEAT:-3}"
    "$venv/bin/python" bench/extraction/trafilatura_bench.py --web "$pages" --rust "$out" --repeat "${PY_REPEAT:-1}"
else
    echo "SKIP: $web/pages.tar.xz not found (the data lives in ../shared/data)"
fi
