/** Pixels of one Gram batch: 64 images at 224² (≈ 3.2 M), as measured to fit with 18 taps. */
const MAX_GRAM_BATCH_PIXELS = 64 * 224 * 224
const MAX_GRAM_BATCH = 512

/**
 * The largest n one Gram batch may have at `pixels` = height × width per image: 64 at 224², 512
 * at 32². Full-batch CKA runs the whole selection as one batch, so this is also its image limit.
 */
export function maxGramBatch(pixels: number): number {
  return Math.max(4, Math.min(MAX_GRAM_BATCH, Math.floor(MAX_GRAM_BATCH_PIXELS / pixels)))
}

/** Minibatch n by default: 256 at 32², 64 at 224² (Nguyen et al. use 256 at CIFAR size). */
export function defaultGramBatch(pixels: number): number {
  return pixels > 64 * 64 ? 64 : 256
}
