import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatasetRequest } from '../../../electron/api/contract/index.ts'
import { createBatchLoader } from '../../../native-models/data/batch-loader.ts'
import { openDataset } from '../../../native-models/data/open-dataset.ts'
import type { Preprocessing } from '../../../electron/api/contract/index.ts'
import {
  PARITY_FOLDER,
  datasetRequest,
  expectCodedError,
  idxBytes,
  imageFolder,
  npyBytes,
  solidPng,
  tempFolder,
  writeTree,
} from '../../fixtures/data/builders.ts'

// Reliability: every broken input is one sentence naming the file and the fix, with a code.
let root = ''
beforeAll(async () => {
  root = await tempFolder('errors')
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const SMALL: Preprocessing = {
  resize: 8,
  centerCrop: 8,
  pad: 0,
  grayToRgb: false,
  mean: [0.5],
  std: [0.5],
  inputSize: [8, 8],
}

async function openError(request: DatasetRequest): Promise<{ code: string; message: string }> {
  return openDataset(request).then(
    () => {
      throw new Error('the dataset opened')
    },
    (error: { code: string; message: string }) => error,
  )
}

/** An ImageFolder whose second image is `bytes`, loaded through the worker pool. */
async function loadError(
  name: string,
  fileName: string,
  bytes: Uint8Array,
): Promise<{ code: string; message: string }> {
  const path = await writeTree(join(root, name), {
    [`a/0.png`]: await solidPng(8, 8, 50),
    [`a/${fileName}`]: bytes,
  })
  const dataset = await openDataset(datasetRequest(path))
  const loader = createBatchLoader(dataset, { preprocessing: SMALL, batchSize: 2, workers: 1 })
  try {
    for await (const batch of loader) throw new Error(`loaded ${batch.dims.join('×')}`)
    throw new Error('no batch')
  } catch (error) {
    return error as { code: string; message: string }
  } finally {
    await loader.close()
  }
}

describe('unreadable and truncated images', () => {
  it('names a file that is not an image', async () => {
    const error = await loadError('text', 'b.jpg', new TextEncoder().encode('this is not a JPEG'))
    expect(error).toMatchObject({
      code: 'IMAGE_UNREADABLE',
      message: `'${join(root, 'text', 'a', 'b.jpg')}' is not a JPEG or PNG image: replace the file or delete it from the dataset.`,
    })
  })

  it('names a zero-byte file', async () => {
    const error = await loadError('empty', 'b.png', new Uint8Array(0))
    expectCodedError(error, 'IMAGE_UNREADABLE', "b.png' is empty (0 bytes): replace the file")
  })

  it('refuses a truncated JPEG instead of filling it with grey', async () => {
    const jpeg = await readFile(join(PARITY_FOLDER, 'tall-333x517.jpg'))
    const error = await loadError(
      'cut-jpeg',
      'b.jpg',
      jpeg.subarray(0, Math.floor(jpeg.length * 0.9)),
    )
    expectCodedError(
      error,
      'IMAGE_UNREADABLE',
      /b\.jpg' is truncated \(VipsJpeg: premature end of JPEG image\): replace the file/,
    )
  })

  it('refuses a truncated PNG', async () => {
    const png = await readFile(join(PARITY_FOLDER, 'alpha-141x119.png'))
    const error = await loadError('cut-png', 'b.png', png.subarray(0, png.length >> 1))
    expectCodedError(error, 'IMAGE_UNREADABLE', "b.png' is truncated (")
  })
})

describe('IDX files whose header lies', () => {
  async function idxError(name: string, images: Uint8Array, labels: Uint8Array, gzipped = false) {
    const suffix = gzipped ? '.gz' : ''
    const path = await writeTree(join(root, name), {
      [`train-images-idx3-ubyte${suffix}`]: gzipped ? gzipSync(images) : images,
      [`train-labels-idx1-ubyte${suffix}`]: gzipped ? gzipSync(labels) : labels,
    })
    return openError(datasetRequest(path))
  }

  it('names the file, the claimed and the actual data size', async () => {
    const images = idxBytes([100, 28, 28]).subarray(0, 16 + 28 * 28 * 60)
    const error = await idxError('short-idx', images, idxBytes([100]), true)
    expect(error).toMatchObject({
      code: 'DATASET_MALFORMED',
      message:
        "'train-images-idx3-ubyte.gz' claims 100 × 28 × 28 = 78400 bytes of data but holds 47040: the file is truncated or its header is wrong, so download or export it again.",
    })
  })

  it('refuses a wrong magic number', async () => {
    const images = idxBytes([2, 2, 2])
    images.set([0x50, 0x4b], 0)
    expectCodedError(
      await idxError('magic-idx', images, idxBytes([2])),
      'DATASET_MALFORMED',
      "'train-images-idx3-ubyte' is not an IDX file (magic 0x504b0803",
    )
  })

  it('refuses a labels count that differs from the images count', async () => {
    expectCodedError(
      await idxError('count-idx', idxBytes([3, 2, 2]), idxBytes([5])),
      'DATASET_MALFORMED',
      "'train-labels-idx1-ubyte' holds 5 labels but 'train-images-idx3-ubyte' holds 3 images",
    )
  })

  it('refuses a gzip file cut short', async () => {
    const cut = gzipSync(idxBytes([3, 2, 2])).subarray(0, 20)
    const path = await writeTree(join(root, 'gzip-idx'), {
      'train-images-idx3-ubyte.gz': cut,
      'train-labels-idx1-ubyte': idxBytes([3]),
    })
    expectCodedError(
      await openError(datasetRequest(path)),
      'DATASET_MALFORMED',
      "'train-images-idx3-ubyte.gz' is not a complete gzip file (unexpected end of file): download it again.",
    )
  })
})

describe('NPY files that cannot be images', () => {
  it.each([
    [
      'float64 images',
      npyBytes('<f8', [2, 2, 2], new Uint8Array(64)),
      "holds an unsupported dtype ('f8' of shape (2, 2, 2))",
    ],
    [
      '5-channel images',
      npyBytes('|u1', [2, 5, 2, 5], new Uint8Array(100)),
      "holds an unsupported shape ('u1' of shape (2, 5, 2, 5))",
    ],
  ])('refuses %s, naming the dtype and shape', async (name, images, phrase) => {
    const path = await writeTree(join(root, name.replace(/\s/g, '-')), {
      'images.npy': images,
      'labels.npy': npyBytes('|u1', [2], new Uint8Array(2)),
    })
    expectCodedError(
      await openError(datasetRequest(path)),
      'DATASET_MALFORMED',
      `'images.npy' ${phrase}: save images as uint8 or float32`,
    )
  })
})

describe('empty datasets, unknown splits and class maps that do not fit', () => {
  it('refuses class folders without a single image', async () => {
    const path = await writeTree(join(root, 'no-images'), { 'a/readme.txt': 'x' })
    expect(await openError(datasetRequest(path))).toMatchObject({
      code: 'DATASET_EMPTY',
      message: `'${path}' holds no images: put JPEG or PNG files in '<class>/' sub-folders.`,
    })
  })

  it('refuses a folder without class folders', async () => {
    const path = await writeTree(join(root, 'bare'), { 'x.png': await solidPng(2, 2, 1) })
    expectCodedError(
      await openError(datasetRequest(path)),
      'DATASET_EMPTY',
      'has no class sub-folders',
    )
  })

  it('names the splits that exist when the split is unknown', async () => {
    const path = join(root, 'split-names')
    await imageFolder(join(path, 'train'), { a: 1 })
    await imageFolder(join(path, 'val'), { a: 1 })
    expect(await openError(datasetRequest(path, { split: 'test' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: `'${path}' has no split 'test': the splits are 'train', 'val'.`,
    })
  })

  it('names the IDX splits that exist', async () => {
    const path = await writeTree(join(root, 'idx-splits'), {
      'train-images-idx3-ubyte': idxBytes([1, 2, 2]),
      'train-labels-idx1-ubyte': idxBytes([1]),
    })
    expectCodedError(
      await openError(datasetRequest(path, { split: 'val' })),
      'NOT_FOUND',
      "has no split 'val': the splits are 'train'.",
    )
  })

  it('refuses a selection that keeps nothing', async () => {
    const path = await imageFolder(join(root, 'tiny'), { a: 1 })
    const request = datasetRequest(path, { holdout: { fraction: 0.4, seed: 1, part: 'holdout' } })
    expectCodedError(await openError(request), 'DATASET_EMPTY', 'keep none of the 1 images')
  })

  it('refuses a classes override that does not name every folder', async () => {
    const path = await imageFolder(join(root, 'classes'), { cat: 1, dog: 1 })
    expectCodedError(
      await openError(datasetRequest(path, { classes: ['cat'] })),
      'INVALID_ARGUMENT',
      "does not name the class folder(s) 'dog'",
    )
  })

  it('refuses a path that does not exist', async () => {
    expectCodedError(
      await openError(datasetRequest(join(root, 'nowhere'))),
      'NOT_FOUND',
      'cannot be opened (ENOENT',
    )
  })

  it('refuses a file given as the dataset folder', async () => {
    const file = join(root, 'file.png')
    await writeFile(file, await solidPng(2, 2, 1))
    expect(await openError(datasetRequest(file))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: `'${file}' is a file, not a folder: point the dataset at the folder that holds it.`,
    })
  })
})
