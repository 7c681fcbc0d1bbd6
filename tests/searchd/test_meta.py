"""GET /api/meta through the real daemon: the Parties of the domain facts with their ISO
codes, the article titles of corpus/data/articles.tsv in both languages, the limits equal to
what the daemon refuses (one byte, one value, one parameter over each), 304 on If-None-Match,
400 on an unknown parameter.

    test_meta.py --searchd BIN --indexer BIN --corpus DIR"""

import argparse
import os
import shutil
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# The 48 Parties and their ISO 3166 codes, as the domain facts list them (a name in
# parentheses is another name the gazetteer must know too).
PARTIES = {
    "AL": ["Albania"], "AD": ["Andorra"], "AM": ["Armenia"], "AT": ["Austria"],
    "AZ": ["Azerbaijan"], "BE": ["Belgium"], "BA": ["Bosnia and Herzegovina"],
    "BG": ["Bulgaria"], "HR": ["Croatia"], "CY": ["Cyprus"],
    "CZ": ["Czech Republic", "Czechia"], "DK": ["Denmark"], "EE": ["Estonia"],
    "FI": ["Finland"], "FR": ["France"], "GE": ["Georgia"], "DE": ["Germany"],
    "GR": ["Greece"], "HU": ["Hungary"], "IS": ["Iceland"], "IE": ["Ireland"],
    "IT": ["Italy"], "LV": ["Latvia"], "LI": ["Liechtenstein"], "LT": ["Lithuania"],
    "LU": ["Luxembourg", "Luxemburg"], "MT": ["Malta"], "MD": ["Republic of Moldova"],
    "MC": ["Monaco"], "ME": ["Montenegro"], "NL": ["Netherlands"],
    "MK": ["North Macedonia", "the former Yugoslav Republic of Macedonia"], "NO": ["Norway"],
    "PL": ["Poland"], "PT": ["Portugal"], "RO": ["Romania"], "SM": ["San Marino"],
    "RS": ["Serbia"], "SK": ["Slovak Republic", "Slovakia"], "SI": ["Slovenia"],
    "ES": ["Spain"], "SE": ["Sweden"], "CH": ["Switzerland"], "TR": ["Türkiye", "Turkey"],
    "UA": ["Ukraine"], "GB": ["United Kingdom"], "RU": ["Russian Federation"],
    "TN": ["Tunisia"],
}
# French names the domain facts give, by code.
FRENCH = {"DE": "Allemagne", "NO": "Norvège", "RU": "Fédération de Russie",
          "MK": "Macédoine du Nord", "TR": "Turquie", "MD": "République de Moldova",
          "SM": "Saint-Marin", "SK": "République slovaque"}


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def get_json(daemon, path, status=200):
    r = daemon.request(path)
    check(r.status == status, "%s: %d %s" % (path, r.status, r.body[:300]))
    return r.json()


def assert_refused(daemon, path, param):
    r = daemon.request(path)
    check(r.status == 400, "%s: expected 400, got %d %s" % (path[:80], r.status, r.body[:200]))
    err = r.json()["error"]
    check(err["param"] == param, "%s: refused for %r, not %r: %s" % (path[:80], err["param"],
                                                                     param, err))
    return err


def search(q=None, **params):
    items = ([("q", q)] if q is not None else []) + list(params.items())
    return "/api/search?" + urllib.parse.urlencode(items)


def test_parties(meta):
    got = {p["code"]: p for p in meta["parties"]}
    check(sorted(got) == sorted(PARTIES),
          "Parties: missing %s, extra %s" % (sorted(set(PARTIES) - set(got)),
                                             sorted(set(got) - set(PARTIES))))
    for code, names in PARTIES.items():
        p = got[code]
        check(p["name"] == names[0], "%s is named %r, not %r" % (code, p["name"], names[0]))
        for n in names:
            check(n in p["names"], "%s: %r not among its names %s" % (code, n, p["names"]))
    for code, fr in FRENCH.items():
        check(fr in got[code]["names"], "%s: French name %r missing" % (code, fr))
    check("MA" not in got, "Morocco is no Party")
    print("parties: the 48 of the domain facts, with their names")


def test_articles(meta, data):
    want = {}
    with open(os.path.join(data, "articles.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            want[cols[0]] = (cols[1], cols[2] if len(cols) > 2 else None)
    got = {a["article"]: (a["title_en"], a["title_fr"]) for a in meta["articles"]}
    check(got == want, "articles differ from articles.tsv: %s" %
          sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k)))
    check(all(fr for _, fr in got.values()), "an article without French title")
    check(got["23"][1] == "Sollicitation d'enfants à des fins sexuelles", got["23"])
    print("articles: %d, English and French titles as in articles.tsv" % len(got))


