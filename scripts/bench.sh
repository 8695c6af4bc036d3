#!/usr/bin/env bash
# Every benchmark of issue 8 in one command: builds grace in release (.build-release), runs each
# measurement beside its reference in the same run, and prints one Markdown table of figures and
# ratios (also saved under bench-out/).
#
# Usage: scripts/bench.sh
# Environment (sizes; the defaults finish in about 10-15 minutes on 2 cores):
#   BOOTS=5            fresh-home boots timed (median)
#   LOG_LINES=1000000  lines for the JSON log write benchmark
#   LOGS_MB=256        JSON-lines log for grace logs vs jq vs grep (JQ_MB=64: jq runs on a prefix, scaled)
#   DIAG_MB=256        application log for grace diagnose vs grep -E
#   API_DURATION=10    seconds per wrk phase; SEED_RUNS=1000 (x 1,000 steps = 1M steps)
#   AUDIT_ENTRIES=200000  audit entries verified
#   OUT=bench-out      where outputs and the table go (kept; ignored by git)
#   GRACE_BIN=PATH     measure this binary instead of building release (.ci/run passes its debug
#                      build at tiny sizes so the script cannot rot; such figures mean nothing)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BOOTS=${BOOTS:-5}
LOG_LINES=${LOG_LINES:-1000000}
LOGS_MB=${LOGS_MB:-256}
JQ_MB=${JQ_MB:-64}
DIAG_MB=${DIAG_MB:-256}
API_DURATION=${API_DURATION:-10}
SEED_RUNS=${SEED_RUNS:-1000}
AUDIT_ENTRIES=${AUDIT_ENTRIES:-200000}
OUT=${OUT:-$ROOT/bench-out}
BIN=$ROOT/.build-release/release/grace

log() { echo "bench: $*" >&2; }
die() { log "error: $*"; exit 1; }
for tool in wrk jq sqlite3 curl python3 grep; do
    command -v "$tool" >/dev/null || die "$tool is needed (Debian: apt-get install -y $tool)"
done
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/grace-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RESULTS="$OUT/results.env"
: >"$RESULTS"
put() { echo "$1=$2" >>"$RESULTS"; }
now() { date +%s.%N; }
START_UPTIME=$(uptime)
START_TIME=$(date -u '+%Y-%m-%d %H:%M UTC')

GRACE_BIN_GIVEN=${GRACE_BIN:-}
if [[ -n "$GRACE_BIN_GIVEN" ]]; then
    BIN=$GRACE_BIN
    log "measuring $BIN (not a fresh release build)"
else
    log "building grace (release) into .build-release ..."
    (cd "$ROOT" && swift build -c release --scratch-path .build-release --product grace) >&2 \
        || (cd "$ROOT" && swift build -c release --scratch-path .build-release --product grace) >&2 \
        || die "release build failed"
fi
export GRACE_BIN=$BIN

# ---------------------------------------------------------------- boot time on a fresh home
log "boot: $BOOTS fresh homes ..."
median_ms() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])) * 1000:.1f}')" "$@"; }
boot_times=(); true_times=()
for i in $(seq 1 "$BOOTS"); do
    home="$WORK/boot-$i"; mkdir -p "$home"
    t0=$(now); (cd "$home" && GRACE_HOME="$home" GRACE_PORT=0 "$BIN" boot >"$WORK/boot-$i.out" 2>&1) || die "grace boot failed: $(tail -5 "$WORK/boot-$i.out")"; t1=$(now)
    boot_times+=("$(python3 -c "print($t1 - $t0)")")
    t0=$(now); /bin/true; t1=$(now)
    true_times+=("$(python3 -c "print($t1 - $t0)")")
done
put boot_ms "$(median_ms "${boot_times[@]}")"
put true_ms "$(median_ms "${true_times[@]}")"
put boot_pipeline_ms "$(python3 -c "import json; print(json.load(open('$WORK/boot-1/logs/last_boot_report.json')).get('boot_duration_ms', ''))" 2>/dev/null || true)"

