import { overTaps } from '../../../../native-models/analysis/activation-stats/tap-metrics.ts'
import type { ActivationStatsRequest, ActivationStatsResult } from '../../contract/index.ts'
import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { invalid } from '../../request-fields.ts'
import { checkCheckpointJob, checkTaps } from '../checkpoint-job.ts'
import { activationStatsFromTidy, activationStatsValues } from './tidy.ts'

function validate(request: ActivationStatsRequest): ActivationStatsRequest {
  checkTaps(request.taps)
  if (!Number.isInteger(request.seed))
    invalid(`seed must be a whole number, got ${String(request.seed)}.`)
  return checkCheckpointJob(request)
}

function headline(stats: ActivationStatsResult): Record<string, number> {
  return {
    taps: stats.taps.length,
    zeroFraction: overTaps(stats.taps, 'zeroFraction', 'mean'),
    maxAbs: overTaps(stats.taps, 'maxAbs', 'max'),
    std: overTaps(stats.taps, 'std', 'mean'),
    numImages: stats.numImages,
  }
}

/** Per-layer activation statistics: channel mean, std, max |x|, zero fraction, histograms. */
export const activationStatsModule: AnalysisModule = {
  name: 'activation-stats',
  jobs: [
    jobKindModule({
      kind: 'activation-stats',
      validate,
      headline,
      tidyValues: activationStatsValues,
      payloadFromTidy: activationStatsFromTidy,
      exampleRequest: (base) => ({
        ...base,
        kind: 'activation-stats',
        taps: null,
        histogramSamplesPerBatch: 256,
        histogramBins: 16,
        seed: 0,
      }),
    }),
  ],
  derived: [],
}
