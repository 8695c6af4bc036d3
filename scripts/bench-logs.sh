#!/usr/bin/env bash
# Benchmark `grace logs` against jq and grep -F on a generated JSON-lines log.
#
# Usage: scripts/bench-logs.sh [SIZE_MB] [FOLDER]
#   SIZE_MB  size of the generated log in MiB (default 1024, i.e. 1 GiB)
#   FOLDER   where the log and the outputs go (default /tmp/grace-bench-logs); the log is kept
#            between runs and regenerated only when its size parameter changes
# Environment:
#   GRACE_BIN  use this grace binary instead of building one (`swift build -c release`)
#   JQ_MB      run jq on only the first JQ_MB MiB of the log and scale its time up (default: whole log)
#   RUNS       timed runs of grace and grep, best kept (default 3)
#
# For each filter (subsystem, run_id, --errors) it times `grace logs FILTER --json`, the same
# `jq -c 'select(...)'`, and `grep -F` for the same literal (the floor: no parsing at all), checks
# that grace and jq print the same records in the same order and that grep's count agrees, and
# prints the times and ratios. Exit status 1 when an output check fails.
set -euo pipefail

SIZE_MB=${1:-1024}
DIR=${2:-/tmp/grace-bench-logs}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DIR"
LOG="$DIR/bench-${SIZE_MB}mb.jsonl"

# ---------------------------------------------------------------- generate the log
if [[ ! -s "$LOG" ]]; then
    echo "generating ${SIZE_MB} MiB of JSON lines in $LOG ..." >&2
    python3 - "$LOG.tmp" "$SIZE_MB" <<'PY'
import json, random, sys

path, size_mb = sys.argv[1], int(sys.argv[2])
target = size_mb * 1024 * 1024
rng = random.Random(42)

def q(s):  # a JSON string as jq -c writes it: raw UTF-8, only the required escapes
    return json.dumps(s, ensure_ascii=False)

subsystems = ["boot_pipeline", "http", "store", "healing", "playbooks", "verification", "monitor",
              "audit", "metrics", "scheduler", "agent", "knowledge"]
