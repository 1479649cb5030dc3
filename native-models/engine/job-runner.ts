import type { JobProgress, ResolvedJob } from './job-types.ts'
import { toJobFailure } from './job-failure.ts'
import type { JobRegistry } from './job-registry.ts'
import { ProgressThrottle } from './progress-throttle.ts'
import type { EngineOutcome, FromEngine, ToEngine } from './protocol.ts'

export const PROGRESS_INTERVAL_MS = 100

/**
 * The engine side of the protocol: runs each started job through its handler, forwards progress
 * (at most ~10 per second) and answers every start with exactly one `done`.
 */
export class EngineJobRunner {
  readonly #post: (message: FromEngine) => void
  readonly #registry: JobRegistry
  readonly #running = new Map<number, AbortController>()

  constructor(post: (message: FromEngine) => void, registry: JobRegistry) {
    this.#post = post
    this.#registry = registry
  }

  handle(message: ToEngine): void {
    if (message.type === 'cancel') {
      this.#running.get(message.jobId)?.abort()
      return
    }
    void this.#run(message.jobId, message.job)
  }

  async #run(jobId: number, job: ResolvedJob): Promise<void> {
    const controller = new AbortController()
    this.#running.set(jobId, controller)
    const progress = this.#progressChannel(jobId)
    try {
      const outcome = await this.#outcomeOf(job, controller.signal, progress.report)
      progress.throttle.flush()
      this.#post({ type: 'done', jobId, outcome })
    } finally {
      progress.throttle.stop()
      this.#running.delete(jobId)
    }
  }

  async #outcomeOf(
    job: ResolvedJob,
    signal: AbortSignal,
    report: (progress: JobProgress) => void,
  ): Promise<EngineOutcome> {
    try {
      const handler = await this.#registry.handlerFor(job.request.kind)
      signal.throwIfAborted()
      return { status: 'done', output: await handler(job, { signal, report }) }
    } catch (error) {
      if (signal.aborted) return { status: 'cancelled' }
      const failure = toJobFailure(error)
      if (failure.code === 'INTERNAL') console.error(`engine: job ${job.jobId} failed`, error)
      return { status: 'failed', error: failure }
    }
  }

  #progressChannel(jobId: number) {
    const throttle = new ProgressThrottle<FromEngine>(this.#post, PROGRESS_INTERVAL_MS)
    let lastReportAt = performance.now()
    let longestStepMs = 0
    const report = (progress: JobProgress): void => {
      const now = performance.now()
      longestStepMs = Math.max(longestStepMs, now - lastReportAt)
      lastReportAt = now
      throttle.push({ type: 'progress', jobId, progress: { ...progress }, longestStepMs })
    }
    return { throttle, report }
  }
}
