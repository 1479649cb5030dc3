import { analysisContract } from '../analysis-contract.ts'
import { channel, object } from '../channels.ts'
import { reads } from '../paths.ts'
import type { CorruptionName } from '../corruptions.ts'
import type { DatasetRequest, PrecomputedLayout, Preprocessing } from '../datasets.ts'
import type { ExecutionProvider } from '../jobs.ts'
import type { DerivedStart } from '../results.ts'
import type { Interval } from './evaluate.ts'
import type { CkaEstimatorName, SpatialPooling } from './cka.ts'

/** A folder of precomputed corrupted images (ImageNet-C or CIFAR-10-C layout). */
export interface PrecomputedSource {
  path: string
  layout: PrecomputedLayout
}

/** Which corruptions and severities a precomputed set holds. */
export interface PrecomputedSetRequest {
  path: string
  layout: PrecomputedLayout | 'auto'
}

export interface PrecomputedSet {
  path: string
  layout: PrecomputedLayout
  /** The protocol's corruptions found, in its order, with the severities each holds. */
  corruptions: { name: CorruptionName; severities: (1 | 2 | 3 | 4 | 5)[] }[]
  /** Folders or files named like no protocol corruption: left out (see `warnings`). */
  unknown: string[]
  /** Images per (corruption, severity) cell: CIFAR-10-C's N; null for folders (counted per cell). */
  imagesPerCell: number | null
  warnings: string[]
}

/** A corruption sweep: every checkpoint evaluated clean and on every (corruption, severity) cell. */
export interface CorruptionSweepRequest {
  checkpointIds: number[]
  dataset: DatasetRequest
  preprocessing: Preprocessing | null
  provider: ExecutionProvider
  corruptions: CorruptionName[]
  severities: (1 | 2 | 3 | 4 | 5)[]
  /** Seeds every cell's draws (with each image's position). */
  seed: number
  /** Save each corrupted image as JPEG at this quality first (ImageNet-C: 85); null: not. */
  jpegQuality: number | null
  padding: 'before' | 'after'
  /**
   * Divides each corruption's error (CE) when the AlexNet constants do not apply (they apply only
   * to 1000-class ImageNet in the official layout); null: errors without CE.
   */
  referenceCheckpointId: number | null
  /**
   * Take each cell's images from a precomputed corrupted set (the same selection of the same
   * images as `dataset`, labels checked against it) instead of generating them; absent or null:
   * generated. `seed`, `jpegQuality` and `padding` then do not apply.
   */
  precomputed?: PrecomputedSource | null
  /**
   * Paired deltas (checkpoint − this one, on the same images) of every accuracy the sweep shows;
   * swept too when it is not among `checkpointIds`. Absent or null: no deltas.
   */
  baselineCheckpointId?: number | null
}

/** A number with its 95 % interval. */
export interface IntervalEstimate {
  estimate: number
  lower: number
  upper: number
}

/** Top-1 over some cells (cluster-bootstrap interval) and its paired delta to the baseline. */
export interface SweepAccuracy {
  accuracy: IntervalEstimate
  /** This checkpoint − the baseline on the same images and cells; null: no baseline, or itself. */
  delta: IntervalEstimate | null
}

export interface SweepCorruptionAccuracy extends SweepAccuracy {
  corruption: CorruptionName
}

export interface SweepSeverityAccuracy extends SweepAccuracy {
  /** 0: clean. */
  severity: number
  /** Top-1 at this severity per corruption (0: clean, the same for each), Wilson intervals. */
  byCorruption: { corruption: CorruptionName; top1: number; top1Interval: Interval | null }[]
}

export interface SweepCell {
  corruption: CorruptionName
  severity: number
  resultId: number
  top1: number
  top1Interval: Interval | null
  top5: number
  nll: number
  ece: number
}

export interface SweepCorruptionSummary {
  corruption: CorruptionName
  meanError: number
  ce: number | null
  relativeCe: number | null
}

export interface SweepCheckpoint {
  checkpointId: number
  clean: { resultId: number; top1: number; top1Interval: Interval | null }
  cells: SweepCell[]
  meanCorruptedAccuracy: number
  perCorruption: SweepCorruptionSummary[]
  mce: number | null
  relativeMce: number | null
  /** Top-1 over every corrupted cell (= meanCorruptedAccuracy) with its interval and delta. */
  overall: SweepAccuracy
  /** Per corruption: top-1 averaged over the severities. */
  corruptionAccuracy: SweepCorruptionAccuracy[]
  /** Severity 0 (clean), then each severity swept: top-1 averaged over the corruptions. */
  severityCurve: SweepSeverityAccuracy[]
}

