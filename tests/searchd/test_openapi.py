"""Contract test of lzs-searchd against docs/openapi.yaml: the real daemon over HTTP on an
ephemeral loopback port, serving an index of the shipped corpus and the French and English
fixtures of tests/data/lang, built with the real lzs-index.

    test_openapi.py --searchd BIN --indexer BIN --corpus DIR --spec docs/openapi.yaml
                    --doc docs/api.md --web DIR

Every route and the main parameter combinations are requested; each answer's status must
be one the YAML lists for its operation, its Content-Type one of that answer's media
types, and each JSON answer valid against that answer's schema (Draft 2020-12, with
python3-jsonschema; $ref resolved over the whole YAML); each CSV export's header row must
be the YAML's columns (after the byte order mark bom=1 asks for); the headers the YAML
gives a fixed value or a list of values must have it, a 304 must be an answer the YAML
lists, without a body; a gzip-compressed answer is validated as what it decompresses to.
Negative checks prove the schemas are tight enough to fail: a real
answer with an extra field, a field of the wrong type or a required field missing is
rejected. scripts/openapi.py is also run on altered copies of docs/api.md and the YAML, to
prove its check fails where they disagree."""

import copy
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

try:
    import yaml
except ImportError:
    sys.exit("test_openapi: the Python module yaml is missing: install the Debian package "
             "python3-yaml (scripts/install-deps.sh --test)")
try:
    import jsonschema
except ImportError:
    sys.exit("test_openapi: the Python module jsonschema is missing: install the Debian "
             "package python3-jsonschema (scripts/install-deps.sh --test)")
if not hasattr(jsonschema, "Draft202012Validator"):
    sys.exit("test_openapi: this jsonschema has no Draft 2020-12 validator: install the "
             "Debian 12 package python3-jsonschema (4.10 or later)")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(ROOT, "scripts", "openapi.py")
ROUTES_C = os.path.join(ROOT, "searchd", "routes.c")
LANG_FIXTURES = os.path.join(HERE, "..", "data", "lang")
# The URI the YAML is known by to the validator: never fetched, the document is given.
BASE = "https://lanzasearch.invalid/openapi.yaml"

ARGS = None


def q(s):
    return urllib.parse.quote(s, safe="")


def json_pointer(*parts):
    return "#/" + "/".join(q(str(p).replace("~", "~0").replace("/", "~1")) for p in parts)


