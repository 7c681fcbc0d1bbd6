"""Slow clients (slowloris) against lzs-searchd: the real daemon on an ephemeral loopback
port (docs/robustness.md, "Slow clients").

    test_slow.py --searchd BIN --indexer BIN --corpus DIR

The attack: 32 connections from each of ten loopback addresses (127.0.0.2 ... 127.0.0.11),
each sending a request line and then one header byte every 4 seconds, never ending its
head. More than the daemon's connection cap (256) in all. What must hold:
  - once the daemon has taken up every attacking connection (it counts them in
    lzs_connections_accepted_total), another client still gets answers: from 127.0.0.1,
    and 30 connections at once from a new address (127.0.0.12), more than each attacking
    address holds by then: a busy client is not held to the attackers' share;
  - every attacking connection is closed: at once (refused over the cap, or closed to make
    room for an address holding fewer), or, when the daemon held it, once its head
    deadline passes (--head-timeout, 10 s by default) with a 408 answer; the test waits
    for the close on every socket, not for a clock;
  - those the daemon held are counted as closed without a request, not as requests."""

import os
import select
import shutil
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ATTACKERS = ["127.0.0.%d" % i for i in range(2, 12)]
PER_ADDRESS = 32
NEW_CLIENT = "127.0.0.12"
BUSY = 30  # connections at once from NEW_CLIENT (the cap of one address is 32)
TRICKLE_SECONDS = 4
DEADLINE_BOUND = 60  # far above the 10 s head deadline: only a daemon that never closes fails



