import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import { foldProjection, transpose } from './projection-weights.ts'
import { absoluteStrength } from './ridge-fit.ts'

/** Principal axes of the training features' covariance C (sum form). */
export interface PrincipalBasis {
  dim: number
  /** Eigenvalues of C, descending, negatives from rounding clamped to 0. */
  values: Float64Array
  /** d×d row-major; column i is the unit eigenvector of values[i]. */
  vectors: Float64Array
}

/** What every PCA probe shares: Vᵀ C_XY (d×C), Vᵀ μ (d) and ȳ. */
export interface PcaTargets {
  basis: PrincipalBasis
  classes: number
  projectedCross: Float64Array
  projectedMean: Float64Array
  labelMean: Float64Array
}

export type PcaEnd = 'top' | 'bottom'

/** A PCA probe folded back onto the raw features: scores = x E + b. */
export interface FoldedProbe {
  /** E (d×C). */
  weights: Float64Array
  bias: Float64Array
  regularization: number
}

export async function pcaTargets(
  basis: PrincipalBasis,
  centered: { crossCovariance: Float64Array; mean: Float64Array; labelMean: Float64Array },
  classes: number,
  products: DenseProducts,
): Promise<PcaTargets> {
  const { dim } = basis
  const transposed = transpose(basis.vectors, dim, dim)
  return {
    basis,
    classes,
    projectedCross: await products.multiply(
      transposed,
      centered.crossCovariance,
      dim,
      dim,
      classes,
    ),
    projectedMean: await products.multiply(transposed, centered.mean, dim, dim, 1),
    labelMean: centered.labelMean,
  }
}

/** The components of the k largest ('top') or k smallest ('bottom') eigenvalues. */
export function pcaComponents(dim: number, k: number, end: PcaEnd): Int32Array {
  const first = end === 'top' ? 0 : dim - k
  return Int32Array.from({ length: k }, (_, a) => first + a)
}

/**
 * Ridge probe on z = x·V_K. In the eigenbasis the covariance is diag(λ_i), so
 * W = diag(1/(λ_i + λ)) V_Kᵀ C_XY with no solve; λ = r · Σ_K λ_i / k.
 */
export function pcaProbe(
  targets: PcaTargets,
  k: number,
  end: PcaEnd,
  relative: number,
  fallbackScale: number,
): FoldedProbe {
  const { basis, classes } = targets
  const components = pcaComponents(basis.dim, k, end)
  let trace = 0
  for (const i of components) trace += basis.values[i]
  const regularization = absoluteStrength(relative, trace, k, fallbackScale)
  const weights = new Float64Array(k * classes)
  const bias = Float64Array.from(targets.labelMean)
  for (const [a, i] of components.entries()) {
    const shrink = 1 / (basis.values[i] + regularization)
    for (let c = 0; c < classes; c++) {
      const w = targets.projectedCross[i * classes + c] * shrink
      weights[a * classes + c] = w
      bias[c] -= targets.projectedMean[i] * w
    }
  }
  const folded = foldProjection(basis.vectors, basis.dim, basis.dim, components, weights, classes)
  return { weights: folded, bias, regularization }
}
