#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and benchmarks: initdb into a temp folder, pg_ctl on a free
# loopback port, trust authentication on loopback only. Used by .ci/run and by hand.
#
#   scripts/pg-test-server.sh start     # prints the URL (postgres://grace@127.0.0.1:PORT/grace)
#   scripts/pg-test-server.sh url       # prints the URL of the running server
#   scripts/pg-test-server.sh restart   # pg_ctl restart (connections drop, data stays)
#   scripts/pg-test-server.sh halt      # stops the server, keeping its data (an outage)
#   scripts/pg-test-server.sh resume    # starts a halted server again on the same port
#   scripts/pg-test-server.sh stop      # stops the server and removes its folder
#
# State lives in $PG_TEST_SERVER_DIR (default /tmp/grace-pg-test; not a GRACE_* name, which grace would
# flag as an unknown setting). PostgreSQL refuses to run as root,
# so as root the server runs as the `postgres` user, which owns the folder.
set -euo pipefail

dir="${PG_TEST_SERVER_DIR:-/tmp/grace-pg-test}"
bin="${PG_TEST_SERVER_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
    echo "pg-test-server: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
fi

as_owner() {
    # From /: the postgres user may not be allowed into the caller's folder (a mktemp folder in CI),
    # and its tools then print "could not change directory" warnings.
    if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

url() {
    [[ -f "$dir/port" ]] || { echo "pg-test-server: no server in $dir (run start first)" >&2; exit 1; }
    echo "postgres://grace@127.0.0.1:$(cat "$dir/port")/grace"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    if [[ -f "$dir/data/postmaster.pid" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        url
        return
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U grace --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    free_port >"$dir/port"
    run_server
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$(cat "$dir/port")" -U grace grace
    url
}

run_server() {
    # Sockets stay in the folder (not /var/run/postgresql), so no system setup is needed.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $(cat "$dir/port") -k $dir -c fsync=off -c max_connections=200" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
}

halt() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null
}

restart() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast restart >/dev/null
}

stop() {
    if [[ -d "$dir/data" ]]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    url) url ;;
    restart) restart ;;
    halt) halt ;;
    resume) run_server ;;
    stop) stop ;;
    *) echo "usage: $0 start|url|restart|halt|resume|stop" >&2; exit 2 ;;
esac
