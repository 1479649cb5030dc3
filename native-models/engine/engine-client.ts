import { forkNodeEngine } from './engine-process.ts'
import type { EngineExit, EngineProcess, SpawnEngine } from './engine-process.ts'
import { describeExit, engineCrashMessage } from './job-failure.ts'
import type { JobProgress, ResolvedJob } from './job-types.ts'
import type { EngineOutcome, FromEngine } from './protocol.ts'

export interface EngineClientOptions {
  /** Default: a `child_process.fork` of engine/main.ts. Electron passes a utilityProcess. */
  spawn?: SpawnEngine
  /** Least time a job gets to stop after a cancel before the engine is killed. Default 3000. */
  cancelGraceMs?: number
  /** The grace is at least this many times the job's longest step between reports. Default 2. */
  graceStepFactor?: number
}

export interface EngineReady {
  pid: number
  /** From spawn to the engine's `ready` (ORT loaded). */
  startupMs: number
}

interface PendingJob {
  job: ResolvedJob
  onProgress: (progress: JobProgress) => void
  settle: (outcome: EngineOutcome) => void
  longestStepMs: number
  killTimer: ReturnType<typeof setTimeout> | null
  isCancelRequested: boolean
  isKilledForCancel: boolean
}

interface RunningEngine {
  process: EngineProcess
  ready: Promise<EngineReady>
  markExited: (exit: EngineExit) => void
}

/**
 * The host's side of the engine: starts the process on first use, runs one job at a time (ORT
 * already uses every core), turns cancels that a job cannot honour in time into a kill and a
 * fresh process, and fails the running job with ENGINE_CRASHED when the process dies under it.
 */
export class EngineClient {
  readonly #spawn: SpawnEngine
  readonly #cancelGraceMs: number
  readonly #graceStepFactor: number
  readonly #queue: PendingJob[] = []
  #running: PendingJob | null = null
  #engine: RunningEngine | null = null
  #isDisposed = false

  constructor(options: EngineClientOptions = {}) {
    this.#spawn = options.spawn ?? (() => forkNodeEngine())
    this.#cancelGraceMs = options.cancelGraceMs ?? 3000
    this.#graceStepFactor = options.graceStepFactor ?? 2
  }

  /** The engine's process id, or undefined while none runs. */
  get pid(): number | undefined {
    return this.#engine?.process.pid
  }

  /** Starts the engine if needed and resolves when it has loaded ORT. */
  ready(): Promise<EngineReady> {
    return this.#ensureEngine().ready
  }

  /** Queues a job; the promise never rejects: failures and cancels are outcomes. */
  run(
    job: ResolvedJob,
    onProgress: (progress: JobProgress) => void = () => {},
  ): Promise<EngineOutcome> {
    if (this.#isDisposed) throw new Error('This EngineClient has been disposed.')
    return new Promise((settle) => {
      this.#queue.push({
        ...{ job, onProgress, settle, longestStepMs: 0, killTimer: null },
        ...{ isCancelRequested: false, isKilledForCancel: false },
      })
      this.#startNext()
    })
  }

  /** Asks the job to stop at its next batch; kills the engine if it has not after the grace. */
  cancel(jobId: number): void {
    const queued = this.#queue.findIndex((pending) => pending.job.jobId === jobId)
    if (queued >= 0) {
      this.#queue.splice(queued, 1)[0]?.settle({ status: 'cancelled' })
      return
    }
    const running = this.#running
    if (running?.job.jobId !== jobId || running.isCancelRequested || this.#engine === null) return
    running.isCancelRequested = true
    this.#engine.process.send({ type: 'cancel', jobId })
    const graceMs = Math.max(this.#cancelGraceMs, this.#graceStepFactor * running.longestStepMs)
    running.killTimer = setTimeout(() => this.#killForCancel(running), graceMs)
  }

  /** Cancels everything and ends the engine. */
  dispose(): void {
    this.#isDisposed = true
    for (const pending of this.#queue.splice(0)) pending.settle({ status: 'cancelled' })
    if (this.#running !== null) this.#finish(this.#running, { status: 'cancelled' })
    this.#engine?.process.kill()
    this.#engine = null
  }

  #startNext(): void {
    if (this.#running !== null || this.#isDisposed) return
    const next = this.#queue.shift()
    if (next === undefined) return
    this.#running = next
    this.#ensureEngine().process.send({ type: 'start', jobId: next.job.jobId, job: next.job })
  }

  #ensureEngine(): RunningEngine {
    if (this.#engine !== null) return this.#engine
    const spawnedAt = performance.now()
    const process = this.#spawn()
    let resolve: (ready: EngineReady) => void = () => {}
    let reject: (error: Error) => void = () => {}
    const ready = new Promise<EngineReady>((onReady, onFailed) => {
      resolve = onReady
      reject = onFailed
    })
    // An exit is reported to the running job as its outcome; only ready() callers need it thrown.
    ready.catch(() => undefined)
    const markExited = (exit: EngineExit): void =>
      reject(new Error(`The analysis engine ended before it was ready (${describeExit(exit)}).`))
    const engine: RunningEngine = { process, ready, markExited }
    process.onMessage((message) => {
      if (message.type === 'ready')
        resolve({ pid: message.pid, startupMs: performance.now() - spawnedAt })
      else if (this.#engine === engine) this.#onJobMessage(message)
    })
    process.onExit((exit) => this.#onExit(engine, exit))
    this.#engine = engine
    return engine
  }

  #onJobMessage(message: Exclude<FromEngine, { type: 'ready' }>): void {
    const running = this.#running
    if (running?.job.jobId !== message.jobId) return
    if (message.type === 'progress') {
      running.longestStepMs = Math.max(running.longestStepMs, message.longestStepMs)
      try {
        running.onProgress(message.progress)
      } catch (error) {
        // A host's progress handler must not end the host from inside this message event.
        console.error(`engine: the progress handler of job ${message.jobId} failed`, error)
      }
      return
    }
    this.#finish(running, message.outcome)
    this.#startNext()
  }

  #killForCancel(running: PendingJob): void {
    if (this.#running !== running || this.#engine === null) return
    running.isKilledForCancel = true
    this.#engine.process.kill()
  }

  #onExit(engine: RunningEngine, exit: EngineExit): void {
    engine.markExited(exit)
    if (this.#engine !== engine) return
    this.#engine = null
    const running = this.#running
    if (running !== null) {
      const outcome: EngineOutcome = running.isKilledForCancel
        ? { status: 'cancelled' }
        : crashOutcome(running.job.jobId, exit)
      this.#finish(running, outcome)
      if (running.isKilledForCancel && !this.#isDisposed) this.#respawn()
    }
    this.#startNext()
  }

  /** After a hard cancel the process was healthy: have the next one ready before it is needed. */
  #respawn(): void {
    this.ready().catch((error: unknown) => console.error('engine: respawn failed', error))
  }

  #finish(pending: PendingJob, outcome: EngineOutcome): void {
    if (pending.killTimer !== null) clearTimeout(pending.killTimer)
    if (this.#running === pending) this.#running = null
    pending.settle(outcome)
  }
}

function crashOutcome(jobId: number, exit: EngineExit): EngineOutcome {
  return {
    status: 'failed',
    error: { code: 'ENGINE_CRASHED', message: engineCrashMessage(jobId, exit) },
  }
}
