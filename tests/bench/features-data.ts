// The features of `npm run bench:features`: seeded synthetic class-structured features, or two
// feature cache files of a workspace; and the .npy copies scikit-learn reads.
import { readFile, writeFile } from 'node:fs/promises'
import { readFeatureCacheFile } from '../../native-models/data/feature-cache-file.ts'
import type { LabeledFeatures } from '../../native-models/analysis/probes/index.ts'
import { createRandomStream } from '../../native-models/analysis/uncertainty/xoshiro128.ts'

export interface BenchFeatures {
  train: LabeledFeatures
  test: LabeledFeatures
  dim: number
  classes: number
  /** Where the features came from, for the report. */
  description: string
}

export interface SyntheticShape {
  train: number
  test: number
  dim: number
  classes: number
}

const CLASS_RANK = 16
const CENTRE_SCALE = 0.25
const SCATTER_SCALE = 0.35

/**
 * Pooled-ReLU-like features: x = max(0, 0.5 + Bᵀ(c_y + z) + ε) with class centres c_y (uniform,
 * ±0.25 per coordinate) in a rank-16 subspace (B: 16×d, uniform ±1), within-class scatter z
 * (uniform, ±0.35) in the same subspace, so classes overlap whatever the width, and independent
 * triangular noise ε on (−1, 1). Seeded: every run sees the same data.
 */
export function syntheticFeatures(shape: SyntheticShape): BenchFeatures {
  const random = createRandomStream(16)
  const uniform = (): number => random.nextUint32() / 2 ** 31 - 1
  const { dim, classes } = shape
  const classBasis = Float32Array.from({ length: CLASS_RANK * dim }, uniform)
  const centres = Float32Array.from({ length: classes * CLASS_RANK }, uniform)
  const means = new Float32Array(classes * dim)
  for (let c = 0; c < classes; c++) {
    for (let r = 0; r < CLASS_RANK; r++) {
      const weight = CENTRE_SCALE * centres[c * CLASS_RANK + r]
      for (let j = 0; j < dim; j++) means[c * dim + j] += weight * classBasis[r * dim + j]
    }
  }
  const draw = (n: number): LabeledFeatures => {
    const labels = Int32Array.from({ length: n }, () => random.nextIndexBelow(classes))
    const features = new Float32Array(n * dim)
    const scatter = new Float32Array(CLASS_RANK)
    for (let i = 0; i < n; i++) {
      const row = features.subarray(i * dim, (i + 1) * dim)
      row.set(means.subarray(labels[i] * dim, (labels[i] + 1) * dim))
      for (let r = 0; r < CLASS_RANK; r++) scatter[r] = SCATTER_SCALE * uniform()
      for (let r = 0; r < CLASS_RANK; r++) {
        for (let j = 0; j < dim; j++) row[j] += scatter[r] * classBasis[r * dim + j]
      }
      for (let j = 0; j < dim; j++) {
        const bits = random.nextUint32()
        const noise = ((bits & 0xffff) + (bits >>> 16)) / 65535 - 1
        row[j] = Math.max(0, row[j] + 0.5 + noise)
      }
    }
    return { features, labels, n }
  }
  return {
    train: draw(shape.train),
    test: draw(shape.test),
    dim,
    classes,
    description:
      `seeded synthetic features (not a model's): class means and within-class scatter in a ` +
      `rank-${CLASS_RANK} subspace, independent noise, clamped at 0 like pooled ReLU outputs`,
  }
}

/** The key and size a feature cache file's own header records. */
async function cacheHeader(path: string): Promise<{ key: string; size: number }> {
  const bytes = await readFile(path)
  const length = bytes.readUInt32LE(8)
  const header = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8')) as {
    key: string
    size: number
  }
  return { key: header.key, size: header.size }
}

async function readCache(path: string): Promise<LabeledFeatures & { dim: number }> {
  const cached = await readFeatureCacheFile(path, await cacheHeader(path))
  if (cached === null) throw new Error(`${path} is not a complete feature cache file.`)
  return { features: cached.features, labels: cached.labels, n: cached.size, dim: cached.dim }
}

/** Two feature cache files of a workspace; the classes are the largest label + 1. */
export async function cachedFeatures(trainPath: string, testPath: string): Promise<BenchFeatures> {
  const train = await readCache(trainPath)
  const test = await readCache(testPath)
  if (train.dim !== test.dim) {
    throw new Error(`Feature widths differ: ${train.dim} (train) and ${test.dim} (test).`)
  }
  const classes = Math.max(...train.labels, ...test.labels) + 1
  return {
    train,
    test,
    dim: train.dim,
    classes,
    description: `feature cache files ${trainPath} and ${testPath}`,
  }
}

/** A little-endian .npy (format 1.0) of a C-order float64, float32 or int32 array. */
export async function writeNpy(
  path: string,
  values: Float64Array | Float32Array | Int32Array,
  shape: number[],
): Promise<void> {
  const descr =
    values instanceof Float64Array ? '<f8' : values instanceof Float32Array ? '<f4' : '<i4'
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`
  const unpadded = 10 + dict.length + 1
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const preamble = Buffer.alloc(10)
  preamble.write('\x93NUMPY', 0, 'latin1')
  preamble.writeUInt8(1, 6)
  preamble.writeUInt16LE(header.length, 8)
  const body = Buffer.from(values.buffer, values.byteOffset, values.byteLength)
  await writeFile(path, Buffer.concat([preamble, Buffer.from(header, 'latin1'), body]))
}
