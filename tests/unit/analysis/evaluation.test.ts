import { describe, expect, it } from 'vitest'
import {
  createEvaluationAccumulator,
  evaluateOutputs,
} from '../../../native-models/analysis/evaluate/evaluation.ts'

const options = { classes: ['cat', 'dog', 'fox'], numOutputs: 3, hasTrailingSoftmax: false }

describe('evaluateOutputs', () => {
  it('counts the confusion matrix as [true][predicted] and per-class accuracy from its rows', () => {
    const logits = Float32Array.from([5, 0, 0, 0, 5, 0, 0, 5, 0, 0, 0, 5])
    const result = evaluateOutputs(logits, Int32Array.from([0, 1, 2, 2]), options)
    expect(result.confusion).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ])
    expect(result.perClass).toEqual([
      { name: 'cat', count: 1, accuracy: 1 },
      { name: 'dog', count: 1, accuracy: 1 },
      { name: 'fox', count: 2, accuracy: 0.5 },
    ])
    expect(result.top1).toBe(0.75)
    expect(result.top5).toBe(1)
  })

  it('reports 15 reliability bins whose counts add up to the images', () => {
    const logits = Float32Array.from([1, 2, 3, 3, 2, 1])
    const result = evaluateOutputs(logits, Int32Array.from([2, 1]), options)
    expect(result.reliability).toHaveLength(15)
    expect(result.reliability.reduce((sum, bin) => sum + bin.count, 0)).toBe(2)
  })

  it('does not mutate the outputs or labels it reads', () => {
    const logits = Float32Array.from([1, 2, 3])
    const labels = Int32Array.from([0])
    evaluateOutputs(logits, labels, options)
    expect([...logits, ...labels]).toEqual([1, 2, 3, 0])
  })
})

describe('createEvaluationAccumulator', () => {
  it('returns zeros and empty counts before any batch', () => {
    const result = createEvaluationAccumulator(options).result()
    expect(result).toMatchObject({ numImages: 0, top1: 0, top5: 0, nll: 0, ece: 0 })
    expect(result.confusion.flat().every((n) => n === 0)).toBe(true)
  })

  it('counts the images it has seen', () => {
    const accumulator = createEvaluationAccumulator(options)
    accumulator.add(Float32Array.from([1, 2, 3, 3, 2, 1]), Int32Array.from([2, 0]))
    expect(accumulator.imageCount).toBe(2)
  })

  it('refuses outputs whose length is not images × outputs', () => {
    const accumulator = createEvaluationAccumulator(options)
    expect(() => accumulator.add(new Float32Array(5), new Int32Array(2))).toThrow(
      /Expected 2 × 3 outputs, got 5/,
    )
  })

  it('refuses a label outside the classes', () => {
    const accumulator = createEvaluationAccumulator(options)
    expect(() => accumulator.add(new Float32Array(3), Int32Array.from([3]))).toThrow(
      /Label 3 is outside 0..2/,
    )
  })

  it('refuses NaN outputs, naming the image and output', () => {
    const accumulator = createEvaluationAccumulator(options)
    const logits = Float32Array.from([0, 0, 0, 0, Number.NaN, 0])
    expect(() => accumulator.add(logits, Int32Array.from([0, 0]))).toThrow(
      /Output 1 of image 1 in the batch is NaN/,
    )
  })

  it('refuses more classes than outputs', () => {
    expect(() => createEvaluationAccumulator({ ...options, numOutputs: 2 })).toThrow(
      /3 classes do not fit 2 outputs/,
    )
  })
})
