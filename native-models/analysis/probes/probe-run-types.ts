import type {
  DiffusedRedundancy,
  ProbeCurvePoint,
  ProbePoint,
} from '../../../electron/api/contract/analyses/probes.ts'
import type { Interval } from '../../../electron/api/contract/analyses/evaluate.ts'
import type { LabeledFeatures } from './feature-moments.ts'

/** What `runRidgeProbes` needs; features are n×d row-major float32, labels in 0..C−1. */
export interface RidgeProbesInput {
  train: LabeledFeatures
  test: LabeledFeatures
  dim: number
  classes: number
  /** Fractions in (0, 1]; the full layer (1) is always probed, once. */
  fractions: readonly number[]
  /** Seeds 1..seeds per fraction below 1. */
  seeds: number
  /** Part of the training rows held out to choose λ: the first floor(f·n) of a seeded permutation. */
  validation: { fraction: number; seed: number }
  /**
   * Relative strengths r (neurons, PCA: λ = r · trace(C_SS)/k; random projections:
   * λ = r · tr(C)/d); null: DEFAULT_RIDGE_GRID.
   */
  ridgeGrid: readonly number[] | null
  baselines: { pca: boolean; randomProjection: boolean }
}

export type ProbeStage = 'moments' | 'probes'

export interface ProbeProgress {
  stage: ProbeStage
  /** Moments: rows accumulated; probes: probes fitted (λ-search fits included). */
  done: number
  total: number
}

export interface RidgeProbesOptions {
  onProgress?: (progress: ProbeProgress) => void
  /** Checked between probes. */
  signal?: AbortSignal
  /** Wall clock for the timings, ms (default performance.now). */
  now?: () => number
  /** Training rows per moments chunk (default: about 16 MB of float32 features). */
  chunkRows?: number
}

/** The neuron subset of one (fraction, seed): store it, the reference's subsets cannot be replayed. */
export interface ProbeSubset {
  fraction: number
  /** 1..seeds; 0 for the full layer. */
  seed: number
  /** Ascending neuron indices. */
  indices: Int32Array
}

/** The λ choice at one fraction (first seed's subset or projection, fitted on the training part). */
export interface RidgeStrengthChoice {
  fraction: number
  /** r: λ = r · trace(C_SS)/k. */
  relative: number
  validationAccuracy: number
  /** Validation top-1 per grid value, in `grid` order. */
  validationAccuracies: number[]
}

export interface RidgeProbesOutput {
  dim: number
  classes: number
  numTrain: number
  numValidation: number
  numTest: number
  fullLayer: { accuracy: number; interval: Interval; regularization: number }
  points: ProbePoint[]
  curve: ProbeCurvePoint[]
  diffusedRedundancy: DiffusedRedundancy[]
  within5Points: number | null
  subsets: ProbeSubset[]
  grid: number[]
  /** The neuron subsets' choices, one per fraction (PCA probes reuse them below 1). */
  strengths: RidgeStrengthChoice[]
  /** The random projections' own choices, one per fraction below 1; empty without them. */
  projectionStrengths: RidgeStrengthChoice[]
  /** Eigenvalues of the training covariance (sum form, descending); null without the PCA baseline. */
  pcaEigenvalues: Float64Array | null
  /** Wall time per stage, ms. */
  timings: { moments: number; ridge: number; pca: number; randomProjection: number }
}
