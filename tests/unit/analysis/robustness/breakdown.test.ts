import { describe, expect, it } from 'vitest'
import { ckaMatrix } from '../../../../native-models/analysis/cka/cka.ts'
import type { TapGrams } from '../../../../native-models/analysis/cka/cka.ts'
import { minibatchCkaSpread } from '../../../../native-models/analysis/cka/cka-spread.ts'
import {
  firstTapBelow,
  perTapCka,
} from '../../../../native-models/analysis/robustness/breakdown/index.ts'
import { SeededRandom } from '../../../../native-models/surgery/prng.ts'

const KEYS = ['stem', 'layer1.0', 'layer2.0', 'pooled']

describe('firstTapBelow', () => {
  it('names the first tap in depth order whose CKA is below the threshold', () => {
    expect(firstTapBelow(KEYS, [0.99, 0.95, 0.7, 0.2], 0.9)).toBe('layer2.0')
    expect(firstTapBelow(KEYS, [0.5, 0.95, 0.99, 0.99], 0.9)).toBe('stem')
  })

  it('does not count a value equal to the threshold as a break', () => {
    expect(firstTapBelow(KEYS, [0.9, 0.9, 0.9, 0.89], 0.9)).toBe('pooled')
  })

  it('gives null when no tap falls below', () => {
    expect(firstTapBelow(KEYS, [1, 0.99, 0.95, 0.91], 0.9)).toBeNull()
  })

  it('skips undefined values instead of calling them a break', () => {
    expect(firstTapBelow(KEYS, [null, Number.NaN, 0.95, 0.4], 0.9)).toBe('pooled')
    expect(firstTapBelow(KEYS, [null, null, null, null], 0.9)).toBeNull()
  })

  it('refuses keys and values of different lengths', () => {
    expect(() => firstTapBelow(KEYS, [1, 1], 0.9)).toThrow(/4 tap keys but 2 values/)
  })
})

/** n random d-dimensional rows, row-major. */
function features(n: number, d: number, random: SeededRandom): number[] {
  return Array.from({ length: n * d }, () => random.nextFloat64() - 0.5)
}

function gramOf(x: number[], n: number, d: number): Float64Array {
  const g = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k]
      g[i * n + j] = s
    }
  return g
}

/** A clean and a "corrupted" Gram set: each tap's corrupted features drift more with depth. */
function pairedGrams(taps: number, batches: number, n: number): { clean: TapGrams; bad: TapGrams } {
  const random = new SeededRandom(7, 'breakdown')
  const d = 5
  const clean: Float64Array[][] = []
  const bad: Float64Array[][] = []
  for (let t = 0; t < taps; t++) {
    clean.push([])
    bad.push([])
    for (let b = 0; b < batches; b++) {
      const x = features(n, d, random)
      const drift = features(n, d, random)
      const y = x.map((v, i) => v + (t / taps) * 2 * drift[i])
      clean[t].push(gramOf(x, n, d))
      bad[t].push(gramOf(y, n, d))
    }
  }
  return { clean: { n, grams: clean }, bad: { n, grams: bad } }
}

describe('perTapCka', () => {
  const { clean, bad } = pairedGrams(4, 6, 12)

  it('equals the diagonal of the full CKA matrix and of its interval', () => {
    const matrix = ckaMatrix(clean, bad, 'minibatch')
    const spread = minibatchCkaSpread(clean, bad)!
    const { values, intervals } = perTapCka(clean, bad, 'minibatch')
    values.forEach((v, t) => {
      expect(v).toBeCloseTo(matrix[t][t]!, 12)
      expect(intervals![t]!.lower).toBeCloseTo(spread.lower[t][t]!, 12)
      expect(intervals![t]!.upper).toBeCloseTo(spread.upper[t][t]!, 12)
    })
  })

  it('falls with the drift the deeper taps were given', () => {
    const { values } = perTapCka(clean, bad, 'minibatch')
    expect(values[0]).toBe(1)
    for (let t = 1; t < values.length; t++) expect(values[t]!).toBeLessThan(values[t - 1]!)
  })

  it('is exactly 1 at every tap when both sides are the same Grams', () => {
    for (const estimator of ['minibatch', 'linear', 'debiased'] as const)
      expect(perTapCka(clean, clean, estimator).values).toEqual([1, 1, 1, 1])
  })

  it('gives intervals only for minibatch CKA over two batches or more', () => {
    expect(perTapCka(clean, bad, 'linear').intervals).toBeNull()
    const one = (set: TapGrams): TapGrams => ({ n: set.n, grams: set.grams.map((g) => [g[0]]) })
    expect(perTapCka(one(clean), one(bad), 'minibatch').intervals).toBeNull()
  })

  it('refuses sides with different taps', () => {
    const fewer: TapGrams = { n: 12, grams: bad.grams.slice(1) }
    expect(() => perTapCka(clean, fewer, 'minibatch')).toThrow(/same taps \(4 vs 3\)/)
  })
})
