#!/usr/bin/env bash
# The Debian package (packaging/): made by CPack from the build, it holds the programs, the
# data, the page, the shipped documents, the man pages (compressed, each unit's
# Documentation= among them), the systemd units and /etc/default/lanzasearch as a conffile;
# it depends on the package of every library the programs load; its maintainer scripts
# parse; the units pass `systemd-analyze verify` without a word and `systemd-analyze
# security` rates both services "OK" (exposure at most 2.0 of 10). In a hardened build type
# (LZS_HARDENED=1: Release, RelWithDebInfo, MinSizeRel) the programs are PIE with full
# RELRO, a stack protector and fortified calls, every source of the installed programs was
# compiled with _FORTIFY_SOURCE=3, and nothing in them names the source tree.
# Environment (tests/package.cmake): LZS_BUILD, LZS_SOURCE, LZS_CPACK, LZS_HARDENED.
set -uo pipefail
BUILD=${LZS_BUILD:?} SRC=${LZS_SOURCE:?} CPACK=${LZS_CPACK:?} HARDENED=${LZS_HARDENED:?}
. "$(dirname "$0")/common.sh"
need dpkg-deb dpkg
need dpkg-shlibdeps dpkg-dev
need file file
need systemd-analyze systemd
need readelf binutils
need strip binutils
need python3 python3

WORK=$(mktemp -d /tmp/lzs-package-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if ! "$CPACK" --config "$BUILD/CPackConfig.cmake" -B "$WORK/out" >"$WORK/cpack.log" 2>&1; then
  cat "$WORK/cpack.log" >&2
  fail "cpack failed (built? cmake --build $BUILD)"
  finish
fi
debs=("$WORK"/out/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || { fail "cpack made ${#debs[@]} packages: ${debs[*]}"; finish; }
DEB=${debs[0]}
arch=$(dpkg --print-architecture)
[ "${DEB##*/}" = "lanzasearch_$(dpkg-deb -f "$DEB" Version)_$arch.deb" ] ||
  fail "package file name ${DEB##*/} is not lanzasearch_VERSION_$arch.deb"

# ---- control fields and scripts ---------------------------------------------------------
[ "$(dpkg-deb -f "$DEB" Package)" = lanzasearch ] || fail "Package is not lanzasearch"
[ "$(dpkg-deb -f "$DEB" Architecture)" = "$arch" ] || fail "Architecture is not $arch"
depends=$(dpkg-deb -f "$DEB" Depends)
dep_names=" $(echo "$depends" | sed -E 's/\([^)]*\)//g; s/[ ,|]+/ /g') "
[[ "$dep_names" == *" adduser "* ]] || fail "Depends lacks adduser (the postinst uses it): $depends"
mkdir -p "$WORK/control"
dpkg-deb -e "$DEB" "$WORK/control"
for s in postinst prerm postrm; do
  [ -x "$WORK/control/$s" ] || { fail "no executable $s in the package"; continue; }
  sh -n "$WORK/control/$s" || fail "$s does not parse"
done
grep -qx /etc/default/lanzasearch "$WORK/control/conffiles" 2>/dev/null ||
  fail "/etc/default/lanzasearch is not a conffile"

# ---- contents ---------------------------------------------------------------------------
dpkg-deb --contents "$DEB" | awk '{print $1, $2, $6}' >"$WORK/contents"
has() { grep -q " \./$1\$" "$WORK/contents" || fail "not in the package: /$1"; }
for prog in lzs-index lzs-searchd; do
  grep -qE "^-rwxr-xr-x root/root \./usr/bin/$prog\$" "$WORK/contents" ||
    fail "not in the package as an executable of root: /usr/bin/$prog"
done
for f in "$SRC"/corpus/data/*.tsv; do has "usr/share/lanzasearch/data/${f##*/}"; done
while IFS= read -r f; do has "usr/share/lanzasearch/web/${f#./}"; done \
  < <(cd "$SRC/web" && find . -type f)
for f in "$SRC"/corpus/*; do [ -f "$f" ] && has "usr/share/lanzasearch/corpus/${f##*/}"; done
has usr/share/man/man1/lzs-index.1.gz
has usr/share/man/man8/lzs-searchd.8.gz
UNITS="lzs-searchd.service lzs-index.service lzs-index.timer"
for u in $UNITS; do has "lib/systemd/system/$u"; done
has etc/default/lanzasearch
if grep -q " \./usr/share/lanzasearch/corpus/data" "$WORK/contents"; then
  fail "the data files are also shipped inside the corpus folder"
