#!/usr/bin/env bash
# Benchmarks `grace diagnose` (literal prefilter + regex) against `grep -E` with the same
# signatures on the same log, in one run. Usage: scripts/bench-diagnose.sh [SIZE_MB] [WORK_DIR]
# Prints lines/s for both and the ratio. Builds grace in release into .build-release, unless
# GRACE_BIN names a binary to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
work=${2:-$(mktemp -d /tmp/grace-bench-diagnose.XXXXXX)}
mkdir -p "$work"
log="$work/app.log"
home="$work/home"

if [[ -n "${GRACE_BIN:-}" ]]; then
    grace=$GRACE_BIN
    unset GRACE_BIN  # grace warns about GRACE_* variables it does not know
else
    echo "building grace (release)..." >&2
    swift build -c release --scratch-path .build-release --product grace >/dev/null
    grace=.build-release/release/grace
fi

if [[ ! -s $log ]] || (( $(stat -c %s "$log") < size_mb * 1024 * 1024 * 9 / 10 )); then
    echo "generating a ${size_mb} MB application log in $log..." >&2
    python3 - "$log" "$size_mb" <<'PY'
import random, sys
path, size = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
random.seed(7)
noise = [
    "2025-11-09 18:30:{s:02d},{ms:03d} INFO uvicorn.access 127.0.0.1:{port} - \"GET /api/agent/runs/active HTTP/1.1\" 200",
    "2025-11-09 18:30:{s:02d},{ms:03d} DEBUG grace.metrics snapshot window closed metric=cpu_load value={v}",
    "2025-11-09 18:30:{s:02d},{ms:03d} INFO planner kernel selected: reasoning-v{n} for goal \"summarise ticket #{port}\" ✓",
    "2025-11-09 18:30:{s:02d},{ms:03d} WARNING cache miss for key user:{port}:profile (database read took {v} ms)",
    "2025-11-09 18:30:{s:02d},{ms:03d} INFO worker job {port} finished in {v} ms; 0 errors, état=terminé",
    "    at process (/srv/app/worker.js:{n}:17) required by scheduler",
]
failures = [
    "sqlite3.OperationalError: database is locked",
    "sqlite3.OperationalError: table verification_events has no column named passed",
    "UnicodeEncodeError: 'charmap' codec can't encode character '\\u2705' in position 12: character maps to <undefined>",
    "KeyError: 'OPENAI_API_KEY'",
    "/app/backend/trigger_mesh.py:88: RuntimeWarning: coroutine 'TriggerMesh.publish' was never awaited",
    "ImportError: cannot import name 'severity_for' from partially initialized module 'backend.avn_avm' (most likely due to a circular import)",
]
block = []
for i in range(20000):
    if i % 997 == 0:
        block.append(random.choice(failures))
    else:
        block.append(random.choice(noise).format(s=i % 60, ms=i % 1000, port=10000 + i, v=i % 731, n=i % 9))
text = ("\n".join(block) + "\n").encode()
with open(path, "wb") as out:
    written = 0
    while written < size:
        out.write(text)
        written += len(text)
PY
fi

# The signatures as grep -E patterns: named and non-capturing groups become plain groups, \d
# becomes [0-9], and case-insensitive parts are left case-sensitive (only easier for grep).
printf 'warm-up line\n' | GRACE_HOME="$home" "$grace" diagnose - >/dev/null || true
python3 - "$home/grace_training/startup_failures/_metadata.json" > "$work/signatures.ere" <<'PY'
import json, re, sys
for pattern in json.load(open(sys.argv[1]))["patterns"]:
    for s in pattern["signatures"]:
        s = re.sub(r"\(\?<\w+>", "(", s).replace("(?:", "(").replace("(?i:", "(").replace("(?i)", "").replace(r"\d", "[0-9]")
        print(s)
PY

bytes=$(stat -c %s "$log")
lines=$(wc -l < "$log")
cat "$log" > /dev/null  # warm the page cache for both tools alike

# Wall and CPU time (user + system) of each: grace matches on every core, grep on one.
TIMEFORMAT='%R %U %S'
{ time GRACE_HOME="$home" "$grace" diagnose "$log" --json > "$work/grace.json" || true; } 2> "$work/grace.time"
{ time LC_ALL=C grep -E -c -f "$work/signatures.ere" "$log" > "$work/grep.count" || true; } 2> "$work/grep.time"
grep_count=$(cat "$work/grep.count")

python3 - "$work/grace.json" "$work/grace.time" "$work/grep.time" "$lines" "$bytes" "$grep_count" "$(nproc)" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
def times(path):
    wall, user, system = map(float, open(path).read().split()[-3:])
    return wall, user + system
grace_s, grace_cpu = times(sys.argv[2])
grep_s, grep_cpu = times(sys.argv[3])
lines, size, grep_count, cores = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
matched = sum(p["count"] for p in report["patterns"])
print(f"log: {size / 2**20:.0f} MiB, {lines} lines, {cores} CPUs")
print(f"{'tool':<28}{'wall s':>9}{'CPU s':>9}{'lines/s':>14}{'matched lines':>16}")
print(f"{'grace diagnose':<28}{grace_s:>9.2f}{grace_cpu:>9.2f}{lines / grace_s:>14,.0f}{matched:>16}")
print(f"{'grep -E -c (same signatures)':<28}{grep_s:>9.2f}{grep_cpu:>9.2f}{lines / grep_s:>14,.0f}{grep_count:>16}")
print(f"grace / grep time ratio: {grace_s / grep_s:.2f} wall, {grace_cpu / grep_cpu:.2f} CPU (below 1 means grace is faster)")
PY
