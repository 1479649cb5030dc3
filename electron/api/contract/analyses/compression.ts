import { analysisContract } from '../analysis-contract.ts'
import { IMAGES_HEADLINE } from '../results.ts'
import type { CheckpointJobBase } from '../jobs.ts'
import type { Interval } from './evaluate.ts'
import type { MeanStd } from './probes.ts'

/**
 * How far a checkpoint's stored activations can be compressed (AC-GC, Evans & Aamodt 2021): the
 * activations the backward pass keeps (inputs of convolutions and of BatchNorms) fake-quantized
 * to b-bit fixed point with per-channel max-abs scaling, the model's outputs against the
 * unquantized ones on the same images, and AC-GC's own per-channel bit choice from gradient
 * statistics. The scale is each batch's per-channel max |x|, as during training, so results
 * depend on `compressionBatch`.
 */
export interface CompressionRequest extends CheckpointJobBase {
  kind: 'compression'
  /**
   * Widths b as AC-GC counts them: the grid has 2^b steps per unit of the scaled value (a signed
   * tensor takes 2^(b+1) levels, the paper's fixed 8-bit baseline is b = 7). Each from 1 to 16.
   */
  bits: number[]
  /** Every site quantized at once, for each b. */
  together: boolean
  /** Each site quantized alone, for each b (one evaluation per site and b). */
  eachAlone: boolean
  /** AC-GC's per-channel bit choice, or null to skip it. */
  acgc: AcgcSettings | null
  /** Images per batch: the per-channel scale is each batch's max |x|. */
  compressionBatch: number
}

export interface AcgcSettings {
  /**
   * Error tolerance e (the paper's default 1). It enters the bound linearly, as in the reference
   * code (e·Σ‖∇W‖²); the paper's lemma states it as e². The same at e = 1.
   */
  tolerance: number
  /** Full batches of `compressionBatch` images the gradient statistics are averaged over. */
  gradientBatches: number
}

/** 'conv-input': read by convolutions (AC-GC's CNV); 'bn-input': read by a BatchNorm (BN). */
export type CompressionSiteKind = 'conv-input' | 'bn-input'

/** One stored activation the analysis quantizes. */
export interface CompressionSite {
  /** 'conv-input:layer1.0.conv1', 'bn-input:layer1.0.bn1'. */
  id: string
  kind: CompressionSiteKind
  /** Layer keys of the convolutions or the BatchNorm reading it ('layer1.0.conv1', …). */
  readers: string[]
  /** The block it belongs to in the structure diagram ('stem', 'layer1.0', …). */
  blockKey: string
  /** Position from the input (0 first). */
  depth: number
  channels: number
  /** C·H·W: values stored per image. */
  valuesPerImage: number
}

/** Per channel, over all images of the selection (before quantization). */
export interface SiteActivationStatistics {
  siteId: string
  maxAbs: number[]
  /** Fraction of exact zeros: what zero-value compression saves. */
  zeroFraction: number[]
  /** The tensor takes negative values: quantized with a sign, else biased to the grid 0 … 2^b. */
  signed: boolean
}

export interface EstimateInterval extends Interval {
  estimate: number
}

/** A quantized model's outputs against the unquantized model's on the same images. */
export interface OutputDivergence {
  top1: number
  /** Quantized − unquantized top-1: paired bootstrap interval and McNemar's exact p. */
  top1Delta: EstimateInterval & { pValue: number }
  /** Mean over images of KL(p_unquantized ‖ p_quantized) in nats, bootstrap interval. */
  kl: EstimateInterval
  /** Per image max |Δlogit|: its mean and its largest value over the images. */
  maxAbsLogitDelta: { mean: number; max: number }
  /** Fraction of images whose top-1 class changed. */
  changedPredictions: number
}

export interface CompressionSweepPoint {
  bits: number
  /** null: every site together; else the one site quantized. */
  siteId: string | null
  divergence: OutputDivergence
}

