#!/usr/bin/env bash
# Runs every fuzz target (libFuzzer through cargo-fuzz) for a while on the
# corpora fuzz/seed.sh makes from the real data:
#
#   fuzz/run.sh [SECONDS_EACH] [TARGET...]     (60 s each, every target)
#
# cargo-fuzz runs on the stable toolchain here: without a sanitizer
# (`-s none`) it needs no nightly feature but the coverage passes, which
# RUSTC_BOOTSTRAP=1 lets stable rustc take. Each input must be read within
# 10 s and 2 GiB (libFuzzer's -timeout and -rss_limit_mb): an input that
# costs more is a failure, as a panic is. A failing input is kept under
# fuzz/artifacts/TARGET/ and the script exits non-zero.
#
# The inputs tried follow a fixed seed (FUZZ_SEED, 1 unless set), so a run
# is repeatable: the same corpus and seed try the same inputs in the same
# order, and a longer run here tries every input a shorter one elsewhere
# did. FUZZ_SEED=0 lets libFuzzer pick a new seed each run, to explore.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
seed=${FUZZ_SEED:-1}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(html_document front_matter csv_rows feed json_ld rating)
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install --locked cargo-fuzz@0.13.2
fi
export RUSTC_BOOTSTRAP=1
bash fuzz/seed.sh
cargo fuzz build -s none -O
failed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "${targets[@]}"; do
    echo "== fuzz $t (${seconds} s, seed $seed)"
    code=0
    cargo fuzz run -s none -O "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -seed="$seed" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1 || code=$?
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs|ERROR|SUMMARY|panicked|Test unit written|Minimize test case" "$log" || true
    if [ "$code" -ne 0 ]; then
        tail -n 40 "$log"
        failed+=("$t")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found failures in: ${failed[*]} (inputs under fuzz/artifacts/)"
    exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds} s each, no failure"
