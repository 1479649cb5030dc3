import type { EvaluationResult } from '../../../electron/api/contract/index.ts'
import {
  confidenceBinEdges,
  confidenceBinIndex,
  emptyBinTotals,
  expectedCalibrationError,
  reliabilityBins,
} from './calibration-bins.ts'
import type { BinTotals } from './calibration-bins.ts'
import { scoreLogitRow, scoreProbabilityRow } from './classifier-rows.ts'
import type { RowScore } from './classifier-rows.ts'

import { ECE_BIN_COUNT, TOP_K } from './evaluation-constants.ts'
import { evaluationIntervals } from './intervals.ts'
import { emptyPerImageRecords, recordImage } from './per-image.ts'
import type { PerImageRecords } from './per-image.ts'

export { ECE_BIN_COUNT, TOP_K }

export interface EvaluationOptions {
  /** Class names in logit order; labels index into it (it may have fewer entries than outputs). */
  classes: readonly string[]
  /** Outputs per image (K). */
  numOutputs: number
  /** The model ends in Softmax (ModelSummary.hasTrailingSoftmax): outputs are probabilities. */
  hasTrailingSoftmax: boolean
  /** Default 15. */
  binCount?: number
  /**
   * Keep each image's result for this many selection positions: the result then carries 95 %
   * intervals and perImage() the records (a few bytes per image).
   */
  perImageCount?: number
}

/** Streaming evaluation over batches; memory is counters only (bins, confusion), never the outputs. */
export interface EvaluationAccumulator {
  /**
   * Adds a batch. `outputs` is row-major [N, K] float32 logits (or probabilities), `labels` [N].
   * @example accumulator.add(new Float32Array([2, 0, 1, 0, 3, 1]), new Int32Array([0, 2]))
   */
  add(outputs: Float32Array, labels: Int32Array, positions?: readonly number[]): void
  readonly imageCount: number
  result(): EvaluationResult
  /** null unless `perImageCount` was given. */
  perImage(): PerImageRecords | null
}

interface Totals {
  images: number
  top1: number
  topK: number
  nllSum: number
  bins: BinTotals[]
  /** confusion[true][predicted] */
  confusion: number[][]
}

export function createEvaluationAccumulator(options: EvaluationOptions): EvaluationAccumulator {
  assertOptions(options)
  const edges = confidenceBinEdges(options.binCount ?? ECE_BIN_COUNT)
  const k = Math.min(TOP_K, options.numOutputs)
  const scoreRow = options.hasTrailingSoftmax ? scoreProbabilityRow : scoreLogitRow
  const totals: Totals = {
    images: 0,
    top1: 0,
    topK: 0,
    nllSum: 0,
    bins: emptyBinTotals(edges.length - 1),
    confusion: options.classes.map(() => new Array<number>(options.numOutputs).fill(0)),
  }
  const records =
    options.perImageCount === undefined ? null : emptyPerImageRecords(options.perImageCount)
  return {
    add(outputs, labels, positions) {
      assertBatch(outputs, labels, options)
      for (let row = 0; row < labels.length; row += 1) {
        const label = labels[row]
        const score = scoreRow(outputs, row * options.numOutputs, options.numOutputs, label, k)
        if (records) recordImage(records, positions?.[row] ?? totals.images, label, score)
        addRow(totals, label, score, confidenceBinIndex(score.confidence, edges))
      }
    },
    get imageCount() {
      return totals.images
    },
    result: () => {
      const result = summarize(totals, options, edges)
      return records ? { ...result, intervals: evaluationIntervals(records) } : result
    },
    perImage: () => records,
  }
}

/** One-shot evaluation of all outputs at once. */
export function evaluateOutputs(
  outputs: Float32Array,
  labels: Int32Array,
  options: EvaluationOptions,
): EvaluationResult {
  const accumulator = createEvaluationAccumulator(options)
  accumulator.add(outputs, labels)
  return accumulator.result()
}

function addRow(totals: Totals, label: number, score: RowScore, bin: number): void {
  const isCorrect = score.predicted === label
  const binTotals = totals.bins[bin]
  totals.images += 1
  totals.top1 += isCorrect ? 1 : 0
  totals.topK += score.isInTopK ? 1 : 0
  totals.nllSum += score.nll
  binTotals.count += 1
  binTotals.correct += isCorrect ? 1 : 0
  binTotals.confidenceSum += score.confidence
  totals.confusion[label][score.predicted] += 1
}

function summarize(
  totals: Totals,
  options: EvaluationOptions,
  edges: Float64Array,
): EvaluationResult {
  const reliability = reliabilityBins(totals.bins, edges)
  const ratio = (part: number): number => (totals.images === 0 ? 0 : part / totals.images)
  return {
    numImages: totals.images,
    classes: [...options.classes],
    top1: ratio(totals.top1),
    top5: ratio(totals.topK),
    nll: ratio(totals.nllSum),
    ece: expectedCalibrationError(reliability, totals.images),
    reliability,
    confusion: totals.confusion.map((row) => [...row]),
    perClass: options.classes.map((name, c) => classAccuracy(name, totals.confusion[c] ?? [], c)),
  }
}

function classAccuracy(name: string, confusionRow: readonly number[], classIndex: number) {
  const count = confusionRow.reduce((sum, n) => sum + n, 0)
  const correct = confusionRow[classIndex] ?? 0
  return { name, count, accuracy: count === 0 ? 0 : correct / count }
}

function assertOptions(options: EvaluationOptions): void {
  if (!Number.isInteger(options.numOutputs) || options.numOutputs < 1) {
    throw new RangeError(`numOutputs must be a positive integer, got ${options.numOutputs}.`)
  }
  if (options.classes.length < 1 || options.classes.length > options.numOutputs) {
    throw new RangeError(
      `${options.classes.length} classes do not fit ${options.numOutputs} outputs per image.`,
    )
  }
}

function assertBatch(outputs: Float32Array, labels: Int32Array, options: EvaluationOptions): void {
  if (outputs.length !== labels.length * options.numOutputs) {
    throw new RangeError(
      `Expected ${labels.length} × ${options.numOutputs} outputs, got ${outputs.length}.`,
    )
  }
  const badLabel = labels.find((label) => label < 0 || label >= options.classes.length)
  if (badLabel !== undefined) {
    throw new RangeError(`Label ${badLabel} is outside 0..${options.classes.length - 1}.`)
  }
  const nonFinite = outputs.findIndex((value) => !Number.isFinite(value))
  if (nonFinite >= 0) {
    throw new RangeError(
      `Output ${nonFinite % options.numOutputs} of image ${Math.floor(nonFinite / options.numOutputs)} in the batch is ${outputs[nonFinite]}.`,
    )
  }
}
