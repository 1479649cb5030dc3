import { describe, expect, it } from 'vitest'
import { batchSizeForTime, measureBatchSize } from '../../../native-models/engine/batch-sizer.ts'

/** A model whose runs cost `overheadMs + size × msPerItem` on a fake clock; the first run is slow. */
function fakeModel(msPerItem: number, overheadMs = 0, firstRunMs = 5000) {
  let clock = 0
  const sizes: number[] = []
  const runBatch = (size: number): Promise<void> => {
    clock += sizes.length === 0 ? firstRunMs : overheadMs + size * msPerItem
    sizes.push(size)
    return Promise.resolve()
  }
  return { runBatch, sizes, now: () => clock }
}

describe('batchSizeForTime', () => {
  it('picks the largest power of two that fits the target', () => {
    expect(batchSizeForTime(10)).toBe(64)
    expect(batchSizeForTime(15.6)).toBe(64)
    expect(batchSizeForTime(15.7)).toBe(32)
    expect(batchSizeForTime(100, { targetMs: 3000 })).toBe(16)
  })

  it('stays within 1..256 for very slow and very fast models', () => {
    expect(batchSizeForTime(5000)).toBe(1)
    expect(batchSizeForTime(0.001)).toBe(256)
    expect(batchSizeForTime(0)).toBe(256)
    expect(batchSizeForTime(0.001, { maxSize: 96 })).toBe(64)
    expect(batchSizeForTime(5000, { minSize: 4 })).toBe(4)
  })
})

describe('measureBatchSize', () => {
  it('ignores the slow first run and sizes a 20 ms/image model to 32 images (640 ms)', async () => {
    const model = fakeModel(20)
    const sizing = await measureBatchSize(model.runBatch, { now: model.now })
    expect(sizing).toMatchObject({ batchSize: 32, msPerItem: 20 })
    expect(model.sizes).toEqual([2, 2, 32])
  })

  it('corrects for per-run overhead with a second timed run, at most doubling', async () => {
    const model = fakeModel(1, 300)
    const sizing = await measureBatchSize(model.runBatch, { now: model.now })
    expect(model.sizes).toEqual([2, 2, 4])
    expect(sizing.batchSize).toBe(8)
    expect(sizing.measuringMs).toBe(5000 + 302 + 304)
  })

  it('settles on one image per run when one image takes longer than the target', async () => {
    const model = fakeModel(1500)
    const sizing = await measureBatchSize(model.runBatch, { now: model.now })
    expect(sizing.batchSize).toBe(1)
    expect(model.sizes).toEqual([2, 2])
  })
})
