import type { T3aDomainResult, T3aFilterResult } from '../../../electron/api/contract/index.ts'
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, INTERVAL_CONFIDENCE } from '../evaluate/intervals.ts'
import { mcnemarExact, wilsonInterval } from '../uncertainty/index.ts'
import { pairedDeltaIntervals } from './paired-delta.ts'
import type { T3aResult } from './types.ts'

/** The support evolution keeps at most this many batches. */
export const MAX_SUPPORT_BATCHES = 100

export interface T3aSummaryOptions {
  /** Bootstrap of the paired Δ; defaults are the evaluation intervals' (1000 resamples, seed 0). */
  resamples?: number
  seed?: number
  /** Default 0.95, for the Wilson and the bootstrap intervals alike. */
  confidence?: number
  /** Default MAX_SUPPORT_BATCHES. */
  maxBatches?: number
}

/** What one domain's result holds besides its label, corruption cell, size and feature source. */
export type T3aDomainSummary = Pick<T3aDomainResult, 'predicted' | 'base' | 'filters'>

/**
 * `most` batch indices (0-based) spread evenly over 0..batches − 1, the first and the last
 * always among them: round(i · (batches − 1) / (most − 1)); every batch when there are no more.
 * @example thinnedBatches(5, 3) // [0, 2, 4]
 */
export function thinnedBatches(batches: number, most = MAX_SUPPORT_BATCHES): number[] {
  if (!Number.isSafeInteger(most) || most < 2)
    throw new RangeError(`Thinning keeps at least 2 batches (first and last), got ${most}.`)
  if (batches <= most) return Array.from({ length: batches }, (_, b) => b)
  return Array.from({ length: most }, (_, i) => Math.round((i * (batches - 1)) / (most - 1)))
}

function assertSameImages(results: readonly T3aResult[], labels: Int32Array): number {
  const [first] = results
  if (first === undefined) throw new RangeError('A T3A domain summary needs at least one result.')
  const n = first.predictedCount
  if (n === 0)
    throw new RangeError(
      `T3A predicted no image of the ${first.droppedCount} (the last partial batch was dropped): there is nothing to summarise.`,
    )
  if (labels.length !== n + first.droppedCount)
    throw new RangeError(
      `Got ${labels.length} labels for a stream of ${n + first.droppedCount} images.`,
    )
  for (const result of results)
    if (
      result.predictedCount !== n ||
      result.basePredictions.some((p, i) => p !== first.basePredictions[i])
    )
      throw new RangeError(
        `The results of M=${String(first.filter)} and M=${String(result.filter)} are not of the same stream: summarise one domain's results together.`,
      )
  return n
}

function correctOf(predictions: Int32Array, labels: Int32Array): Uint8Array {
  return Uint8Array.from(predictions, (p, i) => (p === labels[i] ? 1 : 0))
}

function hitsOf(correct: Uint8Array): number {
  let hits = 0
  for (const c of correct) hits += c
  return hits
}

/** Images only the base got right (difference −1) and only T3A got right (+1). */
function discordantPairs(differences: Int8Array): { onlyBase: number; onlyT3a: number } {
  let onlyBase = 0
  let onlyT3a = 0
  for (const d of differences) {
    if (d < 0) onlyBase++
    if (d > 0) onlyT3a++
  }
  return { onlyBase, onlyT3a }
}

function supportsOf(result: T3aResult, most: number): T3aFilterResult['supports'] {
  const { classes, counts, overallMeanEntropy } = result.supports
  const batches = thinnedBatches(result.supports.batches, most)
  return {
    batches,
    counts: batches.map((b) => Array.from(counts.subarray(b * classes, (b + 1) * classes))),
    meanEntropy: batches.map((b) => overallMeanEntropy[b]),
  }
}

/**
 * One domain's numbers from its T3A results (one per M, all of the same stream) and the stream's
 * labels (stream order): base and T3A accuracies with Wilson intervals, each M's paired T3A − base
 * difference over the same images (a percentile bootstrap over images, every M seeing the same
 * resamples, and McNemar's exact p), mean entropies, and the support evolution thinned to at most
 * `maxBatches` batches.
 * @example summarizeT3aDomain(runT3aFilters(stream, [1, 5, 'all']), stream.labels!)
 */
export function summarizeT3aDomain(
  results: readonly T3aResult[],
  labels: Int32Array,
  options: T3aSummaryOptions = {},
): T3aDomainSummary {
  const n = assertSameImages(results, labels)
  const confidence = options.confidence ?? INTERVAL_CONFIDENCE
  const settings = {
    resamples: options.resamples ?? BOOTSTRAP_RESAMPLES,
    seed: options.seed ?? BOOTSTRAP_SEED,
    confidence,
  }
  const base = results[0]
  const baseCorrect = correctOf(base.basePredictions, labels)
  const baseHits = hitsOf(baseCorrect)
  const t3aCorrect = results.map((result) => correctOf(result.t3aPredictions, labels))
  const differences = t3aCorrect.map((correct) =>
    Int8Array.from(correct, (c, i) => c - baseCorrect[i]),
  )
  const deltas = pairedDeltaIntervals(differences, settings)
  const filters = results.map((result, f): T3aFilterResult => {
    const { onlyBase, onlyT3a } = discordantPairs(differences[f])
    const hits = hitsOf(t3aCorrect[f])
    const { estimate, lower, upper } = deltas[f]
    return {
      filter: result.filter,
      accuracy: hits / n,
      interval: wilsonInterval(hits, n, confidence),
      delta: {
        value: estimate,
        interval: { lower, upper },
        mcnemarP: mcnemarExact(onlyBase, onlyT3a).pValue,
      },
      meanEntropy: result.t3aMeanEntropy,
      supports: supportsOf(result, options.maxBatches ?? MAX_SUPPORT_BATCHES),
    }
  })
  return {
    predicted: n,
    base: {
      accuracy: baseHits / n,
      interval: wilsonInterval(baseHits, n, confidence),
      meanEntropy: base.baseMeanEntropy,
    },
    filters,
  }
}
