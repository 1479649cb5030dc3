// What the benchmark runs on: a synthesized ResNet50 per resolution and a seeded JPEG ImageFolder.
import { mkdir, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import type {
  DatasetRequest,
  Preprocessing,
  SynthRequest,
} from '../../electron/api/contract/index.ts'
import { writeSynthesizedResNet } from '../../native-models/surgery/synth.ts'
import { writeJpegFolder } from '../fixtures/data/seeded-jpeg-folder.ts'

export const BATCH_SIZE = 32
export const NUM_CLASSES = 10

export interface Resolution {
  label: string
  inputSize: number
  /** Side of the square JPEGs on disk. */
  jpegSize: number
  images: number
  preprocessing: Preprocessing
}

const IMAGENET_NORMALISATION = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }

export function resolutions(images224: number, images32: number): Resolution[] {
  const base = { pad: 0, grayToRgb: true, ...IMAGENET_NORMALISATION }
  return [
    {
      ...{ label: '224²', inputSize: 224, jpegSize: 256, images: images224 },
      preprocessing: { ...base, resize: 256, centerCrop: 224, inputSize: [224, 224] },
    },
    {
      ...{ label: '32²', inputSize: 32, jpegSize: 36, images: images32 },
      preprocessing: { ...base, resize: null, centerCrop: 32, inputSize: [32, 32] },
    },
  ]
}

/** torchvision's resnet50(num_classes=10) as torch exports it (BN folded), dynamic batch. */
export function synthRequest(inputSize: number): SynthRequest {
  return {
    ...{ depth: 50, numClasses: NUM_CLASSES, inputSize, cifarStem: false, bnFolded: true },
    ...{ opset: 17, seed: 1, batch: 'dynamic', externalData: false },
  }
}

export interface Fixture {
  resolution: Resolution
  modelPath: string
  imagesFolder: string
  firstImage: string
  /** Every JPEG, in writing order. */
  imagePaths: string[]
}

export async function prepareFixture(root: string, resolution: Resolution): Promise<Fixture> {
  const folder = join(root, `r${resolution.inputSize}`)
  await mkdir(folder, { recursive: true })
  const modelPath = join(folder, `resnet50-${resolution.inputSize}.onnx`)
  await writeSynthesizedResNet(modelPath, synthRequest(resolution.inputSize))
  const imagesFolder = join(folder, 'images')
  const paths = await writeJpegFolder(imagesFolder, {
    ...{ count: resolution.images, classes: NUM_CLASSES, seed: resolution.inputSize },
    ...{ width: resolution.jpegSize, height: resolution.jpegSize },
  })
  return { resolution, modelPath, imagesFolder, firstImage: paths[0], imagePaths: paths }
}

export function datasetOf(fixture: Fixture, limit: number | null = null): DatasetRequest {
  return {
    ...{ path: fixture.imagesFolder, format: 'imagefolder', split: null, holdout: null },
    ...{ classes: null, sample: null, limit },
  }
}

let touches = 0

/**
 * The workspace answers a repeated request from its stored result (keyed by the files' mtimes,
 * among others): a new mtime on one image makes the next job run, while the content fingerprint,
 * and so the tensor cache key, stays the same.
 */
export async function forgetStoredResults(fixture: Fixture): Promise<void> {
  touches += 1
  const time = new Date(Date.UTC(2020, 0, 1) + touches * 1000)
  await utimes(fixture.firstImage, time, time)
}
