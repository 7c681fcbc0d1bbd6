#!/usr/bin/env python3
"""The daemon's memory with several threads once every thread has counted every facet:
not a test, it prints figures.

    bench/load/columns.py --searchd BIN --index DIR [--threads N] [--rounds R]

Starts lzs-searchd on DIR with N threads (default 2), reads its resident size (VmRSS) once
it answers, then sends requests that count every facet (browsing, words, grouping by
document, a filter), each on N connections opened and sent together before any answer
is read: the HTTP library hands a connection to the thread its socket number picks
(modulo N), and consecutive connections have consecutive numbers, so every thread counts
each of them (never shed: --max-queue-ms 0). Prints the resident size before and after, what it grew by, and the
daemon's own figure of the columns' bytes (lzs_columns_bytes of /metrics, when it has
one: one copy per index revision) with the growth as a multiple of it.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

PATHS = ["/api/search?facets=1&size=10",
         "/api/search?q=child&facets=1&size=10",
         "/api/search?q=recommendation&group=document&facets=1&size=10",
         "/api/search?party=NO&facets=1&size=10",
         "/api/search?year=2019&group=document&facets=1&size=10"]


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS for %d" % pid)


def read_answer(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body


def together(port, path, n):
    """path on n connections, all sent before any answer is read; the statuses."""
    socks = [socket.create_connection(("127.0.0.1", port), timeout=600) for _ in range(n)]
    for s in socks:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode("ascii"))
    out = []
    for s in socks:
        status, body = read_answer(s)
        if status != 200:
            print("%s: %d %s" % (path, status, body[:200].decode(errors="replace")))
        out.append(status)
        s.close()
    return out


def metric(port, name):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    status, body = read_answer(s)
    s.close()
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--searchd", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="lzs-columns-")
    port_file = os.path.join(tmp, "port")
    log = open(os.path.join(tmp, "searchd.log"), "w")
    proc = subprocess.Popen([args.searchd, "--index", args.index, "--listen", "127.0.0.1:0",
                             "--threads", str(args.threads), "--port-file", port_file,
                             # a busy machine must not shed what is measured
                             "--max-queue-ms", "0"],
                            stdout=log, stderr=log)
    try:
        deadline = time.time() + 120
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if proc.poll() is not None or time.time() > deadline:
                sys.exit("lzs-searchd did not start (log: %s)" % log.name)
            time.sleep(0.05)
        with open(port_file) as f:
            port = int(f.read().strip())
        # every thread opens its searcher (no facet counted yet)
        together(port, "/healthz", args.threads)
        rss0 = rss_bytes(proc.pid)
        t0 = time.monotonic()
        for _ in range(args.rounds):
            for path in PATHS:
                statuses = together(port, path, args.threads)
                if any(st != 200 for st in statuses):
                    sys.exit("%s answered %s" % (path, statuses))
        took = time.monotonic() - t0
        rss1 = rss_bytes(proc.pid)
        cols = metric(port, "lzs_columns_bytes")
        revs = metric(port, "lzs_column_revisions")
        print("threads %d: resident size %.1f MB before counting, %.1f MB after every thread "
              "counted every facet (%d requests x %d connections x %d rounds, %.1f s): "
              "grew by %.1f MB" % (args.threads, rss0 / 1e6, rss1 / 1e6, len(PATHS),
                                   args.threads, args.rounds, took, (rss1 - rss0) / 1e6))
        if cols:
            print("columns (lzs_columns_bytes, one copy per revision): %.1f MB over %d "
                  "revision(s); resident size grew by %.2f x the columns" %
                  (cols / 1e6, revs or 0, (rss1 - rss0) / cols))
        else:
            print("columns: this daemon reports no lzs_columns_bytes")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        log.close()


if __name__ == "__main__":
    main()
