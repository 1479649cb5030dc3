import type { EvaluationIntervals } from '../../../electron/api/contract/index.ts'
import { bootstrapInterval, eceOf, meanOf, wilsonInterval } from '../uncertainty/index.ts'
import { ECE_BIN_COUNT } from './evaluation-constants.ts'
import { correctOf } from './per-image.ts'
import type { PerImageRecords } from './per-image.ts'

export const INTERVAL_CONFIDENCE = 0.95
export const BOOTSTRAP_RESAMPLES = 1000
export const BOOTSTRAP_SEED = 0

const sum = (values: Uint8Array): number => values.reduce((a, b) => a + b, 0)

/** 95 % intervals: Wilson for accuracies, a seeded percentile bootstrap over images for NLL and ECE. */
export function evaluationIntervals(records: PerImageRecords): EvaluationIntervals {
  const n = records.labels.length
  const correct = correctOf(records)
  const options = {
    resamples: BOOTSTRAP_RESAMPLES,
    seed: BOOTSTRAP_SEED,
    confidence: INTERVAL_CONFIDENCE,
  }
  const interval = ({ lower, upper }: { lower: number; upper: number }) => ({ lower, upper })
  const bootstrap = n === 0 ? null : options
  return {
    confidence: INTERVAL_CONFIDENCE,
    top1: wilsonInterval(sum(correct), n, INTERVAL_CONFIDENCE),
    top5: wilsonInterval(sum(records.inTopK), n, INTERVAL_CONFIDENCE),
    nll: bootstrap
      ? interval(bootstrapInterval(meanOf(records.nll), n, options))
      : { lower: 0, upper: 0 },
    ece: bootstrap
      ? interval(bootstrapInterval(eceOf(records.confidence, correct, ECE_BIN_COUNT), n, options))
      : { lower: 0, upper: 0 },
    bootstrap: { resamples: BOOTSTRAP_RESAMPLES, seed: BOOTSTRAP_SEED },
  }
}
