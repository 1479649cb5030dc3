import { describe, expect, it } from 'vitest'
import {
  javascriptLogisticLoss,
  logisticLossAndGradient,
} from '../../../../native-models/analysis/probes-logistic/index.ts'
import type { LogisticData } from '../../../../native-models/analysis/probes-logistic/index.ts'

function seededData(n: number, k: number, classes: number): LogisticData {
  let state = 7
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state / 2 ** 32
  }
  const features = Float32Array.from({ length: n * k }, () => next() * 4 - 2)
  const labels = Int32Array.from({ length: n }, () => Math.floor(next() * classes))
  return { features, labels, n, k, classes }
}

describe('logisticLossAndGradient', () => {
  it('gives ln C and the hand-computed gradient at W = 0, b = 0', () => {
    // rows x = (1, 2) with label 0 and x = (3, −1) with label 1; P = ½ everywhere, so
    // P − Y = (−½, ½) and (½, −½), and ∂/∂W = Xᵀ(P − Y)/2:
    // row 0 of W: (1·(−½, ½) + 3·(½, −½))/2 = (½, −½); row 1: (2·(−½, ½) − 1·(½, −½))/2 = (−¾, ¾).
    const data = {
      features: Float32Array.of(1, 2, 3, -1),
      labels: Int32Array.of(0, 1),
      n: 2,
      k: 2,
      classes: 2,
    }
    const { loss, weightGradient, biasGradient } = logisticLossAndGradient(
      data,
      new Float64Array(4),
      new Float64Array(2),
    )
    expect(loss).toBeCloseTo(Math.LN2, 15)
    expect([...weightGradient]).toEqual([0.5, -0.5, -0.75, 0.75])
    expect([...biasGradient]).toEqual([0, 0])
  })

  it('gives −log softmax of the true class for one row', () => {
    const data = { features: Float32Array.of(2), labels: Int32Array.of(2), n: 1, k: 1, classes: 3 }
    const { loss } = logisticLossAndGradient(
      data,
      Float64Array.of(1, -1, 0.5),
      Float64Array.of(0, 0, 0.25),
    )
    const logits = [2, -2, 1.25]
    const expected = Math.log(logits.reduce((sum, z) => sum + Math.exp(z), 0)) - 1.25
    expect(loss).toBeCloseTo(expected, 14)
  })

  it('agrees with central finite differences of the loss', () => {
    const data = seededData(30, 5, 4)
    const weights = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i) * 0.3)
    const bias = Float64Array.of(0.1, -0.2, 0.05, 0)
    const { weightGradient, biasGradient } = logisticLossAndGradient(data, weights, bias)
    const h = 1e-6
    const numeric = (values: Float64Array, i: number) => {
      const plus = values.slice()
      const minus = values.slice()
      plus[i] += h
      minus[i] -= h
      const up =
        values === weights
          ? logisticLossAndGradient(data, plus, bias)
          : logisticLossAndGradient(data, weights, plus)
      const down =
        values === weights
          ? logisticLossAndGradient(data, minus, bias)
          : logisticLossAndGradient(data, weights, minus)
      return (up.loss - down.loss) / (2 * h)
    }
    weights.forEach((_, i) => expect(weightGradient[i]).toBeCloseTo(numeric(weights, i), 8))
    bias.forEach((_, c) => expect(biasGradient[c]).toBeCloseTo(numeric(bias, c), 8))
  })

  it('stays finite for logits in the thousands', () => {
    const data = {
      features: Float32Array.of(1000),
      labels: Int32Array.of(1),
      n: 1,
      k: 1,
      classes: 2,
    }
    const { loss } = logisticLossAndGradient(data, Float64Array.of(3, 0), Float64Array.of(0, 0))
    expect(loss).toBeCloseTo(3000, 9)
  })
})

describe('javascriptLogisticLoss', () => {
  it('refuses a label outside 0..C−1, naming its row', () => {
    const data = {
      features: Float32Array.of(1, 2),
      labels: Int32Array.of(0, 3),
      n: 2,
      k: 1,
      classes: 3,
    }
    expect(() => javascriptLogisticLoss(data)).toThrow(/Label 3 at row 1 is outside 0..2/)
  })

  it('refuses features that do not hold n×k values', () => {
    const data = {
      features: new Float32Array(5),
      labels: Int32Array.of(0, 1),
      n: 2,
      k: 3,
      classes: 2,
    }
    expect(() => javascriptLogisticLoss(data)).toThrow(/hold 5 values; n×k = 2×3 needs 6/)
  })
})
