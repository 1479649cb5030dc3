// Because the bias is not penalised, the fit can run on centred features at no cost in exactness:
// with b′ = b + μᵀW, x·W + b = (x − μ)·W + b′ and the penalty (α/2)‖W‖² is unchanged. Pooled
// ReLU features have a large common mean, which gives the Hessian one huge eigenvalue; in the
// centred coordinates L-BFGS needs far fewer iterations. The features themselves are never
// copied: the change of coordinates acts on (W, b) and on the gradient, O(k·C) per evaluation.

/** Column means (k) of n×k row-major features, accumulated in float64. */
export function columnMeans(features: Float32Array, n: number, k: number): Float64Array {
  const means = new Float64Array(k)
  for (let row = 0; row < n; row++) {
    const offset = row * k
    for (let j = 0; j < k; j++) means[j] += features[offset + j]
  }
  for (let j = 0; j < k; j++) means[j] /= n
  return means
}

/** b = b′ − μᵀW: the bias of the uncentred features. W is k×C row-major. */
export function uncentredBias(
  centredBias: Float64Array,
  weights: Float64Array,
  means: Float64Array,
): Float64Array {
  const classes = centredBias.length
  const bias = Float64Array.from(centredBias)
  for (let j = 0; j < means.length; j++) {
    const mean = means[j]
    if (mean === 0) continue
    for (let c = 0; c < classes; c++) bias[c] -= mean * weights[j * classes + c]
  }
  return bias
}

/**
 * Turns ∂f/∂W at fixed b into ∂f/∂W at fixed b′ (in place): ∂f/∂W − μ (∂f/∂b)ᵀ. Adding
 * instead of subtracting (sign = +1) maps back.
 */
export function shiftWeightGradient(
  weightGradient: Float64Array,
  biasGradient: ArrayLike<number>,
  means: Float64Array,
  sign: 1 | -1,
): void {
  const classes = biasGradient.length
  for (let j = 0; j < means.length; j++) {
    const mean = sign * means[j]
    if (mean === 0) continue
    for (let c = 0; c < classes; c++) weightGradient[j * classes + c] += mean * biasGradient[c]
  }
}
