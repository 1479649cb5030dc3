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

const statements = preparedPerConnection((db: Database) => ({
  insert: db.prepare<[number, number, number | null, string | null, string, number]>(
    'INSERT INTO metrics (run_id, epoch, step, split, name, value) VALUES (?, ?, ?, ?, ?, ?)',
  ),
  removeOfRun: db.prepare<[number]>('DELETE FROM metrics WHERE run_id = ?'),
  // rowid keeps the file's order for several lines of one epoch without a step.
  ofRun: db.prepare<[number], MetricRow>(`
    SELECT name, split, epoch, step, value FROM metrics
    WHERE run_id = ? ORDER BY name, split, epoch, step, rowid`),
}))

function insertRows(db: DbHandle, runId: number, rows: readonly MetricRowInput[]): number {
  const { insert } = statements(db)
  for (const row of rows) insert.run(runId, row.epoch, row.step, row.split, row.name, row.value)
  return rows.length
}

/** Replaces all of a run's metric rows in one transaction; returns how many were written. */
export function replaceMetrics(
  db: DbHandle,
  runId: number,
  rows: readonly MetricRowInput[],
): number {
  return writeTransaction(db, () => {
    statements(db).removeOfRun.run(runId)
    return insertRows(db, runId, rows)
  })
}

/** Adds metric rows to a run in one transaction; returns how many were written. */
export function appendMetrics(
  db: DbHandle,
  runId: number,
  rows: readonly MetricRowInput[],
): number {
  return writeTransaction(db, () => insertRows(db, runId, rows))
}

/** A run's metrics as one series per (name, split), by name, split, epoch and step. */
export function metricSeries(db: DbHandle, runId: number): MetricSeries[] {
  const series: MetricSeries[] = []
  let current: MetricSeries | undefined
  for (const row of statements(db).ofRun.iterate(runId)) {
    if (current?.name !== row.name || current.split !== row.split) {
      current = { name: row.name, split: row.split, points: [] }
      series.push(current)
    }
    current.points.push({ epoch: row.epoch, step: row.step, value: row.value })
  }
  return series
}
