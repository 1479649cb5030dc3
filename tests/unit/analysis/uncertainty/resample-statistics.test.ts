import { describe, expect, it } from 'vitest'
import { evaluateOutputs } from '../../../../native-models/analysis/evaluate/evaluation.ts'
import { accuracyOf, eceOf, meanOf } from '../../../../native-models/analysis/uncertainty/index.ts'

const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i)

describe('meanOf', () => {
  it('counts a repeated index once per repetition', () => {
    const mean = meanOf(Float32Array.of(1, 2, 4))
    expect(mean(Int32Array.of(0, 0, 2))).toBe(2)
  })

  it('gives 0 for an empty selection', () => {
    expect(meanOf(Float64Array.of(1))(new Int32Array(0))).toBe(0)
  })
})

describe('accuracyOf', () => {
  it('is the fraction of selected images marked correct', () => {
    const accuracy = accuracyOf(Uint8Array.of(1, 0, 1, 1))
    expect(accuracy(identity(4))).toBe(0.75)
    expect(accuracy(Int32Array.of(1, 1, 2))).toBeCloseTo(1 / 3, 15)
  })
})

describe('eceOf', () => {
  it('equals the evaluation ECE on all images', () => {
    // Two-class logits [x, 0]: confidence is the max softmax, correct when label 0 has the max.
    const logits = Float32Array.from([2, 0, 0, 1.5, 0.3, 0, 4, 0, 0, 0.1, 1, 0, 0, 3, 0.05, 0])
    const labels = Int32Array.of(0, 0, 1, 0, 1, 1, 0, 0)
    const evaluation = evaluateOutputs(logits, labels, {
      classes: ['a', 'b'],
      numOutputs: 2,
      hasTrailingSoftmax: false,
    })
    const confidence = Float64Array.from({ length: 8 }, (_, i) => {
      const [a, b] = [logits[2 * i], logits[2 * i + 1]]
      return 1 / (1 + Math.exp(-Math.abs(a - b)))
    })
    const correct = Uint8Array.from(labels, (label, i) => {
      const predicted = logits[2 * i] >= logits[2 * i + 1] ? 0 : 1
      return predicted === label ? 1 : 0
    })
    expect(eceOf(confidence, correct)(identity(8))).toBeCloseTo(evaluation.ece, 12)
  })

  it('weights an image by how often the resample picks it', () => {
    const ece = eceOf(Float64Array.of(0.9, 0.6), Uint8Array.of(1, 0), 10)
    // bins (0.8, 0.9] and (0.5, 0.6]: |0.9 − 1| · 3/4 + |0.6 − 0| · 1/4
    expect(ece(Int32Array.of(0, 0, 0, 1))).toBeCloseTo(0.075 + 0.15, 15)
  })

  it('refuses confidence and correctness arrays of different lengths', () => {
    expect(() => eceOf(new Float32Array(3), new Uint8Array(2))).toThrow(
      /confidence has 3 images but correct has 2/,
    )
  })
})
