import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EngineClient } from '../../../native-models/engine/engine-client.ts'
import type { EngineExit, EngineProcess } from '../../../native-models/engine/engine-process.ts'
import type { ResolvedJob } from '../../../native-models/engine/job-types.ts'
import type { FromEngine, ToEngine } from '../../../native-models/engine/protocol.ts'

interface FakeEngine extends EngineProcess {
  sent: ToEngine[]
  isKilled: boolean
  emit(message: FromEngine): void
  exit(exit: EngineExit): void
}

function fakeEngine(pid: number): FakeEngine {
  let onMessage: (message: FromEngine) => void = () => {}
  let onExit: (exit: EngineExit) => void = () => {}
  const engine: FakeEngine = {
    pid,
    sent: [],
    isKilled: false,
    send: (message) => void engine.sent.push(message),
    onMessage: (listener) => void (onMessage = listener),
    onExit: (listener) => void (onExit = listener),
    kill: () => {
      engine.isKilled = true
      queueMicrotask(() => onExit({ code: null, signal: 'SIGKILL' }))
    },
    emit: (message) => onMessage(message),
    exit: (exit) => onExit(exit),
  }
  return engine
}

function setup(options: { cancelGraceMs?: number } = {}) {
  const engines: FakeEngine[] = []
  const client = new EngineClient({
    spawn: () => {
      const engine = fakeEngine(100 + engines.length)
      engines.push(engine)
      return engine
    },
    ...options,
  })
  return { client, engines }
}

const job = (jobId: number): ResolvedJob =>
  ({ jobId, request: { kind: 'evaluate' } }) as ResolvedJob
const progress = (jobId: number, longestStepMs: number): FromEngine => ({
  type: 'progress',
  jobId,
  progress: { stage: 'inference', done: 1, total: 9 },
  longestStepMs,
})

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('EngineClient', () => {
  it('starts the engine on the first job, not before', () => {
    const { client, engines } = setup()
    expect(engines).toHaveLength(0)
    void client.run(job(1))
    expect(engines).toHaveLength(1)
    expect(engines[0]?.sent).toEqual([{ type: 'start', jobId: 1, job: job(1) }])
  })

  it('fails the running job with ENGINE_CRASHED and starts the next on a fresh engine', async () => {
    const { client, engines } = setup()
    const first = client.run(job(1))
    const second = client.run(job(2))
    engines[0]?.exit({ code: 139, signal: null })
    expect(await first).toEqual({
      status: 'failed',
      error: {
        code: 'ENGINE_CRASHED',
        message:
          'The analysis engine stopped unexpectedly (exit code 139) while running job 1; the job was not saved. Start it again.',
      },
    })
    expect(engines).toHaveLength(2)
    expect(engines[1]?.sent).toEqual([{ type: 'start', jobId: 2, job: job(2) }])
    engines[1]?.emit({ type: 'done', jobId: 2, outcome: { status: 'cancelled' } })
    expect(await second).toEqual({ status: 'cancelled' })
  })

  it('kills the engine when a cancelled job has not stopped after 3 s, and respawns it', async () => {
    const { client, engines } = setup()
    const outcome = client.run(job(1))
    client.cancel(1)
    expect(engines[0]?.sent.at(-1)).toEqual({ type: 'cancel', jobId: 1 })
    vi.advanceTimersByTime(2999)
    expect(engines[0]?.isKilled).toBe(false)
    vi.advanceTimersByTime(1)
    expect(engines[0]?.isKilled).toBe(true)
    expect(await outcome).toEqual({ status: 'cancelled' })
    expect(engines).toHaveLength(2)
  })

  it('scales the grace period to twice the longest step the job reported', () => {
    const { client, engines } = setup()
    void client.run(job(1))
    engines[0]?.emit(progress(1, 5000))
    client.cancel(1)
    vi.advanceTimersByTime(9999)
    expect(engines[0]?.isKilled).toBe(false)
    vi.advanceTimersByTime(1)
    expect(engines[0]?.isKilled).toBe(true)
  })

  it('does not kill a job that stops within the grace period', async () => {
    const { client, engines } = setup()
    const outcome = client.run(job(1))
    client.cancel(1)
    engines[0]?.emit({ type: 'done', jobId: 1, outcome: { status: 'cancelled' } })
    vi.advanceTimersByTime(10_000)
    expect(await outcome).toEqual({ status: 'cancelled' })
    expect(engines[0]?.isKilled).toBe(false)
  })

  it('forwards progress of the running job only', () => {
    const { client, engines } = setup()
    const seen: number[] = []
    void client.run(job(1), (p) => seen.push(p.done))
    engines[0]?.emit(progress(1, 10))
    engines[0]?.emit(progress(99, 10))
    expect(seen).toEqual([1])
  })

  it('cancels a queued job without telling the engine', async () => {
    const { client, engines } = setup()
    void client.run(job(1))
    const queued = client.run(job(2))
    client.cancel(2)
    expect(await queued).toEqual({ status: 'cancelled' })
    expect(engines[0]?.sent.map((m) => m.type)).toEqual(['start'])
  })

  it('rejects ready() when the engine dies before loading', async () => {
    const { client, engines } = setup()
    const ready = client.ready()
    engines[0]?.exit({ code: 1, signal: null })
    await expect(ready).rejects.toThrow(
      'The analysis engine ended before it was ready (exit code 1).',
    )
  })

  it('cancels everything and ends the engine on dispose', async () => {
    const { client, engines } = setup()
    const running = client.run(job(1))
    const queued = client.run(job(2))
    client.dispose()
    expect(await running).toEqual({ status: 'cancelled' })
    expect(await queued).toEqual({ status: 'cancelled' })
    expect(engines[0]?.isKilled).toBe(true)
    await Promise.resolve()
    expect(engines).toHaveLength(1)
  })
})
