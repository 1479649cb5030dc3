/**
 * Folds a probe on projected inputs z = x·B[:, K] back onto the raw features:
 * E = B[:, K] W (d×C), so scores = x E + b need no projected copy of the features.
 * `basis` is d×width row-major; `columns` picks K (null: the first rows-of-W columns).
 */
export function foldProjection(
  basis: Float64Array,
  dim: number,
  width: number,
  columns: Int32Array | null,
  weights: Float64Array,
  classes: number,
): Float64Array {
  const k = weights.length / classes
  const folded = new Float64Array(dim * classes)
  for (let j = 0; j < dim; j++) {
    const out = j * classes
    for (let a = 0; a < k; a++) {
      const v = basis[j * width + (columns === null ? a : columns[a])]
      if (v === 0) continue
      for (let c = 0; c < classes; c++) folded[out + c] += v * weights[a * classes + c]
    }
  }
  return folded
}

/** Row-major transpose of an m×n matrix. */
export function transpose(matrix: Float64Array, m: number, n: number): Float64Array {
  const result = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) result[j * m + i] = matrix[i * n + j]
  }
  return result
}
