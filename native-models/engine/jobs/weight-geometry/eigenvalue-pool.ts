import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { EigenvalueReply, EigenvalueTask } from './eigenvalue-protocol.ts'

/** Names the built worker file in a bundled desktop app (set by electron/main). */
export const EIGENVALUE_WORKER_ENV = 'RESNET_WORKBENCH_EIGENVALUE_WORKER'

/** The worker entry: the built file in a bundled app, else the TypeScript source beside this. */
export const DEFAULT_EIGENVALUE_WORKER: URL | string =
  process.env[EIGENVALUE_WORKER_ENV] ?? new URL('./eigenvalue-worker.ts', import.meta.url)

// One worker per core: the engine's thread only forms Grams (ORT, one thread) between them. Past
// four the largest problem alone (d = 1024 in a ResNet50, ~40% of the work) bounds the time.
const MAX_WORKERS = 4

/** One worker per core, at least one and at most MAX_WORKERS. */
export function defaultEigenvalueWorkers(): number {
  return Math.min(MAX_WORKERS, Math.max(1, availableParallelism()))
}

export interface Eigenvalues {
  /** Descending. */
  values: Float64Array
  /** Time the worker spent on this problem. */
  elapsedMs: number
}

interface Pending {
  cost: number
  order: number
  resolve: (result: Eigenvalues) => void
  reject: (error: Error) => void
}

/**
 * Worker threads that find the eigenvalues of symmetric PSD Grams (`psdEigenvalues`). A problem
 * goes at once to the worker with the least outstanding work (d³), so each worker keeps a backlog
 * while the engine's thread is blocked in ORT's run(). close() ends them and rejects what is left.
 */
export class EigenvaluePool {
  readonly #outstanding = new Map<Worker, Map<number, Pending>>()
  #nextId = 0
  #closed = false

  constructor(size: number = defaultEigenvalueWorkers(), script = DEFAULT_EIGENVALUE_WORKER) {
    if (!Number.isSafeInteger(size) || size < 1)
      throw new RangeError(`Worker count ${size} is not a positive integer.`)
    for (let i = 0; i < size; i += 1) this.#outstanding.set(this.#spawn(script), new Map())
  }

  /**
   * The eigenvalues of a d×d Gram (row-major). The Gram's memory moves to the worker when the array
   * spans its whole (unshared) buffer, leaving `gram` empty here; otherwise it is copied.
   */
  eigenvalues(gram: Float64Array, order: number): Promise<Eigenvalues> {
    if (this.#closed) return Promise.reject(new Error('The eigenvalue pool is closed.'))
    if (gram.length !== order * order) {
      const message = `A ${order}×${order} Gram holds ${order * order} values, got ${gram.length}.`
      return Promise.reject(new RangeError(message))
    }
    const worker = this.#leastLoaded()
    if (worker === null) return Promise.reject(new Error('Every eigenvalue worker has exited.'))
    const movable =
      gram.buffer instanceof ArrayBuffer &&
      gram.byteOffset === 0 &&
      gram.byteLength === gram.buffer.byteLength
    const task: EigenvalueTask = { id: this.#nextId++, gram: movable ? gram : gram.slice(), order }
    return new Promise((resolve, reject) => {
      // Posted first: a Gram that cannot be sent rejects here and leaves no task outstanding.
      worker.postMessage(task, [task.gram.buffer as ArrayBuffer])
      this.#outstanding.get(worker)!.set(task.id, { cost: order ** 3, order, resolve, reject })
      worker.ref()
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const workers = [...this.#outstanding.keys()]
    this.#rejectAll(new Error('The eigenvalue pool was closed.'))
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  #spawn(script: URL | string): Worker {
    const worker = new Worker(script)
    worker.on('message', (reply: EigenvalueReply) => this.#settle(worker, reply))
    worker.on('error', (error) => this.#fail(worker, `failed: ${sentence(error.message)}`))
    worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(worker, `exited with code ${code}.`)
    })
    worker.unref() // only a worker with outstanding problems keeps the process alive
    return worker
  }

  #leastLoaded(): Worker | null {
    let best: Worker | null = null
    let bestCost = Infinity
    for (const [worker, tasks] of this.#outstanding) {
      let cost = 0
      for (const pending of tasks.values()) cost += pending.cost
      if (cost < bestCost) [best, bestCost] = [worker, cost]
    }
    return best
  }

  #settle(worker: Worker, reply: EigenvalueReply): void {
    const tasks = this.#outstanding.get(worker)
    const pending = tasks?.get(reply.id)
    if (tasks === undefined || pending === undefined) return
    tasks.delete(reply.id)
    if (tasks.size === 0) worker.unref()
    if ('error' in reply) {
      const problem = `${pending.order}×${pending.order}`
      const message = `The eigenvalues of a ${problem} Gram could not be found: ${sentence(reply.error)}`
      pending.reject(new Error(message))
    } else pending.resolve({ values: reply.eigenvalues, elapsedMs: reply.elapsedMs })
  }

  #fail(worker: Worker, what: string): void {
    const tasks = this.#outstanding.get(worker)
    this.#outstanding.delete(worker)
    const error = new Error(`An eigenvalue worker thread ${what}`)
    for (const pending of tasks?.values() ?? []) pending.reject(error)
  }

  #rejectAll(error: Error): void {
    for (const tasks of this.#outstanding.values()) {
      for (const pending of tasks.values()) pending.reject(error)
      tasks.clear()
    }
  }
}

function sentence(reason: string): string {
  return reason.endsWith('.') ? reason : `${reason}.`
}
