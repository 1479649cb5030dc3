import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { DatasetError } from './errors.ts'
import type { DatasetErrorCode } from './errors.ts'
import type { PreprocessPlan } from './preprocess.ts'
import type { NamedSource, PreparedItems } from './preprocess-items.ts'
import type { PreprocessReply, PreprocessTask, SerializedError } from './worker-protocol.ts'

/** One core stays with the engine's thread (ORT); the rest decode and resample. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1)
}

// A bundled desktop app builds the worker as its own file and names it here (electron/main).
export const DEFAULT_WORKER_SCRIPT: URL | string =
  process.env['RESNET_WORKBENCH_PREPROCESS_WORKER'] ??
  new URL('./preprocess-worker.ts', import.meta.url)

interface Pending {
  task: PreprocessTask
  resolve: (prepared: PreparedItems) => void
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

// Pixels are copied out of their (possibly 47 MB) backing buffer: structured clone would send it
// whole. A constructor copy, not slice(): a Node Buffer's slice() is a view of the same memory.
// The position stays: it seeds the image's corruption draws.
function detached(item: NamedSource): NamedSource {
  if (item.source.kind === 'file') return item
  const pixels = item.source.image.data
  const data = pixels instanceof Float32Array ? new Float32Array(pixels) : new Uint8Array(pixels)
  return { ...item, source: { kind: 'pixels', image: { ...item.source.image, data } } }
}

/**
 * A fixed set of worker threads. Tasks are posted at once to the least-loaded worker, so each worker
 * holds a backlog and keeps going while the engine's thread is blocked in ORT's run(); dispatching
 * on replies instead would need that thread to be free between chunks.
 */
export class PreprocessPool {
  readonly size: number
  readonly #outstanding = new Map<Worker, Map<number, Pending>>()
  #nextId = 0
  #closed = false

  constructor(size: number, script: URL | string = DEFAULT_WORKER_SCRIPT) {
    if (!Number.isSafeInteger(size) || size < 1)
      throw new RangeError(`Worker count ${size} is not a positive integer.`)
    this.size = size
    for (let i = 0; i < size; i += 1) this.#outstanding.set(this.#spawn(script), new Map())
  }

  #spawn(script: URL | string): Worker {
    const worker = new Worker(script)
    worker.on('message', (reply: PreprocessReply) => this.#settle(worker, reply))
    worker.on('error', (error) => this.#fail(worker, error))
    worker.on('exit', (code) => {
      if (!this.#closed)
        this.#fail(worker, new Error(`A preprocessing worker exited with code ${code}.`))
    })
    worker.unref() // only a worker with outstanding tasks keeps the process alive
    return worker
  }

  #leastLoaded(): Worker | null {
    let best: Worker | null = null
    for (const [worker, tasks] of this.#outstanding) {
      if (best === null || tasks.size < this.#outstanding.get(best)!.size) best = worker
    }
    return best
  }

  run(
    plan: PreprocessPlan,
    items: readonly NamedSource[],
    keepShaped = false,
  ): Promise<PreparedItems> {
    if (this.#closed) return Promise.reject(new Error('The preprocessing pool is closed.'))
    const worker = this.#leastLoaded()
    if (worker === null) return Promise.reject(new Error('Every preprocessing worker has exited.'))
    return new Promise((resolve, reject) => {
      const task = { id: this.#nextId++, plan, items: items.map(detached), keepShaped }
      this.#outstanding.get(worker)!.set(task.id, { task, resolve, reject })
      worker.ref()
      worker.postMessage(task)
    })
  }

  #settle(worker: Worker, reply: PreprocessReply): void {
    const tasks = this.#outstanding.get(worker)
    const pending = tasks?.get(reply.id)
    if (tasks === undefined || pending === undefined) return
    tasks.delete(reply.id)
    if (tasks.size === 0) worker.unref()
    if ('error' in reply) pending.reject(revive(reply.error))
    else pending.resolve({ images: reply.images, shaped: reply.shaped })
  }

  #fail(worker: Worker, error: Error): void {
    const tasks = this.#outstanding.get(worker)
    this.#outstanding.delete(worker)
    for (const pending of tasks?.values() ?? []) pending.reject(error)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const error = new Error('The preprocessing pool was closed.')
    const workers = [...this.#outstanding.keys()]
    for (const tasks of this.#outstanding.values()) for (const p of tasks.values()) p.reject(error)
    this.#outstanding.clear()
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}
