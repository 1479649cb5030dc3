import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  ckaMatrix,
  debiasedCka,
  linearCka,
  uCenter,
  unbiasedHsic,
} from '../../../native-models/analysis/cka/cka.ts'
import type { TapGrams } from '../../../native-models/analysis/cka/cka.ts'
import { SeededRandom } from '../../../native-models/surgery/prng.ts'

const demo = JSON.parse(
  readFileSync(new URL('../../fixtures/goldens/cka-demo-notebook.json', import.meta.url), 'utf8'),
) as { X: number[][]; Y: number[][] }

function gramOf(rows: number[][]): Float64Array {
  const n = rows.length
  const gram = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) gram[i * n + j] = rows[i].reduce((s, v, k) => s + v * rows[j][k], 0)
  return gram
}

function randomRows(n: number, p: number, seed: number): number[][] {
  const random = new SeededRandom(seed, 'cka-test')
  return Array.from({ length: n }, () => Array.from({ length: p }, () => random.nextNormal()))
}

function centerRows(rows: number[][]): number[][] {
  const means = rows[0].map((_, k) => rows.reduce((s, r) => s + r[k], 0) / rows.length)
  return rows.map((r) => r.map((v, k) => v - means[k]))
}

/** Song et al. 2012's formula written out term by term, independent of the U-centering form. */
function hsicByFormula(k: Float64Array, l: Float64Array, n: number): number {
  const kt = k.map((v, i) => (i % (n + 1) === 0 ? 0 : v))
  const lt = l.map((v, i) => (i % (n + 1) === 0 ? 0 : v))
  let trace = 0
  let sumK = 0
  let sumL = 0
  let ones = 0
  for (let i = 0; i < n; i++) {
    let rowK = 0
    let colL = 0
    for (let j = 0; j < n; j++) {
      trace += kt[i * n + j] * lt[j * n + i]
      sumK += kt[i * n + j]
      sumL += lt[i * n + j]
      rowK += kt[j * n + i]
      colL += lt[i * n + j]
    }
    ones += rowK * colL
  }
  return (trace + (sumK * sumL) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * ones) / (n * (n - 3))
}

describe('linear CKA', () => {
  it("reproduces the demo notebook's linear and debiased values to 1e-5", () => {
    const k = gramOf(demo.X)
    const l = gramOf(demo.Y)
    expect(Math.abs(linearCka(k, l, 100)! - 0.55761)).toBeLessThan(1e-5)
    expect(Math.abs(debiasedCka(k, l, 100)! - 0.51346)).toBeLessThan(1e-5)
  })

  it('gives the U-centering dot product n(n−3) times the unbiased HSIC formula', () => {
    const n = 12
    const k = gramOf(randomRows(n, 5, 1))
    const l = gramOf(randomRows(n, 7, 2))
    expect(unbiasedHsic(k, l, n)).toBeCloseTo(hsicByFormula(k, l, n), 12)
    const dot = uCenter(k, n).reduce((s, v, i) => s + v * uCenter(l, n)[i], 0)
    expect(dot / (n * (n - 3))).toBeCloseTo(hsicByFormula(k, l, n), 12)
  })

  it('is unchanged when the features are centered before the Gram', () => {
    const rows = randomRows(10, 6, 3)
    const other = gramOf(randomRows(10, 4, 4))
    const plain = debiasedCka(gramOf(rows), other, 10)!
    expect(debiasedCka(gramOf(centerRows(rows)), other, 10)).toBeCloseTo(plain, 12)
    expect(linearCka(gramOf(centerRows(rows)), other, 10)).toBeCloseTo(
      linearCka(gramOf(rows), other, 10)!,
      12,
    )
  })
})

function tapGrams(taps: number[][][][], n: number): TapGrams {
  return { n, grams: taps.map((batches) => batches.map(gramOf)) }
}

describe('minibatch CKA matrix', () => {
  const n = 8
  const batchesOf = (p: number, seed: number) =>
    [0, 1, 2].map((b) => randomRows(n, p, seed * 10 + b))
  const a = batchesOf(6, 1)
  const b = batchesOf(9, 2)
  const set = tapGrams([a, b], n)

  it('is symmetric with a diagonal of 1 within a checkpoint', () => {
    const matrix = ckaMatrix(set, set, 'minibatch')
    expect(matrix[0][0]).toBeCloseTo(1, 12)
    expect(matrix[1][1]).toBeCloseTo(1, 12)
    expect(matrix[0][1]).toBeCloseTo(matrix[1][0]!, 12)
  })

  it('equals the ratio of batch-averaged unbiased HSIC terms', () => {
    const k = a.map(gramOf)
    const l = b.map(gramOf)
    const mean = (f: (i: number) => number) => [0, 1, 2].reduce((s, i) => s + f(i), 0) / 3
    const cross = mean((i) => hsicByFormula(k[i], l[i], n))
    const selfK = mean((i) => hsicByFormula(k[i], k[i], n))
    const selfL = mean((i) => hsicByFormula(l[i], l[i], n))
    expect(ckaMatrix(set, set, 'minibatch')[0][1]).toBeCloseTo(cross / Math.sqrt(selfK * selfL), 12)
  })

  it('is invariant to isotropic scaling and to an orthogonal transform of the features', () => {
    const scaled = a.map((rows) => rows.map((r) => r.map((v) => 3.5 * v)))
    // A Givens rotation of features 0 and 1 is orthogonal.
    const [c, s] = [Math.cos(0.7), Math.sin(0.7)]
    const rotated = a.map((rows) =>
      rows.map((r) => [c * r[0] - s * r[1], s * r[0] + c * r[1], ...r.slice(2)]),
    )
    const base = ckaMatrix(tapGrams([a], n), tapGrams([b], n), 'minibatch')[0][0]!
    expect(ckaMatrix(tapGrams([scaled], n), tapGrams([b], n), 'minibatch')[0][0]).toBeCloseTo(
      base,
      12,
    )
    expect(ckaMatrix(tapGrams([rotated], n), tapGrams([b], n), 'minibatch')[0][0]).toBeCloseTo(
      base,
      12,
    )
  })

  it('gives null, never a number, for a constant tap, NaN activations or n < 4', () => {
    const constant = [0, 1, 2].map(() => Array.from({ length: n }, () => [1, 2, 3]))
    const withNaN = a.map((rows, i) => (i === 1 ? rows.map((r) => r.map(() => NaN)) : rows))
    expect(ckaMatrix(tapGrams([constant], n), tapGrams([b], n), 'minibatch')[0][0]).toBeNull()
    expect(ckaMatrix(tapGrams([withNaN], n), tapGrams([b], n), 'minibatch')[0][0]).toBeNull()
    const tiny = tapGrams([[randomRows(3, 4, 9)]], 3)
    expect(ckaMatrix(tiny, tiny, 'minibatch')[0][0]).toBeNull()
    expect(ckaMatrix(tapGrams([constant], n), tapGrams([b], n), 'linear')[0][0]).toBeNull()
  })
})
