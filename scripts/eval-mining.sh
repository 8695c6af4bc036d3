#!/usr/bin/env bash
# Grouping accuracy of `grace patterns mine --json` on the twelve loghub 2k samples in
# Tests/Corpus/loghub-2k (per dataset and the mean, beside the published Drain figures and Drain3),
# and lines/s against Drain3 0.9.11 on the same input in the same run.
#   scripts/eval-mining.sh            builds grace (release, in .build-release) unless GRACE_BIN names one
# Drain3 is installed from PyPI into a throwaway venv (DRAIN3_VENV, default /tmp/grace-drain3-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${GRACE_BIN:-}" ]]; then
    swift build -c release --product grace --scratch-path .build-release >&2
    GRACE_BIN="$(swift build -c release --scratch-path .build-release --show-bin-path)/grace"
fi
VENV="${DRAIN3_VENV:-/tmp/grace-drain3-venv}"
if ! "$VENV/bin/python" -c 'import drain3' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q drain3==0.9.11 >&2
fi
WORK="$(mktemp -d /tmp/grace-eval-mining.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
python3 scripts/eval-mining.py "$GRACE_BIN" "$VENV/bin/python" Tests/Corpus/loghub-2k "$WORK"
