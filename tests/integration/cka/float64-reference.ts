// An independent float64 CKA from raw activations: features centered in float64, the Gram formed
// in float64, and Song et al.'s unbiased HSIC written out term by term (no U-centering).

export function centeredGram64(features: ArrayLike<number>, n: number): Float64Array {
  const p = features.length / n
  const means = new Float64Array(p)
  for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) means[k] += features[i * p + k] / n
  const centered = Float64Array.from({ length: n * p }, (_, idx) => features[idx] - means[idx % p])
  const gram = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0
      for (let k = 0; k < p; k++) sum += centered[i * p + k] * centered[j * p + k]
      gram[i * n + j] = sum
      gram[j * n + i] = sum
    }
  }
  return gram
}

export function hsicByFormula(k: ArrayLike<number>, l: ArrayLike<number>, n: number): number {
  const at = (m: ArrayLike<number>, i: number, j: number): number => (i === j ? 0 : m[i * n + j])
  let trace = 0
  let sumK = 0
  let sumL = 0
  let ones = 0
  for (let i = 0; i < n; i++) {
    let rowK = 0
    let rowL = 0
    for (let j = 0; j < n; j++) {
      trace += at(k, i, j) * at(l, j, i)
      sumK += at(k, i, j)
      sumL += at(l, i, j)
      rowK += at(k, i, j)
      rowL += at(l, i, j)
    }
    ones += rowK * rowL
  }
  return (trace + (sumK * sumL) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * ones) / (n * (n - 3))
}

/** Minibatch CKA: batch-averaged unbiased HSIC terms, as in Nguyen et al. 2021. */
export function minibatchCka64(a: ArrayLike<number>[], b: ArrayLike<number>[], n: number): number {
  let cross = 0
  let selfA = 0
  let selfB = 0
  for (let batch = 0; batch < a.length; batch++) {
    cross += hsicByFormula(a[batch], b[batch], n)
    selfA += hsicByFormula(a[batch], a[batch], n)
    selfB += hsicByFormula(b[batch], b[batch], n)
  }
  return cross / Math.sqrt(selfA * selfB)
}
