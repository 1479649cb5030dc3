import { describe, expect, it } from 'vitest'
import {
  confidenceBinEdges,
  confidenceBinIndex,
  expectedCalibrationError,
  reliabilityBins,
} from '../../../native-models/analysis/evaluate/calibration-bins.ts'

describe('confidenceBinEdges', () => {
  it('builds 16 edges from 0 to exactly 1 for 15 bins', () => {
    const edges = confidenceBinEdges(15)
    expect(edges).toHaveLength(16)
    expect(edges[0]).toBe(0)
    expect(edges[15]).toBe(1)
  })

  it('places edges where NumPy linspace does (i times the step, not i / n)', () => {
    const edges = confidenceBinEdges(15)
    expect(edges[5]).toBe(1 / 3)
    expect(edges[7]).toBe(7 * (1 / 15))
  })

  it('refuses a bin count that is not a positive integer', () => {
    expect(() => confidenceBinEdges(0)).toThrow(RangeError)
  })
})

describe('confidenceBinIndex', () => {
  const edges = confidenceBinEdges(15)

  it('puts a confidence on an edge into the bin it closes (lower, upper]', () => {
    expect(confidenceBinIndex(1 / 15, edges)).toBe(0)
    expect(confidenceBinIndex(1 / 5, edges)).toBe(2)
    expect(confidenceBinIndex(1 / 3, edges)).toBe(4)
    expect(confidenceBinIndex(1, edges)).toBe(14)
  })

  it('puts a confidence just above an edge into the next bin', () => {
    expect(confidenceBinIndex(1 / 3 + Number.EPSILON, edges)).toBe(5)
  })

  it('keeps a zero confidence in the first bin', () => {
    expect(confidenceBinIndex(0, edges)).toBe(0)
  })
})

describe('expectedCalibrationError', () => {
  it('weights each bin gap by its share of the images', () => {
    const edges = confidenceBinEdges(2)
    const totals = [
      { count: 1, correct: 0, confidenceSum: 0.4 },
      { count: 3, correct: 3, confidenceSum: 2.7 },
    ]
    const bins = reliabilityBins(totals, edges)
    expect(bins[1]).toEqual({ lower: 0.5, upper: 1, count: 3, accuracy: 1, confidence: 0.9 })
    expect(expectedCalibrationError(bins, 4)).toBeCloseTo(0.4 * 0.25 + 0.1 * 0.75, 15)
  })

  it('reports empty bins with zero accuracy and confidence and an ECE of 0 for no images', () => {
    const bins = reliabilityBins(
      [{ count: 0, correct: 0, confidenceSum: 0 }],
      confidenceBinEdges(1),
    )
    expect(bins[0]).toMatchObject({ count: 0, accuracy: 0, confidence: 0 })
    expect(expectedCalibrationError(bins, 0)).toBe(0)
  })
})
