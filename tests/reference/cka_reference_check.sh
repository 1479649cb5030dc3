#!/usr/bin/env bash
# The CKA checks on the three reference runs (train_all.sh): imports them into a workspace, writes
# `cka --json` for the within-checkpoint heatmap, seed 0 vs seed 1, seed 0 vs DAMP (first and last
# epoch), both runs' timelines and full-batch linear / debiased CKA, checks every file with
# cka_torch_check.py (PyTorch + NumPy float64), then serves the workspace and checks that the CKA
# view shows the same matrices (cka-ui-check.ts, screenshots beside the JSON files).
#
#   bash tests/reference/cka_reference_check.sh [RUNS_DIR] [OUT_DIR]
#
# RUNS_DIR (default /work/runs) holds seed0, seed1 and damp; OUT_DIR (default /work/cka-check)
# gets the workspace (ws/), the JSON files, the screenshots and summary.txt. Needs Node 22 on PATH,
# Debian's python3-torch for /usr/bin/python3, chromium, and `npm run build` done (out/). Each
# comparison uses the newest epoch both of its runs have (so finished seed runs are checked at their
# last epoch while DAMP is still training). Exit status 1 when any check fails.
set -euo pipefail

RUNS_DIR="${1:-/work/runs}"
OUT="${2:-/work/cka-check}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WS="$OUT/ws"
CLI=(node "$ROOT/bin/resnet-workbench.js" --workspace "$WS")
PYTHON=/usr/bin/python3
mkdir -p "$OUT"
: > "$OUT/summary.txt"
failed=0
say() { echo "$*" | tee -a "$OUT/summary.txt"; }

for run in seed0 seed1 damp; do
  "${CLI[@]}" import --no-check "$RUNS_DIR/$run" > /dev/null
done
last() { ls "$RUNS_DIR/$1" | sed -n 's/^epoch_\([0-9]*\)\.onnx$/\1/p' | sort -n | tail -1; }
min() { printf '%s\n' "$@" | sort -n | head -1; }
E=$(min "$(last seed0)" "$(last seed1)")
D=$(min "$(last seed0)" "$(last damp)")
Ed=$(last damp)
bn() { echo "$RUNS_DIR/$1/epoch_$2.bn.onnx"; }
epochs() { seq 1 "$2" | while read -r e; do bn "$1" "$e"; done; }
say "reference runs in $RUNS_DIR: seed0 to epoch $(last seed0), seed1 to $(last seed1), damp to $Ed"

# name | cka arguments | BN-kept exports for the torch check
checks=(
  "within|seed0@$E --limit 1024|$(bn seed0 "$E")"
  "seeds|seed0@$E --vs seed1@$E --limit 1024|$(bn seed0 "$E") $(bn seed1 "$E")"
  "damp-first|seed0@1 --vs damp@1 --limit 1024|$(bn seed0 1) $(bn damp 1)"
  "damp|seed0@$D --vs damp@$D --limit 1024|$(bn seed0 "$D") $(bn damp "$D")"
  "timeline|seed0@$E --timeline --limit 1024|$(epochs seed0 "$E" | tr '\n' ' ')"
  "linear|seed0@$E --estimator linear --limit 512|$(bn seed0 "$E")"
  "debiased|seed0@$D --vs damp@$D --estimator debiased --limit 512|$(bn seed0 "$D") $(bn damp "$D")"
)
# A timeline needs two checkpoints: DAMP's is checked once it has two epochs.
if [ "$Ed" -ge 2 ]; then
  checks+=("damp-timeline|damp@$Ed --timeline --limit 1024|$(epochs damp "$Ed" | tr '\n' ' ')")
else
  say "damp timeline not checked: damp has $Ed epoch (a timeline needs two)"
fi
for check in "${checks[@]}"; do
  IFS='|' read -r name args models <<< "$check"
  # shellcheck disable=SC2086 # the arguments are words on purpose
  "${CLI[@]}" cka $args --json > "$OUT/$name.json" 2> "$OUT/$name.log" ||
    { failed=1; say "FAILED: cka $args: $(tail -1 "$OUT/$name.log")"; continue; }
  # shellcheck disable=SC2086
  "$PYTHON" "$HERE/cka_torch_check.py" "$OUT/$name.json" $models > "$OUT/$name.torch.txt" 2>&1 ||
    { failed=1; say "FAILED: $name (see $OUT/$name.torch.txt)"; }
  say "$(head -1 "$OUT/$name.torch.txt")"
done

id_of() { "${CLI[@]}" --json runs "$1" | node -e '
  const run = JSON.parse(require("node:fs").readFileSync(0, "utf8"))
  console.log(run.checkpoints.find((c) => c.epoch === Number(process.argv[1]) && c.variant === "").id)
' "$2"; }
port=$((20000 + RANDOM % 20000))
node "$ROOT/electron/server/main.ts" --workspace "$WS" --port "$port" > "$OUT/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do grep -q 'token=' "$OUT/serve.log" && break; sleep 0.2; done
url=$(grep -o 'http://[^ ]*token=[^ ]*' "$OUT/serve.log")
s0=$(id_of seed0 "$E"); s1=$(id_of seed1 "$E"); s0d=$(id_of seed0 "$D"); d=$(id_of damp "$D")
dl=$(id_of damp "$Ed")
ui=(
  "within $s0 within"
  "pair $s0,$s1 seeds"
  "pair $s0d,$d damp"
  "timeline $s0 timeline"
)
[ "$Ed" -ge 2 ] && ui+=("timeline $dl damp-timeline")
for check in "${ui[@]}"; do
  read -r kind ids name <<< "$check"
  node "$HERE/cka-ui-check.ts" --url "$url" --kind "$kind" --checkpoints "$ids" \
    --json "$OUT/$name.json" --out "$OUT/ui-$name.png" > "$OUT/ui-$name.txt" 2>&1 ||
    { failed=1; say "FAILED: UI $name (see $OUT/ui-$name.txt)"; }
  say "$(tail -1 "$OUT/ui-$name.txt")"
done
say "$([ "$failed" -eq 0 ] && echo 'all CKA reference checks passed' || echo 'SOME CKA REFERENCE CHECKS FAILED')"
exit "$failed"
