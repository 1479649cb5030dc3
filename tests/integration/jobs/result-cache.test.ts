import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluateRequest } from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'result-cache-'))
const modelPath = join(temp, 'resnet18.onnx')
let engine: EngineClient
let service: WorkbenchService

function request(overrides: Partial<EvaluateRequest> = {}): EvaluateRequest {
  return {
    kind: 'evaluate',
    checkpointId: null,
    modelPath,
    dataset: idxTestImages(FMNIST_64_FOLDER, 32),
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: 16,
    provider: 'cpu',
    ...overrides,
  }
}

beforeAll(async () => {
  await writeSmallResNet(modelPath, 2)
  engine = new EngineClient()
  service = new WorkbenchService(join(temp, 'ws'), { engine: () => engine })
  await service.runJob(request())
})

afterAll(() => {
  service.close()
  engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('stored results', () => {
  it('answer an identical request in under 200 ms without a new job', async () => {
    const jobsBefore = service.listJobs().length
    const startedAt = performance.now()
    const started = await service.startJob(request())
    const elapsedMs = performance.now() - startedAt
    expect(started.job).toBeNull()
    expect(started.result?.isCached).toBe(true)
    expect(elapsedMs).toBeLessThan(200)
    expect(service.listJobs()).toHaveLength(jobsBefore)
  })

  it.each([
    ['the image selection', { dataset: { ...request().dataset, limit: 31 } }],
    [
      'the preprocessing',
      { preprocessing: { ...request().preprocessing!, mean: [0.3, 0.3, 0.3] } },
    ],
    ['the batch size', { batchSize: 8 }],
    ['the execution provider', { provider: 'auto' as const }],
  ])('are recomputed when %s changes', async (_what, overrides) => {
    const started = await service.startJob(request(overrides))
    expect(started.result).toBeNull()
    const { result } = await started.completion
    expect(result?.isCached).toBe(false)
  })

  it('carry their provenance', async () => {
    const { result } = await service.startJob(request())
    expect(result?.provenance).toMatchObject({
      modelFile: modelPath,
      preprocessing: request().preprocessing,
      providers: { requested: 'cpu', attached: ['CPUExecutionProvider'] },
      batchSize: 16,
    })
    expect(result?.provenance.modelSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(result?.provenance.datasetFingerprint).toMatch(/^[0-9a-f]{64}$/)
  })
})
