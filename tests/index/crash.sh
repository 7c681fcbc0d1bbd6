#!/usr/bin/env bash
# Crash safety of lzs-index. A small corpus (copies of the seeds) is indexed (state 1), then
# changed (state 2: files deleted, changed, added). In each round, an update run from the
# state-1 index is killed (SIGKILL; the second round is a --rebuild, the last round gets
# SIGTERM) after a delay: half the length of an update run in the first round, random in the
# others; then:
#  - the index passes xapian-check and still holds exactly state 1 (a run commits all at
#    once), or state 2 when the run had finished before the signal;
#  - a reader dumping the index during a run sees a whole state;
#  - a new run completes the work: the index equals a clean build of state 2.
# The default is sized for CI (a sanitizer build, two cores): a few seconds per round. For a
# longer run: LZS_CRASH_ROUNDS=30 LZS_CRASH_COPIES=16 (copies of each seed in the corpus).
# Environment (set by tests/index.cmake): LZS_INDEX_BIN, LZS_INDEX_TOOL, LZS_CORPUS,
# LZS_XAPIAN_CHECK.
set -uo pipefail
BIN=${LZS_INDEX_BIN:?} TOOL=${LZS_INDEX_TOOL:?} CORPUS=${LZS_CORPUS:?}
CHECK=${LZS_XAPIAN_CHECK:-xapian-check}
COPIES=${LZS_CRASH_COPIES:-4}
TRIALS=${LZS_CRASH_ROUNDS:-3}
((TRIALS >= 2)) || TRIALS=2 # at least one SIGKILL and one SIGTERM
WORK=$(mktemp -d /tmp/lzs-index-crash-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
C="$WORK/corpus"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
die() { echo "FATAL: $*" >&2; exit 1; }

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

# How long an update run takes, to spread the signals over it.
cp -a "$WORK/base" "$WORK/timed"
t0=$(date +%s%N)
"$BIN" --index "$WORK/timed" --quiet "$C" || die "timed update run failed"
ms=$((($(date +%s%N) - t0) / 1000000))
"$TOOL" dump "$WORK/timed" >"$WORK/timed.dump" || die "dump of the updated index"
cmp -s "$WORK/timed.dump" "$WORK/ref.dump" || fail "an update run differs from a clean build"
echo "update run: ${ms} ms"
((ms >= 300)) || echo "note: the update run is short; signals may arrive after it ends"

killed=0
for ((trial = 1; trial <= TRIALS; trial++)); do
  rm -rf "$WORK/idx"
  cp -a "$WORK/base" "$WORK/idx"
  sig=KILL
  ((trial == TRIALS)) && sig=TERM
  extra=()
  ((trial == 2)) && extra=(--rebuild)
  # The first signal falls in the middle of the run, so that at least one run is
  # interrupted however fast the machine; the others fall anywhere.
  delay=$((ms / 2 + 1))
  ((trial > 1)) && delay=$((RANDOM % (ms * 9 / 10 + 1) + 20))
  started=$(date +%s%N)
  "$BIN" --index "$WORK/idx" --quiet "${extra[@]}" "$C" 2>"$WORK/run.err" &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 3 / 1000)) $((delay / 3 % 1000)))"
  # A reader during the run sees a whole state (in the first round only: a dump takes a
  # while, and the signal must still come at its time).
  if ((trial == 1)) && "$TOOL" dump "$WORK/idx" >"$WORK/mid.dump" 2>/dev/null; then
    cmp -s "$WORK/mid.dump" "$WORK/base.dump" || cmp -s "$WORK/mid.dump" "$WORK/ref.dump" ||
      fail "trial $trial: a reader saw half a run"
  fi
  left=$((delay - ($(date +%s%N) - started) / 1000000))
  ((left > 0)) && sleep "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))"
  kill -s "$sig" "$pid" 2>/dev/null
  wait "$pid"
  status=$?
  echo "trial $trial: SIG$sig ${extra[*]} after ${delay} ms, exit status $status"
  "$CHECK" "$WORK/idx" >"$WORK/check.out" 2>&1 || fail "trial $trial: xapian-check: $(tail -3 "$WORK/check.out")"
  "$TOOL" dump "$WORK/idx" >"$WORK/idx.dump" || fail "trial $trial: index does not open"
  case $status in
  0) cmp -s "$WORK/idx.dump" "$WORK/ref.dump" || fail "trial $trial: finished run differs from a clean build" ;;
  137 | 143)
    killed=$((killed + 1))
    cmp -s "$WORK/idx.dump" "$WORK/base.dump" || fail "trial $trial: interrupted run left a partial state"
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
((killed > 0)) || fail "no run was interrupted: every run ended before its signal"

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)" >&2
  exit 1
fi
echo "crash: all checks passed ($killed interrupted runs)"
