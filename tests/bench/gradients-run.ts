// `npm run bench:gradients [-- --sizes 32,224]`: issue 17's benchmark, not part of CI, never fails
// on timing. For a seeded torchvision ResNet50 (BatchNorm kept, exported by tests/bench/
// gradients_torch.py) at each image size: ORT forward only, and the backward graph's forward +
// backward (per-parameter norm outputs), per image at one batch size, with peak RSS; PyTorch 1.13
// (eval-mode BatchNorm, 2 threads) on the same weights and tensors in the same run; and the first
// batch's per-parameter gradient norms compared between the two. Prints a Markdown table.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { analyzeModel, loadModel } from '../../native-models/onnx/index.ts'
import { modelParameters } from '../../native-models/onnx/parameter-keys.ts'
import { createSession } from '../../native-models/runtime/index.ts'
import { openGradientSession } from '../../native-models/runtime/gradient-session.ts'
import { buildBackwardGraph } from '../../native-models/surgery/backward/backward-graph.ts'
import { weightGeometryJob } from '../../native-models/engine/jobs/weight-geometry/weight-geometry.ts'
import { machineInfo } from './machine.ts'
import { peakRssBytes, resetPeakRss } from './process-memory.ts'

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3'
const SCRIPT = new URL('./gradients_torch.py', import.meta.url).pathname

interface SizeSettings {
  size: number
  count: number
  batch: number
}

interface TorchTiming {
  forwardImagesPerSecond: number
  backwardImagesPerSecond: number
  peakRssBytes: number
  firstBatchNorms: Record<string, number>
  torch: string
  threads: number
}

interface SizeRow {
  settings: SizeSettings
  ortForward: number
  ortBackward: number
  ortForwardRss: number | null
  ortBackwardRss: number | null
  torch: TorchTiming
  maxNormError: number
  comparedNorms: number
  buildMs: number
}

// A small file's Buffer is a view into Node's shared pool: copy out exactly its bytes.
function ownBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

function python(args: string[]): string {
  return execFileSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
}

async function timeLoop(
  count: number,
  batch: number,
  step: (start: number, size: number) => Promise<void>,
): Promise<number> {
  for (let warm = 0; warm < 2; warm += 1) await step(0, batch)
  const started = performance.now()
  for (let start = 0; start + batch <= count; start += batch) await step(start, batch)
  return (Math.floor(count / batch) * batch) / ((performance.now() - started) / 1000)
}

async function measureSize(settings: SizeSettings, folder: string): Promise<SizeRow> {
  const { size, count, batch } = settings
  const files = ['onnx', 'images', 'labels'].map((name) => join(folder, `${size}.${name}`))
  const [onnx, imagesFile, labelsFile] = files as [string, string, string]
  const common = ['--size', String(size), '--images', imagesFile, '--labels', labelsFile]
  python(['export', ...common, '--onnx', onnx, '--count', String(count)])
  const images = new Float32Array(ownBuffer(readFileSync(imagesFile)))
  const labels = Array.from(new BigInt64Array(ownBuffer(readFileSync(labelsFile))), Number)
  const perImage = 3 * size * size
  const slice = (start: number, n: number) =>
    images.subarray(start * perImage, (start + n) * perImage)

  const forward = await createSession(onnx, { provider: 'cpu' })
  resetPeakRss(process.pid)
  const ortForward = await timeLoop(count, batch, async (start, n) => {
    await forward.run({ input: { data: slice(start, n), dims: [n, 3, size, size] } })
  })
  const ortForwardRss = peakRssBytes(process.pid)
  await forward.release()

  const builtAt = performance.now()
  const analysis = analyzeModel(await loadModel(onnx))
  const graph = buildBackwardGraph(analysis, { parameterOutput: 'norm', blockOutputNorms: false })
  const buildMs = performance.now() - builtAt
  const session = await openGradientSession(graph, { provider: 'cpu' })
  resetPeakRss(process.pid)
  const ortBackward = await timeLoop(count, batch, async (start, n) => {
    await session.run(slice(start, n), [n, 3, size, size], labels.slice(start, start + n))
  })
  const ortBackwardRss = peakRssBytes(process.pid)
  const first = await session.run(slice(0, batch), [batch, 3, size, size], labels.slice(0, batch))
  await session.release()

  const torch = JSON.parse(
    python(['time', ...common, '--batch', String(batch)])
      .trim()
      .split('\n')
      .at(-1) ?? '{}',
  ) as TorchTiming
  const keyOf = new Map(
    modelParameters(analysis).parameters.map((p) => [p.initializer, p.parameterKey]),
  )
  let maxNormError = 0
  let comparedNorms = 0
  graph.parameters.forEach((parameter, i) => {
    const key = keyOf.get(parameter.initializer) ?? parameter.initializer
    const expected = torch.firstBatchNorms[key]
    if (expected === undefined) return
    comparedNorms += 1
    const error = Math.abs((first.parameterNorms[i] ?? Number.NaN) - expected) / expected
    maxNormError = Math.max(maxNormError, error)
  })
  return {
    ...{ settings, ortForward, ortBackward, ortForwardRss, ortBackwardRss, torch },
    ...{ maxNormError, comparedNorms, buildMs },
  }
}

