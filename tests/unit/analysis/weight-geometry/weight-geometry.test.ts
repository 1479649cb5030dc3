import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  crossProductJs,
  javascriptProducts,
} from '../../../../native-models/analysis/linear-algebra/dense-products.ts'
import { psdEigenvalues } from '../../../../native-models/analysis/linear-algebra/symmetric-eigenvalues.ts'
import {
  filterGramMeasures,
  geometryFromGrams,
  geometryFromMeasures,
  layerGrams,
  weightGeometry,
} from '../../../../native-models/analysis/weight-geometry/index.ts'
import type { LayerGeometry } from '../../../../native-models/analysis/weight-geometry/index.ts'

interface GoldenCase {
  name: string
  shape: number[]
  weight: number[]
  expected: LayerGeometry
}

const golden = JSON.parse(
  readFileSync(
    new URL(
      '../../../fixtures/goldens/weight-geometry/weight-geometry-synthetic.json',
      import.meta.url,
    ),
    'utf8',
  ),
) as { cases: GoldenCase[] }

const RELATIVE = 1e-6
/** Below this a scalar is zero up to rounding (NumPy's cos_ii is 1 ± ε, not exactly 1). */
const SCALAR_FLOOR = 1e-15

function expectClose(actual: number, expected: number, floor: number, label: string): void {
  const tolerance = Math.max(RELATIVE * Math.abs(expected), floor)
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  )
}

function expectGeometry(actual: LayerGeometry, expected: LayerGeometry, name: string): void {
  expect(actual.rows).toBe(expected.rows)
  expect(actual.columns).toBe(expected.columns)
  expect(actual.zeroRows).toBe(expected.zeroRows)
  const scalars = [
    'frobenius',
    'orthogonality',
    'regularizer',
    'regularizerFloor',
    'meanAbsCos',
    'stableRank',
    'effectiveRank',
  ] as const
  for (const field of scalars) {
    expectClose(actual[field], expected[field], SCALAR_FLOOR, `${name} ${field}`)
  }
  expect(actual.singularValues).toHaveLength(expected.singularValues.length)
  // A singular value NumPy finds at rounding level (the zero row's) is 0 here.
  const sigmaFloor = 1e-12 * (expected.singularValues[0] ?? 0)
  actual.singularValues.forEach((value, i) =>
    expectClose(value, expected.singularValues[i] ?? NaN, sigmaFloor, `${name} σ${i}`),
  )
}

function seededWeight(rows: number, columns: number, seed: number): Float32Array {
  let state = seed >>> 0
  return Float32Array.from({ length: rows * columns }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32 - 0.5
  })
}

/** An n×m weight whose columns are orthonormal (n > m): the first m columns of a rotation. */
function orthonormalColumns(n: number, m: number): Float32Array {
  const weight = new Float32Array(n * m)
  for (let j = 0; j < m; j++) {
    // Hadamard-like ±1/√n columns are exactly orthogonal for n a power of two.
    for (let i = 0; i < n; i++) {
      const parity = popcount(i & j) % 2
      weight[i * m + j] = (parity === 0 ? 1 : -1) / Math.sqrt(n)
    }
  }
  return weight
}

function popcount(value: number): number {
  let count = 0
  for (let v = value; v > 0; v >>= 1) count += v & 1
  return count
}

