"""What a hostile client or a hostile file system meets in lzs-searchd: the real daemon on an
ephemeral loopback port over an index of the shipped corpus (docs/robustness.md, "The
daemon under a hostile review").

    test_hostile.py --searchd BIN --indexer BIN --corpus DIR --doc docs/api.md --web DIR

Request heads are sent as raw bytes on raw sockets, since no HTTP client library sends
malformed ones: smuggling shapes (two Content-Length headers, Content-Length with
Transfer-Encoding), a NUL byte in the target, request lines and headers the HTTP library
would answer with its own HTML pages, malformed %-escapes. Every such answer must be the
daemon's own: one status line, the security headers, the documented JSON error, and the
connection closed. Also: connections closed without a request are counted apart in
/metrics; the 503 of an unavailable index names no path; a FIFO or a symbolic link in the
web directory is skipped with one log line; an index given as a Xapian stub whose line
would start a program is refused at start."""

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ARGS = None
PLAIN_INDEX_MESSAGE = "the index is not available (the server's log says why): try again later"


def documented_errors():
    return harness.parse_errors(harness.api_blocks(ARGS.doc)[("errors", None)])


class Raw(unittest.TestCase):
    """Raw request heads against one daemon."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lzs-searchd-hostile-")
        cls.index = os.path.join(cls.tmp, "index")
        harness.build_index(ARGS.indexer, ARGS.corpus, cls.index)
        cls.blocks = harness.api_blocks(ARGS.doc)
        cls.daemon = harness.Daemon(ARGS.searchd, cls.index, web_dir=ARGS.web)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.daemon.finish()
        finally:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def answer(self, data, status, code, method_head=False):
        """Sends data, expects exactly one answer of the daemon's own with status and
        error code, then the connection closed; returns the error object."""
        raw, how = harness.exchange(self.daemon.port, data)
        answers = harness.split_answers(raw)
        what = "%r -> %r" % (data[:80], raw[:600])
        self.assertEqual(len(answers), 1, "one status line and nothing else: " + what)
        got, headers, body = answers[0]
        self.assertEqual(got, status, what)
        self.assertEqual(how, "eof", "the daemon closes the connection cleanly: " + what)
        for name, value in harness.SECURITY_HEADERS.items():
            self.assertEqual(headers.get(name), value, "%s: %s" % (name, what))
        self.assertEqual(headers.get("connection"), "close", what)
        self.assertEqual(headers.get("content-type"), "application/json; charset=utf-8", what)
        if method_head:
            self.assertEqual(body, b"", "no body in an answer to HEAD: " + what)
            self.assertGreater(int(headers["content-length"]), 0)
            return None
        self.assertEqual(int(headers["content-length"]), len(body), what)
        err = json.loads(body.decode("utf-8"))
        self.assertEqual(harness.check_schema(
            harness.parse_fields(self.blocks[("fields", "error")]), err), [], what)
        self.assertEqual(err["error"]["code"], code, what)
        self.assertEqual(documented_errors().get(code), status,
                         "error code %s documented with %d" % (code, status))
        return err["error"]

    def ok(self, data):
        raw, _ = harness.exchange(self.daemon.port, data)
        answers = harness.split_answers(raw)
        self.assertEqual(len(answers), 1, raw[:300])
        return answers[0]

    # ---- 6. request smuggling shapes (RFC 9112 section 6.3) -------------------------

    def test_two_content_lengths(self):
        for cl in [(b"0", b"0"), (b"5", b"0"), (b"0", b"5")]:
            body = b"x" * max(int(cl[0]), int(cl[1]))
            err = self.answer(b"GET /api/search?q=child HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                              cl[0] + b"\r\ncontent-length: " + cl[1] + b"\r\n\r\n" + body,
                              400, "bad_request")
            self.assertIn("Content-Length", err["message"])

    def test_content_length_with_transfer_encoding(self):
        for te in [b"chunked", b"gzip, chunked", b"identity"]:
            err = self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                              b"Transfer-Encoding: " + te + b"\r\n\r\n0\r\n\r\n",
                              400, "bad_request")
            self.assertIn("Transfer-Encoding", err["message"])
        # The other order, as a smuggling front end would send it.
        self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    b"Content-Length: 4\r\n\r\n0\r\n\r\n", 400, "bad_request")
        # Transfer-Encoding alone is a body the API does not take (documented).
        self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    b"0\r\n\r\n", 413, "body_too_large")

    # ---- 7. a raw NUL byte -----------------------------------------------------------

    def test_nul_in_target(self):
        for target in [b"/api/search?q=child\x00abuse", b"/index.html\x00.js", b"/\x00",
                       b"/healthz\x00"]:
            err = self.answer(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                              400, "bad_request")
            self.assertIn("NUL", err["message"])
        # Anywhere in the head, not only in the target.
        self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400, "bad_request")
        self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\x00\r\n\r\n", 400, "bad_request")

    # ---- 8. what the HTTP library would answer with its own pages ----------------------

    def test_request_line_shapes(self):
        for line in [b"GET /", b"GET", b"GET  / HTTP/1.1", b"GET / HTTP/1.1 ", b"/ HTTP/1.1",
                     b"GET / / HTTP/1.1", b"GET / HTTP/1", b"GET / http/1.1", b"GET / HTTP/1.1x",
                     b"G(T / HTTP/1.1", b"GET / HTTP/1.1\t", b"GET /a\tb HTTP/1.1"]:
            self.answer(line + b"\r\nHost: x\r\n\r\n", 400, "bad_request")
        self.answer(b"GET /\r\n\r\n", 400, "bad_request")  # HTTP/0.9
        for version in [b"HTTP/2.0", b"HTTP/0.9", b"HTTP/1.2", b"HTTP/3.0"]:
            err = self.answer(b"GET / " + version + b"\r\nHost: x\r\n\r\n", 505,
                              "http_version_not_supported")
            self.assertIn("HTTP/1.1", err["message"])
        # Both versions the daemon speaks are answered.
        for version in [b"HTTP/1.0", b"HTTP/1.1"]:
            status, _, _ = self.ok(b"GET /healthz " + version + b"\r\nHost: x\r\n\r\n")
            self.assertEqual(status, 200)

    def test_header_shapes(self):
        for header in [b"bogus", b"X-A : b", b" X-A: b", b"\tcontinued", b"X A: b", b": b",
                       b"X-A: b\rc", b"X-A: \x01"]:
            self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n\r\n",
                        400, "bad_request")
        # Line ends other than CRLF.
        self.answer(b"GET /healthz HTTP/1.1\nHost: x\n\n", 400, "bad_request")
        self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\n\r\n", 400, "bad_request")
        self.answer(b"GET /healthz HTTP/1.1\rHost: x\r\n\r\n", 400, "bad_request")
        # An answer to HEAD has no body, even for a head the daemon refuses.
        self.answer(b"HEAD /healthz HTTP/1.1\r\nHost: x\r\nbogus\r\n\r\n", 400, "bad_request",
                    method_head=True)

    def test_huge_heads(self):
        err = self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * (1 << 20) +
                          b"\r\n\r\n", 431, "headers_too_large")
        self.assertIn("16384", err["message"])
        err = self.answer(b"GET /api/search?q=" + b"a" * (1 << 20) + b" HTTP/1.1\r\n\r\n",
                          414, "uri_too_long")
        self.assertIn("8192", err["message"])
        self.answer(b"GET /api/search?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                    414, "uri_too_long")

    def test_too_long_for_the_page(self):
        # The page's route ("/") answers a target too long with its HTML error page, as it
        # answers its other refusals; the API's routes keep their JSON.
        most = 8192
        for line in [b"GET /?q=" + b"a" * 9000 + b" HTTP/1.1",  # whole: a target of 9,004 bytes
                     b"GET /?q=" + b"a" * (1 << 20)]:  # never ends: over the limit
            raw, how = harness.exchange(self.daemon.port, line + b"\r\nHost: x\r\n\r\n")
            answers = harness.split_answers(raw)
            what = "%r -> %r" % (line[:40], raw[:600])
            self.assertEqual(len(answers), 1, what)
            status, headers, body = answers[0]
            self.assertEqual(status, 414, what)
            self.assertEqual(how, "eof", what)
            self.assertEqual(headers.get("content-type"), "text/html; charset=utf-8", what)
            for name, value in harness.SECURITY_HEADERS.items():
                self.assertEqual(headers.get(name), value, "%s: %s" % (name, what))
            self.assertEqual(int(headers["content-length"]), len(body), what)
            page = body.decode("utf-8")
            self.assertIn("<!doctype html>", page.lower(), "the site's page: " + what)
            self.assertIn('id="search-form"', page, "with its search box: " + what)
            error = re.search(r'<div id="search-error"[^>]*>(.*?)</div>', page, re.S)
            self.assertTrue(error, "the page's error message: " + what)
            text = html.unescape(re.sub(r"<[^>]+>", "", error.group(1)))
            self.assertIn("address is too long", text)
            self.assertIn("at most %d" % most, text, "the address's limit")
            self.assertIn("at most 1024 bytes", text, "the query's limit (limits.query_bytes)")
            if len(line) < 10000:
                self.assertIn("is 9004 bytes", text, "the address's length")
        # The same target length on an API route is the JSON error; a HEAD has no body.
        self.answer(b"GET /api/search?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                    414, "uri_too_long")
        raw, _ = harness.exchange(self.daemon.port,
                                  b"HEAD /?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        [(status, headers, body)] = harness.split_answers(raw)
        self.assertEqual((status, body), (414, b""))
        self.assertEqual(headers.get("content-type"), "text/html; charset=utf-8")

    def test_content_length_values(self):
        for value in [b"-1", b"+1", b"1.0", b"0x10", b"1 1", b"1,1", b"", b"abc"]:
            err = self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + value +
                              b"\r\n\r\n", 400, "bad_request")
            self.assertIn("Content-Length", err["message"])
        for value in [b"1" * 23, b"99999999999999999999", b"1025"]:
            self.answer(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + value +
                        b"\r\n\r\n", 413, "body_too_large")
        # A small body is waited for, read and ignored.
        status, _, _ = self.ok(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        self.assertEqual(status, 200)

    def test_every_answer_closes_the_connection(self):
        # Two requests in one send (pipelined): the first is answered, then the connection
        # is closed; the second is never read as a request of its own.
        raw, how = harness.exchange(self.daemon.port,
                                    b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                    b"GET /api/search?q=child\x00 HTTP/1.1\r\nHost: x\r\n\r\n")
        answers = harness.split_answers(raw)
        self.assertEqual([a[0] for a in answers], [200], raw[:400])
        self.assertEqual(answers[0][1].get("connection"), "close")
        self.assertEqual(how, "eof")
        r = self.daemon.request("/api/search?q=child")
        self.assertEqual(r.headers.get("connection"), "close")

    # ---- 9. malformed %-escapes in the query string -------------------------------------

    def test_malformed_escapes(self):
        for query, param in [("q=%zz", "q"), ("q=%4", "q"), ("q=child%", "q"),
                             ("q=child&party=%g0", "party"), ("q=%%41", "q"),
                             ("%zz=1", "%zz"), ("size=1%", "size")]:
            r = self.daemon.request("/api/search?" + query)
            self.assertEqual(r.status, 400, "%s: %s" % (query, r.body[:300]))
            err = r.json()["error"]
            self.assertEqual(err["code"], "bad_parameter", query)
            self.assertEqual(err["param"], param, query)
            self.assertIn("%-escape", err["message"], query)
        for route in ["/api/export?q=%zz", "/healthz?%4", "/api/similar/x:1?size=%1"]:
            self.assertEqual(self.daemon.request(route).status, 400, route)
        # Well-formed escapes still work, and a literal % is written %25.
        r = self.daemon.request("/api/search?q=%63hild&size=1")
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertGreater(r.json()["total"], 0)
        self.assertEqual(self.daemon.request("/api/search?q=100%25").status, 200)

    # ---- 4. connections closed without a request --------------------------------------

    def test_closed_without_request_counted_apart(self):
        before = self.daemon.metrics()
        n = 3
        for _ in range(n):
            harness.connect(self.daemon.port).close()               # nothing sent
            s = harness.connect(self.daemon.port)
            s.sendall(b"GE")                                          # half a request line
            s.close()
            s = harness.connect(self.daemon.port)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")     # no end of head
            s.close()
        name = "lzs_connections_closed_without_request_total"
        after = self.daemon.wait_metrics(
            "%d connections closed without a request" % (3 * n),
            lambda m: m.get(name, 0) >= before.get(name, 0) + 3 * n)
        self.assertEqual(after[name], before.get(name, 0) + 3 * n)

        def requests(m, route_filter):
            return sum(v for k, v in m.items()
                       if k.startswith("lzs_requests_total{") and route_filter(k))
        # Only the scrapes of /metrics were requests meanwhile: nothing under any other
        # route, no status 0, and the latency histogram counts the same requests.
        not_metrics = lambda k: 'route="/metrics"' not in k  # noqa: E731
        self.assertEqual(requests(after, not_metrics), requests(before, not_metrics),
                         {k: v for k, v in after.items() if k.startswith("lzs_requests_total")})
        self.assertFalse([k for k in after if k.startswith("lzs_requests_total") and
                          'status="0"' in k])
        self.assertEqual(after["lzs_request_duration_seconds_count"] -
                         before["lzs_request_duration_seconds_count"],
                         requests(after, lambda k: True) - requests(before, lambda k: True))


class IndexUnavailable(unittest.TestCase):
    """5. The 503 of an index that cannot be opened says so plainly; the log says why."""

    def check(self, index, detail):
        d = harness.Daemon(ARGS.searchd, index)
        try:
            for path in ["/api/search?q=child", "/healthz", "/api/export?q=child",
                         "/api/doc/T-ES(2021)31"]:
                r = d.request(path)
                self.assertEqual(r.status, 503, path)
                err = r.json()["error"]
                self.assertEqual(err["code"], "index_unavailable", path)
                self.assertEqual(err["message"], PLAIN_INDEX_MESSAGE, path)
                self.assertNotIn(index.encode(), r.body)
                self.assertNotIn(b"Xapian", r.body)
                self.assertNotIn(b"/", r.body.replace(b"\\/", b""))
            log = d.stderr()
            self.assertIn(index, log, "the log names the index")
            self.assertIn(detail, log)
        finally:
            d.finish()

    def test_missing_index(self):
        tmp = tempfile.mkdtemp(prefix="lzs-searchd-noindex-")
        self.addCleanup(shutil.rmtree, tmp, True)
        self.check(os.path.join(tmp, "no", "such", "index"), "no index at")

    def test_damaged_index(self):
        tmp = tempfile.mkdtemp(prefix="lzs-searchd-badindex-")
        self.addCleanup(shutil.rmtree, tmp, True)
        index = os.path.join(tmp, "index")
        os.makedirs(index)
        with open(os.path.join(index, "iamglass"), "wb") as f:
            f.write(b"not a glass version file")
        self.check(index, "cannot open the index")


class WebDirectory(unittest.TestCase):
    """1. A FIFO in --web does not keep the daemon from listening; it and symbolic links
    (one leaving the directory, one staying in it) are skipped with one log line each."""

    def test_fifo_and_symlinks_skipped(self):
        tmp = tempfile.mkdtemp(prefix="lzs-searchd-web-")
        self.addCleanup(shutil.rmtree, tmp, True)
        web = os.path.join(tmp, "web")
        os.makedirs(web)
        for name in ["index.html", "app.js"]:
            shutil.copy(os.path.join(ARGS.web, name), web)
        os.mkfifo(os.path.join(web, "stuck.js"))
        os.symlink("/etc/passwd", os.path.join(web, "passwd.txt"))
        with open(os.path.join(tmp, "secret.txt"), "w") as f:
            f.write("secret outside the web directory\n")
        os.symlink("../secret.txt", os.path.join(web, "outside.txt"))
        os.symlink("app.js", os.path.join(web, "alias.js"))
        os.makedirs(os.path.join(web, "sub.css"))
        index = os.path.join(tmp, "index")
        harness.build_index(ARGS.indexer, ARGS.corpus, index)
        # Before the fix the daemon blocked opening the FIFO and never listened: the
        # harness then fails after its 60 s bound with "did not start".
        d = harness.Daemon(ARGS.searchd, index, web_dir=web)
        try:
            self.assertEqual(d.request("/").status, 200)
            self.assertEqual(d.request("/app.js").status, 200)
            for name in ["stuck.js", "passwd.txt", "outside.txt", "alias.js", "sub.css"]:
                r = d.request("/" + name)
                self.assertEqual(r.status, 404, name)
                self.assertNotIn(b"root:", r.body)
                self.assertNotIn(b"secret", r.body)
            log = d.stderr()
            for name, kind in [("stuck.js", "FIFO"), ("passwd.txt", "symbolic link"),
                               ("outside.txt", "symbolic link"), ("alias.js", "symbolic link"),
                               ("sub.css", "directory")]:
                lines = [l for l in log.splitlines() if name in l and "skipped" in l]
                self.assertEqual(len(lines), 1, "one log line naming %s:\n%s" % (name, log))
                self.assertIn(kind, lines[0])
                self.assertIn(web, lines[0])
        finally:
            d.finish()


class IndexStub(unittest.TestCase):
    """10. --index may be a Xapian stub (file, or directory with XAPIANDB), but one with a
    "remote :PROGRAM" line is refused at start, naming the line, and nothing is run."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lzs-searchd-stub-")
        cls.index = os.path.join(cls.tmp, "index")
        harness.build_index(ARGS.indexer, ARGS.corpus, cls.index)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def refused(self, index, named, lineno, marker):
        res = subprocess.run([ARGS.searchd, "--index", index, "--listen", "127.0.0.1:0"],
                             env=harness.sanitizer_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, timeout=60)
        self.assertEqual(res.returncode, 2, res.stderr)
        self.assertIn("%s:%d" % (named, lineno), res.stderr)
        self.assertIn("remote :", res.stderr)
        self.assertNotIn("serving", res.stderr)
        self.assertFalse(os.path.exists(marker), "the stub's program was run")

    def test_remote_program_refused(self):
        marker = os.path.join(self.tmp, "ran-1")
        stub = self.write("prog.stub", "# a replica\nremote :/usr/bin/touch %s\n" % marker)
        self.refused(stub, stub, 2, marker)

    def test_stub_directory_refused(self):
        marker = os.path.join(self.tmp, "ran-2")
        xapiandb = self.write("stubdir/XAPIANDB",
                              "auto %s\n\nremote :/usr/bin/touch %s\n" % (self.index, marker))
        self.refused(os.path.dirname(xapiandb), xapiandb, 3, marker)

    def test_nested_stub_refused(self):
        marker = os.path.join(self.tmp, "ran-3")
        inner = self.write("inner.stub", "remote :/usr/bin/touch %s\n" % marker)
        outer = self.write("outer.stub", "auto inner.stub\n")
        self.refused(outer, inner, 1, marker)

    def test_plain_stub_served(self):
        stub = self.write("good.stub", "# the one index\nauto %s\n" % self.index)
        d = harness.Daemon(ARGS.searchd, stub)
        try:
            r = d.request("/api/search?q=child&size=1")
            self.assertEqual(r.status, 200, r.body[:300])
            self.assertGreater(r.json()["total"], 0)
        finally:
            d.finish()


def main():
    harness.unittest_main(globals(), "searchd", "indexer", "corpus", "doc", "web")


if __name__ == "__main__":
    main()
