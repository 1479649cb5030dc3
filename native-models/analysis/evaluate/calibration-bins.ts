import type { ReliabilityBin } from '../../../electron/api/contract/index.ts'

/** Running totals of one confidence bin; the reliability diagram and ECE come from these alone. */
export interface BinTotals {
  count: number
  correct: number
  confidenceSum: number
}

/**
 * Edges of `binCount` equal-width bins over [0, 1], bit-identical to NumPy's
 * `linspace(0, 1, binCount + 1)` (i · step, last edge exactly 1), so a confidence lying on an edge
 * falls in the same bin on both sides.
 */
export function confidenceBinEdges(binCount: number): Float64Array {
  if (!Number.isInteger(binCount) || binCount < 1) {
    throw new RangeError(`binCount must be a positive integer, got ${binCount}.`)
  }
  const step = 1 / binCount
  const edges = Float64Array.from({ length: binCount + 1 }, (_, i) => i * step)
  edges[binCount] = 1
  return edges
}

/** The bin (lower, upper] holding `confidence`; 0 and below go to the first bin. */
export function confidenceBinIndex(confidence: number, edges: Float64Array): number {
  const last = edges.length - 2
  let index = Math.min(last, Math.max(0, Math.ceil(confidence * (last + 1)) - 1))
  while (index > 0 && confidence <= edges[index]) index -= 1
  while (index < last && confidence > edges[index + 1]) index += 1
  return index
}

export function emptyBinTotals(binCount: number): BinTotals[] {
  return Array.from({ length: binCount }, () => ({ count: 0, correct: 0, confidenceSum: 0 }))
}

/** Per bin: count, accuracy and mean confidence (both 0 for an empty bin: read `count`). */
export function reliabilityBins(
  totals: readonly BinTotals[],
  edges: Float64Array,
): ReliabilityBin[] {
  return totals.map((bin, i) => ({
    lower: edges[i],
    upper: edges[i + 1],
    count: bin.count,
    accuracy: bin.count === 0 ? 0 : bin.correct / bin.count,
    confidence: bin.count === 0 ? 0 : bin.confidenceSum / bin.count,
  }))
}

/** ECE = Σ over bins of |mean confidence − accuracy| · (bin count / total). */
export function expectedCalibrationError(bins: readonly ReliabilityBin[], total: number): number {
  if (total === 0) return 0
  let ece = 0
  for (const bin of bins) {
    if (bin.count > 0) ece += Math.abs(bin.confidence - bin.accuracy) * (bin.count / total)
  }
  return ece
}
