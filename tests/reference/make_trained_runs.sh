#!/usr/bin/env bash
# Trains the small but real ResNet50 runs the browser tests import (tests/e2e/trained-runs.e2e.ts,
# tests/e2e/robustness-trained.e2e.ts): torchvision ResNet50 on 4,000 Fashion-MNIST training images
# for 3 epochs, plain SGD with seeds 0 and 1 and DAMP (sigma 0.1, 8 sub-batches) with seed 0, logging
# metrics the way an ordinary training script does (train_loss, train_acc, test_loss, test_acc,
# lr_end: --metric-names plain; plain-seed1 also logs each parameter's epoch-mean gradient norm as
# grad_norms/<param>: --metric-names plain-grads), test accuracy on the first 1,000 t10k images (run.json testLimit).
# About 1.5 min per plain run and 3 min for the DAMP run on 2 cores; ~750 MB per run (ONNX exports + state.pt for --resume).
#
#   bash tests/reference/make_trained_runs.sh [OUT_DIR]     (default tests/.tmp/trained-runs)
#
# A complete run is left as it is (the trainer says so and exits 0), so running it again is cheap.
# Needs Debian's python3-torch and python3-torchvision (/usr/bin/python3) and dataset-fashion-mnist.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/../.tmp/trained-runs}"
PYTHON="${PYTHON:-/usr/bin/python3}"
mkdir -p "$OUT"
train() {
  local name="$1"
  shift
  "$PYTHON" -u "$HERE/train_fmnist.py" --profile quick --subset 4000 --test-subset 1000 \
    --epochs 3 --lr 0.05 --tag e2e --name "$name" --out "$OUT/$name" --resume "$@" \
    >"$OUT/$name.log" 2>&1 || {
    echo "make_trained_runs.sh: training $name failed; the end of $OUT/$name.log:" >&2
    tail -n 20 "$OUT/$name.log" >&2
    exit 1
  }
  tail -n 1 "$OUT/$name.log"
}
# plain-seed1 logs gradient norms since issue 17: a copy made before that would refuse --resume.
if grep -q '"metricNames": "plain"' "$OUT/plain-seed1/run.json" 2>/dev/null; then
  rm -rf "$OUT/plain-seed1"
fi
train plain-seed0 --seed 0 --metric-names plain
train plain-seed1 --seed 1 --metric-names plain-grads
train damp-seed0 --seed 0 --damp-sigma 0.1 --metric-names plain
