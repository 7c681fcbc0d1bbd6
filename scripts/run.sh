#!/usr/bin/env bash
# Sets up and runs lanzasearch (the README's first command): installs missing packages,
# builds in build/release, indexes the shipped corpus into var/index and serves the search
# page, by default on http://127.0.0.1:8080/. Re-running is cheap: the build and the index
# are incremental.
#   LZS_LISTEN=ADDR:PORT   listen elsewhere (e.g. 0.0.0.0:8080 to serve the network)
#   LZS_THREADS=N          worker threads (default: number of processors)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=$(nproc 2>/dev/null || echo 2)
LISTEN=${LZS_LISTEN:-127.0.0.1:8080}

scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j "$JOBS" --target lzs-index lzs-searchd

mkdir -p var
index() {
  build/release/indexer/lzs-index --index "$ROOT/var/index" --data "$ROOT/corpus/data" "$@" \
    "$ROOT/corpus"
}
rc=0
index || rc=$?
if [ "$rc" -eq 3 ]; then
  # var/index was written by an older lanzasearch: it only holds the shipped corpus, so
  # building it again loses nothing.
  echo "lanzasearch: the index has an older schema version: rebuilding it" >&2
  rc=0
  index --rebuild || rc=$?
fi
[ "$rc" -eq 0 ] || exit "$rc"

host=${LISTEN%:*}
port=${LISTEN##*:}
case "$host" in
  0.0.0.0) shown="127.0.0.1" ;;
  "[::]") shown="[::1]" ;;
  *) shown=$host ;;
esac
echo "lanzasearch: open http://$shown:$port/ (Ctrl-C stops the server)"
args=(--index "$ROOT/var/index" --data "$ROOT/corpus/data" --web "$ROOT/web" --listen "$LISTEN")
[ -n "${LZS_THREADS:-}" ] && args+=(--threads "$LZS_THREADS")
exec build/release/searchd/lzs-searchd "${args[@]}"
