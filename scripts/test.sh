#!/usr/bin/env bash
# Sets up and runs every test of lanzasearch (the README's test command).
#   1. installs missing Debian packages (and npm packages for the browser tests)
#   2. release build, warnings as errors, then ctest
#   3. ASan+UBSan build, then ctest again: any sanitizer report fails the run
#   4. ThreadSanitizer build of what the threaded tests run (the indexer's workers, the
#      daemon's threads), then those tests (label "threads"): any data race fails the run
#   5. short fuzzing runs, browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=$(nproc 2>/dev/null || echo 2)

scripts/install-deps.sh --test

step() { printf '\n==> %s\n' "$*"; }

step "release build"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j "$JOBS"
step "tests (release)"
ctest --test-dir build/release --output-on-failure -j "$JOBS" --timeout 600

step "sanitizer build (ASan+UBSan)"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Asan >/dev/null
cmake --build build/asan -j "$JOBS"
step "tests (ASan+UBSan)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
ctest --test-dir build/asan --output-on-failure -j "$JOBS" --timeout 900
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

step "ThreadSanitizer build (the targets of the threaded tests)"
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Tsan >/dev/null
cmake --build build/tsan -j "$JOBS" --target lzs-threads-tests
step "tests (TSan: ctest -L threads)"
# halt_on_error: a race ends the process with status 66, so the test fails even when what
# runs it (the daemon's harness) does not read its stderr. tests/tsan.supp: the reports
# from Debian's uninstrumented libraries, each with its reason.
export TSAN_OPTIONS="suppressions=$ROOT/tests/tsan.supp:halt_on_error=1:exitcode=66:second_deadlock_stack=1"
ctest --test-dir build/tsan --output-on-failure -j "$JOBS" --timeout 900 -L threads
unset TSAN_OPTIONS

step "fuzzing (short runs)"
scripts/fuzz.sh --short

step "browser tests"
tests/browser/run.sh build/release

step "all tests passed"
