// Measures of a weight's filters (its rows) read off the filter Gram G = WWᵀ (n×n, float64):
// G_ii = ‖w_i‖², and the cosine between filters i and j is G_ij / √(G_ii G_jj).

export interface FilterGramMeasures {
  /** ‖W‖_F = √tr(G). */
  frobenius: number
  /** ‖ŴŴᵀ − I‖²_F / n², rows normalised; a zero row normalises to the zero vector. */
  orthogonality: number
  /** ‖WWᵀ − I‖²_F / n², diagonal kept (the filter-bases regulariser). */
  regularizer: number
  /** Mean |cos| over ordered pairs i ≠ j of non-zero rows; 0 when fewer than two. */
  meanAbsCos: number
  /** Rows that are exactly zero (dead filters). */
  zeroRows: number
}

/**
 * Every filter measure from the n×n filter Gram (row-major, symmetric, not modified). The sums
 * run over the Gram's entries rather than through identities such as ‖WWᵀ−I‖²_F =
 * ‖WᵀW‖²_F − 2‖W‖²_F + n, which cancel catastrophically for a nearly orthonormal W.
 * @example filterGramMeasures(await products.crossProduct(weightTransposed, m, n), n)
 */
export function filterGramMeasures(gram: Float64Array, n: number): FilterGramMeasures {
  const inverseNorms = new Float64Array(n)
  let trace = 0
  let regularizer = 0
  let orthogonality = 0
  let zeroRows = 0
  for (let i = 0; i < n; i++) {
    const squaredNorm = gram[i * n + i]
    trace += squaredNorm
    regularizer += (squaredNorm - 1) ** 2
    if (squaredNorm > 0) inverseNorms[i] = 1 / Math.sqrt(squaredNorm)
    else {
      zeroRows += 1
      orthogonality += 1
    }
  }
  let absCosSum = 0
  for (let i = 0; i < n; i++) {
    const base = i * n
    const scale = inverseNorms[i]
    for (let j = i + 1; j < n; j++) {
      const entry = gram[base + j]
      const cos = entry * scale * inverseNorms[j]
      regularizer += 2 * entry * entry
      orthogonality += 2 * cos * cos
      absCosSum += 2 * Math.abs(cos)
    }
  }
  const live = n - zeroRows
  const squaredOrder = n * n
  return {
    frobenius: Math.sqrt(trace),
    orthogonality: n === 0 ? 0 : orthogonality / squaredOrder,
    regularizer: n === 0 ? 0 : regularizer / squaredOrder,
    meanAbsCos: live < 2 ? 0 : absCosSum / (live * (live - 1)),
    zeroRows,
  }
}

/**
 * The floor of ‖WWᵀ − I‖²_F / n² for an n×m weight: WWᵀ has rank at most m, so when n > m at
 * least n − m of its eigenvalues are 0 and WWᵀ − I keeps n − m eigenvalues of −1.
 */
export function regularizerFloor(n: number, m: number): number {
  return n > m ? (n - m) / (n * n) : 0
}
