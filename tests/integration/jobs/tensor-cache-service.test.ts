import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EvaluateRequest } from '../../../electron/api/contract/index.ts'
import type { EngineOutcome, EnginePort } from '../../../electron/api/job-manager.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import type { ResolvedJob } from '../../../native-models/engine/job-types.ts'
import { datasetRequest } from '../../fixtures/data/builders.ts'
import { FMNIST_64_FOLDER, FMNIST_PREPROCESSING } from './evaluate-job-helpers.ts'

const MODEL = fileURLToPath(new URL('../../fixtures/models/tiny-resnet.onnx', import.meta.url))

/** An engine that records the jobs it is given and finishes each at once. */
function recordingEngine(jobs: ResolvedJob[]): EnginePort {
  const outcome: EngineOutcome = {
    status: 'done',
    output: {
      payload: { numImages: 64, classes: [] },
      providers: { requested: 'cpu', attached: [], nodePlacement: {}, fallbackReason: null },
      datasetFingerprint: 'f'.repeat(64),
      batchSize: 16,
      parameters: {},
    },
  }
  return {
    run: (job) => {
      jobs.push(job)
      return Promise.resolve(outcome)
    },
    cancel: () => undefined,
  }
}

function evaluation(useTensorCache?: boolean): EvaluateRequest {
  return {
    kind: 'evaluate',
    checkpointId: null,
    modelPath: MODEL,
    dataset: datasetRequest(FMNIST_64_FOLDER, { format: 'idx', split: 't10k' }),
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: 16,
    provider: 'cpu',
    ...(useTensorCache === undefined ? {} : { useTensorCache }),
  }
}

let workspace = ''
let service: WorkbenchService
let jobs: ResolvedJob[] = []

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'tensor-cache-service-'))
  jobs = []
  const engine = recordingEngine(jobs)
  service = new WorkbenchService(workspace, { engine: () => engine })
})

afterEach(async () => {
  service.close()
  await rm(workspace, { recursive: true, force: true })
})

describe('the service and the tensor cache', () => {
  it("hands the engine the workspace's cache/tensors folder with the request's choice", async () => {
    await service.runJob(evaluation(true))
    expect(jobs).toHaveLength(1)
    expect(jobs[0].tensorCacheFolder).toBe(join(workspace, 'cache', 'tensors'))
    expect(jobs[0].request).toMatchObject({ useTensorCache: true })
  })

  it('answers a request that differs only in useTensorCache from the stored result', async () => {
    const first = await service.runJob(evaluation(true))
    const second = await service.runJob(evaluation(false))
    const third = await service.runJob(evaluation())
    expect(jobs).toHaveLength(1)
    expect(second).toMatchObject({ id: first.id, isCached: true })
    expect(third).toMatchObject({ id: first.id, isCached: true })
  })
})
