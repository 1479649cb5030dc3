// Test inputs for the statistics job: exact formulas (no files) cut into batches of given sizes.
import type { Batch } from '../../../native-models/data/types.ts'

/**
 * The input of tests/reference/stats_torch_golden.py: evaluated in float64, rounded once to
 * float32, so both sides hold identical tensors. Image n = i / (C·H·W), rounded down.
 */
export function statsGoldenInput(dims: readonly number[]): Float32Array {
  const perImage = dims.slice(1).reduce((a, b) => a * b, 1)
  const length = (dims[0] ?? 0) * perImage
  return Float32Array.from({ length }, (_, i) => {
    const n = Math.floor(i / perImage)
    const noise = ((i * i * 7919 + i * 104729) % 65521) / 32760.5 - 1
    return noise * (0.5 + (n % 4) / 4) + ((n * 37) % 11) / 11 - 0.5
  })
}

/** Consecutive batches of `sizes` images from an NCHW array of sum(sizes) images. */
export function batchesOf(
  images: Float32Array,
  imageDims: readonly [number, number, number],
  sizes: readonly number[],
): Batch[] {
  const perImage = imageDims[0] * imageDims[1] * imageDims[2]
  let start = 0
  return sizes.map((size) => {
    const batch: Batch = {
      images: images.slice(start * perImage, (start + size) * perImage),
      dims: [size, ...imageDims],
      labels: new Int32Array(size),
      positions: Array.from({ length: size }, (_, i) => start + i),
    }
    start += size
    return batch
  })
}
