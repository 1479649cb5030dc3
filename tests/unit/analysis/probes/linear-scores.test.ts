import { describe, expect, it } from 'vitest'
import { javascriptProducts } from '../../../../native-models/analysis/linear-algebra/dense-products.ts'
import {
  probeAccuracies,
  probeAccuracy,
} from '../../../../native-models/analysis/probes/linear-scores.ts'
import type { ScoredProbe } from '../../../../native-models/analysis/probes/linear-scores.ts'
import { goldenFeatures, ridgeGolden } from './ridge-golden.ts'

const { dim, classes } = ridgeGolden
const test = goldenFeatures('test')

/** Seeded weights in [-1, 1): a probe whose top-1 is neither 0 nor 1. */
function weightsFor(rows: number, seed: number): Float64Array {
  let state = seed
  return Float64Array.from({ length: rows * classes }, () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 1073741824 - 1
  })
}

function directAccuracy(probe: ScoredProbe, rows: readonly number[]): number {
  const columns = probe.columns ?? Int32Array.from({ length: dim }, (_, j) => j)
  let correct = 0
  for (const row of rows) {
    const scores = Array.from(probe.bias)
    for (const [a, j] of columns.entries()) {
      for (let c = 0; c < classes; c++) {
        scores[c] += test.features[row * dim + j] * probe.weights[a * classes + c]
      }
    }
    if (scores.indexOf(Math.max(...scores)) === test.labels[row]) correct++
  }
  return correct / rows.length
}

describe('scoring several probes in one pass', () => {
  const probes: ScoredProbe[] = [
    { columns: Int32Array.from([3, 17, 40]), weights: weightsFor(3, 1), bias: weightsFor(1, 2) },
    { columns: Int32Array.from([0, 3, 5, 9]), weights: weightsFor(4, 3), bias: weightsFor(1, 4) },
    { columns: null, weights: weightsFor(dim, 5), bias: weightsFor(1, 6) },
  ]
  const rows = Int32Array.from({ length: 120 }, (_, i) => (i * 7) % test.n)

  it('gives each probe the top-1 of scoring it alone, on its own columns', async () => {
    const view = { data: test, dim, rows }
    const together = await probeAccuracies(view, probes, classes, javascriptProducts)
    const alone = await Promise.all(
      probes.map((p) =>
        probeAccuracy(
          { ...view, columns: p.columns },
          p.weights,
          p.bias,
          classes,
          javascriptProducts,
        ),
      ),
    )
    expect(together).toEqual(alone)
    expect(together).toEqual(probes.map((p) => directAccuracy(p, [...rows])))
    expect(new Set(together).size).toBeGreaterThan(1)
  })

  it('reads the union of the probes’ columns when none reads them all', async () => {
    const view = { data: test, dim, rows: null }
    const subsetProbes = probes.slice(0, 2)
    const together = await probeAccuracies(view, subsetProbes, classes, javascriptProducts)
    const everyRow = Array.from({ length: test.n }, (_, i) => i)
    expect(together).toEqual(subsetProbes.map((p) => directAccuracy(p, everyRow)))
  })

  it('scores no probes as an empty list', async () => {
    const view = { data: test, dim, rows: null }
    expect(await probeAccuracies(view, [], classes, javascriptProducts)).toEqual([])
  })
})
