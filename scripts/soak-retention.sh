#!/usr/bin/env bash
# Soak test of retention: `grace up` with retention at a short setting while runs keep arriving over
# the API; prints the home's disk use over time (it should level off once the first retention
# window has passed), and checks `grace audit verify` at every sample and at the end.
#
#   GRACE_SOAK_SECONDS=180 scripts/soak-retention.sh
#
# Skipped (exit 0) unless GRACE_SOAK_SECONDS is set. Figures are printed, never asserted as times;
# the script fails (exit 1) only when the audit chain does not verify, a request fails, or the
# server cannot start. Knobs: SOAK_RETENTION_DAYS (default 0.0005: 43 s), SOAK_INTERVAL (seconds
# between pruning passes, 5), SOAK_SAMPLE (seconds between samples, 10), SOAK_STEPS (steps per
# run, 10), SOAK_RATE (runs started per second, 10: a steady load, so what retention keeps is
# steady too; a machine that cannot keep up runs as fast as it can, and the figures show it),
# GRACE_BIN (default .build/debug/grace, built when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [[ -z "${GRACE_SOAK_SECONDS:-}" ]]; then
    echo "soak-retention: skipped (set GRACE_SOAK_SECONDS to run it, e.g. GRACE_SOAK_SECONDS=180)"
    exit 0
fi
[[ "$GRACE_SOAK_SECONDS" =~ ^[0-9]+$ && "$GRACE_SOAK_SECONDS" -ge 10 ]] || { echo "GRACE_SOAK_SECONDS must be a whole number of seconds, at least 10" >&2; exit 2; }
SOAK_SECONDS=$GRACE_SOAK_SECONDS
# Not a setting of Grace's (nor is GRACE_BIN): the server and the commands would warn about an unknown GRACE_* key.
unset GRACE_SOAK_SECONDS
RETENTION_DAYS=${SOAK_RETENTION_DAYS:-0.0005}
INTERVAL=${SOAK_INTERVAL:-5}
SAMPLE=${SOAK_SAMPLE:-10}
STEPS=${SOAK_STEPS:-10}
RATE=${SOAK_RATE:-10}
BIN=${GRACE_BIN:-$ROOT/.build/debug/grace}
unset GRACE_BIN
if [[ ! -x "$BIN" ]]; then (cd "$ROOT" && swift build --product grace >&2); fi
for tool in python3 sqlite3; do command -v "$tool" >/dev/null || { echo "soak-retention: $tool is needed" >&2; exit 2; }; done

WORK=$(mktemp -d)
HOME_DIR="$WORK/home"
SERVER_PID=""
LOAD_PID=""
cleanup() {
    [[ -n "$LOAD_PID" ]] && kill "$LOAD_PID" 2>/dev/null || true
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export GRACE_HOME="$HOME_DIR" GRACE_PORT=0 GRACE_RETENTION_DAYS="$RETENTION_DAYS" GRACE_RETENTION_INTERVAL="$INTERVAL" \
       GRACE_MONITOR_INTERVAL=1 GRACE_LOG_MAX_BYTES=$((256 * 1024)) GRACE_LOG_MAX_FILES=1000 AUTO_SNAPSHOT_BEFORE_BOOT=false
"$BIN" up >"$WORK/server.out" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 600); do
    if [[ -f "$HOME_DIR/grace.pid" ]] && PORT=$(sed -n 's/^port=//p' "$HOME_DIR/grace.pid") && [[ -n "$PORT" ]]; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.out" >&2; echo "soak-retention: grace up exited" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$PORT" ]] || { cat "$WORK/server.out" >&2; echo "soak-retention: no port" >&2; exit 1; }

