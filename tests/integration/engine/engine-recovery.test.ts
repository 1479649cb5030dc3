import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineClient } from '../../../native-models/engine/engine-client.ts'
import { SeededRandom } from '../../../native-models/surgery/prng.ts'
import { testEngineClient, testJob, watchRun } from './helpers/test-engine.ts'

const TINY_MODEL = fileURLToPath(new URL('../../fixtures/models/tiny-resnet.onnx', import.meta.url))
const CRASH_MESSAGE =
  /^The analysis engine stopped unexpectedly \(signal SIGKILL\) while running job \d+; the job was not saved\. Start it again\.$/

let client: EngineClient
beforeAll(() => {
  client = testEngineClient()
})
afterAll(() => {
  client.dispose()
})

function killEngine(): number {
  const pid = client.pid
  if (pid === undefined) throw new Error('No engine is running.')
  process.kill(pid, 'SIGKILL')
  return pid
}

function shortJob(jobId: number) {
  return testJob(jobId, TINY_MODEL, { kind: 'sleep-batches', batches: 1, batchMs: 0 })
}

describe('EngineClient when the engine dies or hangs', () => {
  it('fails the running job with ENGINE_CRASHED on kill -9 and runs the next job on a fresh process', async () => {
    const run = watchRun(
      client,
      testJob(1, TINY_MODEL, { kind: 'sleep-batches', batches: 50, batchMs: 100 }),
    )
    await run.progressWhere((progress) => progress.done >= 1)
    const killedPid = killEngine()
    const outcome = await run.outcome
    expect(outcome).toEqual({
      status: 'failed',
      error: {
        code: 'ENGINE_CRASHED',
        message:
          'The analysis engine stopped unexpectedly (signal SIGKILL) while running job 1; the job was not saved. Start it again.',
      },
    })
    const restartedAt = performance.now()
    const next = await client.run(shortJob(2))
    console.log(
      `after kill -9: next job done ${(performance.now() - restartedAt).toFixed(0)} ms later`,
    )
    expect(next.status).toBe('done')
    expect(client.pid).not.toBe(killedPid)
  })

  it('kills and respawns the engine when a job stuck in one long run() ignores cancel', async () => {
    const job = testJob(3, TINY_MODEL, { kind: 'stuck-run', matmuls: 400, size: 1024 })
    const run = watchRun(client, job)
    await run.progressWhere((progress) => progress.stage === 'stuck')
    const stuckPid = client.pid
    const cancelledAt = performance.now()
    client.cancel(3)
    expect(await run.outcome).toEqual({ status: 'cancelled' })
    const hardCancelMs = performance.now() - cancelledAt
    const ready = await client.ready()
    console.log(
      `hard cancel after ${hardCancelMs.toFixed(0)} ms; respawned engine ready ${ready.startupMs.toFixed(0)} ms after spawn`,
    )
    expect(hardCancelMs).toBeGreaterThanOrEqual(2900)
    expect(hardCancelMs).toBeLessThan(6000)
    expect(ready.pid).not.toBe(stuckPid)
    expect((await client.run(shortJob(4))).status).toBe('done')
  })

  it('survives twenty kill -9s at random points of a job, each failing only the job it ran', async () => {
    const random = new SeededRandom(20, 'engine-kills')
    for (let i = 0; i < 20; i++) {
      const jobId = 100 + 2 * i
      const run = watchRun(
        client,
        testJob(jobId, TINY_MODEL, { kind: 'sleep-batches', batches: 20, batchMs: 50 }),
      )
      // From before the engine is ready (first kill) to mid-batch (later ones).
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random.nextFloat64() * 600)))
      killEngine()
      const outcome = await run.outcome
      expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ENGINE_CRASHED' } })
      if (outcome.status === 'failed') expect(outcome.error.message).toMatch(CRASH_MESSAGE)
      expect((await client.run(shortJob(jobId + 1))).status).toBe('done')
    }
  })
})
