import { analysisContract } from '../analysis-contract.ts'
import { IMAGES_HEADLINE } from '../results.ts'
import type { CheckpointJobBase } from '../jobs.ts'
import { channel, object } from '../channels.ts'
import type { DerivedStart } from '../results.ts'

export interface EvaluateRequest extends CheckpointJobBase {
  kind: 'evaluate'
}

export interface ReliabilityBin {
  lower: number
  upper: number
  count: number
  accuracy: number
  confidence: number
}

/** A 95 % interval of a headline number. */
export interface Interval {
  lower: number
  upper: number
}

/** How sure each headline number is, from the per-image results (seeded, so reproducible). */
export interface EvaluationIntervals {
  confidence: number
  /** Wilson score intervals. */
  top1: Interval
  top5: Interval
  /** Percentile bootstrap over images. */
  nll: Interval
  ece: Interval
  bootstrap: { resamples: number; seed: number }
}

/** Two evaluations of the same images, compared image by image. */
export interface EvaluationPairRequest {
  baselineResultId: number
  resultId: number
}

/** A difference (result − baseline) with its paired-bootstrap 95 % interval. */
export interface PairedDelta {
  estimate: number
  lower: number
  upper: number
}

export interface PairedEvaluation {
  baselineResultId: number
  resultId: number
  numImages: number
  deltas: { top1: PairedDelta; top5: PairedDelta; nll: PairedDelta; ece: PairedDelta }
  /** McNemar's exact test on top-1: images only the baseline gets right, and only the other. */
  mcnemar: { onlyBaseline: number; onlyResult: number; pValue: number }
  confidence: number
  bootstrap: { resamples: number; seed: number }
}

export interface EvaluationResult {
  numImages: number
  classes: string[]
  top1: number
  top5: number
  /** Mean negative log-likelihood of the true class (natural log). */
  nll: number
  /** Expected calibration error over 15 equal-width confidence bins (lower, upper]. */
  ece: number
  reliability: ReliabilityBin[]
  /** confusion[true][predicted] counts. */
  confusion: number[][]
  perClass: { name: string; count: number; accuracy: number }[]
  /** Absent on results stored before intervals were computed. */
  intervals?: EvaluationIntervals
}

export const evaluateContract = analysisContract<{
  jobs: EvaluateRequest
  payloads: { evaluate: EvaluationResult }
  invoke: {
    /** Paired intervals of the differences and McNemar's test, from stored per-image results. */
    'evaluate:paired': (request: EvaluationPairRequest) => DerivedStart<PairedEvaluation>
  }
  charts: 'reliability' | 'confusion' | 'per-class'
}>({
  channels: { 'evaluate:paired': channel([object('request')]) },
  charts: ['reliability', 'confusion', 'per-class'],
  kinds: {
    evaluate: {
      label: 'Evaluation',
      headline: [
        {
          key: 'top1',
          label: 'top-1',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: true,
          hasInterval: true,
        },
        {
          key: 'top5',
          label: 'top-5',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: false,
          hasInterval: true,
        },
        {
          key: 'nll',
          label: 'NLL',
          format: 'number',
          digits: 4,
          better: 'lower',
          isListed: true,
          hasInterval: true,
        },
        {
          key: 'ece',
          label: 'ECE',
          format: 'percent',
          digits: 2,
          better: 'lower',
          isListed: true,
          hasInterval: true,
        },
        IMAGES_HEADLINE,
      ],
    },
  },
})
