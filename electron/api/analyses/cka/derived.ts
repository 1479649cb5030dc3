import type {
  CkaGramsRequest,
  CkaGramsResult,
  CkaRequest,
  ResultInfo,
} from '../../contract/index.ts'
import { checkDatasetRequest } from '../../dataset-request.ts'
import { RequestError } from '../../errors.ts'
import { isId } from '../../request-fields.ts'
import type { AnalysisContext } from '../analysis-module.ts'
import { derivedModule } from '../analysis-module.ts'
import { checkCorruptionCell } from '../evaluate/corruption-cell.ts'
import { computeCka } from './compute.ts'

const NEEDS = {
  within: 'one checkpoint',
  pair: 'two checkpoints',
  timeline: 'two or more checkpoints',
}

function assertShape(request: CkaRequest): void {
  const ids: unknown = request.checkpointIds
  if (!Array.isArray(ids) || !ids.every(isId))
    throw new RequestError('INVALID_ARGUMENT', 'checkpointIds must be a list of checkpoint ids.')
  checkDatasetRequest(request.dataset)
  const count = ids.length
  const fits = { within: count === 1, pair: count === 2, timeline: count >= 2 }[request.kind]
  if (fits === undefined)
    throw new RequestError(
      'INVALID_ARGUMENT',
      `Unknown CKA kind '${String(request.kind)}': use within, pair or timeline.`,
    )
  if (!fits)
    throw new RequestError(
      'INVALID_ARGUMENT',
      `A '${request.kind}' CKA needs ${NEEDS[request.kind]}; got ${count}.`,
    )
  if (checkCorruptionCell(request.corruptionB) !== null && request.kind !== 'pair')
    throw new RequestError(
      'INVALID_ARGUMENT',
      `corruptionB compares the columns' corrupted images with the rows' clean ones, so it needs a 'pair' CKA; got '${request.kind}'.`,
    )
  if (request.estimator === 'minibatch' && request.batchSize === null)
    throw new RequestError(
      'INVALID_ARGUMENT',
      'Minibatch CKA needs a batch size (n), e.g. 256 at 32² or 64 at 224².',
    )
}

function gramRequest(request: CkaRequest, checkpointId: number, n: number): CkaGramsRequest {
  return {
    kind: 'cka-grams',
    checkpointId,
    modelPath: null,
    dataset: request.dataset,
    preprocessing: request.preprocessing,
    batchSize: null,
    provider: request.provider,
    taps: request.taps,
    gramBatch: n,
    orderSeed: request.orderSeed,
    spatialPooling: request.spatialPooling,
  }
}

/** One Gram job per distinct checkpoint; full-batch estimators take the whole selection as n. */
async function gramRequests(
  request: CkaRequest,
  context: AnalysisContext,
): Promise<CkaGramsRequest[]> {
  assertShape(request)
  const n =
    request.estimator === 'minibatch'
      ? request.batchSize!
      : await context.selectionSize(request.dataset)
  const corruption = checkCorruptionCell(request.corruptionB)
  if (corruption !== null) {
    const [rows, columns] = request.checkpointIds
    return [gramRequest(request, rows, n), { ...gramRequest(request, columns, n), corruption }]
  }
  return [...new Set(request.checkpointIds)].map((id) => gramRequest(request, id, n))
}

/** The checkpoint each stored Gram result belongs to, in the order gramRequests asked for them. */
function sidesOf(request: CkaRequest): number[] {
  return (request.corruptionB ?? null) !== null
    ? request.checkpointIds
    : [...new Set(request.checkpointIds)]
}

async function compute(request: CkaRequest, stored: ResultInfo[], context: AnalysisContext) {
  const ids = sidesOf(request)
  const entries = await Promise.all(
    stored.map(async (result, i) => ({
      checkpointId: ids[i],
      result: result as ResultInfo<CkaGramsResult>,
      grams: await context.readFloat32Blob(result.id, 'grams'),
    })),
  )
  return computeCka(request, entries, (id) => context.checkpointLabel(id))
}

/** The pinned batch order of a stored Gram result: positions in the selection, batch after batch. */
export async function ckaBatchOrder(
  context: AnalysisContext,
  gramResultId: number,
): Promise<number[]> {
  const bytes = (await context.readBlob(gramResultId, 'batch-order')).slice()
  return Array.from(new Int32Array(bytes.buffer))
}

/**
 * CKA from stored Grams: layer × layer within a checkpoint, checkpoint vs checkpoint, or a run's
 * timeline; a checkpoint whose Grams on these batches are stored costs no forward pass.
 */
export const ckaCompute = derivedModule({
  channel: 'cka:compute',
  jobsFor: gramRequests,
  compute,
})
