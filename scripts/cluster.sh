#!/usr/bin/env bash
# Starts on one machine, on loopback ports, the topology deploy/ sets up on several: one
# primary (lzs-index into a directory + xapian-replicate-server serving it), N replicas
# (xapian-replicate into a directory of their own + lzs-searchd over it) and haproxy in
# front of the replicas. For trying the topology and for tests/cluster/.
#
#   scripts/cluster.sh start            index the corpus on the primary, start everything,
#                                       wait until every replica serves (bounded)
#   scripts/cluster.sh stop             stop everything (the work directory stays)
#   scripts/cluster.sh status           each process, and each replica's /healthz
#   scripts/cluster.sh index            run lzs-index on the primary again (a new commit)
#   scripts/cluster.sh kill-replica I   SIGKILL replica I's lzs-searchd and xapian-replicate
#   scripts/cluster.sh kill-replicate I SIGKILL replica I's xapian-replicate only (its
#                                       lzs-searchd serves on)
#   scripts/cluster.sh start-replica I  start replica I again (its directory as it was;
#                                       what of it runs is left running)
#   scripts/cluster.sh wait-replica I REV [SEC]
#                                       wait until replica I's /healthz says revision >= REV
#   scripts/cluster.sh revision         the primary's revision (from xapian-delve)
#
# Environment (all optional):
#   LZS_CLUSTER_DIR    work directory (default var/cluster): primary/index, replicaI/index,
#                      corpus/ (a copy of the corpus, the primary's corpus folder), logs/,
#                      run/ (pid files), haproxy.cfg
#   LZS_CLUSTER_PORT   base port (default 18080): haproxy on it, the replication server on
#                      +1, replica I's lzs-searchd on +10+I, haproxy's stats page on +2
#   LZS_CLUSTER_REPLICAS  number of replicas (default 2)
#   LZS_CLUSTER_INTERVAL  seconds between a replica's polls of the primary (default 1)
#   LZS_CLUSTER_MAX_AGE   lzs-searchd --max-age of the replicas (default 0: off)
#   LZS_CORPUS         corpus copied to the primary's corpus folder at first start
#                      (default: the shipped corpus/)
#   LZS_BIN            directory holding indexer/lzs-index and searchd/lzs-searchd
#                      (default build/release); LZS_INDEXER, LZS_SEARCHD: the programs
# A commit on the primary reaches a replica within LZS_CLUSTER_INTERVAL seconds plus the
# time to ship the changeset (see README, "Read replicas").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${LZS_CLUSTER_DIR:-$ROOT/var/cluster}
BASE=${LZS_CLUSTER_PORT:-18080}
NREP=${LZS_CLUSTER_REPLICAS:-2}
INTERVAL=${LZS_CLUSTER_INTERVAL:-1}
MAX_AGE=${LZS_CLUSTER_MAX_AGE:-0}
CORPUS=${LZS_CORPUS:-$ROOT/corpus}
BIN=${LZS_BIN:-$ROOT/build/release}
INDEXER=${LZS_INDEXER:-$BIN/indexer/lzs-index}
SEARCHD=${LZS_SEARCHD:-$BIN/searchd/lzs-searchd}
DATA=$ROOT/corpus/data
START_BOUND=${LZS_CLUSTER_START_BOUND:-120} # seconds start waits for every replica

FRONT_PORT=$BASE
REPL_PORT=$((BASE + 1))
STATS_PORT=$((BASE + 2))
replica_port() { echo $((BASE + 10 + $1)); }

die() {
  echo "cluster: $*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null || die "$1 is missing: install $2 (scripts/install-deps.sh --test)"
}

pidfile() { echo "$DIR/run/$1.pid"; }

# Whether process $1 runs. A killed process whose parent does not reap it (ours are
# reparented to PID 1, which in some containers never waits for its children) stays a
# zombie that kill -0 still finds: counted as gone, or a replica killed with SIGKILL would
# never be started again.
running() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Whether the process of pid file $1 runs.
alive() {
  local f
  f=$(pidfile "$1")
  [ -f "$f" ] && running "$(cat "$f")"
}

