import type {
  ActivationStatsRequest,
  CheckpointJobBase,
} from '../../../../electron/api/contract/index.ts'
import { parseTaps } from '@analysis/shared/tap-list.ts'

/** The launcher's activation-statistics fieldset. */
export interface ActivationOptions {
  /** Comma-separated layer keys; empty: every block output and the pooled features. */
  taps: string
  histogramSamplesPerBatch: number
  histogramBins: number
  seed: number
}

export function defaultActivationOptions(): ActivationOptions {
  return { taps: '', histogramSamplesPerBatch: 4096, histogramBins: 64, seed: 0 }
}

export function activationRequest(
  base: CheckpointJobBase,
  options: ActivationOptions,
): ActivationStatsRequest {
  return {
    ...base,
    kind: 'activation-stats',
    taps: parseTaps(options.taps),
    histogramSamplesPerBatch: options.histogramSamplesPerBatch,
    histogramBins: options.histogramBins,
    seed: options.seed,
  }
}

/** The request on the parameters another result stored (its provenance). */
export function activationRequestLike(
  base: CheckpointJobBase,
  parameters: Record<string, unknown>,
): ActivationStatsRequest {
  const stored = parameters as Partial<Omit<ActivationStatsRequest, 'kind'>>
  const defaults = defaultActivationOptions()
  return {
    ...base,
    kind: 'activation-stats',
    taps: stored.taps ?? null,
    histogramSamplesPerBatch: stored.histogramSamplesPerBatch ?? defaults.histogramSamplesPerBatch,
    histogramBins: stored.histogramBins ?? defaults.histogramBins,
    seed: stored.seed ?? defaults.seed,
  }
}
