#!/usr/bin/env bash
# Load figure for the HTTP API (issue 5): step ingest over HTTP, and timeline latency at 1M steps,
# each beside the same server's `GET /health` (the ceiling) measured in the same server run.
#
# Usage: scripts/bench-api.sh
# Environment:
#   GRACE_BIN        use this grace binary (default: .build-release/release/grace, built with
#                    `swift build -c release --scratch-path .build-release --product grace` when
#                    missing or older than Sources/, Package.swift or Package.resolved)
#   DURATION         seconds per measured wrk phase (default 15)
#   THREADS          wrk threads (default 2)
#   CONNECTIONS      connections for the ingest phase and its /health (default 16)
#   LAT_CONNECTIONS  connections for the timeline phase and its /health (default 4)
#   INGEST_RUNS      runs the ingest phase spreads its steps over (default 16)
#   SEED_RUNS        runs of 1,000 steps in the seeded database, the target included (default 1000)
#   LOG_MB           MiB of other runs' log lines (JSON, with the target's 2,000 lines among them)
#                    written into the seeded home's logs before phase B (default 250; 0 for none)
#   KEEP=1           keep the temporary homes (the seeded database is ~240 MB)
#
# Phase A (fresh home): /health, then POST /api/agent/runs/{id}/steps round-robin over INGEST_RUNS
# runs, same connections and duration; checks the rows landed in SQLite.
# Phase B (seeded home): SEED_RUNS x 1,000 steps inserted with the sqlite3 CLI while the server is
# down, server restarted, then GET .../timeline of one 1,000-step run, then /health, same
# connections and duration. Writes are acknowledged after the SQLite commit (WAL; the synchronous
# level is read from Grace's source and printed). An sqlite3-CLI probe shows what a commit costs
# on this disk with synchronous=NORMAL vs FULL (Grace itself is not changed).
# Prints a table. Exit status 1 when any request failed (non-2xx/3xx, socket errors) or a check
# does not hold. Everything binds to 127.0.0.1; the servers are stopped on any exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-15}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
LAT_CONNECTIONS=${LAT_CONNECTIONS:-4}
INGEST_RUNS=${INGEST_RUNS:-16}
SEED_RUNS=${SEED_RUNS:-1000}
LOG_MB=${LOG_MB:-250}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-180}
BIN=${GRACE_BIN:-$ROOT/.build-release/release/grace}

log() { echo "bench-api: $*" >&2; }
die() { log "error: $*"; exit 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
rss_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVER_PID/status"; }  # VmRSS (now) or VmHWM (peak)

for tool in wrk sqlite3 curl python3; do
    command -v "$tool" >/dev/null || die "$tool is needed (Debian: apt-get install -y $tool)"
done

# ---------------------------------------------------------------- binary
if [[ -z "${GRACE_BIN:-}" ]]; then
    if [[ ! -x "$BIN" ]] || [[ -n "$(cd "$ROOT" && find Sources Package.swift Package.resolved -newer "$BIN" -print -quit)" ]]; then
        log "building grace (release) ..."
        # A source edited by someone else mid-build fails it ("modified during the build"): retry once.
        (cd "$ROOT" && swift build -c release --scratch-path .build-release --product grace) >&2 \
            || (cd "$ROOT" && swift build -c release --scratch-path .build-release --product grace) >&2 \
            || die "release build failed"
    fi
fi
[[ -x "$BIN" ]] || die "no grace binary at $BIN"

# ---------------------------------------------------------------- server lifecycle
WORK=$(mktemp -d /tmp/grace-bench-api.XXXXXX)
SERVER_PID=""
SERVER_HOME=""
PORT=""

stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    GRACE_HOME="$SERVER_HOME" timeout 20 "$BIN" stop >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        sleep 2
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

cleanup() {
    local status=$?
    stop_server
    if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {  # home
    SERVER_HOME=$1
    mkdir -p "$SERVER_HOME"
    rm -f "$SERVER_HOME/grace.pid"
    (cd "$SERVER_HOME" && GRACE_HOME="$SERVER_HOME" GRACE_HOST=127.0.0.1 GRACE_PORT=0 exec "$BIN" up) \
        >>"$SERVER_HOME/server.out" 2>&1 &
    SERVER_PID=$!
    local deadline=$((SECONDS + BOOT_TIMEOUT))
    PORT=""
    while [[ -z "$PORT" ]]; do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$SERVER_HOME/server.out" >&2; SERVER_PID=""; die "grace up exited during boot"; }
        (( SECONDS < deadline )) || { tail -20 "$SERVER_HOME/server.out" >&2; die "no port in grace.pid after ${BOOT_TIMEOUT}s"; }
        PORT=$(sed -n 's/^port=//p' "$SERVER_HOME/grace.pid" 2>/dev/null || true)
        [[ -n "$PORT" ]] || sleep 0.2
    done
    curl -fsS --max-time 5 "http://127.0.0.1:$PORT/health" >/dev/null || die "/health failed after boot"
}

# ---------------------------------------------------------------- wrk
cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        e.status, e.connect, e.read, e.write, e.timeout))
end
LUA

