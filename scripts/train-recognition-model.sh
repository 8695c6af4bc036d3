#!/usr/bin/env bash
# Retrains the built-in recognition model from the `train` split of Tests/Corpus/failures and
# rewrites Sources/GraceBoot/Knowledge/BuiltInRecognitionModel.swift with it.
#   scripts/train-recognition-model.sh        uses GRACE_BIN, or builds grace (debug) first
# The held-out splits stay out of training so `grace patterns eval --split heldout` measures it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${GRACE_BIN:-}" ]]; then
    swift build --product grace >&2
    GRACE_BIN="$(swift build --show-bin-path)/grace"
fi
work="$(mktemp -d /tmp/grace-train-model.XXXXXX)"
trap 'rm -rf "$work"' EXIT
env -u GRACE_BIN GRACE_HOME="$work/home" "$GRACE_BIN" patterns train Tests/Corpus/failures --split train --no-home --output "$work/model.tsv" >&2
target=Sources/GraceBoot/Knowledge/BuiltInRecognitionModel.swift
python3 - "$work/model.tsv" "$target" <<'PY'
import sys
text = open(sys.argv[1]).read()
assert '"""#' not in text and text.startswith("grace-recognition-model\t")
body = "".join("    " + line + "\n" for line in text.splitlines())
open(sys.argv[2], "w").write(f'''import Foundation
import GraceCore

/// The recognition model Grace ships, trained on the `train` split of `Tests/Corpus/failures`
/// by `scripts/train-recognition-model.sh` (which rewrites this file). Kept as text in the
/// binary, like the built-in knowledge base, so a copied `grace` binary still has it.
enum BuiltInRecognitionModel {{
    static let text = #"""
{body}    """#

    static func load() throws -> RecognitionModel {{
        try RecognitionModelFile.decode(Data(text.utf8), name: "built-in")
    }}
}}
''')
print(f"wrote {sys.argv[2]}: {len(text.splitlines()) - 5} features, {len(text)} bytes", file=sys.stderr)
PY
