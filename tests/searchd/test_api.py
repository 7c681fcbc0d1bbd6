"""Integration test of lzs-searchd over HTTP: the real daemon on an ephemeral loopback
port, serving an index of the shipped corpus built with the real lzs-index.

    test_api.py --searchd BIN --indexer BIN --corpus DIR --doc docs/api.md --web DIR

Checks the documented schema of every route (docs/api.md, both directions), filters,
facets, grouping, export, metrics, static files, security headers, limits and errors,
the documented options, load shedding (--max-queue-ms, on daemons of its own), and that
SIGTERM ends the daemon with status 0 and no sanitizer report."""

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ARGS = None
OBSERVED_ERRORS = set()  # (code, status) seen in answers, checked against the document


LANG_FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "lang")


class SearchdTest(unittest.TestCase):
    daemon = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lzs-searchd-api-")
        cls.index = os.path.join(cls.tmp, "index")
        harness.build_index(ARGS.indexer, ARGS.corpus, cls.index)
        cls.blocks = harness.api_blocks(ARGS.doc)
        cls.daemon = harness.Daemon(ARGS.searchd, cls.index, web_dir=ARGS.web)

    @classmethod
    def tearDownClass(cls):
        rc = cls.daemon.stop() if cls.daemon else 0
        log = ""
        if cls.daemon:
            with open(cls.daemon.log_path, errors="replace") as f:
                log = f.read()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        reports = [l for l in log.splitlines() if any(m in l for m in harness.SANITIZER_MARKS)]
        if rc != 0 or reports:
            raise AssertionError("lzs-searchd exit status %d after SIGTERM; log:\n%s" %
                                 (rc, log[-4000:]))

    # ---- helpers ---------------------------------------------------------------------

    def get(self, path, method="GET", headers=None, body=None, expect=None, own=True):
        """A request; every answer of the daemon itself must carry the security headers
        and a UTF-8 charset, and every error must be the documented JSON object."""
        r = self.daemon.request(path, method=method, headers=headers, body=body)
        if expect is not None:
            self.assertEqual(r.status, expect, "%s %s: %s" % (method, path[:120], r.body[:300]))
        if not own:
            return r
        for name, value in harness.SECURITY_HEADERS.items():
            self.assertEqual(r.headers.get(name), value, "%s on %s %s" % (name, method, path[:80]))
        for name in r.headers:
            self.assertFalse(name.startswith("access-control-"), "CORS header %s" % name)
        ctype = r.headers.get("content-type", "")
        if not ctype.startswith("image/png") and not ctype.startswith("image/x-icon"):
            self.assertIn("charset=utf-8", ctype, "%s %s" % (method, path[:80]))
        if r.status >= 400 and method != "HEAD":
            self.assertTrue(ctype.startswith("application/json"), ctype)
            err = r.json()
            self.assertEqual(harness.check_schema(
                harness.parse_fields(self.blocks[("fields", "error")]), err), [])
            OBSERVED_ERRORS.add((err["error"]["code"], r.status))
        return r

    def search(self, query, expect=200):
        return self.get("/api/search?" + query, expect=expect)

    def assert_schema(self, name, value):
        spec = harness.parse_fields(self.blocks[("fields", name)])
        self.assertEqual(harness.check_schema(spec, value), [], "route %s" % name)

    def assert_bad_param(self, query, param, route="/api/search", fragment=None):
        r = self.get(route + "?" + query, expect=400)
        err = r.json()["error"]
        self.assertEqual(err["param"], param, err)
        self.assertIn("'%s'" % param if param != "id" else "id", err["message"])
        if fragment:
            self.assertIn(fragment, err["message"])
        return err

    # ---- the documented schema -------------------------------------------------------

    def test_schema_search(self):
        for q in ["q=child&facets=1&size=20", "q=recommendation&group=document&size=10",
                  "level=require&size=50", "q=grooming&sort=newest", "size=100&sort=order",
                  "q=Lanzarote&size=5&offset=5", "facets=0&size=3",
                  "q=grooming%20Norway%20-helpline%20co-op*&explain=1&party=NO&size=20",
                  "q=%22child%20sexual%20abuse%22%20OR%20Turkey&explain=1&lang=en"]:
            v = self.search(q).json()
            self.assert_schema("search", v)
            self.assertEqual(v["api"], 1)
        v = self.search("q=child&size=10").json()
        self.assertGreater(v["total"], 0)
        self.assertGreater(len(v["hits"]), 0)
        rec = self.search("level=require&size=1").json()["hits"][0]["passage"]
        self.assertIsNotNone(rec["rec_id"])
        self.assertIsNotNone(rec["rec_key"])
        self.assertEqual(rec["level"], "require")
        # explain only when asked; query.read_as always
        v = self.search("q=grooming&size=3").json()
        self.assertTrue(all("explain" not in h for h in v["hits"]))
        self.assertTrue(v["query"]["read_as"]["summary"].startswith("grooming \u2192 "))
        v = self.search("q=grooming&size=3&explain=1").json()
        for h in v["hits"]:
            self.assertEqual([e["term"] for e in h["explain"]], ["grooming"], h["explain"])
            self.assertTrue(h["explain"][0]["matched"])

    def test_schema_doc_similar_healthz(self):
        d = self.get("/api/doc/" + urllib.parse.quote("T-ES(2021)31", safe=""), expect=200)
        self.assert_schema("doc", d.json())
        hit = self.search("q=child&size=1").json()["hits"][0]
        s = self.get("/api/similar/" + urllib.parse.quote(hit["id"], safe=""), expect=200)
        self.assert_schema("similar", s.json())
        h = self.get("/healthz", expect=200)
        self.assert_schema("healthz", h.json())
        self.assertEqual(h.json()["status"], "ok")
        self.assertGreater(h.json()["documents"], 0)

    def test_document_files(self):
        """doc.files lists the document's file; /api/file serves it from the corpus, and
        nothing but a document id and a file number is taken from the client."""
        d = self.get("/api/doc/" + urllib.parse.quote("T-ES(2021)31", safe=""), expect=200)
        files = d.json()["doc"]["files"]
        self.assertEqual(files, [{"path": "000_61b0df1d91b66db2.txt", "format": "txt"}])
        doc = "/api/file/" + urllib.parse.quote("T-ES(2021)31", safe="")
        r = self.get(doc + "/1", expect=200)
        self.assertEqual(r.headers.get("content-type"), "text/plain; charset=utf-8")
        self.assertTrue(r.headers.get("content-disposition", "").startswith("inline;"))
        with open(os.path.join(ARGS.corpus, "000_61b0df1d91b66db2.txt"), "rb") as f:
            self.assertEqual(r.body, f.read())
        h = self.get(doc + "/1", method="HEAD", expect=200)
        self.assertEqual(h.body, b"")
        e = self.get(doc + "/2", expect=404).json()["error"]
        self.assertEqual(e["param"], "n")
        self.assertIn("has 1 file", e["message"])
        self.assertEqual(self.get("/api/file/nosuchdoc/1", expect=404).json()["error"]["param"],
                         "id")
        for bad in (doc + "/0", doc + "/x", doc + "/", doc + "/1/2", "/api/file/" + "%2F/1",
                    doc + "/-1", doc + "/99999"):
            r = self.get(bad)
            self.assertEqual(r.status, 400, bad)
            self.assertEqual(r.json()["error"]["code"], "bad_parameter")
        self.assert_bad_param("x=1", "x", route=doc + "/1", fragment="unknown parameter")

    def test_documented_params_accepted_others_rejected(self):
        routes = {"search": "/api/search", "export": "/api/export"}
        for name, route in routes.items():
            params = harness.parse_params(self.blocks[("params", name)])
            for p, (typ, default, _) in params.items():
                value = {"string": "x", "string[]": "NO", "integer": "1"}.get(typ, default)
                if typ == "enum":
                    value = default
                r = self.get("%s?%s=%s" % (route, p, urllib.parse.quote(value)))
                if r.status == 400:
                    self.assertNotIn("unknown parameter", r.json()["error"]["message"], p)
                else:
                    self.assertEqual(r.status, 200, (route, p, r.body[:200]))
            self.assert_bad_param("zz=1", "zz", route=route, fragment="unknown parameter")
        params = harness.parse_params(self.blocks[("params", "similar")])
        hit = self.search("q=child&size=1").json()["hits"][0]
        base = "/api/similar/" + urllib.parse.quote(hit["id"], safe="")
        for p in params:
            self.get(base + "?%s=3" % p, expect=200)
        self.assert_bad_param("q=x", "q", route=base, fragment="unknown parameter")
        for route in ["/api/doc/T-ES(2021)31", "/healthz", "/metrics"]:
            self.assert_bad_param("size=1", "size", route=route, fragment="unknown parameter")

    def test_csv_header_documented(self):
        r = self.get("/api/export?q=child&format=csv", expect=200)
        first = r.text().split("\r\n", 1)[0]
        self.assertEqual(first, self.blocks[("csv", None)].strip())

    def test_zz_error_codes_documented(self):
        # Runs last (alphabetical order): the codes seen by all other tests.
        documented = harness.parse_errors(self.blocks[("errors", None)])
        # A few of its own, so that it also holds when run alone.
        self.get("/api/nope", expect=404)
        self.get("/api/search?size=x", expect=400)
        self.get("/", method="DELETE", expect=405)
        self.get("/api/search?q=" + "a" * 9000, expect=414)
        self.assertTrue(OBSERVED_ERRORS)
        for code, status in OBSERVED_ERRORS:
            self.assertIn(code, documented, "error code %s is not documented" % code)
            self.assertEqual(documented[code], status, "status of %s" % code)

    # ---- filters, facets, grouping ---------------------------------------------------

    def test_level_require_addressee_no_is_v17(self):
        v = self.search("level=require&addressee=NO&size=100").json()
        recs = {h["passage"]["rec_id"] for h in v["hits"]}
        self.assertEqual(recs, {"V-17"}, v["hits"][:3])
        self.assertEqual(v["total"], len(v["hits"]))
        for h in v["hits"]:
            self.assertEqual(h["passage"]["level"], "require")
            self.assertTrue("NO" in h["passage"]["addressees"] or
                            h["passage"]["addressees"] == ["all"], h["passage"]["addressees"])

    def test_repeated_filter_is_or(self):
        no = self.search("party=NO&size=0").json()["total"]
        se = self.search("party=SE&size=0").json()["total"]
        both = self.search("party=NO&party=SE&size=100").json()
        self.assertGreater(no, 0)
        self.assertGreater(se, 0)
        self.assertGreaterEqual(both["total"], max(no, se))
        self.assertLessEqual(both["total"], no + se)
        for h in both["hits"]:
            self.assertTrue({"NO", "SE"} & set(h["passage"]["parties"]), h["passage"]["parties"])
        # Different filters AND: the pair is no larger than either.
        pair = self.search("party=NO&level=require&size=0").json()["total"]
        self.assertLessEqual(pair, no)

    def test_group_document_has_matches(self):
        v = self.search("q=child&group=document&size=20").json()
        self.assertGreater(len(v["hits"]), 0)
        docs = [h["doc"]["id"] for h in v["hits"]]
        self.assertEqual(len(docs), len(set(docs)), "one hit per document")
        for h in v["hits"]:
            self.assertIsInstance(h["matches"], int)
            self.assertGreaterEqual(h["matches"], 1)
        for h in self.search("q=child&size=5").json()["hits"]:
            self.assertNotIn("matches", h)

    def test_facets(self):
        v = self.search("q=child&facets=1&size=0").json()
        self.assertEqual(set(v["facets"]),
                         {"party", "addressee", "article", "year", "level", "type", "lang",
                          "cites", "instrument", "collection"})
        # One index: one collection, every matching passage in it, named as each hit says.
        self.assertEqual(len(v["facets"]["collection"]), 1, v["facets"]["collection"])
        self.assertEqual(v["facets"]["collection"][0]["count"], v["total"])
        name = v["facets"]["collection"][0]["value"]
        hits = self.search("q=child&size=5").json()["hits"]
        self.assertTrue(hits and all(h["collection"] == name for h in hits), hits[:1])
        one = self.search("q=child&size=0&collection=" + urllib.parse.quote(name)).json()
        self.assertEqual(one["total"], v["total"])
        self.assert_bad_param("q=child&collection=no-such-index", "collection",
                              fragment="no-such-index")
        for name, values in v["facets"].items():
            counts = [f["count"] for f in values]
            if name == "year":
                years = [f["value"] for f in values]
                # newest first, the undated last under the label "Undated"
                self.assertEqual(years[-1], "none", years)
                self.assertEqual(values[-1]["label"], "Undated")
                self.assertEqual(years[:-1], sorted(years[:-1], reverse=True), "newest first")
            else:
                self.assertEqual(counts, sorted(counts, reverse=True), name)
        self.assertTrue(any(f["value"] == "NO" and f["label"] == "Norway"
                            for f in v["facets"]["party"]), v["facets"]["party"][:5])
        # recs: the distinct recommendations among the passages a value counts
        for name, values in v["facets"].items():
            for f in values:
                self.assertLessEqual(f["recs"], f["count"], (name, f))
        levels = self.search("level=require&level=request&level=invite&size=0").json()
        for f in levels["facets"]["level"]:
            self.assertGreater(f["recs"], 0, f)
        # year=none selects exactly the undated passages the facet counts
        undated = [f["count"] for f in v["facets"]["year"] if f["value"] == "none"][0]
        u = self.search("q=child&year=none&size=100&facets=1").json()
        self.assertEqual(u["total"], undated)
        self.assertTrue(all(h["doc"]["year"] is None for h in u["hits"]))
        self.assertEqual([f["value"] for f in u["facets"]["year"]], ["none"])
        self.assertEqual(self.search("q=child%20year%3Anone&size=0").json()["total"], undated)
        # an open range of years never takes the undated in
        dated = self.search("q=child&year=2000..&size=0").json()["total"]
        self.assertEqual(dated + undated, v["total"])
        self.assertEqual(self.search("q=child&facets=0").json()["facets"], {})
        # Counting is the default.
        self.assertEqual(set(self.search("q=child&size=0").json()["facets"]),
                         set(v["facets"]))

    def test_sort_and_paging(self):
        a = self.search("q=child&size=10").json()
        b = self.search("q=child&size=5&offset=5").json()
        self.assertEqual([h["id"] for h in a["hits"][5:]], [h["id"] for h in b["hits"]])
        # Several dates and an undated document, or any order would pass: one hit a document.
        newest = self.search("group=document&size=50&sort=newest").json()["hits"]
        dates = [h["doc"]["date"] or "" for h in newest]
        self.assertGreaterEqual(len(set(dates)), 3, dates)
        self.assertIn("", dates)
        self.assertEqual(dates, sorted(dates, reverse=True))
        oldest = self.search("group=document&size=50&sort=oldest").json()["hits"]
        self.assertEqual([h["doc"]["date"] or "" for h in oldest], sorted(dates))

    def test_doc_in_reading_order(self):
        v = self.get("/api/doc/" + urllib.parse.quote("T-ES(2021)31", safe=""), expect=200).json()
        self.assertEqual(v["doc"]["id"], "T-ES(2021)31")
        self.assertGreaterEqual(len(v["passages"]), 44)
        self.assertEqual([p["no"] for p in v["passages"]], list(range(1, len(v["passages"]) + 1)))
        for p in v["passages"]:
            self.assertEqual(p["id"], "T-ES(2021)31:%d" % p["no"])
        # The raw form of the id works too: "(" and ")" need no escaping in a path.
        self.get("/api/doc/T-ES(2021)31", expect=200)
        self.get("/api/doc/no-such-document", expect=404)
        self.assert_bad_param("", "id", route="/api/doc/a%00b")
        self.assert_bad_param("", "id", route="/api/doc/%ff%fe")

    def test_similar(self):
        hit = self.search("q=grooming&size=1").json()["hits"][0]
        v = self.get("/api/similar/" + urllib.parse.quote(hit["id"], safe="") + "?size=5",
                     expect=200).json()
        self.assertEqual(v["id"], hit["id"])
        self.assertGreater(len(v["hits"]), 0)
        self.assertLessEqual(len(v["hits"]), 5)
        self.assertNotIn(hit["id"], [h["id"] for h in v["hits"]])
        self.get("/api/similar/no-such:1", expect=404)
        self.assert_bad_param("size=0", "size",
                              route="/api/similar/" + urllib.parse.quote(hit["id"], safe=""))

    # ---- export ----------------------------------------------------------------------

    def test_export_csv_parses(self):
        total = self.search("q=child&size=0").json()["total"]
        r = self.get("/api/export?q=child&format=csv", expect=200)
        self.assertTrue(r.headers["content-type"].startswith("text/csv"))
        self.assertIn("attachment", r.headers["content-disposition"])
        self.assertFalse(r.body.startswith(b"\xef\xbb\xbf"), "no byte order mark")
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"), newline="")))
        header, rows = rows[0], rows[1:]
        self.assertEqual(len(rows), total)
        self.assertEqual(r.headers["x-total-count"], str(total))
        self.assertEqual(r.headers["x-export-capped"], "false")
        for row in rows:
            self.assertEqual(len(row), len(header))
        col = {name: i for i, name in enumerate(header)}
        ids = {row[col["id"]] for row in rows}
        self.assertEqual(len(ids), total, "one row per passage")
        # Every row names the index its passage is in, as the JSON export's hit does: over
        # one index, the one collection /api/meta lists.
        names = self.get("/api/meta", expect=200).json()["collections"]
        self.assertEqual(len(names), 1, names)
        hits = self.get("/api/export?q=child&format=json", expect=200).json()
        self.assertEqual({h["id"]: h["collection"] for h in hits},
                         {row[col["id"]]: row[col["collection"]] for row in rows})
        self.assertEqual({row[col["collection"]] for row in rows}, set(names))
        # Filters apply to exports exactly as to searches.
        r = self.get("/api/export?level=require&addressee=NO", expect=200)
        rows = list(csv.DictReader(io.StringIO(r.body.decode("utf-8"), newline="")))
        self.assertEqual({row["rec_id"] for row in rows}, {"V-17"})
        self.assertTrue(all(row["level"] == "require" for row in rows))

    def test_export_bom_and_url(self):
        plain = self.get("/api/export?level=require&addressee=NO", expect=200).body
        self.assertFalse(plain.startswith(b"\xef\xbb\xbf"), "no byte order mark by default")
        r = self.get("/api/export?level=require&addressee=NO&bom=1", expect=200)
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"), r.body[:20])
        self.assertEqual(r.body[3:], plain, "the same export after the byte order mark")
        text = r.body.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertEqual(rows[0], self.blocks[("csv", None)].strip().split(","))
        self.assertEqual(rows[0][-2:], ["url", "collection"])
        rec = dict(zip(rows[0], rows[1]))
        self.assertEqual(rec["rec_id"], "V-17")
        url = urllib.parse.urlsplit(rec["url"])
        self.assertEqual((url.scheme, url.netloc, url.path), ("", "", "/"))
        self.assertEqual(urllib.parse.parse_qs(url.query),
                         {"doc": [rec["doc_id"]], "p": [rec["id"]]})
        # every character of an id that a URL reserves is escaped
        r = self.get("/api/export?ref=T-ES(2021)31&size=1", expect=200)
        rec = list(csv.DictReader(io.StringIO(r.text(), newline="")))[0]
        self.assertTrue(rec["url"].startswith("/?doc=T-ES%282021%2931&p=T-ES%282021%2931%3A"),
                        rec["url"])
        # the JSON export has no byte order mark to give
        self.assert_bad_param("format=json&bom=1", "bom", route="/api/export",
                              fragment="format=csv")
        self.assert_bad_param("bom=2", "bom", route="/api/export")

    def test_export_json(self):
        answer = self.search("party=NO&size=0").json()
        total = answer["total"]
        r = self.get("/api/export?party=NO&format=json", expect=200)
        v = r.json()
        self.assertEqual(len(v), total)
        spec = harness.parse_fields(self.blocks[("fields", "search")])
        self.assertEqual(harness.check_schema(spec, {"api": 1, "total": total, "took_ms": 0.0,
                                                     "suggestion": None,
                                                     "query": answer["query"], "hits": v,
                                                     "facets": {}}), [])
        self.assert_bad_param("format=xml", "format", route="/api/export", fragment="xml")

    def assert_streamed(self, r):
        """Headers of a streamed export: chunked, no length, the documented ones and no
        other X- header."""
        self.assertEqual(r.headers.get("transfer-encoding"), "chunked")
        self.assertNotIn("content-length", r.headers)
        documented = harness.parse_headers(self.blocks[("headers", "export")])
        for name in documented:
            self.assertIn(name, r.headers, "documented header %s missing" % name)
        for name in r.headers:
            if name.startswith("x-") and name not in harness.SECURITY_HEADERS:
                self.assertIn(name, documented, "undocumented header %s" % name)
        self.assertIn(r.headers["x-export-capped"], ("true", "false"))

    def test_export_everything_csv(self):
        # An empty query exports the whole shipped corpus: more than one pipe buffer.
        total = self.search("size=0").json()["total"]
        self.assertLess(total, 50000)
        r = self.get("/api/export?format=csv", expect=200)
        self.assert_streamed(r)
        self.assertEqual(r.headers["x-total-count"], str(total))
        self.assertEqual(r.headers["x-export-capped"], "false")
        self.assertGreater(len(r.body), 65536, "the test needs an export over one pipe buffer")
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"), newline="")))
        self.assertEqual(rows[0], self.blocks[("csv", None)].strip().split(","))
        self.assertEqual(len(rows) - 1, total)
        self.assertTrue(all(len(row) == len(rows[0]) for row in rows))
        self.assertEqual(len({row[0] for row in rows[1:]}), total, "one row per passage")

    def test_export_everything_json(self):
        total = self.search("size=0").json()["total"]
        r = self.get("/api/export?format=json", expect=200)
        self.assert_streamed(r)
        self.assertEqual(r.headers["x-total-count"], str(total))
        v = r.json()
        self.assertEqual(len(v), total)
        # One hit per line, as documented.
        lines = r.text().split("\n")
        self.assertEqual(lines[0], "[")
        self.assertEqual(lines[-2:], ["]", ""])
        self.assertEqual(len(lines), total + 3)
        empty = self.get("/api/export?q=zzzqqqnothing&format=json", expect=200)
        self.assertEqual(empty.headers["x-total-count"], "0")
        self.assertEqual(empty.body, b"[]\n")

    def test_export_errors_before_streaming(self):
        # Checked and counted first: errors keep their status and JSON body.
        self.assert_bad_param("size=abc", "size", route="/api/export")
        # Refused by the search itself (the count), not by the parameter rules.
        for q in ["year=20x1", "q=" + urllib.parse.quote("a" * 1100)]:
            r = self.get("/api/export?" + q, expect=400)
            self.assertNotIn("transfer-encoding", r.headers)
            self.assertEqual(r.json(), self.get("/api/search?" + q, expect=400).json())

    def test_export_head(self):
        g = self.get("/api/export?q=child", expect=200)
        h = self.get("/api/export?q=child", method="HEAD", expect=200)
        self.assertEqual(h.body, b"")
        for name in ("content-type", "content-disposition", "x-total-count", "x-export-capped"):
            self.assertEqual(h.headers.get(name), g.headers.get(name), name)

    def test_export_client_goes_away(self):
        # A client that reads the first few KB of an export of everything and closes.
        for fmt in ("csv", "json"):
            s = self.daemon.raw_request("/api/export?format=" + fmt, rcvbuf=4096)
            got = b""
            while len(got) < 4096:
                chunk = s.recv(1024)
                if not chunk:
                    break
                got += chunk
            s.close()
            self.assertTrue(got.startswith(b"HTTP/1.1 200"), got[:100])
        self.assertEqual(self.daemon.wait_metric("lzs_exports_running", 0), 0)
        self.search("q=child", expect=200)
        r = self.get("/api/export?q=child&format=json", expect=200)
        self.assertEqual(len(r.json()), int(r.headers["x-total-count"]))

    # ---- errors ----------------------------------------------------------------------

    def test_bad_parameters(self):
        self.assert_bad_param("size=abc", "size", fragment="abc")
        self.assert_bad_param("size=101", "size", fragment="101")
        self.assert_bad_param("offset=-1", "offset", fragment="-1")
        self.assert_bad_param("offset=10001", "offset")
        self.assert_bad_param("group=chapter", "group", fragment="chapter")
        self.assert_bad_param("sort=random", "sort", fragment="random")
        self.assert_bad_param("facets=2", "facets")
        self.assert_bad_param("size=1&size=2", "size", fragment="once")
        self.assert_bad_param("foo=1", "foo", fragment="unknown parameter 'foo'")

    def test_invalid_utf8_and_nul(self):
        for q in ["q=%ff", "q=caf%c3", "q=%c0%af", "q=%ed%a0%80", "q=a%00b", "party=%ff",
                  "%ff=1"]:
            r = self.get("/api/search?" + q, expect=400)
            self.assertIn("UTF-8", r.json()["error"]["message"])

    def test_methods(self):
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]:
            r = self.get("/api/search?q=child", method=method, body=b"x=1", expect=405)
            self.assertEqual(r.headers.get("allow"), "GET, HEAD")
            self.assertEqual(r.json()["error"]["code"], "method_not_allowed")
        r = self.get("/", method="TRACE", expect=405)

    def test_head(self):
        g = self.get("/api/search?q=child&size=2", expect=200)
        h = self.get("/api/search?q=child&size=2", method="HEAD", expect=200)
        self.assertEqual(h.body, b"")
        self.assertTrue(h.headers["content-type"].startswith("application/json"))
        self.get("/healthz", method="HEAD", expect=200)
        self.get("/nope", method="HEAD", expect=404)
        self.assertTrue(g.body)

    def test_oversized(self):
        r = self.get("/api/search?q=" + "a" * 10240, expect=414)
        self.assertEqual(r.json()["error"]["code"], "uri_too_long")
        r = self.get("/api/search", headers={"X-Big-%d" % i: "v" * 1024 for i in range(200)},
                     expect=431)
        self.assertEqual(r.json()["error"]["code"], "headers_too_large")
        r = self.get("/api/search", headers={"X-Pad": "v" * 17000}, expect=431)
        # Past the HTTP library's per-connection memory too, the answer is the daemon's
        # own: the head is refused before the library reads it.
        r = self.get("/api/search", headers={"X-Big-%d" % i: "v" * 1024 for i in range(400)},
                     expect=431)
        self.assertEqual(r.json()["error"]["code"], "headers_too_large")
        r = self.get("/api/search", body=b"x" * 2000, expect=413)
        self.assertEqual(r.json()["error"]["code"], "body_too_large")
        # A small body on GET is read and ignored.
        self.get("/api/search?q=child", body=b"x" * 10, expect=200)

    def test_not_found(self):
        for path in ["/nope", "/api", "/api/", "/api/nope", "/api/doc/", "/api/searchx",
                     "/index.htm", "/.git/config", "/README.md"]:
            self.get(path, expect=404)

    # ---- static files and traversal --------------------------------------------------

    def test_traversal(self):
        for path in ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/web/..%2f",
                     "/index.html%00.js", "//etc/passwd", "/..%2f..%2fetc%2fpasswd",
                     "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/..\\..\\etc\\passwd",
                     "/api/doc/..%2f..%2fetc%2fpasswd", "/%252e%252e/etc/passwd",
                     "/./index.html", "/static/../../etc/passwd", "/%c0%ae%c0%ae/etc/passwd"]:
            r = self.get(path)
            self.assertIn(r.status, (400, 404), path)
            self.assertNotIn(b"root:", r.body, path)
            self.assertTrue(r.headers["content-type"].startswith("application/json"), path)

    def test_static(self):
        index_html = os.path.join(ARGS.web, "index.html")
        self.assertTrue(os.path.isfile(index_html), "the page %s is missing" % index_html)
        with open(index_html, "rb") as f:
            content = f.read()
        # index.html as it is; "/" is rendered into it (test_page)
        r = self.get("/index.html", expect=200)
        self.assertEqual(r.body, content)
        self.assertEqual(r.headers["content-type"], "text/html; charset=utf-8")
        # a query string on any other static file is ignored
        r = self.get("/index.html?q=child", expect=200)
        self.assertEqual(r.body, content)
        for name in os.listdir(ARGS.web):
            full = os.path.join(ARGS.web, name)
            ok = re.fullmatch(r"[A-Za-z0-9_-]+\.(html|js|css|svg|ico|png|json|txt)", name)
            if ok and os.path.isfile(full) and not os.path.islink(full):
                r = self.get("/" + name, expect=200)
                with open(full, "rb") as f:
                    self.assertEqual(r.body, f.read(), name)

    # ---- the page rendered by the daemon (GET /) -----------------------------------

    def get_page(self, path, expect):
        """A page of GET /: HTML with the security headers, also when it refuses."""
        r = self.get(path, expect=expect, own=False)
        for name, value in harness.SECURITY_HEADERS.items():
            self.assertEqual(r.headers.get(name), value, "%s on %s" % (name, path[:80]))
        self.assertEqual(r.headers["content-type"], "text/html; charset=utf-8", path)
        return r.body.decode("utf-8")

    def test_page(self):
        """GET / renders the results of the same search as the API, in index.html."""
        index_html = os.path.join(ARGS.web, "index.html")
        self.assertTrue(os.path.exists(index_html), "web/index.html is missing: the page's shell")
        api = self.search("q=child&lang=en&size=20").json()
        page = self.get_page("/?q=child&lang=en", 200)
        self.assertIn('<form id="search-form"', page, "the shell is index.html")
        self.assertIn("<strong>%d</strong> passages match" % api["total"], page)
        titles = re.findall(r'<h2 class="hit-title" lang="[a-z]+"><a href="([^"]*)">', page)
        self.assertEqual(len(titles), min(20, api["total"]))
        self.assertIn('value="child"', page, "the search box holds the query")
        self.assertIn('href="/api/export?q=child&amp;lang=en&amp;format=csv"', page,
                      "the export link carries the search")
        # no parameter: every passage, browsed
        browse = self.get_page("/", 200)
        total = self.search("").json()["total"]
        self.assertIn("All <strong>%s</strong> passages" % format(total, ","), browse)
        # a fragment is the view alone: the page's title, how the query was read, the section
        frag = self.get_page("/?q=child&fragment=1", 200)
        self.assertTrue(frag.startswith('<title>child — search — lanzasearch</title>\n'
                                        '<p id="read-as"'), frag[:80])
        self.assertIn('</p><section id="view-search"', frag)
        self.assertNotIn("<html", frag)
        # document and Party views
        doc = self.get_page("/?doc=T-ES(2021)31", 200)
        self.assertIn('<section id="view-doc" class="view"', doc)
        self.assertIn('<section hidden id="view-search"', doc)
        party = self.get_page("/?party_view=NO", 200)
        self.assertIn("What the Committee asked of Norway", party)
        self.assertIn('data-rec="V-17"', party)
        self.get_page("/?party_view=ZZ", 404)
        # the comparison, from the same call as /api/compare
        cmp = self.get("/api/compare?party=NO&party=MC", expect=200).json()
        page = self.get_page("/?compare=1&party=NO&party=MC", 200)
        self.assertIn('<section id="view-compare" class="view"', page)
        table = page.split('<table class="compare">')[1].split("</table>")[0]
        self.assertEqual(table.count("<th scope=\"row\">"), len(cmp["rows"]))
        self.assertIn("<strong>%d recommendations</strong>" % cmp["total"], page)
        self.assertIn("Choose at least two Parties", self.get_page("/?compare=1&party=NO", 200))
        self.assertIn("Narnia", self.get_page("/?compare=1&party=NO&party=Narnia", 400))
        self.get_page("/?doc=no-such-document", 404)

    def test_page_escapes_the_request(self):
        """Hostile text in the query comes back as text in the box and on the page."""
        for q, status in [("'><script>alert(1)</script>", 200),
                          ('"><script>alert(1)</script>', 400)]:  # an unclosed phrase
            page = self.get_page("/?q=" + urllib.parse.quote(q), status)
            self.assertNotIn("<script>alert", page)
            self.assertIn('value="%s"' % q.replace("&", "&amp;").replace("<", "&lt;")
                          .replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;"), page)

    def test_page_unknown_parameter(self):
        """An unknown parameter on / is an HTML 400 page naming it; the API stays JSON."""
        page = self.get_page("/?q=child&colour=blue", 400)
        self.assertIn("<html", page)
        self.assertIn("unknown parameter &#39;colour&#39;", page)
        self.assertIn('<code class="param">colour</code>', page)
        self.assertIn('role="alert"', page)
        # a bad value and a bad escape are HTML pages too
        page = self.get_page("/?sort=sideways", 400)
        self.assertIn("sideways", page)
        page = self.get_page("/?q=%zz", 400)
        self.assertIn("%-escape", page)
        # a query the library refuses: the page with the message, the query kept
        page = self.get_page("/?q=party:Narnia", 400)
        self.assertIn("Narnia", page)
        self.assertIn('id="search-error"', page)
        # the API answers JSON as before
        self.assert_bad_param("colour=blue", "colour", fragment="unknown parameter")

    def test_static_validators(self):
        """ETag and Last-Modified on every file; 304 when the client's copy is current."""
        r = self.get("/app.js", expect=200)
        etag, modified = r.headers["etag"], r.headers["last-modified"]
        self.assertRegex(etag, r'^"[0-9a-f]{16}"$')
        self.assertRegex(modified, r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$")
        self.assertEqual(r.headers["cache-control"], "no-cache")
        same = self.get("/app.js", headers={"If-None-Match": etag}, expect=304)
        self.assertEqual(same.body, b"")
        self.assertEqual(same.headers["etag"], etag)
        self.get("/app.js", headers={"If-None-Match": 'W/"0", W/' + etag}, expect=304)
        self.get("/app.js", headers={"If-None-Match": "*"}, expect=304)
        self.get("/app.js", headers={"If-None-Match": '"0000000000000000"'}, expect=200)
        # the tag is the content's: another file has another
        self.assertNotEqual(self.get("/style.css", expect=200).headers["etag"], etag)
        self.get("/app.js", headers={"If-Modified-Since": modified}, expect=304)
        self.get("/app.js", headers={"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"},
                 expect=200)
        self.get("/app.js", headers={"If-Modified-Since": "yesterday"}, expect=200)
        # If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2)
        self.get("/app.js", headers={"If-None-Match": '"0000000000000000"',
                                     "If-Modified-Since": modified}, expect=200)
        self.get("/index.html", headers={"If-None-Match": self.get("/index.html").headers["etag"]},
                 expect=304)
        # "/" is rendered, with a tag of its own (test_page.py): the index's and the URL's
        self.assertRegex(self.get("/").headers["etag"], r'^"p[0-9a-f]{16}"$')
        self.get("/app.js", method="HEAD", headers={"If-None-Match": etag}, expect=304)
        # every file but the favicon is asked for again on every use; the favicon is kept
        for name in ("/", "/style.css", "/app.js"):
            self.assertEqual(self.get(name).headers["cache-control"], "no-cache", name)
        icon = self.get("/favicon.svg", expect=200)
        self.assertEqual(icon.headers["cache-control"], "max-age=86400")
        self.assertEqual(
            self.get("/favicon.svg", headers={"If-None-Match": icon.headers["etag"]},
                     expect=304).headers["cache-control"], "max-age=86400")

    def test_static_gzip(self):
        """The .gz the build puts beside each text file is sent to clients that accept
        gzip, and decompresses to the file; never to others."""
        import gzip
        # every text file of the page, the script's modules among them
        names = sorted(n for n in os.listdir(ARGS.web)
                       if re.fullmatch(r"[A-Za-z0-9_-]+\.(html|js|css|svg|json|txt)", n))
        for name in ("index.html", "app.js", "style.css", "favicon.svg"):
            self.assertIn(name, names, "the web directory %s" % ARGS.web)
        for name in names:
            if not os.path.exists(os.path.join(ARGS.web, name + ".gz")):
                self.fail("%s.gz is missing in %s: build the lzs-web target (the test needs "
                          "the web directory of the build tree)" % (name, ARGS.web))
            with open(os.path.join(ARGS.web, name), "rb") as f:
                content = f.read()
            path = "/" + name  # "/" itself is rendered (test_page), not a file
            plain = self.get(path, expect=200)
            self.assertEqual(plain.body, content, name)
            self.assertNotIn("content-encoding", plain.headers, name)
            self.assertEqual(plain.headers["vary"], "Accept-Encoding", name)
            if name.endswith(".js"):  # a module script of another type is not run
                self.assertEqual(plain.headers["content-type"], "text/javascript; charset=utf-8")
            for ae in ("gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1", "*"):
                z = self.get(path, headers={"Accept-Encoding": ae}, expect=200)
                self.assertEqual(z.headers.get("content-encoding"), "gzip", (name, ae))
                self.assertEqual(z.headers["vary"], "Accept-Encoding")
                self.assertEqual(gzip.decompress(z.body), content, name)
                self.assertLess(len(z.body), len(content), name)
                self.assertNotEqual(z.headers["etag"], plain.headers["etag"])
            for ae in ("identity", "br", "gzip;q=0", "*;q=0", "deflate, gzip;q=0.000"):
                r = self.get(path, headers={"Accept-Encoding": ae}, expect=200)
                self.assertNotIn("content-encoding", r.headers, (name, ae))
                self.assertEqual(r.body, content, (name, ae))
            z = self.get(path, headers={"Accept-Encoding": "gzip"})
            self.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": z.headers["etag"]},
                     expect=304)

    def test_json_gzip(self):
        """A JSON answer of 1 KB or more is compressed for a client that accepts gzip."""
        import gzip
        path = "/api/search?q=child&size=20"
        plain = self.get(path, expect=200)
        self.assertNotIn("content-encoding", plain.headers)
        self.assertEqual(plain.headers["vary"], "Accept-Encoding")
        z = self.get(path, headers={"Accept-Encoding": "gzip, deflate, br"}, expect=200)
        self.assertEqual(z.headers.get("content-encoding"), "gzip")
        self.assertEqual(z.headers["vary"], "Accept-Encoding")
        self.assertLess(len(z.body), len(plain.body) / 3)
        a, b = json.loads(gzip.decompress(z.body)), plain.json()
        a.pop("took_ms")
        b.pop("took_ms")
        self.assertEqual(a, b)
        self.assertNotIn("content-encoding",
                         self.get(path, headers={"Accept-Encoding": "gzip;q=0"}).headers)
        # a small answer is not worth it
        r = self.get("/api/search?size=x", headers={"Accept-Encoding": "gzip"}, expect=400)
        self.assertNotIn("content-encoding", r.headers)

    def test_static_stale_gz_not_served(self):
        """A .gz that is not its file compressed (left over from an older file) is never
        sent: the daemon says so at start and sends the file itself."""
        import gzip
        web = tempfile.mkdtemp(prefix="lzs-web-", dir=self.tmp)
        with open(os.path.join(web, "index.html"), "wb") as f:
            f.write(b"<!doctype html><title>new</title>")
        with open(os.path.join(web, "index.html.gz"), "wb") as f:
            f.write(gzip.compress(b"<!doctype html><title>old</title>"))
        with open(os.path.join(web, "app.js"), "wb") as f:
            f.write(b"console.log(1);")
        with open(os.path.join(web, "app.js.gz"), "wb") as f:
            f.write(b"not gzip at all")
        d = harness.Daemon(ARGS.searchd, self.index, web_dir=web)
        try:
            for path, body in (("/index.html", b"<!doctype html><title>new</title>"),
                               ("/app.js", b"console.log(1);")):
                r = d.request(path, headers={"Accept-Encoding": "gzip"})
                self.assertEqual(r.status, 200)
                self.assertNotIn("content-encoding", r.headers)
                self.assertNotIn("vary", r.headers)
                self.assertEqual(r.body, body)
            # the rendered page is compressed for each answer, from the new shell
            r = d.request("/", headers={"Accept-Encoding": "gzip"})
            self.assertEqual(r.headers.get("content-encoding"), "gzip")
            self.assertEqual(gzip.decompress(r.body), b"<!doctype html><title>new</title>")
            log = d.stderr()
            self.assertIn("index.html.gz: not index.html compressed", log)
            self.assertIn("app.js.gz: not app.js compressed", log)
        finally:
            self.assertEqual(d.stop(), 0)

    # ---- metrics ---------------------------------------------------------------------

    def test_metrics(self):
        self.search("q=child")
        self.get("/api/nope", expect=404)
        # a conditional request answered from the client's copy: a class of its own
        tag = self.get("/favicon.svg", expect=200).headers["etag"]
        self.get("/favicon.svg", expect=304, headers={"If-None-Match": tag})
        line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$')
        want = ['lzs_requests_total{route="/api/search",status="200"}',
                'lzs_requests_total{route="other",status="404"}',
                'lzs_requests_total{route="static",status="304"}']
        # A request is counted when the daemon has finished with it, which may be just
        # after its client has the answer (and /metrics may be served by another worker
        # meanwhile): scrape again, for a few seconds at most, until both are counted.
        deadline = time.monotonic() + 10
        while True:
            r = self.get("/metrics", expect=200)
            self.assertTrue(r.headers["content-type"].startswith("text/plain; version=0.0.4"))
            samples = {}
            for line in r.text().splitlines():
                if line.startswith("#"):
                    self.assertRegex(line, r"^# (HELP|TYPE) [a-z_]+ .+$")
                    continue
                m = line_re.match(line)
                self.assertIsNotNone(m, "bad metrics line: %r" % line)
                samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
            if all(k in samples for k in want) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        documented = [l.split()[0] for l in self.blocks[("metrics", None)].strip().splitlines()]
        names = {k.split("{")[0] for k in samples}
        for name in documented:
            if name == "lzs_request_duration_seconds":
                for suffix in ("_bucket", "_sum", "_count"):
                    self.assertIn(name + suffix, names)
            else:
                self.assertIn(name, names)
        self.assertGreaterEqual(samples['lzs_requests_total{route="/api/search",status="200"}'], 1)
        self.assertGreaterEqual(samples['lzs_requests_total{route="other",status="404"}'], 1)
        self.assertGreaterEqual(samples['lzs_requests_total{route="static",status="304"}'], 1)
        self.assertNotIn('lzs_requests_total{route="static",status="other"}', samples,
                         "a 304 counted as another status")
        buckets = [v for k, v in samples.items() if k.startswith("lzs_request_duration_seconds_bucket")]
        self.assertEqual(buckets, sorted(buckets))
        self.assertEqual(samples['lzs_request_duration_seconds_bucket{le="+Inf"}'],
                         samples["lzs_request_duration_seconds_count"])
        self.assertGreater(samples["lzs_index_documents"], 0)
        self.assertGreaterEqual(samples["lzs_exports_running"], 0)
        self.assertEqual(samples["lzs_requests_shed_total"], 0)

    # ---- options ---------------------------------------------------------------------

    def test_options_documented(self):
        """The options of --help and the table of docs/api.md, both ways."""
        res = subprocess.run([ARGS.searchd, "--help"], env=harness.sanitizer_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        shown = set(re.findall(r"^  (--[a-z-]+)", res.stdout, re.M)) - {"--help", "--version"}
        with open(ARGS.doc, encoding="utf-8") as f:
            documented = set(re.findall(r"^\| `(--[a-z-]+)", f.read(), re.M))
        self.assertTrue(shown)
        self.assertEqual(shown, documented)


class SheddingTest(unittest.TestCase):
    """--max-queue-ms: a request that searches and waited too long in the server's queue
    is answered 503 busy at once, unworked. The wait is made by stopping the daemon
    (SIGSTOP) while complete requests arrive and letting it go on (SIGCONT) 1 s later:
    far over a limit of 300 ms, whatever the speed of the machine, while a request sent to
    an idle daemon stays far under it even on a loaded one."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lzs-searchd-shed-")
        cls.index = os.path.join(cls.tmp, "index")
        harness.build_index(ARGS.indexer, ARGS.corpus, cls.index)
        cls.blocks = harness.api_blocks(ARGS.doc)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def start(self, max_queue_ms):
        d = harness.Daemon(ARGS.searchd, self.index, threads=1,
                           extra=("--max-queue-ms", str(max_queue_ms)))
        self.addCleanup(self.finish, d)
        # The worker opens its searcher on its first request: done before any measure.
        self.assertEqual(d.request("/api/search?q=child").status, 200)
        return d

    def finish(self, d):
        rc = d.stop()
        with open(d.log_path, errors="replace") as f:
            log = f.read()
        shutil.rmtree(d.tmp, ignore_errors=True)
        reports = [l for l in log.splitlines() if any(m in l for m in harness.SANITIZER_MARKS)]
        if rc != 0 or reports:
            raise AssertionError("lzs-searchd exit status %d after SIGTERM; log:\n%s" %
                                 (rc, log[-4000:]))

    def assert_shed(self, r, what):
        self.assertEqual(r.status, 503, "%s: %s" % (what, r.body[:300]))
        self.assertEqual(r.headers.get("retry-after"), "10", what)
        self.assertTrue(r.headers.get("content-type", "").startswith("application/json"))
        v = r.json()
        self.assertEqual(harness.check_schema(
            harness.parse_fields(self.blocks[("fields", "error")]), v), [])
        self.assertEqual(v["error"]["code"], "busy", what)
        m = re.search(r"waited (\d+) ms in the server's queue \(limit 300 ms\)",
                      v["error"]["message"])
        self.assertIsNotNone(m, v["error"]["message"])
        self.assertGreater(int(m.group(1)), 300, v["error"]["message"])
        OBSERVED_ERRORS.add(("busy", 503))

    def test_long_wait_is_shed(self):
        d = self.start(300)
        before = d.metric("lzs_requests_shed_total")
        [r] = d.send_while_stopped(wait=1.0, paths=["/api/search?q=child"])
        self.assert_shed(r, "search")
        self.assertEqual(d.metric("lzs_requests_shed_total"), before + 1)
        # The next request did not wait: it is worked on as usual.
        r = d.request("/api/search?q=child")
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertGreater(r.json()["total"], 0)

    def test_routes_that_search_are_shed_others_not(self):
        d = self.start(300)
        hit = d.request("/api/search?q=grooming&size=1").json()["hits"][0]
        doc = urllib.parse.quote(hit["doc"]["id"], safe="")
        passage = urllib.parse.quote(hit["id"], safe="")
        before = d.metric("lzs_requests_shed_total")
        # the page "/" is rendered from a search: shed like one; a static file is not
        paths = ["/api/export?q=child", "/api/similar/" + passage, "/api/doc/" + doc,
                 "/api/compare?party=NO&party=IS", "/?q=child", "/api/search?size=x",
                 "/healthz", "/metrics", "/index.html"]
        res = dict(zip(paths, d.send_while_stopped(wait=1.0, paths=paths)))
        for path in paths[:5]:
            self.assert_shed(res[path], path)
        # A bad request is refused for what it is: trying it again later would not help.
        self.assertEqual(res["/api/search?size=x"].status, 400)
        for path in paths[6:]:
            self.assertEqual(res[path].status, 200, path)
        self.assertEqual(d.metric("lzs_requests_shed_total"), before + 5)
        self.assertEqual(d.request("/api/export?q=child&format=json").status, 200)

    def test_zero_never_sheds(self):
        d = self.start(0)
        [r] = d.send_while_stopped(wait=1.0, paths=["/api/search?q=child"])
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertGreater(r.json()["total"], 0)
        self.assertEqual(d.metric("lzs_requests_shed_total"), 0)

    def test_bad_values_refused(self):
        for value in ["-1", "abc", "99999999999999999999", "60001", "", "5ms"]:
            res = subprocess.run([ARGS.searchd, "--index", self.index, "--listen",
                                  "127.0.0.1:0", "--max-queue-ms", value],
                                 env=harness.sanitizer_env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, timeout=60)
            self.assertEqual(res.returncode, 2, "--max-queue-ms %r: %s" % (value, res.stderr))
            self.assertIn("--max-queue-ms must be", res.stderr)
            self.assertIn("'%s'" % value, res.stderr)


class HeadTimeoutTest(unittest.TestCase):
    """--head-timeout: the seconds a connection has, from its accept, to send its whole
    request head. A head that is never finished is answered 408 and closed once they have
    passed (the test waits for the close, not for a clock); the value is checked."""

    setUpClass = SheddingTest.__dict__["setUpClass"]
    tearDownClass = SheddingTest.__dict__["tearDownClass"]
    finish = SheddingTest.finish

    def test_unfinished_head_closed(self):
        d = harness.Daemon(ARGS.searchd, self.index, threads=1, extra=("--head-timeout", "1"))
        self.addCleanup(self.finish, d)
        s = harness.connect(d.port)
        s.sendall(b"GET /api/search?q=child HTTP/1.1\r\nHost: x\r\n")
        raw, how = harness.read_all(s)
        s.close()
        answers = harness.split_answers(raw)
        self.assertEqual([a[0] for a in answers], [408], raw[:300])
        status, headers, body = answers[0]
        for name, value in harness.SECURITY_HEADERS.items():
            self.assertEqual(headers.get(name), value, name)
        err = json.loads(body)["error"]
        self.assertEqual(err["code"], "request_timeout")
        self.assertIn("within 1 seconds", err["message"])
        self.assertEqual(how, "eof")
        OBSERVED_ERRORS.add(("request_timeout", 408))
        # A whole head is answered as usual.
        self.assertEqual(d.request("/healthz").status, 200)

    def test_bad_values_refused(self):
        for value in ["0", "-1", "abc", "601", "", "5s"]:
            res = subprocess.run([ARGS.searchd, "--index", self.index, "--listen",
                                  "127.0.0.1:0", "--head-timeout", value],
                                 env=harness.sanitizer_env(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, timeout=60)
            self.assertEqual(res.returncode, 2, "--head-timeout %r: %s" % (value, res.stderr))
            self.assertIn("--head-timeout must be", res.stderr)
            self.assertIn("'%s'" % value, res.stderr)


class MaxPostingsTest(unittest.TestCase):
    """--max-postings and --max-expansion: a query whose prefixes and OR lists are estimated
    to read more postings of the index than the limit, or whose prefixes expand to more
    terms, is refused 400 limit before it runs, naming the estimate and the limit (the
    message, and error.cost); plain queries never are; --max-postings 0 lifts the limit.
    (Daemons of its own, set up and checked as SheddingTest's.)"""

    setUpClass = SheddingTest.__dict__["setUpClass"]
    tearDownClass = SheddingTest.__dict__["tearDownClass"]
    finish = SheddingTest.finish

    def start_with(self, *extra):
        d = harness.Daemon(ARGS.searchd, self.index, threads=1, extra=extra)
        self.addCleanup(self.finish, d)
        return d

    def test_costly_query_refused(self):
        d = self.start_with("--max-postings", "1")
        r = d.request("/api/search?q=child%20OR%20abuse")
        self.assertEqual(r.status, 400, r.body[:300])
        v = r.json()
        self.assertEqual(v["error"]["code"], "limit")
        self.assertEqual(v["error"]["param"], "q")
        m = re.search(r"would read about (\d+) postings of the index \(limit 1\)",
                      v["error"]["message"])
        self.assertIsNotNone(m, v["error"]["message"])
        cost = v["error"]["cost"]
        self.assertEqual(cost["postings"], int(m.group(1)))
        self.assertGreater(cost["postings"], 1)
        self.assertEqual(cost["terms"], 0)
        self.assertEqual(cost["max_postings"], 1)
        self.assertEqual(cost["max_expansion"], 500)
        # An export of the same query is refused the same way, before it streams.
        r = d.request("/api/export?q=child%20OR%20abuse")
        self.assertEqual(r.status, 400, r.body[:300])
        self.assertEqual(r.json()["error"]["code"], "limit")
        self.assertEqual(r.json()["error"]["cost"], cost)
        # Plain queries are never refused for their cost: a word, browsing, grouping.
        for path in ["/api/search?q=child", "/api/search?q=the&group=document",
                     "/api/search?q=", "/api/search?q=%22sexual%20abuse%22&party=NO"]:
            r = d.request(path)
            self.assertEqual(r.status, 200, "%s: %s" % (path, r.body[:300]))
            self.assertGreater(r.json()["total"], 0, path)
        # Other errors carry no estimate.
        r = d.request("/api/search?q=child%20foo:bar")
        self.assertEqual(r.status, 400, r.body[:300])
        self.assertNotIn("cost", r.json()["error"])

    def test_expansion_refused(self):
        d = self.start_with("--max-expansion", "2")
        r = d.request("/api/search?q=ratif*")
        self.assertEqual(r.status, 400, r.body[:300])
        err = r.json()["error"]
        self.assertEqual((err["code"], err["position"]), ("limit", 0))
        self.assertIn("(limit 2 terms)", err["message"])
        self.assertGreater(err["cost"]["terms"], 2)
        self.assertEqual(err["cost"]["max_expansion"], 2)
        self.assertEqual(err["cost"]["max_postings"], 400000)
        self.assertEqual(d.request("/api/search?q=ratification").status, 200)

    def test_parallel_postings_same_answers(self):
        # 1: every query with words reads its match set on a second thread; 0: never
        paths = ["/api/search?q=the&facets=1", "/api/search?q=child%20OR%20children&facets=1",
                 "/api/search?q=co-operation&group=document&facets=1",
                 "/api/search?q=protection&party=NO&facets=1"]
        answers = {}
        for value in ["1", "0"]:
            d = self.start_with("--parallel-postings", value)
            for path in paths:
                r = d.request(path)
                self.assertEqual(r.status, 200, "%s %s: %s" % (value, path, r.body[:300]))
                v = r.json()
                answers.setdefault(path, []).append(
                    (v["total"], v["facets"], [h["id"] for h in v["hits"]]))
        for path, (two, one) in answers.items():
            self.assertGreater(one[0], 0, path)
            self.assertEqual(two, one, path)

    def test_default_and_zero_answer(self):
        for value in ["400000", "0"]:
            d = self.start_with("--max-postings", value)
            r = d.request("/api/search?q=child%20OR%20abuse%20OR%20protection%20OR%20ratif*")
            self.assertEqual(r.status, 200, "%s: %s" % (value, r.body[:300]))
            self.assertGreater(r.json()["total"], 0)

    def test_bad_values_refused(self):
        for option, values in [
                ("--max-postings", ["-1", "abc", "99999999999999999999", "1000000001", "", "5k"]),
                ("--max-expansion", ["0", "-1", "abc", "100001", "", "5k", "1e3"]),
                ("--connections-per-address", ["-1", "abc", "257", "", "5k", "+2", " 2"]),
                ("--parallel-postings", ["-1", "abc", "1000000001", "", "5k", "2e4"])]:
            for value in values:
                res = subprocess.run([ARGS.searchd, "--index", self.index, "--listen",
                                      "127.0.0.1:0", option, value],
                                     env=harness.sanitizer_env(), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, timeout=60)
                self.assertEqual(res.returncode, 2, "%s %r: %s" % (option, value, res.stderr))
                self.assertIn("%s must be" % option, res.stderr)
                self.assertIn("'%s'" % value, res.stderr)


class ConnectionsPerAddressTest(unittest.TestCase):
    """--connections-per-address N: the connections one client address may hold at once
    (default 32; 0: no limit per address, for a daemon behind a reverse proxy, where every
    client has the proxy's address). One more is closed unanswered. (Daemons of their own,
    set up and checked as SheddingTest's.)"""

    setUpClass = SheddingTest.__dict__["setUpClass"]
    tearDownClass = SheddingTest.__dict__["tearDownClass"]
    finish = SheddingTest.finish
    start_with = MaxPostingsTest.start_with

    def one_more(self, d, held):
        """Holds held connections open from 127.0.0.1, each with part of a request head
        sent (so each is being screened, and counted), and asks GET /healthz on one more:
        its status, or 0 when it was closed unanswered. The daemon accepts connections in
        the order they were made, so the held ones are counted before the last is judged."""
        conns = []
        try:
            for _ in range(held):
                s = harness.connect(d.port)
                conns.append(s)
                s.sendall(b"GET /healthz HTTP/1.1\r\n")
            raw, _ = harness.exchange(d.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        finally:
            for s in conns:
                s.close()
        answers = harness.split_answers(raw)
        return answers[0][0] if answers else 0

    def test_a_third_connection_refused_at_two(self):
        self.assertEqual(self.one_more(self.start_with("--connections-per-address", "2"), 2), 0,
                         "a third connection from the address is closed unanswered")

    def test_default_takes_a_third_and_refuses_the_33rd(self):
        d = self.start_with()
        self.assertEqual(self.one_more(d, 2), 200, "a third connection is answered")
        self.assertEqual(self.one_more(d, 32), 0, "the 33rd is not")

    def test_zero_is_no_limit_per_address(self):
        d = self.start_with("--connections-per-address=0")
        self.assertEqual(self.one_more(d, 40), 200, "the 41st connection is answered")


class LanguageTest(unittest.TestCase):
    """read_as, explain, versions, rec_key and facet recs over the shipped corpus and the
    French and English fixtures of tests/data/lang (see tests/test_lang.c)."""
    daemon = None

    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(LANG_FIXTURES):
            raise AssertionError("the fixtures %s are missing" % LANG_FIXTURES)
        cls.tmp = tempfile.mkdtemp(prefix="lzs-searchd-lang-")
        cls.index = os.path.join(cls.tmp, "index")
        harness.build_index(ARGS.indexer, ARGS.corpus, cls.index, LANG_FIXTURES)
        cls.blocks = harness.api_blocks(ARGS.doc)
        cls.daemon = harness.Daemon(ARGS.searchd, cls.index)

    @classmethod
    def tearDownClass(cls):
        rc = cls.daemon.stop() if cls.daemon else 0
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if rc != 0:
            raise AssertionError("lzs-searchd exit status %d after SIGTERM" % rc)

    def get(self, path, expect=200):
        r = self.daemon.request(path)
        self.assertEqual(r.status, expect, "%s: %s" % (path[:120], r.body[:300]))
        return r.json()

    def assert_schema(self, name, value):
        spec = harness.parse_fields(self.blocks[("fields", name)])
        self.assertEqual(harness.check_schema(spec, value), [], "route %s" % name)

    def test_read_as(self):
        v = self.get("/api/search?q=grooming&size=5&explain=1")
        self.assert_schema("search", v)
        ra = v["query"]["read_as"]
        self.assertTrue(ra["summary"].startswith("grooming \u2192 grooming, groom\u2026"), ra)
        self.assertEqual((ra["lang"], ra["lang_source"]), ("en", "words"))
        term = ra["terms"][0]
        self.assertIn("solicitation of children for sexual purposes", term["synonyms"])
        self.assertIn({"lang": "fr", "text": "sollicitation d'enfants à des fins sexuelles"},
                      term["translations"])
        # a French query meets the English passages, and says so
        v = self.get("/api/search?" + urllib.parse.urlencode(
            {"q": "sollicitation d'enfants", "lang": "en", "explain": "1", "size": "5"}))
        self.assert_schema("search", v)
        self.assertGreater(v["total"], 0)
        for h in v["hits"]:
            self.assertEqual(h["doc"]["lang"], "en")
            self.assertEqual(h["explain"][0]["term"], "sollicitation d'enfants")
            self.assertTrue(h["explain"][0]["matched"])
        # Party names in the text of the query, filters
        v = self.get("/api/search?" + urllib.parse.urlencode(
            {"q": "Turquie", "party": "Macédoine du Nord", "size": "5"}))
        self.assert_schema("search", v)
        ra = v["query"]["read_as"]
        self.assertEqual(ra["terms"][0]["party"]["code"], "TR")
        self.assertIn("Turkey", ra["terms"][0]["party"]["names"])
        self.assertEqual(ra["filters"], [{"field": "party", "value": "MK",
                                          "label": "North Macedonia", "source": "param",
                                          "negated": False}])
        self.assertGreater(v["total"], 0)

    def test_explain_parameter(self):
        r = self.daemon.request("/api/search?q=grooming&explain=2")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["param"], "explain")
        r = self.daemon.request("/api/similar/T-ES(2021)31:13?explain=1")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["param"], "explain")

    def test_versions(self):
        d = self.get("/api/doc/" + urllib.parse.quote("T-ES(2024)81", safe=""))
        self.assert_schema("doc", d)
        self.assertEqual([(x["id"], x["lang"]) for x in d["doc"]["versions"]],
                         [("T-ES(2024)81_fr", "fr")])
        d = self.get("/api/doc/" + urllib.parse.quote("T-ES(2024)81_fr", safe=""))
        self.assertEqual([(x["id"], x["lang"]) for x in d["doc"]["versions"]],
                         [("T-ES(2024)81", "en")])
        # through a sidecar's version_of
        d = self.get("/api/doc/003_439bdb46cbe148c3")
        self.assertEqual([(x["id"], x["lang"]) for x in d["doc"]["versions"]],
                         [("fiche_cooperation_internationale_fr", "fr")])
        self.assertEqual(self.get("/api/doc/T-ES(2021)31")["doc"]["versions"], [])

    def test_rec_key_and_recs(self):
        for rec in ("V-17", "R%20V-17", "2nd-round%3AV-17"):
            v = self.get("/api/search?rec=%s&size=10" % rec)
            self.assert_schema("search", v)
            self.assertEqual(v["total"], 3, rec)
            self.assertEqual({h["passage"]["rec_key"] for h in v["hits"]}, {"2nd-round:V-17"})
            self.assertEqual({h["passage"]["rec_id"] for h in v["hits"]}, {"V-17", "R V-17"})
        v = self.get("/api/search?addressee=NO&level=require&size=0")
        level = [f for f in v["facets"]["level"] if f["value"] == "require"][0]
        self.assertEqual((level["count"], level["recs"]), (3, 1))
        no = [f for f in v["facets"]["addressee"] if f["value"] == "NO"][0]
        self.assertEqual((no["count"], no["recs"]), (3, 1))
        # doc passages carry the key too
        d = self.get("/api/doc/country_factsheet_norway")
        self.assertIn("2nd-round:V-17", [p["rec_key"] for p in d["passages"]])

    # ---- /api/compare ----------------------------------------------------------------

    def compare(self, query, expect=200):
        r = self.daemon.request("/api/compare?" + query)
        self.assertEqual(r.status, expect, "%s: %s" % (query[:120], r.body[:300]))
        return r

    @staticmethod
    def cell(answer, article, party):
        row = [r for r in answer["rows"] if r["article"] == article][0]
        if party == "all":
            return row["all"]
        return [c for c in row["cells"] if c["party"] == party][0]["recs"]

    def test_compare_table(self):
        v = self.compare("party=NO&party=BG&party=Belgique").json()
        self.assert_schema("compare", v)
        self.assertEqual([(p["code"], p["name"], p["total"]) for p in v["parties"]],
                         [("NO", "Norway", 2), ("BG", "Bulgaria", 2), ("BE", "Belgium", 1)])
        self.assertEqual([r["article"] for r in v["rows"]], ["20", "21", "38"])
        self.assertTrue(v["rows"][2]["label"].startswith("Art. 38 \u2013 "), v["rows"][2])
        for row in v["rows"]:
            self.assertEqual([c["party"] for c in row["cells"]], ["NO", "BG", "BE"])
        # V-17: three copies (the thematic factsheet, its French version, the country
        # factsheet's R V-17), one entry, the English statement first
        no38 = self.cell(v, "38", "NO")
        self.assertEqual([e["key"] for e in no38], ["2nd-round:V-17", "2nd-round:V-19"])
        v17 = no38[0]
        self.assertEqual((v17["rec_id"], v17["level"], v17["doc"], v17["lang"]),
                         ("V-17", "require", "003_439bdb46cbe148c3", "en"))
        self.assertEqual(sorted((x["doc"], x["lang"], x["rec_id"]) for x in v17["versions"]),
                         [("country_factsheet_norway", "en", "R V-17"),
                          ("fiche_cooperation_internationale_fr", "fr", "V-17")])
        self.assertIn("NO", v17["addressees"])
        self.assertTrue(v17["text"].endswith("\u2026"), v17["text"])
        self.assertEqual([e["key"] for e in self.cell(v, "38", "BE")], ["2nd-round:V-18"])
        self.assertEqual([e["key"] for e in self.cell(v, "20", "BG")], ["2nd-round:V-1"])
        self.assertEqual(self.cell(v, "20", "NO"), [])
        # recommendations to all Parties: their own list, each once
        keys = [e["key"] for e in self.cell(v, "38", "all")]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertEqual(v["all"]["total"], len(keys))
        self.assertIn("2nd-round:V-3", keys)
        every = {e["key"] for r in v["rows"] for c in r["cells"] for e in c["recs"]}
        every |= {e["key"] for r in v["rows"] for e in r["all"]}
        self.assertEqual(v["total"], len(every))
        self.assertGreater(v["passages"], v["total"])
        self.assertFalse(v["capped"])

    def test_compare_filters(self):
        v = self.compare("party=NO&party=BG&party=BE&level=require").json()
        self.assert_schema("compare", v)
        self.assertEqual([[e["key"] for e in c["recs"]] for c in v["rows"][0]["cells"]],
                         [["2nd-round:V-17"], [], ["2nd-round:V-18"]])
        self.assertEqual(v["all"]["total"], 0)
        self.assertEqual(v["query"]["read_as"]["filters"][0]["value"], "require")
        # in French only: the French copy is the entry, with no other version
        v = self.compare("party=Norv%C3%A8ge&party=BE&lang=fr&level=require").json()
        v17 = self.cell(v, "38", "NO")[0]
        self.assertEqual((v17["doc"], v17["lang"], v17["versions"]),
                         ("fiche_cooperation_internationale_fr", "fr", []))
        # the query's words select, as in a search
        v = self.compare("party=NO&party=BE&q=development").json()
        self.assertEqual([e["key"] for e in self.cell(v, "38", "NO")], ["2nd-round:V-19"])
        self.assertEqual(self.cell(v, "38", "BE"), [])

    def test_compare_errors(self):
        for query, param, fragment in [
                ("party=NO", "party", "two or more"),
                ("party=NO&party=Norway", "party", "two or more"),
                ("", "party", "none was given"),
                ("party=NO&party=Atlantis", "party", "'Atlantis' is not a Party"),
                ("party=NO&party=IS&addressee=SE", "addressee", "not addressee"),
                ("party=NO&party=IS&size=3", "size", "unknown parameter"),
                ("party=NO&party=IS&format=xml", "format", "csv or json"),
                ("party=NO&party=IS&level=often", "level", "unknown level")]:
            err = self.compare(query, expect=400).json()["error"]
            self.assertEqual((err["code"], err["param"]), ("bad_parameter", param), query)
            self.assertIn(fragment, err["message"], query)
        # every documented parameter is taken
        for p, (typ, default, _) in harness.parse_params(
                self.blocks[("params", "compare")]).items():
            value = {"string": "x", "string[]": "NO", "integer": "1"}.get(typ, default)
            r = self.daemon.request("/api/compare?party=IS&party=BE&%s=%s" % (p, value))
            if r.status == 400:
                self.assertNotIn("unknown parameter", r.json()["error"]["message"], p)
            else:
                self.assertEqual(r.status, 200, (p, r.body[:300]))

    def test_compare_csv(self):
        v = self.compare("party=NO&party=BG").json()
        r = self.compare("party=NO&party=BG&format=csv")
        self.assertEqual(r.headers["content-type"], "text/csv; charset=utf-8; header=present")
        self.assertIn("lanzasearch-compare.csv", r.headers["content-disposition"])
        self.assertFalse(r.body.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"), newline="")))
        header = self.blocks[("csv", "compare")].strip().split(",")
        self.assertEqual(rows[0], header)
        self.assertEqual(header[-1], "url")
        want = []
        for row in v["rows"]:
            for c in row["cells"]:
                want += [(row["article"], c["party"], e["key"]) for e in c["recs"]]
            want += [(row["article"], "all", e["key"]) for e in row["all"]]
        got = [(x[0], x[2], x[6] or x[8]) for x in rows[1:]]
        self.assertEqual(got, want)
        line = [x for x in rows[1:] if x[2] == "NO" and x[5] == "V-17"][0]
        rec = dict(zip(header, line))
        self.assertEqual(rec["url"], "/?doc=003_439bdb46cbe148c3&p=003_439bdb46cbe148c3%3A120")
        self.assertEqual(rec["passage_id"], "003_439bdb46cbe148c3:120")
        self.assertEqual(sorted(rec["versions"].split(";")),
                         ["country_factsheet_norway:6", "fiche_cooperation_internationale_fr:20"])
        # the url opens the passage: its document and id as the page reads them
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(rec["url"]).query)
        self.assertEqual((q["doc"], q["p"]), ([rec["doc_id"]], [rec["passage_id"]]))
        # bom=1: the same table after the byte order mark; not for JSON
        b = self.compare("party=NO&party=BG&format=csv&bom=1")
        self.assertEqual(b.body, b"\xef\xbb\xbf" + r.body)
        err = self.compare("party=NO&party=BG&bom=1", expect=400).json()["error"]
        self.assertEqual(err["param"], "bom")

    def test_party_every_name(self):
        totals = {name: self.get("/api/search?" + urllib.parse.urlencode(
            {"party": name, "size": "0", "facets": "0"}))["total"]
                  for name in ("GB", "UK", "Royaume-Uni", "United Kingdom", "Great Britain")}
        self.assertEqual(len(set(totals.values())), 1, totals)
        self.assertGreater(totals["UK"], 0)


class SharedColumnsTest(unittest.TestCase):
    """--threads 2: both threads count facets over one copy of the facet columns (the
    daemon's pool), the same counts and the same bytes as one thread alone."""

    # Filter-only (cached) and weighted requests, every facet, grouped or not. Each twice,
    # on consecutive connections: the HTTP library gives a connection to the thread its
    # socket number picks (modulo the threads), so each is counted by both threads.
    PATHS = ["/api/search?facets=1&size=0", "/api/search?q=child&facets=1&size=0",
             "/api/search?party=NO&facets=1&size=0",
             "/api/search?q=recommendation&group=document&facets=1&size=0"]

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lzs-searchd-cols-")
        cls.index = os.path.join(cls.tmp, "index")
        harness.build_index(ARGS.indexer, ARGS.corpus, cls.index)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def serve(self, threads):
        """The answers (total and facets) to PATHS, each twice at once, and /metrics after."""
        d = harness.Daemon(ARGS.searchd, self.index, threads=threads)
        try:
            paths = [p for p in self.PATHS for _ in range(2)]
            answers = d.send_while_stopped(paths, wait=0.1)
            metrics = d.metrics()
        finally:
            try:
                d.finish()
            finally:
                shutil.rmtree(d.tmp, ignore_errors=True)
        got = []
        for path, r in zip(paths, answers):
            self.assertEqual(r.status, 200, "%s: %r" % (path, r.body[:300]))
            v = r.json()
            self.assertTrue(v["facets"]["party"], path)
            got.append((path, v["total"], v["facets"]))
        return got, metrics

    def test_two_threads_one_copy(self):
        one, m1 = self.serve(1)
        two, m2 = self.serve(2)
        self.assertEqual(two, one)
        self.assertGreater(m1["lzs_columns_bytes"], 0)
        # one copy: the bytes of one thread's columns, not twice them
        self.assertEqual(m2["lzs_columns_bytes"], m1["lzs_columns_bytes"])
        self.assertEqual(m2["lzs_column_revisions"], 1)


def main():
    harness.unittest_main(globals(), "searchd", "indexer", "corpus", "doc", "web")


if __name__ == "__main__":
    main()
