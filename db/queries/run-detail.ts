import { connectionOf } from '../handle.ts'
import type { DbHandle } from '../handle.ts'
import type { RunDetail } from '../../electron/api/contract/index.ts'
import { listCheckpoints } from './checkpoints.ts'
import { metricSeries } from './metrics.ts'
import { getRun } from './runs.ts'

/**
 * A run with its checkpoints and metric series; null when there is no such run. Read in one
 * transaction, so an import by another process shows up entirely or not at all.
 */
export function getRunDetail(
  db: DbHandle,
  runId: number,
): Omit<RunDetail, 'defaultDataset' | 'metricRoles'> | null {
  return connectionOf(db).transaction(() => {
    const run = getRun(db, runId)
    if (run === null) return null
    return { ...run, checkpoints: listCheckpoints(db, runId), metrics: metricSeries(db, runId) }
  })()
}
