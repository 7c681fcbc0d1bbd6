#!/usr/bin/env python3
"""Under a steady load of searches through haproxy, replica 1 (its lzs-searchd and its
xapian-replicate) is killed with SIGKILL, a commit is made on the primary while it is down,
and it is started again: no request fails, the restarted replica catches up with the
commit, and it answers through haproxy again."""

import threading
import time

import cluster

QUERIES = ["child", "sexual abuse", "party:TR", "article:38", "year:2021", "recommendation",
           "level:require", "victims", "circle of trust", "type:decisions"]


def test(c, a):
    c.start()
    stop = threading.Event()
    failures = []
    served = {}
    lock = threading.Lock()

    def client(n):
        k = n
        while not stop.is_set():
            q = QUERIES[k % len(QUERIES)].replace(" ", "+").replace(":", "%3A")
            k += 1
            try:
                r = c.front_get("/api/search?facets=1&q=" + q)
                status = r.status
                who = r.headers.get("x-lzs-replica")
            except OSError as e:
                status, who = repr(e), None
            with lock:
                if status != 200:
                    failures.append((q, status))
                served[who] = served.get(who, 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    try:
        # Load on both replicas first: an event, not a time.
        deadline = time.monotonic() + 60
        while not (served.get("replica1") and served.get("replica2")):
            if time.monotonic() > deadline:
                cluster.fail("both replicas did not serve within 60 s: %r" % served)
            time.sleep(0.05)
        before = dict(served)
        c.run("kill-replica", "1")
        rev = c.commit("901_failover.txt", "Failover check\n\nThe Committee notes quorble.\n")
        # Replica 2 alone serves while replica 1 is down: wait for 200 of its answers.
        deadline = time.monotonic() + 120
        while served.get("replica2", 0) < before.get("replica2", 0) + 200:
            if time.monotonic() > deadline:
                cluster.fail("replica 2 served too little while 1 was down: %r" % served)
            time.sleep(0.05)
        c.run("start-replica", "1")
        took = c.wait_revision(1, rev, cluster.VISIBLE_BOUND + 60)
        print("restarted replica caught up in %.1f s" % took)
        back = served.get("replica1", 0)
        deadline = time.monotonic() + 60
        while served.get("replica1", 0) < back + 20:
            if time.monotonic() > deadline:
                cluster.fail("haproxy did not send requests to replica 1 again: %r" % served)
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    total = sum(served.values())
    print("%d requests, served by %r, %d failed" % (total, served, len(failures)))
    if failures:
        cluster.fail("%d of %d requests failed, e.g. %r" % (len(failures), total, failures[:5]))
    c.wait_every_replica_answers("/api/search?q=quorble", lambda v: v["total"] >= 1, 30)


if __name__ == "__main__":
    cluster.main(test)
