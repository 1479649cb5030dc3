export function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must lie strictly between 0 and 1, got ${confidence}.`)
  }
}

/**
 * The two percentiles (0-100) bounding the central `confidence` mass: 0.95 gives [2.5, 97.5].
 * Computed from 100 · confidence so the usual levels give the exact literals NumPy is called with.
 */
export function centralPercentiles(confidence: number): [lower: number, upper: number] {
  assertConfidence(confidence)
  const lower = (100 - 100 * confidence) / 2
  return [lower, 100 - lower]
}