export interface CorruptionSweep {
  checkpoints: SweepCheckpoint[]
  numImages: number
  /** What CE was divided by: 'alexnet' constants, a 'reference' checkpoint, or 'none'. */
  normalisation: 'alexnet' | 'reference' | 'none'
  /** The normalisation in words, shown beside mCE. */
  normalisationNote: string
  /** What the deltas are taken against; null: no deltas. */
  baselineCheckpointId: number | null
  /** How the averaged accuracies' intervals and the deltas are computed, in words. */
  intervalNote: string
}

/** What a sweep chart draws, given with the export request (a sweep is no stored result). */
export interface SweepChartData {
  sweep: CorruptionSweep
  /** Each of `sweep.checkpoints`' names, in the same order. */
  labels: string[]
}

/** A gallery drawn as a figure: what 'robustness:gallery' was asked (seed, padding: the caption). */
export interface GalleryChartData {
  request: CorruptionGalleryRequest
  /** The images; null: the export makes them from `request` (images can outgrow a request body). */
  gallery: CorruptionGallery | null
  /** The name of the image's class, when the run names its classes. */
  className: string | null
}

export type CorruptionSweepStart = DerivedStart<CorruptionSweep>

/** One image under every corruption and severity, as the model sees it. */
export interface CorruptionGalleryRequest {
  dataset: DatasetRequest
  /** The image's place in the selection. */
  position: number
  preprocessing: Preprocessing
  corruptions: CorruptionName[]
  seed: number
  padding: 'before' | 'after'
}

export interface CorruptionGallery {
  /** The image file, or 'file.idx#123'. */
  source: string
  label: number
  /** PNG data: URLs. */
  clean: string
  rows: { corruption: CorruptionName; deviation: string | null; images: string[] }[]
}

/**
 * Where it breaks: one checkpoint's per-tap linear CKA between its activations on clean images and
 * on the same images under one corruption, for each severity (one Gram job per severity, stored).
 */
export interface CorruptionBreakdownRequest {
  checkpointId: number
  dataset: DatasetRequest
  preprocessing: Preprocessing | null
  provider: ExecutionProvider
  corruption: CorruptionName
  severities: (1 | 2 | 3 | 4 | 5)[]
  seed: number
  jpegQuality: number | null
  padding: 'before' | 'after'
  /** Layer keys; null: the stem, every block and the pooled features. */
  taps: string[] | null
  estimator: CkaEstimatorName
  /** minibatch: images per batch (n); linear/debiased: null, the whole selection as one batch. */
  batchSize: number | null
  orderSeed: number
  spatialPooling: SpatialPooling
  /** "Breaks" at the first tap (in depth order) whose CKA falls below this, e.g. 0.9. */
  threshold: number
}

export interface BreakdownSeverity {
  severity: number
  /** CKA (clean, corrupted) per tap, in `taps` order; null where undefined. */
  values: (number | null)[]
  /** Minibatch CKA over two batches or more: each tap's 95 % interval over resampled batches. */
  intervals: (Interval | null)[] | null
  /** The first tap whose CKA is below the threshold; null: none is. */
  breaksAt: string | null
  gramResultId: number
}

export interface CorruptionBreakdown {
  checkpointId: number
  corruption: CorruptionName
  threshold: number
  estimator: CkaEstimatorName
  /** Tap keys in depth order. */
  taps: string[]
  n: number
  batches: number
  numImages: number
  droppedImages: number
  cleanGramResultId: number
  severities: BreakdownSeverity[]
  notes: string[]
}

export const robustnessContract = analysisContract<{
  jobs: never
  payloads: Record<never, never>
  invoke: {
    /** A sweep from stored cells; starts an evaluation for each cell that has none yet. */
    'robustness:sweep': (request: CorruptionSweepRequest) => CorruptionSweepStart
    /** One image under every corruption and severity (no job: made on request). */
    'robustness:gallery': (request: CorruptionGalleryRequest) => DerivedStart<CorruptionGallery>
    /** The corruptions and severities a precomputed set holds (no job: read on request). */
    'robustness:precomputed': (request: PrecomputedSetRequest) => DerivedStart<PrecomputedSet>
    /** Per-tap CKA clean vs corrupted per severity; starts the Gram jobs not yet stored. */
    'robustness:breakdown': (
      request: CorruptionBreakdownRequest,
    ) => DerivedStart<CorruptionBreakdown>
  }
  charts: 'corruption-bars' | 'severity-curves' | 'corruption-gallery'
}>({
  channels: {
    'robustness:sweep': channel(
      [object('request')],
      [reads(0, 'dataset', 'path'), reads(0, 'precomputed', 'path')],
    ),
    'robustness:precomputed': channel([object('request')], [reads(0, 'path')]),
    'robustness:gallery': channel([object('request')], [reads(0, 'dataset', 'path')]),
    'robustness:breakdown': channel([object('request')], [reads(0, 'dataset', 'path')]),
  },
  charts: ['corruption-bars', 'severity-curves', 'corruption-gallery'],
  kinds: {},
})
