import { describe, expect, it } from 'vitest'
import {
  meanStd,
  multiplicativeNoise,
  summariseNoiseLevels,
  weightNoiseSeed,
} from '../../../../native-models/analysis/robustness/weight-noise/index.ts'

const weights = Float32Array.from({ length: 200_001 }, (_, i) => 0.5 + Math.sin(i))

describe('multiplicative weight noise', () => {
  it('leaves every value exactly as it was at σ = 0', () => {
    expect(multiplicativeNoise(weights, 0, 7)).toEqual(weights)
  })

  it('multiplies by ξ with mean 1 and standard deviation σ', () => {
    const noisy = multiplicativeNoise(weights, 0.2, 11)
    const xi = Array.from(noisy, (v, i) => v / weights[i])
    const { mean, std } = meanStd(xi)
    // n = 200,001: standard errors 4.5e-4 (mean) and 3.2e-4 (std), float32 rounding ~1e-7.
    expect(Math.abs(mean - 1)).toBeLessThan(0.002)
    expect(Math.abs(std - 0.2)).toBeLessThan(0.0015)
  })

  it('uses the same standard normals at every σ for one seed (common random numbers)', () => {
    const small = multiplicativeNoise(weights, 0.05, 3)
    const large = multiplicativeNoise(weights, 0.3, 3)
    for (const i of [0, 1, 17, 200_000]) {
      const zSmall = (small[i] / weights[i] - 1) / 0.05
      const zLarge = (large[i] / weights[i] - 1) / 0.3
      expect(zSmall).toBeCloseTo(zLarge, 4)
    }
    expect(multiplicativeNoise(weights, 0.05, 4)).not.toEqual(small)
  })

  it('gives each tensor of each sample its own seed', () => {
    const seeds = new Set(
      [0, 1, 2].flatMap((sample) => [0, 1, 106].map((t) => weightNoiseSeed(5, sample, t))),
    )
    expect(seeds.size).toBe(9)
  })

  it('refuses a negative or infinite σ', () => {
    expect(() => multiplicativeNoise(weights, -0.1, 1)).toThrow('σ must be finite and ≥ 0')
    expect(() => multiplicativeNoise(weights, Infinity, 1)).toThrow('σ must be finite and ≥ 0')
  })
})

describe('noise level summaries', () => {
  it('takes mean and sample standard deviation per σ, σ ascending', () => {
    const levels = summariseNoiseLevels([
      { sigma: 0.1, sample: 0, top1: 0.8, top5: 1, nll: 0.5 },
      { sigma: 0, sample: 0, top1: 0.9, top5: 1, nll: 0.3 },
      { sigma: 0.1, sample: 1, top1: 0.6, top5: 0.9, nll: 0.9 },
    ])
    expect(levels.map((l) => [l.sigma, l.samples])).toEqual([
      [0, 1],
      [0.1, 2],
    ])
    expect(levels[0].top1).toEqual({ mean: 0.9, std: 0 })
    expect(levels[1].top1.mean).toBeCloseTo(0.7, 12)
    // sample std of (0.8, 0.6): √((0.01 + 0.01) / 1)
    expect(levels[1].top1.std).toBeCloseTo(Math.sqrt(0.02), 12)
  })
})
