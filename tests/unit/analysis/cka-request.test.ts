import { describe, expect, it } from 'vitest'
import { ckaRequest } from '../../../native-models/analysis/cka/cka-request.ts'
import type { CkaChoice } from '../../../native-models/analysis/cka/cka-request.ts'
import { parseTaps } from '../../../native-models/analysis/shared/tap-list.ts'

const choice: CkaChoice = {
  kind: 'within',
  checkpointIds: [1],
  dataset: {
    path: '/d',
    format: 'idx',
    split: 't10k',
    holdout: null,
    classes: null,
    sample: null,
    limit: 512,
  },
  preprocessing: null,
  taps: null,
  estimator: 'minibatch',
  batchSize: null,
  orderSeed: 0,
  spatialPooling: 'none',
  provider: 'cpu',
  inputPixels: 32 * 32,
}

describe('the CKA request the view and the CLI build', () => {
  it('takes minibatches of 256 at 32² and 64 at 224² unless n is given', () => {
    expect(ckaRequest(choice).batchSize).toBe(256)
    expect(ckaRequest({ ...choice, inputPixels: 224 * 224 }).batchSize).toBe(64)
    expect(ckaRequest({ ...choice, batchSize: 32 }).batchSize).toBe(32)
  })

  it('leaves n to the selection for full-batch estimators and keeps no input size', () => {
    const request = ckaRequest({ ...choice, estimator: 'linear', batchSize: 32 })
    expect(request.batchSize).toBeNull()
    expect(request).not.toHaveProperty('inputPixels')
    expect(request).toMatchObject({ referenceId: null, gridLayer: null })
  })
})

describe('typed tap lists', () => {
  it('split on commas and spaces, and mean the defaults when empty', () => {
    expect(parseTaps('stem, layer1.0  pooled,')).toEqual(['stem', 'layer1.0', 'pooled'])
    expect(parseTaps(' , ')).toBeNull()
    expect(parseTaps(undefined)).toBeNull()
  })
})
