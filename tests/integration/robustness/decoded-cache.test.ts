import { readdir, rm, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type {
  CorruptionCell,
  EvaluateRequest,
  Preprocessing,
} from '../../../electron/api/contract/index.ts'
import { openDataset } from '../../../native-models/data/index.ts'
import { openCorruptedBatches } from '../../../native-models/data/decoded-cache-batches.ts'
import type { ResolvedJob } from '../../../native-models/engine/job-types.ts'
import { writeSynthesizedResNet } from '../../../native-models/surgery/synth.ts'
import { datasetRequest, tempFolder } from '../../fixtures/data/builders.ts'
import { writeJpegFolder } from '../../fixtures/data/seeded-jpeg-folder.ts'
import { evaluateJobFor, evaluateObservingLogits } from '../jobs/evaluate-job-helpers.ts'

// Odd-sized JPEGs (40×48) resized and cropped, as a sweep over a JPEG folder sees them.
const PREPROCESSING: Preprocessing = {
  resize: 36,
  centerCrop: 32,
  pad: 0,
  grayToRgb: true,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  inputSize: [32, 32],
}
const PADDED: Preprocessing = { ...PREPROCESSING, centerCrop: 28, pad: 2 }

const cell = (overrides: Partial<CorruptionCell> = {}): CorruptionCell => ({
  ...{ name: 'gaussian_noise', severity: 3, seed: 5, jpegQuality: null, padding: 'before' },
  ...overrides,
})

let folder = ''
let imagesFolder = ''
let modelPath = ''
let cacheRoot = ''

beforeAll(async () => {
  folder = await tempFolder('decoded-cache')
  imagesFolder = join(folder, 'images')
  await writeJpegFolder(imagesFolder, { count: 19, classes: 3, seed: 8 })
  // One gray JPEG among the RGB ones: the cache keeps it as RGB, as the corruption receives it.
  const gray = Buffer.from(Array.from({ length: 40 * 48 }, (_, i) => (i * 7) % 256))
  await sharp(gray, { raw: { width: 40, height: 48, channels: 1 } })
    .jpeg({ quality: 90 })
    .toFile(join(imagesFolder, 'class1', 'zz-gray.jpg'))
  modelPath = join(folder, 'synth18-3.onnx')
  await writeSynthesizedResNet(modelPath, {
    ...{ depth: 18, numClasses: 3, inputSize: 32, cifarStem: false, bnFolded: true },
    ...{ opset: 17, seed: 9, batch: 'dynamic', externalData: false },
  })
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

let cacheCount = 0
beforeEach(() => {
  cacheCount += 1
  cacheRoot = join(folder, `cache-${cacheCount}`)
})

async function allImages(
  corruption: CorruptionCell,
  cacheFolder: string | null,
  preprocessing = PREPROCESSING,
  workers?: number,
): Promise<{ images: Float32Array; status: string }> {
  const dataset = await openDataset(datasetRequest(imagesFolder))
  const batches = await openCorruptedBatches(dataset, {
    ...{ preprocessing, batchSize: 7, corruption, cacheFolder, workers },
  })
  const parts: Float32Array[] = []
  try {
    for await (const batch of batches.loader) parts.push(batch.images)
  } finally {
    await batches.loader.close()
  }
  const images = new Float32Array(parts.reduce((n, part) => n + part.length, 0))
  let offset = 0
  for (const part of parts) {
    images.set(part, offset)
    offset += part.length
  }
  return { images, status: batches.report().status }
}

const bytesOf = (values: Float32Array): Buffer =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength)

function corruptedCell(corruption: CorruptionCell, withWorkspace: boolean) {
  const base = evaluateJobFor(modelPath, {
    dataset: datasetRequest(imagesFolder),
    preprocessing: PREPROCESSING,
    batchSize: 8,
  })
  const request: EvaluateRequest = { ...base.request, corruption }
  const job: ResolvedJob<EvaluateRequest> = {
    ...base,
    request,
    tensorCacheFolder: withWorkspace ? join(cacheRoot, 'tensors') : null,
  }
  return job
}

describe('the decoded-image cache of a corruption sweep', () => {
  it('gives bit-identical corrupted batches from the cache, with and without workers', async () => {
    const spec = cell()
    const cacheFolder = join(cacheRoot, 'decoded')
    const uncached = await allImages(spec, null, PREPROCESSING, 0)
    const cold = await allImages(spec, cacheFolder, PREPROCESSING, 1)
    const warm = await allImages(spec, cacheFolder, PREPROCESSING, 1)
    const warmInThread = await allImages(spec, cacheFolder, PREPROCESSING, 0)
    expect([uncached.status, cold.status, warm.status]).toEqual(['off', 'stored', 'hit'])
    expect(uncached.images).toHaveLength(20 * 3 * 32 * 32)
    for (const other of [cold, warm, warmInThread])
      expect(bytesOf(other.images).equals(bytesOf(uncached.images))).toBe(true)
  })

  it('serves every cell of the sweep from one file: other corruptions, severities, padding and normalisation', async () => {
    const cacheFolder = join(cacheRoot, 'decoded')
    await allImages(cell(), cacheFolder, PADDED)
    const halves = { ...PADDED, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }
    const others: [CorruptionCell, Preprocessing][] = [
      [cell({ name: 'glass_blur', severity: 1 }), PADDED],
      [cell({ name: 'impulse_noise', padding: 'after', jpegQuality: 85 }), PADDED],
      [cell({ severity: 5 }), halves],
    ]
    for (const [spec, preprocessing] of others) {
      const uncached = await allImages(spec, null, preprocessing)
      const warm = await allImages(spec, cacheFolder, preprocessing)
      expect(warm.status).toBe('hit')
      expect(bytesOf(warm.images).equals(bytesOf(uncached.images))).toBe(true)
    }
    const files = await readdir(cacheFolder)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.decoded$/)
    const otherCrop = await allImages(cell(), cacheFolder, PREPROCESSING)
    expect(otherCrop.status).toBe('stored')
    expect(await readdir(cacheFolder)).toHaveLength(2)
  })

  it('rebuilds a truncated file instead of trusting it', async () => {
    const cacheFolder = join(cacheRoot, 'decoded')
    const first = await allImages(cell(), cacheFolder)
    const [file] = await readdir(cacheFolder)
    await truncate(join(cacheFolder, file), 500)
    const rebuilt = await allImages(cell(), cacheFolder)
    expect(rebuilt.status).toBe('stored')
    expect(bytesOf(rebuilt.images).equals(bytesOf(first.images))).toBe(true)
  })

  it('gives a sweep cell the same logits and accuracy with and without the cache', async () => {
    const spec = cell({ name: 'shot_noise', severity: 4 })
    const without = await evaluateObservingLogits(corruptedCell(spec, false))
    const cold = await evaluateObservingLogits(corruptedCell(spec, true))
    const warm = await evaluateObservingLogits(corruptedCell(cell({ name: 'contrast' }), true))
    const again = await evaluateObservingLogits(corruptedCell(spec, true))
    expect(without.output.parameters.decodedImageCache).toBe('off')
    expect(cold.output.parameters.decodedImageCache).toBe('stored')
    expect(warm.output.parameters.decodedImageCache).toBe('hit')
    expect(again.output.parameters.decodedImageCache).toBe('hit')
    expect(without.logits).toHaveLength(20 * 3)
    expect(bytesOf(cold.logits).equals(bytesOf(without.logits))).toBe(true)
    expect(bytesOf(again.logits).equals(bytesOf(without.logits))).toBe(true)
    expect(again.output.payload).toEqual(without.output.payload)
    expect(await readdir(join(cacheRoot, 'decoded'))).toHaveLength(1)
  })
})
