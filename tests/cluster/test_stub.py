#!/usr/bin/env python3
"""One search over several indexes: the shipped corpus indexed as three shards (its
documents split between three corpus folders) and a Xapian stub file naming them, served
by one lzs-searchd, against one index of the same documents. For a fixed set of 24
queries with filters, facets, sorts and grouping: the same totals, the same facet counts
and the same top 10 (the same scores in the same order, Xapian's statistics being those of
all the shards together; hits of equal score may come in another order, since a shard's
documents get other document numbers). /api/doc and /api/similar answer for a document of
each shard. The same with the shards given as repeated --index options (the first named
with NAME=PATH). The collection facet names the shard of each passage (one value over one
index), the collection filter keeps a shard's passages (in the search, the export, whose
CSV names it in its collection column, and the comparison), every hit names its shard, and
/healthz gives each shard's revision. The same again with the second shard served by
xapian-tcpsrv on loopback and named by the stub as "remote HOST:PORT": search, totals,
facets and the top 10 as over one index; its revision is null and the collection filter
is refused there with a 400 saying why, by the search, the export and the comparison. A shard of another schema version given second, or
named second by a stub, is refused, naming it, and so are a document in two indexes and
two indexes of one name."""

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

import cluster

QUERIES = [
    "q=child", "q=child&facets=1", "q=recommendation&facets=1", "q=victims&facets=1",
    "q=&facets=1", "q=%22circle+of+trust%22", "q=abus*", "q=protection&type=decisions",
    "party=TR&facets=1", "article=38&facets=1", "year=2021&facets=1", "year=2015..2019",
    "level=require&facets=1", "level=request&facets=1", "q=abuse&sort=newest",
    "q=abuse&sort=oldest", "q=child&group=document&facets=1", "q=sexual+exploitation",
    "q=NGO+OR+civil+society", "q=child+-online", "q=awareness&facets=1",
    "q=data+collection", "addressee=all&facets=1", "q=training&article=5&facets=1",
]


def start(a, index, port, tmp, ready=200):
    """lzs-searchd over index (a path or a list of them), once /healthz answers ready."""
    indexes = [index] if isinstance(index, str) else index
    log = open(os.path.join(tmp, "searchd-%d.log" % port), "w")
    p = subprocess.Popen([a.searchd, *[x for i in indexes for x in ("--index", i)],
                          "--listen", "127.0.0.1:%d" % port,
                          "--threads", "1", "--data",
                          os.path.join(cluster.ROOT, "corpus", "data")],
                         stdout=log, stderr=log, env=cluster_env())
    for _ in range(600):  # 60 s at most
        try:
            if cluster.get(port, "/healthz", timeout=2).status == ready:
                return p
        except OSError:
            pass
        if p.poll() is not None:
            break
        time.sleep(0.1)
    p.kill()
    cluster.fail("lzs-searchd over %s did not start (see %s)" % (index, log.name))


def cluster_env():
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env.setdefault("LSAN_OPTIONS", "suppressions=" +
                   os.path.join(cluster.ROOT, "tests", "lsan.supp"))
    return env


def index(a, corpus, out):
    res = subprocess.run([a.indexer, "--quiet", "--data",
                          os.path.join(cluster.ROOT, "corpus", "data"), "--index", out, corpus],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         timeout=600, env=cluster_env())
    if res.returncode != 0:
        cluster.fail("lzs-index %s failed: %s" % (corpus, res.stderr))


def get_json(port, path):
    r = cluster.get(port, path)
    if r.status != 200:
        cluster.fail("%s on %d: %d %r" % (path, port, r.status, r.body[:300]))
    return r.json()


def same_top(q, mine, want):
    """Same scores in the same order; the same hits above the lowest score shown."""
    ms = [round(h["score"], 9) for h in mine]
    ws = [round(h["score"], 9) for h in want]
    if ms != ws:
        cluster.fail("%s: top scores differ:\n%r\n%r" % (q, ms, ws))
    if not ms:
        return
    last = ms[-1]
    above_m = {h["id"] for h in mine if round(h["score"], 9) > last}
    above_w = {h["id"] for h in want if round(h["score"], 9) > last}
    if above_m != above_w:
        cluster.fail("%s: top hits differ: %r vs %r" % (q, sorted(above_m), sorted(above_w)))
    if len(set(ms)) == 1 and ms[0] == 0:
        # Browsing (no weights): order by document number, which shards change.
        return
    for i, (m, w) in enumerate(zip(mine, want)):
        if round(m["score"], 9) > last and ms.count(ms[i]) == 1 and m["id"] != w["id"]:
            cluster.fail("%s: hit %d is %s, one index says %s" % (q, i, m["id"], w["id"]))


