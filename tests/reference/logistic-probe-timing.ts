// Hand-run timing of the exact logistic probe at cached-feature size (not a test):
//   nice node tests/reference/logistic-probe-timing.ts [n=54000] [k=2048] [classes=10] \
//     [weightDecay=5e-4] [tolerance=1e-6] [sklearn=1]
// Features are seeded, non-negative like pooled ReLU outputs: ReLU(class mean + 32 shared factors
// + noise), 10 % of labels flipped. One loss+gradient evaluation is timed, then the fit; with
// sklearn=1 the same rows go through tests/reference/logistic_probe_sklearn_timing.py
// (Debian's python3-sklearn, 2 threads) and both objectives are evaluated by the same float64 code.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  fitLogisticProbe,
  logisticLossAndGradient,
  scoreLinearProbe,
} from '../../native-models/analysis/probes-logistic/index.ts'
import type { LogisticData } from '../../native-models/analysis/probes-logistic/index.ts'
import { openLogisticLoss, ortLogisticLoss } from '../../native-models/runtime/logistic-loss.ts'
import { SeededRandom } from '../../native-models/surgery/prng.ts'

const [n, k, classes, weightDecay, tolerance, runSklearn] = [54_000, 2048, 10, 5e-4, 1e-6, 1].map(
  (fallback, i) => Number(process.argv[2 + i] ?? fallback),
)
const testRows = 6000
const threads = { intraOpNumThreads: 2 }

function synthesize(
  rows: number,
  random: SeededRandom,
  means: Float32Array,
  factors: Float32Array,
) {
  const labels = Int32Array.from({ length: rows }, () => Math.floor(random.nextFloat64() * classes))
  const features = random.fillNormal(new Float32Array(rows * k), 0, 0.6)
  const z = new Float32Array(32)
  for (let row = 0; row < rows; row++) {
    random.fillNormal(z, 0, 1)
    const offset = row * k
    for (let j = 0; j < k; j++) {
      let value = features[offset + j] + means[labels[row] * k + j]
      for (let f = 0; f < 32; f++) value += 0.15 * z[f] * factors[f * k + j]
      features[offset + j] = Math.max(0, value)
    }
    if (random.nextFloat64() < 0.1) labels[row] = Math.floor(random.nextFloat64() * classes)
  }
  return { features, labels }
}

function objective(data: LogisticData, weights: Float64Array, bias: Float64Array): number {
  const { loss } = logisticLossAndGradient(data, weights, bias)
  let squared = 0
  for (const w of weights) squared += w * w
  return loss + (weightDecay / 2) * squared
}

function npy(array: Float32Array | Int32Array, dims: number[]): Uint8Array {
  const descr = array instanceof Float32Array ? '<f4' : '<i4'
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims.join(', ')},), }`
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n'
  const prefix = new Uint8Array(10 + header.length)
  prefix.set([
    0x93,
    ...new TextEncoder().encode('NUMPY'),
    1,
    0,
    header.length & 255,
    header.length >> 8,
  ])
  prefix.set(new TextEncoder().encode(header), 10)
  const bytes = new Uint8Array(prefix.length + array.byteLength)
  bytes.set(prefix)
  bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), prefix.length)
  return bytes
}

const random = new SeededRandom(16, 'logistic-probe-timing')
const means = random.fillNormal(new Float32Array(classes * k), 0.2, 0.12)
const factors = random.fillNormal(new Float32Array(32 * k), 0, 1)
let started = performance.now()
const train = synthesize(n, random, means, factors)
const test = synthesize(testRows, random, means, factors)
console.log(
  `${n}+${testRows} × ${k}, C = ${classes}: synthesized in ${(performance.now() - started).toFixed(0)} ms`,
)

const data: LogisticData = { features: train.features, labels: train.labels, n, k, classes }
const loss = await openLogisticLoss(data, threads)
const zeros = [new Float64Array(k * classes), new Float64Array(classes)] as const
// CPU time beside wall time: on a shared 2-core machine the wall time depends on the neighbours.
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since)
  return ((used.user + used.system) / 1e6).toFixed(2)
}
for (let run = 0; run < 6; run++) {
  started = performance.now()
  const cpu = process.cpuUsage()
  await loss.evaluate(...zeros)
  const wall = (performance.now() - started).toFixed(0)
  console.log(`loss+gradient evaluation ${run + 1}: ${wall} ms wall, ${cpuSeconds(cpu)} s CPU`)
}
await loss.release()

started = performance.now()
const fitCpu = process.cpuUsage()
const fit = await fitLogisticProbe(
  {
    trainX: train.features,
    trainLabels: train.labels,
    n,
    k,
    classes,
    weightDecay,
    maxIterations: 2000,
    tolerance,
  },
  ortLogisticLoss(threads),
)
const fitMs = performance.now() - started
const ours = {
  iterations: fit.iterations,
  evaluations: fit.evaluations,
  stopReason: fit.stopReason,
  gradientMaxAbs: fit.gradientMaxAbs,
  seconds: fitMs / 1000,
  cpuSeconds: Number(cpuSeconds(fitCpu)),
  objective: objective(data, fit.weights, fit.bias),
  testAccuracy: scoreLinearProbe(test.features, test.labels, fit.weights, fit.bias),
}
console.log('ours', JSON.stringify(ours))

if (runSklearn === 1) {
  const folder = mkdtempSync(join(tmpdir(), 'logistic-timing-'))
  try {
    writeFileSync(join(folder, 'train_x.npy'), npy(train.features, [n, k]))
    writeFileSync(join(folder, 'train_y.npy'), npy(train.labels, [n]))
    writeFileSync(join(folder, 'test_x.npy'), npy(test.features, [testRows, k]))
    writeFileSync(join(folder, 'test_y.npy'), npy(test.labels, [testRows]))
    const script = new URL('logistic_probe_sklearn_timing.py', import.meta.url).pathname
    const env = { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' }
    const result = spawnSync('/usr/bin/python3', [script, folder, String(weightDecay)], {
      env,
      encoding: 'utf8',
    })
    if (result.status !== 0) throw new Error(`sklearn failed: ${result.stderr}`)
    const sklearn = JSON.parse(result.stdout) as { coef: number[]; intercept: number[] } & Record<
      string,
      unknown
    >
    const weights = Float64Array.from(sklearn.coef)
    const bias = Float64Array.from(sklearn.intercept)
    const { coef: _coef, intercept: _intercept, ...summary } = sklearn
    console.log(
      'sklearn',
      JSON.stringify({ ...summary, objective: objective(data, weights, bias) }),
    )
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
