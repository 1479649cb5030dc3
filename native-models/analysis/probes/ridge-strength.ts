import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import { probeAccuracy } from './linear-scores.ts'
import type { FeatureView } from './linear-scores.ts'
import { absoluteStrength, fitRidge, traceOf } from './ridge-fit.ts'
import type { RidgeSystem } from './ridge-fit.ts'

/**
 * Default relative ridge strengths r (λ = r · mean variance of the probe's inputs): one per decade
 * from 1e-6 (practically unregularized, only keeps the solve definite) to 10 (shrinks the weights
 * well below the least-squares fit). Eight Cholesky solves per fraction.
 */
export const DEFAULT_RIDGE_GRID: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10]

export interface StrengthChoice {
  relative: number
  /** λ of the chosen fit on the training part. */
  regularization: number
  validationAccuracy: number
  /** Validation top-1 for each grid value, in grid order. */
  validationAccuracies: number[]
}

export function assertRidgeGrid(grid: readonly number[]): void {
  if (grid.length === 0) throw new RangeError('The ridge grid must hold at least one strength.')
  for (const relative of grid) {
    if (!(relative > 0) || !Number.isFinite(relative)) {
      throw new RangeError(`Ridge strengths must be positive and finite, got ${relative}.`)
    }
  }
}

/**
 * Fits the training part's system once per grid value and keeps the r with the best validation
 * top-1; on ties the larger r (the simpler probe).
 */
export async function chooseRidgeStrength(
  trainSystem: RidgeSystem,
  validation: FeatureView,
  grid: readonly number[],
  fallbackScale: number,
  products: DenseProducts,
  afterEachFit: () => void = () => {},
): Promise<StrengthChoice> {
  assertRidgeGrid(grid)
  const trace = traceOf(trainSystem.covariance, trainSystem.k)
  const fits: { relative: number; regularization: number; accuracy: number }[] = []
  for (const relative of grid) {
    const regularization = absoluteStrength(relative, trace, trainSystem.k, fallbackScale)
    const probe = await fitRidge(trainSystem, regularization, products)
    const accuracy = await probeAccuracy(
      validation,
      probe.weights,
      probe.bias,
      trainSystem.classes,
      products,
    )
    fits.push({ relative, regularization, accuracy })
    afterEachFit()
  }
  const best = fits.reduce((kept, fit) =>
    fit.accuracy > kept.accuracy || (fit.accuracy === kept.accuracy && fit.relative > kept.relative)
      ? fit
      : kept,
  )
  return {
    relative: best.relative,
    regularization: best.regularization,
    validationAccuracy: best.accuracy,
    validationAccuracies: fits.map((fit) => fit.accuracy),
  }
}
