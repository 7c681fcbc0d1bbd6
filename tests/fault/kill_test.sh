#!/usr/bin/env bash
# Crash test of the indexer: SIGKILL at random points of runs over a corpus of a few
# thousand passages. A point is the Nth file-changing call of a run (open, write, fsync,
# rename...), counted by the preloaded liblzs-killpoint.so (killpoint.c), so that a kill
# interrupts the same work however loaded the machine is. After each kill:
#   - xapian-check passes and the index opens and reads in full (lzs-dumpindex);
#   - the index holds whole runs only: its content is exactly the state before the run or
#     exactly the content of a clean build, nothing in between;
#   - a re-run ends with status 0 and converges to exactly the content of a clean build.
# Half of the runs start from no index, half from a stale index (a third of the documents
# missing, a third changed, one document since removed), so kills land in adds, replaces
# and deletes alike.
#
#   kill_test.sh --indexer BIN --dump BIN --killpoint LIB --work DIR [--kills N] [--copies C]
#                [--seed S]
# Defaults: 100 kills, 12 copies of the corpus, seed 1 (a run is reproducible by its seed).
set -euo pipefail

kills=100 copies=12 seed=1 indexer= dump= killpoint= work=
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) kills=$2; shift 2 ;;
    --copies) copies=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --indexer) indexer=$2; shift 2 ;;
    --dump) dump=$2; shift 2 ;;
    --killpoint) killpoint=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "kill_test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$indexer" ] && [ -x "$dump" ] && [ -n "$killpoint" ] && [ -n "$work" ] ||
  { echo "usage: kill_test.sh --indexer BIN --dump BIN --killpoint LIB --work DIR [--kills N] [--copies C] [--seed S]" >&2; exit 2; }
command -v xapian-check >/dev/null || { echo "kill_test.sh: xapian-check is missing (xapian-tools)" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=killpoint.sh
. "$here/killpoint.sh"
killpoint_setup "$indexer" "$killpoint" || exit 1
RANDOM=$seed
rm -rf "$work"
mkdir -p "$work"
corpus=$work/corpus

log() { echo "kill_test: $*"; }
fail() {
  echo "kill_test: FAIL: $*" >&2
  echo "kill_test: reproduce with --seed $seed --kills $kills --copies $copies" >&2
  exit 1
}
run_index() { "$indexer" -q --wait -j 2 -i "$1" "$corpus"; }
# A run to its end that counts its events into file $2.
count_index() { killpoint_count "$2" -q --wait -j 2 -i "$1" "$corpus"; }

# Dumps index $1 into file $2 ("absent" when no index exists). Fails the
# test when the index does not open or read.
dump_index() {
  local rc=0
  "$dump" "$1" >"$2" 2>"$work/dump.err" || rc=$?
  [ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "$1 does not open or read: $(cat "$work/dump.err")"
  # A first run killed after Xapian created the database but before the run's commit
  # leaves an empty database: no documents, no metadata. That is the state "no index".
  if [ "$(cat "$2")" = "count 0" ]; then
    echo absent >"$2"
  fi
}
check_index() {
  [ -e "$1/iamglass" ] || return 0
  xapian-check "$1" >"$work/check.out" 2>&1 || fail "xapian-check $1 failed: $(tail -3 "$work/check.out")"
}

# Templates: the stale state, and the clean build that every run must converge to.
"$here/mkcorpus.sh" "$corpus" "$copies" stale
run_index "$work/stale" || fail "indexing the stale corpus failed"
dump_index "$work/stale" "$work/stale.dump"
"$here/mkcorpus.sh" "$corpus" "$copies"
count_index "$work/ref" "$work/fresh.count" || fail "the clean build failed"
n_fresh=$(cat "$work/fresh.count")
check_index "$work/ref"
dump_index "$work/ref" "$work/ref.dump"
passages=$(tail -1 "$work/ref.dump" | cut -d' ' -f2)
cp -a "$work/stale" "$work/idx"
count_index "$work/idx" "$work/update.count" || fail "updating the stale index failed"
n_update=$(cat "$work/update.count")
dump_index "$work/idx" "$work/idx.dump"
cmp -s "$work/idx.dump" "$work/ref.dump" || fail "updating the stale index does not give the clean build"
[ "$n_fresh" -gt 1 ] && [ "$n_update" -gt 1 ] ||
  fail "runs of $n_fresh and $n_update file-changing calls: nothing to kill in"
echo absent >"$work/absent.dump"
log "corpus: $(find "$corpus" -name '*.txt' | wc -l) files, $passages passages; a clean build makes $n_fresh file-changing calls, an update $n_update"

before_n=0 after_n=0 done_n=0
for ((i = 1; i <= kills; i++)); do
  rm -rf "$work/idx"
  if [ $((i % 2)) -eq 0 ]; then
    cp -a "$work/stale" "$work/idx"
    before=$work/stale.dump
    span=$n_update
  else
    before=$work/absent.dump
    span=$n_fresh
  fi
  # Uniform over the run's events and a tenth past its end (the run ends by itself then).
  point=$((((RANDOM << 15) | RANDOM) % (span * 11 / 10) + 1))
  killpoint_at "$point" KILL -q -j 2 -i "$work/idx" "$corpus" >/dev/null 2>"$work/run.err"
  rc=0
  # (stderr of wait: the shell's own "Killed" notice of the job)
  { wait "$KILLPOINT_PID"; } 2>/dev/null || rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 137 ]; then
    fail "kill $i: the indexer failed by itself (status $rc): $(cat "$work/run.err")"
  fi

  check_index "$work/idx"
  dump_index "$work/idx" "$work/idx.dump"
  if cmp -s "$work/idx.dump" "$before"; then
    before_n=$((before_n + 1))
    state=before
  elif cmp -s "$work/idx.dump" "$work/ref.dump"; then
    state=complete
    if [ $rc -eq 0 ]; then done_n=$((done_n + 1)); else after_n=$((after_n + 1)); fi
  else
    cp "$work/idx.dump" "$work/bad-$i.dump"
    fail "kill $i at event $point: the index is neither the state before the run nor the full run (dump: $work/bad-$i.dump)"
  fi

  run_index "$work/idx" 2>"$work/run.err" || fail "kill $i: the re-run failed: $(cat "$work/run.err")"
  check_index "$work/idx"
  dump_index "$work/idx" "$work/idx.dump"
  cmp -s "$work/idx.dump" "$work/ref.dump" ||
    fail "kill $i: the re-run does not converge to the clean build (diff $work/idx.dump $work/ref.dump)"
  [ $((i % 10)) -ne 0 ] || log "$i kills: $before_n left the previous state, $after_n the committed run, $done_n runs had finished"
done
log "PASS: $kills kills ($before_n before the commit, $after_n after it, $done_n after the run ended): every index checked, whole runs only, every re-run converged"
