import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import { probeAccuracies } from './linear-scores.ts'
import type { RowView, ScoredProbe } from './linear-scores.ts'
import { absoluteStrength, fitRidge, traceOf } from './ridge-fit.ts'
import type { RidgeSystem } from './ridge-fit.ts'

/**
 * Default relative ridge strengths r (λ = r · mean variance of the probe's inputs): one per decade
 * from 1e-6 (practically unregularized, only keeps the solve definite) to 10 (shrinks the weights
 * well below the least-squares fit). Eight Cholesky solves per fraction for the neurons, eight
 * more for the random projections.
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

/** One fit of the λ search, on the training part: its relative r and the probe to score. */
export interface GridFit extends ScoredProbe {
  regularization: number
}

/**
 * Scores the training part's fits (one per grid value, in grid order) on the validation rows in
 * one pass and keeps the r with the best validation top-1; on ties the larger r (the simpler
 * probe).
 */
export async function chooseRidgeStrength(
  grid: readonly number[],
  fits: readonly GridFit[],
  validation: RowView,
  classes: number,
  products: DenseProducts,
): Promise<StrengthChoice> {
  assertRidgeGrid(grid)
  if (fits.length !== grid.length) {
    throw new RangeError(`Expected one fit per grid value (${grid.length}), got ${fits.length}.`)
  }
  const accuracies = await probeAccuracies(validation, fits, classes, products)
  let best = 0
  for (let i = 1; i < grid.length; i++) {
    const better = accuracies[i] > accuracies[best]
    if (better || (accuracies[i] === accuracies[best] && grid[i] > grid[best])) best = i
  }
  return {
    relative: grid[best],
    regularization: fits[best].regularization,
    validationAccuracy: accuracies[best],
    validationAccuracies: accuracies,
  }
}

/** Fits a ridge system once per grid value; `columns` are its inputs (null: all d features). */
export async function gridFits(
  system: RidgeSystem,
  columns: Int32Array | null,
  grid: readonly number[],
  fallbackScale: number,
  products: DenseProducts,
  afterEachFit: () => void,
): Promise<GridFit[]> {
  assertRidgeGrid(grid)
  const trace = traceOf(system.covariance, system.k)
  const fits: GridFit[] = []
  for (const relative of grid) {
    const regularization = absoluteStrength(relative, trace, system.k, fallbackScale)
    const probe = await fitRidge(system, regularization, products)
    fits.push({ columns, weights: probe.weights, bias: probe.bias, regularization })
    afterEachFit()
  }
  return fits
}
