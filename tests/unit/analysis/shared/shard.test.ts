import { describe, expect, it } from 'vitest'
import {
  checkShard,
  parseShard,
  shardUnits,
} from '../../../../native-models/analysis/shared/shard.ts'

const units = Array.from({ length: 23 }, (_, k) => `unit ${k}`)

describe('shardUnits', () => {
  it('gives disjoint shards whose union is every unit, for every shard count', () => {
    for (let count = 1; count <= 30; count++) {
      const shards = Array.from({ length: count }, (_, index) =>
        shardUnits(units, { index, count }),
      )
      const all = shards.flat()
      expect(all).toHaveLength(units.length)
      expect(new Set(all)).toEqual(new Set(units))
    }
  })

  it('keeps the units of a shard in their original order and balanced to within one', () => {
    const shards = [0, 1, 2].map((index) => shardUnits(units, { index, count: 3 }))
    expect(shards[1]).toEqual([
      'unit 1',
      'unit 4',
      'unit 7',
      'unit 10',
      'unit 13',
      'unit 16',
      'unit 19',
      'unit 22',
    ])
    const sizes = shards.map((s) => s.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
  })

  it('is deterministic: the same units and shard give the same part', () => {
    expect(shardUnits(units, { index: 2, count: 5 })).toEqual(
      shardUnits([...units], { index: 2, count: 5 }),
    )
  })

  it('leaves a shard empty when there are more shards than units', () => {
    expect(shardUnits(['a', 'b'], { index: 3, count: 4 })).toEqual([])
  })
})

describe('parseShard', () => {
  it('reads i/n with a 0-based index', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 })
    expect(parseShard(' 3 / 4 ')).toEqual({ index: 3, count: 4 })
  })

  it('refuses an index past the last shard, naming the range', () => {
    expect(() => parseShard('4/4')).toThrow(/Shard index 4 is not one of 0 to 3/)
  })

  it('refuses text that is not i/n, showing the accepted form', () => {
    expect(() => parseShard('1-4')).toThrow(/write i\/n with 0 ≤ i < n/)
    expect(() => parseShard('-1/4')).toThrow(/not a shard/)
  })

  it('refuses a count of zero', () => {
    expect(() => checkShard({ index: 0, count: 0 })).toThrow(
      /shard count must be a whole number ≥ 1/,
    )
  })
})
