import { describe, expect, it } from 'vitest'
import {
  recordingRandom,
  seededRandom,
} from '../../../../native-models/analysis/robustness/corruptions/index.ts'

function meanAndVariance(values: ArrayLike<number>): [number, number] {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i]
  const mean = sum / values.length
  let squares = 0
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2
  return [mean, squares / (values.length - 1)]
}

describe('the corruptions’ seeded random source', () => {
  it('gives the same draws for the same seed and others for another', () => {
    expect(seededRandom(3).normal(5, 0, 1)).toEqual(seededRandom(3).normal(5, 0, 1))
    expect(seededRandom(3).normal(5, 0, 1)).not.toEqual(seededRandom(4).normal(5, 0, 1))
  })

  it('draws normals with the asked mean and standard deviation', () => {
    const [mean, variance] = meanAndVariance(seededRandom(1).normal(200_000, 0.5, 0.2))
    // Standard errors: 0.2 / √n ≈ 4.5e-4 for the mean, ≈ 1.3e-4 for the variance.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.002)
    expect(Math.abs(variance - 0.04)).toBeLessThan(0.0006)
  })

  it('draws Poisson counts with mean and variance λ, small and large', () => {
    for (const lambda of [0.7, 4, 37.5, 480]) {
      const counts = seededRandom(2).poisson(new Float64Array(100_000).fill(lambda))
      const [mean, variance] = meanAndVariance(counts)
      expect(counts.every((k) => Number.isInteger(k) && k >= 0)).toBe(true)
      expect(Math.abs(mean - lambda) / Math.sqrt(lambda / 100_000)).toBeLessThan(5)
      expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.03)
    }
  })

  it('draws integers in [low, high) and uniforms in [low, high)', () => {
    const ints = seededRandom(5).integers(10_000, -2, 2)
    expect(new Set(ints)).toEqual(new Set([-2, -1, 0, 1]))
    const u = seededRandom(5).uniform(10_000, -45, 45)
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-45)
    expect(Math.max(...u)).toBeLessThan(45)
  })

  it('records every draw with its parameters, for replay in the golden script', () => {
    const { random, draws } = recordingRandom(seededRandom(9))
    const normals = random.normal(3, 0, 0.1)
    random.bernoulli(2, 0.25)
    expect(draws.map((d) => [d.kind, d.size, d.params])).toEqual([
      ['normal', 3, [0, 0.1]],
      ['bernoulli', 2, [0.25]],
    ])
    expect(draws[0].values).toEqual(Array.from(normals))
  })
})
