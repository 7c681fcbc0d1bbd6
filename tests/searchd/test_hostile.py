"""What a hostile client or a hostile file system meets in lzs-searchd: the real daemon on
an ephemeral loopback port over an index of the shipped corpus (docs/robustness.md, "The
daemon under a hostile review").

    test_hostile.py --searchd BIN --indexer BIN --corpus DIR --doc docs/api.md --web DIR

A malformed %-escape is a bad parameter; the 503 of an unavailable index names no path; a
FIFO or a symbolic link in the web directory is skipped with one log line; an index given
as a Xapian stub whose line would start a program is refused at start."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ARGS = None
PLAIN_INDEX_MESSAGE = "the index is not available (the server's log says why): try again later"


class Raw(unittest.TestCase):
    """Requests against one daemon."""

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
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--searchd", required=True)
    ap.add_argument("--indexer", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--doc", required=True)
    ap.add_argument("--web", required=True)
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
