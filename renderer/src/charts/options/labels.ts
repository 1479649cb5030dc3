import type { RunDetail } from '../../../../electron/api/contract/index.ts'

/** 'seed0 · epoch 3' for a run's checkpoint, else the model file's name. */
export function checkpointLabel(
  checkpointId: number | null,
  runs: RunDetail[],
  modelFile: string,
): string {
  for (const run of runs) {
    const checkpoint = run.checkpoints.find((c) => c.id === checkpointId)
    if (checkpoint) {
      const variant = checkpoint.variant ? ` (${checkpoint.variant})` : ''
      return checkpoint.epoch === null
        ? `${run.name}${variant}`
        : `${run.name} · epoch ${checkpoint.epoch}${variant}`
    }
  }
  return modelFile.split(/[\\/]/).pop() ?? modelFile
}

/** Labels made unique by the result id where two would read the same. */
export function uniqueLabels(items: { id: number; label: string }[]): string[] {
  const counts = new Map<string, number>()
  for (const { label } of items) counts.set(label, (counts.get(label) ?? 0) + 1)
  return items.map(({ id, label }) => ((counts.get(label) ?? 0) > 1 ? `${label} #${id}` : label))
}
