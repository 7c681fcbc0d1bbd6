#!/usr/bin/env python3
"""docs/openapi.yaml is the one source of the HTTP API's field lists: this script checks
docs/api.md's machine-read blocks against it, or writes them from it.

    scripts/openapi.py check [--spec YAML] [--doc MD] [--routes C]
        Checks the YAML (OpenAPI 3.1 structure, every $ref resolves, every route of
        searchd/routes.c's table is described, every object schema closed), then compares
        every ```fields NAME, ```params NAME, ```headers NAME, ```csv and ```csv NAME block of
        docs/api.md with the block the YAML yields, and the ```errors block's codes and
        statuses with the YAML's error responses. Prints what differs, naming the block
        and its line in docs/api.md; exit status 1 when anything does, 0 when all agree.
    scripts/openapi.py blocks [--write] [--spec YAML] [--doc MD]
        Prints the blocks the YAML yields (to paste into docs/api.md), or with --write
        rewrites those blocks of docs/api.md in place.

How a schema yields a ```fields block (the conventions are written at the top of the
YAML): one line `path: type|type` per property, depth first in the order of the YAML,
`?` after the path of a property that is not `required`, `[]` for the items of an array;
properties of one object that refer to the same schema (the facets) have their inner lines
written once, under `*`. A schema's `$ref` and `allOf` parts are merged in order, the
schema's own properties last. An answer (a schema named in lower case) has a block of its
name. A ```params NAME block is the query parameters of the operation whose operationId is
NAME, in order: `name type default description` (type string, integer, enum or string[],
default `-` when there is none and `""` for the empty string). The ```csv block is the
header row of the export's CSV answer (its `x-csv-columns`), a ```csv NAME block that of
operation NAME's.

Only python3 and its yaml module (Debian: python3-yaml) are needed."""

