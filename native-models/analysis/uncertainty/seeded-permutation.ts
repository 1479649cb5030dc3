import { createRandomStream } from './xoshiro128.ts'

/**
 * A seeded uniform permutation of 0..n−1: Fisher–Yates from the last position down, each swap
 * index drawn by `createRandomStream(seed).nextIndexBelow(i + 1)` (xoshiro128.ts states the
 * stream), so any language can replay it.
 * @example seededPermutation(5, 16) // Int32Array of 0..4 in a seeded order
 */
export function seededPermutation(n: number, seed: number): Int32Array {
  const random = createRandomStream(seed)
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = random.nextIndexBelow(i + 1)
    const swap = order[i]
    order[i] = order[j]
    order[j] = swap
  }
  return order
}
