import type { Database } from 'better-sqlite3'
import type { DbHandle } from '../handle.ts'
import type { MetricSeries } from '../../electron/api/contract/index.ts'
import { preparedPerConnection } from '../statements.ts'
import { writeTransaction } from '../transaction.ts'

/** One logged value; a `grad_norms` map arrives as one row per parameter: 'grad_norms/<param>'. */
export interface MetricRowInput {
  epoch: number
  step: number | null
  split: string | null
  name: string
  value: number
}

interface MetricRow {
  name: string
  split: string | null
  epoch: number
  step: number | null
  value: number
}

/** Rows deleted per transaction when a generation is dropped. */
const DELETE_BATCH_ROWS = 5_000

const CURRENT_GENERATION = '(SELECT metrics_generation FROM runs WHERE id = @runId)'

const statements = preparedPerConnection((db: Database) => ({
  insert: db.prepare<[number, number, number, number | null, string | null, string, number]>(`
    INSERT INTO metrics (run_id, generation, epoch, step, split, name, value)
    VALUES (?, ?, ?, ?, ?, ?, ?)`),
  setLastLoggedEpoch: db.prepare<[number | null, number]>(
    'UPDATE runs SET last_logged_epoch = ? WHERE id = ?',
  ),
  raiseLastLoggedEpoch: db.prepare<[number | null, number]>(
    'UPDATE runs SET last_logged_epoch = max(coalesce(last_logged_epoch, -1), ?) WHERE id = ?',
  ),
  currentGeneration: db
    .prepare<[number], number>('SELECT metrics_generation FROM runs WHERE id = ?')
    .pluck(),
  removeCurrent: db.prepare<[{ runId: number }]>(
    `DELETE FROM metrics WHERE run_id = @runId AND generation = ${CURRENT_GENERATION}`,
  ),
  removeBatchOfGeneration: db.prepare<[{ runId: number; generation: number; limit: number }]>(`
    DELETE FROM metrics WHERE rowid IN (
      SELECT rowid FROM metrics WHERE run_id = @runId AND generation = @generation LIMIT @limit)`),
  removeBatchOfOlder: db.prepare<[{ runId: number; limit: number }]>(`
    DELETE FROM metrics WHERE rowid IN (
      SELECT rowid FROM metrics
      WHERE run_id = @runId AND generation < ${CURRENT_GENERATION} LIMIT @limit)`),
  // rowid keeps the file's order for several lines of one epoch without a step.
  ofRun: db.prepare<[{ runId: number }], MetricRow>(`
    SELECT name, split, epoch, step, value FROM metrics
    WHERE run_id = @runId AND generation = ${CURRENT_GENERATION}
    ORDER BY name, split, epoch, step, rowid`),
}))

function insertRows(
  db: DbHandle,
  runId: number,
  generation: number,
  rows: readonly MetricRowInput[],
): number {
  const { insert } = statements(db)
  for (const row of rows) {
    insert.run(runId, generation, row.epoch, row.step, row.split, row.name, row.value)
  }
  return rows.length
}

/** The largest epoch of `rows`, or null when there are none. */
export function lastEpochOf(rows: readonly MetricRowInput[]): number | null {
  let last: number | null = null
  for (const { epoch } of rows) if (last === null || epoch > last) last = epoch
  return last
}

function currentGeneration(db: DbHandle, runId: number): number {
  const generation = statements(db).currentGeneration.get(runId)
  if (generation === undefined) throw new Error(`Run ${runId} does not exist.`)
  return generation
}

/** Replaces a run's (few) metric rows in one transaction; returns how many were written. */
export function replaceMetrics(
  db: DbHandle,
  runId: number,
  rows: readonly MetricRowInput[],
): number {
  return writeTransaction(db, () => {
    statements(db).removeCurrent.run({ runId })
    statements(db).setLastLoggedEpoch.run(lastEpochOf(rows), runId)
    return insertRows(db, runId, currentGeneration(db, runId), rows)
  })
}

/** Adds metric rows to a run's current values in one transaction; returns how many. */
export function appendMetrics(
  db: DbHandle,
  runId: number,
  rows: readonly MetricRowInput[],
): number {
  return writeTransaction(db, () => {
    const last = lastEpochOf(rows)
    if (last !== null) statements(db).raiseLastLoggedEpoch.run(last, runId)
    return insertRows(db, runId, currentGeneration(db, runId), rows)
  })
}

/**
 * Writes rows of a generation that is being imported (see beginRunImport), in one short
 * transaction; readers see them once the import makes the generation current.
 */
export function writeMetricBatch(
  db: DbHandle,
  runId: number,
  generation: number,
  rows: readonly MetricRowInput[],
): number {
  return writeTransaction(db, () => insertRows(db, runId, generation, rows))
}

// Between batches the write lock is free for a moment, long enough for a waiting job's
// busy handler to take it.
const letOthersWrite = (): Promise<void> => new Promise((done) => setTimeout(done, 5))

async function removeInBatches(db: DbHandle, removeBatch: () => number): Promise<number> {
  let removed = 0
  for (;;) {
    const changes = writeTransaction(db, removeBatch)
    removed += changes
    if (changes < DELETE_BATCH_ROWS) return removed
    await letOthersWrite()
  }
}

/** Deletes the rows of one generation (an abandoned import), a batch per transaction. */
export function removeMetricGeneration(
  db: DbHandle,
  runId: number,
  generation: number,
): Promise<number> {
  const { removeBatchOfGeneration } = statements(db)
  return removeInBatches(
    db,
    () => removeBatchOfGeneration.run({ runId, generation, limit: DELETE_BATCH_ROWS }).changes,
  )
}

/** Deletes the rows of generations older than the run's current one, a batch per transaction. */
export function removeReplacedMetrics(db: DbHandle, runId: number): Promise<number> {
  const { removeBatchOfOlder } = statements(db)
  return removeInBatches(
    db,
    () => removeBatchOfOlder.run({ runId, limit: DELETE_BATCH_ROWS }).changes,
  )
}

/** A run's metrics as one series per (name, split), by name, split, epoch and step. */
export function metricSeries(db: DbHandle, runId: number): MetricSeries[] {
  const series: MetricSeries[] = []
  let current: MetricSeries | undefined
  for (const row of statements(db).ofRun.iterate({ runId })) {
    if (current?.name !== row.name || current.split !== row.split) {
      current = { name: row.name, split: row.split, points: [] }
      series.push(current)
    }
    current.points.push({ epoch: row.epoch, step: row.step, value: row.value })
  }
  return series
}
