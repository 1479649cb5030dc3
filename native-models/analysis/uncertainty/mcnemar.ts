import { halfBinomialCdf } from './binomial-half.ts'

export interface McNemarResult {
  pValue: number
  /** Pairs that model A got right and model B got wrong. */
  onlyA: number
  /** Pairs that model B got right and model A got wrong. */
  onlyB: number
}

/**
 * Two-sided exact McNemar test on the discordant pairs, as statsmodels
 * `mcnemar([[both, onlyA], [onlyB, neither]], exact=True).pvalue`:
 * min(1, 2 · P(X ≤ min(onlyA, onlyB))) with X ~ Binomial(onlyA + onlyB, 1/2).
 * @example mcnemarExact(1, 9).pValue // 0.021484375 (= 22 / 1024)
 */
export function mcnemarExact(onlyA: number, onlyB: number): McNemarResult {
  assertPairCount('onlyA', onlyA)
  assertPairCount('onlyB', onlyB)
  const discordant = onlyA + onlyB
  const pValue = Math.min(1, 2 * halfBinomialCdf(Math.min(onlyA, onlyB), discordant))
  return { pValue, onlyA, onlyB }
}

function assertPairCount(name: string, count: number): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${count}.`)
  }
}
