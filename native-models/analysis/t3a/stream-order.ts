import type { T3aRequest } from '../../../electron/api/contract/index.ts'
import { seededPermutation } from '../uncertainty/seeded-permutation.ts'

/** 'shuffle': a seeded permutation, stored with the result; 'dataset': file order. */
export type T3aStreamOrder = T3aRequest['order']

/**
 * A permutation of 0..count − 1 from `seed`: Fisher–Yates from the last position down, swapping
 * position i with createRandomStream(seed).nextIndexBelow(i + 1) (xoshiro128.ts states the
 * stream, so the order can be replayed anywhere). The same seed and count give the same order.
 * @example seededStreamOrder(5, 16) // Int32Array of 0..4 in a seeded order
 */
export function seededStreamOrder(count: number, seed: number): Int32Array {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`The stream length must be a non-negative integer, got ${count}.`)
  return seededPermutation(count, seed)
}

/** The order T3A sees `count` images in: stream position p holds dataset image order[p]. */
export function streamOrder(count: number, order: T3aStreamOrder): Int32Array {
  if (order.kind === 'shuffle') return seededStreamOrder(count, order.seed)
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`The stream length must be a non-negative integer, got ${count}.`)
  return Int32Array.from({ length: count }, (_, i) => i)
}

/**
 * Features (count × dim, row-major) and labels rearranged into stream order: row p is image
 * order[p]. The inputs are not changed.
 */
export function orderedStream(
  features: Float32Array,
  labels: Int32Array,
  dim: number,
  order: Int32Array,
): { features: Float32Array; labels: Int32Array } {
  const count = labels.length
  if (features.length !== count * dim)
    throw new RangeError(
      `Features hold ${features.length} values, expected ${count} labels × d = ${count * dim}.`,
    )
  if (order.length !== count)
    throw new RangeError(`The order has ${order.length} positions for ${count} images.`)
  const seen = new Uint8Array(count)
  const streamFeatures = new Float32Array(features.length)
  const streamLabels = new Int32Array(count)
  for (const [position, image] of order.entries()) {
    if (!(image >= 0 && image < count) || seen[image] === 1)
      throw new RangeError(
        `The order is not a permutation of 0..${count - 1}: '${image}' at position ${position}.`,
      )
    seen[image] = 1
    streamFeatures.set(features.subarray(image * dim, (image + 1) * dim), position * dim)
    streamLabels[position] = labels[image]
  }
  return { features: streamFeatures, labels: streamLabels }
}
