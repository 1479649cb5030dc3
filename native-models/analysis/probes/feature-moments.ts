import type { DenseProducts } from '../linear-algebra/dense-products.ts'

/** Float64 sums over the rows of one part of the training features (uncentered). */
export interface FeatureMoments {
  count: number
  dim: number
  classes: number
  /** Σ x (d). */
  sum: Float64Array
  /** Σ x xᵀ (d×d row-major, both triangles). */
  cross: Float64Array
  /** Σ x onehot(y)ᵀ (d×C row-major). */
  featureLabel: Float64Array
  /** Rows per class (C); Σ onehot(y). */
  classCounts: Float64Array
}

/** Training features: n×d row-major float32 and one class index per row. */
export interface LabeledFeatures {
  features: Float32Array
  labels: Int32Array
  n: number
}

export interface SplitMoments {
  train: FeatureMoments
  validation: FeatureMoments
}

export function emptyMoments(dim: number, classes: number): FeatureMoments {
  return {
    count: 0,
    dim,
    classes,
    sum: new Float64Array(dim),
    cross: new Float64Array(dim * dim),
    featureLabel: new Float64Array(dim * classes),
    classCounts: new Float64Array(classes),
  }
}

/** The moments of the union of two disjoint parts. */
export function addMoments(a: FeatureMoments, b: FeatureMoments): FeatureMoments {
  const plus = (x: Float64Array, y: Float64Array): Float64Array => x.map((v, i) => v + y[i])
  return {
    count: a.count + b.count,
    dim: a.dim,
    classes: a.classes,
    sum: plus(a.sum, b.sum),
    cross: plus(a.cross, b.cross),
    featureLabel: plus(a.featureLabel, b.featureLabel),
    classCounts: plus(a.classCounts, b.classCounts),
  }
}

/**
 * One pass over row chunks (in row order) that accumulates the moments of the training part and
 * of the validation part (`isValidation[row]`) separately; the d×d and d×C products run on
 * `products`. `onChunk(done, total)` follows the rows.
 */
export async function accumulateSplitMoments(
  data: LabeledFeatures,
  dim: number,
  classes: number,
  isValidation: Uint8Array,
  products: DenseProducts,
  chunkRows: number,
  onChunk: (doneRows: number, totalRows: number) => void = () => {},
): Promise<SplitMoments> {
  const parts = { train: emptyMoments(dim, classes), validation: emptyMoments(dim, classes) }
  const chunk = {
    train: new RowBlock(chunkRows, dim, classes),
    validation: new RowBlock(chunkRows, dim, classes),
  }
  for (let start = 0; start < data.n; start += chunkRows) {
    const end = Math.min(data.n, start + chunkRows)
    chunk.train.clear()
    chunk.validation.clear()
    for (let row = start; row < end; row++) {
      const block = isValidation[row] === 1 ? chunk.validation : chunk.train
      block.append(data.features.subarray(row * dim, (row + 1) * dim), labelAt(data, row, classes))
    }
    await chunk.train.addTo(parts.train, products)
    await chunk.validation.addTo(parts.validation, products)
    onChunk(end, data.n)
  }
  return parts
}

function labelAt(data: LabeledFeatures, row: number, classes: number): number {
  const label = data.labels[row]
  if (!Number.isInteger(label) || label < 0 || label >= classes) {
    throw new RangeError(
      `Label of row ${row} must be an integer in 0..${classes - 1}, got ${label}.`,
    )
  }
  return label
}

/** Rows gathered from one chunk for one part, with their one-hot labels. */
class RowBlock {
  private rows = 0
  private readonly features: Float32Array
  private readonly oneHot: Float32Array
  private readonly dim: number
  private readonly classes: number
  private readonly labels: Int32Array

  constructor(capacity: number, dim: number, classes: number) {
    this.dim = dim
    this.classes = classes
    this.features = new Float32Array(capacity * dim)
    this.oneHot = new Float32Array(capacity * classes)
    this.labels = new Int32Array(capacity)
  }

  clear(): void {
    this.oneHot.fill(0, 0, this.rows * this.classes)
    this.rows = 0
  }

  append(row: Float32Array, label: number): void {
    this.features.set(row, this.rows * this.dim)
    this.oneHot[this.rows * this.classes + label] = 1
    this.labels[this.rows] = label
    this.rows++
  }

  async addTo(moments: FeatureMoments, products: DenseProducts): Promise<void> {
    const m = this.rows
    if (m === 0) return
    const { dim, classes } = this
    const x = this.features.subarray(0, m * dim)
    const cross = await products.crossProduct(x, m, dim)
    const featureLabel = await products.transposedProduct(
      x,
      this.oneHot.subarray(0, m * classes),
      m,
      dim,
      classes,
    )
    addInPlace(moments.cross, cross)
    addInPlace(moments.featureLabel, featureLabel)
    for (let r = 0; r < m; r++) {
      for (let j = 0; j < dim; j++) moments.sum[j] += x[r * dim + j]
      moments.classCounts[this.labels[r]] += 1
    }
    moments.count += m
  }
}

function addInPlace(target: Float64Array, values: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] += values[i]
}

/**
 * The centered covariance C = Σ x xᵀ − n μ μᵀ (d×d) and cross-covariance C_XY = Σ x yᵀ − n μ ȳᵀ
 * (d×C) of a part, in sum form (not divided by n), plus μ and ȳ.
 */
export function centeredMoments(moments: FeatureMoments): {
  covariance: Float64Array
  crossCovariance: Float64Array
  mean: Float64Array
  labelMean: Float64Array
} {
  const { count: n, dim, classes } = moments
  const mean = moments.sum.map((s) => s / n)
  const labelMean = moments.classCounts.map((c) => c / n)
  const covariance = new Float64Array(dim * dim)
  const crossCovariance = new Float64Array(dim * classes)
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      covariance[i * dim + j] = moments.cross[i * dim + j] - (moments.sum[i] * moments.sum[j]) / n
    }
    for (let c = 0; c < classes; c++) {
      crossCovariance[i * classes + c] =
        moments.featureLabel[i * classes + c] - (moments.sum[i] * moments.classCounts[c]) / n
    }
  }
  return { covariance, crossCovariance, mean, labelMean }
}
