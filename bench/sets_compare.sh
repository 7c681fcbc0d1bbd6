#!/bin/sh
# Compares two outputs of lzs-bench-sets (same seed and corpus, two builds or schemas):
#   bench/sets_compare.sh BEFORE AFTER
# Fails (exit 1), listing them, when a request's total, set of matching passages, facet
# counts or read_as differ; says how many first pages come in another order ("top"), which
# may move when scores change. "similar" lines are ranked lists: only counted in "top".
# The collection facet names each index by its directory's last component: give both indexes
# directories of the same name.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 BEFORE AFTER" >&2; exit 2; }
[ "$(wc -l <"$1")" -eq "$(wc -l <"$2")" ] || { echo "$0: $1 and $2 differ in length" >&2; exit 1; }
paste "$1" "$2" | awk -F '\t' '
    $1 == "skip" { next }
    $1 == "similar" { n_sim++; if ($7 != $14) sim_moved++; next }
    {
        n++
        if ($2 != $9) { print "not the same request: " $2 " / " $9; bad++; next }
        if ($3 != $10 || $4 != $11 || $5 != $12 || $6 != $13) {
            print "differs: " $1 " " $2 ": total " $3 "/" $10 ", set " $4 "/" $11 \
                  ", facets " $5 "/" $12 ", read_as " $6 "/" $13
            bad++
        }
        if ($7 != $14) moved++
    }
    END {
        printf "%d requests: %d differ in total, set, facets or read_as; %d first pages in another order\n", n, bad, moved
        printf "%d similar-passage lists: %d in another order\n", n_sim, sim_moved
        exit bad > 0
    }'
