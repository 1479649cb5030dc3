// Hand-run check of weight geometry on a real checkpoint (not a test): every Conv and Gemm weight
// through ortDenseProducts, timed per step, and compared with NumPy on the same weights.
//   /usr/bin/python3 tests/reference/weight_geometry_numpy.py onnx MODEL.onnx /tmp/numpy.json
//   nice node tests/reference/weight-geometry-timing.ts MODEL.onnx [/tmp/numpy.json]
import { readFileSync } from 'node:fs'
import type { LayerGeometry } from '../../native-models/analysis/weight-geometry/index.ts'
import {
  geometryFromGrams,
  layerGrams,
} from '../../native-models/analysis/weight-geometry/index.ts'
import { analyzeModel, loadModel, readInitializerFloat32 } from '../../native-models/onnx/index.ts'
import { modelParameters } from '../../native-models/onnx/parameter-keys.ts'
import { ortDenseProducts } from '../../native-models/runtime/dense-products.ts'

const [modelPath, numpyPath] = process.argv.slice(2)
if (!modelPath) throw new Error('usage: weight-geometry-timing.ts MODEL.onnx [numpy.json]')
const expected = numpyPath
  ? (JSON.parse(readFileSync(numpyPath, 'utf8')) as Record<string, LayerGeometry>)
  : {}

const loaded = await loadModel(modelPath)
const { parameters } = modelParameters(analyzeModel(loaded))
const weights = parameters.filter(
  (p) => p.role === 'weight' && (p.opType === 'Conv' || p.opType === 'Gemm'),
)
const products = ortDenseProducts()
const rows: string[] = []
const bySize = new Map<string, { count: number; grams: number; eigen: number }>()
let worst = { error: 0, where: '' }
let gramMs = 0
let eigenMs = 0
let eigenCpuMs = 0
const started = performance.now()
const startedCpu = process.cpuUsage()
for (const parameter of weights) {
  const weight = readInitializerFloat32(loaded, parameter.valuesFrom)
  const t0 = performance.now()
  const grams = await layerGrams(weight, parameter.shape, products)
  const t1 = performance.now()
  const cpu = process.cpuUsage()
  const geometry = geometryFromGrams(grams)
  const t2 = performance.now()
  const eigenCpu = process.cpuUsage(cpu)
  eigenCpuMs += (eigenCpu.user + eigenCpu.system) / 1000
  gramMs += t1 - t0
  eigenMs += t2 - t1
  const size = `${geometry.rows}×${geometry.columns}`
  const entry = bySize.get(size) ?? { count: 0, grams: 0, eigen: 0 }
  bySize.set(size, {
    count: entry.count + 1,
    grams: entry.grams + t1 - t0,
    eigen: entry.eigen + t2 - t1,
  })
  const reference = expected[parameter.valuesFrom]
  if (reference) {
    const error = maxRelativeError(geometry, reference)
    if (error.error > worst.error)
      worst = { ...error, where: `${parameter.parameterKey} ${error.where}` }
  }
  rows.push(
    `${parameter.parameterKey ?? parameter.initializer}\t${size}\t${(t1 - t0).toFixed(0)}\t${(t2 - t1).toFixed(0)}`,
  )
}
const totalMs = performance.now() - started
const totalCpu = process.cpuUsage(startedCpu)
await products.release()

console.log('parameter\tn×m\tgrams ms\teigen ms')
console.log(rows.join('\n'))
console.log('\nper size: count, grams ms, eigen ms')
for (const [size, entry] of bySize)
  console.log(`${size}\t${entry.count}\t${entry.grams.toFixed(0)}\t${entry.eigen.toFixed(0)}`)
console.log(
  `\n${weights.length} weights: grams ${gramMs.toFixed(0)} ms, eigen ${eigenMs.toFixed(0)} ms, total ${totalMs.toFixed(0)} ms`,
)
const totalCpuMs = (totalCpu.user + totalCpu.system) / 1000
console.log(
  `CPU: eigen ${eigenCpuMs.toFixed(0)} ms (one thread), whole run ${totalCpuMs.toFixed(0)} ms (ORT threads included)`,
)
if (numpyPath)
  console.log(`max relative error vs NumPy: ${worst.error.toExponential(2)} (${worst.where})`)

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
