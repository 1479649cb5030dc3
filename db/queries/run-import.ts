import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import type { CheckpointInfo, RunInfo } from '../../electron/api/contract/index.ts'
import { preparedPerConnection } from '../statements.ts'
import { writeTransaction } from '../transaction.ts'
import { upsertCheckpoint } from './checkpoints.ts'
import type { CheckpointInput } from './checkpoints.ts'
import { removeMetricGeneration, removeReplacedMetrics } from './metrics.ts'
import { getRun, upsertRunByFolder } from './runs.ts'
import type { RunUpsert } from './runs.ts'

/** An import under way: its run and the metric generation its rows are written to. */
export interface RunImport {
  runId: number
  generation: number
  /** The run was made by this import (and is not listed until the import is saved). */
  isNewRun: boolean
}

export interface RunImportInput {
  run: RunUpsert
  /** The largest epoch among the import's metric rows; null when it wrote none. */
  lastLoggedEpoch: number | null
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

const statements = preparedPerConnection((db: Database) => ({
  insertUnlisted: db.prepare<[{ folder: string; name: string }]>(`
    INSERT INTO runs (name, folder, metrics_generation) VALUES (@name, @folder, 0)
    ON CONFLICT (folder) DO NOTHING`),
  idOfFolder: db.prepare<[string], number>('SELECT id FROM runs WHERE folder = ?').pluck(),
  nextGeneration: db
    .prepare<[number], number>(
      `
      UPDATE runs SET last_metrics_generation = last_metrics_generation + 1 WHERE id = ?
      RETURNING last_metrics_generation`,
    )
    .pluck(),
  makeCurrent: db.prepare<[{ runId: number; generation: number; lastLoggedEpoch: number | null }]>(`
    UPDATE runs SET metrics_generation = @generation, last_logged_epoch = @lastLoggedEpoch
    WHERE id = @runId AND metrics_generation < @generation`),
  isUnlisted: db
    .prepare<[number], number>('SELECT metrics_generation = 0 FROM runs WHERE id = ?')
    .pluck(),
  remove: db.prepare<[number]>('DELETE FROM runs WHERE id = ?'),
}))

/**
 * Starts an import of a run folder: the run (made, unlisted, when the folder is new) and a new
 * metric generation for writeMetricBatch. Finish with saveRunImport, or abandonRunImport.
 */
export function beginRunImport(db: DbHandle, run: RunUpsert): RunImport {
  return writeTransaction(db, () => {
    const { insertUnlisted, idOfFolder, nextGeneration } = statements(db)
    const name = run.name ?? run.defaultName
    const isNewRun = insertUnlisted.run({ folder: run.folder, name }).changes === 1
    const runId = idOfFolder.get(run.folder)!
    return { runId, generation: nextGeneration.get(runId)!, isNewRun }
  })
}

/**
 * Finishes an import in one short transaction: the run's fields, its new or changed checkpoints,
 * and the import's metric rows made current (unless a later import already saved newer ones).
 * Hash and summarize checkpoint files before calling this: the transaction must not wait for I/O.
 * Then removes the replaced metric rows, a batch per transaction.
 */
export async function saveRunImport(
  db: DbHandle,
  importing: RunImport,
  input: RunImportInput,
): Promise<SavedRunImport> {
  const saved = writeTransaction(db, () => {
    const { id: runId } = upsertRunByFolder(db, input.run)
    const { generation } = importing
    statements(db).makeCurrent.run({ runId, generation, lastLoggedEpoch: input.lastLoggedEpoch })
    const added: CheckpointInfo[] = []
    for (const file of input.checkpoints) {
      const stored = upsertCheckpoint(db, { ...file, runId })
      if (stored.change !== 'unchanged') added.push(stored.checkpoint)
    }
    const run = getRun(db, runId)!
    return { run, added, unchanged: run.checkpointCount - added.length }
  })
  await removeReplacedMetrics(db, importing.runId)
  return saved
}

/** Undoes an import that failed: its metric rows, and its run when the import made it. */
export async function abandonRunImport(db: DbHandle, importing: RunImport): Promise<void> {
  await removeMetricGeneration(db, importing.runId, importing.generation)
  if (!importing.isNewRun) return
  writeTransaction(db, () => {
    const { isUnlisted, remove } = statements(db)
    if (isUnlisted.get(importing.runId) === 1) remove.run(importing.runId)
  })
}
