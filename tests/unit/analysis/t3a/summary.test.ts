import { describe, expect, it } from 'vitest'
import { summarizeT3aDomain, thinnedBatches } from '../../../../native-models/analysis/t3a/index.ts'
import type { SupportFilter, T3aResult } from '../../../../native-models/analysis/t3a/index.ts'
import {
  accuracyOf,
  pairedBootstrapDelta,
} from '../../../../native-models/analysis/uncertainty/index.ts'

const CLASSES = 2

/** A T3A result as runT3a would give it, from the predictions and a support history. */
function resultOf(
  filter: SupportFilter,
  basePredictions: number[],
  t3aPredictions: number[],
  batches = 1,
  droppedCount = 0,
): T3aResult {
  return {
    filter,
    allBehaviour: filter === 'all' ? 'keep-every-support' : null,
    batchSize: 32,
    lastPartialBatch: droppedCount === 0 ? 'predict' : 'drop',
    predictedCount: basePredictions.length,
    droppedCount,
    basePredictions: Int32Array.from(basePredictions),
    t3aPredictions: Int32Array.from(t3aPredictions),
    baseAccuracy: null,
    t3aAccuracy: null,
    baseMeanEntropy: 0.4,
    t3aMeanEntropy: 0.1,
    supports: {
      batches,
      classes: CLASSES,
      counts: Int32Array.from({ length: batches * CLASSES }, (_, i) => i),
      meanEntropy: new Float64Array(batches * CLASSES),
      overallMeanEntropy: Float64Array.from({ length: batches }, (_, b) => 1 / (b + 1)),
    },
  }
}

// Ten images of class 0. The base gets 6 right, T3A 8: image 0 only the base, images 6..8 only
// T3A. McNemar: 4 discordant pairs, 2 · P(Bin(4, ½) ≤ 1) = 2 · 5/16 = 0.625.
const labels = new Int32Array(10)
const base = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
const t3a = [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]

