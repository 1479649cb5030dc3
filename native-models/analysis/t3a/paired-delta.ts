import { centralPercentiles } from '../uncertainty/confidence-level.ts'
import { forEachBootstrapResample } from '../uncertainty/index.ts'
import { linearPercentile } from '../uncertainty/percentile.ts'

export interface PairedDelta {
  /** Mean of the per-image differences over all n images. */
  estimate: number
  lower: number
  upper: number
}

/** Images whose difference is not 0, with that difference (−1 or +1). */
interface Discordant {
  images: Int32Array
  signs: Int8Array
}

function discordantOf(differences: Int8Array): Discordant {
  const images: number[] = []
  for (const [i, d] of differences.entries()) if (d !== 0) images.push(i)
  return {
    images: Int32Array.from(images),
    signs: Int8Array.from(images, (i) => differences[i]),
  }
}

/**
 * Mean over images of each per-image difference vector (right/wrong of B − of A: −1, 0 or +1),
 * with a percentile bootstrap interval over images, every vector seeing the same resamples of
 * forEachBootstrapResample: the same numbers as the sweep's bootstrapMeans on these vectors.
 * Each resample counts how often it drew each image, then sums only over the images where the
 * two disagree (few, usually), instead of a pass over all n images per vector.
 */
export function pairedDeltaIntervals(
  differences: readonly Int8Array[],
  settings: { resamples: number; seed: number; confidence: number },
): PairedDelta[] {
  const n = differences[0]?.length ?? 0
  if (differences.some((d) => d.length !== n))
    throw new RangeError(
      'Every difference vector of a shared bootstrap must cover the same images.',
    )
  if (n === 0) return differences.map(() => ({ estimate: NaN, lower: NaN, upper: NaN }))
  const discordant = differences.map(discordantOf)
  const values = differences.map(() => new Float64Array(settings.resamples))
  const draws = new Int32Array(n)
  forEachBootstrapResample(n, settings.resamples, settings.seed, (indices, resample) => {
    draws.fill(0)
    for (let i = 0; i < n; i++) draws[indices[i]]++
    for (const [v, { images, signs }] of discordant.entries()) {
      // An integer sum: exact in any order, so it equals the image-by-image sum.
      let sum = 0
      for (let r = 0; r < images.length; r++) sum += signs[r] * draws[images[r]]
      values[v][resample] = sum / n
    }
  })
  const [lowerPercent, upperPercent] = centralPercentiles(settings.confidence)
  return discordant.map(({ signs }, v) => {
    const sorted = values[v].sort()
    return {
      estimate: signs.reduce((a, b) => a + b, 0) / n,
      lower: linearPercentile(sorted, lowerPercent),
      upper: linearPercentile(sorted, upperPercent),
    }
  })
}
