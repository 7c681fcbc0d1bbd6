#!/usr/bin/env python3
"""A commit on the primary is served through haproxy by every replica within
cluster.VISIBLE_BOUND seconds (xapian-replicate polls every cluster.INTERVAL s): a new
document's word, absent before, is found through haproxy on each replica; /healthz and
/metrics of each replica report the new revision and how long ago it was committed.
lzs-index --changesets keeps the changeset that shipped the commit; a bad value is a usage
error. lzs-searchd --max-age answers /healthz 503 stale once the revision is older."""

import os
import subprocess
import time

import cluster


def test(c, a):
    c.start()
    rev0 = c.revision()
    word = "zorblaxquint"
    c.wait_every_replica_answers("/api/search?q=" + word, lambda v: v["total"] == 0, 30)
    t_commit = time.time()
    rev1 = c.commit("900_replication.txt",
                    "Replication check\n\nThe Committee notes the %s procedure.\n" % word)
    if rev1 <= rev0:
        cluster.fail("the commit did not make a new revision (%d, then %d)" % (rev0, rev1))
    changes = [n for n in os.listdir(os.path.join(c.dir, "primary", "index"))
               if n.startswith("changes")]
    if not changes:
        cluster.fail("lzs-index --changesets kept no changeset in the primary's index")
    took = c.wait_every_replica_answers("/api/search?q=" + word, lambda v: v["total"] >= 1,
                                        cluster.VISIBLE_BOUND)
    print("commit visible on every replica through haproxy after %.1f s" % took)
    for i in range(1, c.nrep + 1):
        h = c.healthz(i)
        if not h or h["revision"] < rev1:
            cluster.fail("replica %d healthz after the commit: %r" % (i, h))
        if h["committed"] is None or h["committed"] < int(t_commit) - 1:
            cluster.fail("replica %d: committed %r, the commit was at %d" %
                         (i, h["committed"], t_commit))
        if h["age"] is None or not 0 <= h["age"] <= time.time() - t_commit + 2:
            cluster.fail("replica %d: age %r" % (i, h["age"]))
        m = cluster.get(c.replica_port(i), "/metrics").body.decode()
        samples = dict(l.rsplit(" ", 1) for l in m.splitlines() if l and l[0] != "#")
        if int(samples["lzs_index_revision"]) < rev1:
            cluster.fail("replica %d /metrics revision %s" % (i, samples["lzs_index_revision"]))
        if int(samples["lzs_index_committed_timestamp_seconds"]) != h["committed"]:
            cluster.fail("replica %d /metrics committed %s, /healthz %r" %
                         (i, samples["lzs_index_committed_timestamp_seconds"], h["committed"]))

    check_max_age(c, a, h["committed"])
    res = subprocess.run([a.indexer, "--changesets", "many", "--index",
                          os.path.join(c.dir, "x"), c.corpus], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=60)
    if res.returncode != 2 or "--changesets" not in res.stderr:
        cluster.fail("--changesets many: status %d, %r" % (res.returncode, res.stderr))


def check_max_age(c, a, committed):
    """A daemon over replica 1 with --max-age 1 turns stale (503) once the revision is over
    a second old; with --max-age 3600 it stays healthy."""
    port = c.base + 9
    index = os.path.join(c.dir, "replica1", "index")
    for max_age, want in [(1, 503), (3600, 200)]:
        d = subprocess.Popen([a.searchd, "--index", index, "--listen", "127.0.0.1:%d" % port,
                              "--threads", "1", "--max-age", str(max_age), "--data",
                              os.path.join(cluster.ROOT, "corpus", "data")], env=c.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            t0 = time.monotonic()
            while True:
                try:
                    r = cluster.get(port, "/healthz", timeout=5)
                except OSError:
                    r = None
                age = time.time() - committed
                # The event: the daemon answers (and for the short bound, the revision is
                # older than it).
                if r is not None and (want == 200 or age > max_age + 2):
                    break
                if time.monotonic() - t0 > 60:
                    cluster.fail("lzs-searchd --max-age %d never answered" % max_age)
                time.sleep(0.1)
            if r.status != want:
                cluster.fail("--max-age %d, revision %d s old: /healthz %d %r"
                             % (max_age, age, r.status, r.body[:300]))
            if want == 503 and r.json()["error"]["code"] != "stale":
                cluster.fail("--max-age: %r" % r.body)
        finally:
            d.terminate()
            d.wait(60)


if __name__ == "__main__":
    cluster.main(test)
