#!/bin/sh
# The scale run: the benchmark's request mix at growing sizes of generated corpus (EN and
# FR, lzs-bench-gen), printing for each size the indexing time and throughput, the index's
# size on disk, p50 per request and p50/p90/p99 per class of request (the mix, the broad
# requests), and the daemon's memory: lzs-searchd's resident size before and after its
# threads have counted every facet over every passage.
#   bench/scale.sh [BUILD_DIR] [WORK_DIR] [PASSAGES...]
# PASSAGES defaults to "20000 200000" (2000000 takes about ten times the 200,000 run and
# some 10 GB of disk: give it explicitly). REPS (default 15) runs of each request. Each
# size's full output is kept in WORK_DIR/N/bench.txt; the summary goes to stdout. Not part
# of the test command.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
[ $# -gt 0 ] && shift
work=${1:-/tmp/lzs-scale}
[ $# -gt 0 ] && shift
sizes=${*:-20000 200000}
reps=${REPS:-15}
cmake --build "$build" --target lzs-bench-gen lzs-bench-search lzs-searchd -j2 >/dev/null
mkdir -p "$work"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

for n in $sizes; do
    dir=$work/$n
    files=$(( (n + 124) / 125 )) # the generator writes about 125 passages per file
    mkdir -p "$dir"
    if [ ! -f "$dir/corpus.done" ] || [ "$(cat "$dir/corpus.done")" != "$files" ]; then
        rm -rf "$dir/corpus" "$dir/index"
        "$build/bench/lzs-bench-gen" --seed 1 "$dir/corpus" "$files" >/dev/null
        echo "$files" >"$dir/corpus.done"
    fi
    rm -rf "$dir/index"
    "$build/bench/lzs-bench-search" --index "$dir/index" --corpus "$dir/corpus" \
        --reps "$reps" >"$dir/bench.txt"
    size_mb=$(du -sm "$dir/index" | cut -f1)

    # The daemon: resident size once open, then after two rounds of browsing everything
    # with every facet (each worker thread reads its own columns).
    rm -f "$dir/port"
    "$build/searchd/lzs-searchd" --index "$dir/index" --listen 127.0.0.1:0 --threads 2 \
        --port-file "$dir/port" 2>"$dir/searchd.log" &
    pid=$!
    i=0
    while [ ! -s "$dir/port" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
    port=$(cat "$dir/port")
    curl -sf "http://127.0.0.1:$port/api/search?q=children" >/dev/null
    rss0=$(rss_kb $pid)
    for k in 1 2 3 4; do
        curl -sf "http://127.0.0.1:$port/api/search?q=&facets=1&group=document" >/dev/null &
        cpid=$!
        curl -sf "http://127.0.0.1:$port/api/search?q=the&facets=1" >/dev/null
        wait $cpid
    done
    rss1=$(rss_kb $pid)
    kill $pid
    wait $pid 2>/dev/null || true

    echo "== $n passages ($files files)"
    grep -E "^indexing|^index:" "$dir/bench.txt"
    echo "index size on disk: $size_mb MB"
    grep -E "^facet columns" "$dir/bench.txt"
    awk '/^(request|broad request) / {t=$0} /^p(50|90|99) / {print (t ~ /^broad/ ? "broad " : "mix   ") $0}' \
        "$dir/bench.txt"
    echo "lzs-searchd (2 threads): resident $((rss0 / 1024)) MB after a first search, $((rss1 / 1024)) MB after counting every facet over every passage (+$(((rss1 - rss0) / 1024)) MB)"
    echo
done
