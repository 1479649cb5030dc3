/**
 * Linear CKA from Gram matrices (n×n, row-major). Minibatch CKA uses the unbiased HSIC of
 * Song et al. 2012 in the U-centering form of the official efficient_CKA.py (Nguyen, Raghu,
 * Kornblith 2021); full-batch CKA is Kornblith et al. 2019's linear CKA, biased (double
 * centering) or debiased (the unbiased HSIC on the whole set). Everything is float64.
 */

export type GramArray = ArrayLike<number>

/**
 * U-centering (Székely & Rizzo 2014): ⟨Ǩ, Ľ⟩ = n(n−3)·HSIC₁(K, L). Subtracting per-row means of
 * the features first changes nothing here, so Grams of batch-centered features are exact inputs.
 */
export function uCenter(gram: GramArray, n: number): Float64Array {
  if (n < 4) throw new RangeError(`U-centering needs n ≥ 4 (got ${n}).`)
  const k = Float64Array.from({ length: n * n }, (_, i) => gram[i])
  for (let i = 0; i < n; i++) k[i * n + i] = 0
  const means = new Float64Array(n)
  let total = 0
  for (let i = 0; i < n; i++) {
    let row = 0
    for (let j = 0; j < n; j++) row += k[i * n + j]
    means[i] = row / (n - 2)
    total += means[i]
  }
  const shift = total / (2 * (n - 1))
  for (let i = 0; i < n; i++) means[i] -= shift
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) k[i * n + j] = i === j ? 0 : k[i * n + j] - means[i] - means[j]
  }
  return k
}

/** H·K·H with H = I − 11ᵀ/n: the Gram of column-centered features. */
export function doubleCenter(gram: GramArray, n: number): Float64Array {
  const rowMeans = new Float64Array(n)
  let grand = 0
  for (let i = 0; i < n; i++) {
    let row = 0
    for (let j = 0; j < n; j++) row += gram[i * n + j]
    rowMeans[i] = row / n
    grand += row
  }
  grand /= n * n
  const centered = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // K is symmetric, so column means equal row means.
      centered[i * n + j] = gram[i * n + j] - rowMeans[i] - rowMeans[j] + grand
    }
  }
  return centered
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i]
  return sum
}

/** HSIC₁(K, L), the unbiased estimator (Nguyen et al. eq. 3). */
export function unbiasedHsic(k: GramArray, l: GramArray, n: number): number {
  return dot(uCenter(k, n), uCenter(l, n)) / (n * (n - 3))
}

/** A CKA value, or null with the reason when it is undefined (a constant tap, NaN, n < 4). */
export type CkaValue = number | null

function ratio(cross: number, selfA: number, selfB: number): CkaValue {
  const denominator = Math.sqrt(selfA * selfB)
  if (!Number.isFinite(cross) || !Number.isFinite(denominator) || !(denominator > 0)) return null
  return cross / denominator
}

/** Kornblith et al.'s linear CKA of one pair of Grams over the whole set (biased HSIC). */
export function linearCka(k: GramArray, l: GramArray, n: number): CkaValue {
  const kc = doubleCenter(k, n)
  const lc = doubleCenter(l, n)
  return ratio(dot(kc, lc), dot(kc, kc), dot(lc, lc))
}

/** Linear CKA with the unbiased HSIC over the whole set ("debiased CKA"). */
export function debiasedCka(k: GramArray, l: GramArray, n: number): CkaValue {
  if (n < 4) return null
  const ku = uCenter(k, n)
  const lu = uCenter(l, n)
  return ratio(dot(ku, lu), dot(ku, ku), dot(lu, lu))
}

export type CkaEstimator = 'minibatch' | 'linear' | 'debiased'

/**
 * The centered Gram of each batch for each tap: `grams[tap][batch]` is n×n. A checkpoint's taps
 * all come from the same batches, which is what makes two checkpoints comparable.
 */
export interface TapGrams {
  n: number
  grams: GramArray[][]
}

function prepared(set: TapGrams, estimator: CkaEstimator): Float64Array[][] {
  const center = estimator === 'linear' ? doubleCenter : uCenter
  return set.grams.map((batches) => batches.map((gram) => center(gram, set.n)))
}

function sumOfDots(a: Float64Array[], b: Float64Array[]): number {
  let sum = 0
  for (let batch = 0; batch < a.length; batch++) sum += dot(a[batch], b[batch])
  return sum
}

/**
 * CKA between every tap of `a` (rows) and every tap of `b` (columns) over the same batches. With
 * one batch holding the whole set, 'linear' and 'debiased' are the full-batch estimators; with
 * several equal batches, 'minibatch' averages the unbiased HSIC terms over batches (the 1/k and
 * n(n−3) factors cancel in the ratio). Undefined values are null.
 */
export function ckaMatrix(a: TapGrams, b: TapGrams, estimator: CkaEstimator): CkaValue[][] {
  if (a.n !== b.n) throw new RangeError(`Batch sizes differ (${a.n} vs ${b.n}).`)
  const batches = a.grams[0]?.length ?? 0
  if (b.grams.some((tap) => tap.length !== batches) || a.grams.some((t) => t.length !== batches))
    throw new RangeError('Both sides need Grams of the same batches.')
  if (estimator !== 'linear' && a.n < 4) return a.grams.map(() => b.grams.map(() => null))
  const left = prepared(a, estimator)
  const right = a === b ? left : prepared(b, estimator)
  const selfLeft = left.map((tap) => sumOfDots(tap, tap))
  const selfRight = right === left ? selfLeft : right.map((tap) => sumOfDots(tap, tap))
  return left.map((rowTap, i) =>
    right.map((colTap, j) => ratio(sumOfDots(rowTap, colTap), selfLeft[i], selfRight[j])),
  )
}
