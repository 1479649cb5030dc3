import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDataset } from '../../../native-models/data/open-dataset.ts'
import {
  FMNIST_TINY,
  asBytes,
  datasetRequest,
  imageFolder,
  npyBytes,
  solidPng,
  tempFolder,
  writeTree,
} from '../../fixtures/data/builders.ts'

let root = ''
beforeAll(async () => {
  root = await tempFolder('open')
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('openDataset on an ImageFolder', () => {
  it('maps sorted class folders to logit indices and reads the images in torchvision order', async () => {
    const path = await imageFolder(join(root, 'flat'), { dog: 2, cat: 3 })
    const dataset = await openDataset(datasetRequest(path))
    expect(dataset.info).toMatchObject({
      format: 'imagefolder',
      numImages: 5,
      classes: ['cat', 'dog'],
      itemShape: [5, 6, 3],
    })
    expect([...dataset.labels]).toEqual([0, 0, 0, 1, 1])
    expect(dataset.describe(3)).toBe(join(path, 'dog', 'img0.png'))
    expect(dataset.source(0)).toEqual({ kind: 'file', path: join(path, 'cat', 'img0.png') })
  })

  it('takes the classes override as the logit order', async () => {
    const path = await imageFolder(join(root, 'override'), { dog: 1, cat: 1 })
    const dataset = await openDataset(datasetRequest(path, { classes: ['dog', 'bird', 'cat'] }))
    expect(dataset.info.classes).toEqual(['dog', 'bird', 'cat'])
    expect([...dataset.labels]).toEqual([2, 0])
  })

  it('reads split folders by name, and asks which one for split null', async () => {
    const path = join(root, 'splits')
    await imageFolder(join(path, 'train'), { a: 3, b: 2 })
    await imageFolder(join(path, 'val'), { a: 1, c: 1 })
    const val = await openDataset(datasetRequest(path, { split: 'val' }))
    expect(val.info).toMatchObject({
      split: 'val',
      numImages: 2,
      classes: ['a', 'c'],
      name: 'splits (val)',
    })
    await expect(openDataset(datasetRequest(path))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: `'${path}' holds 2 splits ('train', 'val'): choose one of them as the split.`,
    })
  })

  it('keeps gray images 1-channel and warns about files that are not JPEG or PNG', async () => {
    const path = await writeTree(join(root, 'gray'), {
      'x/a.png': await solidPng(4, 3, 9, 1),
      'x/notes.txt': 'hi',
      'x/b.bmp': 'BM',
    })
    const dataset = await openDataset(datasetRequest(path))
    expect(dataset.channels).toBe(1)
    expect(dataset.warnings).toEqual([
      expect.stringContaining('2 file(s) that are not JPEG or PNG were left out (.bmp, .txt)'),
    ])
  })
})

describe('openDataset on IDX and NPY folders', () => {
  it('detects IDX files, reads gzipped and raw splits, and asks which one for split null', async () => {
    const t10k = await openDataset(datasetRequest(FMNIST_TINY, { split: 't10k' }))
    expect(t10k.info).toMatchObject({
      format: 'idx',
      numImages: 8,
      itemShape: [28, 28],
      classes: ['0', '1', '2', '3', '4', '5', '6', '7'],
    })
    const train = await openDataset(datasetRequest(FMNIST_TINY, { split: 'train' }))
    expect([...train.labels]).toEqual([0, 1, 2, 3])
    expect(t10k.describe(0)).toBe(`${join(FMNIST_TINY, 't10k-images-idx3-ubyte.gz')}#0`)
    await expect(openDataset(datasetRequest(FMNIST_TINY))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("holds 2 splits ('train', 't10k')") as unknown,
    })
  })

  it("takes 'test' for the 't10k' files", async () => {
    expect((await openDataset(datasetRequest(FMNIST_TINY, { split: 'test' }))).size).toBe(8)
  })

  it('gives an IDX item as a 28×28 gray pixel view', async () => {
    const dataset = await openDataset(datasetRequest(FMNIST_TINY, { split: 't10k' }))
    const source = dataset.source(0)
    if (source.kind !== 'pixels') throw new Error('expected pixels')
    expect(source.image).toMatchObject({ width: 28, height: 28, channels: 1 })
    expect([...source.image.data.subarray(0, 4)]).toEqual([0, 1, 2, 3])
  })

  it('reads NCHW float32 NPY images as HWC and int64 labels', async () => {
    const images = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i / 100)
    const labels = BigInt64Array.from([1n, 0n])
    const path = await writeTree(join(root, 'npy'), {
      'images.npy': npyBytes('<f4', [2, 3, 2, 2], asBytes(images)),
      'labels.npy': npyBytes('<i8', [2], asBytes(labels)),
    })
    const dataset = await openDataset(datasetRequest(path))
    expect(dataset.info).toMatchObject({ format: 'npy', itemShape: [2, 2, 3], classes: ['0', '1'] })
    const source = dataset.source(1)
    if (source.kind !== 'pixels') throw new Error('expected pixels')
    expect([...source.image.data.subarray(0, 3)]).toEqual([0.12, 0.16, 0.2].map(Math.fround))
  })

  it('finds NPY splits in <split>_images.npy files', async () => {
    const path = await writeTree(join(root, 'npy-splits'), {
      'train_images.npy': npyBytes('|u1', [3, 2, 2], new Uint8Array(12)),
      'train_labels.npy': npyBytes('|u1', [3], Uint8Array.from([0, 1, 2])),
      'test_images.npy': npyBytes('|u1', [1, 2, 2], new Uint8Array(4)),
      'test_labels.npy': npyBytes('|u1', [1], Uint8Array.from([2])),
    })
    expect((await openDataset(datasetRequest(path, { split: 'test' }))).info).toMatchObject({
      numImages: 1,
      classes: ['0', '1', '2'],
    })
    await expect(openDataset(datasetRequest(path))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
  })
})

