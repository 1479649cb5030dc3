import { describe, expect, it } from 'vitest'
import {
  cellSpread,
  meanStdMatrices,
  meanStdSeries,
} from '../../../native-models/analysis/cka/cka-groups.ts'
import type { KeyedMatrix } from '../../../native-models/analysis/cka/cka-groups.ts'

const KEYS = ['stem', 'layer1.0', 'pooled']

function matrix(values: (number | null)[][], keys = KEYS): KeyedMatrix {
  return { rowKeys: keys, columnKeys: keys, values }
}

describe('cellSpread', () => {
  it('gives the mean and the sample standard deviation (n − 1)', () => {
    const { mean, std } = cellSpread([0.2, 0.4, 0.9])
    expect(mean).toBeCloseTo(0.5, 15)
    // Σ(v − 0.5)² = 0.09 + 0.01 + 0.16 = 0.26; / 2 = 0.13
    expect(std).toBeCloseTo(Math.sqrt(0.13), 15)
  })

  it('is n/a when any member is n/a, NaN or missing', () => {
    expect(cellSpread([0.5, null])).toEqual({ mean: null, std: null })
    expect(cellSpread([0.5, Number.NaN])).toEqual({ mean: null, std: null })
    expect(cellSpread([0.5, undefined])).toEqual({ mean: null, std: null })
    expect(cellSpread([])).toEqual({ mean: null, std: null })
  })

  it('has a mean but no std for a single member', () => {
    expect(cellSpread([0.7])).toEqual({ mean: 0.7, std: null })
  })

  it('gives std 0 for identical members', () => {
    expect(cellSpread([0.3, 0.3, 0.3]).std).toBe(0)
  })
})

describe('meanStdMatrices', () => {
  it('averages cell by cell and marks a cell n/a when one member is n/a there', () => {
    const a = matrix([
      [1, 0.5, 0.2],
      [0.5, 1, null],
      [0.2, null, 1],
    ])
    const b = matrix([
      [1, 0.7, 0.4],
      [0.7, 1, 0.3],
      [0.4, 0.3, 1],
    ])
    const spread = meanStdMatrices([a, b])
    expect(spread.count).toBe(2)
    expect(spread.rowKeys).toEqual(KEYS)
    expect(spread.mean[0][1]).toBeCloseTo(0.6, 15)
    expect(spread.std[0][1]).toBeCloseTo(Math.SQRT2 * 0.1, 15)
    expect(spread.mean[0][0]).toBe(1)
    expect(spread.std[0][0]).toBe(0)
    expect(spread.mean[1][2]).toBeNull()
    expect(spread.std[2][1]).toBeNull()
  })

  it('matches members by layer key, not by position, and marks keys a member lacks n/a', () => {
    const a = matrix([
      [1, 0.5, 0.2],
      [0.5, 1, 0.6],
      [0.2, 0.6, 1],
    ])
    const reordered = matrix(
      [
        [1, 0.6, 0.5],
        [0.6, 1, 0.2],
        [0.5, 0.2, 1],
      ],
      ['layer1.0', 'pooled', 'stem'],
    )
    const short = matrix(
      [
        [1, 0.5],
        [0.5, 1],
      ],
      ['stem', 'layer1.0'],
    )
    expect(meanStdMatrices([a, reordered]).mean).toEqual(a.values)
    const withShort = meanStdMatrices([a, short])
    expect(withShort.mean[0][1]).toBe(0.5)
    expect(withShort.mean[2]).toEqual([null, null, null])
  })

  it('does not change its inputs', () => {
    const a = matrix([
      [1, 0.5, 0.2],
      [0.5, 1, 0.6],
      [0.2, 0.6, 1],
    ])
    const copy = structuredClone(a)
    meanStdMatrices([a, a])
    expect(a).toEqual(copy)
  })

  it('refuses an empty group', () => {
    expect(() => meanStdMatrices([])).toThrow(RangeError)
  })
})

describe('meanStdSeries', () => {
  it('averages each tap position by position over the runs', () => {
    const seed0 = [
      { key: 'stem', values: [0.8, 0.9, 1] },
      { key: 'pooled', values: [0.2, 0.6, 1] },
    ]
    const seed1 = [
      { key: 'pooled', values: [0.4, 0.8, 1] },
      { key: 'stem', values: [0.6, 0.9, 1] },
    ]
    const [stem, pooled] = meanStdSeries([seed0, seed1])
    expect(stem.key).toBe('stem')
    expect(stem.mean[0]).toBeCloseTo(0.7, 15)
    expect(stem.std[1]).toBe(0)
    expect(pooled.key).toBe('pooled')
    expect(pooled.mean[1]).toBeCloseTo(0.7, 15)
    expect(pooled.std[0]).toBeCloseTo(Math.SQRT2 * 0.1, 15)
  })

  it('is n/a where any run is n/a or has no checkpoint at that position', () => {
    const seed0 = [{ key: 'stem', values: [0.8, null, 1] }]
    const seed1 = [{ key: 'stem', values: [0.6, 0.9] }]
    const [stem] = meanStdSeries([seed0, seed1])
    expect(stem.mean).toHaveLength(3)
    expect(stem.mean[1]).toBeNull()
    expect(stem.mean[2]).toBeNull()
    expect(stem.std[2]).toBeNull()
  })

  it('refuses an empty group', () => {
    expect(() => meanStdSeries([])).toThrow(RangeError)
  })
})
