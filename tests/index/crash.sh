#!/usr/bin/env bash
# Crash safety of lzs-index. A small corpus (copies of the seeds) is indexed (state 1), then
# changed (state 2: files deleted, changed, added). In each round, an update run from the
# state-1 index is signalled at a chosen point of the run (SIGKILL; the second round is a
# --rebuild, the last round gets SIGTERM): the first round in the middle of the run, the
# others at random points. A point is the Nth file-changing call of the run, counted by
# liblzs-killpoint.so (tests/fault/killpoint.c) preloaded into the indexer; the count of a
# whole run is taken first. So a round interrupts the same work however loaded the machine.
# Then:
#  - the index passes xapian-check and holds a whole state: state 1 (a run commits all at
#    once), or state 2 when the point came after the commit;
#  - a reader dumping the index during a run (held at its point, first round) sees a whole
#    state;
#  - a new run completes the work: the index equals a clean build of state 2.
# The default is sized for CI (a sanitizer build, two cores): a few seconds per round. For a
# longer run: LZS_CRASH_ROUNDS=30 LZS_CRASH_COPIES=16 (copies of each seed in the corpus).
# The points are drawn from LZS_CRASH_SEED (printed; set it to run the same points again).
# Environment (set by tests/index.cmake): LZS_INDEX_BIN, LZS_INDEX_TOOL, LZS_KILLPOINT (the
# preload library), LZS_CORPUS, LZS_XAPIAN_CHECK.
set -uo pipefail
BIN=${LZS_INDEX_BIN:?} TOOL=${LZS_INDEX_TOOL:?} CORPUS=${LZS_CORPUS:?}
CHECK=${LZS_XAPIAN_CHECK:?} KILLPOINT=${LZS_KILLPOINT:?}
COPIES=${LZS_CRASH_COPIES:-4}
TRIALS=${LZS_CRASH_ROUNDS:-3}
SEED=${LZS_CRASH_SEED:-$$}
((TRIALS >= 2)) || TRIALS=2 # at least one SIGKILL and one SIGTERM
RANDOM=$SEED
WORK=$(mktemp -d /tmp/lzs-index-crash-XXXXXX)
KILLPOINT_PID=
cleanup() {
  [ -n "$KILLPOINT_PID" ] && kill -KILL "$KILLPOINT_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
C="$WORK/corpus"
fails=0
fail() { echo "FAIL: $* (points drawn with LZS_CRASH_SEED=$SEED)" >&2; fails=$((fails + 1)); }
die() { echo "FATAL: $*" >&2; exit 1; }
# shellcheck source=../fault/killpoint.sh
. "$(dirname "$0")/../fault/killpoint.sh"
killpoint_setup "$BIN" "$KILLPOINT" || die "cannot run the indexer with its kill points"
"$CHECK" --version >/dev/null || die "xapian-check ($CHECK) does not run"
echo "points drawn with LZS_CRASH_SEED=$SEED"

# Copies of each seed under distinct names; a sidecar gives each copy its own reference,
# so that every copy is a document of its own.
seeds=("$CORPUS"/*.txt)
mkdir -p "$C"
make_copy() { # N SEEDINDEX
  local n=$1 s=$2 name
  name=$(printf 'c%04d_%d' "$n" "$s")
  cp "${seeds[$s]}" "$C/$name.txt"
  chmod u+w "$C/$name.txt"
  printf '{"reference": "TEST(2024)%d-%d_en"}\n' "$n" "$s" >"$C/$name.meta.json"
}
for ((n = 0; n < COPIES; n++)); do
  for s in "${!seeds[@]}"; do make_copy "$n" "$s"; done
done

"$BIN" --index "$WORK/base" --quiet "$C" || die "state-1 build failed"
"$TOOL" dump "$WORK/base" >"$WORK/base.dump" || die "dump of state 1"
grep -q '^doccount [1-9]' "$WORK/base.dump" || die "state-1 index is empty"

# State 2: delete every 7th copy, change every 2nd, add new ones.
for ((n = 0; n < COPIES; n++)); do
  for s in "${!seeds[@]}"; do
    name=$(printf 'c%04d_%d' "$n" "$s")
    if ((n % 7 == 3)); then
      rm "$C/$name.txt" "$C/$name.meta.json"
    elif ((n % 2 == 0)); then
      printf '\n\nA paragraph added in state two, copy %d of seed %d.\n' "$n" "$s" >>"$C/$name.txt"
    fi
  done
done
for ((n = COPIES; n < COPIES + COPIES / 5 + 1; n++)); do make_copy "$n" 1; done

"$BIN" --index "$WORK/ref" --quiet "$C" || die "state-2 clean build failed"
"$TOOL" dump "$WORK/ref" >"$WORK/ref.dump" || die "dump of state 2"
cmp -s "$WORK/base.dump" "$WORK/ref.dump" && die "states 1 and 2 do not differ"

# The events of a whole update run and of a whole --rebuild run, to spread the points over.
cp -a "$WORK/base" "$WORK/counted"
killpoint_count "$WORK/update.count" --index "$WORK/counted" --quiet "$C" ||
  die "counted update run failed"
"$TOOL" dump "$WORK/counted" >"$WORK/counted.dump" || die "dump of the updated index"
cmp -s "$WORK/counted.dump" "$WORK/ref.dump" || fail "an update run differs from a clean build"
rm -rf "$WORK/counted"
cp -a "$WORK/base" "$WORK/counted"
killpoint_count "$WORK/rebuild.count" --index "$WORK/counted" --quiet --rebuild "$C" ||
  die "counted --rebuild run failed"
events=$(cat "$WORK/update.count") rebuild_events=$(cat "$WORK/rebuild.count")
((events > 1 && rebuild_events > 1)) || die "runs of $events and $rebuild_events events: nothing to interrupt"
echo "an update run makes $events file-changing calls, a --rebuild run $rebuild_events"

# Whether dump file $1 is a whole state: 1 before the run, 2 the finished run.
whole_state() { cmp -s "$1" "$WORK/base.dump" || cmp -s "$1" "$WORK/ref.dump"; }

killed=0
for ((trial = 1; trial <= TRIALS; trial++)); do
  rm -rf "$WORK/idx"
  cp -a "$WORK/base" "$WORK/idx"
  sig=KILL n=$((RANDOM % events + 1)) extra=()
  ((trial == 1)) && n=$((events / 2)) sig=STOP
  ((trial == 2)) && n=$((RANDOM % rebuild_events + 1)) extra=(--rebuild)
  ((trial == TRIALS)) && sig=TERM
  killpoint_at "$n" "$sig" --index "$WORK/idx" --quiet "${extra[@]}" "$C" 2>"$WORK/run.err"
  pid=$KILLPOINT_PID
  if [ "$sig" = STOP ]; then
    # Held at its point: a reader sees a whole state, then the run is killed there.
    if killpoint_stopped "$pid"; then
      "$TOOL" dump "$WORK/idx" >"$WORK/mid.dump" || fail "trial $trial: a reader cannot open the index during a run"
      whole_state "$WORK/mid.dump" || fail "trial $trial: a reader saw half a run"
      kill -KILL "$pid"
    else
      fail "trial $trial: the run ended before its event $n of $events"
    fi
    sig=KILL
  fi
  { wait "$pid"; } 2>/dev/null # (its stderr: the shell's own "Killed" notice)
  status=$?
  KILLPOINT_PID=
  echo "trial $trial: SIG$sig ${extra[*]} at event $n, exit status $status"
  "$CHECK" "$WORK/idx" >"$WORK/check.out" 2>&1 || fail "trial $trial: xapian-check: $(tail -3 "$WORK/check.out")"
  "$TOOL" dump "$WORK/idx" >"$WORK/idx.dump" || fail "trial $trial: index does not open"
  case $status in
  0)
    # SIGTERM during the commit: the run cannot be cancelled there and commits. (A run's
    # count varies by a few events, with the length of the timings it records: a point
    # near the end may come after the end.)
    [ "$sig" = TERM ] || echo "trial $trial: the run ended before its event $n"
    cmp -s "$WORK/idx.dump" "$WORK/ref.dump" || fail "trial $trial: finished run differs from a clean build"
    ;;
  137 | 143)
    [ "$status" -eq $((128 + $(kill -l "$sig"))) ] || fail "trial $trial: SIG$sig, but exit status $status"
    if cmp -s "$WORK/idx.dump" "$WORK/base.dump"; then
      killed=$((killed + 1))
    else
      cmp -s "$WORK/idx.dump" "$WORK/ref.dump" || fail "trial $trial: interrupted run left a partial state"
    fi
    if [ "$status" -eq 143 ]; then
      grep -q interrupted "$WORK/run.err" || fail "trial $trial: no message after SIGTERM"
    fi
    ;;
  *) fail "trial $trial: unexpected exit status $status: $(cat "$WORK/run.err")" ;;
  esac
  # The next run completes the work.
  "$BIN" --index "$WORK/idx" --quiet --wait "$C" || fail "trial $trial: re-run failed"
  "$CHECK" "$WORK/idx" >"$WORK/check.out" 2>&1 || fail "trial $trial: xapian-check after re-run"
  "$TOOL" dump "$WORK/idx" >"$WORK/idx.dump" || fail "trial $trial: dump after re-run"
  cmp -s "$WORK/idx.dump" "$WORK/ref.dump" || fail "trial $trial: re-run did not converge to a clean build"
done
((killed > 0)) || fail "no run was interrupted before its commit"

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)" >&2
  exit 1
fi
echo "crash: all checks passed ($killed interrupted runs)"
