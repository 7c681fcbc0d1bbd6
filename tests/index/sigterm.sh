#!/usr/bin/env bash
# SIGTERM ends lzs-index within 10 seconds in every state, including one the run cannot
# leave by itself: its writer thread blocked writing messages to a pipe nobody reads (a
# paused pager, a stuck log collector). The corpus has 1,500 empty files, each skipped with
# a message on stderr; stderr is a pipe this test never reads. Once the pipe is full (the
# event waited for: the next message blocks the run), SIGTERM must end the program within
# 10 seconds with status 143. (The run waiting for the lock with --wait is in cli.sh.)
# Environment (set by tests/index.cmake): LZS_INDEX_BIN, LZS_CORPUS.
set -uo pipefail
BIN=${LZS_INDEX_BIN:?} CORPUS=${LZS_CORPUS:?}
WORK=$(mktemp -d /tmp/lzs-index-sigterm-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/corpus"
cp "$CORPUS"/*.txt "$WORK/corpus/"
for i in $(seq -w 1 1500); do : >"$WORK/corpus/empty-$i.txt"; done

python3 - "$BIN" "$WORK" <<'PY'
import array, fcntl, glob, os, signal, subprocess, sys, termios, time

binary, work = sys.argv[1:3]
F_GETPIPE_SZ = 1032
r, w = os.pipe()
size = fcntl.fcntl(w, F_GETPIPE_SZ)
p = subprocess.Popen([binary, "--index", work + "/index", "--jobs", "2", work + "/corpus"],
                     stdout=subprocess.DEVNULL, stderr=w)
os.close(w)


def queued():
    n = array.array("i", [0])
    fcntl.ioctl(r, termios.FIONREAD, n)
    return n[0]


def fail(msg):
    if p.poll() is None:
        p.kill()
        p.wait()
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def blocked_writing():
    """A thread of the indexer sleeps in a write to the pipe (the kernel names where a
    thread sleeps in wchan: pipe_write, or anon_pipe_write on recent kernels)."""
    for task in glob.glob("/proc/%d/task/*" % p.pid):
        try:
            with open(task + "/wchan") as f:
                if "pipe_write" in f.read():
                    return True
        except OSError:
            pass
    return False


# The event: the indexer is blocked writing to its full stderr. (The bound only keeps a
# broken build from waiting forever.)
deadline = time.monotonic() + 120
while not blocked_writing() and p.poll() is None and time.monotonic() < deadline:
    time.sleep(0.05)
if p.poll() is not None:
    fail("the run ended (status %d) before its stderr pipe filled up" % p.returncode)
if not blocked_writing():
    fail("the indexer was not seen blocked writing to its stderr pipe in 120 seconds "
         "(%d bytes of %d queued)" % (queued(), size))
p.send_signal(signal.SIGTERM)
try:
    status = p.wait(timeout=10)
except subprocess.TimeoutExpired:
    fail("SIGTERM did not end lzs-index within 10 seconds while it was blocked writing to stderr")
if status != 128 + signal.SIGTERM:
    fail("exit status %d after SIGTERM, expected 143" % status)
print("sigterm: a run blocked on a full stderr pipe ended with status 143 after SIGTERM")
PY
