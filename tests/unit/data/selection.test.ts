import { describe, expect, it } from 'vitest'
import { seededPermutation, selectPositions } from '../../../native-models/data/selection.ts'
import { expectCodedError, thrownBy } from '../../fixtures/data/builders.ts'

const NONE = { holdout: null, sample: null, limit: null }

describe('selectPositions', () => {
  it('keeps everything in dataset order without a selection', () => {
    expect([...selectPositions(5, NONE)]).toEqual([0, 1, 2, 3, 4])
  })

  it('splits a seeded holdout from the rest: disjoint, complete, sorted and repeatable', () => {
    const holdout = { fraction: 0.3, seed: 4, part: 'holdout' as const }
    const held = [...selectPositions(100, { ...NONE, holdout })]
    const rest = [...selectPositions(100, { ...NONE, holdout: { ...holdout, part: 'rest' } })]
    expect(held).toHaveLength(30)
    expect(rest).toHaveLength(70)
    expect(new Set([...held, ...rest]).size).toBe(100)
    expect(held).toEqual([...held].sort((a, b) => a - b))
    expect([...selectPositions(100, { ...NONE, holdout })]).toEqual(held)
    expect([...selectPositions(100, { ...NONE, holdout: { ...holdout, seed: 5 } })]).not.toEqual(
      held,
    )
  })

  it('samples within the holdout, then limits', () => {
    const request = {
      holdout: { fraction: 0.5, seed: 1, part: 'rest' as const },
      sample: { count: 10, seed: 2 },
      limit: 4,
    }
    const rest = new Set(selectPositions(60, { ...NONE, holdout: request.holdout }))
    const sampled = [...selectPositions(60, { ...request, limit: null })]
    expect(sampled).toHaveLength(10)
    expect(sampled.every((p) => rest.has(p))).toBe(true)
    expect([...selectPositions(60, request)]).toEqual(sampled.slice(0, 4))
  })

  it('keeps every image when the sample asks for more than there are', () => {
    expect(selectPositions(3, { ...NONE, sample: { count: 10, seed: 0 } })).toHaveLength(3)
  })

  it.each([
    [
      { ...NONE, holdout: { fraction: 1, seed: 0, part: 'rest' as const } },
      'holdout fraction 1 is not between 0 and 1',
    ],
    [{ ...NONE, sample: { count: 0, seed: 0 } }, 'sample count 0 is not a positive integer'],
    [{ ...NONE, limit: 2.5 }, 'limit 2.5 is not a positive integer'],
  ])('refuses %j with INVALID_ARGUMENT', (request, phrase) => {
    expectCodedError(
      thrownBy(() => selectPositions(10, request)),
      'INVALID_ARGUMENT',
      phrase,
    )
  })
})

describe('seededPermutation', () => {
  it('is a permutation that depends on the seed and the label', () => {
    const a = [...seededPermutation(50, 7, 'x')]
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect([...seededPermutation(50, 7, 'x')]).toEqual(a)
    expect([...seededPermutation(50, 7, 'y')]).not.toEqual(a)
  })
})
