import type { ProbePoint, ProbesRequest } from '../../../../electron/api/contract/index.ts'
import { fitLogisticProbe, scoreLinearProbe } from '../../../analysis/probes-logistic/index.ts'
import type { LogisticLossFactory } from '../../../analysis/probes-logistic/index.ts'
import type { LabeledFeatures } from '../../../analysis/probes/feature-moments.ts'
import { everyNeuron, neuronSubset, subsetSize } from '../../../analysis/probes/subsets.ts'

const MAX_ITERATIONS = 1000
const GRADIENT_TOLERANCE = 1e-6

/** The columns of a row-major n×d matrix, as a fresh n×k matrix. */
export function selectColumns(x: Float32Array, n: number, d: number, columns: Int32Array) {
  const k = columns.length
  const out = new Float32Array(n * k)
  for (let row = 0; row < n; row++) {
    const from = row * d
    const to = row * k
    for (let j = 0; j < k; j++) out[to + j] = x[from + columns[j]]
  }
  return out
}

// The ridge run draws the same subsets from the same seeds: a point's two probes see the same neurons.
const subsetOf = (dim: number, fraction: number, seed: number): Int32Array =>
  fraction === 1 ? everyNeuron(dim) : neuronSubset(dim, fraction, seed)

export interface ExactProbeInput {
  exact: NonNullable<ProbesRequest['exact']>
  train: LabeledFeatures
  test: LabeledFeatures
  dim: number
  classes: number
}

/**
 * Multinomial logistic probes with L2 weight decay, trained by L-BFGS to convergence on the whole
 * training split, at the chosen fractions and seeds (the full layer once).
 */
export async function exactProbes(
  input: ExactProbeInput,
  openLoss: LogisticLossFactory,
  tick: () => void,
): Promise<ProbePoint[]> {
  const { exact, train, test, dim, classes } = input
  const points: ProbePoint[] = []
  for (const fraction of exact.fractions) {
    const seeds = fraction === 1 ? [0] : Array.from({ length: exact.seeds }, (_, i) => i + 1)
    for (const seed of seeds) {
      const columns = subsetOf(dim, fraction, seed)
      const k = columns.length
      const fit = await fitLogisticProbe(
        {
          trainX: selectColumns(train.features, train.n, dim, columns),
          trainLabels: train.labels,
          ...{ n: train.n, k, classes, weightDecay: exact.weightDecay },
          ...{ maxIterations: MAX_ITERATIONS, tolerance: GRADIENT_TOLERANCE },
        },
        openLoss,
      )
      const testX = selectColumns(test.features, test.n, dim, columns)
      points.push({
        ...{ basis: 'neurons', solver: 'logistic', fraction, k: subsetSize(fraction, dim), seed },
        regularization: exact.weightDecay,
        accuracy: scoreLinearProbe(testX, test.labels, fit.weights, fit.bias),
        validationAccuracy: null,
        cka: null,
        iterations: fit.iterations,
        converged: fit.converged,
      })
      tick()
    }
  }
  return points
}
