import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { DatasetError } from './errors.ts'
import type { DatasetErrorCode } from './errors.ts'
import type { PreprocessPlan } from './preprocess.ts'
import type { NamedSource } from './preprocess-items.ts'
import type { PreprocessReply, PreprocessTask, SerializedError } from './worker-protocol.ts'

/** One core stays with the engine's thread (ORT); the rest decode and resample. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1)
}

export const DEFAULT_WORKER_SCRIPT = new URL('./preprocess-worker.ts', import.meta.url)

interface Pending {
  task: PreprocessTask
  resolve: (images: Float32Array) => void
  reject: (error: Error) => void
}

const DATASET_CODES = new Set<string>([
  'NOT_FOUND',
  'DATASET_EMPTY',
  'DATASET_MALFORMED',
  'IMAGE_UNREADABLE',
  'SHAPE_MISMATCH',
  'INVALID_ARGUMENT',
])

function revive(error: SerializedError): Error {
  if (error.code !== null && DATASET_CODES.has(error.code)) {
    return new DatasetError(error.code as DatasetErrorCode, error.message)
  }
  return new Error(`A preprocessing worker failed: ${error.message}`)
}

// Pixels are copied out of their (possibly 47 MB) backing buffer: structured clone would send it whole.
function detached(item: NamedSource): NamedSource {
  if (item.source.kind === 'file') return item
  const image = { ...item.source.image, data: item.source.image.data.slice() }
  return { name: item.name, source: { kind: 'pixels', image } }
}

/** A fixed set of worker threads running preprocessing tasks first come, first served. */
export class PreprocessPool {
  readonly size: number
  readonly #idle: Worker[] = []
  readonly #busy = new Map<Worker, Pending>()
  readonly #queue: Pending[] = []
  #nextId = 0
  #closed = false

  constructor(size: number, script: URL | string = DEFAULT_WORKER_SCRIPT) {
    if (!Number.isSafeInteger(size) || size < 1)
      throw new RangeError(`Worker count ${size} is not a positive integer.`)
    this.size = size
    for (let i = 0; i < size; i += 1) this.#idle.push(this.#spawn(script))
  }

  #spawn(script: URL | string): Worker {
    const worker = new Worker(script)
    worker.on('message', (reply: PreprocessReply) => this.#settle(worker, reply))
    worker.on('error', (error) => this.#fail(worker, error))
    worker.on('exit', (code) => {
      if (!this.#closed)
        this.#fail(worker, new Error(`A preprocessing worker exited with code ${code}.`))
    })
    worker.unref()
    return worker
  }

  run(plan: PreprocessPlan, items: readonly NamedSource[]): Promise<Float32Array> {
    if (this.#closed) return Promise.reject(new Error('The preprocessing pool is closed.'))
    return new Promise((resolve, reject) => {
      const task = { id: this.#nextId++, plan, items: items.map(detached) }
      this.#queue.push({ task, resolve, reject })
      this.#dispatch()
    })
  }

  #dispatch(): void {
    if (this.#idle.length + this.#busy.size === 0) {
      const error = new Error('Every preprocessing worker has exited.')
      for (const queued of this.#queue.splice(0)) queued.reject(error)
    }
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop()!
      const pending = this.#queue.shift()!
      this.#busy.set(worker, pending)
      worker.ref() // a busy worker keeps the process alive; idle ones do not
      worker.postMessage(pending.task)
    }
  }

  #settle(worker: Worker, reply: PreprocessReply): void {
    const pending = this.#busy.get(worker)
    this.#busy.delete(worker)
    worker.unref()
    this.#idle.push(worker)
    if (pending !== undefined) {
      if ('error' in reply) pending.reject(revive(reply.error))
      else pending.resolve(reply.images)
    }
    this.#dispatch()
  }

  #fail(worker: Worker, error: Error): void {
    const pending = this.#busy.get(worker)
    this.#busy.delete(worker)
    pending?.reject(error)
    // A dead worker cannot take more tasks: fail the queue rather than hang.
    for (const queued of this.#queue.splice(0)) queued.reject(error)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const error = new Error('The preprocessing pool was closed.')
    for (const queued of this.#queue.splice(0)) queued.reject(error)
    for (const pending of this.#busy.values()) pending.reject(error)
    const workers = [...this.#idle, ...this.#busy.keys()]
    this.#idle.length = 0
    this.#busy.clear()
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}
