// `npm run bench [-- --pause-training --images-224 256 --images-32 4096 --keep --no-corruptions]`:
// not part of CI, never fails on timing. Measures, in one run and back to back per resolution, a
// synthesized ResNet50 on (a) a bare ORT session, (b) the evaluation job on the tensor cache, (c)
// the evaluation job from JPEGs, (d) the statistics job, (e, f) one corruption cell decoding its
// JPEGs and from the decoded-image cache, and PyTorch on the same tensors; then every corruption's
// generation rate next to (a), and one weight-noise sample against a forward pass over 500 images.
// Prints the README's Markdown and writes tests/bench/last-run.json (git-ignored).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { CorruptionCell } from '../../electron/api/contract/index.ts'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { format, resolveConfig } from 'prettier'
import { defaultIntraOpThreads } from '../../native-models/runtime/index.ts'
import { readCachedTensors } from './cached-tensors.ts'
import { measureBareOrt } from './bare-ort.ts'
import { measureCorruptedLoaderOnly, measureDecodeOnly } from './decode-only.ts'
import { measureCorruptionRates } from './corruption-rates.ts'
import type { CorruptionRates, RateBudget } from './corruption-rates.ts'
import { measureWeightNoiseSample } from './weight-noise-sample.ts'
import type { WeightNoiseSampleCost } from './weight-noise-sample.ts'
import { BATCH_SIZE, NUM_CLASSES, prepareFixture, resolutions } from './fixtures.ts'
import type { Fixture, Resolution } from './fixtures.ts'
import { markdownReport } from './report.ts'
import type { BenchReport, MachineInfo, ResolutionResult, VariantRow } from './report.ts'
import { evaluateRequest, openBenchService, statsRequest, timeJob } from './service-jobs.ts'
import type { BenchService } from './service-jobs.ts'
import { measureTorch, torchVersion } from './torch-variant.ts'
import { describeTraining, pauseTraining, trainingPids } from './training-pause.ts'
import { machineInfo } from './machine.ts'

const LAST_RUN = new URL('./last-run.json', import.meta.url)

interface BenchOptions {
  pauseTraining: boolean
  images224: number
  images32: number
  keep: boolean
  corruptions: boolean
}

function parseOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      'pause-training': { type: 'boolean', default: false },
      'images-224': { type: 'string', default: '256' },
      'images-32': { type: 'string', default: '4096' },
      keep: { type: 'boolean', default: false },
      'no-corruptions': { type: 'boolean', default: false },
    },
  })
  return {
    pauseTraining: values['pause-training'],
    images224: Number(values['images-224']),
    images32: Number(values['images-32']),
    keep: values.keep,
    corruptions: !values['no-corruptions'],
  }
}

interface RunContext {
  bench: BenchService
  root: string
  torch: string | null
  notes: string[]
  options: BenchOptions
  corruptionRates: CorruptionRates[]
  weightNoise: WeightNoiseSampleCost | null
}

const log = (text: string): void => void process.stderr.write(`bench: ${text}\n`)

/** Warm-ups (session creation, placement profiling, statistics graph) on one batch, untimed. */
async function warmUp(context: RunContext, fixture: Fixture): Promise<void> {
  const options = { useTensorCache: false, limit: BATCH_SIZE }
  await context.bench.service.runJob(evaluateRequest(fixture, options))
  await context.bench.service.runJob(statsRequest(fixture, options))
}

