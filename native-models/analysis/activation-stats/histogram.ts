import type { TapStatistics } from '../../../electron/api/contract/index.ts'

// Histograms of |x| over a seeded subsample of a tap's values, binned on edges fixed before any
// value is binned (T4). The rule:
//   - the first batch whose max |x| is non-zero fixes the range: hi = headroom × that max |x|
//     (exact, from the in-graph ReduceMax/ReduceMin), lo = hi · 2^−octaves;
//   - bin 0 is [0, lo): exact zeros (post-ReLU, a large share) and values too small to matter for
//     b ≤ 16-bit quantization; bins 1 … B−1 are log-spaced over [lo, hi);
//   - a value ≥ hi lands in the last bin, whose upper edge is widened to the tap's max |x| over the
//     whole run when finished, so every counted value lies inside the reported edges;
//   - batches before the range is fixed are all zeros (their max |x| is 0): they count in bin 0.

export interface MagnitudeBinning {
  /** Number of bins B, at least 2. */
  bins: number
  /** Octaves (factors of 2) covered by the log-spaced bins below hi. */
  octaves: number
  /** hi = headroom × the first non-zero batch max |x|. */
  headroom: number
}

export const DEFAULT_MAGNITUDE_OCTAVES = 16
export const DEFAULT_MAGNITUDE_HEADROOM = 2

/** Histogram state while batches arrive; `edges` is null until a non-zero batch fixes the range. */
export interface SampledHistogram {
  edges: Float64Array | null
  counts: Float64Array
  sampledValues: number
  totalValues: number
}

export interface SampledBatch {
  /** Values drawn from the batch's activations (any sign; binned by |x|). */
  samples: ArrayLike<number>
  /** Exact max |x| over the whole batch. */
  batchMaxAbs: number
  /** How many values the batch held (images × channels × positions). */
  batchValues: number
}

/** B + 1 edges: 0, then B log-spaced edges from lo = hi · 2^−octaves to hi exactly. */
export function logMagnitudeEdges(
  referenceMaxAbs: number,
  binning: MagnitudeBinning,
): Float64Array {
  assertBinning(binning)
  if (!(referenceMaxAbs > 0) || !Number.isFinite(referenceMaxAbs)) {
    throw new RangeError(`The reference max |x| must be finite and > 0, got ${referenceMaxAbs}.`)
  }
  const { bins, octaves, headroom } = binning
  const high = referenceMaxAbs * headroom
  const low = high * 2 ** -octaves
  const edges = new Float64Array(bins + 1)
  for (let k = 1; k < bins; k += 1) edges[k] = low * 2 ** ((octaves * (k - 1)) / (bins - 1))
  edges[bins] = high
  return edges
}

function assertBinning({ bins, octaves, headroom }: MagnitudeBinning): void {
  if (!Number.isInteger(bins) || bins < 2) {
    throw new RangeError(`A magnitude histogram needs an integer number of bins ≥ 2, got ${bins}.`)
  }
  if (!(octaves > 0) || !(headroom >= 1)) {
    throw new RangeError(`Octaves must be > 0 and headroom ≥ 1, got ${octaves} and ${headroom}.`)
  }
}

/** Counts per bin of |value|: bin k holds edges[k] ≤ |v| < edges[k+1]; the last bin is open above. */
export function binMagnitudes(values: ArrayLike<number>, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length - 1)
  for (let i = 0; i < values.length; i += 1) {
    const magnitude = Math.abs(values[i])
    if (Number.isNaN(magnitude)) continue
    const bin = lastEdgeAtOrBelow(edges, magnitude)
    counts[bin] += 1
  }
  return counts
}

/** The largest k ≤ B − 1 with edges[k] ≤ magnitude (edges[0] = 0, so k ≥ 0 for magnitude ≥ 0). */
function lastEdgeAtOrBelow(edges: Float64Array, magnitude: number): number {
  let low = 0
  let high = edges.length - 2
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (edges[middle] <= magnitude) low = middle
    else high = middle - 1
  }
  return low
}

export function startSampledHistogram(bins: number): SampledHistogram {
  return { edges: null, counts: new Float64Array(bins), sampledValues: 0, totalValues: 0 }
}

/** Adds one batch's samples; the first batch with a non-zero max |x| fixes the edges. */
export function addSampledBatch(
  histogram: SampledHistogram,
  batch: SampledBatch,
  binning: MagnitudeBinning,
): SampledHistogram {
  const edges =
    histogram.edges ??
    (batch.batchMaxAbs > 0 ? logMagnitudeEdges(batch.batchMaxAbs, binning) : null)
  const counts = histogram.counts.slice()
  if (edges === null) {
    counts[0] += batch.samples.length
  } else {
    binMagnitudes(batch.samples, edges).forEach((count, bin) => (counts[bin] += count))
  }
  return {
    edges,
    counts,
    sampledValues: histogram.sampledValues + batch.samples.length,
    totalValues: histogram.totalValues + batch.batchValues,
  }
}

/**
 * The stored form. The last edge becomes max(hi, the tap's max |x| over the run); a tap that was
 * zero everywhere has the single bin [0, 0].
 */
export function finishSampledHistogram(
  histogram: SampledHistogram,
  observedMaxAbs: number,
): TapStatistics['histogram'] {
  const { sampledValues, totalValues } = histogram
  if (histogram.edges === null) {
    return { edges: [0, 0], counts: [sampledValues], sampledValues, totalValues }
  }
  const edges = Array.from(histogram.edges)
  edges[edges.length - 1] = Math.max(edges.at(-1) as number, observedMaxAbs)
  return { edges, counts: Array.from(histogram.counts), sampledValues, totalValues }
}
