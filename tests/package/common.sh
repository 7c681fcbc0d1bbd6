# shellcheck shell=bash
# common.sh — helpers of the install and package tests (sourced): failures are counted and
# the test fails at the end with each of them named; a missing tool fails at once, naming
# the Debian package that brings it.
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# need TOOL PACKAGE: the test cannot run without TOOL.
need() {
  command -v "$1" >/dev/null ||
    { echo "FAIL: $1 is missing (Debian package $2; scripts/install-deps.sh --test)" >&2; exit 1; }
}
finish() {
  if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}
