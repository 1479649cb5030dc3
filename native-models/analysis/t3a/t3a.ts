import { argmax, softmaxEntropy } from './prepared-stream.ts'
import type { PreparedStream } from './prepared-stream.ts'
import { multiplyRowsByRows, rowViews } from './row-products.ts'
import { groupIncoming, SupportSet } from './support-set.ts'
import type {
  AllSupportsBehaviour,
  LastPartialBatchPolicy,
  SupportFilter,
  T3aOptions,
  T3aResult,
} from './types.ts'

export const DEFAULT_T3A_BATCH_SIZE = 32

// A batch is predicted this many rows at a time (a multiple of the 2-row product kernel), so a
// large batch size costs no more memory than this.
const PREDICT_BLOCK_ROWS = 48

function assertFilter(filter: SupportFilter): void {
  if (filter !== 'all' && !(Number.isInteger(filter) && filter >= 1))
    throw new RangeError(
      `T3A filter M must be a positive integer or 'all', got '${String(filter)}'.`,
    )
}

function assertBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`T3A batch size must be a positive integer, got '${batchSize}'.`)
}

function accuracy(predictions: Int32Array, labels: Int32Array | null): number | null {
  if (labels === null || predictions.length === 0) return null
  let correct = 0
  for (const [i, p] of predictions.entries()) if (p === labels[i]) correct++
  return correct / predictions.length
}

interface Recorder {
  readonly t3aPredictions: Int32Array
  readonly counts: Int32Array
  readonly meanEntropy: Float64Array
  readonly overallMeanEntropy: Float64Array
  t3aEntropySum: number
}

function newRecorder(predictedCount: number, batches: number, classes: number): Recorder {
  return {
    t3aPredictions: new Int32Array(predictedCount),
    counts: new Int32Array(batches * classes),
    meanEntropy: new Float64Array(batches * classes),
    overallMeanEntropy: new Float64Array(batches),
    t3aEntropySum: 0,
  }
}

/**
 * Logits z · ĉ_k = (z · sum_k) / norm_k of images [first, end) from their products with the
 * sums (`columns` per image, every filter's C side by side), then argmax and entropy per filter.
 * Dividing the product rather than normalising the sum first is the same value up to rounding,
 * and spares a pass over every changed class's d values each batch.
 */
function recordPredictions(
  products: Float64Array,
  norms: Float64Array,
  first: number,
  end: number,
  recorders: readonly Recorder[],
  classes: number,
): void {
  const columns = norms.length
  for (let offset = 0; offset < (end - first) * columns; offset += columns)
    for (let c = 0; c < columns; c++) products[offset + c] /= norms[c]
  for (const [f, recorder] of recorders.entries())
    recordFilter(products, columns, f * classes, classes, first, end, recorder)
}

function recordFilter(
  logits: Float64Array,
  columns: number,
  column: number,
  classes: number,
  first: number,
  end: number,
  into: Recorder,
): void {
  for (let i = first; i < end; i++) {
    const offset = (i - first) * columns + column
    into.t3aPredictions[i] = argmax(logits, offset, classes)
    into.t3aEntropySum += softmaxEntropy(logits, offset, classes)
  }
}

function recordSupports(
  supports: SupportSet,
  classes: number,
  batch: number,
  into: Recorder,
): void {
  let total = 0
  let entropy = 0
  for (let k = 0; k < classes; k++) {
    const count = supports.count(k)
    const sum = supports.entropySum(k)
    into.counts[batch * classes + k] = count
    into.meanEntropy[batch * classes + k] = count === 0 ? Number.NaN : sum / count
    total += count
    entropy += sum
  }
  into.overallMeanEntropy[batch] = total === 0 ? Number.NaN : entropy / total
}

/** Options every filter of one pass shares. */
export type T3aStreamOptions = Omit<T3aOptions, 'filter'>

interface Settings {
  allBehaviour: AllSupportsBehaviour
  batchSize: number
  lastPartialBatch: LastPartialBatchPolicy
  predictedCount: number
  batches: number
}

function settingsOf(stream: PreparedStream, options: T3aStreamOptions): Settings {
  const allBehaviour = options.allBehaviour ?? 'keep-every-support'
  const batchSize = options.batchSize ?? DEFAULT_T3A_BATCH_SIZE
  const lastPartialBatch = options.lastPartialBatch ?? 'predict'
  assertBatchSize(batchSize)
  const predictedCount =
    lastPartialBatch === 'drop' ? stream.count - (stream.count % batchSize) : stream.count
  const batches = Math.ceil(predictedCount / batchSize)
  return { allBehaviour, batchSize, lastPartialBatch, predictedCount, batches }
}

