#!/usr/bin/env bash
# Sets up and runs every test of lanzasearch (the README's test command).
#   1. installs missing Debian packages (and npm packages for the browser tests)
#   2. release build, warnings as errors, then ctest
#   3. ASan+UBSan build, then ctest again: any sanitizer report fails the run
#   4. short fuzzing runs, browser tests (when their harnesses are present)
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

if [ -x scripts/fuzz.sh ]; then
  step "fuzzing (short runs)"
  scripts/fuzz.sh --short
fi

if [ -x tests/browser/run.sh ]; then
  step "browser tests"
  tests/browser/run.sh build/release
fi

step "all tests passed"
