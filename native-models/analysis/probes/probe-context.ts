import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import type { FeatureMoments, LabeledFeatures } from './feature-moments.ts'
import type { RowView } from './linear-scores.ts'

/** What every probe stage reads, computed once per run. */
export interface ProbeContext {
  dim: number
  classes: number
  products: DenseProducts
  train: LabeledFeatures
  test: LabeledFeatures
  /** Moments of the training part (the λ search fits on it). */
  trainPart: FeatureMoments
  /** Moments of every training row (the reported probes fit on it). */
  whole: FeatureMoments
  /** Centered sum-form statistics of every training row. */
  centered: {
    covariance: Float64Array
    crossCovariance: Float64Array
    mean: Float64Array
    labelMean: Float64Array
  }
  validationRows: Int32Array
  /**
   * Mean variance (trace/d) of the full layer: λ's scale for random projections, and for other
   * probes when their inputs have no variance.
   */
  fallbackScale: { trainPart: number; whole: number }
  grid: readonly number[]
  /** Counts a fitted probe and checks the abort signal. */
  tick: () => void
}

export function meanVariance(moments: FeatureMoments): number {
  const { count: n, dim, cross, sum } = moments
  let trace = 0
  for (let i = 0; i < dim; i++) trace += cross[i * dim + i] - (sum[i] * sum[i]) / n
  return trace / dim
}

export function validationRows(context: ProbeContext): RowView {
  return { data: context.train, dim: context.dim, rows: context.validationRows }
}

export function testRows(context: ProbeContext): RowView {
  return { data: context.test, dim: context.dim, rows: null }
}
