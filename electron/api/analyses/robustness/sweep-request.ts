import { CORRUPTION_NAMES } from '../../contract/index.ts'
import type { CorruptionSweepRequest, EvaluateRequest } from '../../contract/index.ts'
import { checkDatasetRequest } from '../../dataset-request.ts'
import { invalid, isId } from '../../request-fields.ts'
import { checkCorruptionCell } from '../evaluate/corruption-cell.ts'

/** Refuses a malformed sweep request with a sentence naming the field. */
export function checkSweepRequest(request: CorruptionSweepRequest): void {
  const { checkpointIds, corruptions, severities, referenceCheckpointId } = request
  if (!Array.isArray(checkpointIds) || checkpointIds.length === 0 || !checkpointIds.every(isId))
    invalid('checkpointIds must list one or more checkpoint ids.')
  if (referenceCheckpointId !== null && !isId(referenceCheckpointId))
    invalid(
      `referenceCheckpointId must be a checkpoint id or null, got ${String(referenceCheckpointId)}.`,
    )
  if (!Array.isArray(corruptions) || corruptions.length === 0)
    invalid(`corruptions must list one or more of ${CORRUPTION_NAMES.join(', ')}.`)
  if (!Array.isArray(severities) || severities.length === 0)
    invalid('severities must list one or more of 1, 2, 3, 4, 5.')
  checkDatasetRequest(request.dataset)
  for (const name of corruptions)
    for (const severity of severities)
      checkCorruptionCell({
        name,
        severity,
        seed: request.seed,
        jpegQuality: request.jpegQuality,
        padding: request.padding,
      })
}

/** The checkpoints a sweep evaluates: the compared ones, then the reference when it is another. */
export function sweptCheckpoints(request: CorruptionSweepRequest): number[] {
  const ids = [...new Set(request.checkpointIds)]
  const reference = request.referenceCheckpointId
  return reference === null || ids.includes(reference) ? ids : [...ids, reference]
}

/** One checkpoint's evaluations: clean first, then corruption by corruption, severity by severity. */
export function cellRequests(
  request: CorruptionSweepRequest,
  checkpointId: number,
): EvaluateRequest[] {
  const base: EvaluateRequest = {
    kind: 'evaluate',
    checkpointId,
    modelPath: null,
    dataset: request.dataset,
    preprocessing: request.preprocessing,
    batchSize: null,
    provider: request.provider,
  }
  const severities = [...new Set(request.severities)].sort((a, b) => a - b)
  const corruptions = CORRUPTION_NAMES.filter((name) => request.corruptions.includes(name))
  return [
    base,
    ...corruptions.flatMap((name) =>
      severities.map((severity) => ({
        ...base,
        corruption: {
          name,
          severity,
          seed: request.seed,
          jpegQuality: request.jpegQuality,
          padding: request.padding,
        },
      })),
    ),
  ]
}
