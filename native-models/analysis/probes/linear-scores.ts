import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import type { LabeledFeatures } from './feature-moments.ts'

/** Which rows and columns of a feature matrix a probe reads; null: all of them. */
export interface FeatureView {
  data: LabeledFeatures
  dim: number
  rows: Int32Array | null
  columns: Int32Array | null
}

/** Rows per scoring chunk: the float64 copy of a chunk stays near 16 MB. */
export function scoringChunkRows(width: number): number {
  return Math.max(1, Math.floor(2_097_152 / Math.max(1, width)))
}

/**
 * Top-1 accuracy of scores = x_view W + b (W: columns×C row-major float64; first class on ties).
 * The rows are widened to float64 chunk by chunk and multiplied on `products`.
 */
export async function probeAccuracy(
  view: FeatureView,
  weights: Float64Array,
  bias: Float64Array,
  classes: number,
  products: DenseProducts,
): Promise<number> {
  const rows = view.rows ?? Int32Array.from({ length: view.data.n }, (_, i) => i)
  const columns = view.columns ?? Int32Array.from({ length: view.dim }, (_, j) => j)
  const width = columns.length
  if (rows.length === 0) return 0
  const chunkRows = Math.min(rows.length, scoringChunkRows(width))
  const block = new Float64Array(chunkRows * width)
  let correct = 0
  for (let start = 0; start < rows.length; start += chunkRows) {
    const chunk = rows.subarray(start, Math.min(rows.length, start + chunkRows))
    gatherRows(view.data.features, view.dim, chunk, columns, block)
    const scores = await products.multiply(
      block.subarray(0, chunk.length * width),
      weights,
      chunk.length,
      width,
      classes,
    )
    for (const [r, row] of chunk.entries()) {
      if (argmaxWithBias(scores, r * classes, bias) === view.data.labels[row]) correct++
    }
  }
  return correct / rows.length
}

/** block[r, a] = features[rows[r], columns[a]], widened to float64. */
function gatherRows(
  features: Float32Array,
  dim: number,
  rows: Int32Array,
  columns: Int32Array,
  block: Float64Array,
): void {
  const width = columns.length
  for (let r = 0; r < rows.length; r++) {
    const source = rows[r] * dim
    const target = r * width
    for (let a = 0; a < width; a++) block[target + a] = features[source + columns[a]]
  }
}

function argmaxWithBias(scores: Float64Array, offset: number, bias: Float64Array): number {
  let best = 0
  let bestScore = scores[offset] + bias[0]
  for (let c = 1; c < bias.length; c++) {
    const score = scores[offset + c] + bias[c]
    if (score > bestScore) {
      best = c
      bestScore = score
    }
  }
  return best
}
