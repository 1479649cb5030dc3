import type { CkaGramsRequest, Preprocessing } from '../../../../electron/api/contract/index.ts'
import { createBatchLoader } from '../../../data/batch-loader.ts'
import type { Dataset } from '../../../data/index.ts'
import { openCachedBatches } from '../../../data/tensor-cache-batches.ts'
import type { CachedBatches } from '../../../data/tensor-cache-batches.ts'
import { datasetInOrder } from './batch-order.ts'
import type { BatchOrder } from './batch-order.ts'

/**
 * The batches of a Gram job: the selection in the pinned order, batch after batch of n. Clean
 * images may come from the tensor cache; corrupted ones are made anew, each image's draws seeded
 * by its position in the selection, so the image equals what a sweep's cell evaluates and the
 * clean and corrupted Grams are of the same images in the same order.
 */
export async function openGramBatches(
  selection: Dataset,
  order: BatchOrder,
  options: { request: CkaGramsRequest; preprocessing: Preprocessing; cacheFolder: string | null },
): Promise<CachedBatches> {
  const corruption = options.request.corruption ?? null
  if (corruption === null)
    return openCachedBatches(datasetInOrder(selection, order), {
      preprocessing: options.preprocessing,
      batchSize: order.n,
      cacheFolder: options.cacheFolder,
    })
  const loader = createBatchLoader(selection, {
    preprocessing: options.preprocessing,
    batchSize: order.n,
    order: Array.from(order.positions),
    corruption,
  })
  return { loader, report: () => ({ status: 'off', file: null }) }
}
