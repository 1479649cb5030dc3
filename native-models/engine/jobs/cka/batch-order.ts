import { createHash } from 'node:crypto'
import type { Dataset } from '../../../data/index.ts'
import { seededPermutation } from '../../../data/selection.ts'

export interface BatchOrder {
  /** Positions in the selection, batch after batch: batches × n of them. */
  positions: Int32Array
  n: number
  batches: number
  dropped: number
  sha256: string
}

/** A seeded shuffle of the selection cut into whole batches of n; the remainder is dropped. */
export function pinnedBatchOrder(size: number, n: number, seed: number): BatchOrder {
  const batches = Math.floor(size / n)
  const positions = seededPermutation(size, seed, 'cka-batch-order').slice(0, batches * n)
  const sha256 = createHash('sha256')
    .update(new Uint8Array(positions.buffer, positions.byteOffset, positions.byteLength))
    .digest('hex')
  return { positions, n, batches, dropped: size - batches * n, sha256 }
}

/**
 * The dataset seen through the batch order: position i is the selection's `positions[i]`. Its
 * fingerprint includes the order, so the tensor cache never mixes the two orders.
 */
export function datasetInOrder(dataset: Dataset, order: BatchOrder): Dataset {
  const at = (i: number): number => order.positions[i]
  const fingerprint = createHash('sha256')
    .update(`${dataset.info.fingerprint}:cka-order:${order.sha256}`)
    .digest('hex')
  return {
    ...dataset,
    info: { ...dataset.info, fingerprint, numImages: order.positions.length },
    size: order.positions.length,
    labels: Int32Array.from(order.positions, (p) => dataset.labels[p]),
    describe: (i) => dataset.describe(at(i)),
    source: (i) => dataset.source(at(i)),
  }
}
