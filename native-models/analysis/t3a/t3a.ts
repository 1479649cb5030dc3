import { argmax, softmaxEntropy } from './prepared-stream.ts'
import type { PreparedStream } from './prepared-stream.ts'
import { SupportSet } from './support-set.ts'
import type {
  AllSupportsBehaviour,
  LastPartialBatchPolicy,
  SupportFilter,
  T3aOptions,
  T3aResult,
} from './types.ts'

export const DEFAULT_T3A_BATCH_SIZE = 32

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

/** Σ_j row[j] · prototypes[offset + j], over two float64 arrays so the loop stays monomorphic. */
function dotWithPrototype(row: Float64Array, prototypes: Float64Array, offset: number): number {
  const d = row.length
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let j = 0
  for (; j + 3 < d; j += 4) {
    const o = offset + j
    s0 += row[j] * prototypes[o]
    s1 += row[j + 1] * prototypes[o + 1]
    s2 += row[j + 2] * prototypes[o + 2]
    s3 += row[j + 3] * prototypes[o + 3]
  }
  for (; j < d; j++) s0 += row[j] * prototypes[offset + j]
  return s0 + s1 + (s2 + s3)
}

/** T3A logits z · ĉ_k for images [first, end): z is not normalised and the bias is not used. */
function predictBatch(
  stream: PreparedStream,
  supports: SupportSet,
  first: number,
  end: number,
  into: Recorder,
): void {
  const { classes, dim } = stream.classifier
  const logits = new Float64Array(classes)
  const row = new Float64Array(dim)
  for (let i = first; i < end; i++) {
    row.set(stream.features.subarray(i * dim, (i + 1) * dim))
    for (let k = 0; k < classes; k++)
      logits[k] = dotWithPrototype(row, supports.prototypes, k * dim)
    into.t3aPredictions[i] = argmax(logits)
    into.t3aEntropySum += softmaxEntropy(logits)
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

/**
 * T3A (Iwasawa & Matsuo 2021, papers.md §2.1) over one stream, state starting from the
 * classifier rows: each batch is appended with its base pseudo-labels and entropies, each class
 * keeps its M lowest-entropy supports, then the batch is predicted by z · ĉ_k. Nothing is learnt.
 * Stream images are processed in the given order; the caller shuffles.
 * @example runT3a(prepareT3aStream(features, classifier, labels), { filter: 20 })
 */
export function runT3a(stream: PreparedStream, options: T3aOptions): T3aResult {
  const filter = options.filter
  const allBehaviour: AllSupportsBehaviour = options.allBehaviour ?? 'keep-every-support'
  const batchSize = options.batchSize ?? DEFAULT_T3A_BATCH_SIZE
  const lastPartialBatch: LastPartialBatchPolicy = options.lastPartialBatch ?? 'predict'
  assertFilter(filter)
  assertBatchSize(batchSize)
  const { classes } = stream.classifier
  const predictedCount =
    lastPartialBatch === 'drop' ? stream.count - (stream.count % batchSize) : stream.count
  const batches = Math.ceil(predictedCount / batchSize)
  const recorder: Recorder = {
    t3aPredictions: new Int32Array(predictedCount),
    counts: new Int32Array(batches * classes),
    meanEntropy: new Float64Array(batches * classes),
    overallMeanEntropy: new Float64Array(batches),
    t3aEntropySum: 0,
  }
  const supports = new SupportSet(stream, filter, allBehaviour)
  for (let batch = 0; batch < batches; batch++) {
    const first = batch * batchSize
    const end = Math.min(first + batchSize, predictedCount)
    supports.admit(first, end)
    predictBatch(stream, supports, first, end, recorder)
    recordSupports(supports, classes, batch, recorder)
  }
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
