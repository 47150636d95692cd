#!/usr/bin/env bash
# PostgreSQL against SQLite, in one run, on loopback:
#   1. a ROWS-row import (default 1,000,000 Rotten Tomatoes rows, made by
#      bench/aggregate/make_rows.py from the real files) into a new SQLite
#      file and into a new PostgreSQL database: rows/s and peak RSS of the
#      `verdict import` process (the PostgreSQL server's own memory is
#      reported apart);
#   2. wrk against one `verdict serve` on the SQLite file, then against two
#      servers sharing the PostgreSQL database (two wrk at once, one per
#      server): requests/s (summed) and p99, for a film page and the API.
#
#   bench/postgres/run.sh [ROWS]
#   DURATION=5s bench/postgres/run.sh 300000
#
# Needs PostgreSQL's server (apt-get install postgresql) and wrk
# (apt-get install wrk); started here in a temporary folder (as the
# postgres user when run as root) on a free port, and stopped at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${DATA:-$root/../shared/data}
rows=${1:-1000000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
if [ ! -f "$data/rt-kaggle-truncated/DERIVED_complete_films.tsv" ]; then
    echo "SKIP: $data/rt-kaggle-truncated not found (the real data lives in ../shared/data)"
    exit 0
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is missing: apt-get install postgresql" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cd "$root"
cargo build -q --release -p verdict
V=$root/target/release/verdict
work=$(mktemp -d)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
servers=()
cleanup() {
    for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -d "$work/pg" ] && as_pg "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') in $work/pg"
mkdir -p "$work/pg" "$work/sock"
[ "$(id -u)" = 0 ] && chown postgres: "$work/pg" "$work/sock"
as_pg "$bin/initdb" -D "$work/pg" --auth=trust -U postgres --encoding=UTF8 --locale=C >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Settings for a dedicated machine of this size; durability as shipped
# (fsync on), so that the comparison with SQLite's WAL is fair.
as_pg "$bin/pg_ctl" -D "$work/pg" -l "$work/sock/pg.log" -w start -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $work/sock -c shared_buffers=1GB -c max_wal_size=4GB -c synchronous_commit=on" >/dev/null
"$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres verdict
URL="postgres://postgres@127.0.0.1:$port/verdict"

python3 bench/aggregate/make_rows.py "$data" "$work/rows" --rows "$rows"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

import_into() { # NAME DB
    /usr/bin/time -f '%e %M %U %S' -o "$work/$1.time" \
        "$V" --db "$2" import --quiet --json "$work/rows" >"$work/$1.json" 2>"$work/$1.err" \
        || { cat "$work/$1.err"; exit 1; }
    echo "$1: $(cut -d' ' -f1 "$work/$1.time") s"
}
echo "== import $rows rows"
import_into sqlite "$work/v.db"
pg_before=$(ps -o rss= -u postgres | awk '{s+=$1} END {print s}')
import_into postgres "$URL"
pg_rss=$(ps -o rss= -u postgres | awk '{s+=$1} END {print s}')
pg_size=$("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d verdict -Atc "SELECT pg_database_size('verdict')")

serve() { # DB PORT
    VERDICT_LOG=warn "$V" --db "$1" serve --addr "127.0.0.1:$2" >"$work/serve-$2.log" 2>&1 &
    servers+=($!)
    for _ in $(seq 1 600); do
        grep -q "listening on" "$work/serve-$2.log" && return 0
        sleep 0.2
    done
    cat "$work/serve-$2.log"; exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wrk against each base URL at once; prints summed requests/s and the
# worst p99.
load() { # PATH BASE...
    local path=$1; shift
    local i=0 pids=()
    for base in "$@"; do
        wrk -t1 -c$(( CONNECTIONS / $# )) -d"$DURATION" --latency "$base$path" >"$work/wrk.$i" &
        pids+=($!); i=$((i + 1))
    done
    wait "${pids[@]}"
    python3 - "$work" "$i" <<'PY'
import sys, re
work, n = sys.argv[1], int(sys.argv[2])
rps, p99 = 0.0, 0.0
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    x, u = float(m.group(1)), m.group(2)
    return x / 1000 if u == "us" else x * 1000 if u == "s" else x
for i in range(n):
    text = open(f"{work}/wrk.{i}").read()
    rps += float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = max(p99, ms(re.search(r"\s99%\s+(\S+)", text).group(1)))
print(f"{rps:.0f} {p99:.1f}")
PY
}

echo "== serve: one server on SQLite, two on PostgreSQL"
p1=$(free_port); serve "$work/v.db" "$p1"
slug=$(curl -s "http://127.0.0.1:$p1/api/films?limit=1000" | python3 -c '
import json, sys
films = json.load(sys.stdin)["items"]
print(min(films, key=lambda f: abs(f["aggregate"]["reviews"] - 100))["slug"])')
sqlite_film=$(load "/films/$slug" "http://127.0.0.1:$p1")
sqlite_api=$(load "/api/films/$slug" "http://127.0.0.1:$p1")
kill "${servers[0]}"; wait "${servers[0]}" 2>/dev/null || true; servers=()
p2=$(free_port); serve "$URL" "$p2"
p3=$(free_port); serve "$URL" "$p3"
pg_film=$(load "/films/$slug" "http://127.0.0.1:$p2" "http://127.0.0.1:$p3")
pg_api=$(load "/api/films/$slug" "http://127.0.0.1:$p2" "http://127.0.0.1:$p3")
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work" "$rows" "$pg_rss" "$pg_before" "$pg_size" "$sqlite_film" "$sqlite_api" "$pg_film" "$pg_api" "$slug" "$(nproc)" <<'PY'
import json, os, sys
work, rows, pg_rss, pg_before, pg_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
sf, sa, pf, pa = (s.split() for s in sys.argv[6:10])
slug, cores = sys.argv[10], sys.argv[11]
def timing(name):
    wall, rss, user, sys_ = open(f"{work}/{name}.time").read().split()[-4:]
    return float(wall), int(rss) / 1024, float(user) + float(sys_)
s_wall, s_rss, s_cpu = timing("sqlite")
p_wall, p_rss, p_cpu = timing("postgres")
s = json.load(open(f"{work}/sqlite.json"))
p = json.load(open(f"{work}/postgres.json"))
print()
print(f"{rows:,} rows ({s['inserted']:,} stored on SQLite, {p['inserted']:,} on PostgreSQL), {cores} cores shared by everything")
print(f"{'import':34}{'SQLite':>14}{'PostgreSQL':>14}{'ratio':>9}")
print(f"{'rows/s (wall)':34}{rows / s_wall:>14,.0f}{rows / p_wall:>14,.0f}{(rows / p_wall) / (rows / s_wall):>8.2f}x")
print(f"{'seconds (wall)':34}{s_wall:>14.1f}{p_wall:>14.1f}")
print(f"{'verdict process CPU seconds':34}{s_cpu:>14.1f}{p_cpu:>14.1f}")
print(f"{'verdict process peak RSS (MiB)':34}{s_rss:>14.0f}{p_rss:>14.0f}")
print(f"{'database server RSS after (MiB)':34}{'-':>14}{pg_rss / 1024:>14.0f}")
print(f"{'database size (MiB)':34}{os.path.getsize(work + '/v.db') / 2**20:>14.0f}{pg_size / 2**20:>14.0f}")
print()
print(f"serving /films/{slug}: one server on SQLite vs two servers sharing PostgreSQL (wrk on the same cores)")
print(f"{'':34}{'SQLite x1':>14}{'PostgreSQL x2':>14}{'ratio':>9}")
for name, a, b in [("film page requests/s", sf, pf), ("API film requests/s", sa, pa)]:
    print(f"{name:34}{float(a[0]):>14,.0f}{float(b[0]):>14,.0f}{float(b[0]) / float(a[0]):>8.2f}x")
for name, a, b in [("film page p99 (ms)", sf, pf), ("API film p99 (ms)", sa, pa)]:
    print(f"{name:34}{float(a[1]):>14.1f}{float(b[1]):>14.1f}")
PY
