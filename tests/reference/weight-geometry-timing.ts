// Hand-run check of weight geometry on a real checkpoint (not a test): every Conv and Gemm weight,
// timed, and compared with NumPy on the same weights. By default it runs the job's schedule (Grams
// on ORT in this thread, eigenvalues in worker threads); --serial runs both steps here, one layer
// after the other, with ORT on every core (the job's schedule before the workers), per layer size.
// The engine runs with glibc's huge-page tunable (engine-env.ts), so time it the same way:
//   /usr/bin/python3 tests/reference/weight_geometry_numpy.py onnx MODEL.onnx /tmp/numpy.json
//   GLIBC_TUNABLES=glibc.malloc.hugetlb=1 nice node tests/reference/weight-geometry-timing.ts \
//     MODEL.onnx [/tmp/numpy.json] [--serial]
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import type { LayerGeometry } from '../../native-models/analysis/weight-geometry/index.ts'
import {
  geometryFromGrams,
  layerGrams,
} from '../../native-models/analysis/weight-geometry/index.ts'
import { EigenvaluePool } from '../../native-models/engine/jobs/weight-geometry/eigenvalue-pool.ts'
import { filterWeights } from '../../native-models/engine/jobs/weight-geometry/filter-weights.ts'
import type { FilterWeight } from '../../native-models/engine/jobs/weight-geometry/filter-weights.ts'
import { layerGeometries } from '../../native-models/engine/jobs/weight-geometry/layer-geometries.ts'
import { analyzeModel, loadModel } from '../../native-models/onnx/index.ts'
import { ortDenseProducts } from '../../native-models/runtime/dense-products.ts'

const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'))
const [modelPath, numpyPath] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
if (!modelPath)
  throw new Error('usage: weight-geometry-timing.ts MODEL.onnx [numpy.json] [--serial]')
const isSerial = flags.includes('--serial')
const expected = numpyPath
  ? (JSON.parse(readFileSync(numpyPath, 'utf8')) as Record<string, LayerGeometry>)
  : {}

const loadBefore = loadavg()[0]
const started = performance.now()
const startedCpu = process.cpuUsage()
// As in the job: the workers load while this thread reads the model.
const pool = isSerial ? null : new EigenvaluePool()
const { weights } = filterWeights(analyzeModel(await loadModel(modelPath)))
const loadMs = performance.now() - started
const { geometries, gramsMs, eigenMs } =
  pool === null ? await serialGeometries(weights) : await pooledGeometries(weights, pool)
const totalMs = performance.now() - started
const totalCpu = process.cpuUsage(startedCpu)

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
console.log(
  `${weights.length} weights, ${isSerial ? 'serial' : 'Grams here, eigenvalues in workers'}: ` +
    `load + read ${seconds(loadMs)}, Grams ${seconds(gramsMs)}, eigen ${seconds(eigenMs)}` +
    `${isSerial ? '' : ' (summed over workers)'}, total ${seconds(totalMs)}`,
)
console.log(
  `CPU ${seconds((totalCpu.user + totalCpu.system) / 1000)} (every thread); ` +
    `load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
)
if (numpyPath) {
  let worst = { error: 0, where: '' }
  weights.forEach((weight, i) => {
    const reference = expected[weight.parameter.valuesFrom]
    if (!reference) throw new Error(`${numpyPath} has no '${weight.parameter.valuesFrom}'.`)
    const error = maxRelativeError(geometries[i], reference)
    if (error.error > worst.error)
      worst = { ...error, where: `${weight.parameter.parameterKey} ${error.where}` }
  })
  console.log(`max relative error vs NumPy: ${worst.error.toExponential(2)} (${worst.where})`)
}

async function pooledGeometries(weights: FilterWeight[], pool: EigenvaluePool) {
  const products = ortDenseProducts({ intraOpNumThreads: 1 })
  try {
    const context = { signal: new AbortController().signal, report: () => undefined }
    return await layerGeometries(weights, products, pool, context)
  } finally {
    await pool.close()
    await products.release()
  }
}

async function serialGeometries(weights: FilterWeight[]) {
  const products = ortDenseProducts()
  const bySize = new Map<string, { count: number; grams: number; eigen: number }>()
  const geometries: LayerGeometry[] = []
  let [gramsMs, eigenMs] = [0, 0]
  for (const weight of weights) {
    const t0 = performance.now()
    const grams = await layerGrams(weight.values, weight.filtersFirst, products)
    const t1 = performance.now()
    const geometry = geometryFromGrams(grams)
    const t2 = performance.now()
    geometries.push(geometry)
    gramsMs += t1 - t0
    eigenMs += t2 - t1
    const size = `${geometry.rows}×${geometry.columns}`
    const entry = bySize.get(size) ?? { count: 0, grams: 0, eigen: 0 }
    bySize.set(size, {
      count: entry.count + 1,
      grams: entry.grams + t1 - t0,
      eigen: entry.eigen + t2 - t1,
    })
  }
  await products.release()
  console.log('n×m\tcount\tGrams ms\teigen ms')
  for (const [size, entry] of bySize)
    console.log(`${size}\t${entry.count}\t${entry.grams.toFixed(0)}\t${entry.eigen.toFixed(0)}`)
  return { geometries, gramsMs, eigenMs }
}

function maxRelativeError(
  actual: LayerGeometry,
  reference: LayerGeometry,
): { error: number; where: string } {
  let result = { error: 0, where: '' }
  const fields = [
    'frobenius',
    'orthogonality',
    'regularizer',
    'regularizerFloor',
    'meanAbsCos',
    'stableRank',
    'effectiveRank',
  ] as const
  for (const field of fields) {
    const error =
      Math.abs(actual[field] - reference[field]) / Math.max(Math.abs(reference[field]), 1e-300)
    if (error > result.error) result = { error, where: field }
  }
  // Singular values relative to σ_max: the Gram squares the condition number.
  const scale = reference.singularValues[0] ?? 1
  reference.singularValues.forEach((sigma, i) => {
    const error = Math.abs((actual.singularValues[i] ?? NaN) - sigma) / scale
    if (!(error <= result.error)) result = { error, where: `σ${i} (relative to σ_max)` }
  })
  return result
}
