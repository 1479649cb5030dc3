// Loader throughput, not part of CI: `node tests/integration/data/loader-throughput.ts [images]`.
// JPEGs (500×375, ImageNet-like) → Resize(256) + CenterCrop(224) + normalise, and Fashion-MNIST t10k
// → pad 2 + 3 channels + normalise (32²), each in the caller's thread and in worker pools; then with a
// consumer that blocks its thread per batch as ORT's synchronous run() does (T11), to show the overlap.
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { Preprocessing } from '../../../electron/api/contract/index.ts'
import { createBatchLoader } from '../../../native-models/data/batch-loader.ts'
import { decodeImageFile } from '../../../native-models/data/decode-image.ts'
import { openDataset } from '../../../native-models/data/open-dataset.ts'
import { planPreprocessing, preprocessInto } from '../../../native-models/data/preprocess.ts'
import type { Dataset } from '../../../native-models/data/types.ts'
import {
  FMNIST_PREPROCESSING,
  FMNIST_REAL,
  datasetRequest,
  tempFolder,
} from '../../fixtures/data/builders.ts'

const IMAGENET: Preprocessing = {
  resize: 256,
  centerCrop: 224,
  pad: 0,
  grayToRgb: true,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  inputSize: [224, 224],
}
const BATCH = 32

async function writeJpegs(root: string, count: number): Promise<void> {
  const [width, height] = [500, 375]
  for (let i = 0; i < count; i += 1) {
    const pixels = Buffer.alloc(width * height * 3)
    for (let p = 0; p < pixels.length; p += 1)
      pixels[p] = (((p / 3) % width) + i * 7 + ((p * 2654435761) >>> 27)) & 255
    const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer()
    const folder = join(root, `class${i % 4}`)
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, `${i}.jpg`), jpeg)
  }
}

type Block = 'spin' | 'sleep'
const SLEEPER = new Int32Array(new SharedArrayBuffer(4))

/** Stands in for a synchronous InferenceSession.run(): on the CPU (spin) or on a GPU (sleep). */
function blockThread(ms: number, how: Block): void {
  if (how === 'sleep') return void Atomics.wait(SLEEPER, 0, 0, ms)
  const until = performance.now() + ms
  while (performance.now() < until);
}

async function imagesPerSecond(
  dataset: Dataset,
  preprocessing: Preprocessing,
  workers: number,
  blockMs = 0,
  how: Block = 'spin',
): Promise<number> {
  const loader = createBatchLoader(dataset, { preprocessing, batchSize: BATCH, workers })
  const first = loader[Symbol.asyncIterator]()
  await first.next() // worker start-up and JIT warm-up are not throughput
  const started = performance.now()
  let images = 0
  for (let next = await first.next(); !next.done; next = await first.next()) {
    blockThread(blockMs, how)
    images += next.value.dims[0]
  }
  const seconds = (performance.now() - started) / 1000
  await loader.close()
  return images / seconds
}

async function decodeAndResampleSplit(dataset: Dataset): Promise<string> {
  const plan = planPreprocessing(IMAGENET, dataset.channels)
  const target = new Float32Array(3 * 224 * 224)
  let decodeMs = 0
  let preprocessMs = 0
  for (let i = 0; i < Math.min(dataset.size, 48); i += 1) {
    const source = dataset.source(i)
    if (source.kind !== 'file') continue
    const t0 = performance.now()
    const image = await decodeImageFile(source.path)
    const t1 = performance.now()
    preprocessInto(image, plan, target, 0, source.path)
    decodeMs += t1 - t0
    preprocessMs += performance.now() - t1
  }
  const n = Math.min(dataset.size, 48)
  return `decode ${(decodeMs / n).toFixed(1)} ms/img, resample+normalise ${(preprocessMs / n).toFixed(1)} ms/img`
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 192)
  console.log(
    `cores ${availableParallelism()}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  const root = await tempFolder('throughput')
  try {
    await writeJpegs(root, count)
    const started = performance.now()
    const jpegs = await openDataset(datasetRequest(root))
    console.log(
      `open + fingerprint of ${count} JPEGs: ${(performance.now() - started).toFixed(0)} ms`,
    )
    console.log(`JPEG 500×375 single image: ${await decodeAndResampleSplit(jpegs)}`)
    for (const [blockMs, how] of [
      [0, 'spin'],
      [250, 'spin'],
      [250, 'sleep'],
    ] as const) {
      for (const workers of [0, 1, 2]) {
        const rate = await imagesPerSecond(jpegs, IMAGENET, workers, blockMs, how)
        const consumer =
          blockMs === 0 ? 'free consumer' : `consumer blocks ${blockMs} ms/batch (${how})`
        console.log(`JPEG → 224², ${workers} workers, ${consumer}: ${rate.toFixed(1)} images/s`)
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
  if (!existsSync(FMNIST_REAL))
    return console.log(`Fashion-MNIST skipped: ${FMNIST_REAL} is absent`)
  const fmnist = await openDataset(datasetRequest(FMNIST_REAL, { split: 't10k' }))
  for (const workers of [0, 1]) {
    console.log(
      `FMNIST → 32², ${workers} workers: ${(await imagesPerSecond(fmnist, FMNIST_PREPROCESSING, workers)).toFixed(0)} images/s`,
    )
  }
}

await main()
