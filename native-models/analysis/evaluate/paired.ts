import type { PairedEvaluation } from '../../../electron/api/contract/index.ts'
import {
  accuracyOf,
  eceOf,
  mcnemarExact,
  meanOf,
  pairedBootstrapDelta,
} from '../uncertainty/index.ts'
import type { ResampleStatistic } from '../uncertainty/index.ts'
import { ECE_BIN_COUNT } from './evaluation-constants.ts'
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, INTERVAL_CONFIDENCE } from './intervals.ts'
import { correctOf } from './per-image.ts'
import type { PerImageRecords } from './per-image.ts'

/** The two evaluations are not of the same images in the same order. */
export class UnpairedEvaluationsError extends Error {
  override readonly name = 'UnpairedEvaluationsError'
}

function assertSameImages(a: PerImageRecords, b: PerImageRecords): void {
  if (a.labels.length !== b.labels.length)
    throw new UnpairedEvaluationsError(
      `The evaluations cover ${a.labels.length} and ${b.labels.length} images: compare two evaluations of the same selection.`,
    )
  const at = a.labels.findIndex((label, i) => label !== b.labels[i])
  if (at >= 0)
    throw new UnpairedEvaluationsError(
      `The evaluations disagree on the label of image ${at}: they are not of the same images in the same order.`,
    )
}

function statistics(
  records: PerImageRecords,
): Record<'top1' | 'top5' | 'nll' | 'ece', ResampleStatistic> {
  const correct = correctOf(records)
  return {
    top1: accuracyOf(correct),
    top5: accuracyOf(records.inTopK),
    nll: meanOf(records.nll),
    ece: eceOf(records.confidence, correct, ECE_BIN_COUNT),
  }
}

/**
 * result − baseline on the same images: a paired percentile bootstrap interval of each headline
 * difference (both resampled with the same indices) and McNemar's exact test on top-1.
 */
export function pairedEvaluation(
  ids: { baselineResultId: number; resultId: number },
  baseline: PerImageRecords,
  other: PerImageRecords,
): PairedEvaluation {
  assertSameImages(baseline, other)
  const n = baseline.labels.length
  const options = {
    resamples: BOOTSTRAP_RESAMPLES,
    seed: BOOTSTRAP_SEED,
    confidence: INTERVAL_CONFIDENCE,
  }
  const a = statistics(baseline)
  const b = statistics(other)
  const delta = (key: keyof typeof a) => {
    const { estimate, lower, upper } = pairedBootstrapDelta(a[key], b[key], n, options)
    return { estimate, lower, upper }
  }
  const correctA = correctOf(baseline)
  const correctB = correctOf(other)
  let onlyBaseline = 0
  let onlyResult = 0
  for (let i = 0; i < n; i++) {
    if (correctA[i] === 1 && correctB[i] === 0) onlyBaseline++
    if (correctA[i] === 0 && correctB[i] === 1) onlyResult++
  }
  return {
    ...ids,
    numImages: n,
    deltas: { top1: delta('top1'), top5: delta('top5'), nll: delta('nll'), ece: delta('ece') },
    mcnemar: { onlyBaseline, onlyResult, pValue: mcnemarExact(onlyBaseline, onlyResult).pValue },
    confidence: INTERVAL_CONFIDENCE,
    bootstrap: { resamples: BOOTSTRAP_RESAMPLES, seed: BOOTSTRAP_SEED },
  }
}
