import type {
  CorruptionSweep,
  IntervalEstimate,
  Interval,
  SweepCheckpoint,
} from '../../../../electron/api/contract/index.ts'
import type { SweepNumbers } from '@analysis/robustness/sweep/index.ts'
import { percent } from '../../components/common/format.ts'

/** '81.2 % [79.5, 82.9]'. */
export function withInterval(value: number, interval: Interval | null): string {
  if (!interval) return percent(value)
  return `${percent(value)} [${(100 * interval.lower).toFixed(1)}, ${(100 * interval.upper).toFixed(1)}]`
}

/** '+2.1 pt [+0.8, +3.4]' (percentage points). */
export function deltaText(delta: IntervalEstimate | null): string {
  if (!delta) return '—'
  // The sign of the value itself, so a bound just above 0 reads +0.0, not ±0.0.
  const pt = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(100 * x).toFixed(1)}`
  return `${pt(delta.estimate)} pt [${pt(delta.lower)}, ${pt(delta.upper)}]`
}

/** Whether a paired interval excludes 0 (the difference is resolved at 95 %). */
export const isResolved = (delta: IntervalEstimate | null): boolean =>
  delta !== null && (delta.lower > 0 || delta.upper < 0)

export function cleanError(entry: SweepCheckpoint): { value: number; interval: Interval | null } {
  const i = entry.clean.top1Interval
  return {
    value: 1 - entry.clean.top1,
    interval: i ? { lower: 1 - i.upper, upper: 1 - i.lower } : null,
  }
}

/** The numbers a run group averages, from one checkpoint of a sweep. */
export function sweepNumbers(entry: SweepCheckpoint): SweepNumbers {
  return {
    cleanError: 1 - entry.clean.top1,
    meanCorruptedAccuracy: entry.meanCorruptedAccuracy,
    mce: entry.mce,
    relativeMce: entry.relativeMce,
    perCorruptionError: new Map(entry.perCorruption.map((c) => [c.corruption, c.meanError])),
  }
}

export const entryOf = (sweep: CorruptionSweep, id: number): SweepCheckpoint | undefined =>
  sweep.checkpoints.find((c) => c.checkpointId === id)
