/**
 * Overwrites the lower triangle of the row-major k×k `matrix` with its Cholesky factor L
 * (A = L Lᵀ) and zeroes the strict upper triangle. `pivotOffset` shifts the pivot index in
 * errors when `matrix` is a diagonal block of a larger one.
 */
export function factorLowerInPlace(matrix: Float64Array, k: number, pivotOffset: number): void {
  for (let i = 0; i < k; i++) {
    const rowI = i * k
    for (let j = 0; j <= i; j++) {
      const rowJ = j * k
      let sum = matrix[rowI + j]
      for (let p = 0; p < j; p++) sum -= matrix[rowI + p] * matrix[rowJ + p]
      if (j < i) {
        matrix[rowI + j] = sum / matrix[rowJ + j]
      } else {
        if (!(sum > 0)) throw notPositiveDefinite(pivotOffset + i, sum)
        matrix[rowI + i] = Math.sqrt(sum)
      }
    }
    for (let j = i + 1; j < k; j++) matrix[rowI + j] = 0
  }
}

/** Solves L Y = X in place for lower-triangular L (k×k) and X (k×columns). */
export function forwardSubstituteInPlace(
  lower: Float64Array,
  k: number,
  x: Float64Array,
  columns: number,
): void {
  for (let i = 0; i < k; i++) {
    const rowI = i * columns
    for (let p = 0; p < i; p++) {
      const lip = lower[i * k + p]
      if (lip === 0) continue
      const rowP = p * columns
      for (let c = 0; c < columns; c++) x[rowI + c] -= lip * x[rowP + c]
    }
    const pivot = lower[i * k + i]
    for (let c = 0; c < columns; c++) x[rowI + c] /= pivot
  }
}

/** Solves Lᵀ X = Y in place for lower-triangular L (k×k) and Y (k×columns). */
export function backSubstituteInPlace(
  lower: Float64Array,
  k: number,
  y: Float64Array,
  columns: number,
): void {
  for (let i = k - 1; i >= 0; i--) {
    const rowI = i * columns
    const pivot = lower[i * k + i]
    for (let c = 0; c < columns; c++) y[rowI + c] /= pivot
    for (let p = 0; p < i; p++) {
      const lip = lower[i * k + p]
      if (lip === 0) continue
      const rowP = p * columns
      for (let c = 0; c < columns; c++) y[rowP + c] -= lip * y[rowI + c]
    }
  }
}

function notPositiveDefinite(pivot: number, value: number): RangeError {
  return new RangeError(
    `Matrix is not positive definite: pivot ${pivot} is ${value} (must be > 0). ` +
      'Is the ridge strength too small for a rank-deficient XᵀX?',
  )
}

/** inv(L) for lower-triangular L (n×n), row by row: row i = (eᵢ − Σₚ₍ᵢ L[i,p]·row p) / L[i,i]. */
export function invertLower(lower: Float64Array, n: number): Float64Array {
  const inverse = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    const rowI = i * n
    for (let p = 0; p < i; p++) {
      const lip = lower[rowI + p]
      if (lip === 0) continue
      const rowP = p * n
      for (let c = 0; c <= p; c++) inverse[rowI + c] -= lip * inverse[rowP + c]
    }
    inverse[rowI + i] += 1
    const pivot = lower[rowI + i]
    for (let c = 0; c <= i; c++) inverse[rowI + c] /= pivot
  }
  return inverse
}
