import { ckaMatrix } from '../../native-models/analysis/cka/cka.ts'
import type { CkaEstimator, TapGrams } from '../../native-models/analysis/cka/cka.ts'
import type {
  CkaGramsRequest,
  CkaGramsResult,
  CkaMatrix,
  CkaRequest,
  CkaResult,
  CkaStart,
  CkaTimeline,
  JobInfo,
  ResultInfo,
} from './contract/index.ts'
import { RequestError } from './errors.ts'
import type { StartedJob } from './job-manager.ts'

/** What computing CKA needs from the service. */
export interface CkaDeps {
  startJob(request: CkaGramsRequest): Promise<StartedJob>
  /** The stored 'grams' blob of a Gram result, float32 [taps][batches][n][n]. */
  readGrams(resultId: number): Promise<Float32Array>
  label(checkpointId: number): string
  /** Images the dataset request selects. */
  selectionSize(request: CkaRequest): Promise<number>
}

interface CheckpointGrams {
  checkpointId: number
  result: ResultInfo<CkaGramsResult>
  grams: Float32Array
}

function assertShape(request: CkaRequest): void {
  const count = request.checkpointIds.length
  const expected = { within: count === 1, pair: count === 2, timeline: count >= 2 }[request.kind]
  if (!expected) {
    const needs = {
      within: 'one checkpoint',
      pair: 'two checkpoints',
      timeline: 'two or more checkpoints',
    }
    throw new RequestError(
      'INVALID_ARGUMENT',
      `A '${request.kind}' CKA needs ${needs[request.kind]}; got ${count}.`,
    )
  }
  if (request.estimator === 'minibatch' && request.batchSize === null) {
    throw new RequestError(
      'INVALID_ARGUMENT',
      'Minibatch CKA needs a batch size (n), e.g. 256 at 32² or 64 at 224².',
    )
  }
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

/**
 * CKA values when every checkpoint's Grams for these batches are stored; otherwise starts one Gram
 * job per checkpoint that lacks them (a checkpoint already computed costs no forward pass).
 */
export async function startCka(request: CkaRequest, deps: CkaDeps): Promise<CkaStart> {
  const ids = [...new Set(request.checkpointIds)]
  const started = await Promise.all(
    (await ckaGramRequests(request, deps)).map((gram) => deps.startJob(gram)),
  )
  const jobs = started.map((s) => s.job).filter((job): job is JobInfo => job !== null)
  if (jobs.length > 0) return { result: null, jobs }
  const stored = await Promise.all(
    started.map(async (s, i) => {
      const result = s.result as ResultInfo<CkaGramsResult>
      return { checkpointId: ids[i], result, grams: await deps.readGrams(result.id) }
    }),
  )
  return { result: computeCka(request, stored, deps), jobs: [] }
}

/** One Gram job per distinct checkpoint; full-batch estimators take the whole selection as n. */
export async function ckaGramRequests(
  request: CkaRequest,
  deps: Pick<CkaDeps, 'selectionSize'>,
): Promise<CkaGramsRequest[]> {
  assertShape(request)
  const n =
    request.estimator === 'minibatch' ? request.batchSize! : await deps.selectionSize(request)
  return [...new Set(request.checkpointIds)].map((id) => gramRequest(request, id, n))
}

/** Waits for the Gram jobs (the CLI) and returns the values. */
export async function computeCkaToEnd(
  request: CkaRequest,
  deps: CkaDeps,
  onJob?: (job: JobInfo) => void,
): Promise<CkaResult> {
  for (const gram of await ckaGramRequests(request, deps)) {
    const started = await deps.startJob(gram)
    if (started.job) onJob?.(started.job)
    const { job, result } = await started.completion
    if (!result) {
      throw new RequestError(
        job?.error?.code ?? 'JOB_CANCELLED',
        job?.error?.message ?? `The Gram job of checkpoint ${gram.checkpointId} did not finish.`,
      )
    }
  }
  const again = await startCka(request, deps)
  if (!again.result)
    throw new RequestError('INTERNAL', 'The Grams were stored but could not be read back.')
  return again.result
}

function tapGrams(entry: CheckpointGrams, keys?: readonly string[]): TapGrams {
  const { n, batches, taps } = entry.result.payload
  const size = n * n
  const wanted = keys ?? taps.map((t) => t.key)
  return {
    n,
    grams: wanted.map((key) => {
      const t = taps.findIndex((tap) => tap.key === key)
      return Array.from({ length: batches }, (_, b) =>
        entry.grams.subarray((t * batches + b) * size, (t * batches + b + 1) * size),
      )
    }),
  }
}

function keysOf(entry: CheckpointGrams): string[] {
  return entry.result.payload.taps.map((t) => t.key)
}

function matrix(
  rows: CheckpointGrams,
  columns: CheckpointGrams,
  estimator: CkaEstimator,
  deps: CkaDeps,
): CkaMatrix {
  return {
    rowLabel: deps.label(rows.checkpointId),
    columnLabel: deps.label(columns.checkpointId),
    rowKeys: keysOf(rows),
    columnKeys: keysOf(columns),
    values: ckaMatrix(tapGrams(rows), tapGrams(columns), estimator),
  }
}

function timeline(
  request: CkaRequest,
  entries: CheckpointGrams[],
  deps: CkaDeps,
): { timeline: CkaTimeline; grid: CkaMatrix } {
  const byId = new Map(entries.map((e) => [e.checkpointId, e]))
  const ordered = request.checkpointIds.map((id) => byId.get(id)!)
  const referenceId = request.referenceId ?? request.checkpointIds.at(-1)!
  const reference = byId.get(referenceId)
  if (!reference)
    throw new RequestError(
      'INVALID_ARGUMENT',
      `The reference checkpoint ${referenceId} is not in the timeline.`,
    )
  const keys = keysOf(reference)
  const series = keys.map((key) => ({
    key,
    values: ordered.map(
      (entry) =>
        ckaMatrix(tapGrams(entry, [key]), tapGrams(reference, [key]), request.estimator)[0][0],
    ),
  }))
  const layer = request.gridLayer ?? keys.at(-1)!
  if (!keys.includes(layer))
    throw new RequestError(
      'INVALID_ARGUMENT',
      `No tap '${layer}' in the timeline; taps: ${keys.join(', ')}.`,
    )
  const labels = ordered.map((e) => deps.label(e.checkpointId))
  const perCheckpoint: TapGrams = {
    n: reference.result.payload.n,
    grams: ordered.map((e) => tapGrams(e, [layer]).grams[0]),
  }
  const grid: CkaMatrix = {
    rowLabel: `${layer} across checkpoints`,
    columnLabel: `${layer} across checkpoints`,
    rowKeys: labels,
    columnKeys: labels,
    values: ckaMatrix(perCheckpoint, perCheckpoint, request.estimator),
  }
  return { timeline: { referenceId, checkpointIds: request.checkpointIds, labels, series }, grid }
}

function notesOf(matrices: CkaMatrix[], timelineSeries: CkaTimeline | null): string[] {
  const undefinedCells =
    matrices.reduce((sum, m) => sum + m.values.flat().filter((v) => v === null).length, 0) +
    (timelineSeries?.series.reduce(
      (sum, s) => sum + s.values.filter((v) => v === null).length,
      0,
    ) ?? 0)
  return undefinedCells === 0
    ? []
    : [
        `${undefinedCells} value(s) are n/a: CKA is undefined where a tap is constant over a batch or has NaN activations.`,
      ]
}

export function computeCka(
  request: CkaRequest,
  entries: CheckpointGrams[],
  deps: CkaDeps,
): CkaResult {
  const first = entries[0].result.payload
  const orders = new Set(entries.map((e) => e.result.payload.orderSha256))
  if (orders.size > 1)
    throw new RequestError('INTERNAL', 'The stored Grams come from different batch orders.')
  const byId = new Map(entries.map((e) => [e.checkpointId, e]))
  let matrices: CkaMatrix[]
  let line: CkaTimeline | null = null
  if (request.kind === 'timeline') {
    const built = timeline(request, entries, deps)
    line = built.timeline
    matrices = [built.grid]
  } else {
    const rows = byId.get(request.checkpointIds[0])!
    const columns = byId.get(request.checkpointIds.at(-1)!)!
    matrices = [matrix(rows, columns, request.estimator, deps)]
  }
  return {
    request,
    labels: request.checkpointIds.map((id) => deps.label(id)),
    n: first.n,
    batches: first.batches,
    numImages: first.numImages,
    droppedImages: first.droppedImages,
    spatialPooling: first.spatialPooling,
    matrices,
    timeline: line,
    gramResultIds: request.checkpointIds.map((id) => byId.get(id)!.result.id),
    notes: notesOf(matrices, line),
  }
}
