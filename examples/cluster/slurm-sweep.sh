#!/usr/bin/env bash
# A corruption sweep split over a Slurm job array, then merged.
#
#   bash examples/cluster/slurm-sweep.sh          # submits the shards, then the merge after them
#
# Each array task computes shard $SLURM_ARRAY_TASK_ID of $SHARDS (0-based) into its own workspace:
# one SQLite file per writer, since SQLite's locks are not safe over NFS. The merge job runs once
# every shard has succeeded (afterok), copies the shards' results into one workspace and prints the
# sweep from them. A failed shard is simply submitted again: its finished cells are kept.
#SBATCH --job-name=rw-sweep
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=04:00:00
#SBATCH --output=rw-sweep-%A_%a.out
set -euo pipefail

SHARDS=${SHARDS:-4}
WORKBENCH=${WORKBENCH:-resnet-workbench}
OUT=${OUT:-$PWD/sweep}
# Run folders (run.json gives each its preprocessing); every workspace imports them.
RUNS=("${BASELINE_RUN:-$PWD/runs/seed0}" "${DAMP_RUN:-$PWD/runs/damp0}")
# The same request in every shard and in the final step: only --shard differs.
SWEEP=(
  corrupt "${CHECKPOINT:-seed0@90}" --and "${OTHER:-damp0@90}" --reference "${CHECKPOINT:-seed0@90}"
  --data "${DATA:-$PWD/data/imagenet-val}" --sample "${SAMPLE:-2000}" --seed 0 --batch 64
)
# More options for every step, e.g. EXTRA='--split val --corruptions fog,snow'.
read -r -a extra <<<"${EXTRA:-}"
SWEEP+=("${extra[@]}")

case "${1:-submit}" in
  submit)
    array=$(sbatch --parsable --array=0-$((SHARDS - 1)) "$0" shard)
    sbatch --dependency=afterok:"${array%%;*}" --job-name=rw-merge --output=rw-merge-%j.out "$0" merge
    ;;
  shard)
    for run in "${RUNS[@]}"; do
      "$WORKBENCH" --workspace "$OUT/shard-$SLURM_ARRAY_TASK_ID" import "$run" >/dev/null
    done
    "$WORKBENCH" --workspace "$OUT/shard-$SLURM_ARRAY_TASK_ID" --json "${SWEEP[@]}" \
      --shard "$SLURM_ARRAY_TASK_ID/$SHARDS"
    ;;
  merge)
    shards=()
    for ((i = 0; i < SHARDS; i++)); do shards+=("$OUT/shard-$i"); done
    "$WORKBENCH" --workspace "$OUT/merged" --json merge "${shards[@]}" >"$OUT/merge.json"
    "$WORKBENCH" --workspace "$OUT/merged" --json "${SWEEP[@]}" >"$OUT/sweep.json"
    ;;
  *)
    echo "usage: $0 [submit|shard|merge]" >&2
    exit 2
    ;;
esac
