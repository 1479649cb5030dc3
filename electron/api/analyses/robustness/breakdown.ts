import {
  firstTapBelow,
  perTapCka,
} from '../../../../native-models/analysis/robustness/breakdown/index.ts'
import type {
  BreakdownSeverity,
  CkaEstimatorName,
  CkaGramsResult,
  CkaRequest,
  CorruptionBreakdown,
  CorruptionBreakdownRequest,
  ResultInfo,
} from '../../contract/index.ts'
import { invalid, isId, isWhole } from '../../request-fields.ts'
import type { AnalysisContext } from '../analysis-module.ts'
import { derivedModule } from '../analysis-module.ts'
import { checkTaps } from '../checkpoint-job.ts'
import { ckaCompute } from '../cka/derived.ts'
import { tapGrams } from '../cka/compute.ts'
import type { CheckpointGrams } from '../cka/compute.ts'

const ESTIMATORS: readonly CkaEstimatorName[] = ['minibatch', 'linear', 'debiased']

function severitiesOf(request: CorruptionBreakdownRequest): number[] {
  return [...new Set(request.severities)].sort((a, b) => a - b)
}

function checkBreakdownRequest(request: CorruptionBreakdownRequest): void {
  if (!isId(request.checkpointId))
    invalid(`checkpointId must be a checkpoint id, got ${String(request.checkpointId)}.`)
  const { severities, threshold } = request
  if (
    !Array.isArray(severities) ||
    severities.length === 0 ||
    !severities.every((s) => isWhole(s, 1, 5))
  )
    invalid('severities must list one or more of 1, 2, 3, 4, 5.')
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1))
    invalid(`threshold must be a CKA value from 0 to 1 (e.g. 0.9), got ${String(threshold)}.`)
  checkTaps(request.taps)
  const { estimator, batchSize } = request
  if (!ESTIMATORS.includes(estimator))
    invalid(`Unknown estimator '${String(estimator)}': use ${ESTIMATORS.join(', ')}.`)
  if (estimator === 'minibatch' ? !isWhole(batchSize, 4) : batchSize !== null)
    invalid(
      `batchSize must be the minibatch n (4 or more) for minibatch CKA and null for full-batch ${estimator}, got ${String(batchSize)}.`,
    )
}

/** The CKA pair request of one severity: the checkpoint clean (rows) vs corrupted (columns). */
function pairRequest(request: CorruptionBreakdownRequest, severity: number): CkaRequest {
  const { checkpointId, corruption, seed, jpegQuality, padding } = request
  return {
    kind: 'pair',
    checkpointIds: [checkpointId, checkpointId],
    referenceId: null,
    gridLayer: null,
    dataset: request.dataset,
    preprocessing: request.preprocessing,
    taps: request.taps,
    estimator: request.estimator,
    batchSize: request.batchSize,
    orderSeed: request.orderSeed,
    spatialPooling: request.spatialPooling,
    provider: request.provider,
    corruptionB: {
      name: corruption,
      severity: severity as 1 | 2 | 3 | 4 | 5,
      seed,
      jpegQuality,
      padding,
    },
  }
}

/** The clean Grams once, then the corrupted Grams of each severity, in ascending severity. */
async function jobsFor(request: CorruptionBreakdownRequest, context: AnalysisContext) {
  checkBreakdownRequest(request)
  const pairs = await Promise.all(
    severitiesOf(request).map((s) => ckaCompute.jobsFor(pairRequest(request, s), context)),
  )
  return [pairs[0][0], ...pairs.map(([, corrupted]) => corrupted)]
}

async function gramsOf(
  request: CorruptionBreakdownRequest,
  result: ResultInfo,
  context: AnalysisContext,
): Promise<CheckpointGrams> {
  return {
    checkpointId: request.checkpointId,
    result: result as ResultInfo<CkaGramsResult>,
    grams: await context.readFloat32Blob(result.id, 'grams'),
  }
}

function notesOf(severities: BreakdownSeverity[], estimator: string, batches: number): string[] {
  const notes: string[] = []
  const undefinedValues = severities.flatMap((s) => s.values).filter((v) => v === null).length
  if (undefinedValues > 0)
    notes.push(
      `${undefinedValues} value(s) are n/a (a constant tap or NaN activations) and never count as a break.`,
    )
  if (estimator === 'minibatch' && batches < 2)
    notes.push('One batch only: no interval (the intervals resample batches).')
  return notes
}

async function compute(
  request: CorruptionBreakdownRequest,
  stored: ResultInfo[],
  context: AnalysisContext,
): Promise<CorruptionBreakdown> {
  const [clean, ...corrupted] = await Promise.all(stored.map((r) => gramsOf(request, r, context)))
  const first = clean.result.payload
  const taps = first.taps.map((t) => t.key)
  const severities = severitiesOf(request).map((severity, i): BreakdownSeverity => {
    const side = corrupted[i]
    if (side.result.payload.orderSha256 !== first.orderSha256)
      invalid('The clean and corrupted Grams come from different batch orders.')
    const { values, intervals } = perTapCka(
      tapGrams(clean),
      tapGrams(side, taps),
      request.estimator,
    )
    return {
      severity,
      values,
      intervals,
      breaksAt: firstTapBelow(taps, values, request.threshold),
      gramResultId: side.result.id,
    }
  })
  return {
    checkpointId: request.checkpointId,
    corruption: request.corruption,
    threshold: request.threshold,
    estimator: request.estimator,
    taps,
    n: first.n,
    batches: first.batches,
    numImages: first.numImages,
    droppedImages: first.droppedImages,
    cleanGramResultId: clean.result.id,
    severities,
    notes: notesOf(severities, request.estimator, first.batches),
  }
}

/**
 * Where it breaks: a checkpoint's per-tap CKA between its activations on clean images and on the
 * same images under one corruption, per severity. Each side is a stored Gram job (the clean one
 * shared by every severity), so a stopped breakdown resumes and a repeated one runs nothing.
 */
export const corruptionBreakdown = derivedModule({
  channel: 'robustness:breakdown',
  jobsFor,
  compute,
})
