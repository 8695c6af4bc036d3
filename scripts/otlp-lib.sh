# Shared by scripts/bench-otlp.sh and scripts/otlp-phoenix.sh (sourced): the Phoenix venv, a
# scratch folder, the two servers' lifetimes and free loopback ports.
PHOENIX_VERSION=20.26.1
PROTO_VERSION=1.45.2

log() { echo "$(basename "$0" .sh): $*" >&2; }
die() { log "error: $*"; exit 1; }

# phoenix_venv DIR: arize-phoenix (with opentelemetry-proto, which it depends on) in DIR, made when missing.
phoenix_venv() {
    if [[ ! -x "$1/bin/phoenix" ]] || ! "$1/bin/python" -c "import opentelemetry.proto" 2>/dev/null; then
        log "installing arize-phoenix $PHOENIX_VERSION and opentelemetry-proto $PROTO_VERSION into $1 ..."
        python3 -m venv "$1"
        "$1/bin/pip" install --quiet --disable-pip-version-check "arize-phoenix==$PHOENIX_VERSION" "opentelemetry-proto==$PROTO_VERSION"
    fi
    PY="$1/bin/python"
}

WORK=$(mktemp -d /tmp/grace-otlp.XXXXXX)
GRACE_PID="" PHOENIX_PID=""
cleanup() {
    [[ -n "$GRACE_PID" ]] && kill "$GRACE_PID" 2>/dev/null && wait "$GRACE_PID" 2>/dev/null || true
    [[ -n "$PHOENIX_PID" ]] && kill "$PHOENIX_PID" 2>/dev/null && wait "$PHOENIX_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_http URL SECONDS PID: until URL answers 2xx; fails when PID exits first or the time is up.
wait_http() {
    local deadline=$((SECONDS + $2))
    until curl -sf -o /dev/null "$1"; do
        kill -0 "$3" 2>/dev/null || return 1
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# start_phoenix: Phoenix on a free loopback port, its data in $WORK/phoenix; sets PHOENIX_PORT.
start_phoenix() {
    PHOENIX_PORT=$(free_port)
    mkdir -p "$WORK/phoenix"
    PHOENIX_WORKING_DIR="$WORK/phoenix" PHOENIX_HOST=127.0.0.1 PHOENIX_PORT=$PHOENIX_PORT PHOENIX_GRPC_PORT=$(free_port) \
        PHOENIX_TELEMETRY_ENABLED=false "$VENV/bin/phoenix" serve >"$WORK/phoenix.out" 2>&1 &
    PHOENIX_PID=$!
    log "starting Phoenix $PHOENIX_VERSION on 127.0.0.1:$PHOENIX_PORT ..."
    wait_http "http://127.0.0.1:$PHOENIX_PORT/v1/projects" 300 "$PHOENIX_PID" || die "Phoenix did not serve: $(tail -5 "$WORK/phoenix.out")"
}

# start_grace BIN [VAR=VALUE ...]: grace up on a free loopback port, home $WORK/grace; sets GRACE_PORT.
start_grace() {
    local bin=$1
    shift
    GRACE_PORT=$(free_port)
    mkdir -p "$WORK/grace"
    (cd "$WORK/grace" && exec env GRACE_HOME="$WORK/grace" GRACE_HOST=127.0.0.1 GRACE_PORT="$GRACE_PORT" "$@" "$bin" up \
        >"$WORK/grace.out" 2>&1) &
    GRACE_PID=$!
    wait_http "http://127.0.0.1:$GRACE_PORT/health" 120 "$GRACE_PID" || die "grace up did not serve: $(tail -5 "$WORK/grace.out")"
    log "grace up on 127.0.0.1:$GRACE_PORT"
}
