#!/usr/bin/env python3
"""Format parity: a document as .docx, .odt, .html or .pdf is understood exactly as its
markdown original.

    parity.py --lzs-index BIN --fixtures DIR [--data DIR] [--formats docx,odt,html,pdf]
    parity.py --lzs-index BIN --fixtures DIR --self-test
    parity.py --lzs-index BIN --compare ORIGINAL OTHER

For every markdown source DIR/NAME.md and each variant DIR/NAME.<format> (made by
tests/fixtures/formats/make-variants.sh and committed), `lzs-index --extract` runs on both
and the variant's extraction must equal the original's:
  - the document metadata, every field but `source`;
  - the passages other than footnotes, in reading order, every field but `no` and `page`;
  - the footnotes as a multiset, every field but `no`, `page` and `section`: where a
    footnote's text sits is a matter of layout (after its paragraph in DOCX, at the page
    bottom in PDF, at the end in HTML, wherever its definition was written in markdown),
    so neither its place in the sequence nor the section around that place is compared.
Every variant is also checked for page furniture that became text: no passage that is a
page number ("3", "3 / 12", "Page 3"), the running-header code (the document's code that
make-variants.sh put in the DOCX header), a field code ("PAGE", "NUMPAGES"), or a
paragraph with a footnote's text glued into it - never a passage whose very text is a
passage of the original, and the code or a note's text only where the variant holds it
more often than the original (which may quote them in its own paragraphs).

Any difference fails, with a readable diff naming the file, the format and the first
differing passage, and a count per format: "parity: docx 10/10, odt 9/10, ...". A variant
that lzs-index cannot read counts as a failure with its message ("docx: 0/10, lzs-index:
NAME.docx: binary file ..."). A missing variant, or a source changed since its variants were
made (SOURCES.sha256), is a failure that says so.

--self-test checks the comparison itself: each markdown source against a copy of itself in
another directory (must match: .txt is a format of its own now, read as text, not
markdown), and deliberately altered extractions (each alteration must be
reported as what it is; the changes the comparison must tolerate must pass; a changed
paragraph that quotes the code or a note must be a differing passage, not furniture).

--compare prints the differences between the extractions of two files (used to check the
markdown versions of the seeds against corpus/*.txt); exit 0 when they match.

Standard library only."""

import argparse
import copy
import difflib
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FORMATS = ("docx", "odt", "html", "pdf")
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "SUMMARY: UndefinedBehaviorSanitizer")
BODY_IGNORED = ("no", "page")
FOOTNOTE_IGNORED = ("no", "page", "section")
META_IGNORED = ("source", "passages")
PAGE_NUMBER_RE = re.compile(r"^(page|p\.)?\s*\d{1,4}(\s*(/|of|sur|de)\s*\d{1,4})?$", re.I)
FIELD_CODE_RE = re.compile(r"\b(NUMPAGES|PAGE)\b")
MIN_GLUED = 8  # shorter footnote texts ("Ibid.") say nothing when found in a paragraph


class ExtractError(Exception):
    """lzs-index could not extract a file; str() is its message without the program name."""


