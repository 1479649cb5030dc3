import type { GradientsResult } from '../../../../electron/api/contract/index.ts'

/** What the computed norms are, stated wherever they are shown. */
export function computedSemantics(result: GradientsResult): string {
  return (
    `Computed at the checkpoint: BatchNorm in inference mode (running statistics), mean ` +
    `cross-entropy on the images' labels, one gradient per batch of ${result.gradientBatch} ` +
    `images; bars are the mean ± std over ${result.batches} batches.`
  )
}

/** Shown next to any logged norm. */
export const LOGGED_SEMANTICS =
  'Norms logged during training (metrics.jsonl grad_norms) are a different quantity: train-mode ' +
  'BatchNorm (batch statistics), augmentation, averaged over the epoch while the weights moved. ' +
  'They are drawn beside the computed norms, never as the same number.'

export const FOLDED_WARNING =
  'This export has BatchNorm folded into the convolutions: these are gradients with respect to the ' +
  'folded weights W·γ/σ, not the weights trained. For gradients comparable with training, use a ' +
  'BN-kept export (epoch_N.bn.onnx).'
