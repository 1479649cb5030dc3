import { Matrix, SingularValueDecomposition } from 'ml-matrix'
import { assertMatrixLength } from './dense-products.ts'

/**
 * The eigenvalues of a symmetric positive semi-definite d×d matrix (row-major, not modified),
 * descending, as the singular values of ml-matrix's SVD with both vector sets off: for a PSD
 * matrix they are the eigenvalues. Measured on the 2-core dev VM (CPU ms, values only): 440 at
 * d = 512 and 2,600 at d = 1024, against 560 and 4,500 for `symmetricEigen`, which always
 * accumulates eigenvectors. A rounding-level negative eigenvalue comes back as its magnitude.
 * @example const variances = psdEigenvalues(gram, 512)
 */
export function psdEigenvalues(a: Float64Array, d: number): Float64Array {
  assertMatrixLength('a', a, d, d)
  if (d === 0) return new Float64Array(0)
  const rows = Array.from({ length: d }, (_, i) => a.subarray(i * d, (i + 1) * d))
  const decomposition = new SingularValueDecomposition(new Matrix(rows), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: false,
  })
  return Float64Array.from(decomposition.diagonal).sort((x, y) => y - x)
}
