import { readFileSync } from 'node:fs'
import { expect } from 'vitest'

// Written by tests/reference/uncertainty_goldens.py (statsmodels, SciPy, NumPy); see its "command".
export interface UncertaintyGolden {
  command: string
  wilson: { successes: number; n: number; confidence: number; lower: number; upper: number }[]
  mcnemar: { onlyA: number; onlyB: number; pValue: number }[]
  normalQuantile: { p: number; z: number }[]
  bootstrap: {
    seed: number
    resamples: number
    dataset: { confidence: number[]; correctA: number[]; correctB: number[]; nll: number[] }
    firstResampleHead: number[]
    indexSums: number[]
    intervals: {
      statistic: 'meanNll' | 'accuracyA' | 'eceA' | 'accuracyDelta' | 'eceDelta'
      confidence: number
      lower: number
      upper: number
      estimate: number
    }[]
  }
}

export const golden = JSON.parse(
  readFileSync(new URL('../../../fixtures/goldens/uncertainty.json', import.meta.url), 'utf8'),
) as UncertaintyGolden

/** Passes when |actual − expected| ≤ max(absolute, relative · |expected|). */
export function expectClose(
  actual: number,
  expected: number,
  { relative = 1e-9, absolute = 1e-12 } = {},
): void {
  const tolerance = Math.max(absolute, relative * Math.abs(expected))
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance)
}
