import type { Dataset } from '../../../data/index.ts'
import { openCachedBatches } from '../../../data/tensor-cache-batches.ts'
import type { Batch } from '../../../data/types.ts'
import type { Preprocessing } from '../../../../electron/api/contract/index.ts'

/** Preprocessed batches up to this size stay in memory for every pass (2,000 images at 224² do not). */
const IN_MEMORY_LIMIT_BYTES = 512 * 1024 ** 2

export interface ImagePasses {
  /** The same batches again, for one more model. */
  pass(): AsyncIterable<Batch>
  close(): Promise<void>
}

/**
 * The preprocessed images, many times over: decoded once and kept when they fit in memory,
 * otherwise read again each pass (from the tensor cache when the request allows it).
 */
export async function imagePasses(
  dataset: Dataset,
  options: { preprocessing: Preprocessing; batchSize: number; cacheFolder: string | null },
  bytesPerImage: number,
): Promise<ImagePasses> {
  if (dataset.size * bytesPerImage > IN_MEMORY_LIMIT_BYTES) {
    return {
      async *pass() {
        const { loader } = await openCachedBatches(dataset, options)
        try {
          yield* loader
        } finally {
          await loader.close()
        }
      },
      close: () => Promise.resolve(),
    }
  }
  const kept: Batch[] = []
  const { loader } = await openCachedBatches(dataset, options)
  try {
    for await (const batch of loader) kept.push(batch)
  } finally {
    await loader.close()
  }
  return { pass: () => asyncIterableOf(kept), close: () => Promise.resolve() }
}

function asyncIterableOf<T>(items: readonly T[]): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      const iterator = items[Symbol.iterator]()
      return { next: () => Promise.resolve(iterator.next()) }
    },
  }
}
