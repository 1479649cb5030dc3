// Two hosts (the app and a CLI call, here two services with their own engines) asked for the same
// result at once: one computation, and both get the same stored result.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluateRequest, JobInfo } from '../../../electron/api/contract/index.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

const temp = mkdtempSync(join(tmpdir(), 'duplicate-requests-'))
const modelPath = join(temp, 'resnet18.onnx')
const engines = [new EngineClient(), new EngineClient()]
let app: WorkbenchService
let cli: WorkbenchService

beforeAll(async () => {
  await writeSmallResNet(modelPath, 5)
  app = new WorkbenchService(join(temp, 'ws'), { engine: () => engines[0] })
  cli = new WorkbenchService(join(temp, 'ws'), { engine: () => engines[1] })
}, 60_000)

afterAll(() => {
  app.close()
  cli.close()
  for (const engine of engines) engine.dispose()
  rmSync(temp, { recursive: true, force: true })
})

describe('the same request from two hosts at once', () => {
  it('is computed once, and both get the same stored result', async () => {
    const request: EvaluateRequest = {
      kind: 'evaluate',
      checkpointId: null,
      modelPath,
      dataset: idxTestImages(FMNIST_64_FOLDER, 64),
      preprocessing: FMNIST_PREPROCESSING,
      batchSize: 2,
      provider: 'cpu',
    }
    const first = await app.startJob(request)
    const followed: JobInfo[] = []
    const second = await cli.startJob(request, (job) => followed.push(job))
    expect(second.job?.id).toBe(first.job?.id)
    const [a, b] = await Promise.all([first.completion, second.completion])
    expect(a.result).not.toBeNull()
    expect(b.result?.id).toBe(a.result?.id)
    expect(b.job?.status).toBe('done')
    expect(app.engineRuns('evaluate') + cli.engineRuns('evaluate')).toBe(1)
    expect(cli.listJobs()).toHaveLength(1)
    expect(followed.at(-1)?.status).toBe('done')
  }, 60_000)

  it('runs again when asked to recompute, replacing the stored result once done', async () => {
    const [stored] = app.listResults({})
    const again = await cli.recomputeResult(stored.id)
    expect(again.job).not.toBeNull()
    const { result } = await again.completion
    expect(result?.jobId).toBe(again.job?.id)
    expect(result?.jobId).not.toBe(stored.jobId)
    expect(app.listResults({}).map((r) => r.jobId)).toEqual([again.job?.id])
  }, 60_000)
})
