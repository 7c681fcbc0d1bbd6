#!/usr/bin/env bash
# Proves the Debian package on a machine that never built lanzasearch (run before calling the
# packaging done; not part of the test command: it needs root, the network for apt, and about
# ten minutes).
#   scripts/package-check.sh             (as root)
# 1. Here: builds the programs, the man pages and the package (build/release, build/package/):
#    a broken build or package fails in a minute, not ten.
# 2. In a brand-new Debian 12 root (../shared/tools/fresh-root.sh: the committed HEAD cloned
#    at /src/main), packaging/in-fresh-root.sh builds the package from that clone, removes
#    the build dependencies again so that the package must bring what it needs, installs it
#    with apt-get install ./lanzasearch_*.deb, indexes the shipped documents with the
#    installed lzs-index as the indexer's user, starts the installed lzs-searchd as another
#    user in the group lanzasearch (as the units do), asks it a known question with curl,
#    and purges the package. Uncommitted changes are not in the clone: commit first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "package-check: run as root (fresh-root.sh mounts and chroots)" >&2; exit 1; }
FRESH=../shared/tools/fresh-root.sh
[ -x "$FRESH" ] || [ -f "$FRESH" ] || { echo "package-check: $FRESH is missing" >&2; exit 1; }
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "package-check: note: uncommitted changes are not checked in the fresh root" >&2
fi

echo "==> package here"
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j "$(nproc 2>/dev/null || echo 2)" --target lzs-index lzs-searchd lzs-man
rm -rf build/package
cpack --config build/release/CPackConfig.cmake -B build/package >/dev/null
ls -l build/package/*.deb

echo "==> package in a new Debian 12 root"
bash "$FRESH" 'bash packaging/in-fresh-root.sh'