import argparse
import difflib
import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.exit("openapi.py: the Python module yaml is missing: install the Debian package "
             "python3-yaml (scripts/install-deps.sh --test)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPEC = os.path.join(ROOT, "docs", "openapi.yaml")
DEFAULT_DOC = os.path.join(ROOT, "docs", "api.md")
DEFAULT_ROUTES = os.path.join(ROOT, "searchd", "routes.c")

BLOCK_RE = re.compile(r"^```(\w+)(?: ([\w-]+))?\n(.*?)^```", re.M | re.S)
# The operations whose answer's headers docs/api.md lists in a ```headers block.
HEADER_BLOCKS = ("export",)
# The operation whose CSV header row is docs/api.md's unnamed ```csv block (it came first);
# the CSV answer of any other operation has a ```csv NAME block of its operationId.
CSV_UNNAMED = "export"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class SpecError(Exception):
    """A defect of the YAML itself."""


# ---- the YAML ---------------------------------------------------------------------------

def load_spec(path):
    with open(path, encoding="utf-8") as f:
        try:
            return yaml.safe_load(f)
        except yaml.YAMLError as e:
            raise SpecError("%s: not valid YAML: %s" % (path, e))


def pointer(spec, ref):
    """The value a local $ref ("#/a/b") names; SpecError when it names nothing."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        raise SpecError("$ref %r is not a local reference (#/...)" % (ref,))
    node = spec
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise SpecError("$ref %s does not resolve (no %r)" % (ref, part))
    return node


def deref(spec, obj):
    """A Parameter, Response or Header object with its $ref followed; the reference's own
    description (OpenAPI 3.1 lets it override) wins."""
    if isinstance(obj, dict) and "$ref" in obj:
        target = dict(pointer(spec, obj["$ref"]))
        if "description" in obj:
            target["description"] = obj["description"]
        return target
    return obj


def merge_into(out, part):
    for k, v in part.items():
        if k == "properties":
            props = out.setdefault("properties", {})
            for name, sch in v.items():
                props[name] = {"allOf": [props[name], sch]} if name in props else sch
        elif k == "required":
            req = out.setdefault("required", [])
            req.extend(r for r in v if r not in req)
        else:
            out[k] = v


def merged(spec, schema, where):
    """schema with its $ref and allOf parts merged in order, its own keywords last."""
    if not isinstance(schema, dict):
        raise SpecError("%s: a schema must be a mapping, not %r" % (where, schema))
    parts = []
    if "$ref" in schema:
        parts.append(merged(spec, pointer(spec, schema["$ref"]), schema["$ref"]))
    for i, sub in enumerate(schema.get("allOf", [])):
        parts.append(merged(spec, sub, "%s/allOf/%d" % (where, i)))
    own = {k: v for k, v in schema.items() if k not in ("$ref", "allOf")}
    parts.append(own)
    names = [set(p.get("properties", {})) for p in parts]
    for i, p in enumerate(parts):
        others = set().union(*(n for j, n in enumerate(names) if j != i)) - names[i]
        if p.get("additionalProperties") is False and others:
            raise SpecError("%s: a part with additionalProperties: false is composed with "
                            "other fields (%s), which it would reject: close the composed "
                            "object with unevaluatedProperties: false instead" %
                            (where, ", ".join(sorted(others))))
    out = {}
    for p in parts:
        merge_into(out, p)
    return out


def types_of(schema, where):
    t = schema.get("type")
    if t is None:
        raise SpecError("%s: no type" % where)
    return [t] if isinstance(t, str) else list(t)


def fields_lines(spec, name):
    """The lines of the ```fields block the answer schema `name` yields."""
    lines = []
    where = "#/components/schemas/" + name

    def children(s, path, where):
        types = types_of(s, where)
        if "object" in types and "properties" in s:
            if s.get("additionalProperties") is not False and \
                    s.get("unevaluatedProperties") is not False:
                raise SpecError("%s: object %s is not closed (additionalProperties: false or "
                                "unevaluatedProperties: false)" % (where, path or name))
            props = s["properties"]
            required = s.get("required", [])
            for r in required:
                if not isinstance(r, str) or r not in props:
                    raise SpecError("%s: required %r is not a property (quote YAML words "
                                    "like no, yes, on, off)" % (where, r))
            refs = {}
            for p, sch in props.items():
                if isinstance(sch, dict) and list(sch) == ["$ref"]:
                    refs.setdefault(sch["$ref"], []).append(p)
            shared = {p: ref for ref, ps in refs.items() if len(ps) > 1 for p in ps}
            for p, sch in props.items():
                if not isinstance(p, str):
                    raise SpecError("%s: property name %r is not a string (quote it)" %
                                    (where, p))
                child_path = path + "." + p if path else p
                child_where = where + "/properties/" + p
                sub = merged(spec, sch, child_where)
                opt = "" if p in required else "?"
                lines.append("%s%s: %s" % (child_path, opt,
                                           "|".join(types_of(sub, child_where))))
                if p in shared:
                    ref = shared[p]
                    if refs[ref][-1] == p:
                        children(sub, (path + "." if path else "") + "*", ref)
                else:
                    children(sub, child_path, child_where)
        if "array" in types and "items" in s:
            sub = merged(spec, s["items"], where + "/items")
            lines.append("%s[]: %s" % (path, "|".join(types_of(sub, where + "/items"))))
            children(sub, path + "[]", where + "/items")

    schemas = spec.get("components", {}).get("schemas", {})
    if name not in schemas:
        raise SpecError("no schema %s" % where)
    children(merged(spec, schemas[name], where), "", where)
    return lines


def operations(spec):
    """(path, method, operation) of every operation, in the order of the YAML."""
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def operation(spec, op_id):
    for path, method, op in operations(spec):
        if op.get("operationId") == op_id:
            return path, method, op
    raise SpecError("no operation with operationId %s" % op_id)


def query_params(spec, op):
    return [p for p in (deref(spec, x) for x in op.get("parameters", []))
            if p.get("in") == "query"]


def params_lines(spec, op_id):
    """The lines of the ```params block of operation op_id."""
    _, _, op = operation(spec, op_id)
    lines = []
    for p in query_params(spec, op):
        s = merged(spec, p.get("schema", {}), "parameter " + p.get("name", "?"))
        t = s.get("type")
        if t == "array":
            typ = types_of(merged(spec, s.get("items", {}), "items of " + p["name"]),
                           "items of " + p["name"])[0] + "[]"
            if p.get("explode") is not True or p.get("style", "form") != "form":
                raise SpecError("parameter %s of %s: a repeatable filter is style: form, "
                                "explode: true" % (p["name"], op_id))
        elif "enum" in s:
            typ = "enum"
        else:
            typ = t
        if "default" not in s:
            default = "-"
        elif s["default"] == "":
            default = '""'
        else:
            default = str(s["default"])
        desc = p.get("description", "")
        if "\n" in desc:
            raise SpecError("parameter %s of %s: the description must be one line" %
                            (p["name"], op_id))
        lines.append("%s %s %s %s" % (p["name"], typ, default, desc))
    return lines


def ok_response(spec, op_id):
    _, _, op = operation(spec, op_id)
    return deref(spec, op.get("responses", {}).get("200", {}))


def headers_lines(spec, op_id):
    """The lines of the ```headers block of operation op_id: its 200 answer's headers."""
    return ["%s %s" % (name, deref(spec, h).get("description", ""))
            for name, h in ok_response(spec, op_id).get("headers", {}).items()]


def csv_line(spec, op_id):
    """The header row of operation op_id's CSV answer; None when it has none."""
    for mtype, media in ok_response(spec, op_id).get("content", {}).items():
        if mtype.startswith("text/csv"):
            cols = media.get("x-csv-columns")
            if not cols:
                raise SpecError("%s's text/csv answer has no x-csv-columns" % op_id)
            return [",".join(cols)]
    if op_id == CSV_UNNAMED:
        raise SpecError("%s has no text/csv answer" % op_id)
    return None


def error_statuses(spec):
    """{code: set of statuses} over the error responses of every operation."""
    out = {}
    for path, method, op in operations(spec):
        for status, resp in op.get("responses", {}).items():
            if not str(status).startswith(("4", "5")):
                continue
            resp = deref(spec, resp)
            for mtype, media in resp.get("content", {}).items():
                if "json" not in mtype:
                    continue  # the page's HTML error pages carry no error code
                s = media.get("schema", {})
                code = s.get("properties", {}).get("error", {}).get("properties", {}) \
                        .get("code", {})
                codes = code.get("enum", [code["const"]] if "const" in code else [])
                if not codes:
                    raise SpecError("%s %s: answer %s does not say which error codes it has"
                                    % (method.upper(), path, status))
                for c in codes:
                    out.setdefault(c, set()).add(int(status))
    return out


def answer_names(spec):
    return [n for n in spec.get("components", {}).get("schemas", {}) if n[:1].islower()]


def generated_blocks(spec):
    """{(kind, name): [lines]} of every block the YAML yields."""
    out = {}
    for name in answer_names(spec):
        out[("fields", name)] = fields_lines(spec, name)
    for path, method, op in operations(spec):
        if query_params(spec, op):
            out[("params", op["operationId"])] = params_lines(spec, op["operationId"])
        if op["operationId"] in HEADER_BLOCKS:
            out[("headers", op["operationId"])] = headers_lines(spec, op["operationId"])
        csv = csv_line(spec, op["operationId"])
        if csv is not None:
            out[("csv", None if op["operationId"] == CSV_UNNAMED else op["operationId"])] = csv
    if ("csv", None) not in out:
        raise SpecError("no operation %s, whose CSV header row is the ```csv block" %
                        CSV_UNNAMED)
    return out


