import { afterAll, describe, expect, it } from 'vitest'
import { javascriptProducts } from '../../../native-models/analysis/linear-algebra/dense-products.ts'
import { weightGeometry } from '../../../native-models/analysis/weight-geometry/index.ts'
import type { LayerGeometry } from '../../../native-models/analysis/weight-geometry/index.ts'
import { ortDenseProducts } from '../../../native-models/runtime/dense-products.ts'
import { SeededRandom } from '../../../native-models/surgery/prng.ts'

const products = ortDenseProducts()
afterAll(() => products.release())

function heWeight(shape: number[], seed: number): Float32Array {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1))
  const fanOut = shape[0] * shape.slice(2).reduce((a, b) => a * b, 1)
  return new SeededRandom(seed, 'weight-geometry-ort').fillNormal(values, 0, Math.sqrt(2 / fanOut))
}

function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300)
}

function expectSame(ort: LayerGeometry, js: LayerGeometry): void {
  const { singularValues: ortSigma, ...ortScalars } = ort
  const { singularValues: jsSigma, ...jsScalars } = js
  for (const [field, value] of Object.entries(jsScalars)) {
    expect(relativeError(ortScalars[field as keyof typeof ortScalars], value), field).toBeLessThan(
      1e-9,
    )
  }
  expect(ortSigma).toHaveLength(jsSigma.length)
  ortSigma.forEach((sigma, i) => expect(relativeError(sigma, jsSigma[i] ?? NaN)).toBeLessThan(1e-9))
}

describe('weight geometry on ONNX Runtime products', () => {
  it.each([
    ['a 3×3 conv with fewer filters than inputs', [128, 64, 3, 3]],
    ['a 1×1 expansion with more filters than inputs', [512, 128, 1, 1]],
    ['a linear classifier', [10, 2048]],
  ])('equals the plain-JS products on %s', async (_, shape) => {
    const weight = heWeight(shape, shape[0] + shape[1])
    const [ort, js] = [
      await weightGeometry(weight, shape, products),
      await weightGeometry(weight, shape, javascriptProducts),
    ]
    expectSame(ort, js)
  })
})
