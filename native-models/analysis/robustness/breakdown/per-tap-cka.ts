import { ckaMatrix } from '../../cka/cka.ts'
import type { CkaEstimator, CkaValue, TapGrams } from '../../cka/cka.ts'
import { minibatchCkaSpread } from '../../cka/cka-spread.ts'

export interface TapInterval {
  lower: number
  upper: number
}

export interface PerTapCka {
  /** CKA of each tap of `a` with the same tap of `b`; null where undefined. */
  values: CkaValue[]
  /**
   * Minibatch over two batches or more: each tap's 95 % interval over batches resampled with
   * replacement (the resample the full CKA matrix draws, so these equal its diagonal); else null.
   */
  intervals: (TapInterval | null)[] | null
}

function oneTap(set: TapGrams, tap: number): TapGrams {
  return { n: set.n, grams: [set.grams[tap]] }
}

/**
 * The diagonal of the CKA matrix between two Gram sets of the same taps on the same batches (a
 * checkpoint on clean and on corrupted images): one value per tap, without the cross-tap cells.
 */
export function perTapCka(a: TapGrams, b: TapGrams, estimator: CkaEstimator): PerTapCka {
  if (a.grams.length !== b.grams.length)
    throw new RangeError(`Both sides need the same taps (${a.grams.length} vs ${b.grams.length}).`)
  const values = a.grams.map((_, t) => ckaMatrix(oneTap(a, t), oneTap(b, t), estimator)[0][0])
  if (estimator !== 'minibatch') return { values, intervals: null }
  const spreads = a.grams.map((_, t) => minibatchCkaSpread(oneTap(a, t), oneTap(b, t)))
  if (spreads.some((s) => s === null)) return { values, intervals: null }
  const intervals = spreads.map((s) => {
    const [lower, upper] = [s!.lower[0][0], s!.upper[0][0]]
    return lower === null || upper === null ? null : { lower, upper }
  })
  return { values, intervals }
}
