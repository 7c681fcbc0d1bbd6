"""What a hostile file system meets in lzs-searchd: the real daemon on an ephemeral
loopback port over an index of the shipped corpus (docs/robustness.md, "The daemon under a
hostile review").

    test_hostile.py --searchd BIN --indexer BIN --corpus DIR --doc docs/api.md --web DIR

A FIFO or a symbolic link in the web directory is skipped with one log line."""

import argparse
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ARGS = None


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
