#!/usr/bin/env bash
# The documented load and soak run of lzs-searchd (docs/robustness.md). Not a test: it
# prints figures and keeps them in WORK_DIR/report.txt. Takes about 17 minutes.
#   bench/load/run.sh [BUILD_DIR] [WORK_DIR]
# BUILD_DIR (default build/release, configured RelWithDebInfo if missing); WORK_DIR
# (default /tmp/lzs-load: corpus and index, about 1 GB).
# Environment: FILES (generated documents, default 1700: ~215,000 passages), RATES
# (requests/s, default 5,10,20,40,80,160), DURATION (s per rate, default 30),
# SOAK (s, default 600), THREADS (daemon worker threads, default nproc), SLOW (slow-client
# phase length in s, default 60), PHASES (which phases to run, default 1,2,3,4; without 1
# the soak runs at PEAK/2, PEAK default 80), REUSE_INDEX=1 (keep the index of an earlier
# run of the same FILES instead of building it again: not with phase 4, which adds to it).
#
# Phases:
#  1. open-loop runs at each rate over a fixed query mix: throughput, p50/p99/p99.9;
#     the peak is the highest rate served in full (>= 95% of the rate, no error, p99 < 1 s)
#  2. adversarial queries, each alone: answered or refused within 200 ms
#  3. slow clients (slowloris): 32 connections from each of 10 loopback addresses
#     (127.0.0.2 to .11) trickle one header byte every 4 s, reconnecting when closed, while
#     a normal client (127.0.0.1) searches at 20 req/s: its latency under the attack, and
#     what the attack met (refused, closed at the head deadline)
#  4. soak at half the peak for SOAK seconds while the indexer commits a new document
#     every ~20 s: errors (must be 0), daemon memory after the first minute and at the end
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
work=${2:-/tmp/lzs-load}
FILES=${FILES:-1700}
RATES=${RATES:-5,10,20,40,80,160}
DURATION=${DURATION:-30}
SOAK=${SOAK:-600}
THREADS=${THREADS:-$(nproc)}
SLOW=${SLOW:-60}
PHASES=${PHASES:-1,2,3,4}
PEAK=${PEAK:-80}
phase() { [[ ",$PHASES," == *",$1,"* ]]; }

mkdir -p "$work"
report=$work/report.txt
: >"$report"
say() { echo "$*" | tee -a "$report"; }

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" --target lzs-index lzs-searchd lzs-bench-gen lzs-load -j2 >/dev/null
index_bin=$build/indexer/lzs-index
searchd_bin=$build/searchd/lzs-searchd
gen_bin=$build/bench/lzs-bench-gen
load_bin=$build/bench/lzs-load

say "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
say "== build: $(grep CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"

# ---- corpus and index ---------------------------------------------------------------
if [ ! -f "$work/corpus.done" ] || [ "$(cat "$work/corpus.done")" != "$FILES" ]; then
  rm -rf "$work/corpus" "$work/index"
  "$gen_bin" --seed 1 "$work/corpus" "$FILES"
  echo "$FILES" >"$work/corpus.done"
fi
if [ -n "${REUSE_INDEX:-}" ] && [ -s "$work/index.json" ] && [ -d "$work/index" ] && ! phase 4; then
  passages=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["passages"])' "$work/index.json")
  say "== index: $FILES files, $passages passages, kept from an earlier run ($(du -sh "$work/index" | cut -f1))"
else
rm -rf "$work/corpus/extra" "$work/index"
t0=$(date +%s.%N)
"$index_bin" --json -j "$(nproc)" -i "$work/index" "$work/corpus" >"$work/index.json"
t1=$(date +%s.%N)
passages=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["passages"])' "$work/index.json")
say "== index: $FILES files, $passages passages, built in $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s ($(du -sh "$work/index" | cut -f1))"
fi
if [ "$passages" -lt "${MIN_PASSAGES:-200000}" ]; then
  say "the index has fewer than ${MIN_PASSAGES:-200000} passages: raise FILES"
  exit 1
fi

# ---- the daemon -------------------------------------------------------------------------
rm -f "$work/port"
"$searchd_bin" --index "$work/index" --listen 127.0.0.1:0 --port-file "$work/port" \
  --threads "$THREADS" 2>"$work/searchd.log" &