# The same GET asking the server to render afresh: what a timeline costs when it changed.
cat "$WORK/report.lua" - >"$WORK/nocache.lua" <<'LUA'
wrk.headers["Cache-Control"] = "no-cache"
LUA

cat "$WORK/report.lua" - >"$WORK/steps.lua" <<'LUA'
-- POST one step per request, round-robin over the run ids given after `--`.
local body = '{"step_type":"plan_creation","subsystem":"bench","description":"step","status":"success","duration_ms":3}'
local headers = { ["Content-Type"] = "application/json" }
local requests_ = {}
local next_ = 1
local thread_index = 0
setup = function(thread)
    thread:set("thread_index", thread_index)
    thread_index = thread_index + 1
end
init = function(args)
    for i, id in ipairs(args) do
        requests_[i] = wrk.format("POST", "/api/agent/runs/" .. id .. "/steps", headers, body)
    end
    next_ = (thread_index or 0) % #requests_ + 1
end
request = function()
    local r = requests_[next_]
    next_ = next_ % #requests_ + 1
    return r
end
LUA

declare -A R  # results: R[phase.field]
run_wrk() {  # phase connections url lua [args...]
    local phase=$1 conns=$2 url=$3 lua=$4
    shift 4
    R[$phase.load]=$(loadavg)
    local out="$WORK/wrk-$phase.txt"
    timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout 10s -s "$lua" "$url" ${1:+--} "$@" >"$out" 2>&1 \
        || { cat "$out" >&2; die "wrk failed in phase $phase"; }
    local line
    line=$(grep '^BENCH ' "$out") || { cat "$out" >&2; die "no summary from wrk in phase $phase"; }
    for kv in ${line#BENCH }; do R[$phase.${kv%%=*}]=${kv#*=}; done
    R[$phase.conns]=$conns
    log "$phase: ${line#BENCH }"
}

UPTIME_START=$(uptime)
log "start: $UPTIME_START"
log "top CPU users at start:"; ps -eo pcpu,comm --sort=-pcpu | sed -n '2,4p' >&2

# ---------------------------------------------------------------- phase A: ingest
A="$WORK/ingest-home"
start_server "$A"
BASE="http://127.0.0.1:$PORT"
sleep 1
RSS_IDLE_KB=$(rss_kb VmRSS)  # booted and serving, no traffic yet
RUN_IDS=()
for _ in $(seq 1 "$INGEST_RUNS"); do
    RUN_IDS+=("$(curl -fsS --max-time 5 -X POST "$BASE/api/agent/runs?trigger=manual&subsystem=bench" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')")
done
# Warm-up (not counted): connections, caches, the writer.
DURATION_SAVED=$DURATION; DURATION=2
run_wrk warmup "$CONNECTIONS" "$BASE/health" "$WORK/report.lua"
run_wrk warmup_steps "$CONNECTIONS" "$BASE" "$WORK/steps.lua" "${RUN_IDS[@]}"
DURATION=$DURATION_SAVED
IN_LIST=$(printf "'%s'," "${RUN_IDS[@]}"); IN_LIST=${IN_LIST%,}
ROWS_BEFORE=$(sqlite3 "file:$A/databases/grace.db?mode=ro" "SELECT count(*) FROM agent_steps WHERE run_id IN ($IN_LIST)")
run_wrk health_a "$CONNECTIONS" "$BASE/health" "$WORK/report.lua"
run_wrk ingest "$CONNECTIONS" "$BASE" "$WORK/steps.lua" "${RUN_IDS[@]}"
sleep 0.5
ROWS_AFTER=$(sqlite3 "file:$A/databases/grace.db?mode=ro" "SELECT count(*) FROM agent_steps WHERE run_id IN ($IN_LIST)")
RSS_PEAK_KB=$(rss_kb VmHWM)
INGEST_ROWS=$((ROWS_AFTER - ROWS_BEFORE))
stop_server
JOURNAL=$(sqlite3 "$A/databases/grace.db" "PRAGMA journal_mode")
SYNC_SRC=$(grep -rhoE 'PRAGMA synchronous *= *[A-Za-z]+' "$ROOT/Sources/GraceStore" | head -1 | sed 's/.*= *//')
rm -rf "$A"

# ---------------------------------------------------------------- phase B: timeline at 1M steps
B="$WORK/seeded-home"
start_server "$B"   # creates the schema (and one boot run)
stop_server
TARGET=$(printf 'run_b%011x' $(( (SEED_RUNS + 1) / 2 )))
log "seeding $SEED_RUNS runs x 1,000 steps with sqlite3 ..."
seed_start=$SECONDS
sqlite3 "$B/databases/grace.db" >/dev/null <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < $SEED_RUNS)
INSERT INTO agent_runs (run_id, kind, trigger, subsystem, status, started_at, ended_at)
SELECT printf('run_b%011x', i), 'agent', 'manual', 'bench', 'success',
       strftime('%Y-%m-%dT%H:%M:%S', 1700000000 + i * 1000, 'unixepoch') || '.000000Z',
       strftime('%Y-%m-%dT%H:%M:%S', 1700000000 + i * 1000 + 999, 'unixepoch') || '.000000Z'
FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < $SEED_RUNS),
               s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s WHERE j < 999)
INSERT INTO agent_steps (step_id, run_id, timestamp, step_type, subsystem, description, status, duration_ms, updated_at)
SELECT printf('step_b%011x', i * 1000 + j), printf('run_b%011x', i),
       strftime('%Y-%m-%dT%H:%M:%S', 1700000000 + i * 1000 + j, 'unixepoch') || '.000000Z',
       'plan_creation', 'bench', 'seeded step', 'success', 3,
       strftime('%Y-%m-%dT%H:%M:%S', 1700000000 + i * 1000 + j, 'unixepoch') || '.000000Z'
FROM r, s;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
SEED_SECONDS=$((SECONDS - seed_start))
TOTAL_STEPS=$(sqlite3 "$B/databases/grace.db" "SELECT count(*) FROM agent_steps")
TARGET_STEPS=$(sqlite3 "$B/databases/grace.db" "SELECT count(*) FROM agent_steps WHERE run_id = '$TARGET'")
[[ "$TARGET_STEPS" == 1000 ]] || die "target run $TARGET has $TARGET_STEPS steps, not 1000"
DB_MB=$(( $(stat -c %s "$B/databases/grace.db") / 1048576 ))
log "seeded in ${SEED_SECONDS}s: $TOTAL_STEPS steps, ${DB_MB} MiB"
if (( LOG_MB > 0 )); then
    # A rotated log file (as Grace's own rotation would leave it) of other runs' lines, the
    # target's lines spread through it: the timeline must not cost what the whole log costs.
    python3 - "$B/logs/grace.jsonl.1" "$LOG_MB" "$TARGET" <<'PY'
