import { choleskySolve } from '../linear-algebra/cholesky.ts'
import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import type { FeatureMoments } from './feature-moments.ts'

/** A ridge probe's normal equations on k inputs, in sum form (centered, not divided by n). */
export interface RidgeSystem {
  k: number
  classes: number
  /** C_SS (k×k). */
  covariance: Float64Array
  /** C_SY (k×C). */
  crossCovariance: Float64Array
  /** Mean of the k inputs. */
  mean: Float64Array
  /** ȳ: class frequencies. */
  labelMean: Float64Array
}

/** A fitted probe: scores = x W + b. */
export interface LinearProbe {
  /** k×C row-major. */
  weights: Float64Array
  /** C. */
  bias: Float64Array
  /** The absolute λ (sum form: sklearn Ridge's alpha). */
  regularization: number
}

/** The system of the neuron subset S (ascending indices) from uncentered moments. */
export function subsetSystem(moments: FeatureMoments, subset: Int32Array): RidgeSystem {
  const { count: n, dim, classes, sum, cross, featureLabel, classCounts } = moments
  const k = subset.length
  const covariance = new Float64Array(k * k)
  const crossCovariance = new Float64Array(k * classes)
  for (let a = 0; a < k; a++) {
    const i = subset[a]
    for (let b = 0; b < k; b++) {
      const j = subset[b]
      covariance[a * k + b] = cross[i * dim + j] - (sum[i] * sum[j]) / n
    }
    for (let c = 0; c < classes; c++) {
      crossCovariance[a * classes + c] =
        featureLabel[i * classes + c] - (sum[i] * classCounts[c]) / n
    }
  }
  return {
    k,
    classes,
    covariance,
    crossCovariance,
    mean: Float64Array.from(subset, (i) => sum[i] / n),
    labelMean: classCounts.map((count) => count / n),
  }
}

export function traceOf(square: Float64Array, k: number): number {
  let trace = 0
  for (let i = 0; i < k; i++) trace += square[i * k + i]
  return trace
}

// Mean variance below this share of the layer's is rounding noise (a dead neuron, a null direction).
const NO_VARIANCE = 1e-12

/**
 * λ = r · trace(C_SS)/k, r relative to the inputs' mean variance (sum form). Inputs with no
 * variance (dead neurons) use `fallbackScale` (the full layer's trace/d) instead, so λ > 0 and
 * the solve stays positive definite.
 */
export function absoluteStrength(
  relative: number,
  trace: number,
  k: number,
  fallbackScale: number,
): number {
  const scale = trace / k
  if (scale > NO_VARIANCE * fallbackScale && scale > 0) return relative * scale
  return relative * (fallbackScale > 0 ? fallbackScale : 1)
}

/** W = (C_SS + λI)⁻¹ C_SY by Cholesky, b = ȳ − μ_Sᵀ W. */
export async function fitRidge(
  system: RidgeSystem,
  regularization: number,
  products: DenseProducts,
): Promise<LinearProbe> {
  const { k, classes } = system
  const regularized = system.covariance.slice()
  for (let i = 0; i < k; i++) regularized[i * k + i] += regularization
  const weights = await choleskySolve(regularized, k, system.crossCovariance, classes, products)
  return { weights, bias: interceptOf(system, weights), regularization }
}

/** b = ȳ − μᵀ W. */
export function interceptOf(system: RidgeSystem, weights: Float64Array): Float64Array {
  const { k, classes } = system
  const bias = Float64Array.from(system.labelMean)
  for (let a = 0; a < k; a++) {
    for (let c = 0; c < classes; c++) bias[c] -= system.mean[a] * weights[a * classes + c]
  }
  return bias
}
