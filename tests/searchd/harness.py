"""Shared helpers of the lzs-searchd integration tests: building an index with the real
lzs-index, starting the real daemon on an ephemeral loopback port, raw HTTP requests, and
reading the machine-checkable blocks of docs/api.md, and what every test program of the
directory does the same way (its arguments, its checks)."""

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import sys
import time
import unittest

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "SUMMARY: UndefinedBehaviorSanitizer")

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def check(cond, what):
    """A check of a test program that is not a unittest module: fails with what."""
    if not cond:
        raise AssertionError(what)


def parse_args(*names):
    """The test program's options --NAME, every one required (the ctest command gives
    them): the parsed arguments."""
    ap = argparse.ArgumentParser()
    for name in names:
        ap.add_argument("--" + name, required=True)
    return ap.parse_args()


def unittest_main(module, *names):
    """Runs the unittest module (its globals) with its options --NAME (all required) set
    in its ARGS; the other arguments go to unittest."""
    ap = argparse.ArgumentParser()
    for name in names:
        ap.add_argument("--" + name, required=True)
    module["ARGS"], rest = ap.parse_known_args()
    unittest.main(module=module["__name__"], argv=[sys.argv[0]] + rest, verbosity=2)


def sanitizer_env():
    """The environment for programs under test: leak checking on when built with ASan."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    here = os.path.dirname(os.path.abspath(__file__))
    supp = os.path.join(os.path.dirname(here), "lsan.supp")
    env.setdefault("LSAN_OPTIONS", "suppressions=" + supp)
    return env


def build_index(indexer, corpus, index_dir, *extra):
    """Runs lzs-index over corpus into index_dir; raises with its output on failure."""
    cmd = [indexer, "--quiet", "--index", index_dir, *extra, corpus]
    res = subprocess.run(cmd, env=sanitizer_env(), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=600)
    if res.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s\n%s" % (" ".join(cmd), res.returncode,
                                                       res.stdout, res.stderr))
    return res


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> value (last one wins)
        self.header_list = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def text(self):
        return self.body.decode("utf-8")


class Daemon:
    """lzs-searchd on 127.0.0.1 with an ephemeral port; stop() returns its exit status."""

    def __init__(self, binary, index_dir, web_dir=None, threads=2, extra=()):
        self.tmp = tempfile.mkdtemp(prefix="lzs-searchd-")
        self.port_file = os.path.join(self.tmp, "port")
        self.log_path = os.path.join(self.tmp, "stderr.log")
        cmd = [binary, "--index", index_dir, "--listen", "127.0.0.1:0", "--threads",
               str(threads), "--port-file", self.port_file, *extra]
        if web_dir:
            cmd += ["--web", web_dir]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log,
                                     env=sanitizer_env())
        self.port = None
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("lzs-searchd exited with %d:\n%s" %
                                   (self.proc.returncode, self.stderr()))
            if os.path.exists(self.port_file):
                with open(self.port_file) as f:
                    self.port = int(f.read().strip())
                break
            time.sleep(0.05)
        if not self.port:
            log = self.stderr()
            self.kill()
            raise RuntimeError("lzs-searchd did not start within 60 s:\n" + log)

    def stderr(self):
        self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def request(self, path, method="GET", headers=None, body=None, timeout=60):
        """One request on a fresh connection; path is sent exactly as given."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            data = b"" if method == "HEAD" else r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            return Response(r.status, hdrs, data)
        finally:
            conn.close()

    def raw_request(self, path, rcvbuf=None):
        """A socket that has sent GET path (HTTP/1.1) and read nothing yet: for clients that
        read slowly or not at all. rcvbuf shrinks its receive buffer, so that the server
        soon has to wait for it. Caller closes it."""
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(60)
        s.connect(("127.0.0.1", self.port))
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode("ascii"))
        return s

    def send_while_stopped(self, paths, wait=0.4):
        """Opens one connection per path, stops the daemon (SIGSTOP), sends each request in
        full, waits `wait` seconds and lets the daemon go on (SIGCONT): every request has
        then waited at least that long in the server's queue before any handler ran.
        Returns the answers (Response), in the order of paths."""
        socks = [socket.create_connection(("127.0.0.1", self.port), timeout=60) for _ in paths]
        try:
            self.proc.send_signal(signal.SIGSTOP)
            try:
                self.wait_stopped()
                for s, path in zip(socks, paths):
                    s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path)
                              .encode("ascii"))
                time.sleep(wait)
            finally:
                self.proc.send_signal(signal.SIGCONT)
            return [read_response(s) for s in socks]
        finally:
            for s in socks:
                s.close()

    def wait_stopped(self, timeout=20):
        """Waits until every thread of the daemon is stopped: a SIGSTOP takes effect only once
        one of its threads has been scheduled to take it, and the others may run meanwhile."""
        task_dir = "/proc/%d/task" % self.proc.pid
        deadline = time.time() + timeout
        while True:
            states = []
            for tid in os.listdir(task_dir):
                try:
                    with open(os.path.join(task_dir, tid, "stat")) as f:
                        states.append(f.read().rsplit(")", 1)[1].split()[0])
                except FileNotFoundError:
                    pass  # a thread that has just ended
            if states and all(st == "T" for st in states):
                return
            if time.time() > deadline:
                raise AssertionError("lzs-searchd not stopped after SIGSTOP: states %s" % states)
            time.sleep(0.005)

    def metrics(self):
        """Every sample of /metrics: {name and labels as written: value}."""
        r = self.request("/metrics")
        if r.status != 200:
            raise AssertionError("/metrics answered %d: %r" % (r.status, r.body[:200]))
        out = {}
        for line in r.text().splitlines():
            if line and not line.startswith("#"):
                key, value = line.rsplit(" ", 1)
                out[key] = float(value)
        return out

    def metric(self, name):
        """The value of an unlabelled sample of /metrics."""
        samples = self.metrics()
        if name not in samples:
            raise AssertionError("no sample %s in /metrics" % name)
        return samples[name]

    def wait_metric(self, name, value, timeout=20):
        """Polls /metrics until name has value; returns the last value seen."""
        deadline = time.time() + timeout
        seen = self.metric(name)
        while seen != value and time.time() < deadline:
            time.sleep(0.05)
            seen = self.metric(name)
        return seen

    def wait_metrics(self, what, cond, timeout=60):
        """Scrapes /metrics until cond(samples) holds (an event the daemon reports once it
        has dealt with something); fails naming what after timeout seconds, a bound far
        above the time the event takes."""
        deadline = time.monotonic() + timeout
        while True:
            samples = self.metrics()
            if cond(samples):
                return samples
            if time.monotonic() > deadline:
                raise AssertionError("waited %d s for %s; /metrics: %s" %
                                     (timeout, what, {k: v for k, v in samples.items()
                                                      if k.startswith("lzs_conn")}))
            time.sleep(0.02)

    def finish(self):
        """stop(), then fails with the log unless the exit status is 0 and no sanitizer
        reported anything."""
        rc = self.stop()
        reports = self.sanitizer_report()
        if rc != 0 or reports:
            raise AssertionError("lzs-searchd exit status %d after SIGTERM; log:\n%s" %
                                 (rc, self.stderr_text()[-4000:]))

    def stderr_text(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def stop(self):
        """SIGTERM, then the exit status (killed after 60 s)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.log.close()
                return -9
        self.log.close()
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def sanitizer_report(self):
        log = self.stderr() if not self.log.closed else self.stderr_text()
        return [line for line in log.splitlines() if any(m in line for m in SANITIZER_MARKS)]


def connect(port, source=None, timeout=60):
    """A TCP connection to the daemon on 127.0.0.1, from the loopback address source (e.g.
    "127.0.0.2") when given: the daemon counts connections per client address."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if source:
        s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def read_all(sock):
    """Everything the peer sends until it closes: (bytes, how it closed: "eof" or "reset")."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data, "reset"
        if not chunk:
            return data, "eof"
        data += chunk


def exchange(port, data, source=None, timeout=60):
    """Sends data (bytes: a whole raw request, well-formed or not) on a new connection and
    reads until the daemon closes it: (bytes received, "eof" or "reset"). A daemon that
    answers and closes before reading everything makes the rest of the send fail: that is
    not an error here, the answer is what counts."""
    s = connect(port, source, timeout)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_all(s)
    finally:
        s.close()


def split_answers(raw):
    """The answers in raw bytes read from a connection, each (status, headers, body), with
    bodies delimited by Content-Length (the daemon's own answers always carry one). Bytes
    that do not start with a status line are returned as a last pseudo-answer (0, {},
    bytes), so that garbage after an answer is seen."""
    out = []
    while raw:
        if not raw.startswith(b"HTTP/1.1 ") or b"\r\n\r\n" not in raw:
            out.append((0, {}, raw))
            break
        head, rest = raw.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", len(rest)))
        out.append((int(lines[0].split()[1]), headers, rest[:n]))
        raw = rest[n:]
    return out


def read_response(sock):
    """One whole answer (Content-Length or chunked body) read from a raw socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed before the headers: %r" % data[:200])
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    status = int(lines[0].split()[1])
    if "content-length" in headers:
        need = int(headers["content-length"])
        while len(body) < need:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return Response(status, headers, body[:need])
    if headers.get("transfer-encoding", "").lower() == "chunked":
        out = b""
        while True:
            while b"\r\n" not in body:
                chunk = sock.recv(65536)
                if not chunk:
                    return Response(status, headers, out)
                body += chunk
            size_line, body = body.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            while len(body) < size + 2:
                chunk = sock.recv(65536)
                if not chunk:
                    return Response(status, headers, out + body[:size])
                body += chunk
            if size == 0:
                return Response(status, headers, out)
            out += body[:size]
            body = body[size + 2:]
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return Response(status, headers, body)
        body += chunk


# ---- docs/api.md ----------------------------------------------------------------------

BLOCK_RE = re.compile(r"^```(\w+)(?: ([\w-]+))?\n(.*?)^```", re.M | re.S)


def api_blocks(doc_path):
    """{(kind, name): text} of the fenced blocks of the API document."""
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    return {(m.group(1), m.group(2)): m.group(3) for m in BLOCK_RE.finditer(text)}


def parse_fields(block):
    """{path: (set of types, optional)} from a "fields" block."""
    out = {}
    for line in block.strip().splitlines():
        path, types = [s.strip() for s in line.split(":", 1)]
        optional = path.endswith("?")
        path = path.rstrip("?")
        out[path] = (set(types.split("|")), optional)
    return out


def parse_params(block):
    """{name: (type, default, description)} from a "params" block."""
    out = {}
    for line in block.strip().splitlines():
        name, typ, default, desc = line.split(" ", 3)
        out[name] = (typ, default, desc)
    return out


def parse_headers(block):
    """{lower-case header name: description} from a "headers" block."""
    out = {}
    for line in block.strip().splitlines():
        name, desc = line.split(" ", 1)
        out[name.lower()] = desc
    return out


def parse_errors(block):
    """{code: status} from the "errors" block."""
    out = {}
    for line in block.strip().splitlines():
        code, status, _ = line.split(" ", 2)
        out[code] = int(status)
    return out


def json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _matcher(spec):
    """Concrete path -> documented path; "*" in a documented path stands for any key."""
    pats = [(re.compile("^" + re.escape(p).replace(r"\*", r"[^.\[\]]+") + "$"), p)
            for p in spec]

    def lookup(path):
        if path in spec:
            return path
        for rx, p in pats:
            if rx.match(path):
                return p
        return None
    return lookup


def check_schema(spec, value):
    """Problems (strings) where value and the documented fields disagree, both ways:
    every field must be documented with its type, every documented required field of an
    object must be present."""
    problems = []
    lookup = _matcher(spec)

    def required_children(spec_path):
        for p, (_, optional) in spec.items():
            if optional:
                continue
            if spec_path:
                if not p.startswith(spec_path + "."):
                    continue
                rest = p[len(spec_path) + 1:]
            else:
                rest = p
            if "." in rest or rest.endswith("[]") or "*" in rest:
                continue
            yield p, rest

    def walk(v, path):
        key = ""
        if path:
            key = lookup(path)
            if key is None:
                problems.append("undocumented field %s" % path)
                return
            types = spec[key][0]
            t = json_type(v)
            if not (t in types or (t == "integer" and "number" in types)):
                problems.append("%s is %s, documented as %s" %
                                (path, t, "|".join(sorted(types))))
        if isinstance(v, dict):
            for k, child in v.items():
                walk(child, path + "." + k if path else k)
            for p, name in required_children(key):
                if name not in v:
                    problems.append("documented field %s missing" % p)
        elif isinstance(v, list):
            for item in v:
                walk(item, path + "[]")

    walk(value, "")
    return sorted(set(problems))
