import { stat } from 'node:fs/promises'
import { resolveRunId } from '../api/checkpoint-target.ts'
import type { ModelSummary } from '../api/contract/index.ts'
import type { WorkbenchService } from '../api/service.ts'
import { scanRunFolder } from '../../native-models/runs/index.ts'

/** A run typed on the command line: its id, or its name when exactly one run has it. */
export function runIdOf(service: WorkbenchService, idOrName: string): number {
  return resolveRunId(service.listRuns(), idOrName, service.folder)
}

/** The summary of every checkpoint of an imported run, in epoch order. */
export function runSummaries(service: WorkbenchService, runId: number): ModelSummary[] {
  return service.getRun(runId).checkpoints.map((c) => service.checkpointSummary(c.id))
}

/** A model file's summary, or those of every checkpoint in a run folder. */
export async function summarizePath(
  service: WorkbenchService,
  path: string,
): Promise<ModelSummary[]> {
  const isFolder = (await stat(path).catch(() => null))?.isDirectory() ?? false
  if (!isFolder) return [await service.summarizeModel(path)]
  const scan = await scanRunFolder(path)
  const summaries: ModelSummary[] = []
  for (const file of scan.checkpoints) summaries.push(await service.summarizeModel(file.path))
  return summaries
}
