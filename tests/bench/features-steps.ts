// The timed steps of `npm run bench:features`, each on the workbench's own code.
import type { DenseProducts } from '../../native-models/analysis/linear-algebra/dense-products.ts'
import {
  fitLogisticProbe,
  scoreLinearProbe,
} from '../../native-models/analysis/probes-logistic/index.ts'
import type { LogisticProbeFit } from '../../native-models/analysis/probes-logistic/index.ts'
import { defaultChunkRows } from '../../native-models/analysis/probes/run-ridge-probes.ts'
import { prepareT3aStream, runT3aFilters } from '../../native-models/analysis/t3a/index.ts'
import type { SupportFilter, T3aResult } from '../../native-models/analysis/t3a/index.ts'
import { ortLogisticLoss } from '../../native-models/runtime/index.ts'
import type { BenchFeatures } from './features-data.ts'

/** Wall and process CPU time of one step, ms. */
export interface Timing {
  wallMs: number
  cpuMs: number
}

export async function timed<T>(work: () => Promise<T> | T): Promise<Timing & { value: T }> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const value = await work()
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { wallMs, cpuMs: (used.user + used.system) / 1000, value }
}

/**
 * XᵀX and XᵀY over every training row in the chunks runRidgeProbes uses, timed apart (building
 * the one-hot block is not counted), and the centered covariance (sum form) for the PCA timing.
 */
export async function momentProducts(
  data: BenchFeatures,
  products: DenseProducts,
): Promise<{ cross: Timing; featureLabel: Timing; covariance: Float64Array }> {
  const { dim, classes, train } = data
  const chunkRows = defaultChunkRows(dim)
  const total = { cross: { wallMs: 0, cpuMs: 0 }, featureLabel: { wallMs: 0, cpuMs: 0 } }
  const covariance = new Float64Array(dim * dim)
  const add = (into: Timing, t: Timing): void => {
    into.wallMs += t.wallMs
    into.cpuMs += t.cpuMs
  }
  for (let start = 0; start < train.n; start += chunkRows) {
    const rows = Math.min(train.n, start + chunkRows) - start
    const x = train.features.subarray(start * dim, (start + rows) * dim)
    const oneHot = new Float32Array(rows * classes)
    for (let r = 0; r < rows; r++) oneHot[r * classes + train.labels[start + r]] = 1
    const cross = await timed(() => products.crossProduct(x, rows, dim))
    add(total.cross, cross)
    for (let i = 0; i < covariance.length; i++) covariance[i] += cross.value[i]
    add(
      total.featureLabel,
      await timed(() => products.transposedProduct(x, oneHot, rows, dim, classes)),
    )
  }
  const sum = new Float64Array(dim)
  for (let i = 0; i < train.features.length; i++) sum[i % dim] += train.features[i]
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) covariance[i * dim + j] -= (sum[i] * sum[j]) / train.n
  }
  return { ...total, covariance }
}

/**
 * A clock for RidgeProbesOptions.now that returns wall time and records process CPU time at each
 * call, so the stage timings can be read in CPU time too (the calls come in stage order).
 */
export function recordingClock(): { now: () => number; cpuMarks: number[] } {
  const cpuMarks: number[] = []
  const now = (): number => {
    const { user, system } = process.cpuUsage()
    cpuMarks.push((user + system) / 1000)
    return performance.now()
  }
  return { now, cpuMarks }
}

/** CPU ms of each stage from runRidgeProbes' 8 clock reads (start/end of 4 stages); null otherwise. */
export function stageCpu(cpuMarks: number[]): number[] | null {
  if (cpuMarks.length !== 8) return null
  return [0, 2, 4, 6].map((i) => cpuMarks[i + 1] - cpuMarks[i])
}

/** The columns `columns` of row-major n×d features, as a contiguous n×k block. */
export function gatherColumns(
  features: Float32Array,
  n: number,
  dim: number,
  columns: Int32Array,
): Float32Array {
  if (columns.length === dim) return features
  const k = columns.length
  const out = new Float32Array(n * k)
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) out[i * k + a] = features[i * dim + columns[a]]
  }
  return out
}

export interface LogisticRun {
  fraction: number
  columns: Int32Array
  fit: LogisticProbeFit
  timing: Timing
  accuracy: number
}

/** One exact logistic probe (ORT loss, L-BFGS) on `columns`, scored on the test features. */
export async function logisticProbe(
  data: BenchFeatures,
  fraction: number,
  columns: Int32Array,
  settings: { weightDecay: number; maxIterations: number; tolerance: number },
): Promise<LogisticRun> {
  const { train, test, dim, classes } = data
  const trainX = gatherColumns(train.features, train.n, dim, columns)
  const k = columns.length
  const problem = { trainX, trainLabels: train.labels, n: train.n, k, classes, ...settings }
  const timing = await timed(() => fitLogisticProbe(problem, ortLogisticLoss()))
  const fit = timing.value
  const testX = gatherColumns(test.features, test.n, dim, columns)
  const accuracy = scoreLinearProbe(testX, test.labels, fit.weights, fit.bias)
  return { fraction, columns, fit, timing, accuracy }
}

/** T3A on the test features for every filter, with a k×C probe (full layer) as the classifier. */
export async function t3aOnTest(
  data: BenchFeatures,
  probe: { weights: Float64Array; bias: Float64Array },
  filters: readonly SupportFilter[],
): Promise<{ prepare: Timing; filters: Timing & { value: T3aResult[] } }> {
  const { dim, classes, test } = data
  const weights = new Float32Array(classes * dim)
  for (let j = 0; j < dim; j++) {
    for (let c = 0; c < classes; c++) weights[c * dim + j] = probe.weights[j * classes + c]
  }
  const classifier = { weights, bias: Float32Array.from(probe.bias), classes, dim }
  const prepare = await timed(() => prepareT3aStream(test.features, classifier, test.labels))
  const results = await timed(() => runT3aFilters(prepare.value, filters))
  return { prepare, filters: results }
}
