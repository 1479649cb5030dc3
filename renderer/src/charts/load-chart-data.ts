import type { ResultInfo, RunDetail } from '../../../electron/api/contract/index.ts'
import { call } from '../api/client.ts'
import { chartResultIds } from './options/chart-data.ts'
import type { ChartData, ChartSpec } from './options/chart-data.ts'
import { checkpointLabel, uniqueLabels } from './options/labels.ts'

async function runsOf(results: ResultInfo[]): Promise<RunDetail[]> {
  const checkpoints = [...new Set(results.map((r) => r.checkpointId))].filter(
    (id): id is number => id !== null,
  )
  const runIds = new Set<number>()
  for (const checkpointId of checkpoints) {
    const [summary] = await call('result:list', { checkpointId })
    if (summary?.runId != null) runIds.add(summary.runId)
  }
  return Promise.all([...runIds].map((id) => call('run:get', id)))
}

/** What a chart spec draws, fetched from whichever host serves the renderer (as export loads it). */
export async function loadChartData(spec: ChartSpec): Promise<ChartData> {
  const stored = await Promise.all(chartResultIds(spec).map((id) => call('result:get', id)))
  const resultRuns = await runsOf(stored)
  const labels = uniqueLabels(
    stored.map((r) => ({
      id: r.id,
      label: checkpointLabel(r.checkpointId, resultRuns, r.provenance.modelFile),
    })),
  )
  const runs =
    spec.chart === 'metric-curves'
      ? await Promise.all(spec.runIds.map((id) => call('run:get', id)))
      : []
  const synthetic = new Set(
    (await call('dataset:list')).filter((d) => d.isSynthetic).map((d) => d.id),
  )
  const isSynthetic =
    stored.some((r) => r.datasetId !== null && synthetic.has(r.datasetId)) ||
    [...resultRuns, ...runs].some((run) => run.tags.includes('synthetic'))
  return {
    results: stored.map((r, i) => ({
      id: r.id,
      kind: r.kind,
      label: labels[i],
      payload: r.payload,
    })),
    runs,
    isSynthetic,
  }
}
