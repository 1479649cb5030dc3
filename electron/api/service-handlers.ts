import { DERIVED_MODULES } from './analyses/index.ts'
import type { ServiceHandlers } from './dispatch.ts'
import { exportHandlers } from './export/index.ts'
import type { JobStart } from './contract/index.ts'
import type { StartedJob } from './job-manager.ts'
import type { DerivedChannel } from './analyses/analysis-module.ts'
import type { WorkbenchService } from './service.ts'
import { defaultExampleFolder } from './workspace-location.ts'

/** Hosts answer as soon as a job is queued; its own row carries any later failure. */
function startedOnly({ job, result, completion }: StartedJob): JobStart {
  completion.catch((error: unknown) => console.error(`job ${job?.id} could not be recorded`, error))
  return { job, result }
}

/** Each analysis's derived-result channel ('cka:compute', …), answered by the one derived path. */
function derivedHandlers(service: WorkbenchService): Pick<ServiceHandlers, DerivedChannel> {
  const entries = DERIVED_MODULES.map((derived) => [
    derived.channel,
    (request: unknown) => service.startDerived(derived, request as never),
  ])
  return Object.fromEntries(entries) as Pick<ServiceHandlers, DerivedChannel>
}

/**
 * The service as the contract's channel map, for the IPC and HTTP bindings. `exampleFolder` is
 * where 'workspace:example' without a folder puts the example (the web host: inside its roots).
 */
export function serviceHandlers(
  service: WorkbenchService,
  exampleFolder: () => string = defaultExampleFolder,
): ServiceHandlers {
  return {
    'workspace:info': () => service.info(),
    'workspace:revision': () => Promise.resolve(service.revision()),
    'run:import': (folder) => service.importRun(folder),
    'run:list': () => Promise.resolve(service.listRuns()),
    'run:get': (runId) => Promise.resolve(service.getRun(runId)),
    'model:summary': (path) => service.summarizeModel(path),
    'checkpoint:summary': (id) => Promise.resolve(service.checkpointSummary(id)),
    'model:synth': (outPath, request) => service.synth(outPath, request),
    'job:start': async (request) => startedOnly(await service.startJob(request)),
    'job:cancel': (jobId) => Promise.resolve(service.cancelJob(jobId)),
    'job:list': () => Promise.resolve(service.listJobs()),
    'result:get': (resultId) => Promise.resolve(service.getResult(resultId)),
    'result:list': (filter) => Promise.resolve(service.listResults(filter)),
    'result:delete': (resultId) => service.deleteResult(resultId),
    'result:recompute': async (resultId) => startedOnly(await service.recomputeResult(resultId)),
    'job:estimate': (request) => service.estimateJob(request),
    'run:update': (runId, patch) => Promise.resolve(service.updateRun(runId, patch)),
    'workspace:open': (folder) => service.openWorkspaceFolder(folder),
    'workspace:example': (folder) => service.createExample(folder ?? exampleFolder()),
    'dataset:list': () => Promise.resolve(service.listDatasets()),
    'dataset:add': (request, name) => service.addDataset(request, name),
    'checkpoint:open': (path) => service.openCheckpoint(path),
    'checkpoint:get': (checkpointId) => Promise.resolve(service.getCheckpoint(checkpointId)),
    'checkpoint:update': (checkpointId, patch) =>
      Promise.resolve(service.updateCheckpoint(checkpointId, patch)),
    'dataset:preview': (request) => service.previewDataset(request),
    ...derivedHandlers(service),
    ...exportHandlers(service),
  }
}
