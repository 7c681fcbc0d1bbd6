#!/usr/bin/env bash
# A full disk, on a small tmpfs mounted in a private mount namespace (unshare -m: the mount
# disappears with the test, whatever happens to it; needs root):
#  1. a first run into a new directory on a disk too small fails with status 1, a message
#     saying the disk is short and how much space the run needs, and leaves nothing behind:
#     neither the directory nor the 0-byte temporary file Xapian had made, nor the space
#     its tables took (so that later runs are not failing on the failed run's files);
#     the same on a disk with no space at all;
#  2. the same in a directory that existed (empty): it is left empty;
#  3. with the disk grown to the size the message gave, the run succeeds;
#  4. an update of that index on a disk filled up by something else fails, leaves the
#     index exactly as it was (same files, same content), and succeeds once space is freed.
# Environment (set by tests/index.cmake): LZS_INDEX_BIN, LZS_INDEX_TOOL, LZS_CORPUS.
set -uo pipefail
BIN=${LZS_INDEX_BIN:?} TOOL=${LZS_INDEX_TOOL:?} CORPUS=${LZS_CORPUS:?}

if [ "${LZS_DISKFULL_INSIDE:-}" != 1 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "FAIL: diskfull.sh mounts a tmpfs and needs root (run the tests as root)" >&2
    exit 1
  fi
  command -v unshare >/dev/null || { echo "FAIL: unshare (util-linux) is missing" >&2; exit 1; }
  # In a chroot "/" is no mount point and its propagation cannot be changed: the namespace
  # keeps it, and the work directory is made a private mount of its own below instead.
  prop=private
  unshare -m --propagation private true 2>/dev/null || prop=unchanged
  exec env LZS_DISKFULL_INSIDE=1 LZS_DISKFULL_PROP=$prop unshare -m --propagation $prop \
    bash "$0" "$@"
fi

WORK=$(mktemp -d /tmp/lzs-index-diskfull-XXXXXX)
MNT=$WORK/mnt
cleanup() {
  umount "$MNT" 2>/dev/null
  [ "${LZS_DISKFULL_PROP:-}" != unchanged ] || umount "$WORK" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ "${LZS_DISKFULL_PROP:-}" = unchanged ]; then
  # a private mount of its own, so the tmpfs below never shows outside this namespace
  mount --bind "$WORK" "$WORK" && mount --make-private "$WORK" ||
    { echo "FAIL: cannot make $WORK a private mount" >&2; exit 1; }
fi
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
die() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$WORK/corpus" "$MNT"
cp "$CORPUS"/*.txt "$WORK/corpus/"
chmod u+w "$WORK/corpus"/*.txt
mount -t tmpfs -o size=256k tmpfs "$MNT" || die "cannot mount a tmpfs on $MNT"
used() { df -B1 --output=used "$MNT" | tail -1 | tr -d ' '; }
base=$(used)

# The size of "needs about N UNIT free" in bytes, rounded up to whole kB.
need_bytes() {
  python3 -c '
import re, sys
m = re.search(r"needs about ([0-9.]+) (bytes|kB|MB|GB) free", open(sys.argv[1]).read())
if not m:
    sys.exit(1)
mult = {"bytes": 1, "kB": 1000, "MB": 1000**2, "GB": 1000**3}[m.group(2)]
print(int(float(m.group(1)) * mult / 1024 + 1) * 1024)' "$1"
}

# 1. A new directory.
"$BIN" --index "$MNT/idx" --quiet "$WORK/corpus" 2>"$WORK/new.err"
status=$?
[ "$status" -eq 1 ] || fail "new index on a full disk: exit status $status, expected 1"
grep -q "No space left on device" "$WORK/new.err" || fail "new: no 'No space left on device' in: $(cat "$WORK/new.err")"
grep -q "this run needs about" "$WORK/new.err" || fail "new: the message does not say how much space is needed: $(cat "$WORK/new.err")"
[ ! -e "$MNT/idx" ] || fail "new: the failed run left $(ls -A "$MNT/idx" | tr '\n' ' ')in a directory it created"
[ -z "$(ls -A "$MNT")" ] || fail "new: the failed run left $(ls -A "$MNT" | tr '\n' ' ')"
[ "$(used)" -eq "$base" ] || fail "new: the failed run left $(($(used) - base)) bytes used"

# 1b. A disk so full that not even the index directory's first file fits.
dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
"$BIN" --index "$MNT/idx" --quiet "$WORK/corpus" 2>"$WORK/full.err"
status=$?
[ "$status" -eq 1 ] || fail "new index on a disk with no space at all: exit status $status, expected 1"
grep -q "this run needs about" "$WORK/full.err" || fail "full: no estimate: $(cat "$WORK/full.err")"
[ ! -e "$MNT/idx" ] || fail "full: the failed run left the directory it created"
rm "$MNT/filler"

# 2. An empty directory that existed.
mkdir "$MNT/pre"
"$BIN" --index "$MNT/pre" --quiet "$WORK/corpus" 2>"$WORK/pre.err"
status=$?
[ "$status" -eq 1 ] || fail "existing empty directory on a full disk: exit status $status, expected 1"
grep -q "this run needs about" "$WORK/pre.err" || fail "pre: no estimate: $(cat "$WORK/pre.err")"
[ -d "$MNT/pre" ] || fail "pre: the directory that existed was removed"
[ -z "$(ls -A "$MNT/pre")" ] || fail "pre: the failed run left $(ls -A "$MNT/pre" | tr '\n' ' ')"
rmdir "$MNT/pre"

# 3. Grown to the size the message gave, the disk takes the run.
size=$(need_bytes "$WORK/new.err") || die "no size in: $(cat "$WORK/new.err")"
echo "diskfull: the failed run asked for about $size bytes"
mount -o remount,size="$size" "$MNT" || die "cannot resize the tmpfs to $size bytes"
"$BIN" --index "$MNT/idx" --quiet "$WORK/corpus" 2>"$WORK/grown.err" ||
  fail "with the space the message asked for ($size bytes), the run failed: $(cat "$WORK/grown.err")"
"$TOOL" dump "$MNT/idx" >"$WORK/before.dump" || fail "the index does not open"

# 4. An update on a disk filled by something else.
mount -o remount,size=16m "$MNT" || die "cannot resize the tmpfs to 16 MB"
dd if=/dev/zero of="$MNT/filler" bs=64k 2>/dev/null
# The index's files: names, sizes and contents. Not times: the run takes the lock, which
# rewrites flintlock (empty) and so its time; "ls -l" showed that once the run crossed a
# minute (ctest -j8 on a loaded machine).
index_files() { (cd "$MNT/idx" && find . -type f -printf '%P %s ' -exec sha256sum {} \; | sort); }
index_files >"$WORK/files-before.txt"
printf '\n\nA paragraph added while the disk is full, about qqdiskfullword.\n' \
  >>"$WORK/corpus/000_61b0df1d91b66db2.txt"
"$BIN" --index "$MNT/idx" --quiet "$WORK/corpus" 2>"$WORK/update.err"
status=$?
[ "$status" -eq 1 ] || fail "update on a full disk: exit status $status, expected 1"
grep -q "this run needs about" "$WORK/update.err" || fail "update: no estimate: $(cat "$WORK/update.err")"
index_files >"$WORK/files-after.txt"
cmp -s "$WORK/files-before.txt" "$WORK/files-after.txt" ||
  fail "update: the failed run changed the files of the index: $(diff "$WORK/files-before.txt" "$WORK/files-after.txt")"
"$TOOL" dump "$MNT/idx" >"$WORK/after.dump" || fail "the index does not open after the failed update"
cmp -s "$WORK/before.dump" "$WORK/after.dump" || fail "update: the failed run changed the index"
rm "$MNT/filler"
"$BIN" --index "$MNT/idx" --quiet "$WORK/corpus" 2>"$WORK/freed.err" ||
  fail "once space is freed the update fails: $(cat "$WORK/freed.err")"
"$TOOL" dump "$MNT/idx" >"$WORK/freed.dump" || fail "the index does not open after the update"
grep -q qqdiskfullword "$WORK/freed.dump" || fail "the update after freeing space is not in the index"

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)" >&2
  exit 1
fi
echo "diskfull: all checks passed"
