import { EigenvalueDecomposition, Matrix } from 'ml-matrix'
import { assertMatrixLength } from './dense-products.ts'

export interface SymmetricEigen {
  /** The d eigenvalues in descending order (largest first, as PCA ranks components). */
  values: Float64Array
  /**
   * d×d row-major; column j is the unit eigenvector of values[j], so A·V = V·diag(values).
   * Each column's sign is fixed so that its largest-magnitude entry is positive.
   */
  vectors: Float64Array
}

/**
 * All eigenvalues and eigenvectors of a symmetric d×d matrix (row-major, not modified), by
 * ml-matrix's Householder tridiagonalisation and implicit QL (tred2/tql2, as in JAMA). Symmetry
 * is assumed, not checked.
 * @example const { values, vectors } = symmetricEigen(covariance, 2048) // PCA of the features
 */
export function symmetricEigen(a: Float64Array, d: number): SymmetricEigen {
  assertMatrixLength('a', a, d, d)
  if (d === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) }
  const rows = Array.from({ length: d }, (_, i) => a.subarray(i * d, (i + 1) * d))
  const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true })
  const ascending = decomposition.realEigenvalues
  const eigenvectors = decomposition.eigenvectorMatrix
  const values = new Float64Array(d)
  const vectors = new Float64Array(d * d)
  for (let j = 0; j < d; j++) {
    const source = d - 1 - j
    values[j] = ascending[source]
    const column = eigenvectors.getColumn(source)
    const sign = signOfLargest(column)
    for (let i = 0; i < d; i++) vectors[i * d + j] = sign * column[i]
  }
  return { values, vectors }
}

function signOfLargest(column: readonly number[]): number {
  let largest = 0
  for (const value of column) if (Math.abs(value) > Math.abs(largest)) largest = value
  return largest < 0 ? -1 : 1
}
