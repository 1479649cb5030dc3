import { CORRUPTION_NAMES } from '../../contract/index.ts'
import type { CorruptionSweepRequest, EvaluateRequest } from '../../contract/index.ts'
import { checkDatasetRequest } from '../../dataset-request.ts'
import { invalid, isId } from '../../request-fields.ts'
import { checkCorruptionCell } from '../evaluate/corruption-cell.ts'
import { checkPrecomputedSource, readFromPrecomputed } from './precomputed-cells.ts'

/** Refuses a malformed sweep request with a sentence naming the field. */
export function checkSweepRequest(request: CorruptionSweepRequest): void {
  const { checkpointIds, corruptions, severities, referenceCheckpointId } = request
  if (!Array.isArray(checkpointIds) || checkpointIds.length === 0 || !checkpointIds.every(isId))
    invalid('checkpointIds must list one or more checkpoint ids.')
  if (referenceCheckpointId !== null && !isId(referenceCheckpointId))
    invalid(
      `referenceCheckpointId must be a checkpoint id or null, got ${String(referenceCheckpointId)}.`,
    )
  const baseline = request.baselineCheckpointId
  if (baseline !== undefined && baseline !== null && !isId(baseline))
    invalid(`baselineCheckpointId must be a checkpoint id or null, got ${String(baseline)}.`)
  if (!Array.isArray(corruptions) || corruptions.length === 0)
    invalid(`corruptions must list one or more of ${CORRUPTION_NAMES.join(', ')}.`)
  if (!Array.isArray(severities) || severities.length === 0)
    invalid('severities must list one or more of 1, 2, 3, 4, 5.')
  checkDatasetRequest(request.dataset)
  checkPrecomputedSource(request.precomputed)
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

/**
 * The checkpoints a sweep evaluates: the compared ones, then the reference and the baseline when
 * they are others.
 */
export function sweptCheckpoints(request: CorruptionSweepRequest): number[] {
  const extra = [request.referenceCheckpointId, request.baselineCheckpointId ?? null]
  return [...new Set([...request.checkpointIds, ...extra.filter((id) => id !== null)])]
}

/**
 * One checkpoint's evaluations: clean first, then corruption by corruption, severity by severity;
 * a precomputed cell reads its slice of the set with the clean selection (`cellClasses`: the clean
 * set's class names when the slice would name them otherwise).
 */
export function cellRequests(
  request: CorruptionSweepRequest,
  checkpointId: number,
  cellClasses: string[] | null = null,
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
  const cells: EvaluateRequest[] = [
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
  const source = request.precomputed
  return source ? cells.map((cell) => readFromPrecomputed(cell, source, cellClasses)) : cells
}
