import { DEFAULT_PROBE_FRACTIONS } from '../../../../electron/api/contract/index.ts'
import type {
  CheckpointJobBase,
  DatasetRequest,
  ProbesRequest,
  SpatialPooling,
} from '../../../../electron/api/contract/index.ts'

/** The launcher's probes fieldset; the launcher's dataset is the training set. */
export interface ProbesOptions {
  /** The images the probes are scored on; null: a seeded held-out part of the training set. */
  testDataset: DatasetRequest | null
  /** The held-out part when `testDataset` is null. */
  testHoldout: { fraction: number; seed: number }
  /** A seeded sample of the other test set (the launcher's sample seed); null: every image. */
  testSampleCount: number | null
  /** A spatial tap (name); '' for the penultimate features. */
  tap: string
  pooling: SpatialPooling
  /** Comma-separated fractions of the layer's neurons. */
  fractions: string
  seeds: number
  validationFraction: number
  validationSeed: number
  pca: boolean
  randomProjection: boolean
  hasExact: boolean
  exactFractions: string
  exactSeeds: number
  weightDecay: number
}

export function defaultProbesOptions(): ProbesOptions {
  return {
    testDataset: null,
    testHoldout: { fraction: 0.2, seed: 0 },
    testSampleCount: 2000,
    tap: '',
    pooling: 'mean',
    fractions: DEFAULT_PROBE_FRACTIONS.join(', '),
    seeds: 5,
    validationFraction: 0.1,
    validationSeed: 0,
    pca: true,
    randomProjection: true,
    hasExact: false,
    exactFractions: '0.01, 0.1, 1',
    exactSeeds: 1,
    weightDecay: 5e-4,
  }
}

/** '0.1, 0.2 0.5' → [0.1, 0.2, 0.5]; a word that is not a number stays NaN for the service to name. */
export function parseNumbers(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map(Number)
}

/** The training and test images: the chosen test set, or the two parts of a seeded hold-out. */
export function probeDatasets(
  train: DatasetRequest,
  options: Pick<ProbesOptions, 'testDataset' | 'testHoldout' | 'testSampleCount'>,
): { dataset: DatasetRequest; testDataset: DatasetRequest } {
  if (options.testDataset) {
    const count = options.testSampleCount
    const sample = count === null ? null : { count, seed: train.sample?.seed ?? 0 }
    return { dataset: train, testDataset: { ...options.testDataset, sample, limit: null } }
  }
  const holdout = { ...options.testHoldout }
  return {
    dataset: { ...train, holdout: { ...holdout, part: 'rest' } },
    testDataset: { ...train, holdout: { ...holdout, part: 'holdout' } },
  }
}

export function probesRequest(base: CheckpointJobBase, options: ProbesOptions): ProbesRequest {
  const { dataset, testDataset } = probeDatasets(base.dataset, options)
  return {
    ...base,
    kind: 'probes',
    dataset,
    testDataset,
    layer: { tap: options.tap.trim() || null, pooling: options.pooling },
    fractions: parseNumbers(options.fractions),
    seeds: options.seeds,
    validation: { fraction: options.validationFraction, seed: options.validationSeed },
    ridgeGrid: null,
    baselines: { pca: options.pca, randomProjection: options.randomProjection },
    exact: options.hasExact
      ? {
          fractions: parseNumbers(options.exactFractions),
          seeds: options.exactSeeds,
          weightDecay: options.weightDecay,
        }
      : null,
  }
}

/** The request on the parameters another result stored (its provenance). */
export function probesRequestLike(
  base: CheckpointJobBase,
  parameters: Record<string, unknown>,
): ProbesRequest {
  const stored = parameters as Partial<Omit<ProbesRequest, 'kind'>>
  const defaults = probesRequest(base, defaultProbesOptions())
  return {
    ...defaults,
    dataset: base.dataset,
    testDataset: stored.testDataset ?? defaults.testDataset,
    layer: stored.layer ?? defaults.layer,
    fractions: stored.fractions ?? defaults.fractions,
    seeds: stored.seeds ?? defaults.seeds,
    validation: stored.validation ?? defaults.validation,
    ridgeGrid: stored.ridgeGrid ?? defaults.ridgeGrid,
    baselines: stored.baselines ?? defaults.baselines,
    exact: stored.exact ?? defaults.exact,
  }
}
