import { symmetricEigen } from '../linear-algebra/symmetric-eigen.ts'
import type { PrincipalBasis } from './pca-probes.ts'

/**
 * The principal axes of the training features from their covariance C (d×d, sum form): one
 * symmetric eigendecomposition, eigenvalues descending, rounding negatives clamped to 0.
 */
export function principalBasis(covariance: Float64Array, dim: number): PrincipalBasis {
  const { values, vectors } = symmetricEigen(covariance, dim)
  return { dim, values: values.map((value) => Math.max(0, value)), vectors }
}
