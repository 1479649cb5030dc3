// Batches for a job that may use the persistent preprocessed-tensor cache: a warm cache is read as
// one file and batched from memory (no decode, no resample); a cold one is filled while the job
// runs its normal decoded batches, and renamed into place only once every batch has passed.
import { createHash } from 'node:crypto'
import type { CorruptionCell } from '../../electron/api/contract/index.ts'
import { join } from 'node:path'
import type { Preprocessing } from '../../electron/api/contract/index.ts'
import { createBatchLoader } from './batch-loader.ts'
import { planPreprocessing } from './preprocess.ts'
import { createTensorLoader } from './tensor-cache.ts'
import {
  createTensorCacheWriter,
  readTensorCacheFile,
  tensorCacheFileBytes,
} from './tensor-cache-file.ts'
import type { TensorCacheHeader } from './tensor-cache-file.ts'
import { recordWhileLoading } from './tensor-cache-recorder.ts'
import type { Batch, BatchLoader, Dataset, ResampleFilter } from './types.ts'

/** Bumped whenever preprocessing would give other floats for the same request. */
export const TENSOR_CACHE_VERSION = 1

// A warm cache is read whole into the engine's memory, so bigger selections are not cached
// (2 GiB ≈ 3,500 images at 3×224², 175,000 at 3×32²).
export const MAX_TENSOR_CACHE_BYTES = 2 * 1024 ** 3

/**
 * off: not asked for; hit: read from the cache; stored: decoded and written for next time;
 * miss: decoded, not (yet) written (the job stopped early, or the write failed); too-large: over
 * MAX_TENSOR_CACHE_BYTES, decoded every time.
 */
export type TensorCacheStatus = 'off' | 'hit' | 'stored' | 'miss' | 'too-large'

export interface TensorCacheReport {
  status: TensorCacheStatus
  file: string | null
  /** Why the cache could not be read or written; the job itself does not fail for it. */
  error?: string
}

export interface CachedBatchOptions {
  preprocessing: Preprocessing
  batchSize: number
  /** Folder of cache files; null: decode as usual, no cache. */
  cacheFolder: string | null
  /** Corrupted images are made anew each time (their cells are stored results instead). */
  corruption?: CorruptionCell | null
  filter?: ResampleFilter
}

export interface CachedBatches {
  loader: BatchLoader
  /** Read after the loader is done: 'miss' turns into 'stored' once the file is in place. */
  report(): TensorCacheReport
}

/**
 * sha256 naming dataset and preprocessing. The dataset fingerprint already covers the selection
 * (split, holdout, sample, limit, classes) and every selected file's bytes.
 */
export function tensorCacheKey(
  dataset: Dataset,
  preprocessing: Preprocessing,
  filter: ResampleFilter = 'bilinear',
): string {
  // Field by field: the same preprocessing names the same file whatever order its keys came in.
  const { resize, centerCrop, pad, grayToRgb, mean, std, inputSize } = preprocessing
  const identity = {
    version: TENSOR_CACHE_VERSION,
    fingerprint: dataset.info.fingerprint,
    size: dataset.size,
    channels: dataset.channels,
    preprocessing: { resize, centerCrop, pad, grayToRgb, mean, std, inputSize },
    filter,
  }
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex')
}

/** The job's batches, from the tensor cache when `cacheFolder` is given and it holds them. */
export async function openCachedBatches(
  dataset: Dataset,
  options: CachedBatchOptions,
): Promise<CachedBatches> {
  const decoded = (): BatchLoader =>
    createBatchLoader(dataset, {
      preprocessing: options.preprocessing,
      batchSize: options.batchSize,
      filter: options.filter,
      corruption: options.corruption ?? null,
    })
  if (options.cacheFolder === null || (options.corruption ?? null) !== null)
    return fixedReport(decoded(), { status: 'off', file: null })
  const header = cacheHeader(dataset, options)
  const file = join(options.cacheFolder, `${header.key}.tensors`)
  if (tensorCacheFileBytes(header) > MAX_TENSOR_CACHE_BYTES)
    return fixedReport(decoded(), { status: 'too-large', file: null })
  try {
    const tensors = await readTensorCacheFile(file, header)
    if (tensors !== null) {
      const loader = createTensorLoader(tensors, { batchSize: options.batchSize })
      return fixedReport(loader, { status: 'hit', file })
    }
    const writer = await createTensorCacheWriter(file, header)
    const content = (batch: Batch) => batch.images
    return recordWhileLoading(decoded(), writer, { file, header, labels: dataset.labels, content })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return fixedReport(decoded(), { status: 'miss', file: null, error: reason })
  }
}

function cacheHeader(dataset: Dataset, options: CachedBatchOptions): TensorCacheHeader {
  const plan = planPreprocessing(options.preprocessing, dataset.channels, options.filter)
  return {
    key: tensorCacheKey(dataset, options.preprocessing, options.filter),
    size: dataset.size,
    itemDims: [plan.channels, plan.height, plan.width],
  }
}

/** What a job records in its result's parameters: the status, and the reason when it failed. */
export function tensorCacheParameters(report: TensorCacheReport): Record<string, string> {
  const parameters: Record<string, string> = { tensorCache: report.status }
  if (report.error !== undefined) parameters.tensorCacheError = report.error
  return parameters
}

function fixedReport(loader: BatchLoader, report: TensorCacheReport): CachedBatches {
  return { loader, report: () => ({ ...report }) }
}
