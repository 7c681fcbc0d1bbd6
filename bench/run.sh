#!/bin/sh
# The full benchmark: generates a synthetic corpus of at least 200,000 passages, indexes it
# and compares query latency of lzs_search with plain Xapian on that index.
#   bench/run.sh [BUILD_DIR] [WORK_DIR]
# BUILD_DIR defaults to build (configured with -DCMAKE_BUILD_TYPE=RelWithDebInfo or
# Release); WORK_DIR (default /tmp/lzs-bench) receives the corpus and the index (about
# 1 GB). FILES (default 1700, about 215,000 passages) and REPS (default 30) can be set in the environment.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
work=${2:-/tmp/lzs-bench}
files=${FILES:-1700}
reps=${REPS:-30}
cmake --build "$build" --target lzs-bench-gen lzs-bench-search -j2 >/dev/null
mkdir -p "$work"
if [ ! -f "$work/corpus.done" ] || [ "$(cat "$work/corpus.done")" != "$files" ]; then
    rm -rf "$work/corpus" "$work/index"
    "$build/bench/lzs-bench-gen" --seed 1 "$work/corpus" "$files"
    echo "$files" >"$work/corpus.done"
fi
rm -rf "$work/index"
"$build/bench/lzs-bench-search" --index "$work/index" --corpus "$work/corpus" \
    --reps "$reps" --min-passages 200000
