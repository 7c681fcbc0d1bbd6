#!/usr/bin/env bash
# End-to-end tests of the search page: Debian's Chromium, headless, driven by playwright-core
# against the real lzs-searchd serving an index of the shipped corpus plus the markup
# fixture of tests/browser/fixtures and the French and English documents of tests/data/lang
# (language versions, one recommendation in several documents).
#
#   tests/browser/run.sh BUILD_DIR [PATTERN]
#
# PATTERN (a regular expression) runs only the tests whose names match it
# (node --test-name-pattern), for working on a few.
# BUILD_DIR holds indexer/lzs-index and searchd/lzs-searchd. Installs what is missing
# (chromium, node and npm from Debian; playwright-core from package-lock.json), saves
# screenshots of the main views in BUILD_DIR/screenshots/ and exits non-zero on any
# failure.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BUILD_DIR [PATTERN]" >&2
  exit 2
fi
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
if [ ! -d "$1" ]; then
  echo "browser tests: build directory '$1' does not exist" >&2
  exit 2
fi
BUILD="$(cd "$1" && pwd)"
INDEXER="$BUILD/indexer/lzs-index"
SEARCHD="$BUILD/searchd/lzs-searchd"
for exe in "$INDEXER" "$SEARCHD"; do
  if [ ! -x "$exe" ]; then
    echo "browser tests: $exe is missing: build the lzs-index and lzs-searchd targets first" >&2
    exit 2
  fi
done
CHROMIUM="${LZS_CHROMIUM:-/usr/bin/chromium}"

# ---- what the tests need from Debian, installed only when missing
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "browser tests: need root or sudo to install $*" >&2; exit 1; }
    sudo=sudo
  fi
  echo "browser tests: installing $*" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v curl >/dev/null || missing+=(curl)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
[ -x "$CHROMIUM" ] || { echo "browser tests: no Chromium at $CHROMIUM" >&2; exit 1; }

# ---- playwright-core and axe-core, at the versions package-lock.json pins
cd "$HERE"
for pkg in playwright-core axe-core; do
  want="$(node -p "require('./package-lock.json').packages['node_modules/$pkg'].version")"
  have="$(node -p "try { require('./node_modules/$pkg/package.json').version } catch (e) { '' }")"
  if [ "$want" != "$have" ]; then
    npm ci --no-audit --no-fund --loglevel=error >&2
    break
  fi
done

# ---- index the corpus and the fixture in a scratch directory
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lzs-browser.XXXXXX")"
SEARCHD_PID=""
cleanup() {
  if [ -n "$SEARCHD_PID" ] && kill -0 "$SEARCHD_PID" 2>/dev/null; then
    kill -TERM "$SEARCHD_PID" 2>/dev/null || true
    wait "$SEARCHD_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$INDEXER" --quiet --jobs 2 --index "$WORK/index" --data "$ROOT/corpus/data" \
  "$ROOT/corpus" "$HERE/fixtures" "$ROOT/tests/data/lang" 2>"$WORK/index.log" || {
  echo "browser tests: indexing failed:" >&2
  cat "$WORK/index.log" >&2
  exit 1
}

# ---- the daemon, on a free loopback port; no load shedding (--max-queue-ms 0): on a
# machine busy with other tests a request that waits is still answered, never a 503
"$SEARCHD" --index "$WORK/index" --data "$ROOT/corpus/data" --web "$ROOT/web" \
  --listen 127.0.0.1:0 --threads 4 --max-queue-ms 0 --port-file "$WORK/port" \
  2>"$WORK/searchd.log" &
SEARCHD_PID=$!
for _ in $(seq 1 100); do
  [ -s "$WORK/port" ] && break
  if ! kill -0 "$SEARCHD_PID" 2>/dev/null; then
    echo "browser tests: lzs-searchd exited at start:" >&2
    cat "$WORK/searchd.log" >&2
    exit 1
  fi
  sleep 0.1
done
PORT="$(tr -dc 0-9 <"$WORK/port")"
if [ -z "$PORT" ]; then
  echo "browser tests: lzs-searchd did not report its port in 10 s:" >&2
  cat "$WORK/searchd.log" >&2
  exit 1
fi
BASE="http://127.0.0.1:$PORT"
curl -fsS "$BASE/healthz" >/dev/null || {
  echo "browser tests: $BASE/healthz does not answer:" >&2
  cat "$WORK/searchd.log" >&2
  exit 1
}

# ---- the tests
mkdir -p "$BUILD/screenshots"
status=0
LZS_BASE_URL="$BASE" LZS_SCREENSHOT_DIR="$BUILD/screenshots" LZS_CHROMIUM="$CHROMIUM" \
  node --test --test-concurrency=1 ${2:+--test-name-pattern="$2"} "$HERE"/*.test.mjs || status=$?
if [ "$status" -ne 0 ]; then
  echo "browser tests: FAILED (daemon log: last lines below)" >&2
  tail -n 30 "$WORK/searchd.log" >&2
else
  echo "browser tests: passed; screenshots in $BUILD/screenshots/"
fi
exit "$status"
