#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) and runs them.
#   scripts/fuzz.sh [--short]            every target for 30 s (what scripts/test.sh runs:
#                                        seven targets, with the ThreadSanitizer run, must
#                                        keep the test command well under 30 minutes)
#   scripts/fuzz.sh --long SECONDS       every target for SECONDS (the documented long run)
#   scripts/fuzz.sh ... TARGET...        only these targets (text, extract, docx, html,
#                                        hitjson, query, searchd_url)
# Before fuzzing, each target replays its regression inputs (tests/fuzz/regress/TARGET/)
# once. A run fails on any crash, sanitizer report, leak, input taking more than 1 s or
# more than 512 MB; the failing input is saved under build/fuzz/crashes/ and its path is
# printed. To keep it as a regression test: copy it into tests/fuzz/regress/TARGET/.
# The working corpus (build/fuzz/corpus-TARGET) grows from run to run and is not committed.
# Environment: LZS_FUZZ_BUILD (build directory, default build/fuzz), LZS_FUZZ_JOBS (build
# jobs, default nproc), LZS_FUZZ_PARALLEL (targets fuzzed at once, default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

seconds=30
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --short) seconds=30; shift ;;
    --long)
      [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] ||
        { echo "fuzz.sh: --long needs a number of seconds" >&2; exit 2; }
      seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

command -v clang >/dev/null || { echo "fuzz.sh: clang is missing (scripts/install-deps.sh --test)" >&2; exit 1; }
BUILD=${LZS_FUZZ_BUILD:-build/fuzz}
JOBS=${LZS_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

# The project's libraries get coverage instrumentation (fuzzer-no-link); the Asan build
# type adds ASan+UBSan; only the fuzz executables link libFuzzer itself.
# clang's -Wformat=2 also flags vfprintf() with a format handed over by a library callback
# (libmicrohttpd's logger), which gcc accepts: that one stays a warning here; the gcc
# builds keep every warning fatal.
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Asan -DLZS_FUZZ=ON \
  "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link -Wno-error=format-nonliteral" \
  -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
available=()
while IFS= read -r t; do [ -n "$t" ] && available+=("$t"); done <"$BUILD/fuzz-targets.txt"
if [ ${#targets[@]} -eq 0 ]; then
  targets=("${available[@]}")
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz.sh: $BUILD/fuzz-targets.txt names no fuzz target (tests/robust.cmake)" >&2
  exit 1
fi
for t in "${targets[@]}"; do
  [[ " ${available[*]} " == *" $t "* ]] ||
    { echo "fuzz.sh: unknown target '$t' (have: ${available[*]})" >&2; exit 2; }
done
cmake --build "$BUILD" -j "$JOBS" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"

mkdir -p "$BUILD/crashes" "$BUILD/logs"

# One target: replays its regression inputs, then fuzzes. Prints what it found; returns
# non-zero on a failure. Targets run side by side, LZS_FUZZ_PARALLEL at a time (default:
# the number of cores), each printing its lines when it ends.
fuzz_one() {
  local t=$1 bin="$BUILD/tests/fuzz_$1" log="$BUILD/logs/$1.log"

  # 1. Regression inputs, each run once.
  local reg="tests/fuzz/regress/$t"
  if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
    echo "fuzz.sh: $t: replaying $(ls -A "$reg" | wc -l) regression inputs"
    if ! "$bin" -runs=1 "$reg"/* >"$log.regress" 2>&1; then
      echo "fuzz.sh: $t: a regression input fails again; see $log.regress"
      grep -E '^(Running: |==[0-9]+==ERROR|SUMMARY)' "$log.regress" || true
      return 1
    fi
  fi

  # 2. Fuzzing from the working corpus, grown from the seeds (and the shipped documents
  #    for the targets that read documents).
  local work="$BUILD/corpus-$t"
  mkdir -p "$work"
  local seeds=("tests/fuzz/seeds/$t")
  case "$t" in text|extract|hitjson) seeds+=(corpus) ;; esac
  local opts=(-max_total_time="$seconds" -timeout=1 -rss_limit_mb=512 -malloc_limit_mb=512
              -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$BUILD/crashes/$t-")
  if [ -f "tests/fuzz/$t.dict" ]; then
    opts+=(-dict="tests/fuzz/$t.dict")
  fi
  echo "fuzz.sh: $t: fuzzed for ${seconds} s (log: $log)"
  local rc=0
  "$bin" "${opts[@]}" "$work" "${seeds[@]}" >"$log" 2>&1 || rc=$?
  grep -E '^stat::number_of_executed_units|^stat::new_units_added|^stat::peak_rss_mb' "$log" |
    sed "s/^/fuzz.sh: $t: /" || true
  if [ $rc -ne 0 ]; then
    echo "fuzz.sh: $t: FAILED (exit $rc); see $log"
    grep -E '==[0-9]+==ERROR|SUMMARY|invariant broken|ALARM|out-of-memory' "$log" | head -5 || true
    grep -E 'Test unit written to|artifact' "$log" | sed 's/^/fuzz.sh:   /' || true
    return 1
  fi
}

PARALLEL=${LZS_FUZZ_PARALLEL:-$(nproc 2>/dev/null || echo 2)}
[[ "$PARALLEL" =~ ^[1-9][0-9]*$ ]] ||
  { echo "fuzz.sh: LZS_FUZZ_PARALLEL must be a positive number, not '$PARALLEL'" >&2; exit 2; }
echo "fuzz.sh: ${#targets[@]} targets, $PARALLEL at a time, ${seconds} s each"
declare -A pid_of=()
failed=()
finish() { # waits for target $1 and prints its lines
  local t=$1 rc=0
  wait "${pid_of[$t]}" || rc=$?
  cat "$BUILD/logs/$t.out"
  [ $rc -eq 0 ] || failed+=("$t")
}
running=()
for t in "${targets[@]}"; do
  if [ ${#running[@]} -ge "$PARALLEL" ]; then
    finish "${running[0]}"
    running=("${running[@]:1}")
  fi
  fuzz_one "$t" >"$BUILD/logs/$t.out" 2>&1 &
  pid_of[$t]=$!
  running+=("$t")
done
for t in "${running[@]}"; do
  finish "$t"
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz.sh: failing targets: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: all targets ran ${seconds} s without a failure: ${targets[*]}"
