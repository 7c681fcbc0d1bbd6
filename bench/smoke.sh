#!/bin/sh
# Smoke test of the benchmark programs: a corpus of a few hundred passages, two runs per
# request. Checks that both programs run and print their figures, never the figures.
set -eu
gen=$1
bench=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lzs_bench_smoke.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$gen" --seed 7 "$tmp/corpus" 6 >/dev/null
# the generator is deterministic
"$gen" --seed 7 "$tmp/corpus2" 6 >/dev/null
diff -r "$tmp/corpus" "$tmp/corpus2" >/dev/null
"$bench" --index "$tmp/index" --corpus "$tmp/corpus" --reps 2 --jobs 1 --min-passages 200 \
    >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err"; exit 1; }
cat "$tmp/out"
for want in "passages/s" "MB/s" "p50" "p90" "p99" "browse level"; do
    grep -q "$want" "$tmp/out" || { echo "missing '$want' in the output"; exit 1; }
done
