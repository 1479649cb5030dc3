import { copyFile, mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Preprocessing } from '../../../electron/api/contract/index.ts'
import { createBatchLoader } from '../../../native-models/data/batch-loader.ts'
import { openDataset } from '../../../native-models/data/open-dataset.ts'
import { createTensorLoader, preprocessAll } from '../../../native-models/data/tensor-cache.ts'
import type { Batch, BatchLoader, Dataset } from '../../../native-models/data/types.ts'
import {
  FMNIST_PREPROCESSING,
  FMNIST_TINY,
  PARITY_FOLDER,
  datasetRequest,
  tempFolder,
} from '../../fixtures/data/builders.ts'

const IMAGENET_STYLE: Preprocessing = {
  resize: 40,
  centerCrop: 32,
  pad: 0,
  grayToRgb: true,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  inputSize: [32, 32],
}

const JPEGS = [
  'tall-333x517.jpg',
  'odd-211x173.jpg',
  'tiny-31x45.jpg',
  'wide-480x271.jpg',
  'sliver-97x1001.jpg',
  'thin-700x95.jpg',
  'upscale-50x51.jpg',
]

async function collect(loader: BatchLoader): Promise<Batch[]> {
  const batches: Batch[] = []
  for await (const batch of loader) batches.push(batch)
  return batches
}

let root = ''
let jpegs: Dataset
beforeAll(async () => {
  root = await tempFolder('loader')
  for (const [i, name] of JPEGS.entries()) {
    const folder = join(root, i % 2 === 0 ? 'even' : 'odd')
    await mkdir(folder, { recursive: true })
    await copyFile(join(PARITY_FOLDER, name), join(folder, name))
  }
  jpegs = await openDataset(datasetRequest(root))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('createBatchLoader', () => {
  it('yields NCHW batches in the given order with their labels and positions', async () => {
    const loader = createBatchLoader(jpegs, {
      preprocessing: IMAGENET_STYLE,
      batchSize: 3,
      order: [6, 0, 5, 1, 2],
      workers: 0,
    })
    const batches = await collect(loader)
    expect(loader.batchCount).toBe(2)
    expect(batches.map((b) => b.positions)).toEqual([
      [6, 0, 5],
      [1, 2],
    ])
    expect(batches.map((b) => b.dims)).toEqual([
      [3, 3, 32, 32],
      [2, 3, 32, 32],
    ])
    expect(batches[0].labels).toEqual(Int32Array.from([6, 0, 5], (p) => jpegs.labels[p]))
    await loader.close()
  })

  it('drops a last partial batch when asked', async () => {
    const loader = createBatchLoader(jpegs, {
      preprocessing: IMAGENET_STYLE,
      batchSize: 3,
      dropLast: true,
      workers: 0,
    })
    expect((await collect(loader)).map((b) => b.positions.length)).toEqual([3, 3])
    await loader.close()
  })

  it('gives the worker pool exactly the in-thread result, and the same batches on a second pass', async () => {
    const inThread = createBatchLoader(jpegs, {
      preprocessing: IMAGENET_STYLE,
      batchSize: 4,
      workers: 0,
      filter: 'bicubic',
    })
    const pooled = createBatchLoader(jpegs, {
      preprocessing: IMAGENET_STYLE,
      batchSize: 4,
      workers: 2,
      filter: 'bicubic',
    })
    const expected = await collect(inThread)
    expect(await collect(pooled)).toEqual(expected)
    expect(await collect(pooled)).toEqual(expected)
    await Promise.all([inThread.close(), pooled.close()])
  })

  it('stops yielding once closed', async () => {
    const loader = createBatchLoader(jpegs, {
      preprocessing: IMAGENET_STYLE,
      batchSize: 2,
      workers: 1,
    })
    await loader.close()
    expect(await collect(loader)).toEqual([])
  })

  it('refuses positions outside the dataset', () => {
    expect(() =>
      createBatchLoader(jpegs, { preprocessing: IMAGENET_STYLE, batchSize: 2, order: [0, 7] }),
    ).toThrow('Position 7 is outside')
  })
})

describe('the preprocessed-tensor cache', () => {
  it('holds what the loader yields, and batches it in any order', async () => {
    const dataset = await openDataset(datasetRequest(FMNIST_TINY, { split: 't10k' }))
    const tensors = await preprocessAll(dataset, {
      preprocessing: FMNIST_PREPROCESSING,
      batchSize: 3,
    })
    expect(tensors).toMatchObject({ size: 8, itemDims: [3, 32, 32] })
    const direct = await collect(
      createBatchLoader(dataset, { preprocessing: FMNIST_PREPROCESSING, batchSize: 8 }),
    )
    expect(tensors.images).toEqual(direct[0].images)
    const order = [7, 2, 5]
    const [batch] = await collect(createTensorLoader(tensors, { batchSize: 3, order }))
    const item = 3 * 32 * 32
    expect(batch.images.subarray(item, 2 * item)).toEqual(
      tensors.images.subarray(2 * item, 3 * item),
    )
    expect([...batch.labels]).toEqual([7, 2, 5])
  })
})
