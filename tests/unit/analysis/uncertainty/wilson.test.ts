import { describe, expect, it } from 'vitest'
import { wilsonInterval } from '../../../../native-models/analysis/uncertainty/index.ts'
import { expectClose, golden } from './uncertainty-golden.ts'

describe('wilsonInterval', () => {
  it.each(golden.wilson)(
    'equals statsmodels for $successes of $n at confidence $confidence',
    ({ successes, n, confidence, lower, upper }) => {
      const interval = wilsonInterval(successes, n, confidence)
      expectClose(interval.lower, lower)
      expectClose(interval.upper, upper)
    },
  )

  it('matches the hand-worked interval for 8 of 10', () => {
    // p̂ = 0.8, z² = 3.8415: center 0.99207 / 1.38415 = 0.71674, half-width 0.31362 / 1.38415 = 0.22658
    const interval = wilsonInterval(8, 10)
    expect(interval.lower).toBeCloseTo(0.49016, 5)
    expect(interval.upper).toBeCloseTo(0.94332, 5)
  })

  it('uses 95% confidence by default', () => {
    expect(wilsonInterval(37, 50)).toEqual(wilsonInterval(37, 50, 0.95))
  })

  it('returns the whole unit interval when there are no trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 })
  })

  it('keeps the bounds inside [0, 1] at 0 and n successes', () => {
    for (const n of [1, 7, 1000, 123457]) {
      expect(wilsonInterval(0, n).lower).toBe(0)
      expect(wilsonInterval(n, n).upper).toBe(1)
    }
  })

  it('narrows as the confidence drops', () => {
    const wide = wilsonInterval(30, 100, 0.99)
    const narrow = wilsonInterval(30, 100, 0.8)
    expect(narrow.lower).toBeGreaterThan(wide.lower)
    expect(narrow.upper).toBeLessThan(wide.upper)
  })

  it('refuses more successes than trials and a confidence outside (0, 1)', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(/successes must be an integer in 0..10, got 11/)
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError)
    expect(() => wilsonInterval(5, -1)).toThrow(/n must be a non-negative integer/)
    expect(() => wilsonInterval(5, 10, 1)).toThrow(/confidence must lie strictly between 0 and 1/)
  })
})
