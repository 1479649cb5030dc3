import { describe, expect, it } from 'vitest'
import { symmetricEigen } from '../../../../native-models/analysis/linear-algebra/symmetric-eigen.ts'
import { psdEigenvalues } from '../../../../native-models/analysis/linear-algebra/symmetric-eigenvalues.ts'
import { randomSpdMatrix } from '../helpers/random-matrices.ts'

describe('eigenvalues of a positive semi-definite matrix', () => {
  it('equals the full eigendecomposition’s values, descending, without forming eigenvectors', () => {
    const d = 40
    const a = randomSpdMatrix(d, 11, 0)
    const copy = a.slice()
    const values = psdEigenvalues(a, d)
    const reference = symmetricEigen(a, d).values
    expect(a).toEqual(copy)
    values.forEach((value, i) => expect(value).toBeCloseTo(reference[i] ?? NaN, 10))
    for (let i = 1; i < d; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1] ?? Infinity)
  })

  it('returns the zero eigenvalues of a rank-deficient Gram at rounding level', () => {
    // xxᵀ for x = (1, 2, 3): one eigenvalue 14, two zeros.
    const x = [1, 2, 3]
    const gram = Float64Array.from({ length: 9 }, (_, k) => x[Math.floor(k / 3)] * x[k % 3])
    const values = psdEigenvalues(gram, 3)
    expect(values[0]).toBeCloseTo(14, 12)
    expect(Math.abs(values[1])).toBeLessThan(1e-14)
    expect(Math.abs(values[2])).toBeLessThan(1e-14)
  })

  it('returns nothing for an empty matrix and refuses a buffer of the wrong size', () => {
    expect(psdEigenvalues(new Float64Array(0), 0)).toHaveLength(0)
    expect(() => psdEigenvalues(new Float64Array(5), 2)).toThrow(/should hold 2×2 = 4 values/)
  })
})
