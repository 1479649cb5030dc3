import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  clusteredAccuracy,
  groupByTag,
  groupSpread,
  meanStd,
  pairedClusteredDelta,
  perImageMean,
} from '../../../../native-models/analysis/robustness/sweep/index.ts'
import type { SweepNumbers } from '../../../../native-models/analysis/robustness/sweep/index.ts'

interface Estimate {
  estimate: number
  lower: number
  upper: number
}
interface Golden {
  resamples: number
  seed: number
  cases: {
    corruption: string
    a: number[][]
    b: number[][]
    accuracyA: Estimate
    accuracyB: Estimate
    delta: Estimate
  }[]
  groups: { values: number[]; mean: number; std: number | null }[]
}

// tests/reference/robustness_paired_golden.py (NumPy, the bootstrap stream replayed).
const golden = JSON.parse(
  readFileSync(
    new URL('../../../fixtures/goldens/robustness-paired.json', import.meta.url),
    'utf8',
  ),
) as Golden
const options = { resamples: golden.resamples, seed: golden.seed, confidence: 0.95 }
const rows = (values: number[][]) => values.map((row) => Uint8Array.from(row))

function expectClose(actual: Estimate, expected: Estimate): void {
  expect(actual.estimate).toBeCloseTo(expected.estimate, 12)
  expect(actual.lower).toBeCloseTo(expected.lower, 12)
  expect(actual.upper).toBeCloseTo(expected.upper, 12)
}

describe('per-corruption accuracy and paired deltas over severities', () => {
  it.each(golden.cases.map((c) => [c.corruption, c] as const))(
    'match NumPy’s cluster bootstrap on %s',
    (_name, c) => {
      expectClose(clusteredAccuracy(rows(c.a), options), c.accuracyA)
      expectClose(clusteredAccuracy(rows(c.b), options), c.accuracyB)
      expectClose(pairedClusteredDelta(rows(c.a), rows(c.b), options), c.delta)
    },
  )

  it('gives a narrower interval to the paired delta than to either accuracy alone', () => {
    const c = golden.cases[0]
    const width = (e: Estimate) => e.upper - e.lower
    const delta = pairedClusteredDelta(rows(c.a), rows(c.b), options)
    const unpairedWidth = Math.hypot(
      width(clusteredAccuracy(rows(c.a), options)),
      width(clusteredAccuracy(rows(c.b), options)),
    )
    expect(width(delta)).toBeLessThan(unpairedWidth)
  })

  it('gives a delta of exactly 0 with a zero-width interval for a model against itself', () => {
    const c = golden.cases[1]
    expect(pairedClusteredDelta(rows(c.a), rows(c.a), options)).toEqual({
      estimate: 0,
      lower: 0,
      upper: 0,
    })
  })

  it('averages each image over its cells', () => {
    expect([...perImageMean([Uint8Array.of(1, 0, 1), Uint8Array.of(1, 1, 0)])]).toEqual([
      1, 0.5, 0.5,
    ])
  })

  it('refuses cells of different images with the sizes named', () => {
    expect(() => perImageMean([Uint8Array.of(1, 0), Uint8Array.of(1)])).toThrow(
      /Row 1 has 1 images; row 0 has 2/,
    )
    expect(() =>
      pairedClusteredDelta(
        [Uint8Array.of(1, 0)],
        [Uint8Array.of(1, 0), Uint8Array.of(0, 0)],
        options,
      ),
    ).toThrow(/A has 1 cells and B has 2/)
  })
})

describe('run groups', () => {
  it.each(golden.groups.map((g) => [g.values.join(', '), g] as const))(
    'give NumPy’s mean and sample std (ddof 1) of %s',
    (_name, g) => {
      const spread = meanStd(g.values)
      expect(spread.mean).toBeCloseTo(g.mean, 14)
      if (g.std === null) expect(spread.std).toBeNull()
      else expect(spread.std).toBeCloseTo(g.std, 14)
    },
  )

  const member = (cleanError: number, mce: number | null, fog: number): SweepNumbers => ({
    cleanError,
    meanCorruptedAccuracy: 1 - fog,
    mce,
    relativeMce: mce === null ? null : mce / 2,
    perCorruptionError: new Map([
      ['fog', fog],
      ['snow', fog + 0.1],
    ]),
  })

  it('spread every summary number across the members, mCE only when all have one', () => {
    const spread = groupSpread([member(0.1, 0.9, 0.3), member(0.2, 1.1, 0.5)])
    expect(spread.count).toBe(2)
    expect(spread.cleanError.mean).toBeCloseTo(0.15, 14)
    expect(spread.cleanError.std).toBeCloseTo(Math.SQRT2 * 0.05, 14)
    expect(spread.mce?.mean).toBeCloseTo(1, 14)
    expect(spread.perCorruptionError.map((c) => c.corruption)).toEqual(['fog', 'snow'])
    expect(spread.perCorruptionError[1].error.mean).toBeCloseTo(0.5, 14)
    expect(groupSpread([member(0.1, 0.9, 0.3), member(0.2, null, 0.5)]).mce).toBeNull()
  })

  it('group the checkpoints of runs with the tag by epoch and export, the others alone', () => {
    const checkpoint = (
      id: number,
      runId: number,
      tags: string[],
      epoch: number,
      variant = '',
    ) => ({
      checkpointId: id,
      runId,
      tags,
      epoch,
      variant,
    })
    const groups = groupByTag(
      [
        checkpoint(1, 10, ['sgd', 'seed-0'], 3),
        checkpoint(2, 11, ['damp', 'seed-0'], 3),
        checkpoint(3, 12, ['sgd', 'seed-1'], 3),
        checkpoint(4, 12, ['sgd', 'seed-1'], 3, 'bn'),
      ],
      'sgd',
    )
    expect(groups.map((g) => [g.tag, g.checkpointIds, g.runCount])).toEqual([
      ['sgd', [1, 3], 2],
      [null, [2], 1],
      ['sgd', [4], 1],
    ])
    expect(groupByTag([checkpoint(1, 10, ['sgd'], 3)], null)[0].tag).toBeNull()
  })
})