def run_env(fixtures_dir):
    """Environment for lzs-index: leak checking on when it was built with ASan."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    supp = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "lsan.supp")
    if os.path.exists(supp):
        env.setdefault("LSAN_OPTIONS", "suppressions=" + supp)
    return env


def extract(lzs_index, data_dir, path):
    """The JSON document lzs-index --extract prints for path."""
    cmd = [lzs_index]
    if data_dir:
        cmd += ["--data", data_dir]
    cmd += ["--extract", path]
    try:
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=run_env(None), timeout=300)
    except subprocess.TimeoutExpired:
        raise ExtractError("%s: lzs-index --extract did not finish within 300 s" % path)
    err = res.stderr.decode("utf-8", "replace")
    for mark in SANITIZER_MARKS:
        if mark in err:
            raise ExtractError("%s: sanitizer report:\n%s" % (path, err))
    if res.returncode != 0:
        msg = err.strip().splitlines()[-1] if err.strip() else "no message"
        if msg.startswith("lzs-index: "):
            msg = msg[len("lzs-index: "):]
        raise ExtractError("exit %d: %s" % (res.returncode, msg))
    try:
        return json.loads(res.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ExtractError("%s: output is not JSON: %s" % (path, e))


# ---- comparison --------------------------------------------------------------------------


def strip_fields(p, ignored):
    return {k: v for k, v in p.items() if k not in ignored}


def key(p, ignored):
    return json.dumps(strip_fields(p, ignored), sort_keys=True, ensure_ascii=False)


def show(p):
    """One passage as a reader checks it: its number, then its fields, one a line."""
    if p is None:
        return "      (none)"
    lines = ["      #%s %s" % (p.get("no"), p.get("kind"))]
    for k in ("label", "section", "rec_id", "level", "addressees", "parties", "articles",
              "text"):
        lines.append("        %-10s %s" % (k + ":", json.dumps(p.get(k), ensure_ascii=False)))
    return "\n".join(lines)


def field_diff(a, b, ignored):
    out = []
    for k in sorted(set(a) | set(b)):
        if k in ignored or a.get(k) == b.get(k):
            continue
        va = json.dumps(a.get(k), ensure_ascii=False)
        vb = json.dumps(b.get(k), ensure_ascii=False)
        out.append("        %s: original %s" % (k, va))
        out.append("        %s  variant  %s" % (" " * len(k), vb))
        if k == "text" and isinstance(a.get(k), str) and isinstance(b.get(k), str):
            out.append("        text diff: " + text_diff(a[k], b[k]))
    return out


def text_diff(a, b):
    """Where two texts part: the words around the first difference, [-removed-] {+added+}."""
    wa, wb = a.split(" "), b.split(" ")
    sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        ctx = " ".join(wa[max(0, i1 - 4):i1])
        rem = " ".join(wa[i1:i2])
        add = " ".join(wb[j1:j2])
        piece = "..." + ctx + " "
        if rem:
            piece += "[-%s-]" % rem
        if add:
            piece += "{+%s+}" % add
        parts.append(piece)
        if len(parts) == 2:
            break
    return " ".join(parts) if parts else "(white space only)"


def compare(orig, var, code=None):
    """Problems of the variant extraction var against the original orig, as a list of
    (kind, message) with kind one of metadata, passages, footnotes, page-number,
    header-code, field-code, glued-footnote; empty when they agree."""
    problems = []
    for k in sorted((set(orig) | set(var)) - set(META_IGNORED)):
        if orig.get(k) != var.get(k):
            problems.append(("metadata", "metadata %s: original %s, variant %s" % (
                k, json.dumps(orig.get(k), ensure_ascii=False),
                json.dumps(var.get(k), ensure_ascii=False))))

    po = orig.get("passages", [])
    pv = var.get("passages", [])
    bo = [p for p in po if p.get("kind") != "footnote"]
    bv = [p for p in pv if p.get("kind") != "footnote"]
    ko = [key(p, BODY_IGNORED) for p in bo]
    kv = [key(p, BODY_IGNORED) for p in bv]
    if ko != kv:
        sm = difflib.SequenceMatcher(None, ko, kv, autojunk=False)
        ops = [op for op in sm.get_opcodes() if op[0] != "equal"]
        tag, i1, i2, j1, j2 = ops[0]
        a = bo[i1] if i1 < len(bo) else None
        b = bv[j1] if j1 < len(bv) else None
        msg = ["passages: %d in the original, %d in the variant (footnotes apart); %d "
               "differing runs; the first, at original passage %d / variant passage %d (%s):"
               % (len(bo), len(bv), len(ops), i1 + 1, j1 + 1,
                  {"replace": "changed", "delete": "missing in the variant",
                   "insert": "only in the variant"}[tag])]
        if tag == "replace" and a is not None and b is not None:
            msg.append("      original:")
            msg.append(show(a))
            msg.append("      variant:")
            msg.append(show(b))
            msg.append("      differing fields:")
            msg.extend(field_diff(a, b, BODY_IGNORED))
        elif tag == "delete":
            msg.append("      original (missing in the variant):")
            msg.append(show(a))
        else:
            msg.append("      variant (not in the original):")
            msg.append(show(b))
        problems.append(("passages", "\n".join(msg)))

    fo = sorted(key(p, FOOTNOTE_IGNORED) for p in po if p.get("kind") == "footnote")
    fv = sorted(key(p, FOOTNOTE_IGNORED) for p in pv if p.get("kind") == "footnote")
    if fo != fv:
        missing = [x for x in fo if x not in fv or fo.count(x) > fv.count(x)]
        extra = [x for x in fv if x not in fo or fv.count(x) > fo.count(x)]
        msg = ["footnotes: %d in the original, %d in the variant" % (len(fo), len(fv))]
        for x in sorted(set(missing))[:3]:
            msg.append("      only in the original: " + x)
        for x in sorted(set(extra))[:3]:
            msg.append("      only in the variant:  " + x)
        problems.append(("footnotes", "\n".join(msg)))

    problems.extend(furniture(po, pv, code))
    return problems


def furniture(po, pv, code):
    """Page furniture and footnote text that a reader let into the passages of a variant.
    A passage with the very text of a passage of the original is never furniture; text that
    the original also holds (the code in "document T-ES(2021)33", a note's words quoted in
    the body) only counts where the variant holds it more often than the original."""
    problems = []
    orig_texts = {p.get("text") or "" for p in po}
    body_o = [p.get("text") or "" for p in po if p.get("kind") != "footnote"]
    body_v = [p.get("text") or "" for p in pv if p.get("kind") != "footnote"]
    notes = sorted({p.get("text") or "" for p in po if p.get("kind") == "footnote"})
    glued = [n for n in notes if len(n) >= MIN_GLUED and
             sum(x.count(n) for x in body_v) > sum(x.count(n) for x in body_o)]
    code_extra = bool(code) and (sum((p.get("text") or "").count(code) for p in pv) >
                                 sum((p.get("text") or "").count(code) for p in po))
    for p in pv:
        t = p.get("text") or ""
        if t in orig_texts:
            continue
        where = "variant passage #%s (%s): %s" % (
            p.get("no"), p.get("kind"), json.dumps(t[:160], ensure_ascii=False))
        if PAGE_NUMBER_RE.match(t.strip()):
            problems.append(("page-number", "a page number became a passage: " + where))
        if code_extra and code in t:
            problems.append(("header-code",
                             "the running header %s is in a passage: %s" % (code, where)))
        if FIELD_CODE_RE.search(t):
            problems.append(("field-code", "a field code is in a passage: " + where))
        if p.get("kind") != "footnote":
            for n in glued:
                if n in t:
                    problems.append(("glued-footnote", "footnote text %s is glued into %s" % (
                        json.dumps(n[:80], ensure_ascii=False), where)))
                    break
    return problems


# ---- fixtures ----------------------------------------------------------------------------


def load_variants(fixtures):
    """The fixtures' own helper (variants.py): it says which code make-variants.sh wrote into
    the running header of a document, so that the test looks for that very code."""
    path = os.path.join(fixtures, "variants.py")
    if not os.path.exists(path):
        raise SystemExit("parity: %s is missing" % path)
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    spec = importlib.util.spec_from_file_location("lzs_fixture_variants", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_manifest(fixtures, sources):
    """Sources whose bytes differ from those their variants were made from."""
    path = os.path.join(fixtures, "SOURCES.sha256")
    if not os.path.exists(path):
        return ["%s is missing: run tests/fixtures/formats/make-variants.sh" % path]
    want = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                digest, name = line.split(None, 1)
                want[name.strip()] = digest
    problems = []
    for md in sources:
        for name in (os.path.basename(md), os.path.basename(md)[:-3] + ".meta.json"):
            p = os.path.join(fixtures, name)
            if not os.path.exists(p):
                if name in want:
                    problems.append("%s was removed since its variants were made" % name)
                continue
            with open(p, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            if want.get(name) != digest:
                problems.append("%s changed since its variants were made: run "
                                "tests/fixtures/formats/make-variants.sh" % name)
    return problems


def reason(err):
    """The gist of an lzs-index failure for the summary line of a format."""
    msg = re.sub(r"^exit \d+: (.*?\.(docx|odt|html|pdf): )?", "", err)
    if msg.startswith("binary file"):
        # The extractor has no reader for the format and took the file for text.
        return "unsupported format (read as text: %s)" % msg
    return msg


def sources_of(fixtures):
    names = sorted(n for n in os.listdir(fixtures) if n.endswith(".md") and n != "README.md")
    return [os.path.join(fixtures, n) for n in names]


def run_parity(args):
    fixtures = args.fixtures
    sources = sources_of(fixtures)
    if not sources:
        print("parity: no markdown sources in %s" % fixtures)
        return 1
    formats = [f for f in args.formats.split(",") if f]
    for f in formats:
        if f not in FORMATS:
            print("parity: unknown format %r (known: %s)" % (f, ", ".join(FORMATS)))
            return 2
    header_code = load_variants(fixtures).header_code
    failed = False
    for p in check_manifest(fixtures, sources):
        print("FAIL " + p)
        failed = True

    passed = {f: 0 for f in formats}
    errors = {f: [] for f in formats}
    as_text = {f: 0 for f in formats}
    for md in sources:
        stem = os.path.basename(md)[:-3]
        code = header_code(md)
        try:
            orig = extract(args.lzs_index, args.data, md)
        except ExtractError as e:
            print("FAIL %s.md: the markdown original itself: %s" % (stem, e))
            failed = True
            continue
        for f in formats:
            path = os.path.join(fixtures, stem + "." + f)
            if not os.path.exists(path):
                print("FAIL %s.%s [%s]: missing; run tests/fixtures/formats/make-variants.sh"
                      % (stem, f, f))
                errors[f].append("missing")
                continue
            try:
                var = extract(args.lzs_index, args.data, path)
            except ExtractError as e:
                print("FAIL %s.%s [%s]: lzs-index: %s" % (stem, f, f, e))
                errors[f].append(str(e))
                continue
            problems = compare(orig, var, code)
            if any("<!DOCTYPE" in (q.get("text") or "") for q in var.get("passages", [])):
                as_text[f] += 1
                problems.insert(0, ("hint", "the markup itself became passages: lzs-index "
                                            "read the %s file as text (no %s reader?)" % (f, f)))
            if not problems:
                passed[f] += 1
                print("ok   %s.%s [%s]" % (stem, f, f))
                continue
            print("FAIL %s.%s [%s] against %s.md: %d problem(s)" % (stem, f, f, stem,
                                                                  len(problems)))
            for _kind, msg in problems[:6]:
                print("    " + msg)
            if len(problems) > 6:
                print("    ... and %d more" % (len(problems) - 6))
    total = len(sources)
    print()
    for f in formats:
        line = "%s: %d/%d" % (f, passed[f], total)
        if errors[f]:
            reasons = sorted(set(reason(e) for e in errors[f]))
            line += ", lzs-index: %s (%d file%s)" % ("; ".join(reasons), len(errors[f]),
                                                   "" if len(errors[f]) == 1 else "s")
        if as_text[f]:
            line += ", lzs-index: unsupported format (read as text, markup in the passages) " \
                    "(%d file%s)" % (as_text[f], "" if as_text[f] == 1 else "s")
        print(line)
    print("parity: " + ", ".join("%s %d/%d" % (f, passed[f], total) for f in formats))
    if failed or any(passed[f] != total for f in formats):
        return 1
    return 0


# ---- self-test ---------------------------------------------------------------------------


def first(doc, pred):
    for i, p in enumerate(doc["passages"]):
        if pred(p):
            return i
    raise AssertionError("self-test: %s has no passage for this alteration" % doc.get("id"))


def alterations(doc, code):
    """(name, original, altered copy, expected problem kind) for doc; the kind is None when
    the copy must pass, "passages only" when nothing but the passages may be reported."""
    out = []

    def altered(fn):
        d = copy.deepcopy(doc)
        fn(d)
        return d

    body = lambda p: p["kind"] in ("paragraph", "list-item", "recommendation")  # noqa: E731
    out.append(("title changed", altered(lambda d: d.update(title=d["title"] + " (draft)")),
                "metadata"))
    out.append(("source differs", altered(lambda d: d.update(source="elsewhere/x.pdf")), None))
    out.append(("passage dropped",
                altered(lambda d: d["passages"].pop(first(d, body))), "passages"))
    out.append(("section changed", altered(
        lambda d: d["passages"][first(d, body)].update(section=["Somewhere else"])),
        "passages"))
    out.append(("a word changed", altered(
        lambda d: d["passages"][first(d, body)].update(
            text=d["passages"][first(d, body)]["text"] + " (amended)")), "passages only"))
    out.append(("label changed", altered(
        lambda d: d["passages"][first(d, body)].update(label="99")), "passages"))
    out.append(("no and page differ", altered(
        lambda d: [p.update(no=p["no"] + 7, page=3) for p in d["passages"]]), None))
    out.append(("page number inserted", altered(
        lambda d: d["passages"].insert(first(d, body) + 1, dict(
            d["passages"][first(d, body)], text="2 / 9", articles=[], parties=[]))),
        "page-number"))
    out.append(("running header inserted", altered(
        lambda d: d["passages"].insert(first(d, body), dict(
            d["passages"][first(d, body)], text=code, articles=[], parties=[]))),
        "header-code"))
    out.append(("field code inserted", altered(
        lambda d: d["passages"].append(dict(d["passages"][first(d, body)],
                                            text="PAGE / NUMPAGES"))), "field-code"))
    notes = [p for p in doc["passages"] if p["kind"] == "footnote"]
    if notes:
        note = next((n for n in notes if len(n["text"]) >= MIN_GLUED), notes[0])

        def glue(d):
            i = first(d, body)
            d["passages"][i]["text"] += " " + note["text"]

        out.append(("footnote glued", altered(glue), "glued-footnote"))

        def move_notes(d):
            fns = [p for p in d["passages"] if p["kind"] == "footnote"]
            rest = [p for p in d["passages"] if p["kind"] != "footnote"]
            for p in fns:
                p["section"] = ["Footnotes at the end"]
            d["passages"] = rest + fns

        out.append(("footnotes moved to the end", altered(move_notes), None))
        out.append(("footnote dropped", altered(
            lambda d: d["passages"].pop(first(d, lambda p: p["kind"] == "footnote"))),
            "footnotes"))
    recs = [p for p in doc["passages"] if p["kind"] == "recommendation"]
    if recs:
        rec = lambda p: p["kind"] == "recommendation"  # noqa: E731
        out.append(("rec_id changed", altered(
            lambda d: d["passages"][first(d, rec)].update(rec_id="R XX")), "passages"))
        out.append(("addressees changed", altered(
            lambda d: d["passages"][first(d, rec)].update(addressees=["AD"])), "passages"))
        out.append(("level changed", altered(
            lambda d: d["passages"][first(d, rec)].update(level="urge")), "passages"))
    return [(name, doc, var, want) for name, var, want in out] + quoted(doc, code, notes)


def quoted(doc, code, notes):
    """Pairs (name, original, variant, "passages only") where the original itself quotes
    the header code or a note's words in its body and the variant only changes a word of
    that paragraph: a differing passage, not furniture."""
    out = []
    quotes = [("header code quoted", "See document %s of the Committee." % code)]
    if notes:
        quotes.append(("note quoted", "As the note says: %s" % notes[0]["text"]))
    for name, text in quotes:
        orig = copy.deepcopy(doc)
        i = first(orig, lambda p: p["kind"] in ("paragraph", "list-item", "recommendation"))
        orig["passages"].insert(i + 1, dict(orig["passages"][i], text=text, articles=[],
                                            parties=[]))
        var = copy.deepcopy(orig)
        var["passages"][i + 1]["text"] = text.replace(" ", " (amended) ", 1)
        out.append((name, orig, var, "passages only"))
    return out


def run_self_test(args):
    sources = sources_of(args.fixtures)
    if not sources:
        print("self-test: no markdown sources in %s" % args.fixtures)
        return 1
    header_code = load_variants(args.fixtures).header_code
    failures = 0
    checks = 0
    tmp = tempfile.mkdtemp(prefix="lzs-parity-")
    try:
        kinds_seen = set()
        for md in sources:
            stem = os.path.basename(md)[:-3]
            code = header_code(md)
            # A copy elsewhere goes through the same comparison and must agree.
            txt = os.path.join(tmp, stem + ".md")
            shutil.copyfile(md, txt)
            sidecar = md[:-3] + ".meta.json"
            if os.path.exists(sidecar):
                shutil.copyfile(sidecar, os.path.join(tmp, stem + ".meta.json"))
            checks += 1
            try:
                orig = extract(args.lzs_index, args.data, md)
                problems = compare(orig, extract(args.lzs_index, args.data, txt), code)
            except ExtractError as e:
                failures += 1
                print("FAIL %s: lzs-index: %s" % (stem, e))
                continue
            if problems:
                failures += 1
                print("FAIL %s: its copy in another directory differs:" % stem)
                for _k, m in problems:
                    print("    " + m)
            if compare(orig, copy.deepcopy(orig), code):
                failures += 1
                print("FAIL %s: an extraction differs from itself" % stem)
            for name, base, doc, want in alterations(orig, code):
                checks += 1
                got = [k for k, _m in compare(base, doc, code)]
                if want == "passages only" and set(got) != {"passages"}:
                    failures += 1
                    print("FAIL %s, %s: must be reported as passages only, reported %s" % (
                        stem, name, got))
                elif want is None and got:
                    failures += 1
                    print("FAIL %s, %s: must pass, reported %s" % (stem, name, got))
                elif want not in (None, "passages only") and want not in got:
                    failures += 1
                    print("FAIL %s, %s: not reported as %s (reported: %s)" % (
                        stem, name, want, got or "nothing"))
                if want and want != "passages only":
                    kinds_seen.add(want)
        for kind in ("metadata", "passages", "footnotes", "page-number", "header-code",
                     "field-code", "glued-footnote"):
            if kind not in kinds_seen:
                failures += 1
                print("FAIL no fixture exercised the %s check" % kind)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("self-test: %d checks over %d sources, %d failed" % (checks, len(sources), failures))
    return 1 if failures else 0


def run_compare(args):
    a, b = args.compare
    orig = extract(args.lzs_index, args.data, a)
    other = extract(args.lzs_index, args.data, b)
    problems = compare(orig, other, None)
    # All differing runs, not only the first: this mode documents differences.
    bo = [p for p in orig["passages"] if p["kind"] != "footnote"]
    bv = [p for p in other["passages"] if p["kind"] != "footnote"]
    sm = difflib.SequenceMatcher(None, [key(p, BODY_IGNORED) for p in bo],
                                 [key(p, BODY_IGNORED) for p in bv], autojunk=False)
    for _kind, msg in problems:
        if _kind != "passages":
            print(msg)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        print("--- %s %s passages %d-%d / %d-%d" % (a, tag, i1 + 1, i2, j1 + 1, j2))
        for k in range(max(i2 - i1, j2 - j1)):
            pa = bo[i1 + k] if i1 + k < i2 else None
            pb = bv[j1 + k] if j1 + k < j2 else None
            if pa is not None and pb is not None:
                print("    #%s / #%s:" % (pa["no"], pb["no"]))
                print("\n".join(field_diff(pa, pb, BODY_IGNORED)))
            else:
                print(show(pa if pa is not None else pb))
    print("compare: %s" % ("same" if not problems else "%d problem(s)" % len(problems)))
    return 0 if not problems else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lzs-index", required=True, help="the lzs-index binary")
    ap.add_argument("--data", help="domain data directory passed to lzs-index --data")
    ap.add_argument("--fixtures", help="directory of NAME.md sources and their variants")
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--compare", nargs=2, metavar=("ORIGINAL", "OTHER"))
    args = ap.parse_args()
    if not os.access(args.lzs_index, os.X_OK):
        print("parity: %s is not an executable lzs-index" % args.lzs_index)
        return 1
    if args.compare:
        return run_compare(args)
    if not args.fixtures or not os.path.isdir(args.fixtures):
        print("parity: --fixtures DIR is required and must be a directory")
        return 1
    if args.self_test:
        return run_self_test(args)
    return run_parity(args)


if __name__ == "__main__":
    sys.exit(main())
