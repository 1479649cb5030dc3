import { describe, expect, it } from 'vitest'
import { prepareT3aStream, runT3a } from '../../../../native-models/analysis/t3a/index.ts'
import type { LinearClassifier } from '../../../../native-models/analysis/t3a/index.ts'
import { SeededRandom } from '../../../../native-models/surgery/prng.ts'

const C = 4
const D = 6
const N = 150

function randomValues(length: number, random: SeededRandom): Float32Array {
  return Float32Array.from({ length }, () => 2 * random.nextFloat64() - 1)
}

function randomProblem(seed: number): {
  classifier: LinearClassifier
  features: Float32Array
  labels: Int32Array
} {
  const random = new SeededRandom(seed, 't3a-properties')
  const classifier = {
    weights: randomValues(C * D, random),
    bias: randomValues(C, random),
    classes: C,
    dim: D,
  }
  const features = randomValues(N * D, random)
  const labels = Int32Array.from({ length: N }, () => Math.floor(random.nextFloat64() * C))
  return { classifier, features, labels }
}

function logitsOf(classifier: LinearClassifier, row: Float32Array): number[] {
  return Array.from({ length: C }, (_, k) => {
    let s = classifier.bias[k]
    for (let j = 0; j < D; j++) s += classifier.weights[k * D + j] * row[j]
    return s
  })
}

function argmaxOf(values: number[]): number {
  return values.reduce((best, v, k) => (v > values[best] ? k : best), 0)
}

function unit(values: number[]): number[] {
  const norm = Math.hypot(...values)
  return norm === 0 ? values.map(() => 0) : values.map((v) => v / norm)
}

const problem = randomProblem(3)
const stream = prepareT3aStream(problem.features, problem.classifier, problem.labels)
const rowOf = (i: number): Float32Array => problem.features.subarray(i * D, (i + 1) * D)

describe('T3A properties', () => {
  it('gives as base predictions the argmax of the classifier logits W z + b', () => {
    const result = runT3a(stream, { filter: 5 })
    const expected = Array.from({ length: N }, (_, i) =>
      argmaxOf(logitsOf(problem.classifier, rowOf(i))),
    )
    expect([...result.basePredictions]).toEqual(expected)
  })

  it('with M = all and one batch predicts by cosine to prototypes of the rows plus the whole batch', () => {
    const result = runT3a(stream, { filter: 'all', batchSize: N })
    const sums = Array.from({ length: C }, () => new Array<number>(D).fill(0))
    const add = (row: Float32Array, label: number): void => {
      unit([...row]).forEach((v, j) => (sums[label][j] += v))
    }
    for (let k = 0; k < C; k++) {
      const row = problem.classifier.weights.subarray(k * D, (k + 1) * D)
      add(row, argmaxOf(logitsOf(problem.classifier, row)))
    }
    for (let i = 0; i < N; i++) add(rowOf(i), argmaxOf(logitsOf(problem.classifier, rowOf(i))))
    const prototypes = sums.map(unit)
    const expected = Array.from({ length: N }, (_, i) =>
      argmaxOf(prototypes.map((c) => c.reduce((s, v, j) => s + v * rowOf(i)[j], 0))),
    )
    expect([...result.t3aPredictions]).toEqual(expected)
    expect([...result.supports.counts].reduce((a, b) => a + b)).toBe(C + N)
  })

  it('never keeps more than M supports in a class', () => {
    for (const filter of [1, 2, 5, 20]) {
      const { counts } = runT3a(stream, { filter, batchSize: 7 }).supports
      expect(Math.max(...counts), `M=${filter}`).toBeLessThanOrEqual(filter)
    }
  })

  it('keeps every support under all, and one fewer per class and step under the reference slice', () => {
    const every = runT3a(stream, { filter: 'all', batchSize: 10 }).supports
    const reference = runT3a(stream, {
      filter: 'all',
      allBehaviour: 'reference-drops-highest-entropy',
      batchSize: 10,
    }).supports
    for (let b = 0; b < every.batches; b++) {
      const kept = every.counts.slice(b * C, (b + 1) * C).reduce((a, x) => a + x)
      expect(kept).toBe(C + 10 * (b + 1))
    }
    const first = reference.counts.slice(0, C)
    const firstAll = every.counts.slice(0, C)
    expect([...first]).toEqual([...firstAll].map((n) => Math.max(0, n - 1)))
  })

  it('with M at least the stream length behaves exactly as keeping all supports', () => {
    const large = runT3a(stream, { filter: N + C })
    const all = runT3a(stream, { filter: 'all' })
    expect(large.t3aPredictions).toEqual(all.t3aPredictions)
    expect(large.supports.counts).toEqual(all.supports.counts)
  })

  it('drops the last partial batch as a prefix of the predict policy', () => {
    const predicted = runT3a(stream, { filter: 5, batchSize: 32 })
    const dropped = runT3a(stream, { filter: 5, batchSize: 32, lastPartialBatch: 'drop' })
    expect(predicted.predictedCount).toBe(N)
    expect(dropped.predictedCount).toBe(128)
    expect(dropped.droppedCount).toBe(22)
    expect(dropped.t3aPredictions).toEqual(predicted.t3aPredictions.slice(0, 128))
    expect(dropped.supports.batches).toBe(4)
    expect(predicted.supports.batches).toBe(5)
  })

  it('is deterministic and leaves its inputs untouched', () => {
    const before = [
      Float32Array.from(problem.features),
      Float32Array.from(problem.classifier.weights),
    ]
    const a = runT3a(prepareT3aStream(problem.features, problem.classifier, problem.labels), {
      filter: 20,
    })
    const b = runT3a(prepareT3aStream(problem.features, problem.classifier, problem.labels), {
      filter: 20,
    })
    expect(a).toEqual(b)
    expect(problem.features).toEqual(before[0])
    expect(problem.classifier.weights).toEqual(before[1])
  })

  it('reports accuracies against the labels and none without them', () => {
    const result = runT3a(stream, { filter: 5 })
    const correct = result.t3aPredictions.filter((p, i) => p === problem.labels[i]).length
    expect(result.t3aAccuracy).toBe(correct / N)
    const unlabelled = runT3a(prepareT3aStream(problem.features, problem.classifier), { filter: 5 })
    expect(unlabelled.baseAccuracy).toBeNull()
    expect(unlabelled.t3aAccuracy).toBeNull()
    expect(unlabelled.t3aPredictions).toEqual(result.t3aPredictions)
  })
})

