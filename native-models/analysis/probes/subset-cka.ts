/**
 * Linear CKA between neuron subsets and the full layer from the layer's centered covariance C
 * (papers.md §1.2): CKA(X_S, X) = ‖C[S,:]‖²_F / (‖C[S,S]‖_F · ‖C‖_F), all float64.
 */
export interface SubsetCka {
  /** CKA(X_S, X); null when the subset has no variance (CKA undefined). */
  of(subset: Int32Array): number | null
}

/** Precomputes the row norms of C (d×d row-major) once; each subset then costs k² + k. */
export function subsetCka(covariance: Float64Array, dim: number): SubsetCka {
  const rowNormsSquared = new Float64Array(dim)
  let total = 0
  for (let i = 0; i < dim; i++) {
    let norm = 0
    for (let j = 0; j < dim; j++) norm += covariance[i * dim + j] ** 2
    rowNormsSquared[i] = norm
    total += norm
  }
  const fullNorm = Math.sqrt(total)
  return {
    of(subset) {
      let numerator = 0
      let blockSquared = 0
      for (const i of subset) {
        numerator += rowNormsSquared[i]
        for (const j of subset) blockSquared += covariance[i * dim + j] ** 2
      }
      const denominator = Math.sqrt(blockSquared) * fullNorm
      return denominator > 0 ? numerator / denominator : null
    },
  }
}
