import { describe, expect, it } from 'vitest'
import { findEpochGaps } from '../../../native-models/runs/epoch-gaps.ts'

describe('findEpochGaps', () => {
  it('finds no gap in consecutive epochs, in any order, or with a single checkpoint', () => {
    expect(findEpochGaps([3, 1, 2, 2])).toBeNull()
    expect(findEpochGaps([4])).toBeNull()
    expect(findEpochGaps([])).toBeNull()
  })

  it('names the epochs missing between the first and the last checkpoint', () => {
    expect(findEpochGaps([1, 2, 5, 6])).toEqual({
      first: 1,
      last: 6,
      stride: 1,
      missing: [3, 4],
      missingCount: 2,
    })
  })

  it('takes a run that saves every 5 epochs as complete', () => {
    expect(findEpochGaps([5, 10, 15, 20])).toBeNull()
  })

  it('finds a missing save in a run that saves every 5 epochs', () => {
    expect(findEpochGaps([0, 5, 10, 20])).toMatchObject({
      stride: 5,
      missing: [15],
      missingCount: 1,
    })
  })

  it('takes the step between just two checkpoints as the saving interval', () => {
    expect(findEpochGaps([1, 5])).toBeNull()
  })

  it('lists at most 100 missing epochs but counts them all', () => {
    const gaps = findEpochGaps([0, 1, 1_000_000])
    expect(gaps?.missing).toHaveLength(100)
    expect(gaps?.missingCount).toBe(999_998)
  })
})
