import { describe, expect, it } from 'vitest'
import type { ProbePoint } from '../../../../electron/api/contract/analyses/probes.ts'
import {
  diffusedRedundancy,
  meanStd,
  probeCurve,
  smallestFractionWithin,
} from '../../../../native-models/analysis/probes/probe-summary.ts'

function point(fraction: number, seed: number, accuracy: number, basis = 'neurons'): ProbePoint {
  return {
    basis: basis as ProbePoint['basis'],
    solver: 'ridge',
    fraction,
    k: Math.max(1, Math.trunc(fraction * 100)),
    seed,
    regularization: 1,
    accuracy,
    validationAccuracy: accuracy,
    cka: basis === 'neurons' ? fraction : null,
    iterations: null,
    converged: null,
  }
}

// Hand-worked curve, full layer 0.80: δ·0.80 = 0.72 (δ = 0.9) and 0.76 (δ = 0.95); 5 points → 0.75.
//   f     seeds               mean
//   0.01  0.40 0.50 0.60      0.50
//   0.05  0.70 0.70 0.70      0.70
//   0.1   0.70 0.72 0.74      0.72  → first ≥ 0.72: DR_0.9 = 1 − 0.1 = 0.9
//   0.2   0.75 0.76 0.77      0.76  → first ≥ 0.76: DR_0.95 = 0.8; first ≥ 0.75: within 5 points
//   0.5   0.79                0.79
const handWorked: ProbePoint[] = [
  ...[0.4, 0.5, 0.6].map((a, i) => point(0.01, i + 1, a)),
  ...[0.7, 0.7, 0.7].map((a, i) => point(0.05, i + 1, a)),
  ...[0.7, 0.72, 0.74].map((a, i) => point(0.1, i + 1, a)),
  ...[0.75, 0.76, 0.77].map((a, i) => point(0.2, i + 1, a)),
  point(0.5, 1, 0.79),
  point(1, 0, 0.8),
  point(0.01, 0, 0.79, 'pca-top'),
]

describe('meanStd', () => {
  it('uses the sample standard deviation, 0 for one value', () => {
    const { mean, std } = meanStd([0.7, 0.72, 0.74])
    expect(mean).toBeCloseTo(0.72, 14)
    expect(std).toBeCloseTo(0.02, 14)
    expect(meanStd([0.3])).toEqual({ mean: 0.3, std: 0 })
  })
})

describe('probeCurve', () => {
  it('groups the seeds of each basis and fraction, neurons first, fractions ascending', () => {
    const curve = probeCurve(handWorked)
    expect(curve.map((p) => [p.basis, p.fraction, p.seeds])).toEqual([
      ['neurons', 0.01, 3],
      ['neurons', 0.05, 3],
      ['neurons', 0.1, 3],
      ['neurons', 0.2, 3],
      ['neurons', 0.5, 1],
      ['neurons', 1, 1],
      ['pca-top', 0.01, 1],
    ])
    expect(curve[0].accuracy.std).toBeCloseTo(0.1, 14)
    expect(curve[0].cka).toEqual({ mean: 0.01, std: 0 })
    expect(curve[6].cka).toBeNull()
  })
})

describe('diffused redundancy (inferred definition) on a hand-worked curve', () => {
  const curve = probeCurve(handWorked)

  it('is 1 − f* with f* the smallest fraction reaching δ of the full layer', () => {
    expect(diffusedRedundancy(curve, 0.8)).toEqual([
      { delta: 0.9, value: 0.9, fraction: 0.1 },
      { delta: 0.95, value: 0.8, fraction: 0.2 },
    ])
  })

  it('ignores the baselines, even when they reach the threshold earlier', () => {
    expect(diffusedRedundancy(curve, 0.8, [0.98])).toEqual([
      { delta: 0.98, value: 0.5, fraction: 0.5 },
    ])
  })

  it('is null when no subset below the full layer reaches the threshold', () => {
    expect(diffusedRedundancy(curve, 0.8, [0.99])).toEqual([
      { delta: 0.99, value: null, fraction: null },
    ])
  })

  it('finds the smallest fraction within 5 points of the full layer, or null', () => {
    expect(smallestFractionWithin(curve, 0.8)).toBe(0.2)
    expect(smallestFractionWithin(curve, 0.9)).toBeNull()
  })
})
