import { epochCheckpoints } from '@analysis/cka/cka-request.ts'
// The CKA view's form, its defaults and what its results section draws.
import type {
  CkaEstimatorName,
  CkaMatrix,
  DatasetRequest,
  ExecutionProvider,
  RunDetail,
  SpatialPooling,
} from '../../../../electron/api/contract/index.ts'

export type CkaKind = 'within' | 'pair' | 'timeline'

/** What the CKA form asks; the view turns it into `cka:compute` requests. */
export interface CkaSpec {
  kind: CkaKind
  /** within: the checkpoint; pair: the rows (A); timeline: the reference. */
  a: number | null
  /** pair: the columns (B). */
  b: number | null
  /** Run-group mode: the tag shared by the runs (e.g. the seeds of one configuration). */
  group: string | null
  /** Run-group mode: the epoch of every run's checkpoint (within, pair) or reference (timeline). */
  groupEpoch: number | null
  /** timeline: the layer of the epoch × epoch grid; null: the last tap. */
  gridLayer: string | null
  /** The image set without sample or limit. */
  dataset: DatasetRequest | null
  limit: number | null
  estimator: CkaEstimatorName
  /** Minibatch n; null: the default for the input size. */
  batchSize: number | null
  /** Comma-separated layer keys; empty: the stem, every block and the pooled features. */
  taps: string
  orderSeed: number
  spatialPooling: SpatialPooling
  provider: ExecutionProvider
}

export const CKA_KINDS: Record<CkaKind, { label: string; hint: string }> = {
  within: { label: 'Layer × layer', hint: 'every tap against every tap of one checkpoint' },
  pair: {
    label: 'Checkpoint vs checkpoint',
    hint: 'two epochs, two runs, seed vs seed, baseline vs a variant',
  },
  timeline: {
    label: 'Timeline of a run',
    hint: "each tap's CKA to a reference epoch, and the epoch × epoch grid of one layer",
  },
}

export const ESTIMATORS: Record<CkaEstimatorName, string> = {
  minibatch: 'minibatch CKA, unbiased HSIC',
  linear: 'full-batch linear CKA (biased HSIC)',
  debiased: 'full-batch debiased linear CKA',
}

export function defaultCkaSpec(): CkaSpec {
  return {
    kind: 'within',
    a: null,
    b: null,
    group: null,
    groupEpoch: null,
    gridLayer: null,
    dataset: null,
    limit: 1024,
    estimator: 'minibatch',
    batchSize: null,
    taps: '',
    orderSeed: 0,
    spatialPooling: 'none',
    provider: 'auto',
  }
}

/** The spec with a patch applied; the same object when the patch changes nothing, so that
 * watchers that set a default settle. */
export function patchedSpec(current: CkaSpec, patch: Partial<CkaSpec>): CkaSpec {
  const changes = (Object.keys(patch) as (keyof CkaSpec)[]).some((k) => patch[k] !== current[k])
  return changes ? { ...current, ...patch } : current
}

/** Epochs every run has a plain (variant '') checkpoint of, ascending. */
export function commonEpochs(runs: RunDetail[]): number[] {
  if (runs.length === 0) return []
  const sets = runs.map((run) => new Set(epochCheckpoints(run).map((c) => c.epoch!)))
  return [...sets[0]].filter((e) => sets.every((s) => s.has(e))).sort((x, y) => x - y)
}

export interface TimelineLine {
  key: string
  values: (number | null)[]
  /** Run-group mode: the std across runs at each epoch (a band). */
  std?: (number | null)[]
}

/** A matrix by keys: a CKA answer, or a run group's mean or std. */
export interface Grid {
  rowKeys: string[]
  columnKeys: string[]
  values: (number | null)[][]
  /** Minibatch CKA: each cell's 95 % interval over resampled batches. */
  spread?: { lower: (number | null)[][]; upper: (number | null)[][]; batches: number }
}

/** What the CKA view draws, by kind of comparison. */
export type CkaShown =
  | { kind: 'within'; title: string; matrix: CkaMatrix }
  | {
      kind: 'pair'
      a: string
      b: string
      aId: number
      withinA: CkaMatrix
      withinB: CkaMatrix
      pair: CkaMatrix
    }
  | {
      kind: 'timeline'
      reference: string
      referenceId: number
      epochs: number[]
      lines: TimelineLine[]
      grid: Grid
      gridStd: Grid | null
      gridLayer: string
      runs?: string[]
    }
  | {
      kind: 'group'
      isPair: boolean
      runs: string[]
      count: number
      epoch: number
      structureId: number
      mean: Grid
      std: Grid
    }

/**
 * The timeline's y range: the whole 0–1 scale, or zoomed to the data (the lowest value or band
 * edge, rounded down to a multiple of 0.05, up to 1). CKA across epochs of one run often stays
 * above 0.9, where a 0–1 axis draws every line on top of the others.
 */
export function timelineAxisRange(lines: TimelineLine[], isFullScale: boolean): [number, number] {
  if (isFullScale) return [0, 1]
  const lows = lines.flatMap((line) =>
    line.values.flatMap((v, i) => (v === null ? [] : [v - (line.std?.[i] ?? 0)])),
  )
  if (lows.length === 0) return [0, 1]
  const lowest = Math.min(...lows)
  return [Math.min(0.95, Math.max(0, Math.floor(lowest * 20) / 20)), 1]
}
