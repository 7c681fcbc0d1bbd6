#!/usr/bin/env bash
# The installed layout: `cmake --install BUILD --prefix P` puts the programs in P/bin, the
# domain data, the page and the shipped documents in P/share/lanzasearch, the man pages in
# P/share/man; the installed programs read their files there (include/lzs/paths.h), from
# any working directory, with no option and no LZS_* variable: lzs-index indexes P's
# documents with P's data, lzs-searchd serves P's page and answers a known question, and
# with P's data gone both name P's folder, not the source tree's.
# Environment (tests/package.cmake): LZS_BUILD, LZS_SOURCE, LZS_CMAKE.
set -uo pipefail
BUILD=${LZS_BUILD:?} SRC=${LZS_SOURCE:?} CMAKE=${LZS_CMAKE:?}
. "$(dirname "$0")/common.sh"
need curl curl
need python3 python3

WORK=$(mktemp -d /tmp/lzs-install-XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
P=$WORK/prefix
SHARE=$P/share/lanzasearch

if ! "$CMAKE" --install "$BUILD" --prefix "$P" >"$WORK/install.log" 2>&1; then
  cat "$WORK/install.log" >&2
  fail "cmake --install $BUILD failed (built? cmake --build $BUILD)"
  finish
fi

# ---- the layout -------------------------------------------------------------------------
installed() { [ -f "$P/$1" ] || fail "not installed: PREFIX/$1"; }
for prog in lzs-index lzs-searchd; do
  [ -x "$P/bin/$prog" ] || fail "not installed or not executable: PREFIX/bin/$prog"
done
[ "$(ls "$P/bin" | tr '\n' ' ')" = "lzs-index lzs-searchd " ] ||
  fail "PREFIX/bin holds $(ls "$P/bin" | tr '\n' ' '), not the two programs alone"
for f in "$SRC"/corpus/data/*.tsv; do installed "share/lanzasearch/data/${f##*/}"; done
while IFS= read -r f; do installed "share/lanzasearch/web/${f#./}"; done \
  < <(cd "$SRC/web" && find . -type f)
ndocs=0
for f in "$SRC"/corpus/*; do
  [ -f "$f" ] || continue
  installed "share/lanzasearch/corpus/${f##*/}"
  case "$f" in *.meta.json) ;; *) ndocs=$((ndocs + 1)) ;; esac
done
[ "$ndocs" -gt 0 ] || fail "no document in $SRC/corpus"
installed share/man/man1/lzs-index.1
installed share/man/man8/lzs-searchd.8

# ---- the installed programs find their files --------------------------------------------
# A clean environment but for the sanitizers' options, a home of its own (the default
# index), run from a folder that is neither the source nor the build tree.
mkdir -p "$WORK/home" "$WORK/cwd"
cd "$WORK/cwd" || exit 1
run() { env -u LZS_INDEX_DIR -u LZS_DATA_DIR -u LZS_CORPUS_DIR -u XDG_DATA_HOME \
          HOME="$WORK/home" "$@"; }
doc=$(ls "$SHARE"/corpus/*.txt | head -n 1)

mv "$SHARE/data" "$SHARE/data.away"
run "$P/bin/lzs-index" --extract "$doc" >/dev/null 2>"$WORK/nodata.err"
rc=$?
[ "$rc" -eq 1 ] || fail "lzs-index --extract without PREFIX's data: exit status $rc, expected 1"
grep -qF "$SHARE/data" "$WORK/nodata.err" ||
  fail "lzs-index without PREFIX's data does not name $SHARE/data: $(head -c 300 "$WORK/nodata.err")"
mv "$SHARE/data.away" "$SHARE/data"

run "$P/bin/lzs-index" --extract "$doc" >"$WORK/extract.json" 2>"$WORK/extract.err" ||
  fail "lzs-index --extract with PREFIX's data: $(head -c 300 "$WORK/extract.err")"

if run "$P/bin/lzs-index" --json >"$WORK/summary.json" 2>"$WORK/index.err"; then
  python3 - "$WORK/summary.json" "$ndocs" "$WORK/home" <<'PY' || fail "the summary of the installed lzs-index (above)"
import json, sys
s = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
ok = (s["documents"] == n and s["files"]["added"] == n and s["files"]["skipped"] == 0
      and s["passages"] > 0 and s["index"].startswith(sys.argv[3] + "/"))
if not ok:
    print("expected the %d shipped documents indexed into %s/.local/share; got: %s"
          % (n, sys.argv[3], json.dumps(s)[:600]), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
else
  fail "the installed lzs-index with its defaults: $(head -c 500 "$WORK/index.err")"
fi

# The page served must be PREFIX's: it is marked, the source's is not.
marker="installed-page-$$-$RANDOM"
echo "<!-- $marker -->" >>"$SHARE/web/index.html"
# Started by bash itself (not through run, a function, which would run in a subshell of its
# own): $! is the daemon, which the SIGTERM below must reach.
env -u LZS_INDEX_DIR -u LZS_DATA_DIR -u LZS_CORPUS_DIR -u XDG_DATA_HOME HOME="$WORK/home" \
  "$P/bin/lzs-searchd" --listen 127.0.0.1:0 --port-file "$WORK/port" 2>"$WORK/searchd.err" &
pid=$!
# Ready when the port file appears (written once listening); the bound only limits a hang.
for _ in $(seq 600); do
  [ -s "$WORK/port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -s "$WORK/port" ]; then
  base="http://127.0.0.1:$(cat "$WORK/port")"
  curl -sf "$base/" -o "$WORK/page.html" || fail "GET / of the installed lzs-searchd failed"
  grep -q "$marker" "$WORK/page.html" ||
    fail "the installed lzs-searchd does not serve PREFIX/share/lanzasearch/web/index.html"
  # A known answer of the shipped documents: the one recommendation that requires Norway.
  if curl -sf "$base/api/search?level=require&addressee=NO&size=100" -o "$WORK/v17.json"; then
    python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
recs = {h["passage"].get("rec_id") for h in v["hits"]}
sys.exit(0 if v["total"] > 0 and recs == {"V-17"} else 1)' "$WORK/v17.json" ||
      fail "level=require&addressee=NO is not recommendation V-17 alone: $(head -c 300 "$WORK/v17.json")"
  else
    fail "GET /api/search of the installed lzs-searchd failed"
  fi
  kill -TERM "$pid"
  wait "$pid"
  rc=$?
  pid=
  [ "$rc" -eq 0 ] || fail "lzs-searchd exited $rc after SIGTERM: $(tail -c 300 "$WORK/searchd.err")"
else
  fail "the installed lzs-searchd did not start: $(head -c 500 "$WORK/searchd.err")"
fi

finish
