import { describe, expect, it } from 'vitest'
import {
  multiplyRowsByRows,
  rowDot,
  rowViews,
} from '../../../../native-models/analysis/t3a/row-products.ts'
import { SeededRandom } from '../../../../native-models/surgery/prng.ts'

function randomMatrix(rows: number, dim: number, random: SeededRandom): Float64Array {
  return Float64Array.from({ length: rows * dim }, () => random.nextNormal())
}

/** One float64 sum in ascending j, written out plainly. */
function sequentialDot(a: Float64Array, ao: number, b: Float64Array, bo: number, dim: number) {
  let s = 0
  for (let j = 0; j < dim; j++) s += a[ao + j] * b[bo + j]
  return s
}

describe('row products', () => {
  it('equal a plain ascending sum bit for bit, whatever block a row or column falls in', () => {
    const random = new SeededRandom(4, 't3a-row-products')
    const dim = 37
    for (const aRows of [1, 2, 3, 5, 8])
      for (const bRows of [1, 2, 3, 4, 7, 10]) {
        const a = randomMatrix(aRows, dim, random)
        const b = randomMatrix(bRows, dim, random)
        const out = new Float64Array(aRows * bRows)
        multiplyRowsByRows(rowViews(a, aRows, dim), aRows, rowViews(b, bRows, dim), out)
        for (let i = 0; i < aRows; i++)
          for (let k = 0; k < bRows; k++)
            expect(out[i * bRows + k], `${aRows}×${bRows} [${i}, ${k}]`).toBe(
              sequentialDot(a, i * dim, b, k * dim, dim),
            )
      }
  })

  it('uses only the first aCount rows and leaves the rest of the output alone', () => {
    const a = Float64Array.from([1, 2, 3, 4, 5, 6])
    const b = Float64Array.from([1, 0, 0, 1])
    const out = new Float64Array(6).fill(-1)
    multiplyRowsByRows(rowViews(a, 3, 2), 2, rowViews(b, 2, 2), out)
    expect([...out]).toEqual([1, 2, 3, 4, -1, -1])
  })

  it('refuses rows of different lengths', () => {
    const rows = [new Float64Array(3), new Float64Array(2)]
    expect(() => multiplyRowsByRows(rows, 2, [new Float64Array(3)], new Float64Array(2))).toThrow(
      /one length: 2 ≠ 3/,
    )
  })

  it('computes a dot product of two rows', () => {
    expect(rowDot(Float64Array.from([1, 2, 3]), Float64Array.from([4, 5, 6]))).toBe(32)
  })
})
