#!/usr/bin/env bash
# OTLP ingestion benchmark: the same OTLP/HTTP span batches (protobuf, scripts/otlp-send.py) sent
# to a `grace up` and to Arize Phoenix (PyPI arize-phoenix), one after the other on this machine.
# Prints for both: spans acknowledged, spans stored (Grace: its database; Phoenix: its database,
# polled until every acknowledged span is in, since Phoenix stores after it answers), spans/s
# (stored spans over the time from the first request to the last span stored) and the request
# latency p50/p99. Fails when an acknowledged span is missing from either store.
#
# Usage: scripts/bench-otlp.sh
# Environment:
#   GRACE_BIN    the grace binary (default .build/release/grace, built when missing)
#   BATCHES      requests per receiver (default 200); TRACES traces per request (10); SPANS spans per trace (10)
#   WORKERS      concurrent connections (default 4)
#   PHOENIX_VENV virtualenv for Phoenix and the sender (default .build-phoenix/venv, made when missing)
#   PHOENIX_WAIT seconds to wait for Phoenix to store everything (default 900)
# Everything binds to 127.0.0.1; both servers are stopped on any exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(realpath -m "${GRACE_BIN:-$ROOT/.build/release/grace}")
BATCHES=${BATCHES:-200}
TRACES=${TRACES:-10}
SPANS=${SPANS:-10}
WORKERS=${WORKERS:-4}
VENV=${PHOENIX_VENV:-$ROOT/.build-phoenix/venv}
PHOENIX_WAIT=${PHOENIX_WAIT:-900}
# shellcheck source=otlp-lib.sh
source "$ROOT/scripts/otlp-lib.sh"

if [[ ! -x "$BIN" ]]; then
    log "building grace (release) ..."
    (cd "$ROOT" && swift build -c release --product grace) >&2 || die "build failed"
fi
phoenix_venv "$VENV"
field() { "$PY" -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

# ---- Grace ----
start_grace "$BIN"
log "sending $BATCHES requests of $((TRACES * SPANS)) spans to grace ..."
began=$(date +%s.%N)
GRACE_RESULT=$("$PY" "$ROOT/scripts/otlp-send.py" "http://127.0.0.1:$GRACE_PORT/v1/traces" --batches "$BATCHES" --traces "$TRACES" \
    --spans "$SPANS" --workers "$WORKERS")
GRACE_STORED=$(sqlite3 "$WORK/grace/databases/grace.db" "SELECT count(*) FROM agent_steps WHERE span_id IS NOT NULL")
GRACE_RUNS=$(sqlite3 "$WORK/grace/databases/grace.db" "SELECT count(*) FROM agent_runs WHERE trace_id IS NOT NULL")
grace_seconds=$(echo "$(date +%s.%N) - $began" | bc)
kill "$GRACE_PID"; wait "$GRACE_PID" 2>/dev/null || true; GRACE_PID=""

# ---- Phoenix ----
start_phoenix
log "sending the same $BATCHES requests to Phoenix ..."
began=$(date +%s.%N)
PHOENIX_RESULT=$("$PY" "$ROOT/scripts/otlp-send.py" "http://127.0.0.1:$PHOENIX_PORT/v1/traces" --batches "$BATCHES" --traces "$TRACES" \
    --spans "$SPANS" --workers "$WORKERS")
acknowledged=$(field "$PHOENIX_RESULT" spans_acknowledged)
deadline=$((SECONDS + PHOENIX_WAIT))
while :; do
    PHOENIX_STORED=$(sqlite3 "$WORK/phoenix/phoenix.db" "SELECT count(*) FROM spans" 2>/dev/null || echo 0)
    ((PHOENIX_STORED >= acknowledged)) && break
    ((SECONDS < deadline)) || break
    sleep 0.5
done
phoenix_seconds=$(echo "$(date +%s.%N) - $began" | bc)

# ---- report ----
"$PY" - "$GRACE_RESULT" "$GRACE_STORED" "$grace_seconds" "$PHOENIX_RESULT" "$PHOENIX_STORED" "$phoenix_seconds" "$GRACE_RUNS" <<'PYEOF'
import json, sys
grace, phoenix = json.loads(sys.argv[1]), json.loads(sys.argv[4])
rows = [("grace", grace, int(sys.argv[2]), float(sys.argv[3])), ("phoenix", phoenix, int(sys.argv[5]), float(sys.argv[6]))]
print(f"{'receiver':<9} {'sent':>7} {'acked':>7} {'stored':>7} {'ack spans/s':>12} {'stored spans/s':>15} {'p50 ms':>8} {'p99 ms':>8}")
rates = {}
for name, result, stored, seconds in rows:
    rates[name] = stored / seconds
    print(f"{name:<9} {result['spans_sent']:>7} {result['spans_acknowledged']:>7} {stored:>7} {result['spans_per_second']:>12.1f} "
          f"{rates[name]:>15.1f} {result['p50_ms']:>8.2f} {result['p99_ms']:>8.2f}")
print(f"grace runs (traces) stored: {sys.argv[7]}")
print(f"grace / phoenix stored spans/s: {rates['grace'] / max(rates['phoenix'], 1e-9):.1f}x")
missing = [name for name, result, stored, _ in rows if stored < result["spans_acknowledged"]]
if missing:
    print(f"FAIL: acknowledged spans missing from {', '.join(missing)}")
    sys.exit(1)
print("every acknowledged span is stored in both")
PYEOF
