import {
  BOOTSTRAP_RESAMPLES,
  BOOTSTRAP_SEED,
  INTERVAL_CONFIDENCE,
} from '../../../../native-models/analysis/evaluate/intervals.ts'
import { correctOf } from '../../../../native-models/analysis/evaluate/per-image.ts'
import {
  bootstrapMeans,
  perImageDifference,
  perImageMean,
} from '../../../../native-models/analysis/robustness/sweep/index.ts'
import type {
  EvaluateRequest,
  EvaluationResult,
  IntervalEstimate,
  ResultInfo,
  SweepAccuracy,
  SweepCorruptionAccuracy,
  SweepSeverityAccuracy,
} from '../../contract/index.ts'
import { RequestError } from '../../errors.ts'
import type { AnalysisContext } from '../analysis-module.ts'
import { perImageOf } from '../evaluate/paired.ts'

/** One cell of a sweep: its evaluation request and stored result. */
export interface StoredCell {
  request: EvaluateRequest
  result: ResultInfo<EvaluationResult>
}

/** One checkpoint's cells with each image's outcome (1: right): clean first. */
export interface CellOutcomes {
  cells: StoredCell[]
  correct: Uint8Array[]
  labels: Int32Array
}

const BOOTSTRAP = {
  resamples: BOOTSTRAP_RESAMPLES,
  seed: BOOTSTRAP_SEED,
  confidence: INTERVAL_CONFIDENCE,
}

export const INTERVAL_NOTE = `Accuracies averaged over cells carry a ${100 * INTERVAL_CONFIDENCE} % percentile bootstrap interval over images (${BOOTSTRAP_RESAMPLES} resamples, seed ${BOOTSTRAP_SEED}) in which each image is resampled with all its cells together (its severities, or its corruptions at one severity), since one image's cells are not independent. Deltas are paired: each image's mean over the cells of this checkpoint minus the baseline's, the same resampled images for both. Single cells: Wilson intervals.`

/**
 * Every interval of a sweep from one bootstrap pass: vectors are queued, then `compute` resamples
 * the images once for all of them (the same resamples as each alone would draw).
 */
export class SweepIntervals {
  readonly #vectors: Float64Array[] = []
  #results: IntervalEstimate[] | null = null

  /** Queues a per-image vector; the returned function gives its mean and interval after compute. */
  add(vector: Float64Array): () => IntervalEstimate {
    const k = this.#vectors.push(vector) - 1
    return () => {
      if (!this.#results) throw new Error('SweepIntervals.compute() has not run yet.')
      return this.#results[k]
    }
  }

  compute(): void {
    this.#results = bootstrapMeans(this.#vectors, BOOTSTRAP)
  }
}

/** Reads each cell's stored per-image results. */
export async function outcomesOf(
  cells: StoredCell[],
  context: AnalysisContext,
): Promise<CellOutcomes> {
  const records = await Promise.all(cells.map((cell) => perImageOf(cell.result.id, context)))
  return { cells, correct: records.map(correctOf), labels: records[0].labels }
}

/** The baseline's outcomes must be of the same images in the same order to be paired. */
export function assertPaired(own: CellOutcomes, baseline: CellOutcomes, label: string): void {
  const a = own.labels
  const b = baseline.labels
  if (a.length !== b.length || a.some((value, i) => value !== b[i]))
    throw new RequestError(
      'INVALID_ARGUMENT',
      `${label} and the baseline were not evaluated on the same images in the same order: sweep them on the same selection.`,
    )
}

type Keep = (request: EvaluateRequest) => boolean

function rowsWhere(outcomes: CellOutcomes, keep: Keep): Uint8Array[] {
  return outcomes.correct.filter((_, i) => keep(outcomes.cells[i].request))
}

const isCorrupted: Keep = (r) => Boolean(r.corruption)
const isClean: Keep = (r) => !r.corruption

/** Top-1 over the cells `keep` chooses (averaged per image) and its paired delta, once computed. */
function accuracyOver(
  intervals: SweepIntervals,
  own: CellOutcomes,
  baseline: CellOutcomes | null,
  keep: Keep,
): () => SweepAccuracy {
  const rows = rowsWhere(own, keep)
  const accuracy = intervals.add(perImageMean(rows))
  const delta = baseline ? intervals.add(perImageDifference(rowsWhere(baseline, keep), rows)) : null
  return () => ({ accuracy: accuracy(), delta: delta ? delta() : null })
}

export interface SweepAccuracies {
  /** Every corrupted cell: the mean corrupted accuracy with its interval and delta. */
  overall: SweepAccuracy
  /** Per corruption, top-1 averaged over its severities. */
  corruptionAccuracy: SweepCorruptionAccuracy[]
  /** Severity 0 (clean), then each severity: top-1 averaged over the corruptions. */
  severityCurve: SweepSeverityAccuracy[]
}

function byCorruptionAt(own: CellOutcomes, severity: number) {
  return own.cells
    .filter((cell) => cell.request.corruption?.severity === severity)
    .map(({ request, result }) => ({
      corruption: request.corruption!.name,
      top1: result.payload.top1,
      top1Interval: result.payload.intervals?.top1 ?? null,
    }))
}

/** One checkpoint's averaged accuracies, queued on `intervals`; read them after its compute. */
export function planAccuracies(
  intervals: SweepIntervals,
  own: CellOutcomes,
  baseline: CellOutcomes | null,
): () => SweepAccuracies {
  const corrupted = own.cells.filter((cell) => cell.request.corruption)
  const corruptions = [...new Set(corrupted.map((cell) => cell.request.corruption!.name))]
  const severities = [...new Set(corrupted.map((cell) => cell.request.corruption!.severity))]
  const overall = accuracyOver(intervals, own, baseline, isCorrupted)
  const perCorruption = corruptions.map((name) => ({
    corruption: name,
    accuracy: accuracyOver(intervals, own, baseline, (r) => r.corruption?.name === name),
  }))
  const clean = accuracyOver(intervals, own, baseline, isClean)
  const perSeverity = severities.map((severity) => ({
    severity,
    accuracy: accuracyOver(intervals, own, baseline, (r) => r.corruption?.severity === severity),
    byCorruption: byCorruptionAt(own, severity),
  }))
  const cleanTop1 = {
    top1: own.cells[0].result.payload.top1,
    top1Interval: own.cells[0].result.payload.intervals?.top1 ?? null,
  }
  return () => ({
    overall: overall(),
    corruptionAccuracy: perCorruption.map((c) => ({ corruption: c.corruption, ...c.accuracy() })),
    severityCurve: [
      {
        severity: 0,
        ...clean(),
        byCorruption: corruptions.map((corruption) => ({ corruption, ...cleanTop1 })),
      },
      ...perSeverity.map((p) => ({
        severity: p.severity,
        ...p.accuracy(),
        byCorruption: p.byCorruption,
      })),
    ],
  })
}