describe('the dataset fingerprint', () => {
  it('is stable, and changes with the selection, the class map and the image bytes', async () => {
    const path = await imageFolder(join(root, 'fingerprint'), { a: 2, b: 2 })
    const base = (await openDataset(datasetRequest(path))).info.fingerprint
    expect((await openDataset(datasetRequest(path))).info.fingerprint).toBe(base)
    expect((await openDataset(datasetRequest(path, { limit: 3 }))).info.fingerprint).not.toBe(base)
    expect(
      (await openDataset(datasetRequest(path, { classes: ['b', 'a'] }))).info.fingerprint,
    ).not.toBe(base)
    await writeFile(join(path, 'b', 'img1.png'), await solidPng(6, 5, 200))
    expect((await openDataset(datasetRequest(path))).info.fingerprint).not.toBe(base)
  })

  it('does not depend on where the folder lives or whether the IDX files are gzipped, but on their contents', async () => {
    const moved = join(root, 'moved-idx')
    await mkdir(moved)
    await copyFile(
      join(FMNIST_TINY, 't10k-labels-idx1-ubyte.gz'),
      join(moved, 't10k-labels-idx1-ubyte.gz'),
    )
    const images = gunzipSync(await readFile(join(FMNIST_TINY, 't10k-images-idx3-ubyte.gz')))
    await writeFile(join(moved, 't10k-images-idx3-ubyte'), images)
    const original = await openDataset(datasetRequest(FMNIST_TINY, { split: 't10k' }))
    expect((await openDataset(datasetRequest(moved, { split: 't10k' }))).info.fingerprint).toBe(
      original.info.fingerprint,
    )
    images[images.length - 1] ^= 1
    await writeFile(join(moved, 't10k-images-idx3-ubyte'), images)
    expect((await openDataset(datasetRequest(moved, { split: 't10k' }))).info.fingerprint).not.toBe(
      original.info.fingerprint,
    )
  })
})
