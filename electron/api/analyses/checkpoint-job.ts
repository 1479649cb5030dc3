import { FieldProblem } from '../../../native-models/runs/field-readers.ts'
import { readPreprocessing } from '../../../native-models/runs/preprocessing.ts'
import type { CheckpointJobBase, Preprocessing } from '../contract/index.ts'
import { checkDatasetRequest } from '../dataset-request.ts'
import { invalid, isWhole } from '../request-fields.ts'

const PROVIDERS = ['auto', 'cuda', 'dml', 'cpu']

// A batch beyond this would not fit in memory for any ResNet input worth analysing.
const MAX_BATCH_SIZE = 65_536

/** Refuses a request whose taps are neither null nor a list of names. */
export function checkTaps(taps: unknown): void {
  if (taps !== null && !(Array.isArray(taps) && taps.every((t) => typeof t === 'string' && t)))
    invalid('taps must be null (the default layers) or a list of layer keys or node names.')
}

/**
 * The request's preprocessing read by the same rules as run.json's (unknown keys, types, ranges);
 * the defaults filled in. null stays null: the run's own preprocessing.
 */
export function checkedPreprocessing(value: unknown): Preprocessing | null {
  if (value === null || value === undefined) return null
  try {
    return readPreprocessing('preprocessing', value)
  } catch (error) {
    if (!(error instanceof FieldProblem)) throw error
    return invalid(`The preprocessing is not usable: ${error.message}.`)
  }
}

/** The fields of a job that reads a model's weights only: which model, which provider. */
export function checkModelJob<
  R extends Pick<CheckpointJobBase, 'checkpointId' | 'modelPath' | 'provider'>,
>(request: R): R {
  const { checkpointId, modelPath, provider } = request
  if (checkpointId === null && (typeof modelPath !== 'string' || modelPath === ''))
    invalid('A job needs a checkpointId or a modelPath.')
  if (checkpointId !== null && !isWhole(checkpointId, 1))
    invalid(`checkpointId must be a checkpoint id, got ${String(checkpointId)}.`)
  if (!PROVIDERS.includes(provider))
    invalid(`Unknown execution provider '${String(provider)}': use ${PROVIDERS.join(', ')}.`)
  return request
}

/**
 * The fields every checkpoint job shares: which model, which images, how, where. Returns the
 * request with its preprocessing checked and completed.
 */
export function checkCheckpointJob<R extends CheckpointJobBase>(request: R): R {
  checkModelJob(request)
  const { dataset, batchSize } = request
  if (batchSize !== null && !isWhole(batchSize, 1, MAX_BATCH_SIZE))
    invalid(
      `batchSize must be a whole number from 1 to ${MAX_BATCH_SIZE} or null, got ${String(batchSize)}.`,
    )
  return {
    ...request,
    dataset: checkDatasetRequest(dataset),
    preprocessing: checkedPreprocessing(request.preprocessing),
  }
}
