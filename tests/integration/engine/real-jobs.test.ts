import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationResult } from '../../../electron/api/contract/index.ts'
import type { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { evaluateJobFor } from '../jobs/evaluate-job-helpers.ts'
import { testEngineClient, watchRun, withResNet18Folder } from './helpers/test-engine.ts'

let modelPath = ''
let removeFolder: () => Promise<void> = async () => {}
let client: EngineClient
beforeAll(async () => {
  const folder = await withResNet18Folder()
  modelPath = folder.modelPath
  removeFolder = folder.remove
  client = testEngineClient()
})
afterAll(async () => {
  client.dispose()
  await removeFolder()
})

describe('the evaluation job in a forked engine', () => {
  it('evaluates 64 Fashion-MNIST images, with progress, placement and arrays intact', async () => {
    const job = { ...evaluateJobFor(modelPath, { batchSize: null }), jobId: 41 }
    const run = watchRun(client, job)
    const outcome = await run.outcome
    expect(outcome.status).toBe('done')
    if (outcome.status !== 'done') return
    const result = outcome.output.payload as EvaluationResult
    expect(result.numImages).toBe(64)
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(64)
    expect(result.reliability).toHaveLength(15)
    expect(outcome.output.providers.nodePlacement).toEqual({
      CPUExecutionProvider: expect.any(Number) as unknown,
    })
    expect(outcome.output.batchSize).toBeGreaterThanOrEqual(1)
    expect(run.progress.at(-1)?.progress).toMatchObject({ done: 64, total: 64 })
  })
})
