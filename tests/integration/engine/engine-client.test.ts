import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { testEngineClient, testJob, watchRun, withResNet18Folder } from './helpers/test-engine.ts'

let modelPath = ''
let removeFolder: () => Promise<void> = async () => {}
let client: EngineClient
beforeAll(async () => {
  const folder = await withResNet18Folder()
  modelPath = folder.modelPath
  removeFolder = folder.remove
  client = testEngineClient()
  const ready = await client.ready()
  console.log(`engine ready in ${ready.startupMs.toFixed(0)} ms`)
})
afterAll(async () => {
  client.dispose()
  await removeFolder()
})

describe('EngineClient with a forked engine', () => {
  it('completes a job with throttled progress and the providers it ran on', async () => {
    const job = testJob(1, modelPath, { kind: 'sleep-batches', batches: 6, batchMs: 60 })
    const run = watchRun(client, job)
    const outcome = await run.outcome
    expect(outcome.status).toBe('done')
    if (outcome.status !== 'done') return
    expect(outcome.output.payload).toEqual({ batches: 6, pid: client.pid })
    expect(outcome.output.providers).toMatchObject({
      requested: 'cpu',
      attached: ['CPUExecutionProvider'],
      nodePlacement: { CPUExecutionProvider: expect.any(Number) as unknown },
      fallbackReason: null,
    })
    expect(run.progress.at(-1)?.progress).toEqual({ stage: 'sleeping', done: 6, total: 6 })
    const gaps = run.progress.slice(1).map((entry, i) => entry.at - (run.progress[i]?.at ?? 0))
    expect(run.progress.length).toBeGreaterThanOrEqual(3)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50)
  })

  it('passes a coded job error through, and reports an unexpected one as INTERNAL', async () => {
    const unknown = await client.run(testJob(2, modelPath, { kind: 'no-such-kind' }))
    const bug = await client.run(testJob(3, modelPath, { kind: 'throw' }))
    expect(unknown).toEqual({
      status: 'failed',
      error: {
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(
          /^The engine has no job kind 'no-such-kind'; it knows evaluate, activation-stats, /,
        ) as unknown,
      },
    })
    expect(bug).toEqual({
      status: 'failed',
      error: {
        code: 'INTERNAL',
        message:
          "The job failed unexpectedly: Cannot read properties of undefined (reading 'dims')",
      },
    })
  })

  it('fails a job that asks for a provider this machine cannot load with PROVIDER_UNAVAILABLE', async () => {
    const job = testJob(4, modelPath, {
      kind: 'sleep-batches',
      batches: 1,
      batchMs: 0,
      provider: 'dml',
    })
    const outcome = await client.run(job)
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'PROVIDER_UNAVAILABLE' } })
  })

  it('cancels a job between batches within about one batch, without a new process', async () => {
    const pid = client.pid
    const run = watchRun(
      client,
      testJob(5, modelPath, { kind: 'sleep-batches', batches: 100, batchMs: 300 }),
    )
    await run.progressWhere((progress) => progress.done >= 2)
    const cancelledAt = performance.now()
    client.cancel(5)
    expect(await run.outcome).toEqual({ status: 'cancelled' })
    const latencyMs = performance.now() - cancelledAt
    console.log(`cancel between 300 ms batches took ${latencyMs.toFixed(0)} ms`)
    expect(latencyMs).toBeLessThan(2000)
    expect(client.pid).toBe(pid)
  })

  it('cancels real ORT inference whose batches are sized to about a second', async () => {
    const job = testJob(6, modelPath, { kind: 'sized-inference', batches: 100, targetMs: 1000 })
    const run = watchRun(client, job)
    await run.progressWhere((progress) => progress.stage === 'inference' && progress.done >= 1)
    const cancelledAt = performance.now()
    client.cancel(6)
    expect(await run.outcome).toEqual({ status: 'cancelled' })
    const latencyMs = performance.now() - cancelledAt
    console.log(`cancel of sized ORT batches took ${latencyMs.toFixed(0)} ms`)
    expect(latencyMs).toBeLessThan(2000)
  })

  it('queues jobs one at a time and cancels a queued one at once', async () => {
    const first = watchRun(
      client,
      testJob(7, modelPath, { kind: 'sleep-batches', batches: 3, batchMs: 50 }),
    )
    const second = client.run(
      testJob(8, modelPath, { kind: 'sleep-batches', batches: 1, batchMs: 0 }),
    )
    const third = client.run(
      testJob(9, modelPath, { kind: 'sleep-batches', batches: 1, batchMs: 0 }),
    )
    client.cancel(8)
    expect(await second).toEqual({ status: 'cancelled' })
    expect((await first.outcome).status).toBe('done')
    expect((await third).status).toBe('done')
  })
})
