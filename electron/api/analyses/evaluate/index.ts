import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { checkCheckpointJob } from '../checkpoint-job.ts'
import { evaluationFromTidy, evaluationValues } from './tidy.ts'

/** Evaluation: top-1/top-5, NLL, ECE with its reliability bins, confusion, per-class accuracy. */
export const evaluateModule: AnalysisModule = {
  name: 'evaluate',
  jobs: [
    jobKindModule({
      kind: 'evaluate',
      validate: checkCheckpointJob,
      headline: (r) => ({
        top1: r.top1,
        top5: r.top5,
        nll: r.nll,
        ece: r.ece,
        numImages: r.numImages,
      }),
      tidyValues: evaluationValues,
      payloadFromTidy: evaluationFromTidy,
      exampleRequest: (base) => ({ ...base, kind: 'evaluate' }),
    }),
  ],
  derived: [],
}
