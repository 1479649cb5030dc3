import { describe, expect, it } from 'vitest'
import {
  prepareT3aStream,
  runT3a,
  runT3aFilters,
} from '../../../../native-models/analysis/t3a/index.ts'
import type {
  AllSupportsBehaviour,
  LinearClassifier,
  SupportFilter,
} from '../../../../native-models/analysis/t3a/index.ts'
import { SeededRandom } from '../../../../native-models/surgery/prng.ts'

const C = 5
const D = 12
const N = 400

function problem(seed: number): { classifier: LinearClassifier; features: Float32Array } {
  const random = new SeededRandom(seed, 't3a-filters')
  const means = Array.from({ length: C * D }, () => random.nextNormal())
  const features = new Float32Array(N * D)
  for (let i = 0; i < N; i++) {
    const label = Math.floor(random.nextFloat64() * C)
    for (let j = 0; j < D; j++)
      features[i * D + j] = means[label * D + j] + 1.5 * random.nextNormal()
  }
  const weights = Float32Array.from(means, (m) => 0.3 * m + 0.2 * random.nextNormal())
  const bias = Float32Array.from({ length: C }, () => 0.5 * random.nextNormal())
  return { classifier: { weights, bias, classes: C, dim: D }, features }
}

/**
 * The reference loop written out plainly (papers.md §2.1): the whole support list, re-sorted
 * stably by entropy per class after every batch, prototypes summed afresh every time.
 */
function plainT3a(
  { classifier, features }: ReturnType<typeof problem>,
  filter: SupportFilter,
  allBehaviour: AllSupportsBehaviour,
  batchSize: number,
): number[] {
  const logitsOf = (row: ArrayLike<number>, withBias: boolean, rows: ArrayLike<number>[]) =>
    rows.map((w, k) => {
      let s = 0
      for (let j = 0; j < D; j++) s += w[j] * row[j]
      return s + (withBias ? classifier.bias[k] : 0)
    })
  const entropyOf = (x: number[]) => {
    const max = Math.max(...x)
    const e = x.map((v) => Math.exp(v - max))
    const total = e.reduce((a, b) => a + b)
    return -e.reduce((s, v, k) => s + (v / total) * (x[k] - max - Math.log(total)), 0)
  }
  const argmaxOf = (x: number[]) => x.reduce((best, v, k) => (v > x[best] ? k : best), 0)
  const wRows = Array.from({ length: C }, (_, k) => classifier.weights.subarray(k * D, (k + 1) * D))
  type Support = { row: ArrayLike<number>; label: number; entropy: number }
  let supports: Support[] = wRows.map((row) => {
    const p = logitsOf(row, true, wRows)
    return { row, label: argmaxOf(p), entropy: entropyOf(p) }
  })
  const predictions: number[] = []
  for (let first = 0; first < N; first += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, N - first) }, (_, r) =>
      features.subarray((first + r) * D, (first + r + 1) * D),
    )
    for (const row of batch) {
      const p = logitsOf(row, true, wRows)
      supports.push({ row, label: argmaxOf(p), entropy: entropyOf(p) })
    }
    supports = Array.from({ length: C }, (_, k) => {
      const ranked = supports.filter((s) => s.label === k).sort((a, b) => a.entropy - b.entropy)
      if (filter !== 'all') return ranked.slice(0, filter)
      return allBehaviour === 'keep-every-support' ? ranked : ranked.slice(0, -1)
    }).flat()
    const prototypes = Array.from({ length: C }, (_, k) => {
      const sum = new Array<number>(D).fill(0)
      for (const s of supports.filter((x) => x.label === k)) {
        const norm = Math.max(Math.hypot(...Array.from(s.row)), 1e-12)
        for (let j = 0; j < D; j++) sum[j] += s.row[j] / norm
      }
      const norm = Math.max(Math.hypot(...sum), 1e-12)
      return sum.map((v) => v / norm)
    })
    for (const row of batch) predictions.push(argmaxOf(logitsOf(row, false, prototypes)))
  }
  return predictions
}

const data = problem(11)
const stream = prepareT3aStream(data.features, data.classifier)
const FILTERS: SupportFilter[] = [1, 3, 20, 100, 'all']

describe('T3A at several M in one pass', () => {
  for (const allBehaviour of ['keep-every-support', 'reference-drops-highest-entropy'] as const)
    it(`gives every M exactly its own run's result (all: ${allBehaviour})`, () => {
      const options = { allBehaviour, batchSize: 50, lastPartialBatch: 'drop' as const }
      const together = runT3aFilters(stream, FILTERS, options)
      FILTERS.forEach((filter, f) =>
        expect(together[f]).toEqual(runT3a(stream, { filter, ...options })),
      )
    })

  for (const batchSize of [1, 7, 32, 64, 400])
    it(`predicts as the reference loop written out plainly, batch size ${batchSize}`, () => {
      const results = runT3aFilters(stream, FILTERS, { batchSize })
      for (const [f, filter] of FILTERS.entries())
        expect([...results[f].t3aPredictions], `M=${filter}`).toEqual(
          plainT3a(data, filter, 'keep-every-support', batchSize),
        )
    })

  it('predicts as the plain loop under the reference slice for all', () => {
    const [result] = runT3aFilters(stream, ['all'], {
      allBehaviour: 'reference-drops-highest-entropy',
      batchSize: 16,
    })
    expect([...result.t3aPredictions]).toEqual(
      plainT3a(data, 'all', 'reference-drops-highest-entropy', 16),
    )
  })

  it('refuses a bad M anywhere in the list', () => {
    expect(() => runT3aFilters(stream, [1, 0])).toThrow(/got '0'/)
  })
})
