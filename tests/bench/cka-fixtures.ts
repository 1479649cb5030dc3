// What the CKA benchmark runs on: the bench's synthesized ResNet50 at 224² and a seeded NPY
// dataset (uint8 NHWC images.npy + int64 labels.npy) that the jobs read without decoding.
import { open, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type {
  CkaGramsRequest,
  CkaRequest,
  DatasetRequest,
  EvaluateRequest,
  Preprocessing,
} from '../../electron/api/contract/index.ts'
import { writeSynthesizedResNet } from '../../native-models/surgery/synth.ts'
import { npyBytes } from '../fixtures/data/builders.ts'
import { NUM_CLASSES, synthRequest } from './fixtures.ts'

export const INPUT_SIZE = 224
/** Images per Gram (n) and per evaluation batch. */
export const GRAM_BATCH = 64
export const ORDER_SEED = 0

/** The NPY images are already 224×224: only ImageNet normalisation, no resize or crop. */
export const PREPROCESSING: Preprocessing = {
  ...{ resize: null, centerCrop: null, pad: 0, grayToRgb: true, inputSize: [224, 224] },
  ...{ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
}

export interface CkaFixture {
  modelPath: string
  datasetFolder: string
  /** Images in images.npy; N is chosen per job with the dataset request's limit. */
  images: number
  bytes: number
}

/** xorshift32: a fast seeded byte stream, so every run sees the same pixels. */
function seededBytes(seed: number): (into: Uint8Array) => void {
  let state = seed >>> 0 || 0x9e3779b9
  return (into) => {
    const words = new Uint32Array(into.buffer, into.byteOffset, into.byteLength >>> 2)
    for (let i = 0; i < words.length; i++) {
      state ^= state << 13
      state ^= state >>> 17
      state ^= state << 5
      words[i] = state >>> 0
    }
  }
}

/**
 * Smooth-ish seeded images: per-image uniform noise averaged with a per-image colour, so the
 * taps are neither constant nor pure noise. Written in chunks (the file is 150 kB per image).
 */
async function writeImagesNpy(path: string, count: number, seed: number): Promise<number> {
  const side = INPUT_SIZE
  const perImage = side * side * 3
  const header = npyBytes('|u1', [count, side, side, 3], new Uint8Array(0))
  const file = await open(path, 'w')
  try {
    await file.write(header)
    const fill = seededBytes(seed)
    const chunkImages = 64
    const chunk = new Uint8Array(chunkImages * perImage)
    const tint = new Uint8Array(4)
    for (let first = 0; first < count; first += chunkImages) {
      const images = Math.min(chunkImages, count - first)
      fill(chunk)
      for (let i = 0; i < images; i++) {
        fill(tint)
        const base = i * perImage
        for (let p = 0; p < perImage; p++) {
          chunk[base + p] = (chunk[base + p] + tint[p % 3]) >>> 1
        }
      }
      await file.write(chunk, 0, images * perImage)
    }
  } finally {
    await file.close()
  }
  return header.length + count * perImage
}

export async function prepareCkaFixture(root: string, images: number): Promise<CkaFixture> {
  const folder = join(root, 'r224')
  const datasetFolder = join(folder, 'npy')
  await mkdir(datasetFolder, { recursive: true })
  const modelPath = join(folder, 'resnet50-224.onnx')
  await writeSynthesizedResNet(modelPath, synthRequest(INPUT_SIZE))
  const bytes = await writeImagesNpy(join(datasetFolder, 'images.npy'), images, INPUT_SIZE)
  const labels = BigInt64Array.from({ length: images }, (_, i) => BigInt(i % NUM_CLASSES))
  await writeFile(
    join(datasetFolder, 'labels.npy'),
    npyBytes('<i8', [images], new Uint8Array(labels.buffer)),
  )
  return { modelPath, datasetFolder, images, bytes }
}

/** The first `count` images of the NPY file (the same file for every N). */
export function ckaDataset(fixture: CkaFixture, count: number): DatasetRequest {
  return {
    ...{ path: fixture.datasetFolder, format: 'npy', split: null, holdout: null },
    ...{ classes: null, sample: null, limit: count },
  }
}

export function evaluateRequest(
  fixture: CkaFixture,
  checkpointId: number,
  count: number,
): EvaluateRequest {
  return {
    ...{ kind: 'evaluate', checkpointId, modelPath: null, dataset: ckaDataset(fixture, count) },
    ...{ preprocessing: PREPROCESSING, batchSize: GRAM_BATCH, provider: 'cpu' },
    ...{ useTensorCache: false, force: true },
  }
}

/** The minibatch CKA of the standard taps (stem, 16 blocks, pooled), n = 64, within one checkpoint. */
export function ckaRequest(fixture: CkaFixture, checkpointId: number, count: number): CkaRequest {
  return {
    ...{ kind: 'within', checkpointIds: [checkpointId], referenceId: null, gridLayer: null },
    ...{ dataset: ckaDataset(fixture, count), preprocessing: PREPROCESSING, taps: null },
    ...{ estimator: 'minibatch', batchSize: GRAM_BATCH, orderSeed: ORDER_SEED },
    ...{ spatialPooling: 'none', provider: 'cpu' },
  }
}

/**
 * Exactly the Gram job service.computeDerived(ckaCompute) starts for ckaRequest, so the CKA
 * step afterwards finds its Grams stored; `force` makes a repeat run again.
 */
export function gramsRequest(
  fixture: CkaFixture,
  checkpointId: number,
  count: number,
): CkaGramsRequest {
  return {
    ...{ kind: 'cka-grams', checkpointId, modelPath: null, dataset: ckaDataset(fixture, count) },
    ...{ preprocessing: PREPROCESSING, batchSize: null, provider: 'cpu', taps: null },
    ...{ gramBatch: GRAM_BATCH, orderSeed: ORDER_SEED, spatialPooling: 'none', force: true },
  }
}