/**
 * T3A (Iwasawa & Matsuo 2021, papers.md §2.1) at several filter sizes M in one pass over one
 * stream, each M from a fresh state (the classifier rows): each batch is appended with its base
 * pseudo-labels and entropies, each class keeps its M lowest-entropy supports, then the batch is
 * predicted by z · ĉ_k. Nothing is learnt. Results are those of runT3a for each M; sharing the
 * pass reads each batch once and computes every M's logits in one product.
 * Stream images are processed in the given order; the caller shuffles (see stream-order.ts).
 * @example runT3aFilters(prepareT3aStream(features, classifier, labels), [1, 5, 'all'], {})
 */
export function runT3aFilters(
  stream: PreparedStream,
  filters: readonly SupportFilter[],
  options: T3aStreamOptions = {},
): T3aResult[] {
  filters.forEach(assertFilter)
  const settings = settingsOf(stream, options)
  const { classes, dim } = stream.classifier
  const { batchSize, predictedCount, batches } = settings
  const columns = filters.length * classes
  const sums = new Float64Array(columns * dim)
  const norms = new Float64Array(columns)
  const sets = filters.map(
    (filter, f) =>
      new SupportSet(stream, filter, settings.allBehaviour, {
        sums: sums.subarray(f * classes * dim, (f + 1) * classes * dim),
        norms: norms.subarray(f * classes, (f + 1) * classes),
      }),
  )
  const recorders = filters.map(() => newRecorder(predictedCount, batches, classes))
  const rows = new Float64Array(PREDICT_BLOCK_ROWS * dim)
  const blockRows = rowViews(rows, PREDICT_BLOCK_ROWS, dim)
  const sumRows = rowViews(sums, columns, dim)
  const products = new Float64Array(PREDICT_BLOCK_ROWS * columns)
  for (let batch = 0; batch < batches; batch++) {
    const first = batch * batchSize
    const end = Math.min(first + batchSize, predictedCount)
    const incoming = groupIncoming(stream, first, end)
    for (const set of sets) set.admit(incoming)
    for (let from = first; from < end; from += PREDICT_BLOCK_ROWS) {
      const to = Math.min(from + PREDICT_BLOCK_ROWS, end)
      rows.set(stream.features.subarray(from * dim, to * dim))
      multiplyRowsByRows(blockRows, to - from, sumRows, products)
      recordPredictions(products, norms, from, to, recorders, classes)
    }
    for (const [f, recorder] of recorders.entries())
      recordSupports(sets[f], classes, batch, recorder)
  }
  return filters.map((filter, f) => resultOf(stream, filter, settings, recorders[f]))
}

function resultOf(
  stream: PreparedStream,
  filter: SupportFilter,
  settings: Settings,
  recorder: Recorder,
): T3aResult {
  const { classes } = stream.classifier
  const { allBehaviour, batchSize, lastPartialBatch, predictedCount, batches } = settings
  const basePredictions = stream.pseudoLabels.slice(classes, classes + predictedCount)
  let baseEntropySum = 0
  for (let i = 0; i < predictedCount; i++) baseEntropySum += stream.entropies[classes + i]
  return {
    filter,
    allBehaviour: filter === 'all' ? allBehaviour : null,
    batchSize,
    lastPartialBatch,
    predictedCount,
    droppedCount: stream.count - predictedCount,
    basePredictions,
    t3aPredictions: recorder.t3aPredictions,
    baseAccuracy: accuracy(basePredictions, stream.labels),
    t3aAccuracy: accuracy(recorder.t3aPredictions, stream.labels),
    baseMeanEntropy: predictedCount === 0 ? Number.NaN : baseEntropySum / predictedCount,
    t3aMeanEntropy: predictedCount === 0 ? Number.NaN : recorder.t3aEntropySum / predictedCount,
    supports: {
      batches,
      classes,
      counts: recorder.counts,
      meanEntropy: recorder.meanEntropy,
      overallMeanEntropy: recorder.overallMeanEntropy,
    },
  }
}

/**
 * T3A at one filter size M over one stream, state starting from the classifier rows
 * (runT3aFilters with one M; run several M together there).
 * @example runT3a(prepareT3aStream(features, classifier, labels), { filter: 20 })
 */
export function runT3a(stream: PreparedStream, options: T3aOptions): T3aResult {
  return runT3aFilters(stream, [options.filter], options)[0]
}