describe('T3A domain summary', () => {
  const summary = summarizeT3aDomain([resultOf(5, base, t3a)], labels)
  const [m5] = summary.filters

  it('gives base and T3A accuracies with Wilson 95 % intervals', () => {
    expect(summary.predicted).toBe(10)
    expect(summary.base.accuracy).toBe(0.6)
    // statsmodels-style Wilson bounds, computed with scipy's normal quantile.
    expect(summary.base.interval.lower).toBeCloseTo(0.31267376973365824, 14)
    expect(summary.base.interval.upper).toBeCloseTo(0.8318196702937638, 14)
    expect(m5.accuracy).toBe(0.8)
    expect(m5.interval.lower).toBeCloseTo(0.49016247153664183, 14)
    expect(m5.interval.upper).toBeCloseTo(0.9433178485456247, 14)
  })

  it("gives the paired Δ with McNemar's exact p on the discordant images", () => {
    expect(m5.filter).toBe(5)
    expect(m5.delta.value).toBeCloseTo(0.2, 15)
    expect(m5.delta.mcnemarP).toBe(0.625)
  })

  it('gives the same Δ interval as the paired bootstrap of the two accuracies', () => {
    const correct = (p: number[]) => Uint8Array.from(p, (x) => (x === 0 ? 1 : 0))
    const paired = pairedBootstrapDelta(accuracyOf(correct(base)), accuracyOf(correct(t3a)), 10, {
      resamples: 1000,
      seed: 0,
    })
    expect(m5.delta.interval.lower).toBeCloseTo(paired.lower, 12)
    expect(m5.delta.interval.upper).toBeCloseTo(paired.upper, 12)
    expect(m5.delta.interval.lower).toBeLessThan(0.2)
    expect(m5.delta.interval.upper).toBeGreaterThan(0.2)
  })

  it('gives a point interval when T3A fixes every image, and p = 2 / 2^n', () => {
    const fixed = summarizeT3aDomain(
      [resultOf(1, [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0])],
      new Int32Array(6),
    )
    expect(fixed.filters[0].delta).toEqual({
      value: 1,
      interval: { lower: 1, upper: 1 },
      mcnemarP: 2 / 64,
    })
    expect(fixed.base.interval.lower).toBe(0)
    expect(fixed.filters[0].interval.upper).toBe(1)
  })

  it('gives Δ = 0 and p = 1 when T3A changes nothing', () => {
    const same = summarizeT3aDomain([resultOf('all', base, base)], labels)
    expect(same.filters[0].delta).toEqual({
      value: 0,
      interval: { lower: 0, upper: 0 },
      mcnemarP: 1,
    })
  })

  it('summarises several M of one stream, each with its own numbers, and the mean entropies', () => {
    const both = summarizeT3aDomain([resultOf(5, base, t3a), resultOf('all', base, base)], labels)
    expect(both.filters.map((f) => f.filter)).toEqual([5, 'all'])
    expect(both.filters[0]).toEqual(m5)
    expect(both.filters[1].accuracy).toBe(0.6)
    expect(both.base.meanEntropy).toBe(0.4)
    expect(both.filters[0].meanEntropy).toBe(0.1)
  })

  it('keeps every batch of a short support history', () => {
    const { supports } = summarizeT3aDomain([resultOf(5, base, t3a, 3)], labels).filters[0]
    expect(supports).toEqual({
      batches: [0, 1, 2],
      counts: [
        [0, 1],
        [2, 3],
        [4, 5],
      ],
      meanEntropy: [1, 1 / 2, 1 / 3],
    })
  })

  it('thins a long support history to 100 batches, the first and the last among them', () => {
    const { supports } = summarizeT3aDomain([resultOf(5, base, t3a, 313)], labels).filters[0]
    expect(supports.batches).toHaveLength(100)
    expect(supports.batches[0]).toBe(0)
    expect(supports.batches.at(-1)).toBe(312)
    for (const [i, b] of supports.batches.entries()) {
      expect(supports.counts[i]).toEqual([2 * b, 2 * b + 1])
      expect(supports.meanEntropy[i]).toBe(1 / (b + 1))
    }
  })

  it('uses only the predicted images when the last partial batch was dropped', () => {
    const dropped = summarizeT3aDomain(
      [resultOf(5, base, t3a, 1, 3)],
      Int32Array.from([...labels, 1, 1, 1]),
    )
    expect(dropped.predicted).toBe(10)
    expect(dropped.filters[0].accuracy).toBe(0.8)
  })

  it('refuses results of different streams, mismatched labels and an empty stream', () => {
    expect(() => summarizeT3aDomain([], labels)).toThrow(/at least one result/)
    expect(() =>
      summarizeT3aDomain([resultOf(1, base, t3a), resultOf(5, t3a, t3a)], labels),
    ).toThrow(/M=1 and M=5 are not of the same stream/)
    expect(() => summarizeT3aDomain([resultOf(1, base, t3a)], new Int32Array(9))).toThrow(
      /Got 9 labels for a stream of 10 images/,
    )
    expect(() => summarizeT3aDomain([resultOf(1, [], [], 0, 5)], new Int32Array(5))).toThrow(
      /predicted no image of the 5/,
    )
  })
})

describe('support history thinning', () => {
  it('spreads the kept batches evenly with the first and the last', () => {
    expect(thinnedBatches(5, 3)).toEqual([0, 2, 4])
    expect(thinnedBatches(10, 4)).toEqual([0, 3, 6, 9])
    expect(thinnedBatches(7, 3)).toEqual([0, 3, 6])
  })

  it('keeps every batch up to the limit and none of an empty stream', () => {
    expect(thinnedBatches(100)).toEqual(Array.from({ length: 100 }, (_, b) => b))
    expect(thinnedBatches(0)).toEqual([])
    expect(thinnedBatches(1)).toEqual([0])
  })

  it('keeps 100 distinct increasing batches of any longer history', () => {
    for (const batches of [101, 199, 313, 10_000]) {
      const kept = thinnedBatches(batches)
      expect(kept).toHaveLength(100)
      expect(kept[0]).toBe(0)
      expect(kept.at(-1)).toBe(batches - 1)
      for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeGreaterThan(kept[i - 1])
    }
  })

  it('refuses to keep fewer than two batches', () => {
    expect(() => thinnedBatches(10, 1)).toThrow(/at least 2 batches/)
  })
})
