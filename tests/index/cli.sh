#!/usr/bin/env bash
# The lzs-index command line: --help, --version, usage errors, --extract, --json summary,
# incremental runs, the lock (with and without --wait, and SIGTERM while waiting), no progress
# bar without a terminal, FIFOs and sockets, symbolic links out of the corpus, the
# mass-deletion guard (status 4), index paths that are stubs.
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
# wait_for NAME TEXT: waits until $WORK/NAME holds TEXT, written by a background process (the
# bound only keeps a broken build from hanging the test; it is not a measurement).
wait_for() {
  local i
  for ((i = 0; i < 1200; i++)); do
    grep -q -- "$2" "$WORK/$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "$1 never said '$2'"
  return 1
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$WORK/$1" \
         || fail "$1: JSON check failed: $2"; }

mkdir -p "$WORK/corpus"
cp "$CORPUS"/*.txt "$WORK/corpus/"
chmod u+w "$WORK/corpus"/*.txt

run help 0 "$BIN" --help
for opt in --index --data --rebuild --jobs --wait --quiet --json --extract --help --version \
           --allow-mass-delete --follow-symlinks "4 the run would remove more than half" \
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
json first.out 'd["files"]["added"] == 5 and d["files"]["skipped"] == 0 and d["passages"] > 50 and d["documents"] == 5 and d["schema"] == "7" and d["recommendations"]["require"] > 0 and "NO" in d["parties"] and d["passages"] == d["passages_added"] and d["phrases"] > 20 and d["phrases_by_positions"] == 0'
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

# A FIFO as a sidecar or among the documents, and a socket: each skipped with a message
# naming it; the run neither blocks nor keeps the lock. (The timeout only turns a hang into
# a failure: a worker blocked opening a FIFO ignored SIGTERM too.)
mkfifo "$WORK/corpus/004_51c1ef6eb7843b82.meta.json" "$WORK/corpus/pipe.txt"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$WORK/corpus/sock.md"
run fifo 0 timeout -k 5 120 "$BIN" --index "$WORK/idx" "$WORK/corpus"
has fifo.err "skipped $WORK/corpus/004_51c1ef6eb7843b82.txt: sidecar $WORK/corpus/004_51c1ef6eb7843b82.meta.json: not a regular file (FIFO)"
has fifo.err "skipped $WORK/corpus/pipe.txt: not a regular file (FIFO)"
has fifo.err "skipped $WORK/corpus/sock.md: not a regular file (socket)"
run fifo_again 0 timeout -k 5 120 "$BIN" --index "$WORK/idx" --quiet "$WORK/corpus"
rm -f "$WORK/corpus/004_51c1ef6eb7843b82.meta.json" "$WORK/corpus/pipe.txt" "$WORK/corpus/sock.md"

# Symbolic links leaving the corpus are not followed, and named.
ln -s /etc/passwd "$WORK/corpus/passwd.txt"
ln -s /etc "$WORK/corpus/etc"
run links 0 "$BIN" --index "$WORK/idx" --json "$WORK/corpus"
has links.err "skipped $WORK/corpus/passwd.txt: symbolic link to /etc/passwd, outside the corpus directory"
has links.err "skipped $WORK/corpus/etc: symbolic link to /etc, outside the corpus directory"
[ "$(grep -c 'passwd.txt' "$WORK/links.err")" -eq 1 ] || fail "links: passwd.txt not named exactly once"
json links.out 'd["files"]["added"] == 0 and d["files"]["skipped"] == 2 and d["documents"] == 5'
rm -f "$WORK/corpus/passwd.txt" "$WORK/corpus/etc"

# An empty corpus directory (a wrong path, an unmounted volume) does not empty the index:
# status 4, nothing changed; --allow-mass-delete lets it.
mkdir -p "$WORK/emptycorpus"
"$TOOL" dump "$WORK/idx" >"$WORK/mass-before.dump" || fail "dump before the mass deletion"
run mass 4 "$BIN" --index "$WORK/idx" "$WORK/emptycorpus"
has mass.err "would remove 5 of the 5 indexed documents"
has mass.err "has 0 of the 5 indexed files"
has mass.err "--allow-mass-delete"
"$TOOL" dump "$WORK/idx" >"$WORK/mass-after.dump" || fail "dump after the refused run"
cmp -s "$WORK/mass-before.dump" "$WORK/mass-after.dump" || fail "a refused mass deletion changed the index"
cp -a "$WORK/idx" "$WORK/idx-mass"
run mass_allowed 0 "$BIN" --index "$WORK/idx-mass" --json --allow-mass-delete "$WORK/emptycorpus"
json mass_allowed.out 'd["files"]["removed"] == 5 and d["passages"] == 0'

# An index path that is a file (a Xapian stub naming another index) or a directory holding
# a stub is refused, naming it; the index the stub names is not written.
printf 'auto %s\n' "$WORK/idx" >"$WORK/stubfile"
run stub 1 "$BIN" --index "$WORK/stubfile" "$WORK/corpus"
has stub.err "$WORK/stubfile is a regular file, not an index directory"
mkdir -p "$WORK/stubdir"
cp "$WORK/stubfile" "$WORK/stubdir/XAPIANDB"
run stubdir 1 "$BIN" --index "$WORK/stubdir" "$WORK/corpus"
has stubdir.err "$WORK/stubdir holds a Xapian stub file (XAPIANDB)"
"$TOOL" dump "$WORK/idx" >"$WORK/stub-after.dump" || fail "dump after the stub runs"
cmp -s "$WORK/mass-before.dump" "$WORK/stub-after.dump" || fail "a run through a stub changed the index"
[ -f "$WORK/idx/lanzasearch-index" ] || fail "the index has no marker file"

# The lock: a second writer fails with status 75, or waits with --wait until the holder
# ends (each step waits for the event before it, never for a time).
"$TOOL" lock "$WORK/idx" - >"$WORK/lock.out" &
lockpid=$!
wait_for lock.out locked
run locked 75 "$BIN" --index "$WORK/idx" "$WORK/corpus"
has locked.err "index is locked by another indexer"
"$BIN" --index "$WORK/idx" --wait --json "$WORK/corpus" >"$WORK/waited.out" 2>"$WORK/waited.err" &
waitedpid=$!
wait_for waited.err "waiting for another indexer to release $WORK/idx"
kill -TERM "$lockpid"
wait "$lockpid"
wait "$waitedpid"
status=$?
[ "$status" -eq 0 ] || fail "waited: exit status $status ($(head -c 300 "$WORK/waited.err"))"
json waited.out 'd["files"]["unchanged"] == 5'

# SIGTERM ends a run waiting for the lock (within 10 seconds: the requirement).
"$TOOL" lock "$WORK/idx" - >"$WORK/lock2.out" &
lockpid=$!
wait_for lock2.out locked
"$BIN" --index "$WORK/idx" --wait "$WORK/corpus" >"$WORK/term.out" 2>"$WORK/term.err" &
termpid=$!
wait_for term.err "waiting for another indexer to release $WORK/idx"
kill -TERM "$termpid"
for _ in $(seq 100); do kill -0 "$termpid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$termpid" 2>/dev/null; then
  fail "SIGTERM did not end a run waiting for the lock within 10 seconds"
  kill -KILL "$termpid"
fi
wait "$termpid"
status=$?
[ "$status" -eq 143 ] || fail "term: exit status $status after SIGTERM, expected 143"
has term.err "interrupted while waiting for the index lock"
kill -TERM "$lockpid"
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
