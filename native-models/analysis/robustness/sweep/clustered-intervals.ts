import { centralPercentiles } from '../../uncertainty/confidence-level.ts'
import { forEachBootstrapResample } from '../../uncertainty/index.ts'
import { linearPercentile } from '../../uncertainty/percentile.ts'

/** A number with its 95 % interval. */
export interface IntervalEstimate {
  estimate: number
  lower: number
  upper: number
}

/** The bootstrap every interval of one sweep shares (the evaluation intervals' settings). */
export interface ResampleSettings {
  resamples: number
  seed: number
  confidence: number
}

/**
 * Each image's mean outcome over several cells of the same images (e.g. one corruption's
 * severities): rows[cell][image] of 0/1 (right/wrong), gives [image] in float64.
 * @example perImageMean([Uint8Array.of(1, 0), Uint8Array.of(1, 1)]) // Float64Array [1, 0.5]
 */
export function perImageMean(rows: readonly ArrayLike<number>[]): Float64Array {
  const first = rows[0]
  if (!first) throw new RangeError('perImageMean needs at least one row of outcomes.')
  const n = first.length
  const means = new Float64Array(n)
  for (const [cell, row] of rows.entries()) {
    if (row.length !== n)
      throw new RangeError(`Row ${cell} has ${row.length} images; row 0 has ${n}.`)
    for (let i = 0; i < n; i += 1) means[i] += row[i]
  }
  for (let i = 0; i < n; i += 1) means[i] /= rows.length
  return means
}

/** Each image's (mean over the cells of B − mean over the same cells of A): a paired difference. */
export function perImageDifference(
  rowsA: readonly ArrayLike<number>[],
  rowsB: readonly ArrayLike<number>[],
): Float64Array {
  if (rowsA.length !== rowsB.length)
    throw new RangeError(
      `A has ${rowsA.length} cells and B has ${rowsB.length}: pair the same cells.`,
    )
  const a = perImageMean(rowsA)
  const b = perImageMean(rowsB)
  if (a.length !== b.length)
    throw new RangeError(`A covers ${a.length} images and B ${b.length}: pair the same images.`)
  return b.map((value, i) => value - a[i])
}

/**
 * The mean of each per-image vector with a percentile bootstrap interval over images, every vector
 * seeing the same resamples (one pass over the index stream of `forEachBootstrapResample`, so the
 * intervals equal `bootstrapInterval(meanOf(v), n, settings)` for each v).
 */
export function bootstrapMeans(
  vectors: readonly Float64Array[],
  settings: ResampleSettings,
): IntervalEstimate[] {
  const n = vectors[0]?.length ?? 0
  if (vectors.some((v) => v.length !== n))
    throw new RangeError('Every vector of a shared bootstrap must cover the same images.')
  if (n === 0) return vectors.map(() => ({ estimate: NaN, lower: NaN, upper: NaN }))
  const values = vectors.map(() => new Float64Array(settings.resamples))
  forEachBootstrapResample(n, settings.resamples, settings.seed, (indices, resample) => {
    for (const [k, vector] of vectors.entries()) {
      let sum = 0
      for (let i = 0; i < n; i += 1) sum += vector[indices[i]]
      values[k][resample] = sum / n
    }
  })
  const [lowerPercent, upperPercent] = centralPercentiles(settings.confidence)
  return vectors.map((vector, k) => {
    const sorted = values[k].sort()
    return {
      estimate: vector.reduce((a, b) => a + b, 0) / n,
      lower: linearPercentile(sorted, lowerPercent),
      upper: linearPercentile(sorted, upperPercent),
    }
  })
}

/**
 * Accuracy averaged over cells of the same images, with a percentile bootstrap over images that
 * resamples each image with all its cells (a cluster bootstrap: one image's severities are not
 * independent draws, so resampling the 5 × N outcomes one by one would narrow the interval).
 */
export function clusteredAccuracy(
  rows: readonly ArrayLike<number>[],
  settings: ResampleSettings,
): IntervalEstimate {
  return bootstrapMeans([perImageMean(rows)], settings)[0]
}

/**
 * Paired difference B − A of accuracies averaged over the same cells of the same images: the mean
 * over images of each image's (mean over cells of B − of A), with a cluster bootstrap over images
 * (A and B see the same resample since their per-image differences are resampled).
 */
export function pairedClusteredDelta(
  rowsA: readonly ArrayLike<number>[],
  rowsB: readonly ArrayLike<number>[],
  settings: ResampleSettings,
): IntervalEstimate {
  return bootstrapMeans([perImageDifference(rowsA, rowsB)], settings)[0]
}
