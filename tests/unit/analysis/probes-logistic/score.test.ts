import { describe, expect, it } from 'vitest'
import { scoreLinearProbe } from '../../../../native-models/analysis/probes-logistic/index.ts'

describe('scoreLinearProbe', () => {
  // W (k = 2, C = 3) row-major: scores = (x₀, x₁, 0) + b.
  const weights = Float64Array.of(1, 0, 0, 0, 1, 0)

  it('counts the rows whose argmax of x·W + b is their label', () => {
    const features = Float32Array.of(2, 1, 0, 3, -1, -2, 5, 5)
    // scores: (2, 1, .5) → 0; (0, 3, .5) → 1; (−1, −2, .5) → 2; (5, 5, .5) → 0 (first on ties)
    const bias = Float64Array.of(0, 0, 0.5)
    expect(scoreLinearProbe(features, Int32Array.of(0, 1, 2, 0), weights, bias)).toBe(1)
    expect(scoreLinearProbe(features, Int32Array.of(0, 0, 2, 1), weights, bias)).toBe(0.5)
  })

  it('lets the bias decide between equal products', () => {
    const features = Float32Array.of(1, 1)
    expect(scoreLinearProbe(features, Int32Array.of(1), weights, Float64Array.of(0, 0.1, 0))).toBe(
      1,
    )
  })

  it('scores an empty test set as 0', () => {
    expect(
      scoreLinearProbe(new Float32Array(0), new Int32Array(0), weights, new Float64Array(3)),
    ).toBe(0)
  })

  it('refuses features whose size does not match the labels and weights', () => {
    expect(() =>
      scoreLinearProbe(new Float32Array(5), Int32Array.of(0, 1), weights, new Float64Array(3)),
    ).toThrow(/got 5 features, 2 labels, 6 weights and 3 biases/)
  })
})
