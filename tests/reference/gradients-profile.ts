// `node tests/bench/with-engine-env.ts tests/reference/gradients-profile.ts <model.onnx>
// <images.f32> <labels.i64> [--batch 32] [--runs 6] [--threads 2] [--variant <backward-graph.ts>]…
// [--profile] [--top 25] [--nodes <regexp>]`: speed work on the backward graph, not part of CI.
// Times the model's forward-only session and the backward graph's forward + backward (norm
// outputs), plus the graph of each --variant module (a copy of native-models/surgery/backward/
// with a change to compare), interleaved run by run so that all see the same machine load; prints
// median and minimum ms per batch. --profile: three more runs of each session under ORT's profiler,
// kernel time summed per backward part ('WeightGradientGemm', 'InputGradient', …) and op type (with
// the profiled runs' wall time, to see time spent outside kernels), and
// the nodes whose names match --nodes. Inputs: `tests/bench/gradients_torch.py export`.
import { readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { InferenceSession, Tensor } from 'onnxruntime-node'
import { analyzeModel, loadModel } from '../../native-models/onnx/index.ts'
import { buildBackwardGraph } from '../../native-models/surgery/backward/backward-graph.ts'

interface ProfileEvent {
  cat?: string
  name?: string
  dur?: number
  args?: { op_name?: string }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    batch: { type: 'string', default: '32' },
    runs: { type: 'string', default: '6' },
    threads: { type: 'string', default: '2' },
    profile: { type: 'boolean', default: false },
    top: { type: 'string', default: '25' },
    nodes: { type: 'string' },
    variant: { type: 'string', multiple: true },
  },
})
const [modelPath = '', imagesPath = '', labelsPath = ''] = positionals
const batch = Number(values.batch)
const threads = Number(values.threads)

function ownBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

const images = new Float32Array(ownBuffer(readFileSync(imagesPath)))
const labels = new BigInt64Array(ownBuffer(readFileSync(labelsPath)))
const size = Math.round(Math.sqrt(images.length / labels.length / 3))
const dims = [batch, 3, size, size]
const imageTensor = new Tensor('float32', images.subarray(0, batch * 3 * size * size), dims)
const labelTensor = new Tensor('int64', labels.subarray(0, batch), [batch])

type Build = typeof buildBackwardGraph
const analysis = analyzeModel(await loadModel(modelPath))
const builders: { label: string; build: Build }[] = [{ label: 'tree', build: buildBackwardGraph }]
for (const path of values.variant ?? []) {
  const module = (await import(resolve(path))) as { buildBackwardGraph: Build }
  builders.push({ label: path, build: module.buildBackwardGraph })
}
const graphs = builders.map(({ label, build }) => {
  const builtAt = performance.now()
  const graph = build(analysis, { parameterOutput: 'norm', blockOutputNorms: false })
  console.log(`${label}: graph built in ${(performance.now() - builtAt).toFixed(0)} ms`)
  return { label, graph }
})

const sessionOptions = (profileFolder?: string): InferenceSession.SessionOptions => ({
  executionProviders: ['cpu'],
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  ...(profileFolder === undefined
    ? {}
    : { enableProfiling: true, profileFilePrefix: join(profileFolder, 'run') }),
})
const forwardModel = new Uint8Array(readFileSync(modelPath))
const forwardFeeds = { input: imageTensor }
const candidates = [
  { label: 'forward only', model: forwardModel, feeds: forwardFeeds },
  ...graphs.map(({ label, graph }) => ({
    label: `fwd+bwd ${label}`,
    model: graph.model,
    feeds: { [graph.imageInput]: imageTensor, [graph.labelsInput]: labelTensor },
  })),
]
const sessions = await Promise.all(
  candidates.map((c) => InferenceSession.create(c.model, sessionOptions())),
)
const times = candidates.map((): number[] => [])
for (let run = -2; run < Number(values.runs); run += 1) {
  for (const [i, session] of sessions.entries()) {
    const started = performance.now()
    await session.run(candidates[i]?.feeds ?? {})
    if (run >= 0) times[i]?.push(performance.now() - started)
  }
}
for (const session of sessions) await session.release()
const median = (list: number[]): number => [...list].sort((a, b) => a - b)[list.length >> 1] ?? 0
const forwardMs = times[0] ?? []
console.log(
  `batch ${batch} at ${size}², ${values.runs} interleaved runs, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
for (const [i, list] of times.entries()) {
  const ratios = list.map((ms, run) => ms / (forwardMs[run] ?? 1))
  console.log(
    `${candidates[i]?.label}: median ${median(list).toFixed(1)} ms, min ${Math.min(...list).toFixed(1)} ms, ` +
      `÷ forward per run: median ${median(ratios).toFixed(2)}×, min/min ${(Math.min(...list) / Math.min(...forwardMs)).toFixed(2)}×`,
  )
}

async function profile(model: Uint8Array, feeds: Record<string, Tensor>): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'gradients-profile-'))
  const profiled = await InferenceSession.create(model, sessionOptions(folder))
  await profiled.run(feeds)
  const startedAt = performance.now()
  for (let run = 0; run < 3; run += 1) await profiled.run(feeds)
  const wallMs = (performance.now() - startedAt) / 3
  profiled.endProfiling()
  await profiled.release()
  const file = readdirSync(folder).find((name) => name.endsWith('.json')) ?? ''
  const events = JSON.parse(readFileSync(join(folder, file), 'utf8')) as ProfileEvent[]
  rmSync(folder, { recursive: true, force: true })
  const totals = new Map<string, number>()
  // The first run (memory planning, first-touch allocations) is left out.
  const kernels = events.filter((e) => e.cat === 'Node' && (e.name ?? '').endsWith('_kernel_time'))
  for (const event of kernels.slice(kernels.length / 4)) {
    const name = event.name ?? ''
    const part = /\/Backward\/([A-Za-z]+)/.exec(name)?.[1] ?? /GradientNorm/.exec(name)?.[0]
    const key = `${part ?? 'forward'} ${event.args?.op_name ?? '?'}`
    totals.set(key, (totals.get(key) ?? 0) + (event.dur ?? 0) / 1000 / 3)
  }
  const rows = [...totals].sort((a, b) => b[1] - a[1])
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0)
  console.log(`profiled kernel time per run: ${total.toFixed(1)} ms (wall ${wallMs.toFixed(1)} ms)`)
  for (const [key, ms] of rows.slice(0, Number(values.top))) {
    console.log(`${ms.toFixed(1).padStart(8)} ms  ${key}`)
  }
  if (values.nodes !== undefined) {
    const pattern = new RegExp(values.nodes)
    for (const event of kernels.slice((kernels.length * 3) / 4)) {
      if (!pattern.test(event.name ?? '')) continue
      const ms = ((event.dur ?? 0) / 1000).toFixed(2).padStart(7)
      console.log(`${ms} ms  ${event.args?.op_name ?? '?'}  ${event.name ?? ''}`)
    }
  }
}

if (values.profile) {
  for (const candidate of candidates) {
    console.log(`\n${candidate.label}`)
    await profile(candidate.model, candidate.feeds)
  }
}
