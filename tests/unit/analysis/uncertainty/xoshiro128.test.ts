import { describe, expect, it } from 'vitest'
import {
  createRandomStream,
  splitmix64,
  xoshiro128StarStar,
} from '../../../../native-models/analysis/uncertainty/xoshiro128.ts'

describe('splitmix64', () => {
  it('gives the reference outputs for seed 0', () => {
    const next = splitmix64(0n)
    expect(next()).toBe(0xe220a8397b1dcdafn)
    expect(next()).toBe(0x6e789e6aa1b965f4n)
  })
})

describe('xoshiro128StarStar', () => {
  it('reproduces the C reference outputs from state [1, 2, 3, 4]', () => {
    const random = xoshiro128StarStar([1, 2, 3, 4])
    const outputs = Array.from({ length: 5 }, () => random.nextUint32())
    expect(outputs).toEqual([11520, 0, 5927040, 70819200, 2031721883])
  })

  it('reproduces the C reference outputs from a full 32-bit state', () => {
    const random = xoshiro128StarStar([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0])
    const outputs = Array.from({ length: 4 }, () => random.nextUint32())
    expect(outputs).toEqual([0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70])
  })
})

describe('createRandomStream', () => {
  it('gives the same numbers for the same seed and different ones for another seed', () => {
    const draw = (seed: number): number[] => {
      const random = createRandomStream(seed)
      return Array.from({ length: 8 }, () => random.nextUint32())
    }
    expect(draw(7)).toEqual(draw(7))
    expect(draw(7)).not.toEqual(draw(8))
  })

  it('draws indices below n that cover every value', () => {
    const random = createRandomStream(3)
    const counts = new Array<number>(7).fill(0)
    for (let i = 0; i < 7000; i += 1) counts[random.nextIndexBelow(7)] += 1
    expect(counts.every((count) => count > 850 && count < 1150)).toBe(true)
  })

  it('refuses a negative or fractional seed', () => {
    expect(() => createRandomStream(-1)).toThrow(/seed must be a non-negative safe integer/)
    expect(() => createRandomStream(0.5)).toThrow(RangeError)
  })
})
