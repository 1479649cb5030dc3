import type {
  CorruptionBreakdownRequest,
  CorruptionName,
  CorruptionSweepRequest,
} from '../../../../electron/api/contract/index.ts'
import { defaultGramBatch } from '@analysis/cka/gram-batch.ts'

/** What the breakdown panel adds to the sweep's images and cells. */
export interface BreakdownChoice {
  checkpointId: number | null
  corruption: CorruptionName | null
  threshold: number
  /** Images per CKA minibatch; null: the default for the input size. */
  batchSize: number | null
  /** Height × width of the model input: sizes the CKA minibatch (256 at 32², 64 at 224²). */
  inputPixels: number
}

/**
 * The breakdown of one checkpoint and one corruption over the sweep's severities, on the sweep's
 * images with its seed, JPEG and padding choices; or why it cannot start yet.
 */
export function breakdownRequestOf(
  sweep: CorruptionSweepRequest | null,
  choice: BreakdownChoice,
): CorruptionBreakdownRequest | string {
  if (sweep === null) return 'Complete the sweep form above: the breakdown uses its images.'
  if (choice.checkpointId === null) return 'Choose a checkpoint.'
  if (choice.corruption === null) return 'Choose a corruption.'
  if (!(choice.threshold >= 0 && choice.threshold <= 1))
    return 'The threshold is a CKA value from 0 to 1.'
  if (choice.batchSize !== null && !(Number.isInteger(choice.batchSize) && choice.batchSize >= 4))
    return 'A CKA batch needs at least 4 images (the unbiased HSIC divides by n − 3).'
  return {
    checkpointId: choice.checkpointId,
    dataset: sweep.dataset,
    preprocessing: sweep.preprocessing,
    provider: sweep.provider,
    corruption: choice.corruption,
    severities: sweep.severities,
    seed: sweep.seed,
    jpegQuality: sweep.jpegQuality,
    padding: sweep.padding,
    taps: null,
    estimator: 'minibatch',
    batchSize: choice.batchSize ?? defaultGramBatch(choice.inputPixels),
    orderSeed: 0,
    spatialPooling: 'none',
    threshold: choice.threshold,
  }
}
