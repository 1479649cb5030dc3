// `npm run bench:compression [-- --sizes 32,224 --images 2000,256 --alone-bits all,4]`: issue 18's
// benchmark, not part of CI, never fails on timing. At each image size, through the real service
// and engine on a seeded subset of the Fashion-MNIST test split: one plain evaluation of the
// images, then the bit sweep (every b with all sites together, and each site alone at every b or
// at the widths --alone-bits lists, e.g. 2:4:8:16) and AC-GC's bit choice, each as a multiple of
// that evaluation measured in the same run. When sites ran alone at a subset of b, the full sweep's
// time is estimated from their per-pass cost, and the table says so. 32²: the trained plain-seed0
// epoch 3 (BN kept, 101 sites) when tests/.tmp/trained-runs has it; 224²: a seeded BN-folded
// ResNet50 (48 sites, so 393 passes instead of 817). Prints Markdown.
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
  plainSeconds: number
  /** The job's unquantized pass (every site measured, none quantized). */
  referenceSeconds: number
  togetherSeconds: number
  aloneSeconds: number
  /** The widths each site alone was run at: every b, or a subset when the full sweep is too long. */
  aloneBits: number[]
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

async function measure(
  size: number,
  images: number,
  batch: number,
  aloneBits: number[],
  folder: string,
): Promise<Row> {
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
      eachAlone: false,
      acgc: null,
      compressionBatch: batch,
    }
    // Two jobs, so every b together and each site alone are timed apart; a site alone costs the
    // same at every b (the quantizer's ops do not depend on b), which is what lets a subset stand
    // for the whole when the full sweep would outlast a session.
    const together = (await service.runJob(sweepRequest)) as ResultInfo<CompressionResult>
    const alone = (await service.runJob({
      ...sweepRequest,
      bits: aloneBits,
      together: false,
      eachAlone: true,
    })) as ResultInfo<CompressionResult>
    const acgcRequest: CompressionRequest = {
      ...sweepRequest,
      bits: [16],
      // Only the bit choice: no every-site pass at b = 16 ahead of it.
      together: false,
      acgc: { tolerance: 1, gradientBatches: 4 },
    }
    const acgc = (await service.runJob(acgcRequest)) as ResultInfo<CompressionResult>
    const t = together.payload.timings
    return {
      size,
      images,
      batch,
      model: model.name,
      sites: together.payload.sites.length,
      plainSeconds,
      referenceSeconds: t.plain / 1000,
      togetherSeconds: t.sweep / 1000,
      aloneSeconds: alone.payload.timings.sweep / 1000,
      aloneBits,
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
  const lines = rows.map((r) => {
    const togetherPasses = BITS.length
    const alonePasses = r.aloneBits.length * r.sites
    const perAlonePass = r.aloneSeconds / alonePasses
    const isFull = r.aloneBits.length === BITS.length
    // Passes: 1 unquantized + b × (1 together + one per site alone).
    const passes = 1 + BITS.length * (1 + r.sites)
    const fullSweep = r.referenceSeconds + r.togetherSeconds + perAlonePass * BITS.length * r.sites
    return [
      `${r.size}²`,
      r.images,
      r.batch,
      r.model,
      r.sites,
      passes,
      f(r.plainSeconds, 2),
      `${f(r.referenceSeconds / r.plainSeconds, 2)}×`,
      `${f(r.togetherSeconds / togetherPasses / r.plainSeconds, 2)}×`,
      `${f(perAlonePass / r.plainSeconds, 2)}× (${alonePasses} passes, b ∈ {${r.aloneBits.join(', ')}})`,
      `${isFull ? '' : '≈ '}${f(fullSweep)} s${isFull ? '' : ' (estimated)'}`,
      `${isFull ? '' : '≈ '}${f(fullSweep / r.plainSeconds)}×`,
      f(r.buildSeconds, 2),
      `${f(r.acgcSeconds)} s (${r.acgcGradientBatches} batches)`,
      `${f(r.acgcSeconds / r.plainSeconds)}×`,
    ]
  })
  return [
    `Machine: ${machine.cores} cores (${machine.cpu}), load ${loadBefore.map((l) => f(l)).join(' ')} → ${machine.loadAfter.map((l) => f(l)).join(' ')}; onnxruntime-node ${machine.onnxruntime}. b ∈ {${BITS.join(', ')}}.`,
    '',
    '| image | images | batch | model | sites | passes of the full sweep | plain evaluation (s) | unquantized pass ÷ evaluation | pass with every site ÷ evaluation | pass with one site ÷ evaluation | full sweep | full sweep ÷ evaluation | graph build (s) | AC-GC choice | AC-GC ÷ evaluation |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...lines.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n')
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '32,224' },
    images: { type: 'string', default: '2000,256' },
    batch: { type: 'string', default: '64,32' },
    // Per size, the widths each site alone runs at ('all' or b:b:…); 224²'s full sweep takes hours.
    'alone-bits': { type: 'string', default: 'all,all' },
  },
})
const list = (text: string) => text.split(',').map(Number)
const [sizes, counts, batches] = [list(values.sizes), list(values.images), list(values.batch)]
const aloneBits = values['alone-bits']
  .split(',')
  .map((entry) => (entry === 'all' ? BITS : entry.split(':').map(Number)))
const folder = mkdtempSync(join(tmpdir(), 'bench-compression-'))
const loadBefore = loadavg()
try {
  const rows: Row[] = []
  for (const [i, size] of sizes.entries()) {
    rows.push(await measure(size, counts[i] ?? 256, batches[i] ?? 32, aloneBits[i] ?? BITS, folder))
    console.error(report(rows, loadBefore))
  }
  console.log(report(rows, loadBefore))
} finally {
  rmSync(folder, { recursive: true, force: true })
}