import sys
path, size, target = sys.argv[1], int(sys.argv[2]) << 20, sys.argv[3]
line = '{"timestamp":"2026-12-01T10:00:00.000000Z","level":"info","subsystem":"agent_runs","event_type":"step_recorded","message":"step recorded","run_id":"run_other%07d","step_id":"step_%09d"}\n'
written, i = 0, 0
every = max(1, (size // len(line)) // 2000)
with open(path, "w") as out:
    while written < size:
        text = line % (i % 9973, i)
        if i % every == 0:
            text = text.replace('"run_other%07d"' % (i % 9973), '"%s"' % target)
        out.write(text)
        written += len(text)
        i += 1
PY
fi
LOG_FILE_MB=$(( $(cat "$B"/logs/grace.jsonl* 2>/dev/null | wc -c) / 1048576 ))
log "log files in the seeded home: ${LOG_FILE_MB} MiB"

start_server "$B"
BASE="http://127.0.0.1:$PORT"
got=$(curl -fsS --max-time 30 "$BASE/api/agent/runs/$TARGET/timeline" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["steps"]))')
[[ "$got" == 1000 ]] || die "timeline of $TARGET returned $got steps, not 1000"
for _ in 1 2 3 4; do curl -fsS --max-time 30 -o /dev/null "$BASE/api/agent/runs/$TARGET/timeline"; done
logsize() { cat "$B"/logs/grace.jsonl* 2>/dev/null | wc -c; }
loglines() { cat "$B"/logs/grace.jsonl* 2>/dev/null | wc -l; }
LOG_BYTES_BEFORE=$(logsize); LOG_LINES_BEFORE=$(loglines)
run_wrk timeline "$LAT_CONNECTIONS" "$BASE/api/agent/runs/$TARGET/timeline" "$WORK/report.lua"
LOG_BYTES_AFTER=$(logsize); LOG_LINES_AFTER=$(loglines)
run_wrk timeline_uncached "$LAT_CONNECTIONS" "$BASE/api/agent/runs/$TARGET/timeline" "$WORK/nocache.lua"
run_wrk health_b "$LAT_CONNECTIONS" "$BASE/health" "$WORK/report.lua"
stop_server

# ---------------------------------------------------------------- commit cost probe (sqlite3 CLI, not Grace)
probe() {  # synchronous-level
    local db="$WORK/probe-$1.db" n=2000
    rm -f "$db"*
    sqlite3 "$db" "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);" >/dev/null
    { echo "PRAGMA synchronous=$1;"; for i in $(seq 1 $n); do echo "INSERT INTO t(v) VALUES ('step $i');"; done; } >"$WORK/probe.sql"
    local t0 t1
    t0=$(date +%s.%N); sqlite3 "$db" <"$WORK/probe.sql" >/dev/null; t1=$(date +%s.%N)
    python3 -c "print(f'{$n / ($t1 - $t0):.0f}')"
}
PROBE_NORMAL=$(probe NORMAL)
PROBE_FULL=$(probe FULL)

# ---------------------------------------------------------------- table
UPTIME_END=$(uptime)
python3 - <<PY
r = {$(for k in "${!R[@]}"; do printf "'%s': '%s', " "$k" "${R[$k]}"; done)}
f = lambda k: float(r[k])
ratio = f('ingest.rps') / f('health_a.rps') * 100
print()
print("Grace HTTP API load figure  (scripts/bench-api.sh; loopback 127.0.0.1, wrk -t$THREADS, ${DURATION}s per phase, $(nproc) CPUs)")
print("binary: $BIN")
print(f"durability: SQLite journal_mode=$JOURNAL, synchronous=$SYNC_SRC (set in Sources/GraceStore/SQLite/SQLiteDatabase.swift);")
print("  a step is acknowledged after its commit: survives a crash of the process, not a power loss (WAL + NORMAL skips the per-commit fsync)")
print()
fmt = "{:<58} {:>10} {:>9} {:>9} {:>8} {:>16}"
print(fmt.format("measurement", "req/s", "p50 ms", "p99 ms", "non-2xx", "load (1/5/15m)"))
print("-" * 115)
def row(label, k):
    errs = sum(int(r[k + '.' + e]) for e in ('connect', 'read', 'write', 'timeout'))
    bad = r[k + '.non2xx'] + (f" +{errs}err" if errs else "")
    print(fmt.format(label, f"{f(k + '.rps'):.0f}", f"{f(k + '.p50_ms'):.2f}", f"{f(k + '.p99_ms'):.2f}", bad, r[k + '.load'].replace(' ', '/')))
row(f"A  GET /health (ceiling), c={r['health_a.conns']}", 'health_a')
row(f"A  POST .../steps (ingest, $INGEST_RUNS runs), c={r['ingest.conns']}", 'ingest')
print(f"   ingest / health = {ratio:.1f}%  (target >= 30%: {'MET' if ratio >= 30 else 'NOT MET'});"
      f" {$INGEST_ROWS} rows committed for {r['ingest.requests']} acknowledged requests")
row(f"B  GET .../timeline (1,000 steps of $TOTAL_STEPS, ${LOG_FILE_MB} MiB of logs), c={r['timeline.conns']}", 'timeline')
row(f"B  GET .../timeline, Cache-Control: no-cache (rendered each time), c={r['timeline_uncached.conns']}", 'timeline_uncached')
row(f"B  GET /health (same server run), c={r['health_b.conns']}", 'health_b')
tl, tlu, hb = f('timeline.p99_ms'), f('timeline_uncached.p99_ms'), f('health_b.p99_ms')
print(f"   timeline p99 / health p99 = {tl / hb:.1f}x (target <= 3x: {'MET' if tl <= 3 * hb else 'NOT MET'});"
      f" rendered afresh {tlu / hb:.1f}x. An unchanged timeline is answered from the server's cache"
      " after checking the run's steps_version and its log lines' version (X-Cache: hit)")
print(f"   seeded DB: $TOTAL_STEPS steps in $SEED_RUNS+ runs, ${DB_MB} MiB (sqlite3 seed ${SEED_SECONDS}s);"
      f" logs/grace.jsonl during the timeline phase: $LOG_LINES_BEFORE -> $LOG_LINES_AFTER lines,"
      f" {$LOG_BYTES_BEFORE/1024:.0f} -> {$LOG_BYTES_AFTER/1024:.0f} KiB (only what this server wrote)")
print()
print(f"commit probe (sqlite3 CLI, WAL, 2000 single-row commits on this disk; not Grace): synchronous=NORMAL $PROBE_NORMAL commits/s, FULL $PROBE_FULL commits/s")
print(f"server RSS (phase A): idle after boot {$RSS_IDLE_KB/1024:.1f} MiB, peak under the ingest load {$RSS_PEAK_KB/1024:.1f} MiB")
print("uptime at start: $UPTIME_START".replace("  ", " "))
# One machine-readable line for scripts/bench.sh.
print("BENCH_API " + " ".join(f"{k}={r[k]}" for k in sorted(r) if k.split('.')[1] in ('rps', 'p50_ms', 'p99_ms'))
      + f" ingest_rows={$INGEST_ROWS} total_steps=$TOTAL_STEPS rss_idle_kb=$RSS_IDLE_KB rss_peak_kb=$RSS_PEAK_KB log_file_mb=$LOG_FILE_MB")
print("uptime at end:   $UPTIME_END".replace("  ", " "))
PY

fail=0
for k in health_a ingest timeline timeline_uncached health_b; do
    errs=$(( ${R[$k.non2xx]} + ${R[$k.connect]} + ${R[$k.read]} + ${R[$k.write]} + ${R[$k.timeout]} ))
    (( errs == 0 )) || { log "$k: $errs failed requests"; fail=1; }
done
(( INGEST_ROWS >= ${R[ingest.requests]} )) || { log "only $INGEST_ROWS rows for ${R[ingest.requests]} acknowledged steps"; fail=1; }
exit $fail
