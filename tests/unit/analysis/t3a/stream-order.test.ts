import { describe, expect, it } from 'vitest'
import {
  orderedStream,
  seededStreamOrder,
  streamOrder,
} from '../../../../native-models/analysis/t3a/index.ts'
import { createRandomStream } from '../../../../native-models/analysis/uncertainty/xoshiro128.ts'

const isPermutation = (order: Int32Array): boolean =>
  [...order].sort((a, b) => a - b).every((v, i) => v === i)

describe('T3A stream order', () => {
  it('gives a permutation of every image, the same one for the same seed', () => {
    const order = seededStreamOrder(1000, 16)
    expect(isPermutation(order)).toBe(true)
    expect(seededStreamOrder(1000, 16)).toEqual(order)
    expect(seededStreamOrder(1000, 17)).not.toEqual(order)
  })

  it('is the documented Fisher–Yates over the seeded xoshiro128** stream', () => {
    const random = createRandomStream(3)
    const expected = [0, 1, 2, 3, 4, 5]
    for (let i = expected.length - 1; i > 0; i--) {
      const j = random.nextIndexBelow(i + 1)
      ;[expected[i], expected[j]] = [expected[j], expected[i]]
    }
    expect([...seededStreamOrder(6, 3)]).toEqual(expected)
  })

  it('puts an image at each position about equally often over seeds', () => {
    const n = 5
    const firstImageAt = new Array<number>(n).fill(0)
    for (let seed = 0; seed < 5000; seed++) firstImageAt[seededStreamOrder(n, seed).indexOf(0)]++
    // 1000 expected per position; ±10 % is more than 6 binomial standard deviations.
    for (const count of firstImageAt) expect(Math.abs(count - 1000)).toBeLessThan(100)
  })

  it('keeps the dataset order when asked, and shuffles a class-sorted set apart', () => {
    expect([...streamOrder(4, { kind: 'dataset' })]).toEqual([0, 1, 2, 3])
    const order = streamOrder(100, { kind: 'shuffle', seed: 0 })
    expect(order).toEqual(seededStreamOrder(100, 0))
    const labels = Int32Array.from({ length: 100 }, (_, i) => Math.floor(i / 10))
    const firstBatch = new Set(Array.from(order.subarray(0, 32), (i) => labels[i]))
    expect(firstBatch.size).toBeGreaterThan(5)
  })

  it('gives empty and one-image streams', () => {
    expect(seededStreamOrder(0, 1)).toEqual(new Int32Array(0))
    expect([...seededStreamOrder(1, 1)]).toEqual([0])
  })

  it('rearranges features and labels into stream order without changing them', () => {
    const features = Float32Array.from([0, 0.5, 1, 1.5, 2, 2.5])
    const labels = Int32Array.from([7, 8, 9])
    const stream = orderedStream(features, labels, 2, Int32Array.from([2, 0, 1]))
    expect([...stream.features]).toEqual([2, 2.5, 0, 0.5, 1, 1.5])
    expect([...stream.labels]).toEqual([9, 7, 8])
    expect([...features]).toEqual([0, 0.5, 1, 1.5, 2, 2.5])
  })

  it('refuses an order that is not a permutation, and features of the wrong size', () => {
    const features = new Float32Array(6)
    const labels = new Int32Array(3)
    expect(() => orderedStream(features, labels, 2, Int32Array.from([0, 0, 1]))).toThrow(
      /not a permutation of 0..2: '0' at position 1/,
    )
    expect(() => orderedStream(features, labels, 2, Int32Array.from([0, 3, 1]))).toThrow(
      /not a permutation/,
    )
    expect(() => orderedStream(features, labels, 2, Int32Array.from([0, 1]))).toThrow(
      /2 positions for 3 images/,
    )
    expect(() => orderedStream(features, labels, 4, Int32Array.from([0, 1, 2]))).toThrow(
      /expected 3 labels × d = 12/,
    )
    expect(() => seededStreamOrder(-1, 0)).toThrow(/non-negative integer, got -1/)
  })
})
