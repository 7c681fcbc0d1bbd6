"""The rendered page (GET / and its fragments) as a cache and a browser without
JavaScript see it.

    test_page.py --searchd BIN --indexer BIN --corpus DIR --web DIR

1. Validators: a view has an ETag; If-None-Match with it answers 304 (ETag and Vary kept,
   no body); the gzip form has its own tag; a fragment is another answer with another tag.
2. Compression: with Accept-Encoding: gzip the view and an error page come compressed and
   decompress to exactly the identity answer; every answer says Vary: Accept-Encoding;
   Cache-Control: no-cache (each use asks again, so no view outlives the index).
3. A reindex (a new document) changes the tag: the old one is answered 200, not 304.
4. Without JavaScript, a document opened at a passage lists its similar passages: those of
   GET /api/similar/{id}?size=5, in order, in a <details> closed until asked for.
5. Replicas: two daemons on one index revision with the same web and data files (copied
   elsewhere, started at different times) give one view one tag and answer each other's
   tag 304; a changed web file, or data file, changes the tag."""

import argparse
import gzip
import html
import http.client
import os
import re
import shutil
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ARGS = None
NEW_DOC = """Information note on the quokkapage pilot

1. The Committee took note of the quokkapage pilot on helplines for children.
"""


class PageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lzs-searchd-page-")
        cls.corpus = os.path.join(cls.tmp, "corpus")
        cls.index = os.path.join(cls.tmp, "index")
        os.makedirs(cls.corpus)
        for name in os.listdir(ARGS.corpus):
            src = os.path.join(ARGS.corpus, name)
            if os.path.isfile(src):
                shutil.copy(src, cls.corpus)
        cls.data = os.path.join(ARGS.corpus, "data")
        harness.build_index(ARGS.indexer, cls.corpus, cls.index, "--data", cls.data)
        if not os.path.exists(os.path.join(ARGS.web, "index.html")):
            raise RuntimeError("no index.html in --web %s: build the lzs-web target" % ARGS.web)
        cls.daemon = harness.Daemon(ARGS.searchd, cls.index, web_dir=ARGS.web,
                                    extra=("--data", cls.data, "--max-queue-ms", "0"))

    @classmethod
    def tearDownClass(cls):
        status = cls.daemon.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if status != 0:
            raise RuntimeError("lzs-searchd exited with %d:\n%s" % (status,
                                                                      cls.daemon.stderr()))

    def get(self, path, **headers):
        return self.daemon.request(path, headers=headers)

    def test_one_collection_is_no_facet(self):
        # Over one index the collection facet has one value: nothing to choose, not shown.
        r = self.get("/?q=children")
        self.assertEqual(r.status, 200)
        body = r.body.decode("utf-8") if isinstance(r.body, bytes) else r.body
        self.assertIn('data-facet="party"', body)
        self.assertNotIn('data-facet="collection"', body)

    def test_validators(self):
        for path in ["/?q=children", "/?q=children&fragment=1", "/?party_view=NO",
                     "/?compare=1&party=NO&party=MC"]:
            r = self.get(path)
            self.assertEqual(r.status, 200, path)
            tag = r.headers.get("etag")
            self.assertRegex(tag or "", r'^"p[0-9a-f]{16}"$', path)
            self.assertEqual(r.headers.get("vary"), "Accept-Encoding", path)
            self.assertEqual(r.headers.get("cache-control"), "no-cache", path)
            self.assertEqual(self.get(path).headers.get("etag"), tag,
                             "%s: the same index and URL, the same tag" % path)
            nm = self.get(path, **{"If-None-Match": tag})
            self.assertEqual(nm.status, 304, path)
            self.assertEqual(nm.body, b"", path)
            self.assertEqual(nm.headers.get("etag"), tag, path)
            self.assertEqual(nm.headers.get("vary"), "Accept-Encoding", path)
            # the gzip form is another representation: its own tag
            gz = self.get(path, **{"Accept-Encoding": "gzip", "If-None-Match": tag})
            self.assertEqual(gz.status, 200, "%s: the identity tag does not stand for gzip" % path)
            self.assertEqual(gz.headers.get("etag"), tag[:-1] + '-gz"', path)
            nm = self.get(path, **{"Accept-Encoding": "gzip", "If-None-Match": gz.headers["etag"]})
            self.assertEqual(nm.status, 304, path)
            self.assertEqual(nm.headers.get("content-encoding"), "gzip", path)
        page = self.get("/?q=children")
        frag = self.get("/?q=children&fragment=1")
        self.assertNotEqual(page.headers["etag"], frag.headers["etag"])
        self.assertTrue(frag.text().startswith("<title>children — search — lanzasearch</title>"),
                        frag.text()[:200])
        self.assertIn('<section id="view-search"', frag.text())
        self.assertNotIn("<html", frag.text())

    def test_gzip(self):
        for path, status in [("/?q=children", 200), ("/?q=children&fragment=1", 200),
                             ("/?doc=nosuchdocument", 404), ("/?q=children&colour=blue", 400),
                             ("/?q=children%20party:Narnia", 400)]:
            plain = self.get(path)
            self.assertEqual(plain.status, status, path)
            self.assertNotIn("content-encoding", plain.headers, path)
            self.assertEqual(plain.headers.get("vary"), "Accept-Encoding", path)
            gz = self.get(path, **{"Accept-Encoding": "gzip"})
            self.assertEqual(gz.status, status, path)
            self.assertEqual(gz.headers.get("content-encoding"), "gzip", path)
            self.assertEqual(gz.headers.get("vary"), "Accept-Encoding", path)
            self.assertEqual(gzip.decompress(gz.body), plain.body, path)
            self.assertLess(len(gz.body), len(plain.body), path)
            if status != 200:
                self.assertNotIn("etag", plain.headers, "%s: an error has no validator" % path)

    def test_reindex_changes_the_tag(self):
        path = "/?q=quokkapage"
        before = self.get(path)
        self.assertIn("Nothing matches this search", before.text())
        tag = before.headers["etag"]
        with open(os.path.join(self.corpus, "quokkapage_note.txt"), "w") as f:
            f.write(NEW_DOC)
        try:
            harness.build_index(ARGS.indexer, self.corpus, self.index, "--data", self.data)
            after = self.get(path, **{"If-None-Match": tag})
            self.assertEqual(after.status, 200, "a view of the old index is not current")
            self.assertNotEqual(after.headers.get("etag"), tag)
            self.assertIn("quokkapage", after.text())
            self.assertNotIn("Nothing matches this search", after.text())
        finally:
            os.remove(os.path.join(self.corpus, "quokkapage_note.txt"))

    def tag_as(self, daemon, path, host="search.example.org", **headers):
        """The answer of daemon to path with the Host a client gives every replica behind
        one address (the tag covers Host: the page cites its own address)."""
        conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=60)
        try:
            conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", host)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.endheaders()
            r = conn.getresponse()
            r.read()
            return r.status, r.getheader("ETag")
        finally:
            conn.close()

    def replica(self, web, data):
        return harness.Daemon(ARGS.searchd, self.index, web_dir=web,
                              extra=("--data", data, "--max-queue-ms", "0"))

    def test_replicas_share_the_tag(self):
        # A second daemon on the same index revision, with copies of the web and data files
        # elsewhere (as on another machine) and started later: each view has the same tag
        # on both, so that a client behind a balancer gets its 304 from either.
        web = os.path.join(self.tmp, "replica-web")
        data = os.path.join(self.tmp, "replica-data")
        shutil.copytree(ARGS.web, web)
        shutil.copytree(self.data, data)
        paths = ["/?q=children", "/?q=children&fragment=1", "/?party_view=NO"]
        tags = {}
        other = self.replica(web, data)
        try:
            for path in paths:
                status, tag = self.tag_as(self.daemon, path)
                self.assertEqual(status, 200, path)
                self.assertEqual(self.tag_as(other, path), (200, tag),
                                 "%s: two replicas, one view, one tag" % path)
                self.assertEqual(self.tag_as(other, path, **{"If-None-Match": tag}),
                                 (304, tag), path)
                tags[path] = tag
        finally:
            other.finish()
        # A changed web file changes every view's tag, and so does a changed data file.
        os.remove(os.path.join(web, "style.css.gz"))  # else left over from the old file
        with open(os.path.join(web, "style.css"), "a") as f:
            f.write("\n/* changed */\n")
        for what in ("a web file", "a data file"):
            other = self.replica(web, data)
            try:
                for path in paths:
                    status, tag = self.tag_as(other, path, **{"If-None-Match": tags[path]})
                    self.assertEqual(status, 200, "%s: %s changed, yet 304" % (path, what))
                    self.assertNotEqual(tag, tags[path], path)
                    tags[path] = tag
            finally:
                other.finish()
            with open(os.path.join(data, "synonyms.tsv"), "a") as f:
                f.write("# changed\n")

    def test_similar_without_javascript(self):
        hit = self.daemon.request("/api/search?q=helpline&size=1").json()["hits"][0]
        doc, pid = hit["doc"]["id"], hit["id"]
        similar = self.daemon.request("/api/similar/%s?size=5" % urllib.parse.quote(pid, safe=""))
        expected = [h["id"] for h in similar.json()["hits"]]
        self.assertTrue(expected, "the passage has similar ones")
        r = self.get("/?" + urllib.parse.urlencode({"doc": doc, "p": pid}))
        self.assertEqual(r.status, 200)
        m = re.search(r'<details class="similar-panel"><summary>Similar passages</summary>(.*?)'
                      r'</details>', r.text())
        self.assertTrue(m, "the chosen passage has its similar passages")
        links = [urllib.parse.parse_qs(urllib.parse.urlsplit(html.unescape(h)).query)["p"][0]
                 for h in re.findall(r'<a href="([^"]*)"', m.group(1))]
        self.assertEqual(links, expected, "the passages of GET /api/similar, in its order")
        # only under the passage chosen, and none without one
        self.assertEqual(r.text().count('class="similar-panel"'), 1)
        r = self.get("/?" + urllib.parse.urlencode({"doc": doc}))
        self.assertNotIn("similar-panel", r.text())


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--searchd", required=True)
    ap.add_argument("--indexer", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--web", required=True)
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
