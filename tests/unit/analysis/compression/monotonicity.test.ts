import { describe, expect, it } from 'vitest'
import { checkMonotonicity } from '../../../../native-models/analysis/compression/index.ts'

describe('checkMonotonicity', () => {
  it('accepts an error that falls (or stays level) as b grows', () => {
    const sweep = [
      { bits: 2, error: 0.9 },
      { bits: 4, error: 0.2 },
      { bits: 8, error: 0.01 },
      { bits: 16, error: 0.01 },
    ]
    expect(checkMonotonicity(sweep)).toEqual({ isMonotonic: true, violations: [] })
  })

  it('lists each rise between consecutive widths, sorting the sweep by b first', () => {
    const sweep = [
      { bits: 8, error: 0.05 },
      { bits: 2, error: 0.5 },
      { bits: 16, error: 0.07 },
      { bits: 4, error: 0.75 },
    ]
    expect(checkMonotonicity(sweep)).toEqual({
      isMonotonic: false,
      violations: [
        { fromBits: 2, toBits: 4, fromError: 0.5, toError: 0.75, increase: 0.25 },
        { fromBits: 8, toBits: 16, fromError: 0.05, toError: 0.07, increase: 0.07 - 0.05 },
      ],
    })
  })

  it('does not change the sweep it reports on', () => {
    const sweep = [
      { bits: 4, error: 0.3 },
      { bits: 2, error: 0.1 },
    ]
    const copy = structuredClone(sweep)
    checkMonotonicity(sweep)
    expect(sweep).toEqual(copy)
  })

  it('treats an empty or single-point sweep as monotonic', () => {
    expect(checkMonotonicity([]).isMonotonic).toBe(true)
    expect(checkMonotonicity([{ bits: 8, error: 0.1 }]).isMonotonic).toBe(true)
  })

  it('refuses a repeated width and a non-finite error', () => {
    expect(() =>
      checkMonotonicity([
        { bits: 4, error: 0.1 },
        { bits: 4, error: 0.2 },
      ]),
    ).toThrow(/lists b = 4 twice/)
    expect(() => checkMonotonicity([{ bits: 2, error: Number.NaN }])).toThrow(
      /error at b = 2 is NaN/,
    )
  })
})