# ---------------------------------------------------------------- JSON log lines/s
log "log-write: $LOG_LINES lines ..."
written=$("$BIN" bench log-write --lines "$LOG_LINES" --directory "$WORK")
rate=$(sed -n 's/.* \([0-9]*\) lines\/s.*/\1/p' <<<"$written")
line_bytes=$(sed -n 's/.* \([0-9]*\) bytes\/line.*/\1/p' <<<"$written")
[[ -n "$rate" && -n "$line_bytes" ]] || die "unexpected output from grace bench log-write: $written"
put logwrite_lps "$rate"
# The reference: the same number of lines of the same size written by `head` from `yes` (no
# formatting, no escaping, no locking: the pipe-and-write ceiling of this disk), padded to the
# size of grace's lines so both write the same bytes.
sample=$(python3 -c 'import sys
line = "{\"timestamp\":\"2025-11-09T18:30:00.123456Z\",\"level\":\"INFO\",\"logger\":\"grace.bench\",\"subsystem\":\"bench\",\"event_type\":\"log\",\"message\":\"benchmark line\",\"run_id\":\"run_3f9a0c12be47\",\"index\":\"123456\"}"
pad = max(0, int(sys.argv[1]) - 1 - len(line))
print(line.replace("benchmark line", "benchmark line" + "x" * pad))' "$line_bytes")
t0=$(now); { yes "$sample" || true; } | head -n "$LOG_LINES" >"$WORK/yes.jsonl"; t1=$(now)  # yes ends on SIGPIPE
put yes_lps "$(python3 -c "print(int($LOG_LINES / ($t1 - $t0)))")"
rm -f "$WORK/yes.jsonl"

# ---------------------------------------------------------------- grace logs vs jq vs grep
log "logs: ${LOGS_MB} MiB ..."
RUNS=1 JQ_MB=$JQ_MB "$ROOT/scripts/bench-logs.sh" "$LOGS_MB" "$OUT/logs" | tee "$OUT/bench-logs.txt" >&2 || die "bench-logs.sh failed"
python3 - "$OUT/bench-logs.txt" >>"$RESULTS" <<'PY'
import sys
rows = 0
for line in open(sys.argv[1]):
    parts = line.split()
    try:
        grace, jq, grep = map(float, parts[1:4])
    except (ValueError, IndexError):
        continue
    # Filters in bench-logs.sh's order: --subsystem http, --run-id, --errors.
    key = ("logs", "logs_run", "logs_errors")[rows]
    print(f"{key}_name={parts[0]}\n{key}_grace_s={grace}\n{key}_jq_s={jq}\n{key}_grep_s={grep}")
    rows += 1
PY

# ---------------------------------------------------------------- diagnose vs grep -E
log "diagnose: ${DIAG_MB} MiB ..."
"$ROOT/scripts/bench-diagnose.sh" "$DIAG_MB" "$OUT/diagnose" | tee "$OUT/bench-diagnose.txt" >&2 || die "bench-diagnose.sh failed"
python3 - "$OUT/bench-diagnose.txt" >>"$RESULTS" <<'PY'
import sys
for line in open(sys.argv[1]):
    if line.startswith("grace diagnose"):
        print(f"diag_grace_lps={line.split()[-2].replace(',', '')}")
    elif line.startswith("grep -E -c"):
        print(f"diag_grep_lps={line.split()[-2].replace(',', '')}")
    elif line.startswith("grace / grep time ratio:"):
        parts = line.split()
        print(f"diag_wall_ratio={parts[5]}\ndiag_cpu_ratio={parts[7]}")
PY

# ---------------------------------------------------------------- audit verify entries/s
log "audit: $AUDIT_ENTRIES entries ..."
AHOME="$WORK/audit-home"; mkdir -p "$AHOME"
(cd "$AHOME" && GRACE_HOME="$AHOME" GRACE_PORT=0 "$BIN" boot >/dev/null 2>&1) || die "grace boot (audit home) failed"
# Append a valid chain after Grace's own entries, hashed as AuditEntry.canonicalBytes
# (Sources/GraceCore/Audit) does; these entries carry no node_id, so it is not hashed.
python3 - "$AHOME/databases/grace.db" "$AUDIT_ENTRIES" <<'PY'
import hashlib, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
seq, prev = db.execute("SELECT sequence, entry_hash FROM immutable_log ORDER BY sequence DESC LIMIT 1").fetchone()
def canonical(fields):
    out = b""
    for name, value in fields:
        v = value.encode()
        out += name.encode() + b"=" + str(len(v)).encode() + b":" + v + b"\n"
    return out
rows = []
for i in range(n):
    seq += 1
    ts = f"2025-11-09T18:{(i // 60) % 60:02d}:{i % 60:02d}.{i % 1000000:06d}Z"
    f = [("sequence", str(seq)), ("timestamp", ts), ("actor", "bench"), ("action", "bench.entry"), ("resource", f"bench/{i}"),
         ("subsystem", "bench"), ("payload", json.dumps({"index": i}, separators=(",", ":"))), ("result", "success"), ("previous_hash", prev)]
    h = hashlib.sha256(prev.encode() + canonical(f)).hexdigest()
    rows.append((seq, ts, "bench", "bench.entry", f"bench/{i}", "bench", f[6][1], "success", prev, h))
    prev = h
db.executemany("INSERT INTO immutable_log (sequence, timestamp, actor, action, resource, subsystem, payload, result, previous_hash, entry_hash) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
db.commit()
PY
sqlite3 "$AHOME/databases/grace.db" "SELECT count(*) FROM immutable_log" >/dev/null  # warm the page cache
t0=$(now); GRACE_HOME="$AHOME" "$BIN" audit verify --json >"$WORK/verify.json"; t1=$(now)
checked=$(python3 -c "import json; v = json.load(open('$WORK/verify.json')); assert v.get('first_bad_sequence') is None, v; print(v['entries_checked'])")
put audit_entries "$checked"
put audit_grace_eps "$(python3 -c "print(int($checked / ($t1 - $t0)))")"
# The reference: Python's sqlite3 + hashlib (C SHA-256) doing the same walk over the same rows.
t0=$(now)
python3 - "$AHOME/databases/grace.db" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
prev = "0" * 64
names = ("sequence", "timestamp", "actor", "action", "resource", "subsystem", "payload", "result", "previous_hash", "node_id")
for row in db.execute("SELECT sequence, timestamp, actor, action, resource, subsystem, payload, result, previous_hash, node_id, entry_hash FROM immutable_log ORDER BY sequence"):
    # node_id is hashed only when set (entries from before nodes were stored have none).
    body = b"".join(n.encode() + b"=" + str(len(str(v).encode())).encode() + b":" + str(v).encode() + b"\n"
                    for n, v in zip(names, row[:10]) if v is not None)
    assert row[8] == prev and hashlib.sha256(prev.encode() + body).hexdigest() == row[10], row[0]
    prev = row[10]
PY
t1=$(now)
put audit_python_eps "$(python3 -c "print(int($checked / ($t1 - $t0)))")"

# ---------------------------------------------------------------- HTTP: ingest, timeline at 1M steps, RSS
log "api: ${API_DURATION}s per phase, $SEED_RUNS x 1,000 seeded steps ..."
DURATION=$API_DURATION SEED_RUNS=$SEED_RUNS "$ROOT/scripts/bench-api.sh" | tee "$OUT/bench-api.txt" >&2 || die "bench-api.sh failed"
grep '^BENCH_API ' "$OUT/bench-api.txt" | tr ' ' '\n' | grep '=' | sed 's/\./_/' >>"$RESULTS"

# ---------------------------------------------------------------- the table
END_UPTIME=$(uptime)
python3 - "$RESULTS" "$START_TIME" "$START_UPTIME" "$END_UPTIME" "$(nproc)" "$LOGS_MB" "$JQ_MB" "$DIAG_MB" "$LOG_LINES" "$BOOTS" "$API_DURATION" "${GRACE_BIN_GIVEN:+$BIN}" <<'PY' | tee "$OUT/table.md"
import sys
r = {}
for line in open(sys.argv[1]):
    if "=" in line:
        k, v = line.strip().split("=", 1)
        r[k] = v
date, up0, up1, cpus, logs_mb, jq_mb, diag_mb, log_lines, boots, api_s, given = sys.argv[2:13]
f = lambda k: float(r[k])
load = lambda u: u.split("load average:")[-1].strip()
rows = []
def row(name, grace, reference, ratio, note=""):
    rows.append(f"| {name} | {grace} | {reference} | {ratio} | {note} |")
row("boot time, fresh home (`grace boot`, median of %s)" % boots, f"{f('boot_ms'):.0f} ms", f"target 300 ms; `/bin/true` {f('true_ms'):.1f} ms",
    f"{f('boot_ms') / 300:.2f} of target", f"whole process (settings, snapshot, 7 stages, report); pipeline alone {float(r.get('boot_pipeline_ms') or 'nan'):.0f} ms")
row(f"JSON log lines/s ({int(log_lines):,} lines)", f"{f('logwrite_lps'):,.0f}/s", f"`yes` into `head`, same-size lines {f('yes_lps'):,.0f}/s",
    f"{f('logwrite_lps') / f('yes_lps'):.2f}", "grace formats, escapes, redacts and locks per line")
for key in ("logs", "logs_run", "logs_errors"):
    row(f"`grace logs` {r[key + '_name']} ({logs_mb} MiB)", f"{f(key + '_grace_s'):.2f} s",
        f"jq {f(key + '_jq_s'):.2f} s; `grep -F` {f(key + '_grep_s'):.2f} s",
        f"{f(key + '_jq_s') / f(key + '_grace_s'):.1f}x faster than jq; {f(key + '_grace_s') / f(key + '_grep_s'):.2f}x grep's time",
        f"jq timed on {jq_mb} MiB and scaled")
row(f"pattern matching (`grace diagnose`, {diag_mb} MiB)", f"{f('diag_grace_lps'):,.0f} lines/s", f"`grep -E` same signatures {f('diag_grep_lps'):,.0f} lines/s",
    f"{f('diag_grace_lps') / f('diag_grep_lps'):.2f} of grep's rate",
    f"time: {r['diag_wall_ratio']} of grep's wall, {r['diag_cpu_ratio']} of its CPU (grep uses one core)")
row("step ingest over HTTP (POST .../steps, c=16)", f"{f('ingest_rps'):,.0f} req/s", f"`GET /health` {f('health_a_rps'):,.0f} req/s",
    f"{f('ingest_rps') / f('health_a_rps') * 100:.0f}%", f"{r.get('ingest_rows', '?')} rows committed (target >= 30%)")
row(f"timeline read at {int(r.get('total_steps', 0)):,} steps (1,000-step run, c=4)",
    f"p50 {f('timeline_p50_ms'):.1f} ms, p99 {f('timeline_p99_ms'):.1f} ms, {f('timeline_rps'):,.0f} req/s",
    f"`GET /health` p50 {f('health_b_p50_ms'):.2f} ms, {f('health_b_rps'):,.0f} req/s",
    f"p99 {f('timeline_p99_ms') / f('health_b_p99_ms'):.1f}x /health's p99 ({f('health_b_p99_ms'):.2f} ms)",
    f"{f('timeline_rps') / f('health_b_rps') * 100:.1f}% of /health req/s; {r.get('log_file_mb', '?')} MiB of logs in the home;"
    " unchanged, so answered from the server's timeline cache after checking its versions (target p99 <= 3x)")
row("the same timeline rendered afresh (`Cache-Control: no-cache`, c=4)",
    f"p50 {f('timeline_uncached_p50_ms'):.1f} ms, p99 {f('timeline_uncached_p99_ms'):.1f} ms, {f('timeline_uncached_rps'):,.0f} req/s",
    f"`GET /health` p50 {f('health_b_p50_ms'):.2f} ms",
    f"p99 {f('timeline_uncached_p99_ms') / f('health_b_p99_ms'):.1f}x /health's p99",
    "what a timeline that changed costs: its steps read, its log lines counted, its JSON written")
row(f"audit verify ({int(r['audit_entries']):,} entries)", f"{f('audit_grace_eps'):,.0f} entries/s",
    f"Python sqlite3 + hashlib same walk {f('audit_python_eps'):,.0f}/s", f"{f('audit_grace_eps') / f('audit_python_eps'):.2f}")
row("server RSS idle / under load", f"{f('rss_idle_kb') / 1024:.1f} MiB / {f('rss_peak_kb') / 1024:.1f} MiB", "idle",
    f"{f('rss_peak_kb') / f('rss_idle_kb'):.2f} (peak / idle)", "VmRSS after boot; VmHWM after the ingest phase")
built = f"the given binary {given}, not a release build: these figures are not Grace's" if given else "release build"
print(f"Measured {date} on {cpus} CPUs with `scripts/bench.sh` ({built}); wrk phases of {api_s} s.")
print(f"Load average at start: {load(up0)}; at end: {load(up1)}.")
print()
print("| measurement | Grace | reference (same run) | ratio | note |")
print("|---|---|---|---|---|")
print("\n".join(rows))
PY