searchd_pid=$!
loop_pid=
cleanup() {
  [ -n "$loop_pid" ] && kill "$loop_pid" 2>/dev/null || true
  kill "$searchd_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { say "lzs-searchd did not start: $(tail -3 "$work/searchd.log")"; exit 1; }
port=$(cat "$work/port")
say "== lzs-searchd: port $port, $THREADS threads, pid $searchd_pid"

# ---- 1. rates -----------------------------------------------------------------------
peak=$PEAK
if phase 1; then
say "== 1. open-loop rates (latency from the intended send time)"
"$load_bin" --port "$port" --rates "$RATES" --duration "$DURATION" | tee -a "$report" || true
peak=$(awk '/answered\/s/ && $1 ~ /\/s$/ {
         rate = $1; sub(/\/s$/, "", rate); thr = 0; p99 = 0; err = 0
         for (i = 1; i <= NF; i++) {
           if ($i == "answered/s") thr = $(i - 1)
           if ($i == "p99") p99 = $(i + 1)
           if ($i == "errors") err = $(i + 1)
         }
         if (thr >= 0.95 * rate && err == 0 && p99 < 1000) best = rate
       } END { print best + 0 }' "$report")
[ "$peak" -gt 0 ] || peak=$(echo "$RATES" | cut -d, -f1)
say "== peak rate served in full: $peak req/s"
fi

# ---- 2. adversarial queries ------------------------------------------------------------
if phase 2; then
probe=$work/adversarial.txt
python3 - "$probe" <<'PY'
import sys, urllib.parse as u
q = lambda s, extra="": "/api/search?q=" + u.quote(s, safe="") + extra
words = "child abuse sexual protection report committee parties article victims online".split()
lines = []
lines.append(q(" ".join(w[:2] + "*" for w in words * 6)))                      # 60 wildcards
lines.append(q("a*"))                                                          # the widest prefix
lines.append(q("co*"))
lines.append(q(" OR ".join(f"w{i}" for i in range(1000))))                     # a thousand ORs
lines.append(q(" OR ".join(words[i % len(words)] for i in range(63))))         # 63 ORs of 10 repeated words
common = ("sexual lanzarote convention article committee parties children enfants child abuse "
          "exploitation recommendation information images operation against other conform "
          "international council victimes report recommendations protection internationale "
          "sexuelles possible europe presented union doivent sexuels abus progress infractions "
          "generated monitoring videos european technologies toutes matters victims adopted "
          "obligations communication questionnaire states particulier affaires judice tariat "
          "appui online recommandation instruments related mieux implementation").split()[:63]
lines.append(q(" OR ".join(common)))                                           # 63 common words
lines.append(q("child OR children OR abuse OR sexual"))                        # a broad OR
lines.append(q("(" * 500 + "child" + ")" * 500))                               # deep parentheses
lines.append(q("(" * 5000))
longest = " ".join(["implementation"] * 63)
longest += " " + "x" * (1024 - len(longest) - 1)
lines.append(q(longest))                                                       # longest allowed: 1024 bytes, 64 terms
lines.append(q("x" * 1025))                                                    # one byte too long
lines.append(q('"' + " ".join(words * 6)[:1000] + '"'))                        # a long phrase
lines.append(q("NOT " * 250 + "child"))
lines.append(q("-" * 1000 + "child"))
lines.append(q("child*", "&group=document&size=100&facets=1"))
lines.append(q("", "&offset=10000&size=100&sort=oldest"))
lines.append(q("party:" + " party:".join(["Norway"] * 40)))
lines.append("/api/search?" + "&".join("party=NO" for _ in range(40)))
lines.append("/api/export?q=" + u.quote("child*") + "&format=csv")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
say "== 2. adversarial queries (each alone; limit 200 ms)"
"$load_bin" --port "$port" --probe "$probe" --limit-ms 200 | tee -a "$report" || true
fi

# ---- 3. slow clients --------------------------------------------------------------------
if phase 3; then
say "== 3. slow clients: slowloris from 10 addresses for ${SLOW} s, a normal client searching at 20 req/s"
"$load_bin" --port "$port" --slowloris 10 --slow-per-addr 32 --slow-interval 4 --slow-warmup 10 \
  --rates 20 --duration $((SLOW - 10)) | sed 's/^20\/s /normal client under attack: 20\/s /' |
  tee -a "$report" || true
fi

# ---- 4. soak with commits ---------------------------------------------------------------
if phase 4; then
half=$((peak / 2))
[ "$half" -ge 1 ] || half=1
say "== 4. soak: ${SOAK} s at $half req/s while the indexer commits a new document every ~20 s"
(
  i=0
  while :; do
    sleep 20
    i=$((i + 1))
    tmp=$work/extra-gen
    rm -rf "$tmp"
    "$gen_bin" --seed $((1000 + i)) "$tmp" 1 >/dev/null 2>&1
    mkdir -p "$work/corpus/extra/$i"
    for f in "$tmp"/*; do
      case "$f" in
        *.meta.json) sed -E "s/\"reference\": \"[^\"]*\"/\"reference\": \"T-ES(2099)${i}_en\"/" "$f" \
                       >"$work/corpus/extra/$i/$(basename "$f")" ;;
        *) cp "$f" "$work/corpus/extra/$i/" ;;
      esac
    done
    if "$index_bin" -q --wait -j 1 -i "$work/index" "$work/corpus" 2>>"$work/soak-index.err"; then
      echo "commit $i ok" >>"$work/soak-index.log"
    else
      echo "commit $i FAILED" >>"$work/soak-index.log"
    fi
  done
) &
loop_pid=$!
: >"$work/soak-index.log"
"$load_bin" --port "$port" --soak "$SOAK" --rate "$half" --pid "$searchd_pid" | tee -a "$report" || true
kill "$loop_pid" 2>/dev/null || true
wait "$loop_pid" 2>/dev/null || true
loop_pid=
say "indexer during the soak: $(grep -c ' ok' "$work/soak-index.log") commits, $(grep -c FAILED "$work/soak-index.log") failed runs"
fi
say "== report: $report"
