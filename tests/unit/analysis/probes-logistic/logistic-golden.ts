import { readFileSync } from 'node:fs'

interface GoldenFit {
  trainAccuracy?: number
  testAccuracy: number
  objective: number
  crossEntropy: number
  gradientMaxAbs: number
  iterations: number
}

interface GoldenSetFile {
  name: string
  n: number
  k: number
  classes: number
  testRows: number
  weightDecay: number
  sklearnC: number
  featureScale: number
  labelsInt8Base64: string
  featuresInt8Base64?: string
  columnsOf?: { set: string; columns: number[] }
  sklearn: GoldenFit & {
    testPredictionsBase64: string
    fitSeconds: number
    coef: number[]
    intercept: number[]
  }
  reference: GoldenFit
}

interface GoldenFile {
  command: string
  versions: Record<string, string>
  sets: GoldenSetFile[]
}

/** One data set of tests/fixtures/goldens/probes/logistic-golden.json, decoded. */
export interface LogisticGoldenSet extends GoldenSetFile {
  trainX: Float32Array
  trainLabels: Int32Array
  testX: Float32Array
  testLabels: Int32Array
  sklearnPredictions: Int32Array
  /** k×C row-major, as the probe lays W out. */
  sklearnWeights: Float64Array
  sklearnBias: Float64Array
}

function int8(base64: string): Int8Array {
  const bytes = Buffer.from(base64, 'base64')
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length)
}

function fullFeatures(set: GoldenSetFile, sets: readonly GoldenSetFile[]): Float32Array {
  if (set.featuresInt8Base64 !== undefined) {
    return Float32Array.from(int8(set.featuresInt8Base64), (code) => code * set.featureScale)
  }
  const source = sets.find((candidate) => candidate.name === set.columnsOf?.set)
  if (source === undefined || set.columnsOf === undefined) throw new Error(`${set.name}: no data.`)
  const all = fullFeatures(source, sets)
  const { columns } = set.columnsOf
  const rows = all.length / source.k
  const subset = new Float32Array(rows * columns.length)
  for (let row = 0; row < rows; row++) {
    columns.forEach(
      (column, a) => (subset[row * columns.length + a] = all[row * source.k + column]),
    )
  }
  return subset
}

/** Every set of the committed golden, with features and labels split into train and test. */
export function readLogisticGolden(): LogisticGoldenSet[] {
  const url = new URL('../../../fixtures/goldens/probes/logistic-golden.json', import.meta.url)
  const file = JSON.parse(readFileSync(url, 'utf8')) as GoldenFile
  return file.sets.map((set) => {
    const features = fullFeatures(set, file.sets)
    const labels = Int32Array.from(int8(set.labelsInt8Base64))
    const split = set.n * set.k
    return {
      ...set,
      trainX: features.slice(0, split),
      trainLabels: labels.slice(0, set.n),
      testX: features.slice(split),
      testLabels: labels.slice(set.n),
      sklearnPredictions: Int32Array.from(int8(set.sklearn.testPredictionsBase64)),
      sklearnWeights: Float64Array.from(set.sklearn.coef),
      sklearnBias: Float64Array.from(set.sklearn.intercept),
    }
  })
}
