#!/usr/bin/env bash
# Opt-in check of Grace's OTLP export against a real receiver: Arize Phoenix (PyPI arize-phoenix)
# on loopback. Starts Phoenix, starts a `grace up` built with the OTLP trait that exports to it
# (OTEL_EXPORTER_OTLP_ENDPOINT, http/protobuf), records an agent run with steps through the API,
# and then reads every span back through Phoenix's REST API (/v1/projects/default/spans): each run
# (the boot and the agent run) must arrive as one trace whose root is the run and whose children
# are its steps, with the parent, start and end times (to the microsecond, against Grace's own
# timeline), names and kinds (openinference.span.kind) Grace stored.
#
# Usage: scripts/otlp-phoenix.sh
# Environment:
#   GRACE_BIN      a grace built with --traits OTLP (default: .build/debug/grace after
#                  `swift build --traits OTLP --product grace`, built when it lacks the trait)
#   PHOENIX_VENV   virtualenv for Phoenix (default .build-phoenix/venv, made when missing)
# Everything binds to 127.0.0.1; both servers are stopped on any exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(realpath -m "${GRACE_BIN:-$ROOT/.build/debug/grace}")
VENV=${PHOENIX_VENV:-$ROOT/.build-phoenix/venv}
# shellcheck source=otlp-lib.sh
source "$ROOT/scripts/otlp-lib.sh"

built_with_otlp() { ! OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9 GRACE_HOME="$WORK/settings" "$1" settings 2>/dev/null | grep -q "built without OTLP"; }
if [[ ! -x "$BIN" ]] || ! built_with_otlp "$BIN"; then
    log "building grace with the OTLP trait ..."
    (cd "$ROOT" && swift build --traits OTLP --product grace) >&2 || die "build failed"
    BIN=$ROOT/.build/debug/grace
fi
phoenix_venv "$VENV"
start_phoenix
start_grace "$BIN" OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$PHOENIX_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
log "grace exports to Phoenix; recording an agent run ..."

"$PY" - "http://127.0.0.1:$GRACE_PORT" "http://127.0.0.1:$PHOENIX_PORT" <<'PYEOF'
import datetime, json, sys, time, urllib.request

grace, phoenix = sys.argv[1], sys.argv[2]

def call(method, url, body=None):
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"} if body is not None else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")

def micros(text):
    instant = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (instant - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) // datetime.timedelta(microseconds=1)

run = call("POST", f"{grace}/api/agent/runs?trigger=manual&subsystem=phoenix-check")["run_id"]
for step_id, step_type, description, status in [("step_plan", "plan_creation", "plan", "success"),
                                                 ("step_fix", "playbook_execution", "restart_worker", "success"),
                                                 ("step_verify", "verification", "health_probe", "failed")]:
    call("POST", f"{grace}/api/agent/runs/{run}/steps", {"step_id": step_id, "step_type": step_type, "description": description,
                                                          "status": "running"})
    time.sleep(0.05)
    call("PATCH", f"{grace}/api/agent/runs/{run}/steps/{step_id}", {"status": status})
call("PUT", f"{grace}/api/agent/runs/{run}/complete?status=failed")
boot = call("GET", f"{grace}/api/agent/runs?kind=boot")["runs"][0]["run_id"]
expected = {run_id: call("GET", f"{grace}/api/agent/runs/{run_id}/timeline") for run_id in (boot, run)}
want = sum(1 + len(timeline["steps"]) for timeline in expected.values())

spans, deadline = [], time.time() + 120
while time.time() < deadline:
    spans, cursor = [], None
    while True:
        page = call("GET", f"{phoenix}/v1/projects/default/spans?limit=1000" + (f"&cursor={cursor}" if cursor else ""))
        spans += page["data"]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    mine = [span for span in spans if span["attributes"].get("grace.run_id") in expected]
    if len(mine) >= want:
        break
    time.sleep(1)
print(f"Phoenix holds {len(spans)} spans, {len(mine)} of the {want} Grace exported for runs {boot} and {run}")

KIND = {"boot": "CHAIN", "agent": "AGENT", "boot_stage": "CHAIN", "plan_creation": "CHAIN", "playbook_execution": "TOOL",
        "verification": "EVALUATOR"}
problems = []
for run_id, timeline in expected.items():
    stored = timeline["run"]
    roots = [span for span in mine if span["attributes"].get("grace.run_id") == run_id and not span.get("parent_id")]
    if len(roots) != 1:
        problems.append(f"{run_id}: {len(roots)} root spans")
        continue
    root = roots[0]
    checks = [(root["name"], f"grace.run {stored['kind']}"), (root["span_kind"], KIND[stored["kind"]]),
              (micros(root["start_time"]), micros(stored["started_at"])), (micros(root["end_time"]), micros(stored["ended_at"]))]
    children = {span["attributes"].get("grace.step_id"): span for span in mine
                if span.get("parent_id") == root["context"]["span_id"]}
    if len(children) != len(timeline["steps"]):
        problems.append(f"{run_id}: {len(children)} child spans for {len(timeline['steps'])} steps")
    for step in timeline["steps"]:
        span = children.get(step["step_id"])
        if span is None:
            problems.append(f"{run_id}: step {step['step_id']} has no span under the root")
            continue
        if span["context"]["trace_id"] != root["context"]["trace_id"]:
            problems.append(f"{step['step_id']}: in another trace")
        checks += [(span["name"], f"{step['step_type']} {step['description']}"), (span["span_kind"], KIND[step["step_type"]]),
                   (micros(span["start_time"]), micros(step["started_at"])), (micros(span["end_time"]), micros(step["ended_at"])),
                   (span["status_code"], "OK" if step["status"] == "success" else "ERROR")]
    for got, wanted in checks:
        if got != wanted:
            problems.append(f"{run_id}: got {got!r}, expected {wanted!r}")
    print(f"run {run_id} ({stored['kind']}): root {root['name']!r} {root['span_kind']} {root['start_time']} .. {root['end_time']}")
    for step in timeline["steps"]:
        span = children.get(step["step_id"])
        if span:
            print(f"  {span['name']!r:48} {span['span_kind']:9} {span['status_code']:5} {span['start_time']} .. {span['end_time']}"
                  f"  parent {span['parent_id']}")
if problems:
    print("FAIL:\n  " + "\n  ".join(problems))
    sys.exit(1)
print(f"PASS: all {want} spans arrived with the right parent, start and end times, names and kinds")
PYEOF
