// Cancelling the weight-geometry job while its eigenvalue workers still hold problems.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WeightGeometryRequest } from '../../../electron/api/contract/index.ts'
import type { JobProgress, ResolvedJob } from '../../../native-models/engine/job-types.ts'
import { weightGeometryJob } from '../../../native-models/engine/jobs/weight-geometry/weight-geometry.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'

const temp = mkdtempSync(join(tmpdir(), 'weight-geometry-cancel-'))
const modelPath = join(temp, 'resnet18.onnx')

beforeAll(async () => {
  await writeSynthesizedResNet(modelPath, {
    depth: 18,
    numClasses: 10,
    inputSize: 32,
    cifarStem: false,
    bnFolded: true,
    opset: 17,
    seed: 5,
    batch: 'dynamic',
    externalData: false,
  })
}, 120_000)

afterAll(() => rmSync(temp, { recursive: true, force: true }))

const job: ResolvedJob<WeightGeometryRequest> = {
  jobId: 1,
  request: { kind: 'weight-geometry', checkpointId: 1, modelPath, provider: 'cpu' },
  modelPath,
  modelSha256: '',
  preprocessing: null,
  dataset: null,
}

describe('the weight-geometry job', () => {
  it('reports every weight as done when it is not cancelled', async () => {
    const progress: JobProgress[] = []
    const signal = new AbortController().signal
    const output = await weightGeometryJob(job, { signal, report: (p) => progress.push(p) })
    expect(output.payload.layers).toHaveLength(21)
    expect(progress.at(-1)).toEqual({ stage: 'weight geometry', done: 21, total: 21 })
  })

  it('stops once cancelled after the first finished weight, without waiting for the others', async () => {
    const controller = new AbortController()
    const progress: JobProgress[] = []
    const report = (p: JobProgress): void => {
      progress.push(p)
      if (p.done === 1) controller.abort()
    }
    await expect(weightGeometryJob(job, { signal: controller.signal, report })).rejects.toThrow()
    expect(controller.signal.aborted).toBe(true)
    expect(progress.at(-1)?.done).toBeLessThan(21)
  })
})
