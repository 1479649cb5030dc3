import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { checkCheckpointJob } from '../checkpoint-job.ts'
import type { EvaluateRequest, EvaluationIntervals } from '../../contract/index.ts'
import { checkCorruptionCell } from './corruption-cell.ts'
import { evaluationImages } from './images.ts'
import { evaluationPair } from './paired.ts'
import { evaluationFromTidy, evaluationValues } from './tidy.ts'

/** `top1Lower`, `top1Upper`, ...: the interval of each headline field that has one. */
function intervalHeadline(intervals: EvaluationIntervals): Record<string, number> {
  const fields = ['top1', 'top5', 'nll', 'ece'] as const
  return Object.fromEntries(
    fields.flatMap((f) => [
      [`${f}Lower`, intervals[f].lower],
      [`${f}Upper`, intervals[f].upper],
    ]),
  )
}

function validate(request: EvaluateRequest): EvaluateRequest {
  const corruption = checkCorruptionCell(request.corruption)
  const { corruption: _given, ...checked } = checkCheckpointJob(request)
  // A clean request keeps its old shape, so its request hash (the result cache) is unchanged.
  return corruption === null ? checked : { ...checked, corruption }
}

/** Evaluation: top-1/top-5, NLL, ECE with its reliability bins, confusion, per-class accuracy. */
export const evaluateModule: AnalysisModule = {
  name: 'evaluate',
  jobs: [
    jobKindModule({
      kind: 'evaluate',
      validate,
      headline: (r) => ({
        top1: r.top1,
        top5: r.top5,
        nll: r.nll,
        ece: r.ece,
        numImages: r.numImages,
        ...(r.intervals ? intervalHeadline(r.intervals) : {}),
      }),
      tidyValues: evaluationValues,
      payloadFromTidy: evaluationFromTidy,
      exampleRequest: (base) => ({ ...base, kind: 'evaluate' }),
    }),
  ],
  derived: [evaluationPair, evaluationImages],
}
