// `npm run bench:compression [-- --sizes 32,224 --images 2000,256]`: issue 18's benchmark, not part
// of CI, never fails on timing. At each image size, through the real service and engine on a
// seeded subset of the Fashion-MNIST test split: one plain evaluation of the images, then the full
// bit sweep (every b, all sites together and each site alone) and AC-GC's bit choice, each as a
// multiple of that evaluation measured in the same run. 32²: the trained plain-seed0 epoch 3
// (BN kept, 101 sites) when tests/.tmp/trained-runs has it; 224²: a seeded BN-folded ResNet50 (48
// sites, so 392 passes instead of 816: each pass at 224² takes seconds). Prints Markdown.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type {
  CompressionRequest,
  CompressionResult,
  DatasetRequest,
  EvaluateRequest,
  Preprocessing,
  ResultInfo,
} from '../../electron/api/contract/index.ts'
import { writeSynthesizedResNet } from '../../native-models/surgery/synth.ts'
import { machineInfo } from './machine.ts'
import { openBenchService } from './service-jobs.ts'

const FMNIST = '/usr/share/datasets/fashion-mnist'
const TRAINED = new URL('../.tmp/trained-runs/plain-seed0/epoch_3.bn.onnx', import.meta.url)
  .pathname
const BITS = [2, 3, 4, 5, 6, 7, 8, 16]

const preprocessing = (size: number): Preprocessing => ({
  resize: size === 32 ? null : size,
  centerCrop: null,
  pad: size === 32 ? 2 : 0,
  grayToRgb: true,
  mean: [0.286, 0.286, 0.286],
  std: [0.353, 0.353, 0.353],
  inputSize: [size, size],
})

const dataset = (count: number): DatasetRequest => ({
  path: FMNIST,
  format: 'idx',
  split: 't10k',
  holdout: null,
  classes: null,
  sample: { count, seed: 0 },
  limit: null,
})

interface Row {
  size: number
  images: number
  batch: number
  model: string
  sites: number
  passes: number
  plainSeconds: number
  sweepSeconds: number
  buildSeconds: number
  acgcSeconds: number
  acgcGradientBatches: number
}

async function modelFor(size: number, folder: string): Promise<{ path: string; name: string }> {
  const hasTrained = size === 32 && statSync(TRAINED, { throwIfNoEntry: false }) !== undefined
  if (hasTrained) return { path: TRAINED, name: 'trained plain-seed0 epoch 3 (BN kept)' }
  const path = join(folder, `resnet50-${size}.onnx`)
  await writeSynthesizedResNet(path, {
    depth: 50,
    numClasses: 10,
    inputSize: size,
    cifarStem: false,
    bnFolded: true,
    opset: 17,
    seed: 18,
    batch: 'dynamic',
    externalData: false,
  })
  return { path, name: 'seeded ResNet50 (BN folded)' }
}

async function measure(size: number, images: number, batch: number, folder: string): Promise<Row> {
  const model = await modelFor(size, folder)
  const bench = openBenchService(join(folder, `service-${size}`))
  const { service } = bench
  try {
    const base = {
      checkpointId: null,
      modelPath: model.path,
      dataset: dataset(images),
      preprocessing: preprocessing(size),
      provider: 'cpu' as const,
    }
    // Decoded and cached once, so no timed job pays for decoding.
    const warm: EvaluateRequest = {
      kind: 'evaluate',
      ...base,
      batchSize: batch,
      useTensorCache: true,
    }
    await service.runJob(warm)
    const plainStarted = performance.now()
    await service.runJob({ ...warm, force: true })
    const plainSeconds = (performance.now() - plainStarted) / 1000
    const sweepRequest: CompressionRequest = {
      kind: 'compression',
      ...base,
      batchSize: null,
      useTensorCache: true,
      bits: BITS,
      together: true,
      eachAlone: true,
      acgc: null,
      compressionBatch: batch,
    }
    const sweep = (await service.runJob(sweepRequest)) as ResultInfo<CompressionResult>
    const acgcRequest: CompressionRequest = {
      ...sweepRequest,
      bits: [16],
      eachAlone: false,
      acgc: { tolerance: 1, gradientBatches: 4 },
    }
    const acgc = (await service.runJob(acgcRequest)) as ResultInfo<CompressionResult>
    const t = sweep.payload.timings
    return {
      size,
      images,
      batch,
      model: model.name,
      sites: sweep.payload.sites.length,
      passes: 1 + sweep.payload.sweep.length,
      plainSeconds,
      sweepSeconds: (t.plain + t.sweep) / 1000,
      buildSeconds: t.build / 1000,
      acgcSeconds: acgc.payload.timings.acgc / 1000,
      acgcGradientBatches: acgc.payload.acgc?.batches ?? 0,
    }
  } finally {
    bench.close()
  }
}

function report(rows: Row[], loadBefore: number[]): string {
  const machine = machineInfo(loadBefore, 'none')
  const f = (x: number, digits = 1) => x.toFixed(digits)
  return [
    `Machine: ${machine.cores} cores (${machine.cpu}), load ${loadBefore.map((l) => f(l)).join(' ')} → ${machine.loadAfter.map((l) => f(l)).join(' ')}; onnxruntime-node ${machine.onnxruntime}.`,
    '',
    '| image | images | batch | model | sites | passes (1 unquantized + b × (1 + sites)) | plain evaluation (s) | full sweep (s) | sweep ÷ evaluation | per pass ÷ evaluation | graph build (s) | AC-GC choice (s) | AC-GC ÷ evaluation |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows
      .map((r) =>
        [
          `${r.size}²`,
          r.images,
          r.batch,
          r.model,
          r.sites,
          r.passes,
          f(r.plainSeconds, 2),
          f(r.sweepSeconds),
          `${f(r.sweepSeconds / r.plainSeconds)}×`,
          `${f(r.sweepSeconds / r.plainSeconds / r.passes, 2)}×`,
          f(r.buildSeconds, 2),
          `${f(r.acgcSeconds)} (${r.acgcGradientBatches} batches)`,
          `${f(r.acgcSeconds / r.plainSeconds)}×`,
        ].join(' | '),
      )
      .map((line) => `| ${line} |`),
  ].join('\n')
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '32,224' },
    images: { type: 'string', default: '2000,256' },
    batch: { type: 'string', default: '64,32' },
  },
})
const list = (text: string) => text.split(',').map(Number)
const [sizes, counts, batches] = [list(values.sizes), list(values.images), list(values.batch)]
const folder = mkdtempSync(join(tmpdir(), 'bench-compression-'))
const loadBefore = loadavg()
try {
  const rows: Row[] = []
  for (const [i, size] of sizes.entries()) {
    rows.push(await measure(size, counts[i] ?? 256, batches[i] ?? 32, folder))
    console.error(report(rows, loadBefore))
  }
  console.log(report(rows, loadBefore))
} finally {
  rmSync(folder, { recursive: true, force: true })
}
