import { describe, expect, it } from 'vitest'
import { mcnemarExact } from '../../../../native-models/analysis/uncertainty/index.ts'
import { expectClose, golden } from './uncertainty-golden.ts'

describe('mcnemarExact', () => {
  it.each(golden.mcnemar)(
    'equals the statsmodels exact p-value for $onlyA against $onlyB',
    ({ onlyA, onlyB, pValue }) => {
      expectClose(mcnemarExact(onlyA, onlyB).pValue, pValue, { relative: 1e-9, absolute: 1e-300 })
    },
  )

  it('matches the hand-worked p-value for 1 against 9 discordant pairs', () => {
    // 2 · P(X ≤ 1), X ~ Bin(10, 1/2) = 2 · (1 + 10) / 1024
    expect(mcnemarExact(1, 9)).toEqual({ pValue: 22 / 1024, onlyA: 1, onlyB: 9 })
  })

  it('gives p = 1 for equal discordant counts and for no discordant pairs', () => {
    expect(mcnemarExact(5, 5).pValue).toBe(1)
    expect(mcnemarExact(50_000, 50_000).pValue).toBe(1)
    expect(mcnemarExact(0, 0).pValue).toBe(1)
  })

  it('is symmetric in the two models', () => {
    expect(mcnemarExact(120, 80).pValue).toBe(mcnemarExact(80, 120).pValue)
  })

  it('stays finite and ordered for 100,000 discordant pairs', () => {
    const close = mcnemarExact(49_900, 50_100).pValue
    const apart = mcnemarExact(49_000, 51_000).pValue
    const farApart = mcnemarExact(45_000, 55_000).pValue
    expect(close).toBeGreaterThan(apart)
    expect(apart).toBeGreaterThan(farApart)
    expect(farApart).toBeGreaterThan(0)
    expect(mcnemarExact(0, 100_000).pValue).toBe(0) // 2^-99999 underflows, as in SciPy
  })

  it('refuses negative or fractional counts', () => {
    expect(() => mcnemarExact(-1, 3)).toThrow(/onlyA must be a non-negative integer, got -1/)
    expect(() => mcnemarExact(2, 0.5)).toThrow(/onlyB must be a non-negative integer, got 0.5/)
  })
})
