import { analysisContract } from '../analysis-contract.ts'
import { IMAGES_HEADLINE } from '../results.ts'
import type { CheckpointJobBase } from '../jobs.ts'

export interface WeightNoiseRequest extends CheckpointJobBase {
  kind: 'weight-noise'
  /** Noise levels σ of ξ ~ N(1, σ²); 0 is the clean model (one pass, no noise). */
  sigmas: number[]
  /** Seeded noise samples per σ > 0. */
  samples: number
  seed: number
  /**
   * 'weights': conv and linear weights and the BatchNorm scale (DAMP's choice); 'all': biases
   * and the BatchNorm shift too. Running statistics never.
   */
  scope: 'weights' | 'all'
  /**
   * Only shard `index` (0-based) of `count` of the (σ, sample) grid, in the order σ ascending,
   * sample ascending: unit k belongs to shard k mod count. Absent: the whole grid. When every
   * shard of a grid is stored (`merge`), the whole grid is answered from them.
   */
  shard?: { index: number; count: number }
}

export interface MeanStdValue {
  mean: number
  /** Sample standard deviation over the noise samples (0 for one sample). */
  std: number
}

export interface WeightNoiseSample {
  sigma: number
  sample: number
  top1: number
  top5: number
  nll: number
}

export interface WeightNoiseLevel {
  sigma: number
  samples: number
  top1: MeanStdValue
  top5: MeanStdValue
  nll: MeanStdValue
}

export interface WeightNoiseResult {
  numImages: number
  scope: 'weights' | 'all'
  seed: number
  /**
   * BatchNorm folded into the convolutions: the noise multiplies W·γ/σ, not DAMP's W and γ apart;
   * compare DAMP runs on BN-kept exports.
   */
  isBnFolded: boolean
  perturbed: { tensors: number; parameters: number }
  levels: WeightNoiseLevel[]
  samples: WeightNoiseSample[]
}

export const weightNoiseContract = analysisContract<{
  jobs: WeightNoiseRequest
  payloads: { 'weight-noise': WeightNoiseResult }
  invoke: Record<never, never>
  charts: 'weight-noise'
}>({
  channels: {},
  charts: ['weight-noise'],
  kinds: {
    'weight-noise': {
      label: 'Weight noise',
      headline: [
        {
          key: 'top1Clean',
          label: 'top-1 clean',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: true,
        },
        {
          key: 'top1Noisiest',
          label: 'top-1 at largest σ (mean)',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: true,
        },
        {
          key: 'sigmaMax',
          label: 'largest σ',
          format: 'number',
          digits: 2,
          better: null,
          isListed: false,
        },
        IMAGES_HEADLINE,
      ],
    },
  },
})
