import type { GradientsRequest, GradientsResult } from '../../contract/index.ts'
import { invalid, isWhole } from '../../request-fields.ts'
import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { checkCheckpointJob } from '../checkpoint-job.ts'
import { gradientsFromTidy, gradientsValues } from './tidy.ts'

// All forward activations stay alive for the backward pass: a batch past this would not fit.
const MAX_GRADIENT_BATCH = 4096

function validate(request: GradientsRequest): GradientsRequest {
  if (!isWhole(request.gradientBatch, 1, MAX_GRADIENT_BATCH))
    invalid(
      `gradientBatch must be a whole number from 1 to ${MAX_GRADIENT_BATCH}, got ${String(request.gradientBatch)}.`,
    )
  if (typeof request.blockOutputs !== 'boolean')
    invalid(`blockOutputs must be true or false, got ${String(request.blockOutputs)}.`)
  const checked = checkCheckpointJob(request)
  if (checked.batchSize !== null && checked.batchSize !== checked.gradientBatch)
    invalid(
      `batchSize is not used by gradients: each gradient is over gradientBatch images (${String(checked.gradientBatch)}); leave batchSize out or set gradientBatch instead.`,
    )
  return checked
}

function headline(result: GradientsResult): Record<string, number> {
  return {
    totalNorm: result.totalNorm.mean,
    loss: result.loss.mean,
    batches: result.batches,
    numImages: result.numImages,
  }
}

/** Loss-gradient norms per parameter, layer and block output (inference-mode BatchNorm). */
export const gradientsModule: AnalysisModule = {
  name: 'gradients',
  jobs: [
    jobKindModule({
      kind: 'gradients',
      validate,
      headline,
      tidyValues: gradientsValues,
      payloadFromTidy: gradientsFromTidy,
      exampleRequest: (base) => ({
        ...base,
        kind: 'gradients',
        batchSize: null,
        gradientBatch: 4,
        blockOutputs: true,
      }),
    }),
  ],
  derived: [],
}
