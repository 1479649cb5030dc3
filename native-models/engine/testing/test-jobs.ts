// Job kinds that exist only for the engine's own tests: real ORT runs on a tiny model, with
// synchronous blocking that stands in for a long run() (the engine is deaf while it lasts).
import type { ExecutionProvider } from '../../../electron/api/contract/index.ts'
import type { FeedTensor, RuntimeSession } from '../../runtime/index.ts'
import { measureBatchSize } from '../batch-sizer.ts'
import type { AnyJobHandler } from '../job-registry.ts'
import type { JobOutput, ResolvedJob } from '../job-types.ts'
import { engineSessions } from '../sessions.ts'

export interface SleepBatchesRequest {
  kind: 'sleep-batches'
  batches: number
  /** Each batch blocks the engine this long after its ORT run. */
  batchMs: number
  provider: ExecutionProvider
}

export interface SizedInferenceRequest {
  kind: 'sized-inference'
  batches: number
  targetMs: number
  provider: ExecutionProvider
}

function requestOf<R>(job: ResolvedJob): R {
  return job.request as unknown as R
}

/** A zero tensor for every input, with symbolic dims (the batch) set to `batch`. */
export function zeroFeeds(session: RuntimeSession, batch: number): Record<string, FeedTensor> {
  const feeds: Record<string, FeedTensor> = {}
  for (const [name, shape] of Object.entries(session.inputShapes)) {
    const dims = shape.map((dim) => (typeof dim === 'number' ? dim : batch))
    feeds[name] = { data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims }
  }
  return feeds
}

/** Blocks the thread as a synchronous native call does, without spinning a core. */
export function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function testOutput<P>(session: RuntimeSession, batchSize: number, payload: P): JobOutput<P> {
  const providers = session.providerReport()
  return { payload, providers, datasetFingerprint: 'test-jobs', batchSize, parameters: {} }
}

export const sleepBatches: AnyJobHandler = async (job, { signal, report }) => {
  const request = requestOf<SleepBatchesRequest>(job)
  const lease = await engineSessions.acquire(job.modelPath, { provider: request.provider })
  try {
    const feeds = zeroFeeds(lease.session, 1)
    for (let batch = 1; batch <= request.batches; batch++) {
      signal.throwIfAborted()
      await lease.session.run(feeds)
      blockFor(request.batchMs)
      report({ stage: 'sleeping', done: batch, total: request.batches })
    }
    return testOutput(lease.session, 1, { batches: request.batches, pid: process.pid })
  } finally {
    await lease.release()
  }
}

export const sizedInference: AnyJobHandler = async (job, { signal, report }) => {
  const request = requestOf<SizedInferenceRequest>(job)
  const lease = await engineSessions.acquire(job.modelPath, { provider: request.provider })
  try {
    const run = async (size: number): Promise<void> => {
      await lease.session.run(zeroFeeds(lease.session, size))
    }
    const sizing = await measureBatchSize(run, { targetMs: request.targetMs })
    report({ stage: 'inference', done: 0, total: request.batches })
    for (let batch = 1; batch <= request.batches; batch++) {
      signal.throwIfAborted()
      await run(sizing.batchSize)
      report({ stage: 'inference', done: batch, total: request.batches })
    }
    return testOutput(lease.session, sizing.batchSize, sizing)
  } finally {
    await lease.release()
  }
}

export const throwBug: AnyJobHandler = () => {
  throw new TypeError("Cannot read properties of undefined (reading 'dims')")
}
