const MAX_LISTED = 100

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b)
}

export interface EpochGaps {
  /** Checkpoints are expected every `stride` epochs from `first` to `last`. */
  first: number
  last: number
  stride: number
  /** The first missing epochs (at most 100 of them). */
  missing: number[]
  missingCount: number
}

/**
 * The epochs missing between the first and the last checkpoint. A run that saves every k epochs
 * (5, 10, 15) has stride k: the greatest common divisor of the steps between its epochs.
 */
export function findEpochGaps(epochs: readonly number[]): EpochGaps | null {
  const sorted = [...new Set(epochs)].sort((a, b) => a - b)
  if (sorted.length < 2) return null
  const first = sorted[0]
  const last = sorted.at(-1)!
  let stride = 0
  for (let i = 1; i < sorted.length; i++) {
    stride = greatestCommonDivisor(sorted[i] - sorted[i - 1], stride)
  }
  const missingCount = (last - first) / stride + 1 - sorted.length
  if (missingCount === 0) return null
  const present = new Set(sorted)
  const missing: number[] = []
  for (let epoch = first; epoch < last && missing.length < MAX_LISTED; epoch += stride) {
    if (!present.has(epoch)) missing.push(epoch)
  }
  return { first, last, stride, missing, missingCount }
}
