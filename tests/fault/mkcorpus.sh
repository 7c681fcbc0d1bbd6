#!/usr/bin/env bash
# Builds a test corpus of COPIES copies of the shipped documents (corpus/*.txt), each copy
# in its own directory and with a sidecar giving it its own reference, so that every copy
# is a distinct document to the indexer (a few hundred passages per copy of the corpus).
#   tests/fault/mkcorpus.sh DEST COPIES [VARIANT]
# VARIANT "stale" builds an earlier state of the same corpus instead: copies whose number
# is 1 mod 3 are missing, those 2 mod 3 have an extra paragraph, and an extra copy exists
# that the final corpus no longer has -- so that indexing the final corpus over a stale
# index adds, changes and removes documents.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: mkcorpus.sh DEST COPIES [stale]" >&2; exit 2; }
dest=$1
copies=$2
variant=${3:-final}
src="$(cd "$(dirname "$0")/../.." && pwd)/corpus"
[[ "$copies" =~ ^[0-9]+$ ]] || { echo "mkcorpus.sh: COPIES must be a number" >&2; exit 2; }

rm -rf "$dest"
mkdir -p "$dest"
last=$copies
[ "$variant" = stale ] && last=$((copies + 1))
for ((c = 1; c <= last; c++)); do
  if [ "$variant" = stale ] && [ $((c % 3)) -eq 1 ] && [ "$c" -le "$copies" ]; then
    continue
  fi
  dir=$(printf '%s/c%03d' "$dest" "$c")
  mkdir -p "$dir"
  n=0
  for f in "$src"/*.txt; do
    n=$((n + 1))
    base=$(basename "$f" .txt)
    cp "$f" "$dir/$base.txt"
    if [ "$variant" = stale ] && [ $((c % 3)) -eq 2 ]; then
      printf '\n\nAn earlier paragraph of copy %d, removed since.\n' "$c" >>"$dir/$base.txt"
    fi
    printf '{"reference": "T-ES(2099)%03d%02d_en", "title": "Copy %d of document %d"}\n' \
      "$c" "$n" "$c" "$n" >"$dir/$base.meta.json"
  done
done
