import type { WeightGeometryRequest, WeightGeometryResult } from '../../contract/index.ts'
import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { checkModelJob } from '../checkpoint-job.ts'
import { weightGeometryFromTidy, weightGeometryValues } from './tidy.ts'

/** Only the fields a weights-only job has: image fields of a caller's base are dropped. */
function validate(request: WeightGeometryRequest): WeightGeometryRequest {
  const { kind, checkpointId, modelPath, provider, force } = request
  return checkModelJob({
    kind,
    checkpointId,
    modelPath,
    provider,
    ...(force === undefined ? {} : { force }),
  })
}

function headline(result: WeightGeometryResult): Record<string, number> {
  return { ...result.summary, layers: result.layers.length }
}

/** Orthogonality, filter cosines and singular-value spectra of every conv and linear weight. */
export const weightGeometryModule: AnalysisModule = {
  name: 'weight-geometry',
  jobs: [
    jobKindModule({
      kind: 'weight-geometry',
      validate,
      headline,
      tidyValues: weightGeometryValues,
      payloadFromTidy: weightGeometryFromTidy,
      exampleRequest: ({ checkpointId, modelPath, provider }) => ({
        kind: 'weight-geometry',
        checkpointId,
        modelPath,
        provider,
      }),
    }),
  ],
  derived: [],
}
