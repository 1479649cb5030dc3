import { pairedEvaluation } from '../../../../native-models/analysis/evaluate/paired.ts'
import {
  decodePerImage,
  PER_IMAGE_BLOB,
} from '../../../../native-models/analysis/evaluate/per-image.ts'
import type { PerImageRecords } from '../../../../native-models/analysis/evaluate/per-image.ts'
import type { EvaluationPairRequest } from '../../contract/index.ts'
import { RequestError } from '../../errors.ts'
import { isId } from '../../request-fields.ts'
import type { AnalysisContext } from '../analysis-module.ts'
import { derivedModule } from '../analysis-module.ts'

function checkRequest(request: EvaluationPairRequest): void {
  if (!isId(request.baselineResultId) || !isId(request.resultId))
    throw new RequestError('INVALID_ARGUMENT', 'baselineResultId and resultId must be result ids.')
}

/** A stored evaluation's per-image records; a coded error when it kept none. */
export async function perImageOf(
  resultId: number,
  context: AnalysisContext,
): Promise<PerImageRecords> {
  try {
    return decodePerImage(await context.readFloat32Blob(resultId, PER_IMAGE_BLOB))
  } catch (error) {
    if ((error as { code?: unknown }).code === 'INVALID_ARGUMENT') throw error
    throw new RequestError(
      'NOT_IN_WORKSPACE',
      `Result ${resultId} has no per-image results (an evaluation stored before they were kept, or not an evaluation): recompute it to compare image by image.`,
    )
  }
}

/** Paired intervals of (result − baseline) and McNemar's test, from stored per-image results. */
export const evaluationPair = derivedModule({
  channel: 'evaluate:paired',
  jobsFor: (request) => {
    checkRequest(request)
    return Promise.resolve([])
  },
  compute: async (request, _stored, context) => {
    const [baseline, other] = await Promise.all([
      perImageOf(request.baselineResultId, context),
      perImageOf(request.resultId, context),
    ])
    try {
      return pairedEvaluation(request, baseline, other)
    } catch (error) {
      throw new RequestError('INVALID_ARGUMENT', (error as Error).message)
    }
  },
})
