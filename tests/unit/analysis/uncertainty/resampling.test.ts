import { describe, expect, it } from 'vitest'
import {
  accuracyOf,
  bootstrapInterval,
  forEachBootstrapResample,
  meanOf,
  pairedBootstrapDelta,
} from '../../../../native-models/analysis/uncertainty/index.ts'

function collectResamples(n: number, resamples: number, seed: number): number[][] {
  const collected: number[][] = []
  forEachBootstrapResample(n, resamples, seed, (indices) => collected.push(Array.from(indices)))
  return collected
}

describe('forEachBootstrapResample', () => {
  it('draws n indices in 0..n − 1 per resample', () => {
    const resamples = collectResamples(50, 20, 1)
    expect(resamples).toHaveLength(20)
    for (const indices of resamples) {
      expect(indices).toHaveLength(50)
      expect(indices.every((i) => Number.isInteger(i) && i >= 0 && i < 50)).toBe(true)
    }
  })

  it('repeats its resamples for the same seed and changes them for another seed', () => {
    expect(collectResamples(30, 5, 7)).toEqual(collectResamples(30, 5, 7))
    expect(collectResamples(30, 5, 7)).not.toEqual(collectResamples(30, 5, 8))
  })

  it('hands every resample the same reused buffer', () => {
    const buffers = new Set<Int32Array>()
    forEachBootstrapResample(10, 4, 0, (indices) => buffers.add(indices))
    expect(buffers.size).toBe(1)
  })

  it('refuses an empty sample and a fractional resample count', () => {
    expect(() => collectResamples(0, 10, 0)).toThrow(/n must be an integer in 1\.\./)
    expect(() => collectResamples(10, 2.5, 0)).toThrow(/resamples must be an integer/)
  })
})

describe('bootstrapInterval', () => {
  const values = Float64Array.from({ length: 100 }, (_, i) => (i % 10) / 10)

  it('brackets the sample mean and reports its settings', () => {
    const interval = bootstrapInterval(meanOf(values), values.length, { seed: 3 })
    expect(interval.lower).toBeLessThan(0.45)
    expect(interval.upper).toBeGreaterThan(0.45)
    expect(interval).toMatchObject({ resamples: 1000, seed: 3, confidence: 0.95 })
  })

  it('gives the same interval for the same seed', () => {
    const run = (): object => bootstrapInterval(meanOf(values), values.length, { resamples: 50 })
    expect(run()).toEqual(run())
  })

  it('is narrower at 80% than at 99% on the same resamples', () => {
    const options = { resamples: 200, seed: 5 }
    const narrow = bootstrapInterval(meanOf(values), 100, { ...options, confidence: 0.8 })
    const wide = bootstrapInterval(meanOf(values), 100, { ...options, confidence: 0.99 })
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower)
  })

  it('collapses to a point for a constant statistic', () => {
    expect(bootstrapInterval(() => 0.7, 10, { resamples: 20 })).toMatchObject({
      lower: 0.7,
      upper: 0.7,
    })
  })

  it('refuses a statistic that is not finite, naming the resample', () => {
    expect(() => bootstrapInterval(() => Number.NaN, 10, { resamples: 5 })).toThrow(
      /The statistic gave NaN on resample 0; it must be finite\./,
    )
  })

  it('refuses a confidence outside (0, 1) before resampling', () => {
    let calls = 0
    const counting = (): number => (calls += 1)
    expect(() => bootstrapInterval(counting, 10, { confidence: 95 })).toThrow(RangeError)
    expect(calls).toBe(0)
  })
})

describe('pairedBootstrapDelta', () => {
  const correctA = Uint8Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 0 : 1))
  const correctB = Uint8Array.from(correctA, (isCorrect, i) => (i % 20 === 0 ? 1 : isCorrect))

  it('reports B − A on all images as the estimate', () => {
    const delta = pairedBootstrapDelta(accuracyOf(correctA), accuracyOf(correctB), 200)
    expect(delta.estimate).toBeCloseTo(0.05, 15)
  })

  it('is narrower than the unpaired spread because shared images cancel', () => {
    const options = { resamples: 300, seed: 11 }
    const delta = pairedBootstrapDelta(accuracyOf(correctA), accuracyOf(correctB), 200, options)
    const alone = bootstrapInterval(accuracyOf(correctA), 200, options)
    expect(delta.upper - delta.lower).toBeLessThan(alone.upper - alone.lower)
    expect(delta.lower).toBeGreaterThan(0) // B only ever fixes A's mistakes
  })

  it('gives exactly zero for two identical statistics', () => {
    const delta = pairedBootstrapDelta(accuracyOf(correctA), accuracyOf(correctA), 200)
    expect(delta).toMatchObject({ lower: 0, upper: 0, estimate: 0 })
  })
})