# The load: runs with STEPS steps each, completed, one after another, over the API until stopped.
cat >"$WORK/load.py" <<'PY'
import http.client, json, os, sys, time
port, steps, counter, rate = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
def call(method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    reply = connection.getresponse()
    data = reply.read()
    if reply.status != 200:
        sys.exit(f"{method} {path}: {reply.status} {data[:200]!r}")
    return json.loads(data) if data else {}
runs = 0
detail = {"note": "x" * 200}
began = time.monotonic()
while True:
    ahead = began + runs / rate - time.monotonic()
    if ahead > 0:
        time.sleep(ahead)
    run = call("POST", "/api/agent/runs?trigger=manual&subsystem=soak")["run_id"]
    for index in range(steps):
        call("POST", f"/api/agent/runs/{run}/steps", {"step_type": "plan_creation", "subsystem": "soak", "description": f"step {index}",
                                                     "status": "success", "duration_ms": 3, "details": detail})
    call("PUT", f"/api/agent/runs/{run}/complete?status=success")
    runs += 1
    with open(counter + ".tmp", "w") as handle:
        handle.write(str(runs))
    os.replace(counter + ".tmp", counter)
PY
python3 "$WORK/load.py" "$PORT" "$STEPS" "$WORK/runs" "$RATE" 2>"$WORK/load.err" &
LOAD_PID=$!

bytes() { du -sb "$1" 2>/dev/null | cut -f1; }
db() { sqlite3 "file:$HOME_DIR/databases/$1?mode=ro" "$2" 2>/dev/null || echo "?"; }
verify() { "$BIN" audit verify 2>&1 | tail -1; }
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
row='%6s %7s %9s %10s %8s %11s %10s %9s %10s %10s %9s  %s\n'
printf "$row" elapsed runs_in runs_kept steps_kept metrics home_bytes grace.db wal metrics.db logs log_files audit
start=$SECONDS
declare -a SIZES=()
broken=0
while (( SECONDS - start < SOAK_SECONDS )); do
    sleep "$SAMPLE"
    kill -0 "$LOAD_PID" 2>/dev/null || { cat "$WORK/load.err" >&2; echo "soak-retention: the load stopped" >&2; exit 1; }
    home=$(bytes "$HOME_DIR")
    kept=$(db grace.db 'SELECT count(*) FROM agent_runs')
    wal=$(( $(size "$HOME_DIR/databases/grace.db-wal") + $(size "$HOME_DIR/databases/metrics.db-wal") ))
    SIZES+=("$((SECONDS - start)):$home:$(size "$HOME_DIR/databases/grace.db"):$kept:$(cat "$WORK/runs" 2>/dev/null || echo 0):$((home - wal))")
    audit=$(verify)
    [[ "$audit" == *intact* ]] || broken=1
    printf "$row" "$((SECONDS - start))s" "$(cat "$WORK/runs" 2>/dev/null || echo 0)" \
        "$kept" "$(db grace.db 'SELECT count(*) FROM agent_steps')" \
        "$(db metrics.db 'SELECT count(*) FROM metrics_snapshots')" "$home" "$(size "$HOME_DIR/databases/grace.db")" \
        "$(size "$HOME_DIR/databases/grace.db-wal")" "$(size "$HOME_DIR/databases/metrics.db")" \
        "$(bytes "$HOME_DIR/logs")" "$(find "$HOME_DIR/logs" -name 'grace.jsonl*' | wc -l)" "$audit"
done
kill "$LOAD_PID" 2>/dev/null || true; wait "$LOAD_PID" 2>/dev/null || true; LOAD_PID=""
"$BIN" stop >/dev/null
wait "$SERVER_PID" || true; SERVER_PID=""
final=$(verify)
[[ "$final" == *intact* ]] || broken=1
prunes=$(sqlite3 "file:$HOME_DIR/databases/grace.db?mode=ro" "SELECT count(*) || ' prunes, ' || COALESCE(sum(CAST(substr(result, 9) AS INTEGER)), 0) || ' records deleted' FROM immutable_log WHERE action = 'retention.prune'")
window=$(python3 -c "print(round($RETENTION_DAYS * 86400))")
# Growth once the first retention window (plus one pruning interval) has passed: the level part.
python3 - "$window" "$INTERVAL" "${SIZES[@]}" <<'PY'
import sys
window, interval = int(sys.argv[1]), int(sys.argv[2])
points = [tuple(map(int, item.split(":"))) for item in sys.argv[3:]]
steady = [p for p in points if p[0] >= window + interval]
if len(steady) >= 2:
    # The write-ahead logs refill to SQLite's checkpoint size (about 4 MiB) after each truncating checkpoint:
    # bounded, but not level from one sample to the next, so the home is also shown without them.
    for label, index in (("home", 1), ("home without -wal", 5), ("grace.db", 2)):
        values = [p[index] for p in steady]
        first, last = steady[0], steady[-1]
        print(f"{label} after the retention window ({window} s + {interval} s): {first[index]} bytes at {first[0]} s -> "
              f"{last[index]} bytes at {last[0]} s ({(last[index] - first[index]) / max(1, last[0] - first[0]):+.0f} bytes/s); "
              f"min {min(values)}, max {max(values)}")
    kept = [p[3] for p in steady]
    print(f"runs kept after the window: min {min(kept)}, max {max(kept)}, of {points[-1][4]} that arrived "
          f"({points[-1][4] / max(1, points[-1][0]):.1f} runs/s); grace.db bytes per kept run: "
          f"{steady[0][2] / max(1, steady[0][3]):.0f} at {steady[0][0]} s, {steady[-1][2] / max(1, steady[-1][3]):.0f} at {steady[-1][0]} s")
else:
    print(f"run longer than the retention window ({window} s + {interval} s) to see the level part")
PY
echo "retention: $prunes; final audit: $final"
(( broken == 0 )) || { echo "soak-retention: the audit chain did not verify" >&2; exit 1; }
