#!/usr/bin/env bash
# Installs the Debian 12 packages lanzasearch needs, only those missing.
#   scripts/install-deps.sh          build and run: compiler, cmake, libraries, help2man
#                                    (makes the man pages from --help), dpkg-dev and file
#                                    (CPack finds the Debian package's dependencies with
#                                    them: dpkg-shlibdeps on what file says is ELF)
#   scripts/install-deps.sh --test   also what the tests use: xapian-tools, clang and its
#                                    sanitizer runtime (fuzzing), libfiu, chromium, python3,
#                                    the DejaVu fonts the test PDFs are laid out with, qpdf
#                                    (remakes tests/data/formats/bad/encrypted.pdf), systemd
#                                    (systemd-analyze checks the package's units),
#                                    python3-yaml and python3-jsonschema (docs/openapi.yaml:
#                                    scripts/openapi.py, tests/searchd/test_openapi.py),
#                                    python3-feedparser and libxml2-utils (xmllint) to read
#                                    and check the Atom feed of /api/feed,
#                                    haproxy (the replica cluster: scripts/cluster.sh,
#                                    tests/cluster/; xapian-tools gives its xapian-replicate)
#   scripts/install-deps.sh --list [--test]   prints those packages, one a line, and exits
# Runs apt-get directly as root, through sudo otherwise.
set -euo pipefail

list=0
if [ "${1:-}" = "--list" ]; then
  list=1
  shift
fi
pkgs=(build-essential g++ cmake pkg-config libxapian-dev libicu-dev libmicrohttpd-dev
      libcmocka-dev libjansson-dev libpoppler-glib-dev libxml2-dev libzip-dev libcairo2-dev
      help2man dpkg-dev file zlib1g-dev)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(xapian-tools clang libclang-rt-14-dev libfiu-dev fiu-utils chromium python3 curl
         procps fonts-dejavu-core qpdf systemd python3-yaml python3-jsonschema
         python3-feedparser libxml2-utils haproxy)
fi
if [ "$list" = 1 ]; then
  printf '%s\n' "${pkgs[@]}"
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
