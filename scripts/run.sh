#!/usr/bin/env bash
# Sets up and runs lanzasearch: installs missing packages, builds, indexes the shipped corpus
# and serves the search page (README's first command).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)"
