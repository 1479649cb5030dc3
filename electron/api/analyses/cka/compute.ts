import { ckaMatrix } from '../../../../native-models/analysis/cka/cka.ts'
import { minibatchCkaSpread } from '../../../../native-models/analysis/cka/cka-spread.ts'
import type { CkaEstimator, TapGrams } from '../../../../native-models/analysis/cka/cka.ts'
import type {
  CkaGramsResult,
  CkaMatrix,
  CkaRequest,
  CkaResult,
  CkaTimeline,
  ResultInfo,
} from '../../contract/index.ts'
import { RequestError } from '../../errors.ts'

export interface CheckpointGrams {
  checkpointId: number
  result: ResultInfo<CkaGramsResult>
  grams: Float32Array
}

/** One checkpoint's stored Grams as the CKA math takes them, for every tap or the given keys. */
export function tapGrams(entry: CheckpointGrams, keys?: readonly string[]): TapGrams {
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
  label: (checkpointId: number) => string,
): CkaMatrix {
  const [a, b] = [tapGrams(rows), tapGrams(columns)]
  const spread = estimator === 'minibatch' ? minibatchCkaSpread(a, b) : null
  return {
    rowLabel: label(rows.checkpointId),
    columnLabel: label(columns.checkpointId),
    rowKeys: keysOf(rows),
    columnKeys: keysOf(columns),
    values: ckaMatrix(a, b, estimator),
    ...(spread ? { spread } : {}),
  }
}

function timeline(
  request: CkaRequest,
  entries: CheckpointGrams[],
  label: (checkpointId: number) => string,
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
  const labels = ordered.map((e) => label(e.checkpointId))
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
  label: (checkpointId: number) => string,
): CkaResult {
  const first = entries[0].result.payload
  const orders = new Set(entries.map((e) => e.result.payload.orderSha256))
  if (orders.size > 1)
    throw new RequestError('INTERNAL', 'The stored Grams come from different batch orders.')
  const byId = new Map(entries.map((e) => [e.checkpointId, e]))
  let matrices: CkaMatrix[]
  let line: CkaTimeline | null = null
  let gramResultIds = request.checkpointIds.map((id) => byId.get(id)!.result.id)
  if (request.kind === 'timeline') {
    const built = timeline(request, entries, label)
    line = built.timeline
    matrices = [built.grid]
  } else {
    // A pair's entries are its rows' Grams, then its columns' (the same entry when they agree).
    const [rows, columns] = [entries[0], entries.at(-1)!]
    matrices = [matrix(rows, columns, request.estimator, label)]
    const cell = request.corruptionB ?? null
    if (cell !== null) {
      matrices[0].columnLabel += ` under ${cell.name} severity ${cell.severity}`
      gramResultIds = [rows.result.id, columns.result.id]
    }
  }
  return {
    request,
    labels: request.checkpointIds.map((id) => label(id)),
    n: first.n,
    batches: first.batches,
    numImages: first.numImages,
    droppedImages: first.droppedImages,
    spatialPooling: first.spatialPooling,
    matrices,
    timeline: line,
    gramResultIds,
    notes: notesOf(matrices, line),
  }
}
