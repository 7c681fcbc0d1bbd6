"""Precedents and impact through the HTTP API: cites and cited_by of /api/doc, the follow-up
of a recommendation, the cites= and instrument= filters and facets, and the Atom feed of
/api/feed read by a real feed parser (Debian's python3-feedparser) and checked well-formed
by xmllint.

    test_cites.py --searchd BIN --indexer BIN --data DIR --doc docs/api.md

The index holds tests/data/cites (see tests/test_cites.c for the chain of documents)."""

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BASE = "https://lanza.example/search"


def need_feedparser():
    """feedparser, from the interpreter's packages or Debian's python3-feedparser (pure
    Python: /usr/lib/python3/dist-packages works for any Python 3 on the machine)."""
    try:
        import feedparser  # noqa: F401
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import feedparser
    except ImportError:
        raise SystemExit("FAIL: python3-feedparser is not installed "
                         "(scripts/install-deps.sh --test installs it)")
    if shutil.which("xmllint") is None:
        raise SystemExit("FAIL: xmllint is not installed: libxml2-utils "
                         "(scripts/install-deps.sh --test installs it)")
    return feedparser



def q(path, **params):
    items = []
    for k, v in params.items():
        for x in (v if isinstance(v, list) else [v]):
            items.append((k, x))
    return path + ("?" + urllib.parse.urlencode(items) if items else "")


def doc(daemon, id_):
    r = daemon.request("/api/doc/" + urllib.parse.quote(id_, safe=""))
    harness.check(r.status == 200, "doc %s: %d %s" % (id_, r.status, r.body[:200]))
    return r.json()


def test_doc(daemon):
    d = doc(daemon, "T-ES(2018)12")
    cb = d["cited_by"]
    ids = [x["id"] for x in cb["documents"]]
    harness.check(ids == ["T-ES(2023)07", "T-ES(2022)02", "T-ES(2019)05"], ids)
    harness.check(cb["total"] == 3 and cb["limit"] == 100, cb)
    first = cb["documents"][0]
    harness.check(first["title"].startswith("Thematic factsheet") and first["date"] == "2023-10-05",
          first)
    harness.check(all(p["id"].startswith("T-ES(2023)07:") for p in first["passages"]), first)
    cites = d["cites"]["documents"]
    harness.check([c["id"] for c in cites] == ["T-ES(2015)04"] and cites[0]["in_collection"], cites)
    recs = {p["rec_key"]: p for p in d["passages"] if p.get("rec_key")}
    fu = [e["doc"]["id"] for e in recs["1st-round:I-6"]["followed_up_by"]]
    harness.check(fu == ["T-ES(2019)05", "T-ES(2021)18_fr", "T-ES(2021)18_fr", "T-ES(2022)02",
                 "T-ES(2023)07"], fu)
    dates = [e["doc"]["date"] for e in recs["1st-round:I-6"]["followed_up_by"]]
    harness.check(dates == sorted(dates), dates)

    d = doc(daemon, "T-ES(2023)07")
    c = d["cites"]
    outside = [x["id"] for x in c["documents"] if not x["in_collection"]]
    harness.check(outside == ["T-ES(2021)31"], c)
    harness.check([a["id"] for a in c["ambiguous"]] == ["V-17"], c)
    harness.check([r["key"] for r in c["recommendations"]] == ["T-ES(2018)12:I-6"], c)
    harness.check(d["cited_by"] == {"total": 0, "limit": 100, "documents": []}, d["cited_by"])

    # opinions cited by title: one of the index as that document, one not listed by key
    d = doc(daemon, "T-ES(2020)14")
    c = d["cites"]
    harness.check([x["id"] for x in c["documents"]] == ["T-ES(2018)07", "T-ES(2015)04"], c)
    harness.check([(o["key"], o["kind"], o["year"], o["code"]) for o in c["opinions"]] ==
          [("ict-opinion", "opinion", 2017, None)], c)
    # the document view says so too: "Cites 3", the opinion outside linking to its citers
    r = daemon.request("/?doc=" + urllib.parse.quote("T-ES(2020)14", safe=""))
    page = r.body.decode("utf-8")
    harness.check(r.status == 200 and "Cites 3" in page, page[:300])
    harness.check('href="/?cites=ict-opinion"' in page and "2017; not in the collection" in page,
          "the view of T-ES(2020)14 does not list the ICT opinion cited by title")
    cb = [x["id"] for x in doc(daemon, "T-ES(2015)04")["cited_by"]["documents"]]
    harness.check(cb == ["T-ES(2021)18_fr", "T-ES(2020)14", "T-ES(2018)12"], cb)
    print("doc: cites, cited_by and follow-up as expected")


