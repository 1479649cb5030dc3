import { analysisContract } from '../analysis-contract.ts'
import { IMAGES_HEADLINE } from '../results.ts'
import type { CheckpointJobBase } from '../jobs.ts'

export interface ActivationStatsRequest extends CheckpointJobBase {
  kind: 'activation-stats'
  /** Layer keys to tap; null: every block output and the pooled features. */
  taps: string[] | null
  /** Values sampled per tap and batch for the histograms (seeded positions). */
  histogramSamplesPerBatch: number
  histogramBins: number
  seed: number
}

export interface TapStatistics {
  key: string
  /** Per-sample shape [C, H, W] (or [C] for pooled features). */
  shape: number[]
  /** Per channel, over images and positions; std is the population std. */
  mean: number[]
  std: number[]
  maxAbs: number[]
  zeroFraction: number[]
  histogram: { edges: number[]; counts: number[]; sampledValues: number; totalValues: number }
}

export interface ActivationStatsResult {
  numImages: number
  taps: TapStatistics[]
}

export const activationStatsContract = analysisContract<{
  jobs: ActivationStatsRequest
  payloads: { 'activation-stats': ActivationStatsResult }
  invoke: Record<never, never>
  charts: 'layer-bars' | 'tap-histogram'
}>({
  channels: {},
  charts: ['layer-bars', 'tap-histogram'],
  kinds: {
    'activation-stats': {
      label: 'Activation statistics',
      headline: [
        { key: 'taps', label: 'layers', format: 'count', digits: 0, better: null, isListed: true },
        {
          key: 'zeroFraction',
          label: 'zeros (layer mean)',
          format: 'percent',
          digits: 1,
          better: null,
          isListed: false,
        },
        {
          key: 'maxAbs',
          label: 'max |x| (any layer)',
          format: 'number',
          digits: 2,
          better: null,
          isListed: false,
        },
        {
          key: 'std',
          label: 'std (layer mean)',
          format: 'number',
          digits: 3,
          better: null,
          isListed: false,
        },
        IMAGES_HEADLINE,
      ],
    },
  },
})
