import { describe, expect, it } from 'vitest'
import type { CorruptionCell } from '../../../electron/api/contract/index.ts'
import {
  createBatchLoader,
  geometricSteps,
  openDataset,
  planPreprocessing,
} from '../../../native-models/data/index.ts'
import { corruptShapedImage } from '../../../native-models/data/corrupt-image.ts'
import type { Batch, Dataset, RawImage } from '../../../native-models/data/types.ts'
import {
  FMNIST_64_FOLDER,
  FMNIST_PREPROCESSING,
  fmnistTestImages,
} from '../jobs/evaluate-job-helpers.ts'

const cell = (overrides: Partial<CorruptionCell> = {}): CorruptionCell => ({
  name: 'gaussian_noise',
  severity: 5,
  seed: 3,
  jpegQuality: null,
  padding: 'before',
  ...overrides,
})

async function firstBatch(
  dataset: Dataset,
  corruption: CorruptionCell | null,
  workers?: number,
): Promise<Batch> {
  const loader = createBatchLoader(dataset, {
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: 6,
    corruption,
    ...(workers === undefined ? {} : { workers }),
  })
  try {
    for await (const batch of loader) return batch
    throw new Error('no batch')
  } finally {
    await loader.close()
  }
}

/** What the model should see: the corrupted RGB image normalised, zero padding where it is. */
async function expectedTensor(dataset: Dataset, position: number, spec: CorruptionCell) {
  const plan = planPreprocessing(FMNIST_PREPROCESSING, dataset.channels)
  const source = dataset.source(position)
  if (source.kind !== 'pixels') throw new Error('IDX images are pixels')
  const shaped = geometricSteps(source.image, FMNIST_PREPROCESSING, 'bilinear')
  const pad = FMNIST_PREPROCESSING.pad
  const corrupted: RawImage = await corruptShapedImage(shaped, spec, pad, position, 'test')
  const offset = spec.padding === 'before' ? pad : 0
  const out = new Float32Array(3 * plan.height * plan.width).fill(plan.tables[0][0])
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < corrupted.height; y++)
      for (let x = 0; x < corrupted.width; x++) {
        const value = corrupted.data[(y * corrupted.width + x) * 3 + c]
        out[(c * plan.height + y + offset) * plan.width + x + offset] = plan.tables[c][value]
      }
  return out
}

describe('corrupted batches', () => {
  it('hand the model each image corrupted after resize and before normalisation, padding black', async () => {
    const dataset = await openDataset(fmnistTestImages(FMNIST_64_FOLDER, 12))
    const spec = cell()
    const batch = await firstBatch(dataset, spec, 0)
    const length = 3 * 32 * 32
    for (const [row, position] of batch.positions.entries()) {
      const expected = await expectedTensor(dataset, position, spec)
      expect(batch.images.subarray(row * length, (row + 1) * length)).toEqual(expected)
    }
    const clean = await firstBatch(dataset, null)
    expect(clean.images).not.toEqual(batch.images)
  })

  it('corrupts the zero padding too when asked to corrupt after padding', async () => {
    const dataset = await openDataset(fmnistTestImages(FMNIST_64_FOLDER, 6))
    const spec = cell({ padding: 'after', name: 'impulse_noise' })
    const batch = await firstBatch(dataset, spec, 0)
    expect(batch.images.subarray(0, 3 * 32 * 32)).toEqual(await expectedTensor(dataset, 0, spec))
    const black = planPreprocessing(FMNIST_PREPROCESSING, 1).tables[0][0]
    const firstRow = batch.images.subarray(0, 32)
    expect(firstRow.some((v) => v !== black)).toBe(true)
  })

  it('gives the same images in a worker thread as in the caller’s, so a cell is reproducible', async () => {
    const dataset = await openDataset(fmnistTestImages(FMNIST_64_FOLDER, 6))
    const spec = cell({ name: 'defocus_blur', severity: 3, jpegQuality: 85 })
    const inThread = await firstBatch(dataset, spec, 0)
    const inWorker = await firstBatch(dataset, spec, 1)
    expect(inWorker.images).toEqual(inThread.images)
  })

  it('refuses a model that does not take RGB, naming the fix', async () => {
    const dataset = await openDataset(fmnistTestImages(FMNIST_64_FOLDER, 6))
    const gray = { ...FMNIST_PREPROCESSING, grayToRgb: false, mean: [0.286], std: [0.353] }
    expect(() =>
      createBatchLoader(dataset, { preprocessing: gray, batchSize: 2, corruption: cell() }),
    ).toThrow('set grayToRgb')
  })
})
