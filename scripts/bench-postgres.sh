#!/usr/bin/env bash
# Step ingest over HTTP on SQLite vs PostgreSQL, and two nodes against one PostgreSQL (aggregate),
# measured in one run (issue 9). Each phase: a fresh store, INGEST_RUNS runs, then wrk POSTing
# steps round-robin over them for DURATION seconds; the rows are counted in the store afterwards.
#
# Usage: scripts/bench-postgres.sh
# Environment:
#   GRACE_BIN    grace binary (default .build-release/release/grace; built when missing)
#   DURATION     seconds per phase (default 15)   CONNECTIONS  wrk connections per node (default 16)
#   THREADS      wrk threads per node (default 2) INGEST_RUNS  runs per node (default 16)
# Needs wrk, psql, curl, python3 and PostgreSQL's server binaries (scripts/pg-test-server.sh starts
# a throwaway server in a temp folder and stops it on exit).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-15}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
INGEST_RUNS=${INGEST_RUNS:-16}
BIN=${GRACE_BIN:-$ROOT/.build-release/release/grace}

log() { echo "bench-postgres: $*" >&2; }
die() { log "error: $*"; exit 1; }
for tool in wrk psql curl python3; do command -v "$tool" >/dev/null || die "$tool is needed"; done
if [[ ! -x "$BIN" ]]; then
    log "building grace (release) ..."
    (cd "$ROOT" && swift build -c release --scratch-path .build-release --product grace) >&2 || die "release build failed"
fi

WORK=$(mktemp -d /tmp/grace-bench-pg.XXXXXX)
# Its own folder directly under /tmp: the server runs as the postgres user, which cannot enter $WORK.
export PG_TEST_SERVER_DIR=$(mktemp -d /tmp/grace-bench-pg-server.XXXXXX)
PIDS=()
cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    "$ROOT/scripts/pg-test-server.sh" stop || true
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
SERVER=$("$ROOT/scripts/pg-test-server.sh" start)

fresh_db() {  # name -> url
    psql "$SERVER" -X -q -c "CREATE DATABASE $1" >/dev/null
    echo "${SERVER%/*}/$1"
}

PORT=""
start_node() {  # home node-id database-url-or-empty
    local home=$1 node=$2 url=$3
    mkdir -p "$home"
    (cd "$home" && exec env GRACE_HOME="$home" GRACE_PORT=0 GRACE_NODE_ID="$node" ${url:+GRACE_DATABASE_URL="$url"} "$BIN" up) \
        >"$home/server.out" 2>&1 &
    PIDS+=($!)
    PORT=""
    for _ in $(seq 1 900); do
        PORT=$(sed -n 's/^port=//p' "$home/grace.pid" 2>/dev/null || true)
        [[ -n "$PORT" ]] && return
        sleep 0.2
    done
    tail "$home/server.out" >&2
    die "node $node did not start"
}

cat >"$WORK/steps.lua" <<'LUA'
local body = '{"step_type":"plan_creation","subsystem":"bench","description":"step","status":"success","duration_ms":3}'
local headers = { ["Content-Type"] = "application/json" }
local requests_, next_ = {}, 1
init = function(args)
    for i, id in ipairs(args) do requests_[i] = wrk.format("POST", "/api/agent/runs/" .. id .. "/steps", headers, body) end
    next_ = math.random(#requests_)
end
request = function() local r = requests_[next_]; next_ = next_ % #requests_ + 1; return r end
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("BENCH requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d\n", summary.requests,
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        e.status + e.connect + e.read + e.write + e.timeout))
end
LUA

runs_on() {  # port -> run ids
    for _ in $(seq 1 "$INGEST_RUNS"); do
        curl -fsS -X POST "http://127.0.0.1:$1/api/agent/runs?trigger=manual&subsystem=bench" \
            | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])'
    done
}

ingest() {  # output port run-ids...
    local out=$1 port=$2
    shift 2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$WORK/steps.lua" "http://127.0.0.1:$port" -- "$@" >"$out" 2>&1
}

