import { expect } from 'vitest'
import type { EvaluationResult, ReliabilityBin } from '../../../../electron/api/contract/index.ts'

/** The metrics the NumPy reference (tests/reference/eval_*.py) writes. */
export interface NumpyMetrics {
  top1: number
  top5: number
  nll: number
  ece: number
  reliability: ReliabilityBin[]
  confusion: number[][]
  perClass: { count: number; accuracy: number }[]
}

/** Largest |TS − NumPy| over every real-valued metric; counts must match exactly. */
export function maxMetricDifference(actual: EvaluationResult, expected: NumpyMetrics): number {
  const pairs: [number, number][] = [
    [actual.top1, expected.top1],
    [actual.top5, expected.top5],
    [actual.nll, expected.nll],
    [actual.ece, expected.ece],
    ...actual.reliability.flatMap((bin, i): [number, number][] => {
      const other = expected.reliability[i]
      return [
        [bin.lower, other.lower],
        [bin.upper, other.upper],
        [bin.accuracy, other.accuracy],
        [bin.confidence, other.confidence],
      ]
    }),
    ...actual.perClass.map((c, i): [number, number] => [
      c.accuracy,
      expected.perClass[i]?.accuracy ?? NaN,
    ]),
  ]
  return Math.max(...pairs.map(([a, b]) => Math.abs(a - b)))
}

export function expectMetricsClose(
  actual: EvaluationResult,
  expected: NumpyMetrics,
  tolerance: number,
): void {
  expect(actual.confusion).toEqual(expected.confusion)
  expect(actual.reliability.map((bin) => bin.count)).toEqual(
    expected.reliability.map((bin) => bin.count),
  )
  expect(actual.perClass.map((c) => c.count)).toEqual(expected.perClass.map((c) => c.count))
  expect(maxMetricDifference(actual, expected)).toBeLessThanOrEqual(tolerance)
}
