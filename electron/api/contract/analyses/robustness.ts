import { analysisContract } from '../analysis-contract.ts'
import { channel, object } from '../channels.ts'
import { reads } from '../paths.ts'
import type { CorruptionName } from '../corruptions.ts'
import type { DatasetRequest, Preprocessing } from '../datasets.ts'
import type { ExecutionProvider } from '../jobs.ts'
import type { DerivedStart } from '../results.ts'
import type { Interval } from './evaluate.ts'

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
}

export interface CorruptionSweep {
  checkpoints: SweepCheckpoint[]
  numImages: number
  /** What CE was divided by: 'alexnet' constants, a 'reference' checkpoint, or 'none'. */
  normalisation: 'alexnet' | 'reference' | 'none'
  /** The normalisation in words, shown beside mCE. */
  normalisationNote: string
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

export const robustnessContract = analysisContract<{
  jobs: never
  payloads: Record<never, never>
  invoke: {
    /** A sweep from stored cells; starts an evaluation for each cell that has none yet. */
    'robustness:sweep': (request: CorruptionSweepRequest) => CorruptionSweepStart
    /** One image under every corruption and severity (no job: made on request). */
    'robustness:gallery': (request: CorruptionGalleryRequest) => DerivedStart<CorruptionGallery>
  }
  charts: never
}>({
  channels: {
    'robustness:sweep': channel([object('request')], [reads(0, 'dataset', 'path')]),
    'robustness:gallery': channel([object('request')], [reads(0, 'dataset', 'path')]),
  },
  charts: [],
  kinds: {},
})
