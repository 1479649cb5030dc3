import { describe, expect, it } from 'vitest'
import type { Dataset } from '../../../native-models/data/index.ts'
import { tensorCacheKey } from '../../../native-models/data/tensor-cache-batches.ts'

const dataset = { info: { fingerprint: 'f'.repeat(64) }, size: 10, channels: 1 } as Dataset
const preprocessing = {
  resize: null,
  centerCrop: 32,
  pad: 0,
  grayToRgb: true,
  mean: [0.5],
  std: [0.25],
  inputSize: [32, 32] as [number, number],
}

describe('the tensor cache key', () => {
  it('names the same file for the same preprocessing whatever the order of its keys', () => {
    const reordered = Object.fromEntries(
      Object.entries(preprocessing).reverse(),
    ) as typeof preprocessing
    expect(tensorCacheKey(dataset, reordered)).toBe(tensorCacheKey(dataset, preprocessing))
  })

  it('names another file when a setting differs', () => {
    expect(tensorCacheKey(dataset, { ...preprocessing, pad: 2 })).not.toBe(
      tensorCacheKey(dataset, preprocessing),
    )
  })
})
