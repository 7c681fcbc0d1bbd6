"""Shared helpers of the replica cluster tests: the topology of scripts/cluster.sh (one
primary, replicas through xapian-replicate, haproxy in front) in a temporary directory on
free loopback ports, requests through haproxy or to one replica, and waits on events, each
with a bound."""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(ROOT, "scripts", "cluster.sh")

# Seconds between a replica's polls of the primary (xapian-replicate --interval): the
# cluster the tests start uses 1.
INTERVAL = 1
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "SUMMARY: UndefinedBehaviorSanitizer")

# The documented bound for a commit on the primary to be served by every replica: the
# poll interval, the transfer of the changeset (well under a second for this corpus) and
# the replica's next request, with a wide margin for a loaded 2-core machine.
VISIBLE_BOUND = 30


def fail(msg):
    raise AssertionError(msg)


def args():
    p = argparse.ArgumentParser()
    p.add_argument("--searchd", required=True)
    p.add_argument("--indexer", required=True)
    p.add_argument("--corpus", required=True)
    return p.parse_args()


def require_tools():
    """A missing prerequisite fails, naming it."""
    for tool, pkg in [("xapian-replicate", "xapian-tools"),
                      ("xapian-replicate-server", "xapian-tools"),
                      ("xapian-delve", "xapian-tools"), ("haproxy", "haproxy"),
                      ("curl", "curl")]:
        if not shutil.which(tool):
            fail("%s is missing: install %s (scripts/install-deps.sh --test)" % (tool, pkg))


def free_base_port(span=16):
    """A base port with span free ports above it on 127.0.0.1: drawn below the kernel's
    ephemeral range (so that no outgoing connection takes one meanwhile), each probed with
    SO_REUSEADDR as the programs bind them (a port left in TIME_WAIT by an earlier test is
    free to them)."""
    rng = random.Random()
    for _ in range(200):
        base = rng.randrange(20000, 32000 - span)
        ok = True
        for p in range(base, base + span):
            with socket.socket() as t:
                t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    t.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    fail("no %d free consecutive loopback ports" % span)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def get(port, path, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, body)
    finally:
        conn.close()


def comparable(answer):
    """A search answer without what legitimately differs between two servers."""
    a = dict(answer)
    a.pop("took_ms", None)
    return a


class Cluster:
    def __init__(self, a, replicas=2, max_age=0):
        require_tools()
        self.dir = tempfile.mkdtemp(prefix="lzs-cluster-")
        self.base = free_base_port()
        self.front = self.base
        self.nrep = replicas
        corpus = os.path.join(self.dir, "corpus")
        os.makedirs(corpus)
        for name in os.listdir(a.corpus):
            path = os.path.join(a.corpus, name)
            if os.path.isfile(path):
                shutil.copy(path, corpus)
        self.corpus = corpus
        self.env = dict(os.environ, LZS_CLUSTER_DIR=self.dir, LZS_CLUSTER_PORT=str(self.base),
                        LZS_CLUSTER_REPLICAS=str(replicas),
                        LZS_CLUSTER_INTERVAL=str(INTERVAL),
                        LZS_CLUSTER_MAX_AGE=str(max_age), LZS_INDEXER=a.indexer,
                        LZS_SEARCHD=a.searchd)
        self.env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        self.env.setdefault("LSAN_OPTIONS", "suppressions=" +
                            os.path.join(ROOT, "tests", "lsan.supp"))
        self.started = False

    def run(self, *cmd, timeout=300):
        res = subprocess.run([SCRIPT, *cmd], env=self.env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, timeout=timeout)
        if res.returncode != 0:
            fail("cluster.sh %s failed (%d):\n%s\n%s\n%s" % (" ".join(cmd), res.returncode,
                                                           res.stdout, res.stderr,
                                                           self.logs()))
        return res.stdout

    def start(self):
        self.started = True
        self.run("start")

    def stop(self):
        if self.started:
            subprocess.run([SCRIPT, "stop"], env=self.env, timeout=120)
            self.started = False

    def cleanup(self, ok):
        self.stop()
        if ok:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            print("cluster left in %s" % self.dir, file=sys.stderr)

    def check_sanitizers(self):
        """Fails when a program of the cluster reported a sanitizer error (ASan builds
        report leaks when a daemon exits, into its log)."""
        logdir = os.path.join(self.dir, "logs")
        for name in sorted(os.listdir(logdir)):
            with open(os.path.join(logdir, name), errors="replace") as f:
                text = f.read()
            for mark in SANITIZER_MARKS:
                if mark in text:
                    i = text.index(mark)
                    fail("%s reports %r:\n%s" % (name, mark, text[max(0, i - 200):i + 3000]))

    def logs(self):
        out = []
        logdir = os.path.join(self.dir, "logs")
        if os.path.isdir(logdir):
            for name in sorted(os.listdir(logdir)):
                with open(os.path.join(logdir, name), errors="replace") as f:
                    text = f.read()
                out.append("--- %s (last 3000 bytes)\n%s" % (name, text[-3000:]))
        return "\n".join(out)

    def replica_port(self, i):
        return self.base + 10 + i

    def revision(self):
        return int(self.run("revision").strip())

    def commit(self, name, text):
        """Adds a document to the primary's corpus and indexes it: the new revision."""
        with open(os.path.join(self.corpus, name), "w", encoding="utf-8") as f:
            f.write(text)
        self.run("index")
        return self.revision()

    def healthz(self, i):
        try:
            r = get(self.replica_port(i), "/healthz", timeout=5)
        except OSError:
            return None
        return r.json() if r.status == 200 else None

    def wait_revision(self, i, rev, bound):
        """Seconds until replica i serves revision >= rev; fails after bound seconds."""
        t0 = time.monotonic()
        while True:
            h = self.healthz(i)
            if h and h["revision"] >= rev:
                return time.monotonic() - t0
            if time.monotonic() - t0 > bound:
                fail("replica %d did not serve revision %d within %d s (healthz: %r)\n%s"
                     % (i, rev, bound, h, self.logs()))
            time.sleep(0.1)

    def front_get(self, path):
        return get(self.front, path)

    def wait_every_replica_answers(self, path, check, bound):
        """Asks haproxy path until each replica (X-Lzs-Replica) has given an answer that
        check() accepts; fails after bound seconds."""
        want = {"replica%d" % i for i in range(1, self.nrep + 1)}
        seen = set()
        t0 = time.monotonic()
        while seen != want:
            r = self.front_get(path)
            who = r.headers.get("x-lzs-replica")
            if r.status == 200 and who and check(r.json()):
                seen.add(who)
            if time.monotonic() - t0 > bound:
                fail("through haproxy, only %s answered %s as expected within %d s"
                     % (sorted(seen), path, bound))
            time.sleep(0.05)
        return time.monotonic() - t0


def main(test, **kw):
    """Runs test(cluster, args) on a new cluster; stops it in any case and removes its
    directory when the test passed (kept, and named, when it failed)."""
    a = args()
    c = Cluster(a, **kw)
    ok = False
    try:
        test(c, a)
        c.stop()
        c.check_sanitizers()
        ok = True
    finally:
        c.cleanup(ok)
    print("ok")
