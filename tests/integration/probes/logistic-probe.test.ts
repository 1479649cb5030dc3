import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fitLogisticProbe,
  logisticLossAndGradient,
  scoreLinearProbe,
} from '../../../native-models/analysis/probes-logistic/index.ts'
import type {
  LogisticData,
  LogisticLossFunction,
} from '../../../native-models/analysis/probes-logistic/index.ts'
import {
  createSession,
  openLogisticLoss,
  ortLogisticLoss,
} from '../../../native-models/runtime/index.ts'
import {
  LOGISTIC_LOSS_NAMES,
  logisticLossModelBytes,
} from '../../../native-models/surgery/logistic-loss-graph.ts'
import { readLogisticGolden } from '../../unit/analysis/probes-logistic/logistic-golden.ts'

const golden = readLogisticGolden()
const noisy = golden.find((set) => set.name === 'noisy-10')!
const noisyData: LogisticData = {
  features: noisy.trainX,
  labels: noisy.trainLabels,
  n: noisy.n,
  k: noisy.k,
  classes: noisy.classes,
}
const threads = { intraOpNumThreads: 1 }

/** A point away from the optimum, in float32 so the graph sees exactly these values. */
function probePoint(): { weights: Float64Array; bias: Float64Array } {
  const size = noisy.k * noisy.classes
  const weights = Float64Array.from(new Float32Array(size).map((_, i) => 0.2 * Math.sin(i * 1.3)))
  const bias = Float64Array.from(new Float32Array(noisy.classes).map((_, c) => 0.1 * (c - 4)))
  return { weights, bias }
}

describe('the logistic loss graph', () => {
  let loss: LogisticLossFunction
  beforeAll(async () => {
    loss = await openLogisticLoss(noisyData, threads)
  })
  afterAll(async () => {
    await loss.release()
  })

  it('gives the loss and gradient of the float64 JavaScript computation', async () => {
    const { weights, bias } = probePoint()
    const graph = await loss.evaluate(weights, bias)
    const exact = logisticLossAndGradient(noisyData, weights, bias)
    expect(Math.abs(graph.loss / exact.loss - 1)).toBeLessThan(1e-7)
    expect(maxAbsDifference(graph.weightGradient, exact.weightGradient)).toBeLessThan(1e-6)
    expect(maxAbsDifference(graph.biasGradient, exact.biasGradient)).toBeLessThan(1e-7)
    expect(maxAbs(exact.weightGradient)).toBeGreaterThan(1e-2)
  })

  it('gives a gradient that matches central differences of its own loss', async () => {
    const { weights, bias } = probePoint()
    const { weightGradient, biasGradient } = await loss.evaluate(weights, bias)
    const h = 1e-3
    const difference = async (values: Float64Array, index: number): Promise<number> => {
      const plus = values.slice()
      const minus = values.slice()
      plus[index] = Math.fround(values[index] + h)
      minus[index] = Math.fround(values[index] - h)
      const isWeight = values === weights
      const up = await loss.evaluate(isWeight ? plus : weights, isWeight ? bias : plus)
      const down = await loss.evaluate(isWeight ? minus : weights, isWeight ? bias : minus)
      return (up.loss - down.loss) / (plus[index] - minus[index])
    }
    for (const index of [0, 7, 123, 401, 639]) {
      expect(await difference(weights, index)).toBeCloseTo(weightGradient[index], 5)
    }
    for (const c of [0, 5, 9]) expect(await difference(bias, c)).toBeCloseTo(biasGradient[c], 5)
  })

  it('outputs the logits X·W + b', async () => {
    const { k, classes } = noisy
    const session = await createSession(logisticLossModelBytes({ features: k, classes }), threads)
    try {
      const rows = 50
      const { weights, bias } = probePoint()
      const outputs = await session.run(
        {
          [LOGISTIC_LOSS_NAMES.features]: {
            data: noisy.trainX.subarray(0, rows * k),
            dims: [rows, k],
          },
          [LOGISTIC_LOSS_NAMES.labels]: { data: new BigInt64Array(rows), dims: [rows] },
          [LOGISTIC_LOSS_NAMES.weights]: { data: new Float32Array(weights), dims: [k, classes] },
          [LOGISTIC_LOSS_NAMES.bias]: { data: new Float32Array(bias), dims: [classes] },
        },
        [LOGISTIC_LOSS_NAMES.logits],
      )
      const logits = outputs[LOGISTIC_LOSS_NAMES.logits]
      expect(logits.dims).toEqual([rows, classes])
      for (let row = 0; row < rows; row++) {
        for (let c = 0; c < classes; c++) {
          let expected = bias[c]
          for (let j = 0; j < k; j++)
            expected += noisy.trainX[row * k + j] * weights[j * classes + c]
          expect(logits.data[row * classes + c]).toBeCloseTo(expected, 5)
        }
      }
    } finally {
      await session.release()
    }
  })
})

describe.each(golden)('the ORT-fitted probe on the sklearn golden set $name', (set) => {
  it('matches sklearn test accuracy within 0.2 points and the reference objective', async () => {
    const { n, k, classes, weightDecay } = set
    const fit = await fitLogisticProbe(
      {
        trainX: set.trainX,
        trainLabels: set.trainLabels,
        n,
        k,
        classes,
        weightDecay,
        maxIterations: 1000,
        tolerance: 1e-7,
      },
      ortLogisticLoss(threads),
    )
    expect(fit.converged).toBe(true)
    const accuracy = scoreLinearProbe(set.testX, set.testLabels, fit.weights, fit.bias)
    expect(Math.abs(accuracy - set.sklearn.testAccuracy)).toBeLessThanOrEqual(0.002)
    expect(
      agreement(set.testX, fit.weights, fit.bias, set.sklearnPredictions),
    ).toBeGreaterThanOrEqual(0.998)
    const data = { features: set.trainX, labels: set.trainLabels, n, k, classes }
    const objective =
      logisticLossAndGradient(data, fit.weights, fit.bias).loss +
      (weightDecay / 2) * squaredNorm(fit.weights)
    expect(Math.abs(objective / set.reference.objective - 1)).toBeLessThan(1e-7)
    expect(Math.abs(fit.loss / objective - 1)).toBeLessThan(1e-7)
  })
})

/** The fraction of rows whose predicted class equals sklearn's. */
function agreement(
  features: Float32Array,
  weights: Float64Array,
  bias: Float64Array,
  predictions: Int32Array,
): number {
  return scoreLinearProbe(features, predictions, weights, bias)
}

function squaredNorm(values: Float64Array): number {
  return values.reduce((sum, value) => sum + value * value, 0)
}

function maxAbs(values: ArrayLike<number>): number {
  return Array.from(values).reduce((largest, value) => Math.max(largest, Math.abs(value)), 0)
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Array.from(a).reduce((largest, value, i) => Math.max(largest, Math.abs(value - b[i])), 0)
}
