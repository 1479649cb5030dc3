import { describe, expect, it } from 'vitest'
import { EngineJobRunner } from '../../../native-models/engine/job-runner.ts'
import { JobRegistry } from '../../../native-models/engine/job-registry.ts'
import type { AnyJobHandler } from '../../../native-models/engine/job-registry.ts'
import type { JobOutput, ResolvedJob } from '../../../native-models/engine/job-types.ts'
import type { FromEngine } from '../../../native-models/engine/protocol.ts'
import { RuntimeError } from '../../../native-models/runtime/errors.ts'

const OUTPUT: JobOutput<unknown> = {
  payload: { top1: 0.5 },
  providers: { requested: 'cpu', attached: [], nodePlacement: {}, fallbackReason: null },
  datasetFingerprint: 'f',
  batchSize: 8,
  parameters: {},
}

function job(jobId: number, kind: string): ResolvedJob {
  return { jobId, request: { kind } } as unknown as ResolvedJob
}

function runnerWith(handler: AnyJobHandler) {
  const posted: FromEngine[] = []
  const registry = new JobRegistry().registerAny('test', () => Promise.resolve(handler))
  const runner = new EngineJobRunner((message) => posted.push(message), registry)
  const done = (jobId: number) =>
    new Promise<FromEngine>((resolve) => {
      const poll = setInterval(() => {
        const message = posted.find((m) => m.type === 'done' && m.jobId === jobId)
        if (message !== undefined) resolve(message)
        if (message !== undefined) clearInterval(poll)
      }, 1)
    })
  return { runner, posted, done }
}

describe('EngineJobRunner', () => {
  it('answers a start with its output and the last progress before done', async () => {
    const { runner, posted, done } = runnerWith(({ jobId }, { report }) => {
      for (let i = 1; i <= 3; i++) report({ stage: 'inference', done: i, total: 3 })
      return Promise.resolve({ ...OUTPUT, payload: { jobId } })
    })
    runner.handle({ type: 'start', jobId: 1, job: job(1, 'test') })
    expect(await done(1)).toEqual({
      type: 'done',
      jobId: 1,
      outcome: { status: 'done', output: { ...OUTPUT, payload: { jobId: 1 } } },
    })
    const progress = posted.filter((m) => m.type === 'progress')
    expect(progress.map((m) => m.progress.done)).toEqual([1, 3])
  })

  it('turns an abort into cancelled, whatever the job threw', async () => {
    const { runner, done } = runnerWith(async (_job, { signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve))
      throw new Error('stopped between batches')
    })
    runner.handle({ type: 'start', jobId: 2, job: job(2, 'test') })
    runner.handle({ type: 'cancel', jobId: 2 })
    expect(await done(2)).toMatchObject({ outcome: { status: 'cancelled' } })
  })

  it('reports a coded error as failed with its code', async () => {
    const { runner, done } = runnerWith(() => {
      throw new RuntimeError('EXTERNAL_DATA_MISSING', "'model.onnx.data' is missing.")
    })
    runner.handle({ type: 'start', jobId: 3, job: job(3, 'test') })
    expect(await done(3)).toMatchObject({
      outcome: {
        status: 'failed',
        error: { code: 'EXTERNAL_DATA_MISSING', message: "'model.onnx.data' is missing." },
      },
    })
  })

  it('measures the longest step between reports, from the start of the job', async () => {
    const { runner, posted, done } = runnerWith(async (_job, { report }) => {
      await new Promise((resolve) => setTimeout(resolve, 60))
      report({ stage: 'inference', done: 1, total: 1 })
      return OUTPUT
    })
    runner.handle({ type: 'start', jobId: 4, job: job(4, 'test') })
    await done(4)
    const progress = posted.find((m) => m.type === 'progress')
    expect(progress?.type === 'progress' && progress.longestStepMs).toBeGreaterThanOrEqual(55)
  })
})
