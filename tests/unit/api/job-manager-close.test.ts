import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { EvaluateRequest } from '../../../electron/api/contract/index.ts'
import type { EngineOutcome, EnginePort } from '../../../electron/api/job-manager.ts'
import { WorkbenchService } from '../../../electron/api/service.ts'
import { closeWorkspace, openWorkspace } from '../../../db/connection.ts'
import { listJobs } from '../../../db/queries/jobs.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  idxTestImages,
  writeSmallResNet,
} from '../../fixtures/data/fmnist.ts'

/** An engine whose job ends only when the test says so, after the workspace has closed. */
class HeldEngine implements EnginePort {
  isRunning = false
  release: (outcome: EngineOutcome) => void = () => {}
  run(): Promise<EngineOutcome> {
    this.isRunning = true
    return new Promise((resolve) => (this.release = resolve))
  }
  cancel(): void {}
}

const temp = mkdtempSync(join(tmpdir(), 'job-close-'))

afterAll(() => rmSync(temp, { recursive: true, force: true }))

describe('a job whose workspace closes while it runs', () => {
  it('settles its completion as failed instead of rejecting, and stores nothing', async () => {
    const modelPath = join(temp, 'resnet18.onnx')
    await writeSmallResNet(modelPath, 3)
    const engine = new HeldEngine()
    const folder = join(temp, 'ws')
    const service = new WorkbenchService(folder, { engine: () => engine })
    const request: EvaluateRequest = {
      kind: 'evaluate',
      checkpointId: null,
      modelPath,
      dataset: idxTestImages(FMNIST_64_FOLDER, 16),
      preprocessing: FMNIST_PREPROCESSING,
      batchSize: 16,
      provider: 'cpu',
    }
    const started = await service.startJob(request)
    await expect.poll(() => engine.isRunning).toBe(true)
    service.close()
    engine.release({ status: 'failed', error: { code: 'INTERNAL', message: 'late' } })
    const completion = await started.completion
    expect(completion.result).toBeNull()
    expect(completion.job).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } })
    expect(completion.job?.error?.message).toMatch(/workspace was closed while job #\d+ ran/)
    const workspace = openWorkspace(folder)
    try {
      expect(listJobs(workspace.db).every((job) => job.status !== 'done')).toBe(true)
    } finally {
      closeWorkspace(workspace)
    }
  })
})
