// Both functions work on X ~ Binomial(n, 1/2) with plain products and exact halvings instead of
// lgamma: log C(n, k) for n near 1e5 is about 7e4, and its rounding alone would cost 1e-11.

const TWO_TO_500 = 2 ** 500
const TWO_TO_MINUS_500 = 2 ** -500

/** P(X = k) = C(n, k) / 2ⁿ; relative error about k · 1e-16 (more once subnormal, below 2e-308). */
export function halfBinomialPmf(k: number, n: number): number {
  if (k < 0 || k > n) return 0
  const small = Math.min(k, n - k)
  let value = 1
  let halvingsLeft = n
  // The running product is C(n - small + i, i) / 2^(n - halvingsLeft) ≤ 2^halvingsLeft, so it can
  // only pass 2^500 while at least 500 halvings remain.
  for (let i = 1; i <= small; i += 1) {
    value *= (n - small + i) / i
    if (value > TWO_TO_500) {
      value *= TWO_TO_MINUS_500
      halvingsLeft -= 500
    }
  }
  while (halvingsLeft > 0 && value > 0) {
    const step = Math.min(halvingsLeft, 500)
    value *= 2 ** -step
    halvingsLeft -= step
  }
  return value
}

/** P(X ≤ k), summed from k down with ratio recursion; accurate in the lower tail (k ≤ n / 2). */
export function halfBinomialCdf(k: number, n: number): number {
  if (k < 0) return 0
  if (k >= n) return 1
  if (2 * k > n) return 1 - halfBinomialCdf(n - k - 1, n)
  let term = 1
  let sum = 1
  for (let i = k; i >= 1; i -= 1) {
    const ratio = i / (n - i + 1)
    term *= ratio
    sum += term
    // Ratios shrink as i falls, so the rest is below term · ratio / (1 − ratio).
    if ((term * ratio) / (1 - ratio) < sum * Number.EPSILON * 0.01) break
  }
  return Math.min(1, halfBinomialPmf(k, n) * sum)
}