def open_attack(port):
    """(address, socket) for every attacking connection; each has sent its request line.
    A connection the daemon has already refused may fail to send: kept, it reads EOF."""
    socks = []
    for addr in ATTACKERS:
        for _ in range(PER_ADDRESS):
            s = harness.connect(port, source=addr, timeout=DEADLINE_BOUND)
            try:
                s.sendall(b"GET /api/search?q=child HTTP/1.1\r\nHost: x\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            socks.append((addr, s))
    return socks


def trickle(socks, stop):
    """One more header byte on every attacking connection every TRICKLE_SECONDS."""
    live = [s for _, s in socks]
    while not stop.wait(TRICKLE_SECONDS):
        still = []
        for s in live:
            try:
                s.send(b"X")
                still.append(s)
            except OSError:
                pass  # closed by the daemon
        live = still


def wait_closed(socks):
    """Waits until the daemon has closed every socket; returns {socket: bytes received}."""
    got = {s: b"" for _, s in socks}
    open_socks = [s for _, s in socks]
    end = time.monotonic() + DEADLINE_BOUND
    while open_socks:
        left = end - time.monotonic()
        harness.check(left > 0, "%d attacking connections still open %d s after the attack began" %
              (len(open_socks), DEADLINE_BOUND))
        ready, _, _ = select.select(open_socks, [], [], left)
        for s in ready:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if chunk:
                got[s] += chunk
            else:
                open_socks.remove(s)
    return got


def main():
    args = harness.parse_args("searchd", "indexer", "corpus")

    # The test needs the loopback addresses 127.0.0.2 and on (Linux routes all of
    # 127.0.0.0/8 to lo); a system without them must fail here, saying so.
    for addr in ATTACKERS + [NEW_CLIENT]:
        s = socket.socket()
        try:
            s.bind((addr, 0))
        except OSError as e:
            raise AssertionError("cannot bind to %s (%s): the test needs the loopback "
                                 "addresses 127.0.0.2 to 127.0.0.12" % (addr, e))
        finally:
            s.close()

    tmp = tempfile.mkdtemp(prefix="lzs-searchd-slow-")
    index = os.path.join(tmp, "index")
    harness.build_index(args.indexer, args.corpus, index)
    daemon = harness.Daemon(args.searchd, index, threads=2)
    stop = threading.Event()
    socks = []
    try:
        base = daemon.metrics()
        harness.check("lzs_connections_accepted_total" in base,
              "no lzs_connections_accepted_total in /metrics")
        a0 = base["lzs_connections_accepted_total"]
        socks = open_attack(daemon.port)
        pumper = threading.Thread(target=trickle, args=(socks, stop), daemon=True)
        pumper.start()

        # Every scrape is a connection of its own, accepted before it is answered.
        scrapes = 0
        while True:
            scrapes += 1
            m = daemon.metrics()
            if m["lzs_connections_accepted_total"] - a0 - scrapes >= len(socks):
                break
        def gone(m):
            return (m["lzs_connections_refused_total"] - base["lzs_connections_refused_total"] +
                    m["lzs_connections_evicted_total"] - base["lzs_connections_evicted_total"])
        print("attack: %d connections from %d addresses; the daemon holds %d, refused or "
              "closed to make room %d" % (len(socks), len(ATTACKERS), m["lzs_connections_open"] - 1,
                                         gone(m)))
        harness.check(gone(m) > 0, "the attack is larger than the connection cap, yet all of it is held")

        # Another client gets answers: this address, and a new one with 30 connections at
        # once.
        for _ in range(5):
            r = daemon.request("/api/search?q=child&size=1")
            harness.check(r.status == 200, "a search under attack got %d" % r.status)
        # Each sends its whole request at once, so none of them is still sending its head
        # for long: the daemon makes room for them by closing attacking connections. They
        # ask /healthz, which is never shed: 30 searches at once could wait long enough in
        # a slow build to be answered 503 busy, which is not what is tested here.
        others = []
        for _ in range(BUSY):
            s = harness.connect(daemon.port, source=NEW_CLIENT)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            others.append(s)
        for s in others:
            answers = harness.split_answers(harness.read_all(s)[0])
            s.close()
            harness.check([a[0] for a in answers] == [200],
                  "a new address under attack got %s" % [a[0] for a in answers])

        # Each connection the daemon held to the end is closed at its deadline with a 408;
        # the others were closed without an answer (refused, or to make room).
        got = wait_closed(socks)
        stop.set()
        timed_out = {s for s, data in got.items() if data}
        per_address = {}
        for addr, s in socks:
            if s in timed_out:
                answers = harness.split_answers(got[s])
                harness.check(len(answers) == 1 and answers[0][0] == 408,
                      "a slow connection got %r" % got[s][:300])
                harness.check(b'"request_timeout"' in answers[0][2], answers[0][2][:300])
                per_address[addr] = per_address.get(addr, 0) + 1
        print("closed at the head deadline: %d (per address: %s)" %
              (len(timed_out), sorted(per_address.values())))
        harness.check(timed_out, "no attacking connection was held to its deadline")
        harness.check(max(per_address.values()) <= PER_ADDRESS, per_address)

        name = "lzs_connections_closed_without_request_total"
        after = daemon.wait_metrics("every attacking connection closed",
                                    lambda m: m["lzs_connections_open"] <= 1)
        evicted = after["lzs_connections_evicted_total"] - base["lzs_connections_evicted_total"]
        harness.check(len(socks) - len(timed_out) == gone(after),
              "%d connections closed unanswered, the daemon counts %d refused or closed to "
              "make room" % (len(socks) - len(timed_out), gone(after)))
        harness.check(after[name] - base[name] == len(timed_out) + evicted,
              "%s went from %d to %d, not by %d (408) + %d (closed to make room)" %
              (name, base[name], after[name], len(timed_out), evicted))
        other0 = sum(v for k, v in after.items() if k.startswith("lzs_requests_total") and
                     'route="other"' in k)
        harness.check(other0 == 0, "slow connections counted as requests: %s" %
              {k: v for k, v in after.items() if k.startswith("lzs_requests_total")})
        harness.check(daemon.request("/healthz").status == 200, "healthz after the attack")
    finally:
        stop.set()
        for _, s in socks:
            s.close()
        try:
            daemon.finish()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("searchd slow clients: all checks passed")


if __name__ == "__main__":
    main()
