import type { ResultInfo, RunDetail } from '../contract/index.ts'
import type { WorkbenchService } from '../service.ts'
import { chartResultIds } from '../../../renderer/src/charts/options/chart-data.ts'
import type {
  ChartData,
  ChartSpec,
  LabeledResult,
} from '../../../renderer/src/charts/options/chart-data.ts'
import { checkpointLabel, uniqueLabels } from '../../../renderer/src/charts/options/labels.ts'

/** The runs a set of results belongs to, each loaded once. */
export function runsOfResults(service: WorkbenchService, results: ResultInfo[]): RunDetail[] {
  const ids = new Set<number>()
  for (const r of results) {
    const runId = r.checkpointId === null ? null : service.checkpointRunId(r.checkpointId)
    if (runId !== null) ids.add(runId)
  }
  return [...ids].map((id) => service.getRun(id))
}

function isSyntheticData(
  service: WorkbenchService,
  results: ResultInfo[],
  runs: RunDetail[],
): boolean {
  const synthetic = new Set(
    service
      .listDatasets()
      .filter((d) => d.isSynthetic)
      .map((d) => d.id),
  )
  return (
    results.some((r) => r.datasetId !== null && synthetic.has(r.datasetId)) ||
    runs.some((run) => run.tags.includes('synthetic'))
  )
}

/** What a chart spec draws, loaded from the workspace with the labels a view would show. */
export function loadChartData(service: WorkbenchService, spec: ChartSpec): ChartData {
  const stored = chartResultIds(spec).map((id) => service.getResult(id))
  const resultRuns = runsOfResults(service, stored)
  const labels = uniqueLabels(
    stored.map((r) => ({
      id: r.id,
      label: checkpointLabel(r.checkpointId, resultRuns, r.provenance.modelFile),
    })),
  )
  const results: LabeledResult[] = stored.map((r, i) => ({
    id: r.id,
    kind: r.kind,
    label: labels[i],
    payload: r.payload,
  }))
  const runs = spec.runIds.map((id) => service.getRun(id))
  return { results, runs, isSynthetic: isSyntheticData(service, stored, [...resultRuns, ...runs]) }
}
