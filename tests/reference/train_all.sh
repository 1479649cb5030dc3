#!/usr/bin/env bash
# Starts or resumes the three full reference runs of tests/reference/train_fmnist.py, one after
# the other, under `nice -n 10`. A complete run is skipped (the trainer exits 0 saying so).
#
#   RUNS_DIR/seed0   seed 0, plain SGD
#   RUNS_DIR/seed1   seed 1, plain SGD
#   RUNS_DIR/damp    seed 0, DAMP sigma 0.1 (8 sub-batches)
#
# Each run logs (appending) to RUNS_DIR/<name>.log. Runs in the foreground; start it detached with
#   mkdir -p /work/runs && setsid nohup bash tests/reference/train_all.sh > /work/runs/train_all.log 2>&1 &
# and run the same command again later to resume (a killed run loses only its current epoch).
#
# Environment: RUNS_DIR (default /work/runs), PYTHON (default /usr/bin/python3, Debian's torch 1.13),
# TRAIN_ARGS (extra trainer flags appended last, for smoke tests, e.g. "--profile quick --epochs 1").
set -euo pipefail

RUNS_DIR="${RUNS_DIR:-/work/runs}"
PYTHON="${PYTHON:-/usr/bin/python3}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TRAINER="$HERE/train_fmnist.py"

mkdir -p "$RUNS_DIR"
exec 9>"$RUNS_DIR/.train_all.lock"
if ! flock -n 9; then
  echo "train_all.sh: another train_all.sh is already running on $RUNS_DIR (lock $RUNS_DIR/.train_all.lock)" >&2
  exit 1
fi

run() {
  local name="$1"
  shift
  local log="$RUNS_DIR/$name.log"
  echo "[$(date -Is)] $name: starting/resuming -> $RUNS_DIR/$name (log $log)"
  echo "[$(date -Is)] train_all.sh: $PYTHON $TRAINER --profile full --out $RUNS_DIR/$name --resume $* ${TRAIN_ARGS:-}" >>"$log"
  if nice -n 10 "$PYTHON" -u "$TRAINER" --profile full --out "$RUNS_DIR/$name" --resume "$@" ${TRAIN_ARGS:-} >>"$log" 2>&1; then
    echo "[$(date -Is)] $name: $(tail -n 1 "$log")"
  else
    local rc=$?
    echo "[$(date -Is)] $name: FAILED (exit $rc), see $log; stopping." >&2
    exit "$rc"
  fi
}

run seed0 --seed 0
run seed1 --seed 1
run damp --seed 0 --damp-sigma 0.1
echo "[$(date -Is)] all reference runs complete in $RUNS_DIR"
