import { describe, expect, it } from 'vitest'
import { smoothScalars } from '../../../../native-models/analysis/metrics/index.ts'

describe('smoothScalars', () => {
  it('matches a hand-worked TensorBoard smoothing of 1, 2, 3 at weight 0.5', () => {
    // last: 0.5·0 + 0.5·1 = 0.5     → 0.5 / (1 - 0.5)   = 1
    // last: 0.5·0.5 + 0.5·2 = 1.25  → 1.25 / (1 - 0.25) = 5/3
    // last: 0.5·1.25 + 0.5·3 = 2.125 → 2.125 / (1 - 0.125) = 17/7
    const smoothed = smoothScalars([1, 2, 3], 0.5)
    ;[1, 5 / 3, 17 / 7].forEach((v, i) => expect(smoothed[i]).toBeCloseTo(v, 12))
  })

  it('matches a hand-worked example at weight 0.6 with a drop', () => {
    // last: 0.4·10 = 4 → 4 / 0.4 = 10
    // last: 0.6·4 + 0.4·0 = 2.4 → 2.4 / (1 - 0.36) = 3.75
    // last: 0.6·2.4 + 0.4·5 = 3.44 → 3.44 / (1 - 0.216) = 4.387755…
    const smoothed = smoothScalars([10, 0, 5], 0.6)
    ;[10, 3.75, 3.44 / 0.784].forEach((v, i) => expect(smoothed[i]).toBeCloseTo(v, 12))
  })

  it('starts at the first value instead of being pulled towards zero', () => {
    expect(smoothScalars([2, 2.2], 0.99)[0]).toBeCloseTo(2, 12)
  })

  it('leaves the values as they are at weight 0', () => {
    expect(smoothScalars([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5])
  })

  it('passes non-finite values through without counting them', () => {
    const smoothed = smoothScalars([1, NaN, 2, 3], 0.5)
    expect(smoothed[1]).toBeNaN()
    ;[1, 5 / 3, 17 / 7].forEach((v, i) => expect(smoothed[[0, 2, 3][i]]).toBeCloseTo(v, 12))
  })

  it('returns a constant series unchanged and never mutates its input', () => {
    const values = [0.1, 0.1, 0.1]
    expect(smoothScalars(values, 0.9)).toEqual([0.1, 0.1, 0.1])
    smoothScalars([1, 2], 0.5)
    expect(values).toEqual([0.1, 0.1, 0.1])
    expect(smoothScalars([], 0.6)).toEqual([])
  })

  it.each([[-0.1], [1], [Number.NaN]])('refuses the weight %s with a RangeError', (weight) => {
    expect(() => smoothScalars([1, 2], weight)).toThrow(RangeError)
  })
})
