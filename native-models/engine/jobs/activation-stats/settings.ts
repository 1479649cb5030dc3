import type { ActivationStatsRequest, ErrorCode } from '../../../../electron/api/contract/index.ts'
import {
  DEFAULT_MAGNITUDE_HEADROOM,
  DEFAULT_MAGNITUDE_OCTAVES,
} from '../../../analysis/activation-stats/histogram.ts'
import type { MagnitudeBinning } from '../../../analysis/activation-stats/histogram.ts'

/** A statistics request whose parameters cannot be used as given. */
export class ActivationStatsError extends Error {
  override readonly name = 'ActivationStatsError'
  readonly code: ErrorCode = 'INVALID_ARGUMENT'
}

/** The sampling and binning a request asks for, checked. */
export interface ActivationSettings {
  samplesPerBatch: number
  binning: MagnitudeBinning
  seed: number
}

export function activationSettings(request: ActivationStatsRequest): ActivationSettings {
  const { histogramSamplesPerBatch: samples, histogramBins: bins, seed } = request
  const problems = [
    !(Number.isInteger(samples) && samples >= 0 && samples <= 1 << 24) &&
      `histogramSamplesPerBatch ${samples} is not an integer in 0–16777216`,
    !(Number.isInteger(bins) && bins >= 2 && bins <= 4096) &&
      `histogramBins ${bins} is not an integer in 2–4096`,
    !Number.isSafeInteger(seed) && `seed ${seed} is not a safe integer`,
  ].filter((problem): problem is string => typeof problem === 'string')
  if (problems.length > 0) {
    throw new ActivationStatsError(`Cannot compute activation statistics: ${problems.join('; ')}.`)
  }
  const binning = { bins, octaves: DEFAULT_MAGNITUDE_OCTAVES, headroom: DEFAULT_MAGNITUDE_HEADROOM }
  return { samplesPerBatch: samples, binning, seed }
}

/** What the result's provenance records about the sampling (the "what was sampled" of T4). */
export function samplingParameters(
  settings: ActivationSettings,
  tapKeys: readonly string[],
): Record<string, unknown> {
  return {
    taps: [...tapKeys],
    histogramSamplesPerBatch: settings.samplesPerBatch,
    histogramBins: settings.binning.bins,
    seed: settings.seed,
    sampling: 'per tap and batch: uniform flat NCHW positions, with replacement, seeded',
    histogram: {
      scale: 'log-spaced |x|; bin 0 = [0, hi·2^-octaves) holds the zeros',
      octaves: settings.binning.octaves,
      headroom: settings.binning.headroom,
      range:
        'hi = headroom × max |x| of the first batch with a non-zero max; last edge widened to the run max',
    },
    moments: 'per batch in-graph (centered M2), combined in float64 (Chan et al.)',
  }
}
