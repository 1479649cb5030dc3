export interface SpectrumMeasures {
  /** All min(n, m) singular values, descending. */
  singularValues: number[]
  /** ‖W‖²_F / σ²_max; 0 for an all-zero weight. */
  stableRank: number
  /**
   * exp(H(p)) with p_i = σ_i / Σσ_j: Roy & Vetterli (2007) normalise the singular values
   * themselves, not their squares. 0 for an all-zero weight.
   */
  effectiveRank: number
}

/**
 * Singular values and ranks from the eigenvalues of the smaller Gram (WWᵀ or WᵀW, k×k, any
 * order). Eigenvalues below k·ε·λ_max are rounding noise of the Gram (a zero singular value would
 * come back as about √ε·σ_max), so they count as 0, as NumPy's matrix_rank tolerance does.
 */
export function spectrumMeasures(
  gramEigenvalues: Float64Array,
  squaredFrobenius: number,
): SpectrumMeasures {
  const largestEigenvalue = gramEigenvalues.reduce((max, value) => Math.max(max, value), 0)
  const noise = gramEigenvalues.length * Number.EPSILON * largestEigenvalue
  const singularValues = Array.from(gramEigenvalues, (value) =>
    value > noise ? Math.sqrt(value) : 0,
  )
  singularValues.sort((a, b) => b - a)
  const largest = singularValues[0] ?? 0
  return {
    singularValues,
    stableRank: largest > 0 ? squaredFrobenius / (largest * largest) : 0,
    effectiveRank: effectiveRank(singularValues),
  }
}

function effectiveRank(singularValues: readonly number[]): number {
  const total = singularValues.reduce((sum, value) => sum + value, 0)
  if (total <= 0) return 0
  let entropy = 0
  for (const value of singularValues) {
    const p = value / total
    if (p > 0) entropy -= p * Math.log(p)
  }
  return Math.exp(entropy)
}
