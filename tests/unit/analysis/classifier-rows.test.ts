import { describe, expect, it } from 'vitest'
import {
  countTop1Correct,
  firstArgmax,
  isLabelInTopK,
  scoreLogitRow,
  scoreProbabilityRow,
} from '../../../native-models/analysis/evaluate/classifier-rows.ts'

const row = (...values: number[]): Float32Array => Float32Array.from(values)

describe('firstArgmax', () => {
  it('returns the first of tied maxima, like NumPy', () => {
    expect(firstArgmax(row(1, 3, 3, 2), 0, 4)).toBe(1)
  })

  it('reads only the row at the given offset', () => {
    expect(firstArgmax(row(9, 9, 0, 1, 0), 2, 3)).toBe(1)
  })
})

describe('countTop1Correct', () => {
  it('counts the rows whose first maximum is the label, a tie going to the lower class', () => {
    const logits = row(...[0, 5, 1], ...[4, 4, 0], ...[2, 0, 7])
    expect(countTop1Correct(logits, Int32Array.of(1, 1, 2))).toBe(2)
    expect(countTop1Correct(logits, Int32Array.of(1, 0, 2))).toBe(3)
  })
})

describe('isLabelInTopK', () => {
  it('ranks a tied label after the tied classes with lower indices', () => {
    const plateau = row(5, 5, 5, 5, 5, 5, 1)
    expect(isLabelInTopK(plateau, 0, 7, 4, 5)).toBe(true)
    expect(isLabelInTopK(plateau, 0, 7, 5, 5)).toBe(false)
  })

  it('always holds when k covers every class', () => {
    expect(isLabelInTopK(row(3, 2, 1), 0, 3, 2, 3)).toBe(true)
  })
})

describe('scoreLogitRow', () => {
  it('stays finite and exact for logits far beyond exp range', () => {
    const score = scoreLogitRow(row(10000, 9000, -10000), 0, 3, 1, 1)
    expect(score).toEqual({ predicted: 0, confidence: 1, nll: 1000, isInTopK: false })
  })

  it('gives confidence 1/K and NLL log K for equal logits', () => {
    const score = scoreLogitRow(row(2, 2, 2, 2), 0, 4, 3, 1)
    expect(score.confidence).toBe(0.25)
    expect(score.nll).toBeCloseTo(Math.log(4), 15)
    expect(score.predicted).toBe(0)
  })
})

describe('scoreProbabilityRow', () => {
  it('takes the log of the probability directly', () => {
    const score = scoreProbabilityRow(row(0.25, 0.75), 0, 2, 0, 1)
    expect(score.confidence).toBe(0.75)
    expect(score.nll).toBeCloseTo(Math.log(4), 15)
  })

  it('keeps the NLL finite when the true class probability underflowed to 0', () => {
    const score = scoreProbabilityRow(row(0, 1), 0, 2, 0, 1)
    expect(score.nll).toBeCloseTo(149 * Math.LN2, 12)
  })
})
