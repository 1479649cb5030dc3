import { forEachBootstrapResample } from '../uncertainty/index.ts'
import { linearPercentile } from '../uncertainty/percentile.ts'
import { dot, uCenter } from './cka.ts'
import type { TapGrams } from './cka.ts'

export interface CkaSpread {
  /** 95 % interval of each cell, null where CKA is undefined. */
  lower: (number | null)[][]
  upper: (number | null)[][]
  resamples: number
  seed: number
  batches: number
}

const RESAMPLES = 1000

/**
 * How much minibatch CKA depends on which batches were drawn: each cell recomputed on batches
 * resampled with replacement (the same resample for every cell, seeded), 2.5th and 97.5th
 * percentiles of the ratio of summed unbiased HSIC terms. Needs two batches or more.
 */
export function minibatchCkaSpread(a: TapGrams, b: TapGrams, seed = 0): CkaSpread | null {
  const batches = a.grams[0]?.length ?? 0
  if (batches < 2 || a.n < 4) return null
  const left = a.grams.map((tap) => tap.map((gram) => uCenter(gram, a.n)))
  const right = a === b ? left : b.grams.map((tap) => tap.map((gram) => uCenter(gram, b.n)))
  // Per batch: every cross term and each tap's self term, so a resample is only sums.
  const cross = left.map((row) => right.map((col) => row.map((g, k) => dot(g, col[k]))))
  const selfLeft = left.map((tap) => tap.map((g) => dot(g, g)))
  const selfRight = right === left ? selfLeft : right.map((tap) => tap.map((g) => dot(g, g)))
  const draws = cross.map((row) => row.map(() => new Float64Array(RESAMPLES)))
  forEachBootstrapResample(batches, RESAMPLES, seed, (indices, r) => {
    const sum = (terms: Float64Array | number[]) => indices.reduce((s, k) => s + terms[k], 0)
    const left2 = selfLeft.map(sum)
    const right2 = selfRight === selfLeft ? left2 : selfRight.map(sum)
    cross.forEach((row, i) =>
      row.forEach((terms, j) => {
        const denominator = Math.sqrt(left2[i] * right2[j])
        draws[i][j][r] = denominator > 0 ? sum(terms) / denominator : NaN
      }),
    )
  })
  const bound = (q: number) =>
    draws.map((row) =>
      row.map((values) =>
        values.some((v) => !Number.isFinite(v))
          ? null
          : linearPercentile(Float64Array.from(values).sort(), q),
      ),
    )
  return { lower: bound(2.5), upper: bound(97.5), resamples: RESAMPLES, seed, batches }
}