def test_labels(daemon, meta):
    """The labels are those search answers give the same values."""
    facets = get_json(daemon, "/api/search?size=0")["facets"]
    for name, key in (("type", "types"), ("lang", "languages"), ("level", "levels")):
        labels = {x["key"]: x["label"] for x in meta[key]}
        seen = facets[name]
        check(seen, "facet %s has no values" % name)
        for v in seen:
            check(labels.get(v["value"]) == v["label"],
                  "%s %r: meta says %r, search %r" % (name, v["value"], labels.get(v["value"]),
                                                      v["label"]))
    check([x["key"] for x in meta["levels"]] ==
          ["require", "request", "invite", "urge", "consider"], meta["levels"])
    check({"en", "fr"} <= {x["key"] for x in meta["languages"]}, meta["languages"])
    instr = {x["key"]: x for x in meta["instruments"]}
    check(instr["echr"]["name_fr"] == "Convention européenne des droits de l'homme", instr)
    ops = {x["key"]: x for x in meta["opinions"]}
    check(ops["art23-opinion"]["year"] == 2015 and ops["art23-opinion"]["code"] ==
          "T-ES(2015)04" and ops["art23-opinion"]["kind"] == "opinion", ops)
    # one index, named by its directory: the collection facet's one value
    check(meta["collections"] == ["index"], meta["collections"])
    print("labels: types, languages and levels as search labels them")


def test_limits(daemon, limits):
    n = limits["query_bytes"]
    # in bytes, not characters: "é" is two
    q = "é" * (n // 2)
    r = daemon.request(search(q, size=0))
    check(r.status != 400 or r.json()["error"]["param"] != "q" or
          "bytes" not in r.json()["error"]["message"], "q of %d bytes refused: %s" % (n, r.body))
    err = assert_refused(daemon, search(q + "a", size=0), "q")
    check(str(n) in err["message"], err)
    get_json(daemon, search(size=limits["size"]))
    assert_refused(daemon, search(size=limits["size"] + 1), "size")
    get_json(daemon, search(offset=limits["offset"], size=0))
    assert_refused(daemon, search(offset=limits["offset"] + 1), "offset")
    many = "&".join("party=AL" for _ in range(limits["filter_values"]))
    get_json(daemon, "/api/search?size=0&" + many)
    assert_refused(daemon, "/api/search?size=0&party=AL&" + many, "party")
    args = "&".join("party=" for _ in range(limits["parameters"]))
    get_json(daemon, "/api/search?" + args)
    err = assert_refused(daemon, "/api/search?size=0&" + args, None)
    check(str(limits["parameters"]) in err["message"], err)
    terms = " ".join("w%d" % i for i in range(limits["query_terms"] + 1))
    assert_refused(daemon, search(terms, size=0), "q")
    r = daemon.request("/api/meta?" + "x" * limits["uri_bytes"])
    check(r.status == 414, "a target over uri_bytes: %d" % r.status)
    print("limits: each one over is refused (q at %d bytes)" % n)


def test_options(searchd, index):
    """--max-expansion and --max-postings as meta reports them are what refuses a query."""
    d = harness.Daemon(searchd, index, extra=("--max-expansion", "3", "--max-postings", "0"))
    try:
        limits = get_json(d, "/api/meta")["limits"]
        check(limits["max_expansion"] == 3 and limits["max_postings"] is None, limits)
        r = d.request(search("c*", size=0))
        check(r.status == 400 and r.json()["error"]["code"] == "limit", r.body[:300])
        rc = d.stop()
        check(rc == 0 and d.sanitizer_report() == [], d.stderr_text()[-2000:])
    finally:
        d.kill()
    print("limits: --max-expansion 3 reported and enforced, --max-postings 0 is null")


def test_cache(daemon):
    r = daemon.request("/api/meta")
    check(r.status == 200 and r.headers["content-type"].startswith("application/json"),
          r.headers)
    etag = r.headers.get("etag")
    check(etag, "no ETag")
    r2 = daemon.request("/api/meta", headers={"If-None-Match": etag})
    check(r2.status == 304 and r2.body == b"" and r2.headers.get("etag") == etag,
          (r2.status, r2.headers))
    r3 = daemon.request("/api/meta", headers={"If-None-Match": '"other"'})
    check(r3.status == 200 and r3.body == r.body, r3.status)
    gz = daemon.request("/api/meta", headers={"Accept-Encoding": "gzip"})
    check(gz.headers.get("content-encoding") == "gzip" and gz.headers["etag"] != etag,
          gz.headers)
    r4 = daemon.request("/api/meta", headers={"Accept-Encoding": "gzip",
                                              "If-None-Match": gz.headers["etag"]})
    check(r4.status == 304, r4.status)
    err = get_json(daemon, "/api/meta?lang=fr", 400)["error"]
    check(err["code"] == "bad_parameter" and err["param"] == "lang", err)
    print("cache: ETag, 304 on If-None-Match (both forms), 400 on an unknown parameter")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--searchd", required=True)
    ap.add_argument("--indexer", required=True)
    ap.add_argument("--corpus", required=True)
    args = ap.parse_args()
    data = os.path.join(args.corpus, "data")
    tmp = tempfile.mkdtemp(prefix="lzs-searchd-meta-")
    index = os.path.join(tmp, "index")
    harness.build_index(args.indexer, args.corpus, index)
    daemon = harness.Daemon(args.searchd, index)
    try:
        meta = get_json(daemon, "/api/meta")
        check(meta["api"] == 1, meta.get("api"))
        test_parties(meta)
        test_articles(meta, data)
        test_labels(daemon, meta)
        test_limits(daemon, meta["limits"])
        test_cache(daemon)
        rc = daemon.stop()
        check(rc == 0, "exit status %d:\n%s" % (rc, daemon.stderr_text()[-2000:]))
        check(daemon.sanitizer_report() == [], daemon.sanitizer_report())
        test_options(args.searchd, index)
    finally:
        daemon.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("searchd meta: all checks passed")


if __name__ == "__main__":
    main()