def test_search(daemon):
    r = daemon.request(q("/api/search", cites="T-ES(2018)12", group="document", sort="oldest"))
    harness.check(r.status == 200, r.body)
    ids = [h["doc"]["id"] for h in r.json()["hits"]]
    harness.check(ids == ["T-ES(2019)05", "T-ES(2022)02", "T-ES(2023)07"], ids)
    r = daemon.request(q("/api/search", cites=["T-ES(2015)04", "T-ES(2022)02"], group="document",
                         sort="oldest"))
    # T-ES(2015)04 also by the title of the opinion it is, in English and in French
    harness.check([h["doc"]["id"] for h in r.json()["hits"]] ==
          ["T-ES(2018)12", "T-ES(2020)14", "T-ES(2021)18_fr", "T-ES(2023)07"], r.body)
    r = daemon.request(q("/api/search", cites="ict-opinion", group="document"))
    harness.check([h["doc"]["id"] for h in r.json()["hits"]] == ["T-ES(2020)14"], r.body)
    r = daemon.request(q("/api/search", instrument="echr-art8", group="document", sort="oldest"))
    harness.check([h["doc"]["id"] for h in r.json()["hits"]] == ["T-ES(2015)04", "T-ES(2015)04_fr"],
          r.body)
    facets = daemon.request("/api/search").json()["facets"]
    # three passages cite each, the opinion once by code and twice by title; ties by value
    top = [(f["value"], f["count"]) for f in facets["cites"][:2]]
    harness.check(top == [("T-ES(2015)04", 3), ("T-ES(2018)12", 3)], top)
    inst = {f["value"]: f for f in facets["instrument"]}
    harness.check(inst["ecthr-ku-finland"]["count"] == 2, inst)
    harness.check(inst["echr"]["label"] == "European Convention on Human Rights", inst["echr"])
    for bad, param in ((q("/api/search", instrument="nosuch"), "instrument"),
                       (q("/api/search", cites="hello"), "cites")):
        r = daemon.request(bad)
        harness.check(r.status == 400, "%s: %d" % (bad, r.status))
        harness.check(r.json()["error"]["param"] == param, r.body)
    print("search: cites=, instrument= and both facets as expected")


def test_feed(daemon, feedparser, tmp):
    path = q("/api/feed", q="training", cites="T-ES(2018)12")
    r = daemon.request(path)
    harness.check(r.status == 200, "feed: %d %s" % (r.status, r.body[:300]))
    harness.check(r.headers.get("content-type", "").startswith("application/atom+xml"), r.headers)
    f = os.path.join(tmp, "feed.xml")
    with open(f, "wb") as out:
        out.write(r.body)
    lint = subprocess.run(["xmllint", "--noout", f], capture_output=True, text=True)
    harness.check(lint.returncode == 0, "xmllint: " + lint.stderr)
    feed = feedparser.parse(r.body)
    harness.check(not feed.bozo, "feedparser: %r" % feed.get("bozo_exception"))
    harness.check(feed.version == "atom10", feed.version)
    ids = [e.link for e in feed.entries]
    # the documents citing T-ES(2018)12 whose passages speak of training, newest first
    harness.check([urllib.parse.parse_qs(urllib.parse.urlparse(u).query)["doc"][0] for u in ids] ==
          ["T-ES(2023)07", "T-ES(2022)02"], ids)
    harness.check(all(u.startswith(BASE + "/?doc=") for u in ids), ids)
    harness.check(feed.entries[0].updated_parsed[:3] == (2023, 10, 5), feed.entries[0].updated)
    harness.check("T-ES(2018)12" in feed.entries[0].summary, feed.entries[0].summary)
    harness.check(feed.feed.links[0].href.startswith(BASE + "/api/feed?"), feed.feed.links)
    again = feedparser.parse(daemon.request(path).body)
    harness.check([e.id for e in again.entries] == [e.id for e in feed.entries], "entry ids change")

    # text of any kind: escaped, control characters dropped, still well-formed
    r = daemon.request(q("/api/feed", q='training "<&>" \x01\x7f'))
    harness.check(r.status in (200, 400), r.status)
    if r.status == 200:
        with open(f, "wb") as out:
            out.write(r.body)
        lint = subprocess.run(["xmllint", "--noout", f], capture_output=True, text=True)
        harness.check(lint.returncode == 0, "xmllint: " + lint.stderr)
        harness.check(not feedparser.parse(r.body).bozo, r.body[:300])

    for p in ("size", "offset", "sort", "facets", "group", "explain", "format"):
        r = daemon.request(q("/api/feed", **{p: "1"}))
        harness.check(r.status == 400, "feed with %s: %d" % (p, r.status))
        err = r.json()["error"]
        harness.check(err["code"] == "bad_parameter" and err["param"] == p, err)
        harness.check(p in err["message"], err)
    print("feed: Atom parsed by feedparser, well-formed for xmllint; errors name the parameter")


def main():
    args = harness.parse_args("searchd", "indexer", "data")
    feedparser = need_feedparser()
    tmp = tempfile.mkdtemp(prefix="lzs-searchd-cites-")
    index = os.path.join(tmp, "index")
    harness.build_index(args.indexer, args.data, index)
    daemon = harness.Daemon(args.searchd, index, extra=("--base-url", BASE + "/"))
    plain = None
    try:
        test_doc(daemon)
        test_search(daemon)
        test_feed(daemon, feedparser, tmp)
        plain = harness.Daemon(args.searchd, index)
        r = plain.request("/api/feed?q=training")
        harness.check(r.status == 501 and r.json()["error"]["code"] == "not_configured", r.body)
        print("feed without --base-url: 501 not_configured")
        # a clean exit, and nothing a sanitizer build reports (leaks show at exit)
        for d in (daemon, plain):
            rc = d.stop()
            harness.check(rc == 0, "exit status %d:\n%s" % (rc, d.stderr_text()[-2000:]))
            harness.check(d.sanitizer_report() == [], d.sanitizer_report())
    finally:
        daemon.kill()
        if plain:
            plain.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    bad = subprocess.run([args.searchd, "--index", index, "--base-url", "ftp://x"],
                         capture_output=True, text=True)
    harness.check(bad.returncode == 2 and "--base-url" in bad.stderr, bad.stderr)
    print("searchd cites: all checks passed")


if __name__ == "__main__":
    main()