describe('weight geometry', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))(
    'equals NumPy on the %s weight within 1e-6 relative in every field',
    async (name, testCase) => {
      const geometry = await weightGeometry(
        Float32Array.from(testCase.weight),
        testCase.shape,
        javascriptProducts,
      )
      expectGeometry(geometry, testCase.expected, name)
    },
  )

  it('covers n < m, n > m, 1×1 and 3×3 convs, a linear layer and a dead filter in its goldens', () => {
    const shapes = golden.cases.map((c) => c.shape)
    expect(shapes.some((s) => s.length === 4 && s[2] === 3)).toBe(true)
    expect(shapes.some((s) => s.length === 4 && s[2] === 1)).toBe(true)
    expect(shapes.some((s) => s.length === 2)).toBe(true)
    expect(golden.cases.some((c) => c.expected.rows > c.expected.columns)).toBe(true)
    expect(golden.cases.some((c) => c.expected.rows < c.expected.columns)).toBe(true)
    expect(golden.cases.some((c) => c.expected.zeroRows > 0)).toBe(true)
  })

  it('agrees with the Gram identities ‖WWᵀ−I‖² = ‖WᵀW‖² − 2‖W‖² + n and Σσ² = ‖W‖²', async () => {
    for (const [rows, columns] of [
      [24, 10],
      [10, 24],
    ]) {
      const weight = seededWeight(rows, columns, rows * 31 + columns)
      const geometry = await weightGeometry(weight, [rows, columns], javascriptProducts)
      const inputGram = crossProductJs(weight, rows, columns)
      const squaredInputGram = inputGram.reduce((sum, v) => sum + v * v, 0)
      const squaredFrobenius = geometry.frobenius ** 2
      const viaIdentity = (squaredInputGram - 2 * squaredFrobenius + rows) / rows ** 2
      expect(geometry.regularizer).toBeCloseTo(viaIdentity, 12)
      const sigmaSquares = geometry.singularValues.reduce((sum, s) => sum + s * s, 0)
      expect(sigmaSquares).toBeCloseTo(squaredFrobenius, 12)
      const sigmaFourths = geometry.singularValues.reduce((sum, s) => sum + s ** 4, 0)
      expect(sigmaFourths).toBeCloseTo(squaredInputGram, 10)
    }
  })

  it('reaches the regularizer floor (n − m)/n² exactly when the columns are orthonormal', async () => {
    const geometry = await weightGeometry(orthonormalColumns(32, 8), [32, 8], javascriptProducts)
    expect(geometry.regularizerFloor).toBe((32 - 8) / 32 ** 2)
    expect(geometry.regularizer).toBeCloseTo(geometry.regularizerFloor, 12)
    expect(geometry.singularValues).toHaveLength(8)
    for (const sigma of geometry.singularValues) expect(sigma).toBeCloseTo(1, 6)
  })

  it('ignores row scale in the normalised measures but not in the regularizer', async () => {
    const weight = seededWeight(12, 30, 5)
    const scaled = weight.map((value, index) => value * (1 + Math.floor(index / 30)))
    const plain = await weightGeometry(weight, [12, 3, 10], javascriptProducts)
    const rescaled = await weightGeometry(scaled, [12, 3, 10], javascriptProducts)
    expect(rescaled.orthogonality).toBeCloseTo(plain.orthogonality, 6)
    expect(rescaled.meanAbsCos).toBeCloseTo(plain.meanAbsCos, 6)
    expect(rescaled.regularizer).toBeGreaterThan(plain.regularizer * 10)
  })

  it('gives an all-zero weight zero spectra and counts every row as dead', async () => {
    const geometry = await weightGeometry(new Float32Array(4 * 6), [4, 6], javascriptProducts)
    expect(geometry).toMatchObject({
      frobenius: 0,
      orthogonality: 1 / 4,
      regularizer: 1 / 4,
      meanAbsCos: 0,
      zeroRows: 4,
      stableRank: 0,
      effectiveRank: 0,
      singularValues: [0, 0, 0, 0],
    })
  })

  it('forms the input Gram only when there are more filters than inputs per filter', async () => {
    const wide = await layerGrams(seededWeight(4, 9, 1), [4, 1, 3, 3], javascriptProducts)
    expect(wide.spectrumGram).toBe(wide.filterGram)
    expect(wide.filterGram).toHaveLength(16)
    const tall = await layerGrams(seededWeight(9, 4, 1), [9, 4, 1, 1], javascriptProducts)
    expect(tall.filterGram).toHaveLength(81)
    expect(tall.spectrumGram).toHaveLength(16)
  })

  it('gives the same geometry from filter measures and eigenvalues found elsewhere', async () => {
    for (const [rows, columns] of [
      [12, 5],
      [5, 12],
    ]) {
      const grams = await layerGrams(
        seededWeight(rows, columns, 7),
        [rows, columns],
        javascriptProducts,
      )
      const order = Math.min(rows, columns)
      const filters = filterGramMeasures(grams.filterGram, rows)
      // Ascending, as an eigensolver other than psdEigenvalues may return them.
      const eigenvalues = psdEigenvalues(grams.spectrumGram, order).reverse()
      expect(geometryFromMeasures(rows, columns, filters, eigenvalues)).toEqual(
        geometryFromGrams(grams),
      )
      expect(() => geometryFromMeasures(rows, columns, filters, eigenvalues.subarray(1))).toThrow(
        `has ${order} Gram eigenvalues, got ${order - 1}`,
      )
    }
  })

  it('refuses a weight whose values do not fill its shape, or a shape with one dimension', async () => {
    await expect(weightGeometry(new Float32Array(5), [2, 3], javascriptProducts)).rejects.toThrow(
      /holds 6 values, got 5/,
    )
    await expect(weightGeometry(new Float32Array(5), [5], javascriptProducts)).rejects.toThrow(
      /at least two positive dimensions/,
    )
  })
})
