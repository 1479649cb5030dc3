// Batches for one corruption cell of a sweep, from the decoded-image cache: the first cell decodes
// the source files and keeps each image as the corruption received it (after resize and crop,
// uint8 RGB); every later cell on the same selection and geometry reads that file and only
// corrupts and normalises, so a sweep decodes each image once instead of once per cell.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { CorruptionCell, Preprocessing } from '../../electron/api/contract/index.ts'
import { createBatchLoader } from './batch-loader.ts'
import {
  createDecodedCacheWriter,
  decodedCacheFileBytes,
  readDecodedCacheFile,
} from './decoded-cache-file.ts'
import type { DecodedCacheHeader } from './decoded-cache-file.ts'
import { planPreprocessing } from './preprocess.ts'
import type { CachedBatches, TensorCacheReport } from './tensor-cache-batches.ts'
import { MAX_TENSOR_CACHE_BYTES } from './tensor-cache-batches.ts'
import { recordWhileLoading } from './tensor-cache-recorder.ts'
import type { Batch, BatchLoader, Dataset, ResampleFilter } from './types.ts'

/** Bumped whenever decoding, resize or crop would give other bytes for the same request. */
export const DECODED_CACHE_VERSION = 1

export interface CorruptedBatchOptions {
  preprocessing: Preprocessing
  batchSize: number
  corruption: CorruptionCell
  /** Folder of decoded-image cache files; null: decode in every cell. */
  cacheFolder: string | null
  filter?: ResampleFilter
  workers?: number
}

/**
 * sha256 naming the selection and the geometry before the corruption; normalisation, the cell and
 * the padding's place are not part of it (they act after).
 */
export function decodedCacheKey(
  dataset: Dataset,
  preprocessing: Preprocessing,
  filter: ResampleFilter = 'bilinear',
): string {
  const { resize, centerCrop, pad, inputSize } = preprocessing
  const identity = {
    version: DECODED_CACHE_VERSION,
    ...{ fingerprint: dataset.info.fingerprint, size: dataset.size, channels: dataset.channels },
    ...{ geometry: { resize, centerCrop, pad, inputSize }, filter },
  }
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex')
}

/**
 * A corruption cell's batches, bit-identical with or without the cache. Only image files are
 * cached (in-memory IDX/NPY pixels have nothing to decode); the report says hit, stored, miss,
 * too-large or off.
 */
export async function openCorruptedBatches(
  dataset: Dataset,
  options: CorruptedBatchOptions,
): Promise<CachedBatches> {
  const plan = planPreprocessing(
    options.preprocessing,
    dataset.channels,
    options.filter,
    options.corruption,
  )
  const loaderOptions = {
    ...{ preprocessing: options.preprocessing, batchSize: options.batchSize },
    ...{ corruption: options.corruption, filter: options.filter, workers: options.workers },
  }
  const decoded = (keepShaped = false): BatchLoader =>
    createBatchLoader(dataset, { ...loaderOptions, keepShaped })
  const isFiles = dataset.size > 0 && dataset.source(0).kind === 'file'
  if (options.cacheFolder === null || !isFiles) return fixed(decoded(), 'off', null)
  const pad = plan.preprocessing.pad
  const header: DecodedCacheHeader = {
    key: decodedCacheKey(dataset, options.preprocessing, options.filter),
    size: dataset.size,
    itemDims: [plan.height - 2 * pad, plan.width - 2 * pad, 3],
  }
  if (decodedCacheFileBytes(header) > MAX_TENSOR_CACHE_BYTES)
    return fixed(decoded(), 'too-large', null)
  const file = join(options.cacheFolder, `${header.key}.decoded`)
  try {
    const images = await readDecodedCacheFile(file, header)
    if (images !== null) {
      const shaped = shapedDataset(dataset, images, header.itemDims)
      const loader = createBatchLoader(shaped, {
        ...loaderOptions,
        preprocessing: { ...options.preprocessing, resize: null, centerCrop: null },
      })
      return fixed(loader, 'hit', file)
    }
    const writer = await createDecodedCacheWriter(file, header)
    const content = (batch: Batch) => batch.shaped!
    return recordWhileLoading(decoded(true), writer, {
      ...{ file, header, labels: dataset.labels, content },
    })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { loader: decoded(), report: () => ({ status: 'miss', file: null, error: reason }) }
  }
}

/** The dataset with each item's pixels taken from the cache, already resized and cropped. */
function shapedDataset(
  dataset: Dataset,
  images: Uint8Array,
  [height, width, channels]: DecodedCacheHeader['itemDims'],
): Dataset {
  const length = height * width * channels
  return {
    ...{ info: dataset.info, size: dataset.size, labels: dataset.labels, channels },
    ...{ warnings: dataset.warnings, describe: (p) => dataset.describe(p) },
    source: (p) => {
      const data = images.subarray(p * length, (p + 1) * length)
      return { kind: 'pixels', image: { data, width, height, channels } }
    },
  }
}

/** What a corrupted cell records in its result's parameters. */
export function decodedCacheParameters(report: TensorCacheReport): Record<string, string> {
  const parameters: Record<string, string> = { decodedImageCache: report.status }
  if (report.error !== undefined) parameters.decodedImageCacheError = report.error
  return parameters
}

function fixed(
  loader: BatchLoader,
  status: TensorCacheReport['status'],
  file: string | null,
): CachedBatches {
  return { loader, report: () => ({ status, file }) }
}
