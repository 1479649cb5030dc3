import { describe, expect, it } from 'vitest'
import { javascriptProducts } from '../../../../native-models/analysis/linear-algebra/dense-products.ts'
import {
  accumulateSplitMoments,
  addMoments,
  centeredMoments,
} from '../../../../native-models/analysis/probes/feature-moments.ts'
import { subsetSystem } from '../../../../native-models/analysis/probes/ridge-fit.ts'

// Five rows, d = 2, C = 3; rows 1 and 3 are held out.
const data = {
  features: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  labels: Int32Array.from([0, 2, 1, 0, 2]),
  n: 5,
}
const isValidation = Uint8Array.from([0, 1, 0, 1, 0])

describe('accumulateSplitMoments', () => {
  it('sums each part separately in one pass, for any chunk size', async () => {
    for (const chunkRows of [1, 2, 5, 100]) {
      const { train, validation } = await accumulateSplitMoments(
        data,
        2,
        3,
        isValidation,
        javascriptProducts,
        chunkRows,
      )
      // Training rows (1,2), (5,6), (9,10) with labels 0, 1, 2.
      expect(train.count).toBe(3)
      expect([...train.sum]).toEqual([15, 18])
      expect([...train.cross]).toEqual([1 + 25 + 81, 2 + 30 + 90, 2 + 30 + 90, 4 + 36 + 100])
      expect([...train.featureLabel]).toEqual([1, 5, 9, 2, 6, 10])
      expect([...train.classCounts]).toEqual([1, 1, 1])
      // Held-out rows (3,4) label 2 and (7,8) label 0.
      expect(validation.count).toBe(2)
      expect([...validation.sum]).toEqual([10, 12])
      expect([...validation.featureLabel]).toEqual([7, 0, 3, 8, 0, 4])
      expect([...validation.classCounts]).toEqual([1, 0, 1])
    }
  })

  it('reports the rows done after each chunk', async () => {
    const seen: number[] = []
    await accumulateSplitMoments(data, 2, 3, isValidation, javascriptProducts, 2, (done) =>
      seen.push(done),
    )
    expect(seen).toEqual([2, 4, 5])
  })

  it('refuses a label outside 0..C−1, naming the row', async () => {
    const bad = { ...data, labels: Int32Array.from([0, 2, 3, 0, 2]) }
    await expect(
      accumulateSplitMoments(bad, 2, 3, isValidation, javascriptProducts, 2),
    ).rejects.toThrow(/Label of row 2 must be an integer in 0\.\.2, got 3\./)
  })
})

describe('centered moments', () => {
  it('equal the centered sums of every row, and a subset’s system picks its block', async () => {
    const parts = await accumulateSplitMoments(data, 2, 3, isValidation, javascriptProducts, 2)
    const whole = addMoments(parts.train, parts.validation)
    const { covariance, crossCovariance, mean, labelMean } = centeredMoments(whole)
    // x₁ = 1,3,5,7,9 and x₂ = x₁ + 1: both have Σ(x − μ)² = 40.
    expect([...mean]).toEqual([5, 6])
    expect([...covariance]).toEqual([40, 40, 40, 40])
    expect([...labelMean]).toEqual([0.4, 0.2, 0.4])
    // Σ (x₁ − 5)·onehot: class 0 rows x₁ = 1, 7 → −2; class 1: 5 → 0; class 2: 3, 9 → 2.
    expect([...crossCovariance]).toEqual([-2, 0, 2, -2, 0, 2])
    const system = subsetSystem(whole, Int32Array.from([1]))
    expect([...system.covariance]).toEqual([40])
    expect([...system.crossCovariance]).toEqual([-2, 0, 2])
    expect([...system.mean]).toEqual([6])
  })
})
