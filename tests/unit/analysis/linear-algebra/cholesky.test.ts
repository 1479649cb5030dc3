import { describe, expect, it } from 'vitest'
import { blockedCholeskySolve } from '../../../../native-models/analysis/linear-algebra/blocked-cholesky.ts'
import {
  UNBLOCKED_MAX_ORDER,
  choleskySolve,
  choleskySolveUnblocked,
} from '../../../../native-models/analysis/linear-algebra/cholesky.ts'
import { javascriptProducts } from '../../../../native-models/analysis/linear-algebra/dense-products.ts'
import {
  factorLowerInPlace,
  invertLower,
} from '../../../../native-models/analysis/linear-algebra/triangular.ts'
import {
  maxRelativeDifference,
  randomMatrix,
  randomSpdMatrix,
  relativeResidual,
} from '../helpers/random-matrices.ts'

// The classic worked example: A = L Lᵀ with L = [[2, 0, 0], [6, 1, 0], [−8, 5, 3]].
const HAND_A = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98)
const HAND_L = [2, 0, 0, 6, 1, 0, -8, 5, 3]
// X = [[1, 0], [−1, 2], [0.5, 1]] and B = A·X worked by hand.
const HAND_X = [1, 0, -1, 2, 0.5, 1]
const HAND_B = Float64Array.of(-16, 8, -46.5, 31, 76, 12)

describe('Cholesky factorization and solve', () => {
  it('factors the hand-worked 3×3 matrix into its known lower factor', () => {
    const lower = Float64Array.from(HAND_A)
    factorLowerInPlace(lower, 3, 0)
    expect(Array.from(lower)).toEqual(HAND_L)
  })

  it('solves the hand-worked 3×3 system for two right-hand sides', async () => {
    const x = await choleskySolve(HAND_A, 3, HAND_B, 2, javascriptProducts)
    x.forEach((value, i) => expect(value).toBeCloseTo(HAND_X[i], 13))
  })

  it('leaves A and B unmodified', async () => {
    const a = Float64Array.from(HAND_A)
    const b = Float64Array.from(HAND_B)
    await choleskySolve(a, 3, b, 2, javascriptProducts)
    expect(a).toEqual(HAND_A)
    expect(b).toEqual(HAND_B)
  })

  it('solves a random 400×400 system in blocks to a residual under 1e-12', async () => {
    const k = 400
    expect(k).toBeGreaterThan(UNBLOCKED_MAX_ORDER)
    const a = randomSpdMatrix(k, 1)
    const b = randomMatrix(k, 4, 2)
    const x = await choleskySolve(a, k, b, 4, javascriptProducts)
    expect(relativeResidual(a, x, b, k, 4)).toBeLessThan(1e-12)
  })

  it('gives the unblocked answer with a block size that does not divide k', async () => {
    const k = 53
    const a = randomSpdMatrix(k, 3, 0.01)
    const b = randomMatrix(k, 3, 4)
    const blocked = await blockedCholeskySolve(a, k, b, 3, javascriptProducts, 7)
    const unblocked = choleskySolveUnblocked(a, k, b, 3)
    expect(maxRelativeDifference(blocked, unblocked)).toBeLessThan(1e-11)
    expect(relativeResidual(a, blocked, b, k, 3)).toBeLessThan(1e-12)
  })

  it('names the non-positive pivot of an indefinite matrix', async () => {
    const indefinite = Float64Array.of(1, 0, 0, 0, 2, 0, 0, 0, -1)
    const solving = choleskySolve(indefinite, 3, Float64Array.of(1, 1, 1), 1, javascriptProducts)
    await expect(solving).rejects.toBeInstanceOf(RangeError)
    await expect(solving).rejects.toThrow('Matrix is not positive definite: pivot 2 is -1 (')
  })

  it('names the pivot by its global index when it falls in a later block', async () => {
    const k = 20
    const a = new Float64Array(k * k)
    for (let i = 0; i < k; i++) a[i * k + i] = i === 17 ? 0 : 1
    const b = new Float64Array(k)
    await expect(blockedCholeskySolve(a, k, b, 1, javascriptProducts, 8)).rejects.toThrow(
      /pivot 17 is 0 \(must be > 0\)/,
    )
  })

  it('rejects a right-hand side whose length does not match k × columns', async () => {
    await expect(
      choleskySolve(HAND_A, 3, new Float64Array(5), 2, javascriptProducts),
    ).rejects.toThrow(new RangeError("Matrix 'b' should hold 3×2 = 6 values, got 5."))
  })

  it('inverts a lower-triangular block: L · inv(L) = I', () => {
    const lower = randomSpdMatrix(9, 5)
    factorLowerInPlace(lower, 9, 0)
    const product = javascriptProducts.multiply(lower, invertLower(lower, 9), 9, 9, 9)
    return product.then((values) =>
      values.forEach((value, i) => expect(value).toBeCloseTo(i % 10 === 0 ? 1 : 0, 13)),
    )
  })
})