fi

ROOT=$WORK/root
dpkg-deb -x "$DEB" "$ROOT"

# ---- libraries: every one the programs load comes with a dependency ---------------------
# Each needed library's file, symbolic links resolved, then their packages in one dpkg -S
# (each call reads dpkg's database). dpkg knows a file by the path its package ships, /lib/...
# (libc6) or /usr/lib/... (most others), while /lib is a link to /usr/lib: both are asked.
ldcache=$(ldconfig -p)
declare -A lib_of=() # resolved file -> "program needs soname"
for prog in lzs-index lzs-searchd; do
  while read -r soname; do
    path=$(awk -v s="$soname" '$1 == s {print $NF; exit}' <<<"$ldcache")
    [ -n "$path" ] || { fail "$prog needs $soname, which this machine does not have"; continue; }
    lib_of[$(readlink -f "$path")]="$prog needs $soname"
  done < <(readelf -dW "$ROOT/usr/bin/$prog" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
asked=()
for file in "${!lib_of[@]}"; do asked+=("$file" "${file#/usr}"); done
owners=$(dpkg -S "${asked[@]}" 2>/dev/null)
for file in "${!lib_of[@]}"; do
  owner=$(awk -v f="$file" -v g="${file#/usr}" '$NF == f || $NF == g {sub(/:.*/, "", $1); print $1; exit}' \
          <<<"$owners")
  if [ -z "$owner" ]; then
    fail "${lib_of[$file]}: no Debian package owns $file"
  elif [[ "$dep_names" != *" $owner "* ]]; then
    fail "${lib_of[$file]} from $owner, which is not in Depends: $depends"
  fi
done

# ---- man pages ---------------------------------------------------------------------------
for page in man1/lzs-index.1 man8/lzs-searchd.8; do
  prog=${page#*/}; prog=${prog%.*}; section=${page##*.}
  gz="$ROOT/usr/share/man/$page.gz"
  [ -f "$gz" ] || continue
  gzip -t "$gz" || { fail "$page.gz is not gzip"; continue; }
  text=$(gzip -dc "$gz")
  help=$("$ROOT/usr/bin/$prog" --help)
  grep -q "^\.TH \"*${prog^^}\"* \"*$section\"*" <<<"$text" || fail "$page has no .TH ${prog^^} $section"
  # Every option of --help is on the page: the page is made from --help.
  for opt in $(grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' <<<"$help" | grep -oE -- '--[a-z-]+'); do
    grep -qF -- "${opt//-/\\-}" <<<"$text" || fail "$page lacks $opt of $prog --help"
  done
done

# ---- units -------------------------------------------------------------------------------
# systemd-analyze checks that the programs a unit runs exist: the units are checked as
# installed, their /usr/bin/ read in the unpacked package. Unknown keys and bad values are
# only warnings to it, so any word it says is a failure.
mkdir -p "$WORK/units"
for u in $UNITS; do
  [ -f "$ROOT/lib/systemd/system/$u" ] || continue
  sed "s|/usr/bin/|$ROOT/usr/bin/|g" "$ROOT/lib/systemd/system/$u" >"$WORK/units/$u"
  # Each page named in Documentation= is in the package (checked here, not by man(1) there).
  for doc in $(sed -n 's/^Documentation=//p' "$WORK/units/$u"); do
    [[ "$doc" =~ ^man:([a-z-]+)\(([0-9])\)$ ]] || continue
    [ -f "$ROOT/usr/share/man/man${BASH_REMATCH[2]}/${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.gz" ] ||
      fail "$u: Documentation=$doc is not in the package"
  done
done
if systemd-analyze verify --man=no "$WORK"/units/* >"$WORK/verify.out" 2>&1; then
  [ ! -s "$WORK/verify.out" ] || fail "systemd-analyze verify: $(cat "$WORK/verify.out")"
else
  fail "systemd-analyze verify failed: $(cat "$WORK/verify.out")"
fi
for u in lzs-searchd.service lzs-index.service; do
  systemd-analyze security --offline=true --man=no --threshold=20 "$WORK/units/$u" \
    >"$WORK/security.out" 2>&1
  level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$WORK/security.out")
  if [ -z "$level" ]; then
    fail "systemd-analyze security $u: $(tail -n 5 "$WORK/security.out")"
  elif ! awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
    fail "$u: exposure $level > 2.0: $(grep '✗' "$WORK/security.out" | head -n 20)"
  else
    echo "$u: exposure level $level"
  fi
done
grep -q "^DynamicUser=yes" "$WORK/units/lzs-searchd.service" || fail "lzs-searchd.service: no DynamicUser=yes"
grep -q "^User=lanzasearch" "$WORK/units/lzs-index.service" || fail "lzs-index.service: not User=lanzasearch"
grep -q "^Environment=.*LZS_LISTEN=127.0.0.1:8080" "$WORK/units/lzs-searchd.service" ||
  fail "lzs-searchd.service does not listen on 127.0.0.1:8080 by default"

# ---- hardening ---------------------------------------------------------------------------
if [ "$HARDENED" = 1 ]; then
  for prog in lzs-index lzs-searchd; do
    bin="$ROOT/usr/bin/$prog"
    # Read into variables first: grep -q ending a pipe early fails it under pipefail.
    header=$(readelf -hW "$bin") dynamic=$(readelf -dW "$bin") segments=$(readelf -lW "$bin")
    dynsyms=$(readelf --dyn-syms -W "$bin")
    grep -q 'Type: *DYN' <<<"$header" || fail "$prog is not position-independent"
    grep -q 'FLAGS_1.*PIE' <<<"$dynamic" || fail "$prog is not marked PIE"
    grep -qE '\(FLAGS\).*BIND_NOW|FLAGS_1.*NOW' <<<"$dynamic" || fail "$prog is not bound now (-z now)"
    grep -q GNU_RELRO <<<"$segments" || fail "$prog has no RELRO segment"
    grep -q '__stack_chk_fail' <<<"$dynsyms" || fail "$prog has no stack protector"
    grep -qE '__[a-z0-9_]+_chk\b' <<<"$dynsyms" || fail "$prog calls no fortified function"
    strip -o "$WORK/$prog.stripped" "$bin"
    if grep -qF "$SRC" "$WORK/$prog.stripped"; then
      fail "$prog names the source tree: $(strings -a "$WORK/$prog.stripped" | grep -F "$SRC" | head -n 3)"
    fi
  done
  python3 - "$BUILD/compile_commands.json" "$SRC" <<'PY' || fail "sources built without the release hardening (above)"
import json, sys
src = sys.argv[2].rstrip("/") + "/"
bad = []
for e in json.load(open(sys.argv[1])):
    f = e["file"]
    if not any(f.startswith(src + d) for d in ("lib/", "indexer/", "searchd/")):
        continue
    cmd = e.get("command") or " ".join(e.get("arguments", []))
    if "-D_FORTIFY_SOURCE=3" not in cmd or "-fstack-protector-strong" not in cmd:
        bad.append(f)
if bad:
    print("not compiled with -D_FORTIFY_SOURCE=3 -fstack-protector-strong:", *bad[:10],
          file=sys.stderr)
sys.exit(1 if bad else 0)
PY
fi

echo "package: ${DEB##*/}, $(stat -c %s "$DEB") bytes; Depends: $depends"
finish
