#!/usr/bin/env bash
# The part of scripts/package-check.sh that runs inside a brand-new Debian 12 root (made by
# ../shared/tools/fresh-root.sh, the project cloned at /src/main). It removes packages, so it
# refuses to run anywhere else. Each step prints what it found; any failure ends it non-zero.
set -euo pipefail
if [ "$PWD" != /src/main ] || [ ! -d /src/shared/tools ]; then
  echo "in-fresh-root: only inside a fresh root (cd /src/main), never on a working machine" >&2
  exit 2
fi
step() { printf '\n==> %s\n' "$*"; }
die() { echo "in-fresh-root: FAILED: $*" >&2; exit 1; }

step "build the package from the clone"
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j "$(nproc)" --target lzs-index lzs-searchd lzs-man >/dev/null
cpack --config build/release/CPackConfig.cmake -B build/package >/dev/null
deb=$(ls build/package/lanzasearch_*.deb)
ls -l "$deb"
dpkg-deb -f "$deb" Package Version Architecture Depends

step "remove the build dependencies: the package must bring the libraries itself"
mapfile -t devs < <(scripts/install-deps.sh --list | grep -E -- '-dev$')
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq --autoremove "${devs[@]}" >/dev/null
# (libicu72 and libxml2 stay, which cmake needs through libarchive13, and libjansson4, which
# binutils' ld needs.)
left=()
for lib in libxapian30 libmicrohttpd12 libpoppler-glib8 libzip4; do
  if [ "$(dpkg-query -W -f='${Status}' "$lib" 2>/dev/null)" = "install ok installed" ]; then
    left+=("$lib")
  fi
done
[ ${#left[@]} -eq 0 ] || die "still installed after removing the build dependencies: ${left[*]}"
echo "none of libxapian30 libmicrohttpd12 libpoppler-glib8 libzip4 is installed"

step "apt-get install ./$deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y "./$deb" >/tmp/apt.log 2>&1 ||
  die "apt-get install: $(tail -n 20 /tmp/apt.log)"
grep -E '^(Setting up (lanzasearch|libxapian30|libmicrohttpd12|libpoppler-glib8|libzip4)|[0-9]+ upgraded)' /tmp/apt.log
for prog in lzs-index lzs-searchd; do
  libs=$(ldd "/usr/bin/$prog")
  if grep -q 'not found' <<<"$libs"; then
    die "/usr/bin/$prog misses libraries: $(grep 'not found' <<<"$libs")"
  fi
done
lzs-index --version
lzs-searchd --version
id lanzasearch
echo "/var/lib/lanzasearch: $(stat -c '%U:%G %a' /var/lib/lanzasearch)"
[ "$(stat -c '%U:%G %a' /var/lib/lanzasearch)" = "lanzasearch:lanzasearch 750" ] ||
  die "/var/lib/lanzasearch is not lanzasearch:lanzasearch 750"
for f in /etc/default/lanzasearch /lib/systemd/system/lzs-searchd.service \
         /lib/systemd/system/lzs-index.service /lib/systemd/system/lzs-index.timer \
         /usr/share/man/man1/lzs-index.1.gz /usr/share/man/man8/lzs-searchd.8.gz \
         /usr/share/lanzasearch/web/index.html /usr/share/lanzasearch/data/parties.tsv; do
  [ -f "$f" ] || die "not installed: $f"
done
echo "units, settings, man pages, page and data installed"
gzip -dc /usr/share/man/man8/lzs-searchd.8.gz | sed -n 's/^\.TH /man page: /p'

step "index the shipped documents as lzs-index.service does (user lanzasearch, umask 027)"
mkdir -p /srv/lanzasearch/corpus
cp -r /usr/share/lanzasearch/corpus/. /srv/lanzasearch/corpus/
(umask 027
 setpriv --reuid=lanzasearch --regid=lanzasearch --init-groups \
   env LZS_CORPUS_DIR=/srv/lanzasearch/corpus LZS_INDEX_DIR=/var/lib/lanzasearch/index \
   /usr/bin/lzs-index --wait) || die "the installed lzs-index failed"
ls -ld /var/lib/lanzasearch/index

step "serve it as lzs-searchd.service does (a user of its own, in the group lanzasearch)"
as_daemon() { setpriv --reuid=nobody --regid=nogroup --groups=lanzasearch "$@"; }
if as_daemon touch /var/lib/lanzasearch/index/written-by-daemon 2>/dev/null; then
  die "the daemon's user can write the index"
fi
echo "the daemon's user cannot write the index"
if setpriv --reuid=nobody --regid=nogroup --clear-groups ls /var/lib/lanzasearch/index >/dev/null 2>&1; then
  die "a user outside the group lanzasearch can read the index"
fi
echo "a user outside the group lanzasearch cannot read it"
rm -f /tmp/lzs-port
# Port 0: the root shares the machine's network, where 8080 may be taken.
# Started by bash itself, not through as_daemon (a function runs in a subshell of its own
# when sent to the background): $! is then the daemon, which the SIGTERM below must reach.
setpriv --reuid=nobody --regid=nogroup --groups=lanzasearch \
  env LZS_INDEX_DIR=/var/lib/lanzasearch/index /usr/bin/lzs-searchd \
  --listen 127.0.0.1:0 --port-file /tmp/lzs-port 2>/tmp/lzs-searchd.log &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do
  [ -s /tmp/lzs-port ] && break
  kill -0 "$pid" 2>/dev/null || die "lzs-searchd exited: $(cat /tmp/lzs-searchd.log)"
  sleep 0.1
done
[ -s /tmp/lzs-port ] || die "lzs-searchd did not start: $(cat /tmp/lzs-searchd.log)"
base="http://127.0.0.1:$(cat /tmp/lzs-port)"
head -n 1 /tmp/lzs-searchd.log
curl -sf "$base/" | grep -o '<title>[^<]*</title>' || die "GET / does not serve the page"
answer=$(curl -sf "$base/api/search?level=require&addressee=NO&size=100") || die "GET /api/search failed"
python3 - "$answer" <<'PY' || die "the known answer is wrong: ${answer:0:300}"
import json, sys
v = json.loads(sys.argv[1])
recs = sorted({h["passage"].get("rec_id") for h in v["hits"]})
print("level=require&addressee=NO: %d passages, recommendations %s" % (v["total"], recs))
sys.exit(0 if v["total"] > 0 and recs == ["V-17"] else 1)
PY
kill -TERM "$pid"
wait "$pid" || die "lzs-searchd did not stop cleanly on SIGTERM: $(tail -n 3 /tmp/lzs-searchd.log)"
trap - EXIT
tail -n 1 /tmp/lzs-searchd.log

step "apt-get purge lanzasearch"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq lanzasearch >/dev/null
for f in /usr/bin/lzs-searchd /var/lib/lanzasearch /etc/default/lanzasearch; do
  [ ! -e "$f" ] || die "purge left $f behind"
done
echo "purged: programs, settings and index removed"

step "package check passed"
