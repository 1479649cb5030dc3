import type { DbHandle } from '../handle.ts'
import type { CheckpointInfo, RunInfo } from '../../electron/api/contract/index.ts'
import { writeTransaction } from '../transaction.ts'
import { upsertCheckpoint } from './checkpoints.ts'
import type { CheckpointInput } from './checkpoints.ts'
import { replaceMetrics } from './metrics.ts'
import type { MetricRowInput } from './metrics.ts'
import { getRun, upsertRunByFolder } from './runs.ts'
import type { RunUpsert } from './runs.ts'

export interface RunImportInput {
  run: RunUpsert
  /** Every metric row of the folder's metrics.jsonl: they replace the stored ones. */
  metrics: readonly MetricRowInput[]
  /** The checkpoint files that are new or changed since the last import, already summarized. */
  checkpoints: readonly Omit<CheckpointInput, 'runId'>[]
}

export interface SavedRunImport {
  run: RunInfo
  /** Checkpoints stored for a new path, or for a known path whose content changed. */
  added: CheckpointInfo[]
  /** The run's other checkpoints, stored before and still the same. */
  unchanged: number
}

/**
 * Writes one import of a run folder in one transaction: the run (added, or updated by folder),
 * its metric rows (replaced) and its new or changed checkpoints. If anything fails nothing is
 * written. Hash and summarize checkpoint files before calling this: the transaction must not
 * wait for I/O.
 */
export function saveRunImport(db: DbHandle, input: RunImportInput): SavedRunImport {
  return writeTransaction(db, () => {
    const { id: runId } = upsertRunByFolder(db, input.run)
    replaceMetrics(db, runId, input.metrics)
    const added: CheckpointInfo[] = []
    for (const file of input.checkpoints) {
      const saved = upsertCheckpoint(db, { ...file, runId })
      if (saved.change !== 'unchanged') added.push(saved.checkpoint)
    }
    const run = getRun(db, runId)!
    return { run, added, unchanged: run.checkpointCount - added.length }
  })
}
