import { describe, expect, it } from 'vitest'
import { timelineAxisRange } from '../../../renderer/src/analyses/cka/cka-spec.ts'

describe('timelineAxisRange', () => {
  const lines = [
    { key: 'stem', values: [0.9997, 1] },
    { key: 'pooled', values: [0.938, null, 1] },
  ]

  it('zooms to the lowest value, rounded down to a multiple of 0.05', () => {
    expect(timelineAxisRange(lines, false)).toEqual([0.9, 1])
  })

  it('counts the lower edge of a run-group band', () => {
    const band = [{ key: 'pooled', values: [0.938, 1], std: [0.05, 0] }]
    expect(timelineAxisRange(band, false)).toEqual([0.85, 1])
  })

  it('keeps at least 0.05 of height when every value is 1', () => {
    expect(timelineAxisRange([{ key: 'stem', values: [1, 1] }], false)).toEqual([0.95, 1])
  })

  it('never goes below 0, and shows 0–1 when asked or when there is nothing to draw', () => {
    expect(timelineAxisRange([{ key: 'x', values: [-0.02, 1] }], false)).toEqual([0, 1])
    expect(timelineAxisRange(lines, true)).toEqual([0, 1])
    expect(timelineAxisRange([{ key: 'x', values: [null] }], false)).toEqual([0, 1])
  })
})
