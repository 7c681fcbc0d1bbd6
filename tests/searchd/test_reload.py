"""lzs-searchd follows the indexer without a restart and without a failed request.

    test_reload.py --searchd BIN --indexer BIN --corpus DIR

1. The daemon starts before any index exists: API routes answer 503 index_unavailable
   (JSON), /metrics still works.
2. The corpus is indexed: the next requests succeed.
3. While a client thread queries in a loop, the indexer commits twice (a new document,
   then a full rebuild): no request fails, and the new document is found.
4. SIGTERM: exit status 0, no sanitizer report."""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

NEW_WORD = "quokkabeacon"
NEW_DOC = """Information note on the {w} pilot

1. The Committee took note of the {w} pilot project on helplines for children.

2. The Committee invited all Parties to share information on the {w} pilot.
""".format(w=NEW_WORD)


def main():
    args = harness.parse_args("searchd", "indexer", "corpus")

    tmp = tempfile.mkdtemp(prefix="lzs-searchd-reload-")
    corpus = os.path.join(tmp, "corpus")
    index = os.path.join(tmp, "index")
    os.makedirs(corpus)
    for name in os.listdir(args.corpus):
        src = os.path.join(args.corpus, name)
        if os.path.isfile(src):
            shutil.copy(src, corpus)
    # no load shedding: the test counts the requests that fail while the index changes, and
    # a busy machine must not turn waiting in the queue into such failures
    daemon = harness.Daemon(args.searchd, index, extra=("--max-queue-ms", "0"))
    failures = []
    try:
        # 1. No index yet.
        r = daemon.request("/api/search?q=child")
        assert r.status == 503, (r.status, r.body)
        assert r.json()["error"]["code"] == "index_unavailable", r.body
        assert daemon.request("/healthz").status == 503
        assert daemon.request("/metrics").status == 200

        # 2. Indexed: served without a restart.
        harness.build_index(args.indexer, corpus, index)
        r = daemon.request("/api/search?q=child&size=1")
        assert r.status == 200, (r.status, r.body)
        assert r.json()["total"] > 0
        assert daemon.request("/api/search?q=" + NEW_WORD).json()["total"] == 0

        # 3. Commits while a client queries in a loop.
        stop = threading.Event()
        counts = {"requests": 0}

        def client():
            paths = ["/api/search?q=child&size=20", "/api/search?party=NO&facets=1",
                     "/api/search?q=" + NEW_WORD, "/api/search?q=recommendation&group=document",
                     "/healthz"]
            i = 0
            while not stop.is_set():
                path = paths[i % len(paths)]
                i += 1
                try:
                    r = daemon.request(path, timeout=30)
                    if r.status != 200:
                        failures.append("%s -> %d %s" % (path, r.status, r.body[:200]))
                    else:
                        r.json()
                except Exception as e:  # any transport or JSON error is a failure
                    failures.append("%s -> %r" % (path, e))
                counts["requests"] += 1

        threads = [threading.Thread(target=client) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        with open(os.path.join(corpus, "new_information_note.txt"), "w") as f:
            f.write(NEW_DOC)
        harness.build_index(args.indexer, corpus, index)
        time.sleep(0.5)
        harness.build_index(args.indexer, corpus, index, "--rebuild")
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join()
        print("%d requests during the commits, %d failed" % (counts["requests"], len(failures)))
        assert counts["requests"] > 10, counts
        assert not failures, "\n".join(failures[:20])

        r = daemon.request("/api/search?q=" + NEW_WORD)
        assert r.status == 200
        hits = r.json()["hits"]
        assert hits and all(NEW_WORD in h["passage"]["text"].lower() or
                            NEW_WORD in (h["doc"]["title"] or "").lower() for h in hits), hits
        m = daemon.request("/metrics").text()
        reopens = [l for l in m.splitlines() if l.startswith("lzs_index_reopens_total ")]
        assert reopens and float(reopens[0].split()[1]) >= 1, reopens
    finally:
        rc = daemon.stop()
        with open(daemon.log_path, errors="replace") as f:
            log = f.read()
        shutil.rmtree(tmp, ignore_errors=True)
    reports = [l for l in log.splitlines() if any(m in l for m in harness.SANITIZER_MARKS)]
    assert rc == 0 and not reports, "exit status %d after SIGTERM:\n%s" % (rc, log[-4000:])
    print("ok")


if __name__ == "__main__":
    main()