async function benchResolution(
  context: RunContext,
  resolution: Resolution,
): Promise<ResolutionResult> {
  log(`${resolution.label}: writing the model and ${resolution.images} JPEGs`)
  const fixture = await prepareFixture(context.root, resolution)
  await warmUp(context, fixture)
  const rows: VariantRow[] = []
  const add = (row: VariantRow): void => {
    rows.push(row)
    log(`${resolution.label} (${row.key}) ${row.loopImagesPerSecond.toFixed(1)} img/s`)
  }
  const { bench } = context
  const fromJpeg = await timeJob(
    bench,
    fixture,
    evaluateRequest(fixture, { useTensorCache: false }),
  )
  add({ key: 'c', name: 'evaluation job, from JPEG files', ...fromJpeg })
  add({
    key: 'c0',
    name: 'JPEG decode + preprocessing only',
    ...(await measureDecodeOnly(fixture)),
  })
  const fill = await timeJob(bench, fixture, evaluateRequest(fixture, { useTensorCache: true }))
  expectCache(context, resolution, 'cold cache', fill.tensorCache, 'stored')
  const cached = await readCachedTensors(
    join(context.root, 'workspace', 'cache', 'tensors'),
    fixture,
  )
  add({
    key: 'a',
    name: 'bare ORT session, ready tensors',
    ...(await measureBareOrt(fixture.modelPath, cached.tensors)),
  })
  const warm = await timeJob(bench, fixture, evaluateRequest(fixture, { useTensorCache: true }))
  expectCache(context, resolution, '(b)', warm.tensorCache, 'hit')
  add({ key: 'b', name: 'evaluation job, tensor cache (warm)', ...warm })
  const stats = await timeJob(bench, fixture, statsRequest(fixture, { useTensorCache: true }))
  expectCache(context, resolution, '(d)', stats.tensorCache, 'hit')
  add({ key: 'd', name: 'statistics job, tensor cache (warm)', ...stats })
  if (context.torch !== null) {
    const torch = await measureTorch({ ...cached, ...cached.tensors }, defaultIntraOpThreads())
    add({ key: 'torch', name: 'PyTorch, same tensors', ...torch })
  }
  await benchCorruptionCells(context, fixture, add)
  if (context.options.corruptions) await benchGeneration(context, fixture)
  return {
    ...{ label: resolution.label, images: resolution.images, rows },
    jpeg: `${resolution.jpegSize}×${resolution.jpegSize}`,
    preprocessing: resolution.preprocessing,
  }
}

/** Cheap to generate, so the decode (or its absence) is what shows. */
const DECODE_ONCE_CELL: CorruptionCell = {
  ...{ name: 'contrast', severity: 3, seed: 0, jpegQuality: null, padding: 'before' },
}

/**
 * (e) the first corruption cell of a sweep, which decodes; (f) any later one, which does not;
 * (e0, f0) their batches alone, in the bench process.
 */
async function benchCorruptionCells(
  context: RunContext,
  fixture: Fixture,
  add: (row: VariantRow) => void,
): Promise<void> {
  const { bench, root } = context
  const label = fixture.resolution.label
  const loaderCache = join(root, 'decoded-loader-only', label)
  const loaderCold = await measureCorruptedLoaderOnly(fixture, DECODE_ONCE_CELL, loaderCache)
  expectStatus(context, `${label} (e0)`, loaderCold.decodedImageCache, 'stored')
  add({ key: 'e0', name: 'contrast-3 batches only, decoding JPEGs', ...loaderCold })
  const loaderWarm = await measureCorruptedLoaderOnly(fixture, DECODE_ONCE_CELL, loaderCache)
  expectStatus(context, `${label} (f0)`, loaderWarm.decodedImageCache, 'hit')
  add({ key: 'f0', name: 'contrast-3 batches only, decoded-image cache', ...loaderWarm })
  await rm(join(root, 'workspace', 'cache', 'decoded'), { recursive: true, force: true })
  const request = evaluateRequest(fixture, { useTensorCache: false, corruption: DECODE_ONCE_CELL })
  const cold = await timeJob(bench, fixture, request)
  expectStatus(context, `${label} (e)`, cold.decodedImageCache, 'stored')
  add({ key: 'e', name: 'contrast-3 cell, decoding JPEGs (first cell of a sweep)', ...cold })
  const warm = await timeJob(bench, fixture, request)
  expectStatus(context, `${label} (f)`, warm.decodedImageCache, 'hit')
  add({ key: 'f', name: 'contrast-3 cell, decoded-image cache (later cells)', ...warm })
}

const RATE_BUDGETS: Record<number, RateBudget> = {
  32: { seconds: 0.25, minImages: 64, maxImages: 4096 },
  224: { seconds: 1, minImages: 10, maxImages: 64 },
}

async function benchGeneration(context: RunContext, fixture: Fixture): Promise<void> {
  const size = fixture.resolution.inputSize
  const paths = fixture.imagePaths.slice(0, size === 224 ? 8 : 64)
  const budget = RATE_BUDGETS[size] ?? RATE_BUDGETS[224]
  context.corruptionRates.push(await measureCorruptionRates(fixture, paths, budget, log))
  if (size !== 32) return
  const subset = Math.min(500, fixture.resolution.images)
  context.weightNoise = await measureWeightNoiseSample(fixture, subset, 3)
  const w = context.weightNoise
  log(
    `weight noise at ${w.label}: patch ${w.patchSeconds.toFixed(2)} s + session ${w.sessionSeconds.toFixed(2)} s vs forward ${w.forwardSeconds.toFixed(2)} s over ${subset} images`,
  )
}

