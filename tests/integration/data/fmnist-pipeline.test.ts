import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createBatchLoader } from '../../../native-models/data/batch-loader.ts'
import { openDataset } from '../../../native-models/data/open-dataset.ts'
import type { Batch } from '../../../native-models/data/types.ts'
import {
  FMNIST_PREPROCESSING,
  FMNIST_REAL,
  FMNIST_TINY,
  datasetRequest,
} from '../../fixtures/data/builders.ts'

// Goldens: tests/reference/data_fmnist_goldens.py runs train_fmnist.preprocess() (torch 1.13).
const golden = JSON.parse(readFileSync(join(FMNIST_TINY, 'golden.json'), 'utf8')) as {
  fixture: { shape: number[]; sha256: string; float32le: string }
  real: { first: number; shape: number[]; sha256: string }
}

async function firstBatch(path: string, count: number, workers: number): Promise<Batch> {
  const dataset = await openDataset(datasetRequest(path, { split: 't10k', limit: count }))
  const loader = createBatchLoader(dataset, {
    preprocessing: FMNIST_PREPROCESSING,
    batchSize: count,
    workers,
  })
  try {
    for await (const batch of loader) return batch
    throw new Error('no batch')
  } finally {
    await loader.close()
  }
}

function sha256(images: Float32Array): string {
  return createHash('sha256')
    .update(new Uint8Array(images.buffer, images.byteOffset, images.byteLength))
    .digest('hex')
}

describe("the reference trainer's Fashion-MNIST pipeline", () => {
  it.each([0, 1])(
    'is float32 bit-identical to torch on the committed IDX fixture (%d workers)',
    async (workers) => {
      const batch = await firstBatch(FMNIST_TINY, 8, workers)
      expect(batch.dims).toEqual(golden.fixture.shape)
      const expected = new Float32Array(
        new Uint8Array(inflateSync(Buffer.from(golden.fixture.float32le, 'base64'))).buffer,
      )
      const differing = batch.images.filter((value, i) => !Object.is(value, expected[i])).length
      expect(differing).toBe(0)
      expect(sha256(batch.images)).toBe(golden.fixture.sha256)
    },
  )

  const missing = existsSync(FMNIST_REAL)
    ? null
    : `${FMNIST_REAL} is absent (Debian dataset-fashion-mnist)`
  it.skipIf(missing !== null)(
    `is float32 bit-identical to torch on the first 64 real t10k images${missing === null ? '' : ` (skipped: ${missing})`}`,
    async () => {
      const batch = await firstBatch(FMNIST_REAL, golden.real.first, 0)
      expect(batch.dims).toEqual(golden.real.shape)
      expect(sha256(batch.images)).toBe(golden.real.sha256)
    },
  )
})