/** Mean bits per stored value, and the compression ratio 32 / mean bits. */
export interface BitAccounting {
  meanBits: number
  /** With zero-value compression: one mask bit per value plus b per nonzero. */
  meanBitsZeroValue: number
  ratio: number
  ratioZeroValue: number
}

export interface AcgcSiteChoice {
  siteId: string
  /** Per channel, mean over batches of the width AC-GC chose. */
  bits: number[]
  /**
   * Allowed squared error dx² per channel (one value for a conv input); null where no gradient
   * reaches the channel (a dead channel): no bound, so the narrowest width.
   */
  allowedSquaredError: (number | null)[]
  accounting: BitAccounting
  /** −½·log2(dx²), mean over values: what the error bound alone asks for. */
  intrinsicBits: number
}

export interface AcgcLayerGradient {
  layerKey: string
  depth: number
  /** ‖∇‖ of the layer's parameters with exact activations, mean ± std over batches. */
  exact: MeanStd
  /** The same with the backward pass reading AC-GC's quantized activations. */
  quantized: MeanStd
  /** Per batch (quantized − exact) / exact, mean ± std. */
  relativeChange: MeanStd
}

export interface AcgcChoice {
  tolerance: number
  batches: number
  sites: AcgcSiteChoice[]
  /** Over every site; then conv inputs only (the reference's CNV) and BatchNorm inputs (BN). */
  accounting: BitAccounting & {
    intrinsicBits: number
    /** Each batch's mean bits (its own scale picks its widths): mean ± std over the batches. */
    meanBitsOverBatches: MeanStd
  }
  byKind: Record<CompressionSiteKind, BitAccounting | null>
  /** The forward pass with every site at AC-GC's widths. */
  forward: OutputDivergence
  gradients: AcgcLayerGradient[]
  totalGradient: Omit<AcgcLayerGradient, 'layerKey' | 'depth'>
}

/** Whether the error falls with every larger b (reported, not forced). */
export interface MonotonicityReport {
  siteId: string | null
  measure: 'kl' | 'top1-error'
  isMonotonic: boolean
  /** Pairs of consecutive widths where the error rose. */
  violations: { fromBits: number; toBits: number; increase: number }[]
}

export interface CompressionResult {
  numImages: number
  classes: string[]
  compressionBatch: number
  /** BatchNorm folded into the convolutions at export: no BatchNorm inputs to compress. */
  isBnFolded: boolean
  /** The unquantized model on the same images. */
  top1: EstimateInterval
  sites: CompressionSite[]
  statistics: SiteActivationStatistics[]
  bits: number[]
  sweep: CompressionSweepPoint[]
  monotonicity: MonotonicityReport[]
  acgc: AcgcChoice | null
  /** Wall time (ms): graphs built, plain pass, sweep, AC-GC's statistics and passes. */
  timings: { build: number; plain: number; sweep: number; acgc: number }
}

export const compressionContract = analysisContract<{
  jobs: CompressionRequest
  payloads: { compression: CompressionResult }
  invoke: Record<never, never>
  charts: 'compression-sweep' | 'compression-bits' | 'compression-trajectory'
}>({
  channels: {},
  charts: ['compression-sweep', 'compression-bits', 'compression-trajectory'],
  kinds: {
    compression: {
      label: 'Activation compression',
      headline: [
        {
          key: 'acgcRatio',
          label: 'AC-GC compression',
          format: 'number',
          digits: 2,
          better: 'higher',
          isListed: true,
        },
        {
          key: 'acgcMeanBits',
          label: 'AC-GC mean bits',
          format: 'number',
          digits: 2,
          better: 'lower',
          isListed: true,
        },
        {
          key: 'top1',
          label: 'top-1 unquantized',
          format: 'percent',
          digits: 2,
          better: 'higher',
          isListed: false,
        },
        IMAGES_HEADLINE,
      ],
    },
  },
})