# ---- structure --------------------------------------------------------------------------

def route_paths(routes_c):
    """The path strings of the route table (routes[]) of searchd/routes.c."""
    with open(routes_c, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"\broutes\[\]\s*=\s*\{(.*?)\n\};", text, re.S)
    if not m:
        raise SpecError("%s: no route table `routes[] = {...};` found" % routes_c)
    paths = re.findall(r"\{\s*\"(/[^\"]*)\"\s*,", m.group(1))
    if not paths:
        raise SpecError("%s: the route table has no rows" % routes_c)
    return paths


def structure_problems(spec, routes_c):
    problems = []
    if not isinstance(spec, dict):
        return ["the YAML is not a mapping"]
    if not str(spec.get("openapi", "")).startswith("3.1."):
        problems.append("openapi is %r, not 3.1.x" % spec.get("openapi"))
    if spec.get("jsonSchemaDialect") != "https://json-schema.org/draft/2020-12/schema":
        problems.append("jsonSchemaDialect is not Draft 2020-12")
    info = spec.get("info", {})
    for k in ("title", "version"):
        if not isinstance(info.get(k), str):
            problems.append("info.%s is missing or not a string" % k)
    if not spec.get("paths"):
        problems.append("no paths")

    def walk(node, where):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref is not None:
                try:
                    pointer(spec, ref)
                except SpecError as e:
                    problems.append("%s: %s" % (where, e))
            for k, v in node.items():
                walk(v, "%s/%s" % (where, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (where, i))
    walk(spec, "#")

    ids = set()
    for path, method, op in operations(spec):
        where = "%s %s" % (method.upper(), path)
        op_id = op.get("operationId")
        if not op_id:
            problems.append("%s: no operationId" % where)
        elif op_id in ids:
            problems.append("%s: operationId %s used twice" % (where, op_id))
        ids.add(op_id)
        if not op.get("responses"):
            problems.append("%s: no responses" % where)
        for status, resp in op.get("responses", {}).items():
            try:
                if not deref(spec, resp).get("description"):
                    problems.append("%s: answer %s has no description" % (where, status))
            except SpecError:
                pass  # reported by walk()
        templ = set(re.findall(r"\{([^}]+)\}", path))
        try:
            declared = {p.get("name") for p in (deref(spec, x) for x in
                                                op.get("parameters", []))
                        if p.get("in") == "path"}
        except SpecError:
            continue
        if templ != declared:
            problems.append("%s: path parameters %s, declared %s" %
                            (where, sorted(templ), sorted(declared)))
    try:
        for r in route_paths(routes_c):
            if r.endswith("/"):
                if not any(p.startswith(r + "{") for p in spec.get("paths", {})):
                    problems.append("route %s of %s has no path %s{...} in the YAML" %
                                    (r, routes_c, r))
            elif r not in spec.get("paths", {}):
                problems.append("route %s of %s is not in the YAML's paths" % (r, routes_c))
    except (OSError, SpecError) as e:
        problems.append(str(e))
    return problems


# ---- docs/api.md ------------------------------------------------------------------------

def doc_blocks(doc_path):
    """{(kind, name): (line of the opening fence, [lines])} of the fenced blocks of doc."""
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    out = {}
    for m in BLOCK_RE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        out[(m.group(1), m.group(2))] = (line, m.group(3).rstrip("\n").split("\n"))
    return out


def block_title(key):
    return "```%s%s" % (key[0], " " + key[1] if key[1] else "")


def compare_blocks(doc_path, doc, gen):
    problems = []
    for key in sorted(set(doc) | set(gen), key=lambda k: (k[0], k[1] or "")):
        if key[0] not in ("fields", "params", "headers", "csv"):
            continue
        if key not in gen:
            problems.append("%s:%d: %s has no counterpart in the YAML" %
                            (doc_path, doc[key][0], block_title(key)))
            continue
        if key not in doc:
            problems.append("%s: no %s block, which the YAML yields:\n%s" %
                            (doc_path, block_title(key), "\n".join(gen[key])))
            continue
        start, have = doc[key]
        want = gen[key]
        if have == want:
            continue
        first = next((i for i, (a, b) in enumerate(zip(have, want)) if a != b),
                     min(len(have), len(want)))
        diff = difflib.unified_diff(have, want, "docs/api.md " + block_title(key),
                                    "docs/openapi.yaml", lineterm="", n=2)
        problems.append("%s:%d: %s differs from the YAML from its line %d "
                        "(- api.md, + YAML):\n%s" %
                        (doc_path, start + 1 + first, block_title(key), first + 1,
                         "\n".join(diff)))
    return problems


def compare_errors(doc_path, doc, spec):
    problems = []
    key = ("errors", None)
    if key not in doc:
        return ["%s: no ```errors block" % doc_path]
    start, lines = doc[key]
    documented = {}
    for i, line in enumerate(lines):
        parts = line.split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            problems.append("%s:%d: not `code status description`: %s" %
                            (doc_path, start + 1 + i, line))
            continue
        documented[parts[0]] = (int(parts[1]), start + 1 + i)
    got = error_statuses(spec)
    enum = pointer(spec, "#/components/schemas/error/properties/error/properties/code") \
        .get("enum", [])
    for code, (status, line) in documented.items():
        if code not in got:
            problems.append("%s:%d: error %s is in no answer of the YAML" %
                            (doc_path, line, code))
        elif got[code] != {status}:
            problems.append("%s:%d: error %s is %d here, %s in the YAML" %
                            (doc_path, line, code, status, sorted(got[code])))
        if code not in enum:
            problems.append("%s:%d: error %s is not in the YAML's error.code enum" %
                            (doc_path, line, code))
    for code in sorted(set(got) | set(enum)):
        if code not in documented:
            problems.append("%s:%d: the YAML has error %s, the ```errors block does not" %
                            (doc_path, start, code))
    return problems


def write_blocks(doc_path, gen):
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()

    def repl(m):
        key = (m.group(1), m.group(2))
        if key not in gen:
            return m.group(0)
        head = m.group(0).split("\n", 1)[0]
        return head + "\n" + "\n".join(gen[key]) + "\n```"
    new = BLOCK_RE.sub(repl, text)
    if new != text:
        with open(doc_path, "w", encoding="utf-8") as f:
            f.write(new)
    return new != text


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("check", "blocks"))
    ap.add_argument("--spec", default=DEFAULT_SPEC)
    ap.add_argument("--doc", default=DEFAULT_DOC)
    ap.add_argument("--routes", default=DEFAULT_ROUTES)
    ap.add_argument("--write", action="store_true",
                    help="blocks: rewrite the blocks of --doc in place")
    args = ap.parse_args(argv)
    try:
        spec = load_spec(args.spec)
        problems = structure_problems(spec, args.routes)
        if problems:
            print("%s:\n  %s" % (args.spec, "\n  ".join(problems)), file=sys.stderr)
            return 1
        gen = generated_blocks(spec)
    except SpecError as e:
        print("%s: %s" % (args.spec, e), file=sys.stderr)
        return 1
    if args.mode == "blocks":
        if args.write:
            changed = write_blocks(args.doc, gen)
            print("%s: %s" % (args.doc, "blocks rewritten" if changed else "already agrees"))
            return 0
        for key, lines in gen.items():
            print("%s\n%s\n```\n" % (block_title(key), "\n".join(lines)))
        return 0
    doc = doc_blocks(args.doc)
    problems = compare_blocks(args.doc, doc, gen)
    try:
        problems += compare_errors(args.doc, doc, spec)
    except SpecError as e:
        problems.append("%s: %s" % (args.spec, e))
    if problems:
        print("\n\n".join(problems), file=sys.stderr)
        print("\n%d disagreement(s) between %s and %s; `scripts/openapi.py blocks --write` "
              "rewrites the blocks from the YAML" % (len(problems), args.doc, args.spec),
              file=sys.stderr)
        return 1
    print("%s agrees with %s (%d blocks)" % (args.doc, args.spec, len(gen)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
