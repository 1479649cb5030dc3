import { columnMeans, shiftWeightGradient, uncentredBias } from './centering.ts'
import { maxAbs, minimizeLbfgs } from './lbfgs.ts'
import type { Evaluation } from './line-search.ts'
import { assertLogisticData } from './logistic-loss-js.ts'
import type {
  LogisticLossFactory,
  LogisticLossFunction,
  LogisticProbeFit,
  LogisticProbeProblem,
} from './types.ts'

/**
 * Fits a multinomial logistic probe, minimising mean CE + (α/2)‖W‖² (bias not penalised) by
 * L-BFGS from W = 0, b = 0. The loss function (ORT graph or JavaScript) is opened once per fit
 * and released at the end. L-BFGS moves W (k×C row-major) and the bias of the centred features
 * (centering.ts) as one float64 vector; the tolerance applies to the gradient in W and b.
 */
export async function fitLogisticProbe(
  problem: LogisticProbeProblem,
  openLoss: LogisticLossFactory,
): Promise<LogisticProbeFit> {
  const { n, k, classes, weightDecay } = problem
  const data = { features: problem.trainX, labels: problem.trainLabels, n, k, classes }
  assertLogisticData(data)
  assertSettings(problem)
  const means = columnMeans(problem.trainX, n, k)
  const lossFunction = await openLoss(data)
  try {
    const objective = penalisedObjective(lossFunction, means, classes, weightDecay)
    const result = await minimizeLbfgs(objective, new Float64Array(k * classes + classes), {
      maxIterations: problem.maxIterations,
      gradientTolerance: problem.tolerance,
      gradientMeasure: (gradient) => maxAbs(uncentredGradient(gradient, means, classes)),
    })
    const weights = result.point.slice(0, k * classes)
    return {
      weights,
      bias: uncentredBias(result.point.subarray(k * classes), weights, means),
      iterations: result.iterations,
      evaluations: result.evaluations,
      converged: result.converged,
      stopReason: result.stopReason,
      loss: result.value,
      crossEntropy: result.value - (weightDecay / 2) * squaredNorm(weights),
      gradientMaxAbs: result.gradientMaxAbs,
    }
  } finally {
    await lossFunction.release()
  }
}

/** The objective and its gradient at (W, b′), b′ the bias of the centred features. */
function penalisedObjective(
  lossFunction: LogisticLossFunction,
  means: Float64Array,
  classes: number,
  weightDecay: number,
): (parameters: Float64Array) => Promise<Evaluation> {
  return async (parameters) => {
    const weights = parameters.subarray(0, means.length * classes)
    const centredBias = parameters.subarray(means.length * classes)
    const data = await lossFunction.evaluate(weights, uncentredBias(centredBias, weights, means))
    const gradient = new Float64Array(parameters.length)
    for (let i = 0; i < weights.length; i++) {
      gradient[i] = data.weightGradient[i] + weightDecay * weights[i]
    }
    gradient.set(data.biasGradient, weights.length)
    shiftWeightGradient(gradient, data.biasGradient, means, -1)
    return { value: data.loss + (weightDecay / 2) * squaredNorm(weights), gradient }
  }
}

/** The gradient in (W, b) from the one in (W, b′). */
function uncentredGradient(
  gradient: Float64Array,
  means: Float64Array,
  classes: number,
): Float64Array {
  const original = gradient.slice()
  const biasGradient = gradient.subarray(means.length * classes)
  shiftWeightGradient(original, biasGradient, means, 1)
  return original
}

function squaredNorm(values: Float64Array): number {
  let sum = 0
  for (const value of values) sum += value * value
  return sum
}

function assertSettings(problem: LogisticProbeProblem): void {
  if (!(problem.weightDecay >= 0)) {
    throw new RangeError(`Weight decay must be ≥ 0, got ${problem.weightDecay}.`)
  }
  if (!Number.isInteger(problem.maxIterations) || problem.maxIterations < 0) {
    throw new RangeError(`maxIterations must be an integer ≥ 0, got ${problem.maxIterations}.`)
  }
  if (!(problem.tolerance > 0)) {
    throw new RangeError(`The gradient tolerance must be > 0, got ${problem.tolerance}.`)
  }
}
