import { assertMatrixLength } from './dense-products.ts'
import type { DenseProducts } from './dense-products.ts'
import { blockedCholeskySolve } from './blocked-cholesky.ts'
import {
  backSubstituteInPlace,
  factorLowerInPlace,
  forwardSubstituteInPlace,
} from './triangular.ts'

/**
 * Block order of the blocked factorization, and the largest order solved unblocked in JS. Measured
 * on the 2-core dev VM with ORT products (best CPU ms of 5, 10 right-hand sides): unblocked JS
 * 13 / 35 / 218 at k = 384 / 512 / 1024 against blocked 14 / 18 / 57; at k = 2048 blocks of
 * 128 / 192 / 256 took 284 / 239 / 297. Larger blocks move O(k·b²) work into the JS diagonal
 * factorizations, smaller ones add ORT runs.
 */
export const CHOLESKY_BLOCK_SIZE = 192
export const UNBLOCKED_MAX_ORDER = 384

/**
 * Solves A X = B for a symmetric positive definite A (k×k, row-major, not modified) and
 * B (k×columns, row-major); returns X (k×columns). Large systems run blocked, with the O(k³)
 * products on `products`. Throws a RangeError naming the first non-positive pivot.
 * @example choleskySolve(gram, 2048, targets, 10, ortProducts) // ridge weights, 2048×10
 */
export async function choleskySolve(
  a: Float64Array,
  k: number,
  b: Float64Array,
  columns: number,
  products: DenseProducts,
): Promise<Float64Array> {
  assertMatrixLength('a', a, k, k)
  assertMatrixLength('b', b, k, columns)
  if (k <= UNBLOCKED_MAX_ORDER) return choleskySolveUnblocked(a, k, b, columns)
  return blockedCholeskySolve(a, k, b, columns, products, CHOLESKY_BLOCK_SIZE)
}

/** The same solve entirely in JS (k³/6 multiply-adds); exact reference for the blocked one. */
export function choleskySolveUnblocked(
  a: Float64Array,
  k: number,
  b: Float64Array,
  columns: number,
): Float64Array {
  assertMatrixLength('a', a, k, k)
  assertMatrixLength('b', b, k, columns)
  const lower = a.slice()
  factorLowerInPlace(lower, k, 0)
  const x = b.slice()
  forwardSubstituteInPlace(lower, k, x, columns)
  backSubstituteInPlace(lower, k, x, columns)
  return x
}
