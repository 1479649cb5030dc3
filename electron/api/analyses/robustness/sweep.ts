import { summariseSweep } from '../../../../native-models/analysis/robustness/sweep/index.ts'
import type {
  ModelErrors,
  Normaliser,
} from '../../../../native-models/analysis/robustness/sweep/index.ts'
import type {
  CorruptionName,
  CorruptionSweep,
  CorruptionSweepRequest,
  EvaluateRequest,
  EvaluationResult,
  ResultInfo,
  SweepCheckpoint,
} from '../../contract/index.ts'
import type { AnalysisContext } from '../analysis-module.ts'
import { derivedModule } from '../analysis-module.ts'
import { cellRequests, checkSweepRequest, sweptCheckpoints } from './sweep-request.ts'

interface StoredCell {
  request: EvaluateRequest
  result: ResultInfo<EvaluationResult>
}

function jobsFor(request: CorruptionSweepRequest) {
  checkSweepRequest(request)
  return Promise.resolve(sweptCheckpoints(request).flatMap((id) => cellRequests(request, id)))
}

function errorsOf(cells: StoredCell[]): ModelErrors {
  const byCorruption = new Map<CorruptionName, number[]>()
  for (const { request, result } of cells.slice(1)) {
    const name = request.corruption!.name
    byCorruption.set(name, [...(byCorruption.get(name) ?? []), 1 - result.payload.top1])
  }
  return { clean: 1 - cells[0].result.payload.top1, byCorruption }
}

function sweepCheckpoint(
  checkpointId: number,
  cells: StoredCell[],
  normaliser: Normaliser,
): SweepCheckpoint {
  const [clean, ...corrupted] = cells
  const summary = summariseSweep(errorsOf(cells), normaliser)
  return {
    checkpointId,
    clean: {
      resultId: clean.result.id,
      top1: clean.result.payload.top1,
      top1Interval: clean.result.payload.intervals?.top1 ?? null,
    },
    cells: corrupted.map(({ request, result }) => ({
      corruption: request.corruption!.name,
      severity: request.corruption!.severity,
      resultId: result.id,
      top1: result.payload.top1,
      top1Interval: result.payload.intervals?.top1 ?? null,
      top5: result.payload.top5,
      nll: result.payload.nll,
      ece: result.payload.ece,
    })),
    ...summary,
  }
}

function compute(
  request: CorruptionSweepRequest,
  stored: ResultInfo[],
  context: AnalysisContext,
): Promise<CorruptionSweep> {
  const ids = sweptCheckpoints(request)
  const perCheckpoint = new Map<number, StoredCell[]>()
  let at = 0
  for (const id of ids) {
    const requests = cellRequests(request, id)
    perCheckpoint.set(
      id,
      requests.map((cell) => ({
        request: cell,
        result: stored[at++] as ResultInfo<EvaluationResult>,
      })),
    )
  }
  const reference = request.referenceCheckpointId
  const normaliser: Normaliser =
    reference === null
      ? { kind: 'none' }
      : { kind: 'reference', errors: errorsOf(perCheckpoint.get(reference)!) }
  const note =
    reference === null
      ? 'CE needs a normaliser: AlexNet’s published errors apply only to the official 1000-class ImageNet-C images; choose a reference checkpoint to get CE and mCE.'
      : `CE = Σ error / Σ error of ${context.checkpointLabel(reference)} on the same cells (AlexNet’s constants apply only to the official ImageNet-C images); relative CE subtracts each model’s clean error.`
  const checkpoints = [...new Set(request.checkpointIds)].map((id) =>
    sweepCheckpoint(id, perCheckpoint.get(id)!, normaliser),
  )
  const numImages = (stored[0] as ResultInfo<EvaluationResult>).payload.numImages
  return Promise.resolve({
    checkpoints,
    numImages,
    normalisation: normaliser.kind === 'reference' ? 'reference' : 'none',
    normalisationNote: note,
  })
}

/**
 * A corruption sweep: each checkpoint evaluated clean and on every (corruption, severity) cell,
 * each cell a stored evaluation, so an interrupted sweep resumes where it stopped; summarised as
 * mean corrupted accuracy, per-corruption error, and (with a reference) CE, mCE and relative mCE.
 */
export const corruptionSweep = derivedModule({
  channel: 'robustness:sweep',
  jobsFor,
  compute,
})
