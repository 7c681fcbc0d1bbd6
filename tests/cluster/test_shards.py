#!/usr/bin/env python3
"""lzs-index --shards 2: the shipped corpus indexed as two shards (INDEX/shards, a stub
naming one generation of them) against one index of the same documents, both served by
lzs-searchd. For test_stub's 24 queries: the same totals, facet counts (the collection
facet apart: it names the shards) and top 10. Then an incremental run (a file removed, a
file changed, then the file added back) is reflected over the shards as over one index,
and the unchanged files are not extracted again. Then the update run is killed with
SIGKILL at points spread over it (liblzs-killpoint, by event number, the shard step and
the publication of the stub included): every time the stub serves one whole generation,
the one before or the new one, and the next run publishes the new one and leaves no other
generation. Finally another number of shards is refused (exit 1) without --rebuild."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import cluster
import test_stub
from test_stub import QUERIES, get_json, same_top, start

DATA = os.path.join(cluster.ROOT, "corpus", "data")


def run_index(a, corpus, out, *extra, env=None, check=True):
    res = subprocess.run([a.indexer, "--data", DATA, "--index", out, *extra, corpus],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         timeout=600, env=env or test_stub.cluster_env())
    if check and res.returncode != 0:
        cluster.fail("lzs-index %s %s failed (%d): %s" % (out, extra, res.returncode, res.stderr))
    return res


def preload(a):
    """The kill point library, after the sanitizer runtime the indexer was linked with (ASan
    must come first in the process), as tests/fault/killpoint.sh does."""
    ldd = subprocess.run(["ldd", a.indexer], stdout=subprocess.PIPE, text=True).stdout
    rt = [l.split()[2] for l in ldd.splitlines()
          if l.split() and l.split()[0].startswith(("libasan.so", "libtsan.so"))]
    return " ".join(rt[:1] + [a.killpoint])


def answers(port):
    out = {}
    for q in QUERIES:
        r = get_json(port, "/api/search?" + q)
        r.get("facets", {}).pop("collection", None)
        out[q] = r
    return out


def compare(mine, want, what):
    for q in QUERIES:
        m, w = mine[q], want[q]
        if m["total"] != w["total"]:
            cluster.fail("%s: %s: total %d over the shards, %d over one index"
                         % (what, q, m["total"], w["total"]))
        if m.get("facets") != w.get("facets"):
            cluster.fail("%s: %s: facets differ:\n%s\n%s" % (what, q, json.dumps(m.get("facets")),
                                                             json.dumps(w.get("facets"))))
        same_top(q, m["hits"], w["hits"])


def served(a, index, tmp, port):
    """The answers of a new lzs-searchd over index (stopped after)."""
    p = start(a, index, port, tmp)
    try:
        return answers(port)
    finally:
        p.kill()
        p.wait()


def totals(ans):
    return {q: (r["total"], json.dumps(r.get("facets"), sort_keys=True)) for q, r in ans.items()}


def generations(idx):
    return sorted(n for n in os.listdir(os.path.join(idx, "shards")) if n.startswith("gen-"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--searchd", required=True)
    p.add_argument("--indexer", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--killpoint", required=True)
    a = p.parse_args()
    if not os.path.exists(a.killpoint):
        cluster.fail("the kill point library %s is missing: build lzs-killpoint" % a.killpoint)
    tmp = tempfile.mkdtemp(prefix="lzs-shards-")
    ok = False
    try:
        corpus = os.path.join(tmp, "corpus")
        shutil.copytree(a.corpus, corpus)
        one, sh = os.path.join(tmp, "one"), os.path.join(tmp, "sh")
        run_index(a, corpus, one, "--quiet")
        run_index(a, corpus, sh, "--quiet", "--shards", "2")
        stub = os.path.join(sh, "shards")
        base = cluster.free_base_port(4)
        compare(served(a, stub, tmp, base), served(a, one, tmp, base + 1), "clean build")

        # Incremental: one file removed, one changed; then the removed one added back.
        docs = sorted(n for n in os.listdir(corpus) if n.endswith(".txt"))
        if len(docs) < 3:
            cluster.fail("the corpus has %d .txt documents: the test needs 3" % len(docs))
        gone, changed = docs[0], docs[1]
        shutil.move(os.path.join(corpus, gone), os.path.join(tmp, gone))
        with open(os.path.join(corpus, changed), "a") as f:
            f.write("\n\nThe Committee notes the word zyxquartz in this paragraph.\n")
        run_index(a, corpus, one, "--quiet")
        res = run_index(a, corpus, sh, "--json", "--shards", "2")
        files = json.loads(res.stdout)["files"]
        if files["removed"] != 1 or files["changed"] != 1 or files["added"] != 0:
            cluster.fail("incremental run over the shards: %r" % files)
        step = served(a, stub, tmp, base)
        compare(step, served(a, one, tmp, base + 1), "a file removed and one changed")
        if step["q=child"]["total"] == 0 or get_json_total(a, stub, tmp, base, "q=zyxquartz") == 0:
            cluster.fail("the changed file's new word is not found over the shards")
        before = totals(step)
        shutil.move(os.path.join(tmp, gone), os.path.join(corpus, gone))
        run_index(a, corpus, one, "--quiet")
        # Counted on a copy: the number of file-changing calls of the update run.
        counted = os.path.join(tmp, "counted")
        shutil.copytree(sh, counted)
        env = test_stub.cluster_env()
        env.update(LD_PRELOAD=preload(a), LZS_KILLPOINT_COUNT=os.path.join(tmp, "count"))
        run_index(a, corpus, counted, "--quiet", env=env)
        events = int(open(os.path.join(tmp, "count")).read())
        if events < 10:
            cluster.fail("the update run made %d file-changing calls" % events)
        after_one = served(a, one, tmp, base + 1)
        after = totals(after_one)
        if after == before:
            cluster.fail("adding the file back changed no answer: the kill checks would prove "
                         "nothing")
        # Points spread over the run, and the last few (the stub's write, fsync, rename).
        points = sorted({events * k // 8 for k in range(1, 8)} | {events - 1, events - 2,
                                                                   events - 3})
        for n in points:
            killed = os.path.join(tmp, "killed")
            shutil.rmtree(killed, ignore_errors=True)
            shutil.copytree(sh, killed)
            env = test_stub.cluster_env()
            env.update(LD_PRELOAD=preload(a), LZS_KILLPOINT_AT=str(n))
            res = run_index(a, corpus, killed, "--quiet", env=env, check=False)
            if res.returncode != -9:
                cluster.fail("the run to be killed at event %d of %d ended with %d: %s"
                             % (n, events, res.returncode, res.stderr))
            got = totals(served(a, os.path.join(killed, "shards"), tmp, base))
            if got != before and got != after:
                cluster.fail("killed at event %d of %d: the shards serve neither the previous "
                             "generation nor the new one" % (n, events))
            run_index(a, corpus, killed, "--quiet")
            final = served(a, os.path.join(killed, "shards"), tmp, base)
            compare(final, after_one, "the run after a kill at event %d" % n)
            if len(generations(killed)) != 1:
                cluster.fail("after a kill at %d and a run: generations %r"
                             % (n, generations(killed)))
        res = run_index(a, corpus, sh, "--quiet", "--shards", "3", check=False)
        if res.returncode != 1 or "has 2 shards" not in res.stderr:
            cluster.fail("--shards 3 over 2 shards: exit %d, %r" % (res.returncode, res.stderr))
        print("ok: %d queries; %d kill points of %d events" % (len(QUERIES), len(points), events))
        ok = True
    finally:
        if ok:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept %s" % tmp, file=sys.stderr)


def get_json_total(a, index, tmp, port, q):
    p = start(a, index, port, tmp)
    try:
        return get_json(port, "/api/search?" + q)["total"]
    finally:
        p.kill()
        p.wait()


if __name__ == "__main__":
    main()
