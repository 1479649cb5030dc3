import { describe, expect, it } from 'vitest'
import { createEvaluationAccumulator } from '../../../../native-models/analysis/evaluate/evaluation.ts'
import { pairedEvaluation } from '../../../../native-models/analysis/evaluate/paired.ts'
import {
  decodePerImage,
  encodePerImage,
} from '../../../../native-models/analysis/evaluate/per-image.ts'
import { SeededRandom } from '../../../../native-models/surgery/prng.ts'
import { wilsonInterval } from '../../../../native-models/analysis/uncertainty/index.ts'

const CLASSES = ['a', 'b', 'c', 'd']

/** Seeded logits for `n` images, a fraction of them pushed towards the label. */
function logitsOf(n: number, seed: number, skill: number, given?: Int32Array) {
  const random = new SeededRandom(seed, 'per-image-test')
  const drawn = Int32Array.from({ length: n }, () => Math.floor(random.nextFloat64() * 4))
  const labels = given ?? drawn
  const outputs = new Float32Array(n * 4).map(() => random.nextFloat64() * 2)
  labels.forEach((label, i) => {
    if (random.nextFloat64() < skill) outputs[i * 4 + label] += 3
  })
  return { outputs, labels }
}

function evaluate(n: number, seed: number, skill: number, labelsFrom?: Int32Array) {
  const { outputs, labels } = logitsOf(n, seed, skill, labelsFrom)
  const accumulator = createEvaluationAccumulator({
    classes: CLASSES,
    numOutputs: 4,
    hasTrailingSoftmax: false,
    perImageCount: n,
  })
  // Two batches, the second first: records land at their selection positions.
  const half = n / 2
  const useLabels = labels
  const positions = (from: number) => Array.from({ length: half }, (_, i) => from + i)
  accumulator.add(outputs.subarray(half * 4), useLabels.subarray(half), positions(half))
  accumulator.add(outputs.subarray(0, half * 4), useLabels.subarray(0, half), positions(0))
  return { result: accumulator.result(), records: accumulator.perImage()!, labels: useLabels }
}

describe('per-image records of an evaluation', () => {
  it('give the Wilson interval of top-1 and bootstrap intervals that hold the point estimates', () => {
    const { result } = evaluate(400, 1, 0.6)
    const intervals = result.intervals!
    expect(intervals.top1).toEqual(wilsonInterval(Math.round(result.top1 * 400), 400))
    for (const key of ['top1', 'top5', 'nll', 'ece'] as const) {
      expect(intervals[key].lower).toBeLessThanOrEqual(result[key])
      expect(intervals[key].upper).toBeGreaterThanOrEqual(result[key])
    }
    expect(intervals.bootstrap).toEqual({ resamples: 1000, seed: 0 })
  })

  it('are stored by selection position and survive the blob encoding', () => {
    const { records, labels } = evaluate(40, 2, 0.5)
    expect([...records.labels]).toEqual([...labels])
    const decoded = decodePerImage(new Float32Array(encodePerImage(records).buffer))
    expect(decoded).toEqual(records)
  })
})

describe('pairedEvaluation', () => {
  it('gives each difference with its interval and counts the discordant images for McNemar', () => {
    const weak = evaluate(400, 3, 0.3)
    const strong = evaluate(400, 4, 0.8, weak.labels)
    const paired = pairedEvaluation(
      { baselineResultId: 1, resultId: 2 },
      weak.records,
      strong.records,
    )
    expect(paired.deltas.top1.estimate).toBeCloseTo(strong.result.top1 - weak.result.top1, 12)
    expect(paired.deltas.ece.estimate).toBeCloseTo(strong.result.ece - weak.result.ece, 6)
    expect(paired.deltas.top1.lower).toBeGreaterThan(0)
    const { onlyBaseline, onlyResult, pValue } = paired.mcnemar
    expect(onlyResult - onlyBaseline).toBe(
      Math.round((strong.result.top1 - weak.result.top1) * 400),
    )
    expect(pValue).toBeLessThan(1e-6)
  })

  it('refuses two evaluations of different images', () => {
    const a = evaluate(40, 5, 0.5)
    const b = evaluate(40, 6, 0.5)
    expect(() =>
      pairedEvaluation({ baselineResultId: 1, resultId: 2 }, a.records, b.records),
    ).toThrow(/disagree on the label of image/)
  })
})