class Contract:
    """The YAML, and Draft 2020-12 validators of its schemas with $ref resolved over it."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.spec = yaml.safe_load(f)
        try:
            # jsonschema 4.18 and later resolve through a registry ...
            import referencing
            import referencing.jsonschema
            resource = referencing.Resource.from_contents(
                self.spec, default_specification=referencing.jsonschema.DRAFT202012)
            registry = referencing.Registry().with_resource(BASE, resource)
            self._make = lambda schema: jsonschema.Draft202012Validator(schema,
                                                                        registry=registry)
        except ImportError:
            # ... Debian 12's 4.10 through a RefResolver.
            resolver = jsonschema.RefResolver(BASE, self.spec, store={BASE: self.spec})
            self._make = lambda schema: jsonschema.Draft202012Validator(schema,
                                                                        resolver=resolver)

    def validator(self, pointer):
        """A validator of the schema at pointer (#/...) of the YAML."""
        return self._make({"$ref": BASE + pointer})

    def operation(self, op_id):
        for path, item in self.spec["paths"].items():
            for method, op in item.items():
                if isinstance(op, dict) and op.get("operationId") == op_id:
                    return path, method, op
        raise AssertionError("no operation %s in the YAML" % op_id)

    def response(self, op_id, status):
        """(pointer of the Response object, the object) of op_id's answer with status."""
        path, method, op = self.operation(op_id)
        resp = op["responses"].get(str(status))
        if resp is None:
            raise AssertionError("the YAML lists no %d answer for %s (%s %s)" %
                                 (status, op_id, method.upper(), path))
        if "$ref" in resp:
            return resp["$ref"], self.resolve(resp["$ref"])
        return json_pointer("paths", path, method, "responses", str(status)), resp

    def resolve(self, pointer):
        node = self.spec
        for part in pointer[2:].split("/"):
            node = node[urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")]
        return node


class ContractTest(unittest.TestCase):
    daemon = None

    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(LANG_FIXTURES):
            raise AssertionError("the fixtures %s are missing" % LANG_FIXTURES)
        cls.contract = Contract(ARGS.spec)
        cls.tmp = tempfile.mkdtemp(prefix="lzs-searchd-openapi-")
        cls.index = os.path.join(cls.tmp, "index")
        harness.build_index(ARGS.indexer, ARGS.corpus, cls.index, LANG_FIXTURES)
        # --max-expansion 100: a* over the small corpus is then refused by the cost limit,
        # so that its error (with error.cost) is validated too.
        cls.daemon = harness.Daemon(ARGS.searchd, cls.index, web_dir=ARGS.web,
                                    extra=("--base-url", "http://lanza.example",
                                           "--max-expansion", "100"))
        cls.seen = set()  # (operationId, status) validated

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.daemon:
                cls.daemon.finish()
        finally:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    # ---- helpers ---------------------------------------------------------------------

    def check_answer(self, op_id, status, headers, body, what):
        """The answer (status, headers, body bytes) against op_id's answer for status in
        the YAML: its media type, and its JSON against that media type's schema."""
        pointer, resp = self.contract.response(op_id, status)
        for name, h in resp.get("headers", {}).items():
            h = self.contract.resolve(h["$ref"]) if "$ref" in h else h
            if "const" in h.get("schema", {}):
                self.assertEqual(headers.get(name.lower()), h["schema"]["const"],
                                 "%s: header %s" % (what, name))
            if name.lower() in headers and "enum" in h.get("schema", {}):
                self.assertIn(headers[name.lower()], h["schema"]["enum"],
                              "%s: header %s" % (what, name))
        self.seen.add((op_id, status))
        if status == 304:
            self.assertEqual(body, b"", "%s: a 304 with a body" % what)
            self.assertNotIn("content", resp, "%s: the YAML's 304 has content" % what)
            return None
        ctype = headers.get("content-type", "")
        content = resp.get("content", {})
        self.assertIn(ctype, content, "%s: Content-Type %r is not one of the YAML's %s" %
                      (what, ctype, sorted(content)))
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        # A file of the page (app.json) is JSON but no answer of the API.
        if not ctype.startswith("application/json") or (op_id == "page" and status == 200):
            return None
        value = json.loads(body.decode("utf-8"))
        v = self.contract.validator(pointer + "/content/" + q(ctype.replace("/", "~1")) +
                                    "/schema")
        errors = sorted(v.iter_errors(value), key=lambda e: list(e.absolute_path))
        self.assertEqual([], ["%s at %s: %s" % (what, "/".join(map(str, e.absolute_path)),
                                                e.message) for e in errors][:10])
        return value

    def get(self, op_id, path, expect=200, method="GET", headers=None, body=None):
        r = self.daemon.request(path, method=method, headers=headers, body=body)
        self.assertEqual(r.status, expect, "%s %s: %s" % (method, path[:120], r.body[:300]))
        if method == "HEAD":
            self.assertEqual(r.body, b"")
            return None
        return self.check_answer(op_id, r.status, r.headers, r.body,
                                 "%s %s" % (method, path[:120]))

    def raw(self, op_id, data, expect):
        """A raw request (bytes) the daemon answers without reading the rest."""
        got, _ = harness.exchange(self.daemon.port, data)
        answers = harness.split_answers(got)
        self.assertTrue(answers, "no answer to %r" % data[:80])
        status, headers, body = answers[0]
        self.assertEqual(status, expect, "%r: %r" % (data[:80], got[:300]))
        return self.check_answer(op_id, status, headers, body, "raw %r" % data[:40])

    def valid(self, pointer, value):
        return self.contract.validator(pointer).is_valid(value)

    # ---- the YAML as a whole ---------------------------------------------------------

    def test_schemas_are_draft_2020_12(self):
        schemas = self.contract.spec["components"]["schemas"]
        for name, schema in schemas.items():
            jsonschema.Draft202012Validator.check_schema(schema)
        self.assertIn("search", schemas)

    # ---- every route, its answers validated ------------------------------------------

    def test_search(self):
        answers = []
        for query in ["q=child&facets=1&size=20", "q=recommendation&group=document&size=10",
                      "level=require&size=50", "q=grooming&sort=newest",
                      "q=grooming&sort=oldest&size=5", "size=100&sort=order",
                      "q=Lanzarote&size=5&offset=5", "facets=0&size=3", "size=0",
                      "q=grooming%20Norway%20-helpline%20co-op*&explain=1&party=NO&size=20",
                      "q=%22child%20sexual%20abuse%22%20OR%20Turkey&explain=1&lang=en",
                      "q=child&group=document&explain=1&facets=0&sort=newest",
                      "party=NO&party=SE&year=2015..2019&size=20",
                      "year=none&size=5", "type=opinion&article=23&size=5",
                      "rec=V-17&size=10", "addressee=NO&level=require&size=0",
                      "q=childd%20abuze&size=3",
                      "q=" + q("sollicitation d'enfants") + "&lang=en&explain=1&size=5",
                      "q=Turquie&party=" + q("Macédoine du Nord") + "&size=5",
                      "ref=" + q("T-ES(2021)31") + "&q=" + q("party:NO OR rec:V-17")]:
            answers.append(self.get("search", "/api/search?" + query))
        # The index's one collection, as a filter too.
        name = answers[0]["facets"]["collection"][0]["value"]
        answers.append(self.get("search", "/api/search?q=child&collection=" + q(name)))
        self.get("search", "/api/search?q=child", method="HEAD")
        # The requests reach what is optional or nullable in the schema, so that it is
        # validated too, not only its absence.
        hits = [h for a in answers for h in a["hits"]]
        self.assertTrue(any("matches" in h for h in hits), "no hit with matches")
        self.assertTrue(any("explain" in h for h in hits), "no hit with explain")
        self.assertTrue(any(a["suggestion"] for a in answers), "no suggestion")
        terms = [t for a in answers for t in a["query"]["read_as"]["terms"]]
        self.assertTrue(any(t["party"] for t in terms), "no term naming a Party")
        self.assertTrue(any(t["translations"] for t in terms), "no term with translations")
        self.assertTrue(any(a["query"]["read_as"]["filters"] for a in answers), "no filter")
        self.assertTrue(any(h["passage"]["rec_key"] for h in hits), "no recommendation")
        self.assertTrue(any(h["passage"]["page"] is None for h in hits))
        self.assertEqual({k for a in answers for k in a["facets"]},
                         {"party", "addressee", "article", "year", "level", "type", "lang",
                          "cites", "instrument", "collection"})

    def test_doc(self):
        docs = [self.get("doc", "/api/doc/" + q(d))
                for d in ("T-ES(2021)31", "T-ES(2024)81", "T-ES(2024)81_fr",
                          "003_439bdb46cbe148c3", "country_factsheet_norway")]
        self.assertTrue(any(d["doc"]["versions"] for d in docs), "no document with versions")
        self.assertTrue(all(d["doc"]["files"] for d in docs))
        self.get("doc", "/api/doc/" + q("T-ES(2021)31"), method="HEAD")

    def test_similar(self):
        hit = self.get("search", "/api/search?q=child&size=1")["hits"][0]
        for query in ("", "?size=3", "?size=100"):
            v = self.get("similar", "/api/similar/" + q(hit["id"]) + query)
            self.assertEqual(v["id"], hit["id"])
            self.assertTrue(v["hits"])

    def test_feed(self):
        for query in ("", "?q=child", "?q=grooming&party=NO&lang=en"):
            self.get("feed", "/api/feed" + query)
        self.get("feed", "/api/feed?size=3", expect=400)

    def test_file(self):
        self.get("file", "/api/file/%s/1" % q("T-ES(2021)31"))
        self.get("file", "/api/file/%s/1" % q("T-ES(2021)31"), method="HEAD")

    def test_export(self):
        for query in ("format=json&q=child", "format=json&level=require&sort=newest",
                      "format=json&q=child&explain=1&group=document&offset=3&size=1&facets=0"):
            rows = self.get("export", "/api/export?" + query)
            self.assertTrue(rows, query)
        _, resp = self.contract.response("export", 200)
        csv_types = [t for t in resp["content"] if t.startswith("text/csv")]
        self.assertEqual(len(csv_types), 1, sorted(resp["content"]))
        columns = resp["content"][csv_types[0]]["x-csv-columns"]
        for query in ("q=child", "format=csv&level=require&party=NO&party=SE", "q=zzzzqqq"):
            r = self.daemon.request("/api/export?" + query)
            self.assertEqual(r.status, 200, r.body[:300])
            self.check_answer("export", 200, r.headers, r.body, query)
            self.assertEqual(r.text().split("\r\n", 1)[0].split(","), columns, query)
            for name in resp["headers"]:
                self.assertIn(name.lower(), r.headers, "%s: header %s" % (query, name))
            self.assertIn(r.headers["x-export-capped"],
                          resp["headers"]["X-Export-Capped"]["schema"]["enum"])
        # bom=1: the UTF-8 byte order mark, then the same header row
        r = self.daemon.request("/api/export?q=child&bom=1")
        self.assertEqual(r.status, 200, r.body[:300])
        self.check_answer("export", 200, r.headers, r.body, "bom=1")
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"), r.body[:20])
        self.assertEqual(r.body[3:].decode("utf-8").split("\r\n", 1)[0].split(","), columns)
        self.assertEqual(columns[-2:], ["url", "collection"])
        self.get("export", "/api/export?q=child", method="HEAD")

    def test_compare(self):
        answers = []
        for query in ["party=NO&party=SE", "party=Norway&party=IS&party=TR&level=require",
                      "party=NO&party=FR&lang=fr", "party=NO&party=SE&q=" + q("child"),
                      "party=NO&party=IS&article=23&year=2015..2024",
                      "party=BG&party=RU", "party=NO&party=SE&q=zzzzqqq"]:
            v = self.get("compare", "/api/compare?" + query)
            self.assertGreaterEqual(len(v["parties"]), 2, query)
            answers.append(v)
        self.get("compare", "/api/compare?party=NO&party=SE", method="HEAD")
        # the requests reach what is nullable or optional in the schema
        rows = [r for a in answers for r in a["rows"]]
        entries = [e for r in rows for c in r["cells"] for e in c["recs"]] + \
            [e for r in rows for e in r["all"]]
        self.assertTrue(entries, "no entry in any comparison")
        # (no recommendation of the fixtures is without an article once its copies are one
        # entry: a row with article null is validated by the schema's type only)
        self.assertTrue(any(len(a["rows"]) > 1 for a in answers), "no table of several rows")
        self.assertTrue(any(not a["rows"] for a in answers), "no empty table")
        self.assertTrue(any(r["all"] for r in rows), "no entry addressed to all Parties")
        self.assertTrue(any(e["versions"] for e in entries), "no entry with versions")
        self.assertEqual([], [a for a in answers if a["capped"]])
        # the CSV: the YAML's columns, after the byte order mark with bom=1
        _, resp = self.contract.response("compare", 200)
        csv_types = [t for t in resp["content"] if t.startswith("text/csv")]
        self.assertEqual(len(csv_types), 1, sorted(resp["content"]))
        columns = resp["content"][csv_types[0]]["x-csv-columns"]
        for query, bom in (("party=NO&party=SE&format=csv", False),
                           ("party=NO&party=SE&format=csv&bom=1&level=require", True)):
            r = self.daemon.request("/api/compare?" + query)
            self.assertEqual(r.status, 200, r.body[:300])
            self.check_answer("compare", 200, r.headers, r.body, query)
            self.assertEqual(r.body.startswith(b"\xef\xbb\xbf"), bom, r.body[:20])
            lines = r.body[3 if bom else 0:].decode("utf-8").split("\r\n")
            self.assertEqual(lines[0].split(","), columns, query)
            self.assertGreater(len(lines), 2, "%s: no entry" % query)
            self.assertIn("content-disposition", r.headers, query)
        # errors: one Party, an addressee, bom with JSON, a query that cannot be parsed
        for path, code, param in [
                ("/api/compare?party=NO&party=Norway", "bad_parameter", "party"),
                ("/api/compare?party=NO&party=Atlantis", "bad_parameter", "party"),
                ("/api/compare?" + "party=NO&" * 32 + "party=SE", "bad_parameter", "party"),
                ("/api/compare?party=NO&party=SE&addressee=NO", "bad_parameter", "addressee"),
                ("/api/compare?party=NO&party=SE&bom=1", "bad_parameter", "bom"),
                ("/api/compare?party=NO&party=SE&format=xml", "bad_parameter", "format"),
                ("/api/compare?party=NO&party=SE&group=document", "bad_parameter", "group"),
                ("/api/compare?party=NO&party=SE&q=" + q("(child"), "bad_query", "q")]:
            err = self.get("compare", path, expect=400)["error"]
            self.assertEqual((err["code"], err["param"]), (code, param), path)

    def test_gzip(self):
        # A JSON answer of 1 KB or more, compressed when the client accepts gzip: validated
        # as what it decompresses to; the same answer uncompressed without Accept-Encoding.
        for op_id, path in [("search", "/api/search?q=child&size=20"),
                            ("compare", "/api/compare?party=NO&party=SE")]:
            r = self.daemon.request(path, headers={"Accept-Encoding": "gzip"})
            self.assertEqual(r.status, 200, r.body[:300])
            self.assertEqual(r.headers.get("content-encoding"), "gzip", path)
            self.assertEqual(r.headers.get("vary"), "Accept-Encoding", path)
            v = self.check_answer(op_id, 200, r.headers, r.body, "gzip " + path)
            plain = self.daemon.request(path)
            self.assertNotIn("content-encoding", plain.headers, path)
            self.assertEqual(set(plain.json()), set(v), path)

    def test_static_validators(self):
        # The page's files: ETag and Last-Modified, the gzip form when accepted, and 304
        # for a tag the client holds.
        # ("/" is rendered on every request: no validators; index.html is its shell)
        for op_id, path in [("page", "/index.html"), ("page", "/app.js")]:
            r = self.daemon.request(path, headers={"Accept-Encoding": "gzip"})
            self.assertEqual(r.status, 200, path)
            self.check_answer(op_id, 200, r.headers, r.body, "gzip " + path)
            self.assertEqual(r.headers.get("content-encoding"), "gzip",
                             "%s: not compressed (is --web the build's web directory, with "
                             "its .gz files?)" % path)
            for name in ("etag", "last-modified", "vary"):
                self.assertIn(name, r.headers, path)
            self.assertTrue(r.headers["etag"].endswith('-gz"'), r.headers["etag"])
            nm = self.daemon.request(path, headers={"Accept-Encoding": "gzip",
                                                    "If-None-Match": r.headers["etag"]})
            self.assertEqual(nm.status, 304, path)
            self.check_answer(op_id, 304, nm.headers, nm.body, "If-None-Match " + path)
            self.assertEqual(nm.headers.get("etag"), r.headers["etag"], path)
            ims = self.daemon.request(path, headers={
                "If-Modified-Since": r.headers["last-modified"]})
            self.assertEqual(ims.status, 304, path)
            self.check_answer(op_id, 304, ims.headers, ims.body, "If-Modified-Since " + path)
            self.assertNotIn("content-encoding", ims.headers, path)

    def test_healthz_metrics_page(self):
        v = self.get("healthz", "/healthz")
        self.assertGreater(v["documents"], 0)
        self.get("metrics", "/metrics")
        self.get("index", "/")
        for name in ("index.html", "app.js", "style.css", "favicon.svg"):
            self.get("page", "/" + name)

    def test_meta(self):
        # The domain data and limits, both forms, and 304 for the tag the client holds.
        import re
        v = self.get("meta", "/api/meta")
        self.assertEqual(len(v["parties"]), 48)
        tag = self.contract.resolve("#/components/headers/MetaETag")["schema"]["pattern"]
        for ae in ({}, {"Accept-Encoding": "gzip"}):
            r = self.daemon.request("/api/meta", headers=ae)
            self.check_answer("meta", 200, r.headers, r.body, "meta %s" % ae)
            self.assertRegex(r.headers.get("etag", ""), tag)
            nm = self.daemon.request("/api/meta", headers=dict(ae, **{
                "If-None-Match": r.headers["etag"]}))
            self.assertEqual(nm.status, 304, ae)
            self.check_answer("meta", 304, nm.headers, nm.body, "meta 304 %s" % ae)
            self.assertEqual(nm.headers.get("etag"), r.headers["etag"])
        self.assertTrue(re.match(tag, '"m0123456789abcdef-gz"'))

    # ---- errors, each kind the test can cause cheaply --------------------------------

    def test_bad_parameter(self):
        cases = [("search", "/api/search?size=x", "size"),
                 ("search", "/api/search?zz=1", "zz"),
                 ("search", "/api/search?sort=best", "sort"),
                 ("search", "/api/search?q=%zz", "q"),
                 ("search", "/api/search?explain=2", "explain"),
                 ("export", "/api/export?format=xml", "format"),
                 ("similar", "/api/similar/%s?size=0" % q("T-ES(2021)31:13"), "size"),
                 ("doc", "/api/doc/%s?size=1" % q("T-ES(2021)31"), "size"),
                 ("file", "/api/file/%s/0" % q("T-ES(2021)31"), "n"),
                 ("healthz", "/healthz?x=1", "x"),
                 ("meta", "/api/meta?lang=fr", "lang"),
                 ("metrics", "/metrics?x=1", "x")]
        for op_id, path, param in cases:
            err = self.get(op_id, path, expect=400)["error"]
            self.assertEqual((err["code"], err["param"]), ("bad_parameter", param), path)

    def test_bad_query_and_limit(self):
        err = self.get("search", "/api/search?q=" + q("child foo:bar"), expect=400)["error"]
        self.assertEqual((err["code"], err["position"]), ("bad_query", 6))
        err = self.get("export", "/api/export?q=" + q("(child"), expect=400)["error"]
        self.assertEqual(err["code"], "bad_query")
        words = " ".join("w%d" % i for i in range(70))
        err = self.get("search", "/api/search?q=" + q(words), expect=400)["error"]
        self.assertEqual(err["code"], "limit")
        self.assertNotIn("cost", err)
        for op_id in ("search", "export"):
            err = self.get(op_id, "/api/%s?q=%s" % (op_id, q("child a*")), expect=400)["error"]
            self.assertEqual((err["code"], err["param"], err["position"]), ("limit", "q", 6))
            self.assertGreater(err["cost"]["terms"], 100)
            self.assertEqual(err["cost"]["max_expansion"], 100)

    def test_not_found(self):
        for op_id, path in [("doc", "/api/doc/nosuchdoc"),
                            ("similar", "/api/similar/" + q("nosuchdoc:1")),
                            ("file", "/api/file/nosuchdoc/1"),
                            ("file", "/api/file/%s/9" % q("T-ES(2021)31")),
                            ("page", "/nosuch.js"), ("page", "/%2e%2e")]:
            err = self.get(op_id, path, expect=404)["error"]
            self.assertEqual(err["code"], "not_found", path)
        # no route at all: the YAML's NotFound answer
        r = self.daemon.request("/api/nope")
        self.assertEqual(r.status, 404)
        self.assertTrue(self.valid("#/components/responses/NotFound/content/" +
                                   q("application~1json; charset=utf-8") + "/schema",
                                   r.json()))

    def test_method_not_allowed(self):
        for op_id, path, method in [("search", "/api/search?q=child", "DELETE"),
                                    ("healthz", "/healthz", "POST"),
                                    ("index", "/", "PUT")]:
            err = self.get(op_id, path, expect=405, method=method)["error"]
            self.assertEqual(err["code"], "method_not_allowed")

    def test_request_head_errors(self):
        cases = [(b"GET / HTTP/1.1\nHost: x\n\n", 400, "bad_request"),
                 (b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505,
                  "http_version_not_supported"),
                 (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 17000 +
                  b"\r\n\r\n", 431, "headers_too_large"),
                 (b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" +
                  b"a" * 2000, 413, "body_too_large"),
                 (b"GET /api/search?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414,
                  "uri_too_long")]
        for data, status, code in cases:
            op_id = "search" if data.startswith(b"GET /api/search") else \
                "index" if data.startswith(b"GET / ") else "healthz"
            err = self.raw(op_id, data, status)["error"]
            self.assertEqual(err["code"], code)

    def test_busy(self):
        # Requests that waited 1 s in the server's queue (--max-queue-ms: 500) are shed.
        ops = {"/api/search?q=child": "search", "/api/export?q=child": "export",
               "/api/compare?party=NO&party=SE": "compare"}
        paths = list(ops)
        for path, r in zip(paths, self.daemon.send_while_stopped(paths, wait=1.0)):
            self.assertEqual(r.status, 503, r.body[:300])
            err = self.check_answer(ops[path], 503, r.headers, r.body, path)["error"]
            self.assertEqual(err["code"], "busy")

    def test_zz_every_operation_answered(self):
        # Runs last (alphabetical order): every operation had a 200 validated.
        ops = {op["operationId"] for item in self.contract.spec["paths"].values()
               for op in item.values() if isinstance(op, dict)}
        self.assertEqual({o for o in ops if (o, 200) not in self.seen}, set())

    # ---- the schemas reject what they should -----------------------------------------

    def test_schemas_reject(self):
        search = self.get("search", "/api/search?q=grooming&group=document&explain=1&size=3")
        s = "#/components/schemas/search"
        self.assertTrue(self.valid(s, search))

        def altered(value, change):
            v = copy.deepcopy(value)
            change(v)
            return v
        bad = {
            "extra field": lambda v: v.update(extra=1),
            "extra field of a hit's doc": lambda v: v["hits"][0]["doc"].update(cites=[]),
            "extra field of a passage": lambda v: v["hits"][0]["passage"].update(x=1),
            "extra field of a hit": lambda v: v["hits"][0].update(rank=1),
            "extra field of read_as": lambda v: v["query"]["read_as"].update(x=1),
            "unknown facet": lambda v: v["facets"].update(colour=[]),
            "total a string": lambda v: v.update(total="3"),
            "year a string": lambda v: v["hits"][0]["doc"].update(year="2021"),
            "draft null": lambda v: v["hits"][0]["doc"].update(draft=None),
            "api 2": lambda v: v.update(api=2),
            "suggestion missing": lambda v: v.pop("suggestion"),
            "passage.page missing": lambda v: v["hits"][0]["passage"].pop("page"),
            "unknown kind": lambda v: v["hits"][0]["passage"].update(kind="poem"),
            "snippet mark a string": lambda v: v["hits"][0]["snippet"][0].update(mark="1"),
        }
        for what, change in bad.items():
            self.assertFalse(self.valid(s, altered(search, change)), what)

        doc = self.get("doc", "/api/doc/" + q("T-ES(2024)81"))
        d = "#/components/schemas/doc"
        self.assertTrue(self.valid(d, doc))
        for what, change in {
                "extra field of doc": lambda v: v["doc"].update(cited_by=[]),
                "files missing": lambda v: v["doc"].pop("files"),
                "extra field of a passage": lambda v: v["passages"][0].update(score=1),
                "passage id missing": lambda v: v["passages"][0].pop("id"),
                "extra field of a version": lambda v: v["doc"]["versions"][0].update(x=1),
                "a hit's doc is not a whole doc": lambda v: v["doc"].pop("versions"),
        }.items():
            self.assertFalse(self.valid(d, altered(doc, change)), what)

        hit = search["hits"][0]
        sim = self.get("similar", "/api/similar/" + q(hit["id"]) + "?size=2")
        m = "#/components/schemas/similar"
        self.assertTrue(self.valid(m, sim))
        self.assertFalse(self.valid(m, altered(sim, lambda v: v["hits"][0].update(
            explain=[]))), "explain in a similar hit")
        self.assertFalse(self.valid(m, altered(sim, lambda v: v["hits"][0]["passage"].update(
            id="x"))), "id in a hit's passage")

        cmp = self.get("compare", "/api/compare?party=NO&party=SE")
        c = "#/components/schemas/compare"
        self.assertTrue(self.valid(c, cmp))
        row = next(i for i, r in enumerate(cmp["rows"]) if r["cells"][0]["recs"])
        for what, change in {
                "extra field": lambda v: v.update(hits=[]),
                "extra field of a row": lambda v: v["rows"][row].update(x=1),
                "extra field of a cell": lambda v: v["rows"][row]["cells"][0].update(total=1),
                "extra field of an entry": lambda v: v["rows"][row]["cells"][0]["recs"][0]
                .update(score=1),
                "entry rec_id missing": lambda v: v["rows"][row]["cells"][0]["recs"][0]
                .pop("rec_id"),
                "unknown level": lambda v: v["rows"][row]["cells"][0]["recs"][0]
                .update(level="beg"),
                "article a number": lambda v: v["rows"][row].update(article=23),
                "capped missing": lambda v: v.pop("capped"),
                "party total a string": lambda v: v["parties"][0].update(total="1"),
                "one Party": lambda v: v.update(parties=v["parties"][:1]),
        }.items():
            self.assertFalse(self.valid(c, altered(cmp, change)), what)

        err = self.get("doc", "/api/doc/nosuchdoc", expect=404)
        e = "#/components/schemas/error"
        self.assertTrue(self.valid(e, err))
        self.assertFalse(self.valid(e, altered(err, lambda v: v["error"].pop("position"))))
        self.assertFalse(self.valid(e, altered(err, lambda v: v["error"].update(code="oops"))))
        # an error code of another status is not a valid answer of this one
        pointer, _ = self.contract.response("search", 400)
        schema = pointer + "/content/" + q("application~1json; charset=utf-8") + "/schema"
        self.assertFalse(self.valid(schema, err), "not_found as a 400")
        self.assertTrue(self.valid(schema, altered(err, lambda v: v["error"].update(
            code="bad_query"))))

        health = self.get("healthz", "/healthz")
        h = "#/components/schemas/healthz"
        self.assertFalse(self.valid(h, altered(health, lambda v: v.update(status="bad"))))
        self.assertFalse(self.valid(h, altered(health, lambda v: v.update(uptime=1))))


class NoIndexTest(unittest.TestCase):
    """A daemon started before its index exists (503 index_unavailable), with
    --head-timeout 1 (408 for a request head that never ends)."""
    daemon = None

    @classmethod
    def setUpClass(cls):
        cls.contract = Contract(ARGS.spec)
        cls.tmp = tempfile.mkdtemp(prefix="lzs-searchd-openapi-noindex-")
        cls.daemon = harness.Daemon(ARGS.searchd, os.path.join(cls.tmp, "none"),
                                    extra=("--head-timeout", "1"))
        cls.seen = set()

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.daemon:
                cls.daemon.finish()
        finally:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    check_answer = ContractTest.check_answer
    get = ContractTest.get

    def test_index_unavailable(self):
        for op_id, path in [("search", "/api/search?q=child"), ("healthz", "/healthz"),
                            ("doc", "/api/doc/" + q("T-ES(2021)31")),
                            ("export", "/api/export?q=child")]:
            err = self.get(op_id, path, expect=503)["error"]
            self.assertEqual(err["code"], "index_unavailable", path)

    def test_request_timeout(self):
        # a head that never ends: answered once --head-timeout (1 s) has passed
        s = harness.connect(self.daemon.port)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            got, _ = harness.read_all(s)
        finally:
            s.close()
        answers = harness.split_answers(got)
        self.assertTrue(answers, "no answer to an unfinished head")
        status, headers, body = answers[0]
        self.assertEqual(status, 408, got[:300])
        self.assertEqual(self.check_answer("healthz", 408, headers, body, "unfinished head")
                         ["error"]["code"], "request_timeout")


class CheckerTest(unittest.TestCase):
    """scripts/openapi.py check fails, naming the block and its line, where docs/api.md
    and the YAML disagree, and on a YAML that is not sound."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lzs-openapi-check-")
        with open(ARGS.doc, encoding="utf-8") as f:
            cls.doc = f.read()
        with open(ARGS.spec, encoding="utf-8") as f:
            cls.spec = f.read()
        with open(ROUTES_C, encoding="utf-8") as f:
            cls.routes = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_check(self, doc=None, spec=None, routes=None):
        paths = []
        for name, text in (("api.md", doc or self.doc), ("openapi.yaml", spec or self.spec),
                           ("routes.c", routes or self.routes)):
            p = os.path.join(self.tmp, name)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            paths.append(p)
        res = subprocess.run([sys.executable, SCRIPT, "check", "--doc", paths[0], "--spec",
                              paths[1], "--routes", paths[2]], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, timeout=120)
        return res.returncode, res.stdout + res.stderr

    def replaced(self, text, old, new):
        self.assertIn(old, text)
        return text.replace(old, new, 1)

    def line_of(self, text, line):
        return text.split("\n").index(line) + 1

    def test_agree(self):
        rc, out = self.run_check()
        self.assertEqual(rc, 0, out)

    def test_doc_differs(self):
        # (text of api.md, its replacement, the block, the line then reported)
        cases = [("hits[].doc.year: integer|null\n", "hits[].doc.year: integer\n",
                  "```fields search", "hits[].doc.year: integer"),
                 ("\ndoc.url: string|null\n", "\n", "```fields doc", "doc.files: array"),
                 ("hits[].matches?: integer\n", "hits[].matches: integer\n",
                  "```fields search", "hits[].matches: integer"),
                 ("size integer 10 hits to return (1 to 100)\n",
                  "size integer 20 hits to return (1 to 100)\n", "```params similar",
                  "size integer 20 hits to return (1 to 100)"),
                 ("format enum csv csv or json\n", "", "```params export", None),
                 ("X-Total-Count passages", "X-Total passages", "```headers export",
                  "X-Total passages matching, counted when the request arrives"),
                 (",text,url,collection\n", ",url,text,collection\n", "```csv", None),
                 (",versions,url\n", ",url,versions\n", "```csv compare", None),
                 ("bom enum 0 1 to start a CSV", "bom enum 1 1 to start a CSV",
                  "```params export", "bom enum 1 1 to start a CSV export with the UTF-8 "
                  "byte order mark (format=csv only)")]
        for old, new, block, line in cases:
            doc = self.replaced(self.doc, old, new)
            rc, out = self.run_check(doc=doc)
            self.assertEqual(rc, 1, (old, out))
            self.assertIn(block, out, old)
            if line:
                self.assertIn("api.md:%d:" % self.line_of(doc, line), out, (old, out))
        # a whole block missing, or one the YAML does not yield
        rc, out = self.run_check(doc=self.replaced(self.doc, "```fields healthz",
                                                   "```text healthz"))
        self.assertEqual(rc, 1)
        self.assertIn("no ```fields healthz block", out)
        rc, out = self.run_check(doc=self.doc + "\n```fields feed\napi: integer\n```\n")
        self.assertEqual(rc, 1)
        self.assertIn("```fields feed has no counterpart", out)
        # an error of another status
        rc, out = self.run_check(doc=self.replaced(self.doc, "\nbad_query 400 ",
                                                   "\nbad_query 422 "))
        self.assertEqual(rc, 1)
        self.assertIn("error bad_query is 422 here", out)

    def test_write_restores_blocks(self):
        # blocks --write rewrites altered blocks from the YAML, and touches nothing else
        doc = self.replaced(self.doc, "hits[].matches?: integer\n", "")
        doc = self.replaced(doc, "format enum csv csv or json\n", "format string - x\n")
        path = os.path.join(self.tmp, "write.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(doc)
        res = subprocess.run([sys.executable, SCRIPT, "blocks", "--write", "--doc", path,
                              "--spec", ARGS.spec], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stderr)
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), self.doc)

    def test_spec_unsound(self):
        cases = [("openapi: 3.1.0", "openapi: 3.0.3", "not 3.1"),
                 ("$ref: '#/components/schemas/ReadAs'", "$ref: '#/components/schemas/ReadAz'",
                  "does not resolve"),
                 ("  /healthz:\n", "  /health:\n", "route /healthz"),
                 ("  /api/similar/{id}:\n", "  /api/similars/{id}:\n", "route /api/similar/"),
                 ("required: ['no', label,", "required: [no, label,", "quote"),
                 ("    Passage:\n      description: A passage, as every hit carries it.\n"
                  "      $ref: '#/components/schemas/PassageFields'\n"
                  "      unevaluatedProperties: false\n",
                  "    Passage:\n      description: A passage, as every hit carries it.\n"
                  "      $ref: '#/components/schemas/PassageFields'\n", "not closed")]
        for old, new, message in cases:
            rc, out = self.run_check(spec=self.replaced(self.spec, old, new))
            self.assertEqual(rc, 1, (old, out))
            self.assertIn(message, out, old)
        # a route added to the daemon's table but not to the YAML
        routes = self.replaced(self.routes, '    {"/metrics",',
                               '    {"/api/nosuch", LZS_SD_M_OTHER, LZS_SD_ROUTE_PLAIN, 0, '
                               'lzs_sd_route_metrics},\n    {"/metrics",')
        rc, out = self.run_check(routes=routes)
        self.assertEqual(rc, 1, out)
        self.assertIn("route /api/nosuch", out)


def main():
    harness.unittest_main(globals(), "searchd", "indexer", "corpus", "spec", "doc", "web")


if __name__ == "__main__":
    main()