type GeometryJob = Parameters<typeof weightGeometryJob>
/** Wall seconds of the weight-geometry job on one model, as the engine runs it (workers included). */
async function timeWeightGeometry(modelPath: string, repeats: number): Promise<number[]> {
  const job = { modelPath, request: { kind: 'weight-geometry', provider: 'cpu' } }
  const context = { report: () => undefined, signal: new AbortController().signal }
  const seconds: number[] = []
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    const started = performance.now()
    await weightGeometryJob(job as unknown as GeometryJob[0], context)
    seconds.push((performance.now() - started) / 1000)
  }
  return seconds
}

const gib = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 2 ** 30).toFixed(2)}`)

function report(rows: SizeRow[], geometrySeconds: number[], loadBefore: number[]): string {
  const machine = machineInfo(loadBefore, 'none')
  const lines = [
    `Machine: ${machine.cores} cores (${machine.cpu}), load ${loadBefore.map((l) => l.toFixed(1)).join(' ')} → ${machine.loadAfter.map((l) => l.toFixed(1)).join(' ')}; onnxruntime-node ${machine.onnxruntime}, PyTorch ${rows[0]?.torch.torch ?? '?'} (${rows[0]?.torch.threads ?? '?'} threads).`,
    '',
    '| image | batch | ORT fwd img/s | ORT fwd+bwd img/s | (fwd+bwd) ÷ fwd per image | PyTorch fwd img/s | PyTorch fwd+bwd img/s | ORT fwd+bwd ÷ PyTorch fwd+bwd (speed) | peak RSS ORT fwd / fwd+bwd / PyTorch (GiB) | max rel. error of norms (params) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ]
  for (const row of rows) {
    const { size, batch } = row.settings
    lines.push(
      `| ${size}² | ${batch} | ${row.ortForward.toFixed(1)} | ${row.ortBackward.toFixed(1)} | ${(row.ortForward / row.ortBackward).toFixed(2)}× | ${row.torch.forwardImagesPerSecond.toFixed(1)} | ${row.torch.backwardImagesPerSecond.toFixed(1)} | ${(row.ortBackward / row.torch.backwardImagesPerSecond).toFixed(2)}× | ${gib(row.ortForwardRss)} / ${gib(row.ortBackwardRss)} / ${gib(row.torch.peakRssBytes)} | ${row.maxNormError.toExponential(1)} (${row.comparedNorms}) |`,
    )
  }
  lines.push(
    '',
    `Weight geometry of the whole ResNet50 (54 conv and linear weights, the engine job's path), ${geometrySeconds.length} runs: ${geometrySeconds.map((s) => `${s.toFixed(2)} s`).join(', ')}.`,
  )
  lines.push(
    '',
    `Backward graph build (load, analyze, emit): ${rows.map((r) => `${r.settings.size}²: ${(r.buildMs / 1000).toFixed(1)} s`).join(', ')}.`,
  )
  return lines.join('\n')
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '32,224' },
    'count-32': { type: 'string', default: '96' },
    'batch-32': { type: 'string', default: '32' },
    'count-224': { type: 'string', default: '24' },
    'batch-224': { type: 'string', default: '8' },
  },
})
const loadBefore = loadavg()
const folder = mkdtempSync(join(tmpdir(), 'rnwb-gradients-bench-'))
try {
  const rows: SizeRow[] = []
  for (const size of values.sizes.split(',').map(Number)) {
    const count = Number((values as Record<string, string>)[`count-${size}`] ?? 32)
    const batch = Number((values as Record<string, string>)[`batch-${size}`] ?? 8)
    console.error(`gradients bench: ${size}², ${count} images, batch ${batch}`)
    rows.push(await measureSize({ size, count, batch }, folder))
  }
  const geometrySeconds = await timeWeightGeometry(
    join(folder, `${rows[0]?.settings.size ?? 32}.onnx`),
    3,
  )
  console.log(report(rows, geometrySeconds, loadBefore))
} finally {
  rmSync(folder, { recursive: true, force: true })
}
