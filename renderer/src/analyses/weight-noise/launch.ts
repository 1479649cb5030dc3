import type {
  CheckpointJobBase,
  WeightNoiseRequest,
} from '../../../../electron/api/contract/index.ts'

/** The launcher's weight-noise fieldset. */
export interface WeightNoiseOptions {
  /** Comma-separated σ values. */
  sigmas: string
  samples: number
  seed: number
  scope: 'weights' | 'all'
}

export function defaultWeightNoiseOptions(): WeightNoiseOptions {
  return { sigmas: '0, 0.05, 0.1, 0.2, 0.3', samples: 3, seed: 0, scope: 'weights' }
}

/** '0, 0.05 0.1' → [0, 0.05, 0.1]; a word that is not a number stays NaN for the service to name. */
export function parseSigmas(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((part) => part !== '')
    .map(Number)
}

export function weightNoiseRequest(
  base: CheckpointJobBase,
  options: WeightNoiseOptions,
): WeightNoiseRequest {
  return {
    ...base,
    kind: 'weight-noise',
    sigmas: parseSigmas(options.sigmas),
    samples: options.samples,
    seed: options.seed,
    scope: options.scope,
  }
}

/** The request on the parameters another result stored (its provenance). */
export function weightNoiseRequestLike(
  base: CheckpointJobBase,
  parameters: Record<string, unknown>,
): WeightNoiseRequest {
  const stored = parameters as Partial<Omit<WeightNoiseRequest, 'kind'>>
  const defaults = defaultWeightNoiseOptions()
  return {
    ...base,
    kind: 'weight-noise',
    sigmas: stored.sigmas ?? parseSigmas(defaults.sigmas),
    samples: stored.samples ?? defaults.samples,
    seed: stored.seed ?? defaults.seed,
    scope: stored.scope ?? defaults.scope,
  }
}
