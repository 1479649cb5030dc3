import { summariseSweep } from '../../../../native-models/analysis/robustness/sweep/index.ts'
import type {
  ModelErrors,
  Normaliser,
} from '../../../../native-models/analysis/robustness/sweep/index.ts'
import type {
  CorruptionName,
  CorruptionSweep,
  CorruptionSweepRequest,
  EvaluationResult,
  ResultInfo,
  SweepCheckpoint,
} from '../../contract/index.ts'
import type { AnalysisContext } from '../analysis-module.ts'
import { derivedModule } from '../analysis-module.ts'
import {
  assertPaired,
  INTERVAL_NOTE,
  outcomesOf,
  planAccuracies,
  SweepIntervals,
} from './sweep-accuracy.ts'
import type { CellOutcomes, StoredCell, SweepAccuracies } from './sweep-accuracy.ts'
import { cellRequests, checkSweepRequest, sweptCheckpoints } from './sweep-request.ts'
import { asSweptCell, precomputedCellClasses } from './precomputed-cells.ts'
import { chooseNormalisation } from '../../../../native-models/analysis/robustness/sweep/normalisation.ts'

async function jobsFor(request: CorruptionSweepRequest) {
  checkSweepRequest(request)
  const cellClasses = await precomputedCellClasses(request)
  return sweptCheckpoints(request).flatMap((id) => cellRequests(request, id, cellClasses))
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
  accuracies: SweepAccuracies,
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
    ...accuracies,
  }
}

/** Reads every swept checkpoint's per-image results; the baseline's delta to itself is left out. */
async function sweepCheckpoints(
  request: CorruptionSweepRequest,
  perCheckpoint: Map<number, StoredCell[]>,
  normaliser: Normaliser,
  context: AnalysisContext,
): Promise<SweepCheckpoint[]> {
  const outcomes = new Map<number, CellOutcomes>()
  for (const [id, cells] of perCheckpoint) outcomes.set(id, await outcomesOf(cells, context))
  const baselineId = request.baselineCheckpointId ?? null
  const baseline = baselineId === null ? null : outcomes.get(baselineId)!
  const intervals = new SweepIntervals()
  const planned = [...new Set(request.checkpointIds)].map((id) => {
    const own = outcomes.get(id)!
    if (baseline) assertPaired(own, baseline, context.checkpointLabel(id))
    return {
      id,
      own,
      accuracies: planAccuracies(intervals, own, id === baselineId ? null : baseline),
    }
  })
  intervals.compute()
  return planned.map(({ id, own, accuracies }) =>
    sweepCheckpoint(id, own.cells, normaliser, accuracies()),
  )
}

/** AlexNet's errors for official ImageNet-C files, else the reference checkpoint's, else none. */
function sweepNormaliser(
  request: CorruptionSweepRequest,
  perCheckpoint: Map<number, StoredCell[]>,
  context: AnalysisContext,
): { normaliser: Normaliser; note: string } {
  const reference = request.referenceCheckpointId
  const cleanPayloads = [...perCheckpoint.values()].map((cells) => cells[0].result.payload)
  const choice = chooseNormalisation({
    source: request.precomputed?.layout ?? 'generated',
    datasetClasses: cleanPayloads[0].classes.length,
    modelOutputs: cleanPayloads.map((payload) => payload.confusion[0]?.length ?? 0),
    corruptions: request.corruptions,
    severities: request.severities,
    reference: reference === null ? null : context.checkpointLabel(reference),
  })
  if (choice.kind !== 'reference') return { normaliser: { kind: choice.kind }, note: choice.note }
  const errors = errorsOf(perCheckpoint.get(reference!)!)
  return { normaliser: { kind: 'reference', errors }, note: choice.note }
}

async function compute(
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
        request: asSweptCell(cell, request),
        result: stored[at++] as ResultInfo<EvaluationResult>,
      })),
    )
  }
  const { normaliser, note } = sweepNormaliser(request, perCheckpoint, context)
  const checkpoints = await sweepCheckpoints(request, perCheckpoint, normaliser, context)
  const numImages = (stored[0] as ResultInfo<EvaluationResult>).payload.numImages
  return {
    checkpoints,
    numImages,
    normalisation: normaliser.kind,
    normalisationNote: note,
    baselineCheckpointId: request.baselineCheckpointId ?? null,
    intervalNote: INTERVAL_NOTE,
  }
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
