import { describe, expect, it } from 'vitest'
import {
  addSampledBatch,
  binMagnitudes,
  finishSampledHistogram,
  logMagnitudeEdges,
  startSampledHistogram,
} from '../../../native-models/analysis/activation-stats/histogram.ts'

const BINNING = { bins: 5, octaves: 8, headroom: 2 }

describe('log-spaced magnitude histograms', () => {
  it('put edges at 0, then log-spaced from hi · 2^−octaves up to hi = headroom × max |x|', () => {
    const edges = Array.from(logMagnitudeEdges(3, BINNING))
    expect(edges).toHaveLength(6)
    expect(edges[0]).toBe(0)
    expect(edges[5]).toBe(6)
    expect(edges[1]).toBeCloseTo(6 / 256, 15)
    for (let k = 1; k < 4; k += 1) expect((edges[k + 1] ?? 0) / (edges[k] ?? 1)).toBeCloseTo(4, 12)
  })

  it('bin by |x|: zeros first, a value on an edge above it, anything beyond hi in the last bin', () => {
    const edges = Float64Array.of(0, 1, 2, 4)
    const counts = binMagnitudes([0, -0, 0.5, -1, 1.5, 2, -3.9, 4, 100, Number.NaN], edges)
    expect(Array.from(counts)).toEqual([3, 2, 4])
  })

  it('count an all-zero first batch in bin 0 and let the next batch fix the range', () => {
    const zeroBatch = { samples: [0, 0, 0], batchMaxAbs: 0, batchValues: 100 }
    let histogram = addSampledBatch(startSampledHistogram(5), zeroBatch, BINNING)
    expect(histogram.edges).toBeNull()
    histogram = addSampledBatch(
      histogram,
      { samples: [1, -2], batchMaxAbs: 2, batchValues: 50 },
      BINNING,
    )
    expect(histogram.edges?.at(-1)).toBe(4)
    expect(Array.from(histogram.counts)).toEqual([3, 0, 0, 0, 2])
    expect([histogram.sampledValues, histogram.totalValues]).toEqual([5, 150])
  })

  it('keep the edges fixed by the first batch when later batches are larger', () => {
    const first = addSampledBatch(
      startSampledHistogram(5),
      { samples: [1], batchMaxAbs: 1, batchValues: 1 },
      BINNING,
    )
    const second = addSampledBatch(
      first,
      { samples: [50], batchMaxAbs: 50, batchValues: 1 },
      BINNING,
    )
    expect(second.edges).toBe(first.edges)
    expect(second.counts[4]).toBe(2)
  })

  it('report the last edge widened to the max |x| seen over the run', () => {
    const histogram = addSampledBatch(
      startSampledHistogram(5),
      { samples: [1], batchMaxAbs: 1, batchValues: 8 },
      BINNING,
    )
    const finished = finishSampledHistogram(histogram, 7.5)
    expect(finished.edges.at(-1)).toBe(7.5)
    expect(finished.counts).toHaveLength(5)
    expect(finishSampledHistogram(histogram, 1.5).edges.at(-1)).toBe(2)
    expect([finished.sampledValues, finished.totalValues]).toEqual([1, 8])
  })

  it('report a tap that was zero everywhere as the single bin [0, 0]', () => {
    const histogram = addSampledBatch(
      startSampledHistogram(5),
      { samples: [0, 0], batchMaxAbs: 0, batchValues: 9 },
      BINNING,
    )
    expect(finishSampledHistogram(histogram, 0)).toEqual({
      edges: [0, 0],
      counts: [2],
      sampledValues: 2,
      totalValues: 9,
    })
  })

  it('refuse fewer than two bins and a non-positive reference', () => {
    expect(() => logMagnitudeEdges(1, { ...BINNING, bins: 1 })).toThrow(/bins ≥ 2, got 1/)
    expect(() => logMagnitudeEdges(0, BINNING)).toThrow(/> 0, got 0/)
  })
})
