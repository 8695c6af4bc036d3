#!/usr/bin/env bash
# The dashboard in a real browser (issue 19): seeds a real Grace home (the healer's own pending
# approval after an unclean shutdown, runs over the API, a failed step), serves it with a token
# on a free loopback port, and runs Tests/Browser/dashboard_test.py (Playwright from PyPI driving
# Debian's Chromium). Screenshots of each view go to $SHOTS.
#
# Usage: scripts/browser-test.sh
# Environment:
#   GRACE_BIN   the grace binary (default .build/debug/grace, built when missing)
#   SHOTS       screenshot folder (default .build/browser-shots)
#   CHROMIUM    the browser (default /usr/bin/chromium)
#   PW_VENV     virtualenv for playwright (default .build/playwright-venv, created when missing)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PLAYWRIGHT_VERSION=1.65.2
BIN=${GRACE_BIN:-$ROOT/.build/debug/grace}
unset GRACE_BIN  # grace warns about GRACE_* variables it does not know
SHOTS=${SHOTS:-$ROOT/.build/browser-shots}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
VENV=${PW_VENV:-$ROOT/.build/playwright-venv}

log() { echo "browser-test: $*" >&2; }
die() { log "error: $*"; exit 1; }

[[ -x "$CHROMIUM" ]] || die "no browser at $CHROMIUM (apt-get install chromium)"
if [[ ! -x "$BIN" ]]; then (cd "$ROOT" && swift build --product grace) >&2 || die "build failed"; fi
if [[ "$("$VENV/bin/python" -c 'import playwright, importlib.metadata as m; print(m.version("playwright"))' 2>/dev/null)" != "$PLAYWRIGHT_VERSION" ]]; then
    log "installing playwright $PLAYWRIGHT_VERSION into $VENV (no browser download: Debian's Chromium is used)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION"
fi
mkdir -p "$SHOTS"

WORK=$(mktemp -d /tmp/grace-browser.XXXXXX)
export GRACE_HOME="$WORK/home"
TOKEN="browser-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
SERVER_PID=""
cleanup() {
    local status=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    [[ $status -ne 0 && -f "$WORK/server.log" ]] && tail -20 "$WORK/server.log" >&2
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

# The healer's own approval: a server killed without a clean stop leaves its pid file; at tier 0
# the recovery waits for a person.
export SELF_HEAL_EXECUTE=true SELF_HEAL_OBSERVE_ONLY=false GRACE_MAX_UNATTENDED_TIER=tier_0
"$BIN" boot >/dev/null
printf 'pid=999999\nport=1\n' > "$GRACE_HOME/grace.pid"
"$BIN" boot >/dev/null
APPROVAL=$(sqlite3 "$GRACE_HOME/databases/grace.db" \
    "SELECT event_id FROM approval_requests WHERE status = 'pending' AND playbook_id = 'recover_after_unclean_shutdown'")
[[ -n "$APPROVAL" ]] || die "the boot left no pending approval to decide"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
GRACE_PORT=$PORT GRACE_HOST=127.0.0.1 GRACE_API_TOKEN=$TOKEN "$BIN" up >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 150); do curl -fsS --max-time 2 "$BASE/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS --max-time 2 "$BASE/health" >/dev/null || die "grace up did not answer on $BASE"

call() { curl -fsS --max-time 30 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
# 30 runs, so the explorer has a second page; one with a failed step.
for n in $(seq 1 30); do
    run=$(call -X POST "$BASE/api/agent/runs" -d "{\"agent\": \"agent-$((n % 3))\", \"goal\": \"task $n\"}" | jq -r .run_id)
    call -X POST "$BASE/api/agent/runs/$run/steps" -d '{"step_type": "plan_creation", "description": "plan", "status": "success", "duration_ms": 12}' >/dev/null
    if [[ $n == 17 ]]; then
        FAILED=$run
        call -X POST "$BASE/api/agent/runs/$run/steps" \
            -d '{"step_type": "tool_call", "description": "fetch the page", "status": "failed", "duration_ms": 2300, "details": {"error": "timeout after 2.3s", "url": "https://example.org"}}' >/dev/null
        call -X PUT "$BASE/api/agent/runs/$run/complete?status=failed" >/dev/null
    else
        call -X PUT "$BASE/api/agent/runs/$run/complete?status=success" >/dev/null
    fi
done

log "serving $BASE; failed run $FAILED, approval $APPROVAL"
GRACE_URL=$BASE GRACE_TOKEN=$TOKEN GRACE_FAILED_RUN=$FAILED GRACE_APPROVAL=$APPROVAL SHOTS=$SHOTS CHROMIUM=$CHROMIUM \
    "$VENV/bin/python" "$ROOT/Tests/Browser/dashboard_test.py"
