import type { CkaGramsRequest } from '../../contract/index.ts'
import type { AnalysisModule } from '../analysis-module.ts'
import { jobKindModule } from '../analysis-module.ts'
import { invalid, isWhole } from '../../request-fields.ts'
import { checkCheckpointJob, checkTaps } from '../checkpoint-job.ts'
import { checkCorruptionCell } from '../evaluate/corruption-cell.ts'
import { ckaCompute } from './derived.ts'
import { gramValues, gramsFromTidy } from './grams-tidy.ts'

function validate(request: CkaGramsRequest): CkaGramsRequest {
  checkTaps(request.taps)
  if (!isWhole(request.gramBatch, 1))
    invalid(`gramBatch must be a positive whole number, got ${String(request.gramBatch)}.`)
  if (!Number.isInteger(request.orderSeed))
    invalid(`orderSeed must be a whole number, got ${String(request.orderSeed)}.`)
  if (request.spatialPooling !== 'none' && request.spatialPooling !== 'mean')
    invalid(`Unknown spatialPooling '${String(request.spatialPooling)}': use none or mean.`)
  const corruption = checkCorruptionCell(request.corruption)
  const { corruption: _given, ...checked } = checkCheckpointJob(request)
  // Clean Grams keep their old request shape, so their request hash (the result cache) is unchanged.
  return corruption === null ? checked : { ...checked, corruption }
}

/** Linear CKA: Gram jobs per checkpoint, and CKA computed from the stored Grams. */
export const ckaModule: AnalysisModule = {
  name: 'cka',
  jobs: [
    jobKindModule({
      kind: 'cka-grams',
      validate,
      headline: (r) => ({
        taps: r.taps.length,
        n: r.n,
        batches: r.batches,
        numImages: r.numImages,
      }),
      tidyValues: gramValues,
      payloadFromTidy: gramsFromTidy,
      exampleRequest: (base) => ({
        ...base,
        kind: 'cka-grams',
        taps: null,
        gramBatch: 8,
        orderSeed: 0,
        spatialPooling: 'none',
      }),
    }),
  ],
  derived: [ckaCompute],
}

export { ckaBatchOrder, ckaCompute } from './derived.ts'
