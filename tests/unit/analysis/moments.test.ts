import { describe, expect, it } from 'vitest'
import {
  batchMoments,
  combineMoments,
  emptyMoments,
  summarizeMoments,
} from '../../../native-models/analysis/activation-stats/moments.ts'
import type { ChannelMoments } from '../../../native-models/analysis/activation-stats/moments.ts'

/** Moments of one batch of [values per channel] computed in float64 around the batch mean. */
function momentsOf(channels: readonly (readonly number[])[]): ChannelMoments {
  const count = channels[0]?.length ?? 0
  const mean = channels.map((values) => values.reduce((a, b) => a + b, 0) / count)
  return batchMoments({
    count,
    mean,
    m2: channels.map((values, c) => values.reduce((a, v) => a + (v - (mean[c] ?? 0)) ** 2, 0)),
    max: channels.map((values) => Math.max(...values)),
    min: channels.map((values) => Math.min(...values)),
    zeros: channels.map((values) => values.filter((v) => v === 0).length),
  })
}

function seededValues(count: number, seed: number, offset: number, scale: number): number[] {
  let state = seed
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return offset + scale * (state / 2147483648 - 0.5)
  })
}

describe('channel moments', () => {
  it('combine batches of unequal size into the two-pass float64 mean and population std', () => {
    const all = [seededValues(1000, 1, 3, 2), seededValues(1000, 2, -1, 0.5)]
    const splits = [0, 7, 300, 301, 999, 1000]
    let moments = emptyMoments(2)
    for (let i = 0; i + 1 < splits.length; i += 1) {
      moments = combineMoments(
        moments,
        momentsOf(all.map((v) => v.slice(splits[i], splits[i + 1]))),
      )
    }
    const summary = summarizeMoments(moments)
    all.forEach((values, c) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length
      const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length
      expect(summary.mean[c]).toBeCloseTo(mean, 12)
      expect(summary.std[c]).toBeCloseTo(Math.sqrt(variance), 12)
    })
    expect(moments.count).toBe(1000)
  })

  it('keep the std of a large-mean channel that E[x²] − E[x]² would cancel away', () => {
    const values = seededValues(4096, 9, 1e4, 1e-2)
    const halves = [values.slice(0, 2048), values.slice(2048)]
    const combined = combineMoments(momentsOf([halves[0] ?? []]), momentsOf([halves[1] ?? []]))
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length)
    expect(summarizeMoments(combined).std[0]).toBeCloseTo(std, 12)
  })

  it('take max |x| as the larger of max and −min, and add zero counts', () => {
    const moments = combineMoments(momentsOf([[0, -5, 2]]), momentsOf([[0, 0, 4]]))
    expect(Array.from(moments.maxAbs)).toEqual([5])
    expect(summarizeMoments(moments).zeroFraction).toEqual([0.5])
  })

  it('combine with an empty side into a copy of the other side', () => {
    const batch = momentsOf([[1, 2, 3]])
    const combined = combineMoments(emptyMoments(1), batch)
    expect(combined).toEqual(batch)
    expect(combined.mean).not.toBe(batch.mean)
  })

  it('summarize no values as zeros rather than NaN', () => {
    expect(summarizeMoments(emptyMoments(2))).toEqual({
      mean: [0, 0],
      std: [0, 0],
      maxAbs: [0, 0],
      zeroFraction: [0, 0],
    })
  })

  it('never modify the moments they combine', () => {
    const a = momentsOf([[1, 2]])
    const b = momentsOf([[5, 9]])
    const before = structuredClone([a, b])
    combineMoments(a, b)
    expect([a, b]).toEqual(before)
  })

  it('refuse batch reductions whose channel counts disagree', () => {
    const reductions = { count: 4, mean: [0, 0], m2: [0, 0], max: [0], min: [0, 0], zeros: [0, 0] }
    expect(() => batchMoments(reductions)).toThrow(/mean has 2, others 2, 1, 2, 2/)
    expect(() => combineMoments(emptyMoments(2), emptyMoments(3))).toThrow(RangeError)
  })
})