describe('T3A on a hand-worked two-class stream', () => {
  // W = identity, b = (0, 0.5). Logit gaps: row 0 → 0.5, row 1 → 1.5; x1 = (3, 2) → (3, 2.5),
  // gap 0.5, class 0, the same entropy as row 0; x2 = (1, 1.2) → (1, 1.7), gap 0.7, class 1;
  // x3 = (2, 1.8) → (2, 2.3), gap 0.3, class 1. With M = 1 the older row 0 wins the tie and
  // row 1 beats x2, x3, so the prototypes stay e1, e2 and T3A predicts argmax z, without the bias.
  const classifier = {
    weights: Float32Array.from([1, 0, 0, 1]),
    bias: Float32Array.from([0, 0.5]),
    classes: 2,
    dim: 2,
  }
  const features = Float32Array.from([3, 2, 1, 1.2, 2, 1.8])
  const result = runT3a(prepareT3aStream(features, classifier), { filter: 1 })

  it('keeps the warm-up row on an entropy tie and drops the bias', () => {
    expect([...result.basePredictions]).toEqual([0, 1, 1])
    expect([...result.t3aPredictions]).toEqual([0, 1, 0])
    expect([...result.supports.counts]).toEqual([1, 1])
    const gapEntropy = (gap: number): number => {
      const p = 1 / (1 + Math.exp(-gap))
      return -(p * Math.log(p) + (1 - p) * Math.log(1 - p))
    }
    expect(result.supports.meanEntropy[0]).toBeCloseTo(gapEntropy(0.5), 12)
    expect(result.supports.meanEntropy[1]).toBeCloseTo(gapEntropy(1.5), 12)
  })
})

describe('T3A input checks', () => {
  it('refuses a filter that is not a positive integer or all', () => {
    expect(() => runT3a(stream, { filter: 0 })).toThrow(/positive integer or 'all', got '0'/)
    expect(() => runT3a(stream, { filter: 2.5 })).toThrow(/got '2.5'/)
  })

  it('refuses a batch size below one', () => {
    expect(() => runT3a(stream, { filter: 1, batchSize: 0 })).toThrow(
      /batch size must be a positive integer/,
    )
  })

  it('refuses features whose length is not a multiple of the classifier width', () => {
    expect(() => prepareT3aStream(new Float32Array(D + 1), problem.classifier)).toThrow(
      /not a multiple of the classifier's d = 6/,
    )
  })

  it('refuses labels outside the classes and a wrong label count', () => {
    const features = problem.features.subarray(0, 2 * D)
    expect(() => prepareT3aStream(features, problem.classifier, Int32Array.from([0, C]))).toThrow(
      /Label 4 of image 1 is outside 0..3/,
    )
    expect(() => prepareT3aStream(features, problem.classifier, Int32Array.from([0]))).toThrow(
      /Got 1 labels for 2 feature rows/,
    )
  })

  it('refuses non-finite features', () => {
    const features = Float32Array.from(problem.features.subarray(0, 2 * D))
    features[D + 2] = Number.NaN
    expect(() => prepareT3aStream(features, problem.classifier)).toThrow(
      /Row 1 of the features is not finite/,
    )
  })
})
