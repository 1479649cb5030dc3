import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../../db/handle.ts'
import { appendMetrics, metricSeries, replaceMetrics } from '../../../db/queries/metrics.ts'
import type { MetricRowInput } from '../../../db/queries/metrics.ts'
import { insertRun } from '../../../db/queries/runs.ts'
import { createTempWorkspace } from './temp-workspace.ts'
import type { TempWorkspace } from './temp-workspace.ts'

let temp: TempWorkspace
let db: DbHandle
let runId: number
beforeEach(async () => {
  temp = await createTempWorkspace()
  db = temp.workspace.db
  runId = insertRun(db, { folder: '/runs/a', name: 'a' }).id
})
afterEach(() => temp.dispose())

function row(
  name: string,
  epoch: number,
  value: number,
  split: string | null = 'train',
  step: number | null = null,
): MetricRowInput {
  return { name, epoch, value, split, step }
}

describe('metrics', () => {
  it('groups rows into one series per name and split, ordered by epoch and step', () => {
    replaceMetrics(db, runId, [
      row('loss', 1, 0.5),
      row('loss', 0, 0.9),
      row('loss', 0, 1.1, 'test'),
      row('grad_norms/fc.weight', 0, 0.01),
      row('loss', 1, 0.4, 'train', 20),
      row('loss', 1, 0.45, 'train', 10),
    ])
    const series = metricSeries(db, runId)
    expect(series.map((s) => `${s.name}:${s.split}`)).toEqual([
      'grad_norms/fc.weight:train',
      'loss:test',
      'loss:train',
    ])
    expect(series[2].points).toEqual([
      { epoch: 0, step: null, value: 0.9 },
      { epoch: 1, step: null, value: 0.5 },
      { epoch: 1, step: 10, value: 0.45 },
      { epoch: 1, step: 20, value: 0.4 },
    ])
  })

  it('keeps file order for several lines of one epoch without a step', () => {
    appendMetrics(db, runId, [
      row('lr', 0, 0.3, null),
      row('lr', 0, 0.1, null),
      row('lr', 0, 0.2, null),
    ])
    expect(metricSeries(db, runId)[0].points.map((p) => p.value)).toEqual([0.3, 0.1, 0.2])
  })

  it('replaces all of a run’s rows, while append adds to them', () => {
    replaceMetrics(db, runId, [row('loss', 0, 1), row('loss', 1, 0.8)])
    expect(replaceMetrics(db, runId, [row('loss', 0, 2)])).toBe(1)
    expect(metricSeries(db, runId)[0].points).toHaveLength(1)
    appendMetrics(db, runId, [row('loss', 1, 1.5)])
    expect(metricSeries(db, runId)[0].points.map((p) => p.value)).toEqual([2, 1.5])
  })

  it('leaves the old rows in place when a replacement fails half way', () => {
    replaceMetrics(db, runId, [row('loss', 0, 1)])
    const broken = [row('loss', 0, 2), row('loss', -1, 3)]
    expect(() => replaceMetrics(db, runId, broken)).toThrow(/CHECK constraint/)
    expect(metricSeries(db, runId)[0].points).toEqual([{ epoch: 0, step: null, value: 1 }])
  })

  it('returns no series for a run without metrics', () => {
    expect(metricSeries(db, runId)).toEqual([])
  })
})
