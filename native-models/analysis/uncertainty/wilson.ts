import { assertConfidence } from './confidence-level.ts'
import { normalQuantile } from './normal-quantile.ts'

export interface ProportionInterval {
  lower: number
  upper: number
}

/**
 * Wilson score interval for `successes` out of `n`, as statsmodels
 * `proportion_confint(successes, n, alpha=1 - confidence, method='wilson')`; n = 0 gives [0, 1].
 * @example wilsonInterval(8, 10) // { lower: 0.49016247153664183, upper: 0.9433178485456247 }
 */
export function wilsonInterval(
  successes: number,
  n: number,
  confidence = 0.95,
): ProportionInterval {
  assertCounts(successes, n)
  assertConfidence(confidence)
  if (n === 0) return { lower: 0, upper: 1 }
  // Same operation order as statsmodels, so the bounds agree to a few ulps.
  const crit = -normalQuantile((1 - confidence) / 2)
  const crit2 = crit ** 2
  const proportion = successes / n
  const denominator = 1 + crit2 / n
  const center = (proportion + crit2 / (2 * n)) / denominator
  const halfWidth =
    (crit * Math.sqrt((proportion * (1 - proportion)) / n + crit2 / (4 * n ** 2))) / denominator
  // The bound at 0 (or n) successes is exactly 0 (or 1); rounding would leave a few ulps either way.
  return {
    lower: successes === 0 ? 0 : center - halfWidth,
    upper: successes === n ? 1 : center + halfWidth,
  }
}

function assertCounts(successes: number, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`n must be a non-negative integer, got ${n}.`)
  }
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer in 0..${n}, got ${successes}.`)
  }
}
