import type { Database } from 'better-sqlite3'
import type { RunDetail } from '../../electron/api/contract/index.ts'
import { listCheckpoints } from './checkpoints.ts'
import { metricSeries } from './metrics.ts'
import { getRun } from './runs.ts'

/**
 * A run with its checkpoints and metric series; null when there is no such run. Read in one
 * transaction, so an import by another process shows up entirely or not at all.
 */
export function getRunDetail(
  db: Database,
  runId: number,
): Omit<RunDetail, 'defaultDataset'> | null {
  return db.transaction(() => {
    const run = getRun(db, runId)
    if (run === null) return null
    return { ...run, checkpoints: listCheckpoints(db, runId), metrics: metricSeries(db, runId) }
  })()
}
