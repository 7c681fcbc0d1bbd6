#!/usr/bin/env python3
"""Lists the functions of the project's C and C++ sources longer than a limit, longest first.

    scripts/function-lengths.py [--over N] [DIR|FILE...]
        DIR, FILE: what to read (default: the folders lib indexer searchd). N: the limit in lines
        (default 100). Prints "lines  file:line  name" for each function over N lines;
        exit status 0 always (a list to read, not a check).

A function is counted the way the house style writes one: its opening brace alone at the
start of a line, its closing brace alone at the start of a line, and its name on the line
(or the lines) before the brace. Its length runs from the line of its name to the closing
brace, both counted. Code written otherwise is not seen, which is why this is not a test.
"""
import argparse
import os
import re
import sys

SOURCE = re.compile(r"\.(c|cc|h)$")
NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_:~]*)\s*\(")


def functions(path):
    """Yields (first line, length, name) for each function of the file at path."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i] != "{":
            i += 1
            continue
        # The signature: back to the line that starts at column 0 with the name's "(".
        start = i - 1
        while start > 0 and not NAME.search(lines[start]) and lines[start - 1].strip():
            start -= 1
        while start > 0 and lines[start][:1] in (" ", "\t"):
            start -= 1
        match = NAME.search(lines[start]) if start >= 0 else None
        end = i + 1
        while end < len(lines) and lines[end] != "}":
            end += 1
        if match and not lines[start].startswith(("struct", "typedef", "enum", "union")):
            yield start + 1, end - start + 1, match.group(1)
        i = end + 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--over", type=int, default=100)
    ap.add_argument("dirs", nargs="*", default=["lib", "indexer", "searchd"])
    args = ap.parse_args()
    found = []
    paths = []
    for top in args.dirs:
        if os.path.isfile(top):
            paths.append(top)
        for root, _, files in os.walk(top):
            paths += [os.path.join(root, n) for n in sorted(files) if SOURCE.search(n)]
    for path in paths:
        for line, length, fn in functions(path):
            if length > args.over:
                found.append((length, f"{path}:{line}", fn))
    for length, where, fn in sorted(found, key=lambda r: (-r[0], r[1])):
        print(f"{length:5d}  {where}  {fn}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
