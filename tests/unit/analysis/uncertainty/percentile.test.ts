import { describe, expect, it } from 'vitest'
import { linearPercentile } from '../../../../native-models/analysis/uncertainty/percentile.ts'

describe('linearPercentile', () => {
  const sorted = Float64Array.from([1, 2, 4, 8, 16])

  it('interpolates between neighbours as np.percentile does', () => {
    // virtual index 4 · 0.025 = 0.1 and 4 · 0.975 = 3.9
    expect(linearPercentile(sorted, 2.5)).toBeCloseTo(1.1, 15)
    expect(linearPercentile(sorted, 97.5)).toBeCloseTo(15.2, 14)
    expect(linearPercentile(sorted, 50)).toBe(4)
  })

  it('returns the extremes at 0 and 100 and the only value of a single-value sample', () => {
    expect(linearPercentile(sorted, 0)).toBe(1)
    expect(linearPercentile(sorted, 100)).toBe(16)
    expect(linearPercentile(Float64Array.of(3), 97.5)).toBe(3)
  })

  it('refuses an empty sample and a percent outside [0, 100]', () => {
    expect(() => linearPercentile(new Float64Array(0), 50)).toThrow(/no values/)
    expect(() => linearPercentile(sorted, 101)).toThrow(/percent must lie in \[0, 100\], got 101/)
  })
})
