import type { LabeledResult } from '../charts/options/chart-data.ts'
import type { TrajectoryPoint } from '../charts/options/trajectory.ts'
import type { CatalogCheckpoint } from '../stores/catalog.ts'
import type { ComparedRow } from './use-comparison.ts'

/**
 * Where each compared result sits in its run (options.points of the trajectory charts), and
 * whether some run has two epochs or more among them (a trajectory worth drawing).
 */
export function comparedPoints(
  rows: ComparedRow[],
  results: LabeledResult[],
  checkpoints: Map<number, CatalogCheckpoint>,
): { points: TrajectoryPoint[]; hasTrajectory: boolean } {
  const shown = new Set(results.map((r) => r.id))
  const points = rows.flatMap((row): TrajectoryPoint[] => {
    const entry = checkpoints.get(row.checkpointId)
    const id = row.summary?.id
    if (id === undefined || !shown.has(id) || !entry?.run || entry.checkpoint.epoch === null)
      return []
    const variant = entry.checkpoint.variant ? ` (${entry.checkpoint.variant})` : ''
    return [{ resultId: id, run: `${entry.run.name}${variant}`, epoch: entry.checkpoint.epoch }]
  })
  const perRun = new Map<string, number>()
  for (const p of points) perRun.set(p.run, (perRun.get(p.run) ?? 0) + 1)
  return { points, hasTrajectory: [...perRun.values()].some((n) => n > 1) }
}