summary() { grep '^BENCH ' "$1" | sed 's/^BENCH //'; }
field() { summary "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# Phase 1: one node on SQLite.
start_node "$WORK/sqlite" sqlite-node ""
P=$PORT; mapfile -t IDS < <(runs_on "$P")
ingest "$WORK/warm1.txt" "$P" "${IDS[@]}" || true
ingest "$WORK/sqlite.txt" "$P" "${IDS[@]}"
log "sqlite: $(summary "$WORK/sqlite.txt")"
SQLITE_ROWS=$(python3 -c "import sqlite3; print(sqlite3.connect('file:$WORK/sqlite/databases/grace.db?mode=ro', uri=True).execute('select count(*) from agent_steps').fetchone()[0])")
kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" || true

# Phase 2: one node on PostgreSQL.
DB1=$(fresh_db bench_one)
start_node "$WORK/pg1" pg-node "$DB1"
P=$PORT; mapfile -t IDS < <(runs_on "$P")
ingest "$WORK/warm2.txt" "$P" "${IDS[@]}" || true
ingest "$WORK/pg1.txt" "$P" "${IDS[@]}"
log "postgres, one node: $(summary "$WORK/pg1.txt")"
PG1_ROWS=$(psql "$DB1" -X -t -A -c "SELECT count(*) FROM agent_steps")
kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" || true

# Phase 3: two nodes on one PostgreSQL, loaded at the same time.
DB2=$(fresh_db bench_two)
start_node "$WORK/pg-a" node-a "$DB2"; PA=$PORT
start_node "$WORK/pg-b" node-b "$DB2"; PB=$PORT
mapfile -t IDS_A < <(runs_on "$PA"); mapfile -t IDS_B < <(runs_on "$PB")
ingest "$WORK/warm3.txt" "$PA" "${IDS_A[@]}" || true
ingest "$WORK/pg-a.txt" "$PA" "${IDS_A[@]}" & WA=$!
ingest "$WORK/pg-b.txt" "$PB" "${IDS_B[@]}" & WB=$!
wait $WA; wait $WB
log "postgres, node a: $(summary "$WORK/pg-a.txt")"
log "postgres, node b: $(summary "$WORK/pg-b.txt")"
PG2_ROWS=$(psql "$DB2" -X -t -A -c "SELECT count(*) FROM agent_steps")
AUDIT=$(GRACE_HOME="$WORK/pg-a" GRACE_DATABASE_URL="$DB2" "$BIN" audit verify 2>/dev/null | grep "audit chain" || true)

python3 - <<PY
def f(path, key):
    for kv in open(path).read().split("BENCH ")[1].split():
        k, v = kv.split("=")
        if k == key: return float(v)
s, p1, a, b = "$WORK/sqlite.txt", "$WORK/pg1.txt", "$WORK/pg-a.txt", "$WORK/pg-b.txt"
print()
print("Step ingest over HTTP (scripts/bench-postgres.sh; loopback; wrk -t$THREADS -c$CONNECTIONS per node, ${DURATION}s; $(nproc) CPUs)")
print("binary: $BIN; PostgreSQL: throwaway server from scripts/pg-test-server.sh (fsync=off)")
fmt = "{:<44} {:>10} {:>9} {:>9} {:>7}"
print(fmt.format("store", "req/s", "p50 ms", "p99 ms", "errors"))
for label, path in (("SQLite (one node)", s), ("PostgreSQL (one node)", p1), ("PostgreSQL, node a of two", a), ("PostgreSQL, node b of two", b)):
    print(fmt.format(label, f"{f(path, 'rps'):.0f}", f"{f(path, 'p50_ms'):.2f}", f"{f(path, 'p99_ms'):.2f}", int(f(path, 'errors'))))
agg = f(a, 'rps') + f(b, 'rps')
print(fmt.format("PostgreSQL, two nodes aggregate", f"{agg:.0f}", "", "", ""))
print(f"PostgreSQL / SQLite (one node): {f(p1, 'rps') / f(s, 'rps'):.2f}x; two nodes / one node on PostgreSQL: {agg / f(p1, 'rps'):.2f}x")
print("rows stored (incl. warm-up): sqlite $SQLITE_ROWS, postgres one node $PG1_ROWS, two nodes $PG2_ROWS")
print("audit chain after the two-node phase: $(echo "$AUDIT" | head -1)")
print("load average: $(cut -d' ' -f1-3 /proc/loadavg)")
PY
