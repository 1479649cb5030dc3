import { analysisContract } from '../analysis-contract.ts'
import { reads } from '../paths.ts'
import type { DatasetRequest } from '../datasets.ts'
import { IMAGES_HEADLINE } from '../results.ts'
import type { CheckpointJobBase } from '../jobs.ts'
import type { Interval } from './evaluate.ts'
import type { FeatureLayer, FeatureSource } from './features.ts'

/** The paper's fractions (papers.md §1.1), 1.0 (the full layer) included. */
export const DEFAULT_PROBE_FRACTIONS: readonly number[] = [
  0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 0.9, 1,
]

/**
 * Linear probes on random subsets of a layer's neurons (Diffused Redundancy): fit on `dataset`
 * (the training split; a seeded validation part of it picks the ridge strength), scored on
 * `testDataset`. Features come from the workspace's feature cache.
 */
export interface ProbesRequest extends CheckpointJobBase {
  kind: 'probes'
  testDataset: DatasetRequest
  layer: FeatureLayer
  /** Fractions f of the layer's d neurons; k = int(f·d), at least 1. */
  fractions: number[]
  /** Seeded subsets per fraction below 1 (seeds 1..n); the full layer is probed once. */
  seeds: number
  /** Carved from the training features by a seeded permutation, for choosing λ. */
  validation: { fraction: number; seed: number }
  /**
   * Ridge strengths r tried per fraction: λ = r · trace(C_SS)/k for neuron subsets and PCA, and
   * r · trace(C)/d (the layer's mean variance) for random projections, whose columns share one
   * large common direction; null: the default grid 1e-6 … 10.
   */
  ridgeGrid: number[] | null
  baselines: { pca: boolean; randomProjection: boolean }
  /** Exact multinomial logistic probes (L2) at chosen fractions; null: none. */
  exact: { fractions: number[]; seeds: number; weightDecay: number } | null
}

export type ProbeBasis = 'neurons' | 'pca-top' | 'pca-bottom' | 'random-projection'
export type ProbeSolver = 'ridge' | 'logistic'

/** One fitted probe. */
export interface ProbePoint {
  basis: ProbeBasis
  solver: ProbeSolver
  fraction: number
  k: number
  /** The subset's or projection's seed (1..n); 0 for a basis that has no randomness. */
  seed: number
  /** Ridge: the λ used; logistic: the weight decay. */
  regularization: number
  /** Test top-1. */
  accuracy: number
  /** Ridge: top-1 on the validation part (the λ choice); null for logistic (its weight decay is given). */
  validationAccuracy: number | null
  /** Linear CKA(X_S, X) on the training features; null for bases other than neuron subsets. */
  cka: number | null
  /** Logistic only: optimizer iterations and whether the gradient tolerance was met. */
  iterations: number | null
  converged: boolean | null
}

export interface MeanStd {
  mean: number
  /** Sample standard deviation over seeds (0 for one seed). */
  std: number
}

/** The points of one (basis, solver, fraction) summarised over seeds. */
export interface ProbeCurvePoint {
  basis: ProbeBasis
  solver: ProbeSolver
  fraction: number
  k: number
  seeds: number
  accuracy: MeanStd
  cka: MeanStd | null
}

export interface DiffusedRedundancy {
  delta: number
  /** 1 − f*, f* the smallest fraction whose mean accuracy ≥ δ · full-layer accuracy; null: none. */
  value: number | null
  fraction: number | null
}

export interface ProbesResult {
  layer: string
  dim: number
  /** Class names in logit order. */
  classes: string[]
  numTrain: number
  numValidation: number
  numTest: number
  /** The ridge probe on every neuron, with a Wilson 95 % interval over test images. */
  fullLayer: { accuracy: number; interval: Interval; regularization: number }
  points: ProbePoint[]
  curve: ProbeCurvePoint[]
  /** δ ∈ {0.9, 0.95}: an inferred definition (papers.md §1.2), labeled as such. */
  diffusedRedundancy: DiffusedRedundancy[]
  /** The smallest fraction whose mean neuron-subset accuracy is within 5 points of the full layer. */
  within5Points: number | null
  features: { train: FeatureSource; test: FeatureSource }
  /** Wall time of each stage, ms. */
  timings: { moments: number; ridge: number; pca: number; logistic: number }
}

export const probesContract = analysisContract<{
  jobs: ProbesRequest
  payloads: { probes: ProbesResult }
  invoke: Record<never, never>
  charts: 'probe-accuracy' | 'probe-cka'
}>({
  channels: {},
  jobPaths: [reads(0, 'testDataset', 'path')],
  charts: ['probe-accuracy', 'probe-cka'],
  kinds: {
    probes: {
      label: 'Neuron-subset probes',
      headline: [
        {
          key: 'fullAccuracy',
          label: 'full-layer probe top-1',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: true,
          hasInterval: true,
        },
        {
          key: 'dr90',
          label: 'DR δ=0.9 (inferred)',
          format: 'number',
          digits: 3,
          better: null,
          isListed: true,
        },
        {
          key: 'within5Points',
          label: 'fraction within 5 pt',
          format: 'number',
          digits: 4,
          better: 'lower',
          isListed: true,
        },
        IMAGES_HEADLINE,
      ],
    },
  },
})
