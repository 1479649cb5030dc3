import { describe, expect, it } from 'vitest'
import {
  fitLogisticProbe,
  javascriptLogisticLoss,
  logisticLossAndGradient,
  scoreLinearProbe,
} from '../../../../native-models/analysis/probes-logistic/index.ts'
import type {
  LogisticLossFactory,
  LogisticProbeProblem,
} from '../../../../native-models/analysis/probes-logistic/index.ts'
import { readLogisticGolden } from './logistic-golden.ts'

/** The root of a decreasing function on [low, high] by bisection. */
function bisect(f: (u: number) => number, low: number, high: number): number {
  for (let i = 0; i < 200; i++) {
    const middle = (low + high) / 2
    if (f(middle) > 0) low = middle
    else high = middle
  }
  return (low + high) / 2
}

function symmetricProblem(weightDecay: number): LogisticProbeProblem {
  return {
    trainX: Float32Array.of(1, -1),
    trainLabels: Int32Array.of(1, 0),
    n: 2,
    k: 1,
    classes: 2,
    weightDecay,
    maxIterations: 100,
    tolerance: 1e-12,
  }
}

describe('fitLogisticProbe', () => {
  it('solves the two-point problem whose optimum is worked by hand', async () => {
    // x = +1 (class 1), x = −1 (class 0). By symmetry b = 0 and W = (−u/2, u/2), so the
    // objective is log(1 + e^−u) + α u²/4, stationary where 1/(1 + e^u) = α u/2.
    const weightDecay = 0.2
    const u = bisect((t) => 1 / (1 + Math.exp(t)) - (weightDecay * t) / 2, 0, 10)
    const fit = await fitLogisticProbe(symmetricProblem(weightDecay), javascriptLogisticLoss)
    expect(fit.converged).toBe(true)
    expect(fit.weights[0]).toBeCloseTo(-u / 2, 10)
    expect(fit.weights[1]).toBeCloseTo(u / 2, 10)
    expect(fit.bias[0]).toBeCloseTo(0, 10)
    expect(fit.bias[1]).toBeCloseTo(0, 10)
    expect(fit.loss).toBeCloseTo(Math.log1p(Math.exp(-u)) + (weightDecay * u * u) / 4, 12)
    expect(fit.crossEntropy).toBeCloseTo(Math.log1p(Math.exp(-u)), 12)
  })

  it('leaves the bias unpenalised: class priors are matched when features carry no signal', async () => {
    // All features 0: only b moves, and the optimum is b = log of the class frequencies
    // (up to a constant), whatever the weight decay.
    const labels = Int32Array.of(0, 0, 0, 1, 2, 2)
    const fit = await fitLogisticProbe(
      {
        trainX: new Float32Array(6 * 2),
        trainLabels: labels,
        n: 6,
        k: 2,
        classes: 3,
        weightDecay: 10,
        maxIterations: 200,
        tolerance: 1e-12,
      },
      javascriptLogisticLoss,
    )
    expect(fit.bias[0] - fit.bias[1]).toBeCloseTo(Math.log(3), 9)
    expect(fit.bias[2] - fit.bias[1]).toBeCloseTo(Math.log(2), 9)
    expect([...fit.weights]).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('releases the loss function when an evaluation fails', async () => {
    let released = 0
    const failing: LogisticLossFactory = () =>
      Promise.resolve({
        evaluate: () => Promise.reject(new Error('session lost')),
        release: () => {
          released++
          return Promise.resolve()
        },
      })
    await expect(fitLogisticProbe(symmetricProblem(0.1), failing)).rejects.toThrow('session lost')
    expect(released).toBe(1)
  })

  it.each([
    [{ weightDecay: -1 }, /Weight decay must be ≥ 0, got -1/],
    [{ tolerance: 0 }, /gradient tolerance must be > 0, got 0/],
    [{ maxIterations: 2.5 }, /maxIterations must be an integer ≥ 0, got 2.5/],
  ])('refuses the setting %o', async (change, message) => {
    const problem = { ...symmetricProblem(0.1), ...change }
    await expect(fitLogisticProbe(problem, javascriptLogisticLoss)).rejects.toThrow(message)
  })

  describe.each(readLogisticGolden())('on the sklearn golden set $name', (set) => {
    it('reaches the reference optimum and sklearn test accuracy within 0.2 points', async () => {
      const { n, k, classes, weightDecay } = set
      const problem = {
        trainX: set.trainX,
        trainLabels: set.trainLabels,
        n,
        k,
        classes,
        weightDecay,
      }
      const fit = await fitLogisticProbe(
        { ...problem, maxIterations: 1000, tolerance: 1e-7 },
        javascriptLogisticLoss,
      )
      expect(fit.converged).toBe(true)
      expect(Math.abs(fit.loss / set.reference.objective - 1)).toBeLessThan(1e-8)
      expect(fit.loss).toBeLessThanOrEqual(set.sklearn.objective)
      const accuracy = scoreLinearProbe(set.testX, set.testLabels, fit.weights, fit.bias)
      expect(Math.abs(accuracy - set.sklearn.testAccuracy)).toBeLessThanOrEqual(0.002)
      const data = { features: set.trainX, labels: set.trainLabels, n, k, classes }
      const exact = logisticLossAndGradient(data, fit.weights, fit.bias).loss
      expect(fit.crossEntropy).toBeCloseTo(exact, 12)
      expect(relativeDistance(fit.weights, set.sklearnWeights)).toBeLessThan(1e-3)
    })
  })
})

function relativeDistance(a: Float64Array, b: Float64Array): number {
  let difference = 0
  let size = 0
  for (let i = 0; i < a.length; i++) {
    difference += (a[i] - b[i]) ** 2
    size += b[i] ** 2
  }
  return Math.sqrt(difference / size)
}