# Starts "$@" in the background as process $name, logging to logs/$name.log.
spawn() {
  local name=$1
  shift
  if alive "$name"; then
    return 0
  fi
  # A session of its own: xapian-replicate-server (Xapian's TcpServer) answers SIGTERM
  # by sending SIGTERM to its whole process group, which would otherwise be ours.
  setsid "$@" >>"$DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}

# Stops process $1 with signal $2 (default TERM) and waits for it (bounded).
halt() {
  local name=$1 sig=${2:-TERM} f pid
  f=$(pidfile "$name")
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if running "$pid"; then
    kill "-$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      running "$pid" || break
      sleep 0.1
    done
    running "$pid" && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$f"
}

# GET http://127.0.0.1:$1$2: body on stdout, the status on the last line.
http_get() {
  curl -s -m 5 -w '\n%{http_code}' "http://127.0.0.1:$1$2" || echo "000"
}

healthz_revision() {
  local out
  out=$(http_get "$(replica_port "$1")" /healthz)
  [ "${out##*$'\n'}" = 200 ] || return 1
  printf '%s' "${out%$'\n'*}" | sed -n 's/.*"revision":\([0-9]*\).*/\1/p'
}

run_indexer() {
  local rc=0
  "$INDEXER" --quiet --changesets 100 --index "$DIR/primary/index" --data "$DATA" \
    "$@" "$DIR/corpus" >>"$DIR/logs/indexer.log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || die "lzs-index failed ($rc): see $DIR/logs/indexer.log"
}

write_haproxy_cfg() {
  local i
  {
    sed -e "s/^\( *bind \).*# @front\$/\1127.0.0.1:$FRONT_PORT/" \
      -e "s/^\( *bind \).*# @stats\$/\1127.0.0.1:$STATS_PORT/" \
      -e '/^ *server /d' -e '/^ *log stderr/d' "$ROOT/deploy/haproxy.cfg"
    for i in $(seq "$NREP"); do
      echo "    server replica$i 127.0.0.1:$(replica_port "$i") check"
    done
  } >"$DIR/haproxy.cfg"
}

start_replica() {
  local i=$1
  mkdir -p "$DIR/replica$i"
  spawn "replicate$i" xapian-replicate --host 127.0.0.1 --port "$REPL_PORT" --master index \
    --interval "$INTERVAL" --reader-time 1 --timeout 10 "$DIR/replica$i/index"
  spawn "searchd$i" "$SEARCHD" --index "$DIR/replica$i/index" --data "$DATA" \
    --web "$ROOT/web" --listen "127.0.0.1:$(replica_port "$i")" --threads 2 \
    --max-age "$MAX_AGE"
}

kill_replica() {
  halt "searchd$1" KILL
  halt "replicate$1" KILL
}

# Waits until replica $1 serves revision >= $2, for at most $3 seconds.
wait_replica() {
  local i=$1 want=$2 bound=${3:-60} rev t0
  t0=$(date +%s)
  while :; do
    rev=$(healthz_revision "$i" || true)
    if [ -n "$rev" ] && [ "$rev" -ge "$want" ]; then
      return 0
    fi
    [ $(($(date +%s) - t0)) -lt "$bound" ] || die "replica $i did not reach revision $want within ${bound}s (serves '${rev:-none}'; logs in $DIR/logs)"
    sleep 0.2
  done
}

primary_revision() {
  xapian-delve "$DIR/primary/index" | sed -n 's/^revision = \([0-9]*\).*/\1/p'
}

cmd_start() {
  need xapian-replicate-server xapian-tools
  need xapian-delve xapian-tools
  need haproxy haproxy
  need curl curl
  [ -x "$INDEXER" ] && [ -x "$SEARCHD" ] ||
    die "no lzs-index or lzs-searchd under $BIN: build them (cmake --build build/release --target lzs-index lzs-searchd) or set LZS_BIN"
  mkdir -p "$DIR/primary" "$DIR/logs" "$DIR/run"
  if [ ! -d "$DIR/corpus" ]; then
    mkdir -p "$DIR/corpus"
    find "$CORPUS" -maxdepth 1 -type f -exec cp {} "$DIR/corpus/" \;
  fi
  [ -d "$DIR/primary/index" ] || run_indexer
  spawn replserver xapian-replicate-server --interface 127.0.0.1 --port "$REPL_PORT" \
    "$DIR/primary"
  for i in $(seq "$NREP"); do
    start_replica "$i"
  done
  write_haproxy_cfg
  haproxy -c -q -f "$DIR/haproxy.cfg" || die "haproxy refuses $DIR/haproxy.cfg"
  spawn haproxy haproxy -db -f "$DIR/haproxy.cfg"
  local rev
  rev=$(primary_revision)
  for i in $(seq "$NREP"); do
    wait_replica "$i" "$rev" "$START_BOUND"
  done
  echo "cluster: serving on http://127.0.0.1:$FRONT_PORT/ ($NREP replicas at revision >= $rev; haproxy stats on http://127.0.0.1:$STATS_PORT/)"
}

cmd_stop() {
  [ -d "$DIR/run" ] || return 0
  halt haproxy
  for f in "$DIR"/run/*.pid; do
    [ -e "$f" ] || continue
    halt "$(basename "$f" .pid)"
  done
}

cmd_status() {
  local f name rc=0
  for f in "$DIR"/run/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    if alive "$name"; then
      echo "$name: running (pid $(cat "$f"))"
    else
      echo "$name: not running"
      rc=1
    fi
  done
  echo "primary: revision $(primary_revision 2>/dev/null || echo '?')"
  for i in $(seq "$NREP"); do
    local out
    out=$(http_get "$(replica_port "$i")" /healthz)
    echo "replica$i: /healthz ${out##*$'\n'} ${out%$'\n'*}"
  done
  return "$rc"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
index)
  shift
  run_indexer "$@"
  primary_revision
  ;;
revision) primary_revision ;;
kill-replica) kill_replica "${2:?replica number}" ;;
kill-replicate) halt "replicate${2:?replica number}" KILL ;;
start-replica) start_replica "${2:?replica number}" ;;
wait-replica) wait_replica "${2:?replica number}" "${3:?revision}" "${4:-60}" ;;
*)
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
  ;;
esac