def refused(a, tmp, index, port, want, what):
    """lzs-searchd over index answers 503 index_unavailable and logs want."""
    p = start(a, index, port, tmp, ready=503)
    try:
        r = cluster.get(port, "/api/search?q=child")
        if r.status != 503 or r.json()["error"]["code"] != "index_unavailable":
            cluster.fail("%s: /api/search answered %d %r" % (what, r.status, r.body))
        if cluster.get(port, "/healthz").status != 503:
            cluster.fail("%s: /healthz is not 503" % what)
    finally:
        p.terminate()
        p.wait(60)
    with open(os.path.join(tmp, "searchd-%d.log" % port), errors="replace") as f:
        log = f.read()
    if want not in log:
        cluster.fail("%s: the log does not say %r:\n%s" % (what, want, log[-2000:]))
    os.unlink(os.path.join(tmp, "searchd-%d.log" % port))  # its 503s are expected


def check_schema_each(a, tmp, shards, port):
    """A shard of another schema version, given second or named second by a stub, is
    refused naming it: Xapian's metadata calls would only have read the first. Two indexes
    holding the same document are refused, naming it and both; so are two of one name."""
    old = os.path.join(tmp, "oldschema")
    shutil.copytree(os.path.join(tmp, shards[1][1]), old)
    res = subprocess.run(["xapian-metadata", "set", old, "lzs:schema", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if res.returncode != 0:
        cluster.fail("xapian-metadata set failed: %s" % res.stdout)
    want = "the index at %s has schema version 1" % old
    refused(a, tmp, [os.path.join(tmp, shards[0][1]), old], port, want, "--index of schema 1")
    stub = os.path.join(tmp, "old.stub")
    with open(stub, "w") as f:
        f.write("auto %s\nauto oldschema\n" % shards[0][1])
    refused(a, tmp, stub, port, want, "a stub naming an index of schema 1")
    # Two directories called shard0: the collection names would not tell them apart.
    other = os.path.join(tmp, "other", shards[0][1])
    shutil.copytree(os.path.join(tmp, shards[1][1]), other)
    refused(a, tmp, [os.path.join(tmp, shards[0][1]), other], port,
            "two indexes are both called '%s'" % shards[0][1], "two indexes of one name")
    # A document in two indexes (a shard and the whole corpus) is refused, naming both.
    p = start(a, [os.path.join(tmp, shards[0][1]), os.path.join(tmp, "one")], port, tmp,
              ready=503)
    try:
        r = cluster.get(port, "/api/search?q=child")
        if r.status != 503:
            cluster.fail("a document in two indexes: /api/search answered %d" % r.status)
    finally:
        p.terminate()
        p.wait(60)
    with open(os.path.join(tmp, "searchd-%d.log" % port), errors="replace") as f:
        log = f.read()
    want = "is in two of the indexes, %s and %s" % (os.path.join(tmp, shards[0][1]),
                                                    os.path.join(tmp, "one"))
    if want not in log:
        cluster.fail("the log does not name the duplicate document:\n" + log[-2000:])
    os.unlink(os.path.join(tmp, "searchd-%d.log" % port))


def check_collections(port, q, mine, mcoll, wcoll, names):
    """The collection facet: one value over one index, the shards' names over the shards,
    counting every matching passage; each shard's filter keeps its passages, named in each
    hit."""
    if "facets=1" not in q or any(":" in n for n in names):
        return  # over a remote shard, check_remote
    if mine["total"] == 0:
        if mcoll != [] or wcoll != []:
            cluster.fail("%s: no match, yet collections %r and %r" % (q, mcoll, wcoll))
        return
    if wcoll is None or len(wcoll) != 1 or wcoll[0]["value"] != "one":
        cluster.fail("%s: the collection facet over one index: %r" % (q, wcoll))
    if mcoll is None or not {v["value"] for v in mcoll} <= set(names):
        cluster.fail("%s: the collection facet over the shards: %r" % (q, mcoll))
    plain = "&".join(p for p in q.split("&") if p != "group=document")
    passages = get_json(port, "/api/search?size=0&" + plain)
    if sum(v["count"] for v in mcoll) != passages["total"]:
        cluster.fail("%s: the collection facet counts %r, the passages are %d"
                     % (q, mcoll, passages["total"]))
    for v in mcoll:
        only = get_json(port, "/api/search?size=100&collection=%s&%s"
                        % (urllib.parse.quote(v["value"]), plain))
        if only["total"] != v["count"]:
            cluster.fail("%s: collection=%s finds %d, the facet said %d"
                         % (q, v["value"], only["total"], v["count"]))
        if any(h["collection"] != v["value"] for h in only["hits"]):
            cluster.fail("%s: collection=%s has hits of %r" % (
                q, v["value"], sorted({h["collection"] for h in only["hits"]})))


def check_health_and_filter(port, names):
    """/healthz: each shard's revision, by name; an unknown collection is a 400 naming it;
    collections OR-ed."""
    h = get_json(port, "/healthz")
    got = [(r["collection"], type(r["revision"])) for r in h["revisions"]]
    if got != [(n, int) for n in names] or h["revision"] != h["revisions"][0]["revision"]:
        cluster.fail("/healthz over the shards: %r" % h)
    r = cluster.get(port, "/api/search?q=child&collection=nosuchshard")
    if r.status != 400 or r.json()["error"]["param"] != "collection" \
            or "nosuchshard" not in r.json()["error"]["message"]:
        cluster.fail("an unknown collection: %d %r" % (r.status, r.body))
    # The rendered page offers the collections as a facet, each a link filtering by it.
    page = cluster.get(port, "/?q=child").body
    page = page.decode("utf-8") if isinstance(page, bytes) else page
    if 'data-facet="collection"' not in page or ">Collection<" not in page or \
            any("collection=" + urllib.parse.quote(n, safe="") not in page for n in names):
        cluster.fail("the page over several indexes has no Collection facet linking %r" % names)
    every = get_json(port, "/api/search?q=child&size=0")["total"]
    both = get_json(port, "/api/search?q=child&size=0&" +
                    "&".join("collection=" + n for n in names))["total"]
    if both != every:
        cluster.fail("every collection named: %d, none named: %d" % (both, every))
    check_other_routes(port, names)


def check_other_routes(port, names):
    """The export and the comparison honour collection= as the search does: each shard's
    export has that shard's passages only, as many as its search finds, and the shards'
    comparisons read together the passages of the comparison over all."""
    compare = "/api/compare?party=NO&party=TR&q=child"
    every = get_json(port, compare)["passages"]
    parts = 0
    for n in names:
        c = "&collection=" + urllib.parse.quote(n, safe="")
        want = get_json(port, "/api/search?q=child&size=0" + c)["total"]
        rows = get_json(port, "/api/export?format=json&q=child" + c)
        if len(rows) != want or any(h["collection"] != n for h in rows):
            cluster.fail("export collection=%s: %d rows of %r, the search finds %d" % (
                n, len(rows), sorted({h["collection"] for h in rows}), want))
        r = cluster.get(port, "/api/export?format=csv&q=child" + c)
        table = list(csv.DictReader(io.StringIO(r.body.decode("utf-8"), newline="")))
        if r.status != 200 or len(table) != want or {t["collection"] for t in table} != {n}:
            cluster.fail("CSV export collection=%s: %d, %d rows of %r, the search finds %d" % (
                n, r.status, len(table), sorted({t.get("collection") for t in table}), want))
        parts += get_json(port, compare + c)["passages"]
    if every == 0 or parts != every:
        cluster.fail("the comparison reads %d passages over all, %d shard by shard"
                     % (every, parts))


def tcpsrv(db, port, tmp):
    """xapian-tcpsrv serving db on 127.0.0.1:port, once it accepts connections."""
    if not shutil.which("xapian-tcpsrv"):
        cluster.fail("xapian-tcpsrv is missing: install xapian-tools "
                     "(scripts/install-deps.sh --test)")
    log = open(os.path.join(tmp, "tcpsrv-%d.log" % port), "w")
    # A session of its own: Xapian's TcpServer answers SIGTERM by signalling its whole
    # process group, which would otherwise be this test's.
    p = subprocess.Popen(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port),
                          db], stdout=log, stderr=log, start_new_session=True)
    for _ in range(300):  # 30 s at most
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return p
        except OSError:
            pass
        if p.poll() is not None:
            break
        time.sleep(0.1)
    p.kill()
    cluster.fail("xapian-tcpsrv on %d did not start (see %s)" % (port, log.name))


