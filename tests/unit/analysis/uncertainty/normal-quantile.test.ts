import { describe, expect, it } from 'vitest'
import { normalQuantile } from '../../../../native-models/analysis/uncertainty/normal-quantile.ts'
import { expectClose, golden } from './uncertainty-golden.ts'

describe('normalQuantile', () => {
  it.each(golden.normalQuantile)('equals SciPy ndtri($p) to 1e-15 relative', ({ p, z }) => {
    expectClose(normalQuantile(p), z, { relative: 1e-15, absolute: 0 })
  })

  it('gives the 97.5% point used for 95% intervals to 1e-12', () => {
    expectClose(normalQuantile(0.975), 1.959963984540054, { relative: 0, absolute: 1e-12 })
  })

  it('is odd around p = 0.5', () => {
    for (const p of [0.001, 0.025, 0.2, 0.49])
      expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 14)
  })

  it('returns minus and plus infinity at p = 0 and p = 1', () => {
    expect(normalQuantile(0)).toBe(-Infinity)
    expect(normalQuantile(1)).toBe(Infinity)
  })

  it('refuses a probability outside [0, 1]', () => {
    expect(() => normalQuantile(1.5)).toThrow(/p must lie in \[0, 1\], got 1.5/)
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError)
  })
})