function expectStatus(context: RunContext, what: string, actual: unknown, expected: string): void {
  if (actual !== expected)
    context.notes.push(`${what}: decoded-image cache '${String(actual)}', expected '${expected}'.`)
}

function expectCache(
  context: RunContext,
  resolution: Resolution,
  what: string,
  actual: unknown,
  expected: string,
): void {
  if (actual === expected) return
  context.notes.push(
    `${resolution.label} ${what}: tensor cache '${String(actual)}', expected '${expected}'.`,
  )
}

const STANDING_NOTES = [
  '(a), (c0), (e0) and (f0) run in the bench process; (b) to (f) go through WorkbenchService.runJob and the forked engine (one job at a time), so "whole job" includes resolving the model (sha256 + summary of the ONNX file in the service and again in the engine), opening and fingerprinting the dataset, and storing the result.',
  '"img/s (batches)" runs from the job\'s first to its last progress report; peak RSS is VmHWM, reset (clear_refs 5) before each variant and read at its end.',
  'PyTorch runs torchvision resnet50(num_classes=10) with its own random weights (unfolded BN): same architecture and tensor sizes, not the same weights; timing does not depend on them.',
  'Each job request differs from the stored one only by a touched image mtime: the stored-result cache would otherwise answer it without running.',
  '(e) and (f) are the same sweep cell (contrast, severity 3): (e) runs with no decoded-image cache, so it decodes every JPEG as every cell did before the cache and stores the images after resize and crop; (f) reads them back and only corrupts and normalises. Their logits are identical (tests/integration/robustness/decoded-cache.test.ts).',
]

/** A load average above half the cores before the run: other work shared the machine. */
function loadNote(loadBefore: number[], cores: number): string | null {
  const [oneMinute] = loadBefore
  return oneMinute > cores / 2
    ? `The machine was shared (load average ${oneMinute.toFixed(2)} on ${cores} cores before the run): absolute figures are low and noisy; compare ratios within this run.`
    : null
}

const TRAINING_NOTE =
  'The trainer ran alongside (no --pause-training): every figure is distorted, PyTorch most (its OpenMP threads spin-wait on a busy machine); compare ratios only, or pause it.'

async function main(): Promise<void> {
  const options = parseOptions()
  const startedAt = new Date()
  const loadBefore = loadavg()
  const pids = trainingPids()
  const pause = options.pauseTraining ? pauseTraining(pids) : null
  const root = await mkdtemp(join(tmpdir(), 'resnet-bench-'))
  const bench = openBenchService(root)
  const torch = await torchVersion()
  const context: RunContext = {
    ...{ bench, root, torch, notes: [...STANDING_NOTES], options },
    ...{ corruptionRates: [], weightNoise: null },
  }
  if (pause === null && pids.length > 0) context.notes.push(TRAINING_NOTE)
  const loaded = loadNote(loadBefore, availableParallelism())
  if (loaded !== null) context.notes.push(loaded)
  const results: ResolutionResult[] = []
  let machine: MachineInfo
  try {
    for (const resolution of resolutions(options.images224, options.images32))
      results.push(await benchResolution(context, resolution))
    machine = { ...machineInfo(loadBefore, describeTraining(pids, pause !== null)), torch }
  } finally {
    pause?.resume()
    bench.close()
    if (!options.keep) await rm(root, { recursive: true, force: true })
  }
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    elapsedSeconds: (Date.now() - startedAt.getTime()) / 1000,
    ...{ machine, batchSize: BATCH_SIZE, resolutions: results, notes: context.notes },
    ...{ corruptionRates: context.corruptionRates, weightNoise: context.weightNoise },
    model: `Synthesized ResNet50 (torchvision layout, ${NUM_CLASSES} classes, BN folded, opset 17, seed 1, dynamic batch), one model per input size`,
  }
  // Formatted as `prettier --check .` expects, so a last run never fails `npm run check`.
  const filepath = fileURLToPath(LAST_RUN)
  const config = (await resolveConfig(filepath)) ?? {}
  await writeFile(filepath, await format(JSON.stringify(report), { ...config, filepath }))
  process.stdout.write(`${markdownReport(report)}\n`)
}

await main()
