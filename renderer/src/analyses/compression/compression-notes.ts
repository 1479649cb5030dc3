import type { CompressionResult } from '../../../../electron/api/contract/index.ts'

/** What the sweep is, stated wherever its numbers are shown. */
export function sweepSemantics(result: CompressionResult): string {
  return (
    `The activations the backward pass keeps (inputs of convolutions and of BatchNorms) ` +
    `fake-quantized to b-bit fixed point with per-channel max-abs scaling; b counts as AC-GC ` +
    `counts it (a signed tensor takes 2^(b+1) levels, the paper's fixed 8-bit baseline is b = 7). ` +
    `The scale is each batch's per-channel max |x| over ${result.compressionBatch} images, as in ` +
    `training, so the numbers depend on the batch size. Outputs are compared with the unquantized ` +
    `model's on the same ${result.numImages} images: paired Δtop-1 with a bootstrap interval and ` +
    `McNemar's p, mean KL with a bootstrap interval.`
  )
}

export const ACGC_SEMANTICS =
  'AC-GC (Evans & Aamodt 2021) allows each value an error dx such that the weight-gradient error ' +
  'stays within e·Σ‖∇W‖², from gradient statistics (‖∇W‖², ‖∇y‖², BatchNorm quantities) measured ' +
  'with the backward graph and averaged over batches; a channel then takes about ' +
  'log2(max |x| / dx) bits. Mean bits are per stored value; the compression ratio is 32 / mean ' +
  'bits; zero-value compression stores one mask bit per value plus b bits per nonzero.'

export const FOLDED_NOTE =
  'BatchNorm is folded into this export: there are no BatchNorm inputs to compress, only the ' +
  'convolutions’ inputs. The BN-kept export (epoch_N.bn.onnx) has both, as AC-GC trains.'

export const PAIRED_NOTE =
  'Each Δtop-1 and KL is paired with the same checkpoint unquantized on its own images; between ' +
  'checkpoints, compare the curves and the AC-GC widths, not a paired difference.'
