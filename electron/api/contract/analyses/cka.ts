import { reads } from '../paths.ts'
import { channel, object } from '../channels.ts'
import { analysisContract } from '../analysis-contract.ts'
import { IMAGES_HEADLINE } from '../results.ts'
import type { CorruptionCell } from '../corruptions.ts'
import type { DatasetRequest, Preprocessing } from '../datasets.ts'
import type { CheckpointJobBase, ExecutionProvider } from '../jobs.ts'
import type { DerivedStart } from '../results.ts'

/** How a tap becomes one vector per image for CKA. */
export type SpatialPooling = 'none' | 'mean'

/**
 * The centered Gram Xc·Xcᵀ of every tap for each batch of a pinned, seeded batch order, stored
 * as workspace blobs: CKA between any checkpoints on the same batches needs no new forward pass.
 */
export interface CkaGramsRequest extends CheckpointJobBase {
  kind: 'cka-grams'
  /** Layer keys ('stem', 'layer1.0', …, 'pooled'); null: the stem, every block and the pooled features. */
  taps: string[] | null
  /** Images per Gram (n). Every batch has exactly n images; the last partial batch is dropped. */
  gramBatch: number
  /** Seed of the batch order over the selected images. */
  orderSeed: number
  /** 'none': the tap flattened to C·H·W per image; 'mean': averaged over H and W first. */
  spatialPooling: SpatialPooling
  /**
   * The Grams of the same images in the same order under one corruption cell (each image's
   * draws seeded by its position in the selection, as in a sweep); absent or null: clean.
   */
  corruption?: CorruptionCell | null
}

export interface CkaGramsResult {
  /** Images in the Grams: batches × n. */
  numImages: number
  /** Selected images left out because they did not fill a last batch. */
  droppedImages: number
  n: number
  batches: number
  spatialPooling: SpatialPooling
  /** In the order of the 'grams' blob: float32 [taps][batches][n][n]. */
  taps: { key: string; shape: number[]; features: number }[]
  /** sha256 of the 'batch-order' blob (int32 positions in the selection, batch after batch). */
  orderSha256: string
}

export type CkaEstimatorName = 'minibatch' | 'linear' | 'debiased'

/** Layer × layer within a checkpoint, checkpoint vs checkpoint, or a run's timeline. */
export interface CkaRequest {
  kind: 'within' | 'pair' | 'timeline'
  /** within: one; pair: two (rows, then columns); timeline: checkpoints in epoch order. */
  checkpointIds: number[]
  /** timeline: each tap is compared with the same tap of this checkpoint (null: the last). */
  referenceId: number | null
  /** timeline: the layer of the epoch × epoch grid (null: the last tap). */
  gridLayer: string | null
  dataset: DatasetRequest
  preprocessing: Preprocessing | null
  taps: string[] | null
  estimator: CkaEstimatorName
  /** minibatch: images per batch (n). linear/debiased: null, one batch of the whole selection. */
  batchSize: number | null
  orderSeed: number
  spatialPooling: SpatialPooling
  provider: ExecutionProvider
  /**
   * pair only: the columns' Grams on the same images under this corruption cell (the rows stay
   * clean), e.g. one checkpoint clean vs corrupted; absent or null: both clean.
   */
  corruptionB?: CorruptionCell | null
}

export interface CkaMatrix {
  rowLabel: string
  columnLabel: string
  rowKeys: string[]
  columnKeys: string[]
  /** null where CKA is undefined (a constant tap, NaN activations): shown as n/a. */
  values: (number | null)[][]
  /**
   * Minibatch CKA over two batches or more: each cell's 95 % interval over batches resampled with
   * replacement (how much the value depends on which batches were drawn).
   */
  spread?: {
    lower: (number | null)[][]
    upper: (number | null)[][]
    resamples: number
    seed: number
    batches: number
  }
}

export interface CkaTimeline {
  referenceId: number
  checkpointIds: number[]
  labels: string[]
  series: { key: string; values: (number | null)[] }[]
}

export interface CkaResult {
  request: CkaRequest
  labels: string[]
  n: number
  batches: number
  numImages: number
  droppedImages: number
  spatialPooling: SpatialPooling
  /** within/pair: one matrix; timeline: the epoch × epoch grid of `gridLayer`. */
  matrices: CkaMatrix[]
  timeline: CkaTimeline | null
  /** The stored Gram results the values come from, one per checkpoint. */
  gramResultIds: number[]
  /** Why some values are n/a. */
  notes: string[]
}

/** The CKA values when every checkpoint's Grams are stored; else the jobs that compute them. */
export type CkaStart = DerivedStart<CkaResult>

export const ckaContract = analysisContract<{
  jobs: CkaGramsRequest
  payloads: { 'cka-grams': CkaGramsResult }
  invoke: {
    /** CKA from stored Grams; starts a Gram job for each checkpoint that has none on these batches. */
    'cka:compute': (request: CkaRequest) => CkaStart
  }
  charts: 'matrix'
}>({
  channels: { 'cka:compute': channel([object('request')], [reads(0, 'dataset', 'path')]) },
  charts: ['matrix'],
  kinds: {
    'cka-grams': {
      label: 'CKA Grams',
      headline: [
        { key: 'taps', label: 'layers', format: 'count', digits: 0, better: null, isListed: true },
        { key: 'n', label: 'n', format: 'count', digits: 0, better: null, isListed: true },
        {
          key: 'batches',
          label: 'batches',
          format: 'count',
          digits: 0,
          better: null,
          isListed: true,
        },
        IMAGES_HEADLINE,
      ],
    },
  },
})
