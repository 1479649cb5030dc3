import { describe, expect, it } from 'vitest'
import {
  columnMeans,
  shiftWeightGradient,
  uncentredBias,
} from '../../../../native-models/analysis/probes-logistic/centering.ts'
import { logisticLossAndGradient } from '../../../../native-models/analysis/probes-logistic/index.ts'

// 4 rows, k = 2, C = 3, features with a large common mean like pooled ReLU outputs.
const features = Float32Array.of(5, 7, 6, 9, 4, 8, 5, 8)
const data = { features, labels: Int32Array.of(0, 2, 1, 2), n: 4, k: 2, classes: 3 }
const means = columnMeans(features, 4, 2)

describe('centred coordinates', () => {
  it('takes float64 column means', () => {
    expect([...means]).toEqual([5, 8])
  })

  it('gives the same logits: x·W + b = (x − μ)·W + b′', () => {
    const weights = Float64Array.of(0.1, -0.2, 0.3, 0.05, 0.4, -0.1)
    const centredBias = Float64Array.of(0.5, 0, -0.5)
    const bias = uncentredBias(centredBias, weights, means)
    for (let row = 0; row < 4; row++) {
      for (let c = 0; c < 3; c++) {
        const x = [features[row * 2], features[row * 2 + 1]]
        const original = x[0] * weights[c] + x[1] * weights[3 + c] + bias[c]
        const centred =
          (x[0] - means[0]) * weights[c] + (x[1] - means[1]) * weights[3 + c] + centredBias[c]
        expect(original).toBeCloseTo(centred, 12)
      }
    }
  })

  it('shifts the weight gradient to the one at fixed b′, as finite differences confirm', () => {
    const weights = Float64Array.of(0.1, -0.2, 0.3, 0.05, 0.4, -0.1)
    const centredBias = Float64Array.of(0.5, 0, -0.5)
    const lossAt = (w: Float64Array) =>
      logisticLossAndGradient(data, w, uncentredBias(centredBias, w, means)).loss
    const at = logisticLossAndGradient(data, weights, uncentredBias(centredBias, weights, means))
    const shifted = Float64Array.from(at.weightGradient)
    shiftWeightGradient(shifted, at.biasGradient, means, -1)
    const h = 1e-6
    weights.forEach((_, i) => {
      const plus = weights.slice()
      const minus = weights.slice()
      plus[i] += h
      minus[i] -= h
      expect(shifted[i]).toBeCloseTo((lossAt(plus) - lossAt(minus)) / (2 * h), 7)
    })
    shiftWeightGradient(shifted, at.biasGradient, means, 1)
    shifted.forEach((value, i) => expect(value).toBeCloseTo(at.weightGradient[i], 14))
  })
})
