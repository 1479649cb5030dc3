import { describe, expect, it } from 'vitest'
import type {
  CorruptionBreakdown,
  CorruptionSweepRequest,
} from '../../../electron/api/contract/index.ts'
import { breakdownAxisRange } from '../../../renderer/src/analyses/robustness/breakdown-chart.ts'
import { breakdownRequestOf } from '../../../renderer/src/analyses/robustness/breakdown-form.ts'
import type { BreakdownChoice } from '../../../renderer/src/analyses/robustness/breakdown-form.ts'

const sweep: CorruptionSweepRequest = {
  checkpointIds: [3, 4],
  dataset: {
    path: '/data/fmnist',
    format: 'idx',
    split: 't10k',
    holdout: null,
    classes: null,
    sample: { count: 2000, seed: 0 },
    limit: null,
  },
  preprocessing: null,
  provider: 'cpu',
  corruptions: ['gaussian_noise', 'fog'],
  severities: [1, 3, 5],
  seed: 7,
  jpegQuality: 85,
  padding: 'after',
  referenceCheckpointId: null,
}

const choice = (extra: Partial<BreakdownChoice> = {}): BreakdownChoice => ({
  checkpointId: 4,
  corruption: 'fog',
  threshold: 0.9,
  batchSize: null,
  inputPixels: 32 * 32,
  ...extra,
})

describe('breakdownRequestOf', () => {
  it('takes the sweep’s images, severities, seed, JPEG and padding for one checkpoint and corruption', () => {
    expect(breakdownRequestOf(sweep, choice())).toEqual({
      checkpointId: 4,
      dataset: sweep.dataset,
      preprocessing: null,
      provider: 'cpu',
      corruption: 'fog',
      severities: [1, 3, 5],
      seed: 7,
      jpegQuality: 85,
      padding: 'after',
      taps: null,
      estimator: 'minibatch',
      batchSize: 256,
      orderSeed: 0,
      spatialPooling: 'none',
      threshold: 0.9,
    })
  })

  it('sizes the CKA minibatch by the input (64 at 224²) unless one is given', () => {
    const at224 = breakdownRequestOf(sweep, choice({ inputPixels: 224 * 224 }))
    expect(typeof at224 !== 'string' && at224.batchSize).toBe(64)
    const given = breakdownRequestOf(sweep, choice({ batchSize: 16 }))
    expect(typeof given !== 'string' && given.batchSize).toBe(16)
  })

  it('says what is missing instead of building a request', () => {
    expect(breakdownRequestOf(null, choice())).toMatch(/Complete the sweep form/)
    expect(breakdownRequestOf(sweep, choice({ checkpointId: null }))).toBe('Choose a checkpoint.')
    expect(breakdownRequestOf(sweep, choice({ corruption: null }))).toBe('Choose a corruption.')
    expect(breakdownRequestOf(sweep, choice({ threshold: 1.2 }))).toMatch(/from 0 to 1/)
    expect(breakdownRequestOf(sweep, choice({ batchSize: 3 }))).toMatch(/at least 4 images/)
  })
})

function breakdown(values: number[], lower: number[] | null, threshold = 0.9): CorruptionBreakdown {
  return {
    checkpointId: 1,
    corruption: 'fog',
    threshold,
    estimator: 'minibatch',
    taps: values.map((_, i) => `t${i}`),
    n: 16,
    batches: 4,
    numImages: 64,
    droppedImages: 0,
    cleanGramResultId: 1,
    severities: [
      {
        severity: 1,
        values,
        intervals: lower ? lower.map((l) => ({ lower: l, upper: 1 })) : null,
        breaksAt: null,
        gramResultId: 2,
      },
    ],
    notes: [],
  }
}

describe('breakdownAxisRange', () => {
  it('starts under the lowest interval bound or the threshold, in steps of 0.05', () => {
    expect(breakdownAxisRange(breakdown([0.99, 0.97], null), false)).toEqual([0.9, 1])
    expect(breakdownAxisRange(breakdown([0.99, 0.8], [0.98, 0.72]), false)).toEqual([0.7, 1])
    expect(breakdownAxisRange(breakdown([0.99, 0.98], null, 0.5), false)).toEqual([0.5, 1])
  })

  it('is 0–1 on the full scale', () => {
    expect(breakdownAxisRange(breakdown([0.99, 0.8], null), true)).toEqual([0, 1])
  })
})
