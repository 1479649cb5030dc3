import { describe, expect, it } from 'vitest'
import {
  neuronSubset,
  seededPermutation,
  subsetSize,
} from '../../../../native-models/analysis/probes/subsets.ts'
import { randomProjection } from '../../../../native-models/analysis/probes/random-projection.ts'
import { validationSplit } from '../../../../native-models/analysis/probes/validation-split.ts'

describe('subsetSize', () => {
  it.each([
    [0.0005, 1],
    [0.001, 2],
    [0.002, 4],
    [0.005, 10],
    [0.01, 20],
    [0.05, 102],
    [0.1, 204],
    [0.2, 409],
    [0.5, 1024],
    [0.9, 1843],
    [1, 2048],
  ])('truncates f = %f of 2048 neurons to the reference’s k = %i', (fraction, k) => {
    expect(subsetSize(fraction, 2048)).toBe(k)
  })

  it('keeps at least one neuron when f·d is below 1', () => {
    expect(subsetSize(0.0005, 48)).toBe(1)
  })

  it('refuses fractions outside (0, 1]', () => {
    expect(() => subsetSize(0, 10)).toThrow(/Probe fraction must be in \(0, 1\], got 0\./)
    expect(() => subsetSize(1.5, 10)).toThrow(RangeError)
    expect(() => subsetSize(Number.NaN, 10)).toThrow(RangeError)
  })
})

describe('seeded subsets', () => {
  it('permutes every index exactly once', () => {
    const order = seededPermutation(1000, 7)
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
  })

  it('gives the same subset for the same (fraction, seed) and another for another seed', () => {
    expect(neuronSubset(2048, 0.05, 3)).toEqual(neuronSubset(2048, 0.05, 3))
    expect(neuronSubset(2048, 0.05, 3)).not.toEqual(neuronSubset(2048, 0.05, 4))
  })

  it('returns k distinct ascending neurons, nested across fractions of one seed', () => {
    const small = neuronSubset(2048, 0.01, 2)
    const large = neuronSubset(2048, 0.2, 2)
    expect(small).toHaveLength(20)
    expect(new Set(large).size).toBe(409)
    expect([...large].every((v, i) => i === 0 || v > large[i - 1])).toBe(true)
    expect([...small].every((v) => large.includes(v))).toBe(true)
  })

  it('picks every neuron about equally often over many seeds', () => {
    const counts = new Array<number>(20).fill(0)
    for (let seed = 0; seed < 4000; seed++)
      for (const i of neuronSubset(20, 0.25, seed)) counts[i]++
    // 4000 · 5/20 = 1000 picks each; binomial sd ≈ 27.
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(140)
  })
})

describe('validationSplit', () => {
  it('holds out floor(f·n) seeded rows, the same ones for the same seed', () => {
    const split = validationSplit(600, 0.1, 5)
    expect(split.validationRows).toHaveLength(60)
    expect(split.isValidation.reduce((a, b) => a + b, 0)).toBe(60)
    expect(validationSplit(600, 0.1, 5).validationRows).toEqual(split.validationRows)
    expect(validationSplit(600, 0.1, 6).validationRows).not.toEqual(split.validationRows)
  })

  it('keeps at least one row on each side', () => {
    expect(validationSplit(3, 0.01, 0).validationRows).toHaveLength(1)
    expect(validationSplit(3, 0.99, 0).validationRows).toHaveLength(2)
  })
})

describe('randomProjection', () => {
  it('has unit-norm columns of non-negative entries, seeded', () => {
    const { columns, width } = randomProjection(30, 12, 4)
    for (let j = 0; j < width; j++) {
      let norm = 0
      for (let i = 0; i < 30; i++) {
        expect(columns[i * width + j]).toBeGreaterThanOrEqual(0)
        norm += columns[i * width + j] ** 2
      }
      expect(norm).toBeCloseTo(1, 12)
    }
    expect(randomProjection(30, 12, 4).columns).toEqual(columns)
  })

  it('keeps the leading columns of the full matrix', () => {
    const full = randomProjection(10, 10, 9).columns
    const leading = randomProjection(10, 4, 9).columns
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 4; j++) expect(leading[i * 4 + j]).toBe(full[i * 10 + j])
    }
  })
})
