import { describe, expect, it } from 'vitest'
import { ckaMatrix } from '../../../native-models/analysis/cka/cka.ts'
import type { TapGrams } from '../../../native-models/analysis/cka/cka.ts'
import { minibatchCkaSpread } from '../../../native-models/analysis/cka/cka-spread.ts'
import { SeededRandom } from '../../../native-models/surgery/prng.ts'

/** The Gram X·Xᵀ of n random d-dimensional rows. */
function gram(n: number, d: number, random: SeededRandom): Float32Array {
  const x = Array.from({ length: n * d }, () => random.nextFloat64() - 0.5)
  const g = new Float32Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k]
      g[i * n + j] = s
    }
  return g
}

function grams(taps: number, batches: number, n: number, seed: number): TapGrams {
  const random = new SeededRandom(seed, 'cka-spread')
  return {
    n,
    grams: Array.from({ length: taps }, () =>
      Array.from({ length: batches }, () => gram(n, 6, random)),
    ),
  }
}

describe('minibatchCkaSpread', () => {
  it('brackets each minibatch CKA value with its interval over resampled batches', () => {
    const a = grams(3, 8, 10, 1)
    const values = ckaMatrix(a, a, 'minibatch')
    const spread = minibatchCkaSpread(a, a)!
    expect(spread).toMatchObject({ resamples: 1000, seed: 0, batches: 8 })
    values.forEach((row, i) =>
      row.forEach((value, j) => {
        expect(spread.lower[i][j]!).toBeLessThanOrEqual(value! + 1e-12)
        expect(spread.upper[i][j]!).toBeGreaterThanOrEqual(value! - 1e-12)
      }),
    )
    // A tap compared with itself is 1 on every resample.
    expect(spread.lower[0][0]).toBeCloseTo(1, 12)
  })

  it('is zero-width when every batch is the same, and absent for a single batch', () => {
    const one = grams(2, 1, 10, 2)
    const repeated: TapGrams = { n: 10, grams: one.grams.map((tap) => [tap[0], tap[0], tap[0]]) }
    const spread = minibatchCkaSpread(repeated, repeated)!
    expect(spread.upper[0][1]! - spread.lower[0][1]!).toBeCloseTo(0, 12)
    expect(minibatchCkaSpread(one, one)).toBeNull()
  })
})
