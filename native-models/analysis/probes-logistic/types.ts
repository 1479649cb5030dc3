/** The training rows of a logistic probe. */
export interface LogisticData {
  /** n×k row-major float32. */
  features: Float32Array
  /** n class indices in 0..classes−1. */
  labels: Int32Array
  n: number
  k: number
  classes: number
}

/** The mean cross-entropy (no penalty) and its gradient at one (W, b). */
export interface LossAndGradient {
  loss: number
  /** k×C row-major. */
  weightGradient: Float32Array | Float64Array
  /** C. */
  biasGradient: Float32Array | Float64Array
}

/** The data term of the objective, bound to one training set. */
export interface LogisticLossFunction {
  /** weights: k×C row-major; bias: C. */
  evaluate(weights: Float64Array, bias: Float64Array): Promise<LossAndGradient>
  release(): Promise<void>
}

/** Opens a loss function on a training set: an ORT session, or the JavaScript reference. */
export type LogisticLossFactory = (data: LogisticData) => Promise<LogisticLossFunction>

export interface LogisticProbeProblem {
  /** n×k row-major float32. */
  trainX: Float32Array
  trainLabels: Int32Array
  n: number
  k: number
  classes: number
  /**
   * α in mean CE + (α/2)‖W‖² (the bias is not penalised): SGD's weight decay on the mean loss.
   * scikit-learn's C is 1/(α·n).
   */
  weightDecay: number
  maxIterations: number
  /** Stop when the max-abs gradient of the objective above is at most this. */
  tolerance: number
}

export interface LogisticProbeFit {
  /** k×C row-major. */
  weights: Float64Array
  bias: Float64Array
  iterations: number
  /** Loss and gradient evaluations, the line searches' included. */
  evaluations: number
  /** The max-abs gradient reached the tolerance. */
  converged: boolean
  stopReason: StopReason
  /** The objective: mean CE + (α/2)‖W‖². */
  loss: number
  crossEntropy: number
  gradientMaxAbs: number
}

export type StopReason = 'gradient-tolerance' | 'max-iterations' | 'line-search-failed'
