#!/usr/bin/env bash
# The lzs-index command line: --help, --version, usage errors, --extract, --json summary,
# incremental runs, the lock (with and without --wait), no progress bar without a terminal.
# Environment (set by tests/index.cmake): LZS_INDEX_BIN, LZS_INDEX_TOOL, LZS_CORPUS.
set -uo pipefail
BIN=${LZS_INDEX_BIN:?} TOOL=${LZS_INDEX_TOOL:?} CORPUS=${LZS_CORPUS:?}
WORK=$(mktemp -d /tmp/lzs-index-cli-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# run NAME EXPECTED_STATUS CMD...: runs CMD, output in $WORK/NAME.out / .err
run() {
  local name=$1 want=$2; shift 2
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "$name: exit status $got, expected $want ($(head -c 300 "$WORK/$name.err"))"
}
has() { grep -q -- "$2" "$WORK/$1" || fail "$1 lacks '$2'"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$WORK/$1" \
         || fail "$1: JSON check failed: $2"; }

mkdir -p "$WORK/corpus"
cp "$CORPUS"/*.txt "$WORK/corpus/"
chmod u+w "$WORK/corpus"/*.txt

run help 0 "$BIN" --help
for opt in --index --data --rebuild --jobs --wait --quiet --json --extract --help --version \
           "Exit status" LZS_INDEX_DIR; do
  has help.out "$opt"
done
run version 0 "$BIN" --version
grep -Eq '^lzs-index [0-9]+\.[0-9]+\.[0-9]+ \(schema [0-9]+\)$' "$WORK/version.out" \
  || fail "version: '$(cat "$WORK/version.out")'"

run unknown 2 "$BIN" --bogus
has unknown.err "unknown option '--bogus'"
has unknown.err "lzs-index --help"
run jobs0 2 "$BIN" --jobs 0 --index "$WORK/i0" "$WORK/corpus"
has jobs0.err "--jobs"
run noarg 2 "$BIN" --index
run quietjson 2 "$BIN" --quiet --json --index "$WORK/i0" "$WORK/corpus"
[ ! -e "$WORK/i0" ] || fail "a usage error created the index"

run extract 0 "$BIN" --extract "$WORK/corpus/003_439bdb46cbe148c3.txt"
json extract.out 'len(d["passages"]) > 10 and d["id"] and any(p.get("rec_id") == "V-17" for p in d["passages"])'
run extract_missing 1 "$BIN" --extract "$WORK/nope.txt"
has extract_missing.err "nope.txt"
printf '' >"$WORK/empty.txt"
run extract_empty 1 "$BIN" --extract "$WORK/empty.txt"
has extract_empty.err "empty.txt"

run missing_corpus 1 "$BIN" --index "$WORK/i1" "$WORK/no-such-dir"
has missing_corpus.err "no-such-dir"

# First run: JSON summary.
run first 0 "$BIN" --index "$WORK/idx" --json --jobs 2 "$WORK/corpus"
json first.out 'd["files"]["added"] == 5 and d["files"]["skipped"] == 0 and d["passages"] > 50 and d["documents"] == 5 and d["schema"] == "3" and d["recommendations"]["require"] > 0 and "NO" in d["parties"] and d["passages"] == d["passages_added"]'
[ ! -s "$WORK/first.err" ] || fail "first run wrote to stderr without a terminal: $(head -c 200 "$WORK/first.err")"

# Text summary; one bad file; nothing changed otherwise.
printf '\x00\x01\x02binary' >"$WORK/corpus/bad.txt"
run second 0 "$BIN" --index "$WORK/idx" "$WORK/corpus"
has second.out "documents"
has second.out "passages"
has second.out "recommendations"
has second.out "Parties seen"
has second.out "5 unchanged"
has second.out "1 skipped"
has second.err "bad.txt"
[ "$(wc -l <"$WORK/second.err")" -eq 1 ] || fail "second: expected one message on stderr"
rm "$WORK/corpus/bad.txt"

# Quiet: nothing on stdout.
run quiet 0 "$BIN" --index "$WORK/idx" --quiet "$WORK/corpus"
[ ! -s "$WORK/quiet.out" ] || fail "quiet printed on stdout"

# Default index directory from LZS_INDEX_DIR, default corpus from LZS_CORPUS_DIR.
run defaults 0 env LZS_INDEX_DIR="$WORK/envidx" LZS_CORPUS_DIR="$WORK/corpus" "$BIN" --json
json defaults.out 'd["files"]["added"] == 5'
[ -d "$WORK/envidx" ] || fail "LZS_INDEX_DIR not used"

# The lock: a second writer fails with status 75, or waits with --wait.
"$TOOL" lock "$WORK/idx" 1.5 >"$WORK/lock.out" &
lockpid=$!
for _ in $(seq 50); do grep -q locked "$WORK/lock.out" 2>/dev/null && break; sleep 0.1; done
run locked 75 "$BIN" --index "$WORK/idx" "$WORK/corpus"
has locked.err "index is locked by another indexer"
run waited 0 "$BIN" --index "$WORK/idx" --wait --json "$WORK/corpus"
json waited.out 'd["files"]["unchanged"] == 5'
wait "$lockpid"

# --rebuild re-indexes everything and ends with the same content.
"$TOOL" dump "$WORK/idx" >"$WORK/before.dump" || fail "dump before rebuild"
run rebuild 0 "$BIN" --index "$WORK/idx" --rebuild --json "$WORK/corpus"
json rebuild.out 'd["rebuilt"] and d["files"]["added"] == 5 and d["files"]["removed"] == 0'
"$TOOL" dump "$WORK/idx" >"$WORK/after.dump" || fail "dump after rebuild"
cmp -s "$WORK/before.dump" "$WORK/after.dump" || fail "rebuild changed the content"

# An index of another schema version: exit 3 with a message saying --rebuild, and the index
# untouched; --rebuild replaces it.
xapian-metadata set "$WORK/idx" lzs:schema 0 || fail "setting an old schema version"
run oldschema 3 "$BIN" --index "$WORK/idx" "$WORK/corpus"
has oldschema.err "schema version 0"
has oldschema.err "--rebuild"
[ "$(xapian-metadata get "$WORK/idx" lzs:schema)" = 0 ] || fail "old-schema index was modified"
run oldschema_rebuild 0 "$BIN" --index "$WORK/idx" --rebuild --quiet "$WORK/corpus"
"$TOOL" dump "$WORK/idx" >"$WORK/after2.dump" || fail "dump after schema rebuild"
cmp -s "$WORK/before.dump" "$WORK/after2.dump" || fail "schema rebuild changed the content"

# A first run killed before its first commit leaves Xapian's files without a revision
# file: the next run starts afresh. A directory holding anything else is never replaced.
"$BIN" --index "$WORK/killed" --quiet "$WORK/corpus" || fail "building the killed-run index"
rm -f "$WORK/killed/iamglass"
run killed_rerun 0 "$BIN" --index "$WORK/killed" --json "$WORK/corpus"
json killed_rerun.out 'd["files"]["added"] == 5'
rm -f "$WORK/killed/iamglass"
echo keep >"$WORK/killed/notes.txt"
run killed_foreign 1 "$BIN" --index "$WORK/killed" --quiet "$WORK/corpus"
[ -f "$WORK/killed/notes.txt" ] || fail "a directory with other files was replaced"

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)" >&2
  exit 1
fi
echo "cli: all checks passed"
