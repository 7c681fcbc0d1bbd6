#!/usr/bin/env python3
"""A replica started with an empty directory catches up by a full copy and then gives the
same answers as an lzs-searchd over the primary's own index. Then a forced full copy lands
under the running replica (its stub now names another directory and the old one is
removed): its lzs-searchd follows it, answering every request meanwhile, and serves the
commits replicated into the new copy afterwards.

(This part was once left out because the replica kept reporting revision 1 after the copy
and a commit: its lzs-searchd was right, the copy on disk was at revision 1. The replica's
xapian-replicate, killed with SIGKILL, stayed a zombie under a PID 1 that does not reap,
and cluster.sh's kill -0 took it for running, so start-replica never started it again.
cluster.sh now counts a zombie as gone.)"""

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

    # A full copy under the running replica: its stub names a new directory.
    stub = os.path.join(c.dir, "replica2", "index", "XAPIANDB")
    with open(stub) as f:
        before = f.read()
    # Replica 2's own xapian-replicate stopped, a forced copy of ours lands under its
    # running lzs-searchd, which is asked all along.
    c.run("kill-replicate", "2")
    failures = []
    asked = []
    stop = threading.Event()

    def load():
        while not stop.is_set():
            try:
                r = cluster.get(c.replica_port(2), "/api/search?q=child&facets=1")
                asked.append(r.status)
                if r.status != 200:
                    failures.append(r.status)
            except OSError as e:
                failures.append(repr(e))

    t = threading.Thread(target=load)
    t.start()
    try:
        res = subprocess.run(["xapian-replicate", "--host", "127.0.0.1", "--port",
                              str(c.base + 1), "--master", "index", "--one-shot",
                              "--force-copy", "--reader-time", "1",
                              os.path.join(c.dir, "replica2", "index")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             timeout=120)
        if res.returncode != 0:
            cluster.fail("forced copy failed: %s" % res.stdout)
        with open(stub) as f:
            after = f.read()
        if after == before:
            cluster.fail("the forced copy did not name a new directory in the stub: %r" % after)
        old = before.split()[-1]
        if os.path.exists(os.path.join(c.dir, "replica2", "index", old)):
            cluster.fail("the old copy %s is still there: the test proves nothing" % old)
        n = len(asked)
        # The load goes on until the replica has answered after the copy too.
        deadline = threading.Event()
        for _ in range(600):  # 60 s at most
            if len(asked) > n + 5:
                break
            deadline.wait(0.1)
        else:
            cluster.fail("replica 2 answered no request within 60 s of the forced copy")
        got = answers(c.replica_port(2))
        for q in QUERIES:
            if got[q] != want[q]:
                cluster.fail("after the forced copy replica 2 answers %r differently" % q)
        # Replication goes on into the new copy: a commit after it is served too, which
        # only an lzs-searchd that left the removed directory for the new one can see.
        rev2 = c.commit("902_fullcopy.txt", "Full copy check\n\nThe Committee notes plinvex.\n")
        c.run("start-replica", "2")
        took = c.wait_revision(2, rev2, cluster.VISIBLE_BOUND)
        print("after the forced copy, revision %d served in %.1f s" % (rev2, took))
        r = cluster.get(c.replica_port(2), "/api/search?q=plinvex")
        if r.status != 200 or r.json()["total"] != 1:
            cluster.fail("after the copy and a commit, plinvex: %d %r" % (r.status, r.body[:300]))
    finally:
        stop.set()
        t.join(60)
    if failures:
        cluster.fail("%d of %d requests failed during the full copy: %r"
                     % (len(failures), len(asked), failures[:5]))

if __name__ == "__main__":
    cluster.main(test)
