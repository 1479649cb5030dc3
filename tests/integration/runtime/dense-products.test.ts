import { afterAll, describe, expect, it } from 'vitest'
import { choleskySolve } from '../../../native-models/analysis/linear-algebra/cholesky.ts'
import { javascriptProducts } from '../../../native-models/analysis/linear-algebra/dense-products.ts'
import { ortDenseProducts } from '../../../native-models/runtime/dense-products.ts'
import {
  maxRelativeDifference,
  randomFloat32Matrix,
  randomMatrix,
  randomSpdMatrix,
  relativeResidual,
} from '../../unit/analysis/helpers/random-matrices.ts'

// Small runs force several uneven row chunks and, from d = 768, several column blocks.
const products = ortDenseProducts({ intraOpNumThreads: 1, valuesPerRun: 100_000 })
afterAll(() => products.release())

/** Seeded integers in [−8, 8]: every product and sum below is exact in float64. */
function smallIntegers(length: number, seed: number): Float32Array {
  return randomFloat32Matrix(1, length, seed).map((value) => Math.round(value * 8))
}

describe('ortDenseProducts', () => {
  it('multiplies float64 matrices like the JS product, to 1e-12 relative', async () => {
    const [m, k, n] = [150, 130, 170]
    const a = randomMatrix(m, k, 1)
    const b = randomMatrix(k, n, 2)
    const ort = await products.multiply(a, b, m, k, n)
    const js = await javascriptProducts.multiply(a, b, m, k, n)
    expect(maxRelativeDifference(ort, js)).toBeLessThan(1e-12)
  })

  it('reads subarray views at their offset', async () => {
    const [m, k, n] = [90, 80, 70]
    const padded = randomMatrix(1, 7 + m * k, 3)
    const a = padded.subarray(7)
    const b = randomMatrix(k, n, 4)
    const ort = await products.multiply(a, b, m, k, n)
    expect(
      maxRelativeDifference(ort, await javascriptProducts.multiply(a, b, m, k, n)),
    ).toBeLessThan(1e-12)
  })

  it('forms xᵀx of float32 data in float64: within 1e-12 of the JS sum, and symmetric', async () => {
    const [m, d] = [301, 800]
    const x = randomFloat32Matrix(m, d, 5)
    const ort = await products.crossProduct(x, m, d)
    const js = await javascriptProducts.crossProduct(x, m, d)
    expect(maxRelativeDifference(ort, js)).toBeLessThan(1e-12)
    for (let i = 0; i < d; i += 97) {
      for (let j = 0; j < d; j += 89) expect(ort[i * d + j]).toBe(ort[j * d + i])
    }
  })

  it('forms xᵀx exactly when every product and sum is exact in float64', async () => {
    const [m, d] = [700, 300]
    const x = smallIntegers(m * d, 6)
    expect(await products.crossProduct(x, m, d)).toEqual(
      await javascriptProducts.crossProduct(x, m, d),
    )
  })

  it('forms aᵀb of float32 data in float64 across row chunks, within 1e-12 of the JS sum', async () => {
    const [m, p, q] = [2003, 200, 37]
    const a = randomFloat32Matrix(m, p, 7)
    const b = randomFloat32Matrix(m, q, 8)
    const ort = await products.transposedProduct(a, b, m, p, q)
    const js = await javascriptProducts.transposedProduct(a, b, m, p, q)
    expect(maxRelativeDifference(ort, js)).toBeLessThan(1e-12)
  })

  it('keeps float32 inputs exact: aᵀb of integers equals the exact sum', async () => {
    const [m, p, q] = [900, 120, 10]
    const a = smallIntegers(m * p, 9)
    const b = smallIntegers(m * q, 10)
    expect(await products.transposedProduct(a, b, m, p, q)).toEqual(
      await javascriptProducts.transposedProduct(a, b, m, p, q),
    )
  })

  it('gives choleskySolve the JS answer to 1e-10 relative on a 520×520 system of three blocks', async () => {
    const k = 520
    const a = randomSpdMatrix(k, 11, 0.01)
    const b = randomMatrix(k, 10, 12)
    const withOrt = await choleskySolve(a, k, b, 10, products)
    const withJs = await choleskySolve(a, k, b, 10, javascriptProducts)
    expect(maxRelativeDifference(withOrt, withJs)).toBeLessThan(1e-10)
    expect(relativeResidual(a, withOrt, b, k, 10)).toBeLessThan(1e-12)
  })

  it('rejects inputs whose length does not match their dimensions', async () => {
    await expect(products.crossProduct(new Float32Array(10), 3, 3)).rejects.toThrow(
      "Matrix 'x' should hold 3×3 = 9 values, got 10.",
    )
  })
})
