import { analysisContract } from '../analysis-contract.ts'
import { IMAGES_HEADLINE } from '../results.ts'
import type { CorruptionCell } from '../corruptions.ts'
import type { CheckpointJobBase } from '../jobs.ts'
import { channel, object } from '../channels.ts'
import type { DerivedStart } from '../results.ts'

export interface EvaluateRequest extends CheckpointJobBase {
  kind: 'evaluate'
  /** Evaluate the images under one ImageNet-C corruption cell; absent or null: clean. */
  corruption?: CorruptionCell | null
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

/** Which images of an evaluation to show. */
export type EvaluationImageFilter =
  | { kind: 'confusion'; trueClass: number; predictedClass: number }
  | { kind: 'misclassified' }
  | { kind: 'least-confident' }
  | { kind: 'highest-loss' }
  /** Right in this result and wrong in the other (on the same images), or the reverse. */
  | { kind: 'only-right' | 'only-wrong'; otherResultId: number }

export interface EvaluationImagesRequest {
  resultId: number
  filter: EvaluationImageFilter
  /** At most this many images (default 48), in the filter's order. */
  limit: number | null
  /** With a small PNG of each image as stored (data: URL). */
  thumbnails: boolean
}

export interface EvaluationImage {
  /** Position in the evaluated selection. */
  position: number
  /** The image file, or 'file.idx#123' for an image inside an array file. */
  source: string
  label: number
  predicted: number
  confidence: number
  nll: number
  thumbnail: string | null
}

export interface EvaluationImages {
  resultId: number
  classes: string[]
  /** Images matching the filter, of which `images` are the first `limit`. */
  total: number
  images: EvaluationImage[]
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
    /** The images behind a confusion cell, the misclassified, least confident, ... */
    'evaluate:images': (request: EvaluationImagesRequest) => DerivedStart<EvaluationImages>
  }
  charts: 'reliability' | 'confusion' | 'per-class'
}>({
  channels: {
    'evaluate:paired': channel([object('request')]),
    'evaluate:images': channel([object('request')]),
  },
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
