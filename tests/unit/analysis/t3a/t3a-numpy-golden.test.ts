import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  prepareT3aStream,
  runT3a,
  runT3aFilters,
} from '../../../../native-models/analysis/t3a/index.ts'
import type {
  AllSupportsBehaviour,
  LastPartialBatchPolicy,
  SupportFilter,
} from '../../../../native-models/analysis/t3a/index.ts'

// Made by tests/reference/t3a_numpy.py (its header has the command).
interface GoldenRun {
  stream: string
  filter: SupportFilter
  allBehaviour: AllSupportsBehaviour | null
  lastPartialBatch: LastPartialBatchPolicy
  basePredictions: number[]
  t3aPredictions: number[]
  baseAccuracy: number
  t3aAccuracy: number
  baseMeanEntropy: number
  t3aMeanEntropy: number
  supportCounts: number[][]
  supportMeanEntropy: (number | null)[][]
}
interface Golden {
  classes: number
  dim: number
  count: number
  batchSize: number
  weights: number[]
  bias: number[]
  features: number[]
  labels: number[]
  warmupPseudoLabels: number[]
  streams: Record<string, number[]>
  runs: GoldenRun[]
}

const golden = JSON.parse(
  readFileSync(
    new URL('../../../fixtures/goldens/t3a/t3a-synthetic.json', import.meta.url),
    'utf8',
  ),
) as Golden
const classifier = {
  weights: Float32Array.from(golden.weights),
  bias: Float32Array.from(golden.bias),
  classes: golden.classes,
  dim: golden.dim,
}

function streamOf(name: string): ReturnType<typeof prepareT3aStream> {
  const order = golden.streams[name]
  const features = new Float32Array(order.length * golden.dim)
  for (const [row, source] of order.entries())
    features.set(
      golden.features.slice(source * golden.dim, (source + 1) * golden.dim),
      row * golden.dim,
    )
  const labels = Int32Array.from(order, (source) => golden.labels[source])
  return prepareT3aStream(features, classifier, labels)
}

const streams = new Map(Object.keys(golden.streams).map((name) => [name, streamOf(name)]))

function describeRun(run: GoldenRun): string {
  const all = run.allBehaviour === null ? '' : ` (${run.allBehaviour})`
  return `${run.stream} stream, M=${run.filter}${all}, last batch ${run.lastPartialBatch}`
}

describe('T3A against the NumPy transcription of the reference', () => {
  it('covers every M, both meanings of all, both streams and both last-batch policies', () => {
    const filters = new Set(golden.runs.map((run) => String(run.filter)))
    expect([...filters].sort()).toEqual(['1', '100', '20', '5', '50', 'all'])
    const behaviours = new Set(golden.runs.map((run) => run.allBehaviour))
    expect(behaviours).toEqual(
      new Set([null, 'keep-every-support', 'reference-drops-highest-entropy']),
    )
    expect(golden.runs).toHaveLength(2 * 7 * 2)
  })

  it('gives the warm-up rows the same pseudo-labels, one of them not its own class', () => {
    const stream = streams.get('shuffled')!
    expect([...stream.pseudoLabels.slice(0, golden.classes)]).toEqual(golden.warmupPseudoLabels)
    expect(golden.warmupPseudoLabels.some((label, k) => label !== k)).toBe(true)
  })

  for (const run of golden.runs)
    it(`predicts exactly as NumPy on the ${describeRun(run)}`, () => {
      const result = runT3a(streams.get(run.stream)!, {
        filter: run.filter,
        allBehaviour: run.allBehaviour ?? undefined,
        batchSize: golden.batchSize,
        lastPartialBatch: run.lastPartialBatch,
      })
      expect([...result.basePredictions]).toEqual(run.basePredictions)
      expect([...result.t3aPredictions]).toEqual(run.t3aPredictions)
      expect(result.baseAccuracy).toBeCloseTo(run.baseAccuracy, 12)
      expect(result.t3aAccuracy).toBeCloseTo(run.t3aAccuracy, 12)
      expect(result.baseMeanEntropy).toBeCloseTo(run.baseMeanEntropy, 9)
      expect(result.t3aMeanEntropy).toBeCloseTo(run.t3aMeanEntropy, 9)
      const { batches, classes, counts, meanEntropy } = result.supports
      expect(batches).toBe(run.supportCounts.length)
      for (let b = 0; b < batches; b++) {
        expect([...counts.slice(b * classes, (b + 1) * classes)]).toEqual(run.supportCounts[b])
        for (let k = 0; k < classes; k++) {
          const expected = run.supportMeanEntropy[b][k]
          if (expected === null) expect(meanEntropy[b * classes + k]).toBeNaN()
          else expect(meanEntropy[b * classes + k]).toBeCloseTo(expected, 9)
        }
      }
    })

  for (const stream of Object.keys(golden.streams))
    for (const allBehaviour of ['keep-every-support', 'reference-drops-highest-entropy'] as const)
      for (const lastPartialBatch of ['predict', 'drop'] as const)
        it(`predicts every M in one pass exactly as NumPy (${stream}, all: ${allBehaviour}, last batch ${lastPartialBatch})`, () => {
          const runs = golden.runs.filter(
            (run) =>
              run.stream === stream &&
              run.lastPartialBatch === lastPartialBatch &&
              (run.allBehaviour === null || run.allBehaviour === allBehaviour),
          )
          const results = runT3aFilters(
            streams.get(stream)!,
            runs.map((run) => run.filter),
            { allBehaviour, batchSize: golden.batchSize, lastPartialBatch },
          )
          expect(runs).toHaveLength(6)
          for (const [f, run] of runs.entries())
            expect([...results[f].t3aPredictions], describeRun(run)).toEqual(run.t3aPredictions)
        })
})
