import type { CheckpointFile } from './types.ts'

// epoch_<digits>[.<variant>].onnx; a variant is one or more dot-separated [A-Za-z0-9_-] parts.
const CHECKPOINT_NAME = /^epoch_(\d+)((?:\.[A-Za-z0-9_-]+)*)\.onnx$/

export interface CheckpointName {
  epoch: number
  variant: string
}

/** The epoch and variant a file name stands for, or null when it is not a checkpoint name. */
export function parseCheckpointName(fileName: string): CheckpointName | null {
  const match = CHECKPOINT_NAME.exec(fileName)
  if (match === null) return null
  const epoch = Number(match[1])
  if (!Number.isSafeInteger(epoch)) return null
  return { epoch, variant: (match[2] ?? '').slice(1) }
}

/** Numeric epoch order (epoch_10 after epoch_9), the plain export before its variants. */
export function compareCheckpointFiles(a: CheckpointFile, b: CheckpointFile): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch
  if (a.variant !== b.variant) return a.variant < b.variant ? -1 : 1
  return a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0
}
