#!/usr/bin/env bash
# API fuzzing (issue 8): schemathesis against the `/openapi.json` that a real `grace up` serves,
# with a fixed seed and a bounded number of examples per operation. Fails on any 5xx and on any
# response that the document does not allow (status code, content type, headers, body schema).
#
# Usage: scripts/fuzz-api.sh
# Environment:
#   GRACE_BIN       the grace binary (default .build/debug/grace, built when missing)
#   FUZZ_SEED       hypothesis seed (default 20251126)
#   FUZZ_EXAMPLES   examples per operation and phase (default 60)
#   FUZZ_VENV       virtualenv for schemathesis (default .build-fuzz/venv, created when missing)
#   KEEP=1          keep the temporary home and the reports
# Everything binds to 127.0.0.1; the server is stopped on any exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCHEMATHESIS_VERSION=4.32.5
SEED=${FUZZ_SEED:-20251126}
EXAMPLES=${FUZZ_EXAMPLES:-60}
VENV=${FUZZ_VENV:-$ROOT/.build-fuzz/venv}
BIN=${GRACE_BIN:-$ROOT/.build/debug/grace}
unset GRACE_BIN  # grace warns about GRACE_* variables it does not know

log() { echo "fuzz-api: $*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ ! -x "$BIN" ]]; then
    log "building grace ..."
    (cd "$ROOT" && swift build --product grace) >&2 || die "build failed"
fi
if [[ ! -x "$VENV/bin/schemathesis" ]] || [[ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != *"$SCHEMATHESIS_VERSION"* ]]; then
    log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV ..."
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

WORK=$(mktemp -d /tmp/grace-fuzz.XXXXXX)
HOME_DIR="$WORK/home"
TOKEN="fuzz-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
SERVER_PID=""
cleanup() {
    local status=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$HOME_DIR"
# Pending approvals (as the self-healer stores them) give the approve/reject operations real ids.
(cd "$HOME_DIR" && GRACE_HOME="$HOME_DIR" GRACE_PORT=0 "$BIN" boot >"$WORK/boot.out" 2>&1) || { cat "$WORK/boot.out" >&2; die "grace boot failed"; }
sqlite3 "$HOME_DIR/databases/grace.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
    INSERT INTO approval_requests (event_id, status, requested_by, reason, playbook_id, created_at)
    SELECT printf('apr_fuzz%04d', i), 'pending', 'grace', 'fuzzing', 'recover_after_unclean_shutdown',
           strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM n"
(cd "$HOME_DIR" && GRACE_HOME="$HOME_DIR" GRACE_HOST=127.0.0.1 GRACE_PORT=0 GRACE_API_TOKEN="$TOKEN" exec "$BIN" up) \
    >"$WORK/server.out" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 900); do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.out" >&2; die "grace up exited during boot"; }
    PORT=$(sed -n 's/^port=//p' "$HOME_DIR/grace.pid" 2>/dev/null || true)
    [[ -n "$PORT" ]] && break
    sleep 0.2
done
[[ -n "$PORT" ]] || die "no port in grace.pid"
BASE="http://127.0.0.1:$PORT"
# A run with steps gives the fuzzer real ids to find through the list endpoints.
curl -fsS -X POST -H "Authorization: Bearer $TOKEN" "$BASE/api/agent/runs?trigger=manual&subsystem=fuzz" >/dev/null

# With GRACE_API_TOKEN set every operation but /health needs the token, reads and the document
# included: the document is fetched with it, and --header sends it on every request. Bodies go as
# application/json, the content type the document names (anything else is a documented 415); the
# Host is 127.0.0.1:PORT, which Grace accepts.
curl -fsS --max-time 30 -H "Authorization: Bearer $TOKEN" "$BASE/openapi.json" -o "$WORK/openapi.json" \
    || { log "cannot fetch $BASE/openapi.json with the token"; exit 1; }
log "schemathesis $SCHEMATHESIS_VERSION against $BASE/openapi.json (seed $SEED, $EXAMPLES examples per operation)"
set +e
(cd "$WORK" && "$VENV/bin/schemathesis" run "$WORK/openapi.json" --url "$BASE" \
    --header "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --seed "$SEED" --max-examples "$EXAMPLES" --workers 1 \
    --phases examples,coverage,fuzzing,stateful \
    --generation-database none --no-color \
    --report junit --report-junit-path "$WORK/junit.xml" \
    --exclude-operation-id streamEvents \
    --request-timeout 30)
status=$?
set -e

# The server must have survived the run, and its audit chain must still verify.
curl -fsS --max-time 5 "$BASE/health" >/dev/null || { log "the server no longer answers /health"; status=1; }
curl -fsS --max-time 30 -H "Authorization: Bearer $TOKEN" "$BASE/api/audit/verify" | grep -q '"intact":true' || { log "the audit chain does not verify after fuzzing"; status=1; }
if grep -q '"level":"CRITICAL"' "$HOME_DIR/logs/grace.jsonl" 2>/dev/null; then
    log "critical log lines during fuzzing:"; grep '"level":"CRITICAL"' "$HOME_DIR/logs/grace.jsonl" | head -5 >&2; status=1
fi
if [[ -s "$WORK/junit.xml" ]]; then
    python3 - "$WORK/junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
tests = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(f"fuzz-api: operations checked {tests}, failing {failed}, skipped {skipped}")
PY
fi
exit "$status"
