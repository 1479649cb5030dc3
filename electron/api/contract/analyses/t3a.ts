import { analysisContract } from '../analysis-contract.ts'
import { reads } from '../paths.ts'
import type { CorruptionCell } from '../corruptions.ts'
import type { DatasetRequest } from '../datasets.ts'
import { IMAGES_HEADLINE } from '../results.ts'
import type { CheckpointJobBase } from '../jobs.ts'
import type { Interval } from './evaluate.ts'
import type { FeatureSource } from './features.ts'

/** Supports kept per class: a positive M, or 'all'. */
export type T3aFilter = number | 'all'

/** The reference's grid (papers.md §2.2); 'all' is its filter_K = −1. */
export const DEFAULT_T3A_FILTERS: readonly T3aFilter[] = [1, 5, 20, 50, 100, 'all']

/** One domain T3A adapts to, from a fresh state: an image set, optionally under a corruption cell. */
export interface T3aDomain {
  label: string
  dataset: DatasetRequest
  corruption: CorruptionCell | null
}

/**
 * T3A (Iwasawa & Matsuo 2021) on the penultimate features and the final linear layer: per domain,
 * the base classifier's accuracy and T3A's for each filter size M. Back-propagation free; the
 * model is never changed. Features come from the workspace's feature cache.
 */
export interface T3aRequest extends CheckpointJobBase {
  kind: 't3a'
  /** The domains, each adapted from a reset state; null: `dataset` alone (clean). */
  domains: T3aDomain[] | null
  filters: T3aFilter[]
  /**
   * M = 'all': 'keep-every-support' never filters; 'reference-drops-highest-entropy' reproduces
   * the reference's filter_K = −1 (it drops each class's highest-entropy support every batch).
   */
  allBehaviour: 'keep-every-support' | 'reference-drops-highest-entropy'
  /** Test batch size of the stream (the reference's 32). */
  streamBatch: number
  /**
   * 'shuffle': a stored seeded permutation (the reference's order); 'dataset': file order, which
   * for an image folder is sorted by class and collapses the supports.
   */
  order: { kind: 'shuffle'; seed: number } | { kind: 'dataset' }
  /** The last partial batch: adapted on and predicted, or left out as the reference's drop_last. */
  lastPartialBatch: 'predict' | 'drop'
}

/** T3A at one filter size on one domain. */
export interface T3aFilterResult {
  filter: T3aFilter
  accuracy: number
  /** Wilson 95 % over the predicted images. */
  interval: Interval
  /** T3A − base on the same images: a paired bootstrap 95 % interval, and McNemar's exact p. */
  delta: { value: number; interval: Interval; mcnemarP: number }
  /** Mean softmax entropy of T3A's cosine logits. */
  meanEntropy: number
  /**
   * The support set over the stream, thinned to at most 100 batches (`batches` lists which):
   * per batch, each class's support count, and the mean entropy over all supports.
   */
  supports: { batches: number[]; counts: number[][]; meanEntropy: number[] }
}

export interface T3aDomainResult {
  label: string
  corruption: CorruptionCell | null
  numImages: number
  /** Images predicted (all, or all but a dropped last partial batch). */
  predicted: number
  base: { accuracy: number; interval: Interval; meanEntropy: number }
  filters: T3aFilterResult[]
  features: FeatureSource
}

export interface T3aResult {
  /** Class names in logit order. */
  classes: string[]
  dim: number
  streamBatch: number
  order: T3aRequest['order']
  lastPartialBatch: T3aRequest['lastPartialBatch']
  allBehaviour: T3aRequest['allBehaviour']
  domains: T3aDomainResult[]
  /** T3A's own time over every domain and filter, features excluded, ms. */
  adaptMs: number
}

export const t3aContract = analysisContract<{
  jobs: T3aRequest
  payloads: { t3a: T3aResult }
  invoke: Record<never, never>
  charts: 't3a-domains' | 't3a-supports'
}>({
  channels: {},
  jobPaths: [reads(0, 'domains', '*', 'dataset', 'path')],
  charts: ['t3a-domains', 't3a-supports'],
  kinds: {
    t3a: {
      label: 'T3A test-time adaptation',
      headline: [
        {
          key: 'baseAccuracy',
          label: 'base top-1 (mean over domains)',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: true,
        },
        {
          key: 'bestAccuracy',
          label: 'T3A top-1 at the best M (chosen on test: optimistic)',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: true,
        },
        {
          key: 'domains',
          label: 'domains',
          format: 'count',
          digits: 0,
          better: null,
          isListed: false,
        },
        IMAGES_HEADLINE,
      ],
    },
  },
})