sub_weights = [8, 30, 10, 6, 6, 5, 12, 4, 8, 4, 5, 2]
levels = ["TRACE", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"]
level_weights = [2, 10, 66, 3, 11, 7, 1]
events = ["log", "stage_complete", "request_finished", "snapshot_taken", "playbook_started", "playbook_finished",
          "verification_passed", "verification_failed", "metric_recorded", "run_started", "run_completed", "retry"]
messages = [
    "serving", "request finished", "stage complete", "snapshot written to storage/snapshots/20251109_183000",
    "connection refused while contacting the model endpoint", "retrying in 250 ms",
    'agent said "done" and exited', 'key "subsystem" missing in payload, using default',
    'payload was {"subsystem":"http","run_id":"run_000000000000"}', "caf\u00e9 \u2014 na\u00efve r\u00e9sum\u00e9 \u65e5\u672c\u8a9e \U0001F680",
    "line one\nline two\ttabbed", "disk usage at 91% on /var/lib/grace", "approval required for tier_2 playbook",
    "verification failed: expected 200, got 503", "C:\\Users\\grace\\logs path on a Windows agent",
    "unicode in values: \u00fc\u00f6\u00e4 \u00df \u0436\u0443\u0440\u043d\u0430\u043b", "GET /api/v1/runs?limit=50 200",
]
qmessages = [q(m) for m in messages]
# Written by another JSON writer (ensure_ascii, escaped slashes): same records, other bytes.
qmessages_ascii = [json.dumps(m, ensure_ascii=True).replace("/", "\\/") for m in messages]
runs = ["run_%012x" % rng.getrandbits(48) for _ in range(3000)]
playbooks = ["restart_service", "clear_cache", "rotate_credentials", "free_disk", "reset_pool", "reindex"]
paths = ["/health", "/api/v1/runs", "/api/v1/approvals", "/metrics", "/api/v1/logs", "/api/v1/playbooks"]

t0 = 1762713000_000000  # 2025-11-09T18:30:00Z
written = 0
out = open(path, "w", encoding="utf-8", newline="\n")
buf = []
micros = t0
import datetime
epoch = datetime.datetime(1970, 1, 1)
last_second = None
prefix = ""
while written < target:
    micros += rng.randint(1, 400)
    second = micros // 1_000_000
    if second != last_second:
        last_second = second
        prefix = (epoch + datetime.timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%S")
    ts = "%s.%06dZ" % (prefix, micros % 1_000_000)
    sub = rng.choices(subsystems, sub_weights)[0]
    level = rng.choices(levels, level_weights)[0]
    ev = rng.choice(events)
    r = rng.random()
    msg = qmessages_ascii[rng.randrange(len(messages))] if r < 0.02 else qmessages[rng.randrange(len(messages))]
    parts = ['{"timestamp":"', ts, '","level":"', level, '","logger":"grace.', sub, '","subsystem":"', sub,
             '","event_type":"', ev, '","message":', msg]
    if rng.random() < 0.7:
        parts += [',"run_id":"', rng.choice(runs), '"']
    if sub in ("healing", "playbooks") or rng.random() < 0.05:
        parts += [',"playbook_id":"', rng.choice(playbooks), '"']
    if sub == "verification":
        parts += [',"verification_id":"ver_%08x"' % rng.getrandbits(32)]
    if sub == "http":
        parts += [',"request_id":"req_%012x"' % rng.getrandbits(48), ',"method":"GET","path":"', rng.choice(paths),
                  '","scheme":"http","status":"', rng.choice(["200", "200", "200", "201", "404", "503"]), '"']
    parts += [',"duration_ms":', "%.3f" % (rng.random() * 900)]
    if rng.random() < 0.1:
        parts += [',"detail":{"attempt":', str(rng.randint(1, 5)), ',"tags":["a","b"],"note":',
                  q('see "subsystem":"%s"' % rng.choice(subsystems)), '}']
    if rng.random() < 0.05:
        parts += [',"previous_run":"', rng.choice(runs), '"']
    parts.append("}\n")
    line = "".join(parts)
    buf.append(line)
    written += len(line.encode("utf-8"))
    if len(buf) >= 10000:
        out.write("".join(buf))
        buf.clear()
out.write("".join(buf))
out.close()
PY
    mv "$LOG.tmp" "$LOG"
fi
SIZE_BYTES=$(stat -c %s "$LOG")
LINES=$(wc -l < "$LOG")

# ---------------------------------------------------------------- the grace binary
if [[ -z "${GRACE_BIN:-}" ]]; then
    echo "building grace (release) ..." >&2
    (cd "$ROOT" && swift build -c release --scratch-path .build-release --product grace >&2)
    GRACE_BIN="$ROOT/.build-release/release/grace"
fi

# ---------------------------------------------------------------- the jq input
JQ_LOG="$LOG"
JQ_SCALE=1
if [[ -n "${JQ_MB:-}" && "${JQ_MB}" -lt "$SIZE_MB" ]]; then
    JQ_LOG="$DIR/bench-${SIZE_MB}mb-prefix-${JQ_MB}mb.jsonl"
    if [[ ! -s "$JQ_LOG" ]]; then
        head -c $((JQ_MB * 1024 * 1024)) "$LOG" | sed '$d' > "$JQ_LOG"   # drop the last, cut line
    fi
    JQ_SCALE=$(python3 -c "import os,sys; print(os.path.getsize('$LOG') / os.path.getsize('$JQ_LOG'))")
fi

now() { date +%s.%N; }
# best_of N OUTFILE CMD... : runs CMD N times with stdout to OUTFILE, prints the best wall time
best_of() {
    local n=$1 out=$2; shift 2
    local best="" start end t
    for ((i = 0; i < n; i++)); do
        start=$(now); "$@" > "$out"; end=$(now)
        t=$(python3 -c "print($end - $start)")
        if [[ -z "$best" ]] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
    done
    echo "$best"
}

cat "$LOG" > /dev/null   # warm the page cache: every tool reads from memory
RUN_ID=$(grep -o -m 1 '"run_id":"run_[0-9a-f]*"' "$LOG" | head -1 | cut -d'"' -f4)

names=("subsystem=http" "run_id=$RUN_ID" "errors")
grace_args=("--subsystem http" "--run-id $RUN_ID" "--errors")
jq_filters=('select(.subsystem=="http")' "select(.run_id==\"$RUN_ID\")" 'select(.level=="ERROR" or .level=="CRITICAL")')
# grep -F patterns, one literal a line (a file each, so no quoting games)
printf '%s\n' '"subsystem":"http"' > "$DIR/pattern-0"
printf '%s\n' "\"run_id\":\"$RUN_ID\"" > "$DIR/pattern-1"
printf '%s\n' '"level":"ERROR"' '"level":"CRITICAL"' > "$DIR/pattern-2"

echo
echo "log: $LOG  ($((SIZE_BYTES / 1024 / 1024)) MiB, $LINES lines); grace: $GRACE_BIN"
if [[ "$JQ_LOG" != "$LOG" ]]; then
    echo "NOTE: jq ran on the first $((JQ_MB)) MiB only ($JQ_LOG); its time is scaled by $(printf %.2f "$JQ_SCALE") to the whole log,"
    echo "      and the grace/jq output check is made on that prefix."
fi
echo "best of $RUNS runs for grace and grep, 1 run for jq; outputs written to files in $DIR; page cache warm"
echo
printf "%-26s %9s %9s %9s %10s %10s  %s\n" "filter" "grace s" "jq s" "grep s" "jq/grace" "grace/grep" "check (matched lines)"
status=0
for k in 0 1 2; do
    name=${names[$k]}
    g_out="$DIR/out-grace-$k.jsonl"; j_out="$DIR/out-jq-$k.jsonl"; r_out="$DIR/out-grep-$k.jsonl"
    # shellcheck disable=SC2086
    t_grace=$(best_of "$RUNS" "$g_out" "$GRACE_BIN" logs ${grace_args[$k]} --json "$LOG")
    t_grep=$(best_of "$RUNS" "$r_out" grep -F -f "$DIR/pattern-$k" "$LOG")
    t_jq_raw=$(best_of 1 "$j_out" jq -c "${jq_filters[$k]}" "$JQ_LOG")
    t_jq=$(python3 -c "print($t_jq_raw * $JQ_SCALE)")

    # Same records in the same order: grace prints lines as written, jq re-serialises them, so
    # grace's output goes through `jq -c .` before the byte comparison.
    if [[ "$JQ_LOG" == "$LOG" ]]; then
        g_check="$g_out"
    else
        g_check="$DIR/out-grace-prefix-$k.jsonl"
        # shellcheck disable=SC2086
        "$GRACE_BIN" logs ${grace_args[$k]} --json "$JQ_LOG" > "$g_check"
    fi
    n_grace=$(wc -l < "$g_out"); n_grep=$(wc -l < "$r_out")
    check="ok ($n_grace)"
    if ! jq -c . "$g_check" | cmp -s - "$j_out"; then check="MISMATCH grace vs jq"; status=1; fi
    if [[ "$n_grace" != "$n_grep" ]]; then check="$check; grep count $n_grep differs"; status=1; fi
    printf "%-26s %9.3f %9.3f %9.3f %9.1fx %9.2fx  %s\n" "$name" "$t_grace" "$t_jq" "$t_grep" \
        "$(python3 -c "print($t_jq / $t_grace)")" "$(python3 -c "print($t_grace / $t_grep)")" "$check"
done
echo
echo "targets: jq/grace >= 20x, grace/grep <= 2x"
exit $status
