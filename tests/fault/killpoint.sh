# killpoint.sh — shell helpers for running lzs-index with liblzs-killpoint.so preloaded
# (tests/fault/killpoint.c), sourced by tests/index/crash.sh and tests/fault/kill_test.sh.
#   killpoint_setup BIN SHIM     once: the indexer and the library (fails when either is missing)
#   killpoint_count FILE ARG...  runs BIN ARG... to its end; FILE then holds its event count
#   killpoint_at N SIG ARG...    runs BIN ARG... signalled with SIG (KILL, TERM, STOP) at
#                                event N; in the background: $KILLPOINT_PID is its process
#   killpoint_stopped PID        waits until PID is stopped (0) or has ended (1)

killpoint_setup() {
  KILLPOINT_BIN=$1
  [ -x "$KILLPOINT_BIN" ] || { echo "killpoint: no indexer at '$KILLPOINT_BIN'" >&2; return 1; }
  [ -f "$2" ] || { echo "killpoint: no preload library at '$2' (target lzs-killpoint)" >&2; return 1; }
  # A sanitizer's runtime must come first in the process (ASan checks it at start-up): the
  # library goes after the runtime the indexer was linked with, if any.
  local rt
  rt=$(ldd "$KILLPOINT_BIN" | awk '$1 ~ /^lib(a|t)san\.so/ { print $3; exit }')
  KILLPOINT_PRELOAD="${rt:+$rt }$2"
}

killpoint_count() {
  local out=$1
  shift
  rm -f "$out"
  env LD_PRELOAD="$KILLPOINT_PRELOAD" LZS_KILLPOINT_COUNT="$out" "$KILLPOINT_BIN" "$@"
}

killpoint_at() {
  local n=$1 sig=$2
  shift 2
  env LD_PRELOAD="$KILLPOINT_PRELOAD" LZS_KILLPOINT_AT="$n" LZS_KILLPOINT_SIGNAL="$sig" \
    "$KILLPOINT_BIN" "$@" &
  KILLPOINT_PID=$! # env executes the indexer in its own process
}

killpoint_stopped() {
  local state
  while :; do
    # The third field of /proc/PID/stat is the state; the second, (lzs-index), has no space.
    state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
    case $state in
    T | t) return 0 ;;
    Z | X | '') return 1 ;;
    esac
    sleep 0.01
  done
}
