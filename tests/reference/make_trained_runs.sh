#!/usr/bin/env bash
# Trains the two small but real ResNet50 runs the browser tests import (tests/e2e/trained-runs.e2e.ts):
# torchvision ResNet50 on 4,000 Fashion-MNIST training images for 3 epochs, seeds 0 and 1, logging
# metrics the way an ordinary training script does (train_loss, train_acc, test_loss, test_acc,
# lr_end: --metric-names plain), test accuracy on the first 1,000 t10k images (run.json testLimit).
# About 1.5 min per run on 2 cores; ~750 MB per run (ONNX exports + state.pt for --resume).
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
for seed in 0 1; do
  "$PYTHON" -u "$HERE/train_fmnist.py" --profile quick --subset 4000 --test-subset 1000 \
    --epochs 3 --lr 0.05 --metric-names plain --seed "$seed" --tag e2e \
    --name "plain-seed$seed" --out "$OUT/plain-seed$seed" --resume >"$OUT/plain-seed$seed.log" 2>&1 || {
    echo "make_trained_runs.sh: training seed $seed failed; the end of $OUT/plain-seed$seed.log:" >&2
    tail -n 20 "$OUT/plain-seed$seed.log" >&2
    exit 1
  }
  tail -n 1 "$OUT/plain-seed$seed.log"
done
