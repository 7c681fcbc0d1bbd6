"""SIGTERM ends lzs-searchd within the 10 seconds docs/api.md promises, with status 0, in
every state: while slow clients hold connections with unfinished request heads, and while
the index is missing (with a slow client too). The state while an export streams to a
client that stopped reading is checked by test_export.py, which has an index large enough
for it.

    test_shutdown.py --searchd BIN --indexer BIN --corpus DIR

Each state is reached by events (a request made after the slow connections has been
answered, so the daemon has accepted them all: the kernel hands connections over in the
order they came), then SIGTERM is sent and the exit awaited."""

import os
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PROMISE = 10.0  # seconds, docs/api.md "Starting the daemon"



def slow_clients(port, n):
    """n connections from 127.0.0.1 and 127.0.0.2 that sent a request line and part of
    their headers, and nothing more."""
    socks = []
    for i in range(n):
        s = harness.connect(port, source="127.0.0.%d" % (1 + i % 2))
        s.sendall(b"GET /api/search?q=child HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        socks.append(s)
    return socks


def sigterm(daemon, socks, what):
    """SIGTERM; checks the exit status and time and that every slow socket was closed."""
    t0 = time.monotonic()
    daemon.proc.send_signal(signal.SIGTERM)
    try:
        rc = daemon.proc.wait(timeout=60)
    except harness.subprocess.TimeoutExpired:
        daemon.kill()
        raise AssertionError("%s: lzs-searchd still running 60 s after SIGTERM" % what)
    took = time.monotonic() - t0
    daemon.log.close()
    log = daemon.stderr_text()
    print("%s: exit %d after %.2f s" % (what, rc, took))
    reports = daemon.sanitizer_report()
    harness.check(rc == 0 and not reports, "%s: exit status %d; log:\n%s" % (what, rc, log[-3000:]))
    harness.check(took < PROMISE, "%s: SIGTERM took %.2f s, over the %g s promised" %
          (what, took, PROMISE))
    for s in socks:
        data, _ = harness.read_all(s)
        s.close()
        harness.check(data == b"", "%s: a slow client got %r" % (what, data[:200]))


def main():
    args = harness.parse_args("searchd", "indexer", "corpus")

    tmp = tempfile.mkdtemp(prefix="lzs-searchd-shutdown-")
    index = os.path.join(tmp, "index")
    harness.build_index(args.indexer, args.corpus, index)
    try:
        # 1. Slow clients hold 40 connections with unfinished heads.
        d = harness.Daemon(args.searchd, index, threads=2)
        try:
            socks = slow_clients(d.port, 40)
            harness.check(d.request("/healthz").status == 200, "healthz beside slow clients")
            sigterm(d, socks, "slow clients")
        finally:
            d.kill()

        # 2. The index is missing: API requests answer 503; a slow client too.
        d = harness.Daemon(args.searchd, os.path.join(tmp, "missing"), threads=2)
        try:
            harness.check(d.request("/api/search?q=child").status == 503, "503 without an index")
            socks = slow_clients(d.port, 2)
            harness.check(d.request("/healthz").status == 503, "healthz without an index")
            sigterm(d, socks, "index missing")
        finally:
            d.kill()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("searchd shutdown: all checks passed")


if __name__ == "__main__":
    main()
