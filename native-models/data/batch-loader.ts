import type { PreprocessPlan } from './preprocess.ts'
import { planPreprocessing } from './preprocess.ts'
import type { NamedSource, PreparedItems } from './preprocess-items.ts'
import { preprocessItems, preprocessPixelsNow } from './preprocess-items.ts'
import type { Batch, BatchLoader, BatchLoaderOptions, Dataset } from './types.ts'
import { PreprocessPool, defaultWorkerCount } from './worker-pool.ts'

/** Splits `order` into batches of `batchSize` (the last one partial unless dropped). */
export function batchPositions(
  order: readonly number[],
  batchSize: number,
  dropLast: boolean,
): number[][] {
  const batches: number[][] = []
  for (let start = 0; start < order.length; start += batchSize) {
    const positions = order.slice(start, start + batchSize)
    if (positions.length < batchSize && dropLast) break
    batches.push(positions)
  }
  return batches
}

function checkedOrder(dataset: Dataset, options: BatchLoaderOptions): number[] {
  if (!Number.isSafeInteger(options.batchSize) || options.batchSize < 1) {
    throw new RangeError(`Batch size ${options.batchSize} is not a positive integer.`)
  }
  const order = options.order ?? Array.from({ length: dataset.size }, (_, i) => i)
  const outside = order.find((p) => !Number.isInteger(p) || p < 0 || p >= dataset.size)
  if (outside !== undefined)
    throw new RangeError(`Position ${outside} is outside the dataset's ${dataset.size} images.`)
  return [...order]
}

function chooseWorkers(dataset: Dataset, options: BatchLoaderOptions): number {
  if (options.workers !== undefined) return options.workers
  const isHeavy = (options.corruption ?? null) !== null
  return dataset.size > 0 && (isHeavy || dataset.source(0).kind === 'file')
    ? defaultWorkerCount()
    : 0
}

function chunks<T>(items: readonly T[], count: number): T[][] {
  const size = Math.ceil(items.length / count)
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  )
}

function concatenate<T extends Float32Array | Uint8Array>(
  parts: readonly T[],
  allocate: (length: number) => T,
): T {
  if (parts.length === 1) return parts[0]
  const joined = allocate(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    joined.set(part, offset)
    offset += part.length
  }
  return joined
}

type Prepare = (items: NamedSource[]) => Promise<PreparedItems>

function preparer(plan: PreprocessPlan, pool: PreprocessPool | null, keepShaped: boolean): Prepare {
  if (pool === null) {
    return (items) =>
      plan.corruption === null && items.every((item) => item.source.kind === 'pixels')
        ? Promise.resolve({ images: preprocessPixelsNow(items, plan), shaped: null })
        : preprocessItems(items, plan, keepShaped)
  }
  // Two chunks per worker per batch keep every worker busy when images take unequal time.
  return async (items) => {
    const parts = await Promise.all(
      chunks(items, pool.size * 2).map((chunk) => pool.run(plan, chunk, keepShaped)),
    )
    const images = concatenate(
      parts.map((part) => part.images),
      (length) => new Float32Array(length),
    )
    if (!keepShaped) return { images, shaped: null }
    const shaped = concatenate(
      parts.map((part) => part.shaped!),
      (length) => new Uint8Array(length),
    )
    return { images, shaped }
  }
}

/**
 * Batches of a dataset in the given order, preprocessed into NCHW float32. Files are decoded and
 * resampled in a worker-thread pool (in-memory IDX/NPY pixels in the caller's thread by default) and
 * the next `prefetch` batches are prepared while the caller runs the current one. Iterable many
 * times (the same batches each time); `close()` releases the workers.
 * @example for await (const batch of loader) session.run({ input: tensor(batch.images, batch.dims) })
 */
export function createBatchLoader(dataset: Dataset, options: BatchLoaderOptions): BatchLoader {
  const batches = batchPositions(
    checkedOrder(dataset, options),
    options.batchSize,
    options.dropLast ?? false,
  )
  const plan = planPreprocessing(
    options.preprocessing,
    dataset.channels,
    options.filter,
    options.corruption ?? null,
  )
  const workers = chooseWorkers(dataset, options)
  const pool = workers > 0 ? new PreprocessPool(workers, options.workerScript) : null
  const prepare = preparer(plan, pool, options.keepShaped ?? false)
  const prefetch = Math.max(0, options.prefetch ?? 1)
  const load = async (positions: number[]): Promise<Batch> => {
    const items = positions.map((p) => ({
      source: dataset.source(p),
      name: dataset.describe(p),
      position: p,
    }))
    const { images, shaped } = await prepare(items)
    return {
      images,
      dims: [positions.length, plan.channels, plan.height, plan.width],
      labels: Int32Array.from(positions, (p) => dataset.labels[p]),
      positions,
      ...(shaped === null ? {} : { shaped }),
    }
  }
  const release = async (): Promise<void> => {
    await pool?.close()
  }
  return prefetchingLoader(batches, load, options.batchSize, release, prefetch)
}

/** A BatchLoader over precomputed batch positions: `load` runs up to `prefetch` batches ahead. */
export function prefetchingLoader(
  batches: readonly number[][],
  load: (positions: number[]) => Promise<Batch>,
  batchSize: number,
  release: () => Promise<void>,
  prefetch = 1,
): BatchLoader {
  let closed = false
  return {
    batchSize,
    batchCount: batches.length,
    async *[Symbol.asyncIterator]() {
      const pending: Promise<Batch>[] = []
      const start = (index: number): void => {
        if (index >= batches.length || closed) return
        const batch = load(batches[index])
        batch.catch(() => undefined) // rejections surface when the batch is awaited
        pending.push(batch)
      }
      for (let i = 0; i <= prefetch; i += 1) start(i)
      for (let index = 0; index < batches.length && !closed; index += 1) {
        const batch = await pending.shift()!
        start(index + prefetch + 1)
        yield batch
      }
    },
    async close() {
      closed = true
      await release()
    },
  }
}
