#!/usr/bin/env bash
# What hostile HTML costs: each page of the hostile corpus (generated, never
# committed) read by `verdict extract`, one process each, its CPU time and
# peak memory taken from the kernel (wait4), against the goal: at most about
# 1 s of CPU per MB and 20x its size in memory.
#
#   bench/hostile/run.sh [SIZE_BYTES]      (16 MiB by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
size=${1:-16777216}
target=${CARGO_TARGET_DIR:-$root/target}
cd "$root"
cargo build -q --release -p verdict
cargo build -q --release -p verdict-testkit --example hostile
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$target/release/examples/hostile" "$dir" "$size" >/dev/null
python3 - "$target/release/verdict" "$dir" <<'PY'
import os, sys, subprocess
verdict, folder = sys.argv[1], sys.argv[2]
print(f"{'page':<22} {'MB':>6} {'CPU s':>7} {'s/MB':>6} {'peak MB':>8} {'x size':>7}  verdict")
worst_cpu = worst_mem = 0.0
for name in sorted(os.listdir(folder)):
    path = os.path.join(folder, name)
    mb = os.path.getsize(path) / 1e6
    p = subprocess.Popen([verdict, "extract", "--json", path],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    cpu = ru.ru_utime + ru.ru_stime
    peak = ru.ru_maxrss / 1024  # KiB -> MiB
    per_mb, times = cpu / mb, peak * 1.048576 / mb
    worst_cpu, worst_mem = max(worst_cpu, per_mb), max(worst_mem, times)
    ok = "ok" if per_mb <= 1.0 and times <= 20 else "OVER"
    code = os.waitstatus_to_exitcode(status)
    print(f"{name[:-5]:<22} {mb:6.1f} {cpu:7.2f} {per_mb:6.2f} {peak:8.0f} {times:7.1f}  {ok} (exit {code})")
print(f"worst: {worst_cpu:.2f} s of CPU per MB (goal 1), {worst_mem:.1f}x its size in memory (goal 20)")
PY
