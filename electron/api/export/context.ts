import { basename } from 'node:path'
import type { ResultInfo, RunDetail } from '../contract/index.ts'
import type { WorkbenchService } from '../service.ts'
import type { ResultContext } from './tidy-csv.ts'

/** Builds the context columns of results, loading each run and the dataset list once. */
export function resultContexts(service: WorkbenchService): (result: ResultInfo) => ResultContext {
  const runs = new Map<number, RunDetail>()
  const datasetNames = new Map(service.listDatasets().map((d) => [d.id, d.name]))
  return (result) => {
    const runId = result.checkpointId === null ? null : service.checkpointRunId(result.checkpointId)
    let run: RunDetail | null = null
    if (runId !== null) {
      run = runs.get(runId) ?? service.getRun(runId)
      runs.set(runId, run)
    }
    const checkpoint = run?.checkpoints.find((c) => c.id === result.checkpointId)
    const selection = result.provenance.dataset
    const fallbackDataset =
      selection === null
        ? null
        : `${basename(selection.path)}${selection.split ? `/${selection.split}` : ''}`
    return {
      resultId: result.id,
      kind: result.kind,
      checkpoint: basename(result.provenance.modelFile),
      run: run?.name ?? null,
      epoch: checkpoint?.epoch ?? null,
      dataset:
        (result.datasetId === null ? undefined : datasetNames.get(result.datasetId)) ??
        fallbackDataset,
    }
  }
}
