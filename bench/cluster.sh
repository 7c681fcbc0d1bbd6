#!/usr/bin/env bash
# Requests per second through haproxy with one replica, then two (scripts/cluster.sh's
# topology on loopback): lzs-load sends an open-loop mix of searches at rising rates and
# prints, per rate, the goodput and the latencies; the highest goodput before latency
# runs away is the capacity. Never run by ctest: it prints figures, it asserts nothing.
# On one machine every replica shares the same cores, so two replicas measure the cost of
# the balancer and the replication more than a gain (see README, "Read replicas").
#   bench/cluster.sh [BUILD_DIR] [RATES] [SECONDS]
#     BUILD_DIR  holds indexer/lzs-index, searchd/lzs-searchd and lzs-load
#                (default build/release; cmake --build BUILD_DIR --target lzs-load)
#     RATES      comma-separated requests/s (default 100,200,400,800,1600)
#     SECONDS    per rate (default 10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build/release}" && pwd)
RATES=${2:-100,200,400,800,1600}
SECONDS_PER_RATE=${3:-10}
LOAD=$(find "$BUILD" -name lzs-load -type f -perm -u+x | head -1)
[ -n "$LOAD" ] || { echo "bench/cluster.sh: no lzs-load under $BUILD (cmake --build $BUILD --target lzs-load)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/lzs-bench-cluster.XXXXXX)
export LZS_BIN=$BUILD LZS_CLUSTER_PORT=${LZS_CLUSTER_PORT:-28080}
trap 'for d in "$WORK"/r*; do LZS_CLUSTER_DIR=$d "$ROOT/scripts/cluster.sh" stop || true; done' EXIT

echo "machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load: lzs-load open loop, 32 keep-alive connections, ${SECONDS_PER_RATE}s per rate, built-in search mix"
for n in 1 2; do
  export LZS_CLUSTER_DIR=$WORK/r$n LZS_CLUSTER_REPLICAS=$n
  "$ROOT/scripts/cluster.sh" start >/dev/null
  echo
  echo "== $n replica(s) (2 worker threads each) through haproxy"
  "$LOAD" --port "$LZS_CLUSTER_PORT" --conns 32 --rates "$RATES" \
    --duration "$SECONDS_PER_RATE" || echo "(some requests failed: see above)"
  "$ROOT/scripts/cluster.sh" stop
done
