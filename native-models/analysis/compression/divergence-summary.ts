import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, INTERVAL_CONFIDENCE } from '../evaluate/intervals.ts'
import {
  accuracyOf,
  bootstrapInterval,
  mcnemarExact,
  meanOf,
  pairedBootstrapDelta,
  wilsonInterval,
} from '../uncertainty/index.ts'
import type { EstimateInterval, OutputDivergence } from '../../../electron/api/contract/index.ts'
import type { PerImageDivergence } from './per-image-divergence.ts'

/**
 * A quantized model against the unquantized one on the same images: the contract's
 * OutputDivergence (top1 and its paired delta with McNemar's p, mean KL with a bootstrap interval,
 * max |Δlogit|, changed predictions) plus what it is derived from.
 */
export interface OutputDivergenceSummary extends OutputDivergence {
  numImages: number
  /** Wilson intervals of each model's top-1 accuracy. */
  referenceTop1: EstimateInterval
  quantizedTop1: EstimateInterval
  /** The discordant pairs McNemar's exact test reads. */
  mcnemar: { onlyReference: number; onlyQuantized: number }
  confidence: number
  bootstrap: { resamples: number; seed: number }
}

/** Summarizes per-image divergence against the labels, with the evaluation's interval settings. */
export function outputDivergenceSummary(
  divergence: PerImageDivergence,
  labels: Int32Array,
): OutputDivergenceSummary {
  const n = labels.length
  if (n === 0) throw new RangeError('The divergence summary needs at least one image.')
  if (divergence.kl.length !== n)
    throw new RangeError(`There are ${n} labels for ${divergence.kl.length} images.`)
  const options = {
    resamples: BOOTSTRAP_RESAMPLES,
    seed: BOOTSTRAP_SEED,
    confidence: INTERVAL_CONFIDENCE,
  }
  const referenceCorrect = correctness(divergence.referencePredicted, labels)
  const quantizedCorrect = correctness(divergence.quantizedPredicted, labels)
  const { onlyReference, onlyQuantized } = discordantPairs(referenceCorrect, quantizedCorrect)
  const klStatistic = meanOf(divergence.kl)
  const allImages = Int32Array.from({ length: n }, (_, i) => i)
  const { lower, upper } = bootstrapInterval(klStatistic, n, options)
  const delta = pairedBootstrapDelta(
    accuracyOf(referenceCorrect),
    accuracyOf(quantizedCorrect),
    n,
    options,
  )
  const quantizedTop1 = top1Interval(quantizedCorrect)
  return {
    numImages: n,
    top1: quantizedTop1.estimate,
    top1Delta: {
      estimate: delta.estimate,
      lower: delta.lower,
      upper: delta.upper,
      pValue: mcnemarExact(onlyReference, onlyQuantized).pValue,
    },
    kl: { estimate: klStatistic(allImages), lower, upper },
    maxAbsLogitDelta: meanAndMax(divergence.maxAbsLogitDelta),
    changedPredictions: changedFraction(
      divergence.referencePredicted,
      divergence.quantizedPredicted,
    ),
    referenceTop1: top1Interval(referenceCorrect),
    quantizedTop1,
    mcnemar: { onlyReference, onlyQuantized },
    confidence: INTERVAL_CONFIDENCE,
    bootstrap: { resamples: BOOTSTRAP_RESAMPLES, seed: BOOTSTRAP_SEED },
  }
}

function discordantPairs(
  referenceCorrect: Uint8Array,
  quantizedCorrect: Uint8Array,
): { onlyReference: number; onlyQuantized: number } {
  let onlyReference = 0
  let onlyQuantized = 0
  for (let i = 0; i < referenceCorrect.length; i += 1) {
    if (referenceCorrect[i] === 1 && quantizedCorrect[i] === 0) onlyReference += 1
    if (referenceCorrect[i] === 0 && quantizedCorrect[i] === 1) onlyQuantized += 1
  }
  return { onlyReference, onlyQuantized }
}

function meanAndMax(values: Float64Array): { mean: number; max: number } {
  let sum = 0
  let max = 0
  for (const value of values) {
    sum += value
    max = Math.max(max, value)
  }
  return { mean: sum / values.length, max }
}

function changedFraction(a: Int32Array, b: Int32Array): number {
  let changed = 0
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) changed += 1
  return changed / a.length
}

function correctness(predicted: Int32Array, labels: Int32Array): Uint8Array {
  return Uint8Array.from(labels, (label, i) => (predicted[i] === label ? 1 : 0))
}

function top1Interval(correct: Uint8Array): EstimateInterval {
  let hits = 0
  for (const value of correct) hits += value
  const { lower, upper } = wilsonInterval(hits, correct.length, INTERVAL_CONFIDENCE)
  return { estimate: hits / correct.length, lower, upper }
}
