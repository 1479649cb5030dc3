import { describe, expect, it } from 'vitest'
import { symmetricEigen } from '../../../../native-models/analysis/linear-algebra/symmetric-eigen.ts'
import { randomSpdMatrix } from '../helpers/random-matrices.ts'

function symmetricMatrix(d: number, seed: number): Float64Array {
  const a = randomSpdMatrix(d, seed, 0)
  for (let i = 0; i < d; i++) a[i * d + i] -= 0.5 // some eigenvalues negative
  return a
}

/** max |(A·V − V·Λ)[i, j]| / max |A|. */
function eigenResidual(a: Float64Array, values: Float64Array, vectors: Float64Array, d: number) {
  let worst = 0
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let av = 0
      for (let p = 0; p < d; p++) av += a[i * d + p] * vectors[p * d + j]
      worst = Math.max(worst, Math.abs(av - vectors[i * d + j] * values[j]))
    }
  }
  return worst / Math.max(...a.map(Math.abs))
}

/** max |(VᵀV − I)[i, j]|. */
function orthonormalityError(vectors: Float64Array, d: number): number {
  let worst = 0
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let dot = 0
      for (let p = 0; p < d; p++) dot += vectors[p * d + i] * vectors[p * d + j]
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)))
    }
  }
  return worst
}

describe('symmetric eigendecomposition', () => {
  it('finds the hand-worked eigenpairs of [[2, 1], [1, 2]], largest first', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2)
    expect(values[0]).toBeCloseTo(3, 14)
    expect(values[1]).toBeCloseTo(1, 14)
    const h = Math.SQRT1_2
    // Columns: (1, 1)/√2 for 3 and (1, −1)/√2 for 1, each with its first largest entry positive.
    ;[h, h, h, -h].forEach((value, i) => expect(vectors[i]).toBeCloseTo(value, 14))
  })

  it('satisfies A·V = V·Λ with orthonormal V on a random 60×60 matrix', () => {
    const d = 60
    const a = symmetricMatrix(d, 11)
    const { values, vectors } = symmetricEigen(a, d)
    expect(eigenResidual(a, values, vectors, d)).toBeLessThan(1e-13)
    expect(orthonormalityError(vectors, d)).toBeLessThan(1e-13)
    expect(values.some((value) => value < 0)).toBe(true)
  })

  it('returns the eigenvalues in descending order and their sum as the trace', () => {
    const d = 30
    const a = symmetricMatrix(d, 12)
    const { values } = symmetricEigen(a, d)
    for (let j = 1; j < d; j++) expect(values[j]).toBeLessThanOrEqual(values[j - 1])
    let trace = 0
    for (let i = 0; i < d; i++) trace += a[i * d + i]
    expect(values.reduce((sum, value) => sum + value, 0)).toBeCloseTo(trace, 12)
  })

  it('makes the largest-magnitude entry of every eigenvector positive', () => {
    const d = 25
    const { vectors } = symmetricEigen(symmetricMatrix(d, 13), d)
    for (let j = 0; j < d; j++) {
      const column = Array.from({ length: d }, (_, i) => vectors[i * d + j])
      const largest = column.reduce((best, value) =>
        Math.abs(value) > Math.abs(best) ? value : best,
      )
      expect(largest).toBeGreaterThan(0)
    }
  })

  it('keeps an orthonormal basis for a repeated eigenvalue', () => {
    const d = 5
    const a = new Float64Array(d * d)
    for (let i = 0; i < d; i++) a[i * d + i] = i < 3 ? 2 : 7
    const { values, vectors } = symmetricEigen(a, d)
    expect(Array.from(values)).toEqual([7, 7, 2, 2, 2])
    expect(orthonormalityError(vectors, d)).toBeLessThan(1e-15)
  })

  it('leaves the input matrix unmodified', () => {
    const a = symmetricMatrix(8, 14)
    const copy = a.slice()
    symmetricEigen(a, 8)
    expect(a).toEqual(copy)
  })

  it('rejects a matrix whose length is not d × d', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(
      new RangeError("Matrix 'a' should hold 2×2 = 4 values, got 5."),
    )
  })
})
