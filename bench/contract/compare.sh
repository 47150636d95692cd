#!/usr/bin/env bash
# The JSON contract, before and after a change: runs two builds of
# `verdict` on the same inputs and compares what they print, byte for byte.
#
#   bench/contract/compare.sh BEFORE_BIN AFTER_BIN
#
# Inputs: the seed reviews (`ingest ../shared/seeds`) and an import of
# ../shared/data/rt-flatiron. Compared: `films --json` of both databases,
# `show --json` of the seed film and of every film whose id is a
# multiple of 10 among rt-flatiron's (by title; an ambiguous title's
# error is compared too). Exit 0 when every output is identical; else the differing
# files are named and their first lines of difference shown. KEEP=1 keeps
# the work folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$root/../shared}
before=${1:?usage: compare.sh BEFORE_BIN AFTER_BIN}
after=${2:?usage: compare.sh BEFORE_BIN AFTER_BIN}
if [ ! -d "$shared/seeds" ] || [ ! -f "$shared/data/rt-flatiron/rt.reviews.tsv.gz" ]; then
    echo "SKIP: $shared/seeds or $shared/data/rt-flatiron not found"
    exit 0
fi
work=$(mktemp -d)
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; else echo "work folder: $work"; fi

run() { # NAME BIN
    local name=$1 bin=$2 out=$work/$1
    mkdir -p "$out"
    "$bin" --db "$out/seeds.db" ingest "$shared/seeds" >/dev/null 2>&1 || true
    "$bin" --db "$out/seeds.db" films --json >"$out/seeds.films.json"
    "$bin" --db "$out/seeds.db" show "Red Rooms" --json >"$out/seeds.show.json"
    "$bin" --db "$out/flatiron.db" import --quiet "$shared/data/rt-flatiron" >/dev/null
    "$bin" --db "$out/flatiron.db" films --json >"$out/flatiron.films.json"
    python3 - "$out/flatiron.films.json" >"$out/flatiron.ids" <<'PY'
import json, sys
films = json.load(open(sys.argv[1]))
for f in films:
    if f["film"]["id"] % 10 == 0:
        print(f["film"]["title"])
PY
    : >"$out/flatiron.show.json"
    while read -r title; do
        "$bin" --db "$out/flatiron.db" show "$title" --json >>"$out/flatiron.show.json" 2>&1 || echo "show $title failed" >>"$out/flatiron.show.json"
    done <"$out/flatiron.ids"
}
run before "$before"
run after "$after"
status=0
for f in seeds.films.json seeds.show.json flatiron.films.json flatiron.show.json; do
    if cmp -s "$work/before/$f" "$work/after/$f"; then
        echo "identical  $f ($(wc -c <"$work/before/$f") bytes)"
    else
        echo "DIFFERENT  $f"
        diff <(python3 -m json.tool <"$work/before/$f" 2>/dev/null || cat "$work/before/$f") \
             <(python3 -m json.tool <"$work/after/$f" 2>/dev/null || cat "$work/after/$f") | head -20 || true
        status=1
    fi
done
exit $status
