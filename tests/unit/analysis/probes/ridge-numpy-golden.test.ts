import { describe, expect, it } from 'vitest'
import { javascriptProducts } from '../../../../native-models/analysis/linear-algebra/dense-products.ts'
import {
  accumulateSplitMoments,
  addMoments,
  centeredMoments,
} from '../../../../native-models/analysis/probes/feature-moments.ts'
import type { FeatureMoments } from '../../../../native-models/analysis/probes/feature-moments.ts'
import { probeAccuracy } from '../../../../native-models/analysis/probes/linear-scores.ts'
import { pcaProbe, pcaTargets } from '../../../../native-models/analysis/probes/pca-probes.ts'
import { principalBasis } from '../../../../native-models/analysis/probes/pca-basis.ts'
import {
  projectedSystem,
  randomProjection,
  randomProjectionProbe,
} from '../../../../native-models/analysis/probes/random-projection.ts'
import {
  absoluteStrength,
  fitRidge,
  subsetSystem,
  traceOf,
} from '../../../../native-models/analysis/probes/ridge-fit.ts'
import { subsetCka } from '../../../../native-models/analysis/probes/subset-cka.ts'
import { expectWeightsClose, goldenFeatures, relativeError, ridgeGolden } from './ridge-golden.ts'

const { dim, classes } = ridgeGolden
const train = goldenFeatures('train')
const test = goldenFeatures('test')
const testView = (columns: Int32Array | null) => ({ data: test, dim, rows: null, columns })

async function wholeMoments(chunkRows: number): Promise<FeatureMoments> {
  // A few rows held out, then summed back: the two-part pass must give every row's moments.
  const isValidation = Uint8Array.from({ length: train.n }, (_, row) => (row % 9 === 4 ? 1 : 0))
  const parts = await accumulateSplitMoments(
    train,
    dim,
    classes,
    isValidation,
    javascriptProducts,
    chunkRows,
  )
  return addMoments(parts.train, parts.validation)
}

const moments = await wholeMoments(64)
const centered = centeredMoments(moments)
const fallbackScale = traceOf(centered.covariance, dim) / dim

describe('ridge probes against a NumPy float64 solve on centered data', () => {
  it.each(ridgeGolden.cases.map((c, i) => [i, c] as const))(
    'case %i: weights within 1e-6 relative, same bias, λ and test top-1',
    async (_, golden) => {
      const subset = Int32Array.from(golden.subset)
      const system = subsetSystem(moments, subset)
      const lambda = absoluteStrength(
        golden.relative,
        traceOf(system.covariance, subset.length),
        subset.length,
        fallbackScale,
      )
      expect(Math.abs(lambda - golden.lambda) / golden.lambda).toBeLessThan(1e-9)
      const probe = await fitRidge(system, golden.lambda, javascriptProducts)
      expectWeightsClose(probe.weights, golden.weights)
      expect(relativeError(probe.bias, golden.bias)).toBeLessThan(1e-6)
      const accuracy = await probeAccuracy(
        testView(subset),
        probe.weights,
        probe.bias,
        classes,
        javascriptProducts,
      )
      expect(accuracy).toBe(golden.testAccuracy)
    },
  )

  it('gives the same moments whatever the chunk size', async () => {
    const other = await wholeMoments(1000)
    expect(relativeError(other.cross, moments.cross)).toBeLessThan(1e-14)
    expect(relativeError(other.featureLabel, moments.featureLabel)).toBeLessThan(1e-14)
    expect(other.classCounts).toEqual(moments.classCounts)
  })
})

describe('subset-vs-full CKA from the covariance', () => {
  const cka = subsetCka(centered.covariance, dim)
  it.each(
    ridgeGolden.cases.filter((c) => c.relative === 1).map((c) => [c.subset.length, c] as const),
  )('equals the centered-Gram (HSIC) CKA to 1e-9 for a subset of %i neurons', (_, golden) => {
    const value = cka.of(Int32Array.from(golden.subset))
    if (golden.cka === null) expect(value).toBeNull()
    else expect(Math.abs((value ?? NaN) - golden.cka)).toBeLessThan(1e-9)
  })
})

describe('PCA and random-projection baselines', () => {
  const basis = principalBasis(centered.covariance, dim)

  it('finds the eigenvalues of the training covariance', () => {
    expect(relativeError(basis.values, ridgeGolden.pcaEigenvalues)).toBeLessThan(1e-10)
  })

  it.each(ridgeGolden.pcaCases.map((c) => [c.end, c.k, c] as const))(
    '%s-%i PCA probe matches NumPy ridge on x·V_K (folded weights, bias, top-1)',
    async (end, k, golden) => {
      const targets = await pcaTargets(basis, centered, classes, javascriptProducts)
      const probe = pcaProbe(targets, k, end, golden.relative, fallbackScale)
      expect(Math.abs(probe.regularization - golden.lambda) / golden.lambda).toBeLessThan(1e-9)
      expectWeightsClose(probe.weights, golden.foldedWeights)
      expect(relativeError(probe.bias, golden.bias)).toBeLessThan(1e-6)
      const accuracy = await probeAccuracy(
        testView(null),
        probe.weights,
        probe.bias,
        classes,
        javascriptProducts,
      )
      expect(accuracy).toBe(golden.testAccuracy)
    },
  )

  it.each(ridgeGolden.projectionCases.map((c) => [c.seed, c.k, c] as const))(
    'seed-%i projection to %i dimensions matches NumPy ridge on x·P[:, :k]',
    async (seed, k, golden) => {
      const projection = randomProjection(dim, golden.width, seed)
      const system = await projectedSystem(projection, centered, classes, javascriptProducts)
      const probe = await randomProjectionProbe(
        projection,
        system,
        k,
        golden.relative,
        fallbackScale,
        javascriptProducts,
      )
      expect(Math.abs(probe.regularization - golden.lambda) / golden.lambda).toBeLessThan(1e-9)
      expectWeightsClose(probe.weights, golden.foldedWeights)
      expect(relativeError(probe.bias, golden.bias)).toBeLessThan(1e-6)
      const accuracy = await probeAccuracy(
        testView(null),
        probe.weights,
        probe.bias,
        classes,
        javascriptProducts,
      )
      expect(accuracy).toBe(golden.testAccuracy)
    },
  )
})
