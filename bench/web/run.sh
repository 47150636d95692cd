#!/usr/bin/env bash
# Load benchmark of `verdict serve`: wrk on loopback, bounded in time, on a
# database of 1M reviews (generated once by the bench_db example, then
# reused). Prints requests/s and p99 latency for a film page and the API.
#
#   bench/web/run.sh                      # 1M reviews, 10 s per run
#   REVIEWS=100000 DURATION=5s bench/web/run.sh
#   BUILD=0 bench/web/run.sh              # use the binaries already built
#
# Needs wrk (apt-get install wrk). Server and wrk share this machine's
# cores; the numbers are for that setup.
set -euo pipefail
cd "$(dirname "$0")/../.."

REVIEWS=${REVIEWS:-1000000}
FILMS=${FILMS:-20000}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18181}
OUT=${OUT:-target/bench-web}
DB="$OUT/reviews-$REVIEWS.db"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
mkdir -p "$OUT"

if [ "${BUILD:-1}" = 1 ]; then
  echo "== build (release)"
  cargo build --release -q -p verdict --bin verdict
  cargo build --release -q -p verdict-web --example bench_db
fi

if [ ! -f "$DB" ]; then
  echo "== generate $DB ($REVIEWS reviews, $FILMS films)"
  rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
  target/release/examples/bench_db "$DB.tmp" "$REVIEWS" "$FILMS"
  mv "$DB.tmp" "$DB"
else
  echo "== reuse $DB"
fi
echo "database: $(du -h "$DB" | cut -f1) on disk"

echo "== serve"
# Request lines are logged at info; the benchmark measures the server
# without them (VERDICT_LOG=info to include their cost).
VERDICT_LOG=${VERDICT_LOG:-warn} target/release/verdict --db "$DB" serve --addr "127.0.0.1:$PORT" >"$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  grep -q "listening on" "$OUT/serve.log" && break
  kill -0 $SERVER 2>/dev/null || { cat "$OUT/serve.log"; exit 1; }
  sleep 0.2
done
grep "listening on" "$OUT/serve.log" || { echo "the server did not start" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"

# A typical film: the one whose review count is nearest 100; and 2,000
# films for a run across many pages (cold cache at first).
python3 - "$BASE" "$OUT" <<'PY'
import json, sys, urllib.request, random
base, out = sys.argv[1], sys.argv[2]
films, offset = [], 0
while True:
    page = json.load(urllib.request.urlopen(f"{base}/api/films?offset={offset}&limit=1000"))
    films += [(f["aggregate"]["reviews"], f["slug"]) for f in page["films"]]
    offset += 1000
    if offset >= page["total"]:
        break
n, slug = min(films, key=lambda f: (abs(f[0] - 100), f[1]))
open(f"{out}/film.txt", "w").write(f"{slug}\n{n}\n")
random.seed(7)
with open(f"{out}/films.txt", "w") as f:
    for _, s in random.sample(films, min(2000, len(films))):
        f.write(f"/films/{s}\n")
PY
SLUG=$(sed -n 1p "$OUT/film.txt")
N=$(sed -n 2p "$OUT/film.txt")
cat >"$OUT/films.lua" <<LUA
paths = {}
for line in io.lines("$OUT/films.txt") do paths[#paths + 1] = line end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
LUA

FILM="/films/$SLUG"
API="/api/films/$SLUG"
for p in "$FILM" "$API"; do
  printf '%-40s %8s bytes, %8s gzipped\n' "$p" \
    "$(curl -s -o /dev/null -w '%{size_download}' "$BASE$p")" \
    "$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "$BASE$p")"
done
echo "film: $SLUG ($N reviews)"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -a ROWS
run() { # name, url, extra args
  local name=$1 url=$2; shift 2
  echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $* $url"
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  echo "$out"
  local rps p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  ROWS+=("$(printf '%-34s %12s %10s  %s' "$name" "$rps" "$p99" "$errors")")
}
GZ=(-H "Accept-Encoding: gzip")
run "film page" "$BASE$FILM"
run "film page, gzip" "$BASE$FILM" "${GZ[@]}"
run "API film" "$BASE$API"
run "API film, gzip" "$BASE$API" "${GZ[@]}"
run "2,000 film pages, gzip" "$BASE" -s "$OUT/films.lua" "${GZ[@]}"

echo
echo "== summary: $REVIEWS reviews, $FILMS films ($(du -h "$DB" | cut -f1)); wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores shared with the server"
echo "load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates p99)"
printf '%-34s %12s %10s\n' "target" "requests/s" "p99"
for r in "${ROWS[@]}"; do echo "$r"; done