def check_remote(port, names):
    """Over a stub naming a remote shard: the collection facet counts every passage of each
    shard, the remote one's revision is null, and the collection filter is a 400 naming the
    remote index (xapian-tcpsrv runs no filter of this program)."""
    v = get_json(port, "/api/search?q=child&size=0")
    if sorted(x["value"] for x in v["facets"]["collection"]) != sorted(names) or \
            sum(x["count"] for x in v["facets"]["collection"]) != v["total"]:
        cluster.fail("the collection facet over a remote shard: %r" % v["facets"]["collection"])
    h = get_json(port, "/healthz")
    if [r["collection"] for r in h["revisions"]] != names or h["revisions"][1]["revision"] \
            is not None or not isinstance(h["revisions"][0]["revision"], int):
        cluster.fail("/healthz over a remote shard: %r" % h)
    for route in ("/api/search?q=child", "/api/export?q=child",
                  "/api/compare?party=NO&party=TR&q=child"):
        r = cluster.get(port, route + "&collection=" + names[0])
        if r.status != 400 or r.json()["error"]["param"] != "collection" \
                or names[1] not in r.json()["error"]["message"]:
            cluster.fail("the collection filter over a remote shard, %s: %d %r"
                         % (route, r.status, r.body))


def main():
    a = cluster.args()
    tmp = tempfile.mkdtemp(prefix="lzs-stub-")
    procs = []
    ok = False
    try:
        docs = sorted(n for n in os.listdir(a.corpus)
                      if os.path.isfile(os.path.join(a.corpus, n)))
        stems = sorted({n.split(".")[0] for n in docs})
        if len(stems) < 3:
            cluster.fail("the corpus has %d documents: 3 shards need 3" % len(stems))
        shards = []
        for k in range(3):
            d = os.path.join(tmp, "corpus%d" % k)
            os.makedirs(d)
            for n in docs:
                if stems.index(n.split(".")[0]) % 3 == k:
                    shutil.copy(os.path.join(a.corpus, n), d)
            index(a, d, os.path.join(tmp, "shard%d" % k))
            shards.append((d, "shard%d" % k))
        index(a, a.corpus, os.path.join(tmp, "one"))
        stub = os.path.join(tmp, "all.stub")
        with open(stub, "w") as f:
            f.write("".join("auto %s\n" % s for _, s in shards))
        base = cluster.free_base_port(6)
        procs.append(start(a, stub, base, tmp))
        procs.append(start(a, os.path.join(tmp, "one"), base + 1, tmp))
        procs.append(start(a, ["first=" + os.path.join(tmp, shards[0][1])] +
                           [os.path.join(tmp, s) for _, s in shards[1:]], base + 2, tmp))
        names = {base: [s for _, s in shards], base + 2: ["first"] + [s for _, s in shards[1:]]}
        # The second shard served by xapian-tcpsrv, named by a stub as a remote database.
        procs.append(tcpsrv(os.path.join(tmp, shards[1][1]), base + 4, tmp))
        remote = os.path.join(tmp, "remote.stub")
        with open(remote, "w") as f:
            f.write("auto %s\nremote 127.0.0.1:%d\nauto %s\n"
                    % (shards[0][1], base + 4, shards[2][1]))
        procs.append(start(a, remote, base + 5, tmp))
        names[base + 5] = [shards[0][1], "127.0.0.1:%d" % (base + 4), shards[2][1]]
        for q, port in [(q, p) for q in QUERIES for p in (base, base + 2, base + 5)]:
            mine = get_json(port, "/api/search?" + q)
            want = get_json(base + 1, "/api/search?" + q)
            if mine["total"] != want["total"]:
                cluster.fail("%s: total %d over the shards, %d over one index"
                             % (q, mine["total"], want["total"]))
            mcoll = mine.get("facets", {}).pop("collection", None)
            wcoll = want.get("facets", {}).pop("collection", None)
            if mine.get("facets") != want.get("facets"):
                cluster.fail("%s: facets differ:\n%s\n%s" % (q, json.dumps(mine.get("facets")),
                                                             json.dumps(want.get("facets"))))
            same_top(q, mine["hits"], want["hits"])
            check_collections(port, q, mine, mcoll, wcoll, names[port])
        # Every document (each lives in one shard) and passages like its first one.
        seen = set()
        for h in get_json(base + 1, "/api/search?size=100&q=&group=document")["hits"]:
            doc_id = h["doc"]["id"]
            mine = get_json(base, "/api/doc/" + urllib.parse.quote(doc_id, safe=""))
            want = get_json(base + 1, "/api/doc/" + urllib.parse.quote(doc_id, safe=""))
            if mine["doc"] != want["doc"] or mine["passages"] != want["passages"]:
                cluster.fail("/api/doc/%s differs over the shards" % doc_id)
            pid = want["passages"][0]["id"]
            sim = get_json(base, "/api/similar/" + urllib.parse.quote(pid, safe=""))
            if not sim["hits"]:
                cluster.fail("/api/similar/%s over the shards: no hits" % pid)
            seen.add(doc_id)
        if len(seen) < 3:
            cluster.fail("only %d documents checked" % len(seen))
        check_health_and_filter(base, names[base])
        check_health_and_filter(base + 2, names[base + 2])
        check_remote(base + 5, names[base + 5])
        check_schema_each(a, tmp, shards, base + 3)
        for p in procs:
            p.terminate()
            p.wait(60)
        for name in os.listdir(tmp):
            if name.endswith(".log"):
                with open(os.path.join(tmp, name), errors="replace") as f:
                    text = f.read()
                for mark in cluster.SANITIZER_MARKS:
                    if mark in text:
                        cluster.fail("%s reports %r:\n%s" % (name, mark, text[-3000:]))
        ok = True
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait(60)
        if ok:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("left in %s" % tmp, file=sys.stderr)
    print("ok: %d queries, %d documents" % (len(QUERIES), len(seen)))


if __name__ == "__main__":
    main()
