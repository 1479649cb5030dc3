import type { DenseProducts } from '../linear-algebra/dense-products.ts'
import type { LabeledFeatures } from './feature-moments.ts'

/** Which rows and columns of a feature matrix a probe reads; null: all of them. */
export interface FeatureView {
  data: LabeledFeatures
  dim: number
  rows: Int32Array | null
  columns: Int32Array | null
}

/** The rows scored, all columns: each probe names the columns it reads. */
export type RowView = Omit<FeatureView, 'columns'>

/** A linear probe to score: scores = x[columns] W + b (W: columns×C row-major; null: all d). */
export interface ScoredProbe {
  columns: Int32Array | null
  weights: Float64Array
  bias: Float64Array
}

/** Rows per scoring chunk: the float64 copy of a chunk stays near 16 MB. */
export function scoringChunkRows(width: number): number {
  return Math.max(1, Math.floor(2_097_152 / Math.max(1, width)))
}

/** Top-1 accuracy of scores = x_view W + b (first class on ties). */
export async function probeAccuracy(
  view: FeatureView,
  weights: Float64Array,
  bias: Float64Array,
  classes: number,
  products: DenseProducts,
): Promise<number> {
  const probe = { columns: view.columns, weights, bias }
  const [accuracy] = await probeAccuracies(view, [probe], classes, products)
  return accuracy
}

/**
 * Top-1 accuracy of every probe on the same rows (first class on ties), in one pass: each chunk of
 * rows is widened to float64 once, on the union of the probes' columns, and multiplied on
 * `products` by all the probes' weights side by side (zero where a probe skips a column).
 * Widening the rows once per probe instead cost more than every product together.
 */
export async function probeAccuracies(
  view: RowView,
  probes: readonly ScoredProbe[],
  classes: number,
  products: DenseProducts,
): Promise<number[]> {
  if (probes.length === 0) return []
  const rows = view.rows ?? Int32Array.from({ length: view.data.n }, (_, i) => i)
  if (rows.length === 0) return probes.map(() => 0)
  const columns = unionOfColumns(probes, view.dim)
  const width = columns?.length ?? view.dim
  const stacked = stackWeights(probes, columns, width, view.dim, classes)
  const outputs = probes.length * classes
  const chunkRows = Math.min(rows.length, scoringChunkRows(width))
  const block = new Float64Array(chunkRows * width)
  const correct = new Array<number>(probes.length).fill(0)
  for (let start = 0; start < rows.length; start += chunkRows) {
    const chunk = rows.subarray(start, Math.min(rows.length, start + chunkRows))
    gatherRows(view.data.features, view.dim, chunk, columns, block)
    const scores = await products.multiply(
      block.subarray(0, chunk.length * width),
      stacked,
      chunk.length,
      width,
      outputs,
    )
    for (let r = 0; r < chunk.length; r++) {
      const label = view.data.labels[chunk[r]]
      for (let p = 0; p < probes.length; p++) {
        const offset = r * outputs + p * classes
        if (argmaxWithBias(scores, offset, probes[p].bias) === label) correct[p]++
      }
    }
  }
  return correct.map((count) => count / rows.length)
}

/** The ascending union of the probes' columns; null when one reads them all. */
function unionOfColumns(probes: readonly ScoredProbe[], dim: number): Int32Array | null {
  if (probes.some((probe) => probe.columns === null)) return null
  const used = new Uint8Array(dim)
  for (const probe of probes) for (const j of probe.columns ?? []) used[j] = 1
  const union: number[] = []
  for (let j = 0; j < dim; j++) if (used[j] === 1) union.push(j)
  return union.length === dim ? null : Int32Array.from(union)
}

/** width × (P·C): probe p's weights in columns p·C…, each on the rows of its own columns. */
function stackWeights(
  probes: readonly ScoredProbe[],
  union: Int32Array | null,
  width: number,
  dim: number,
  classes: number,
): Float64Array {
  const outputs = probes.length * classes
  const stacked = new Float64Array(width * outputs)
  const position = new Int32Array(dim)
  for (let a = 0; a < width; a++) position[union === null ? a : union[a]] = a
  for (const [p, probe] of probes.entries()) {
    const k = probe.weights.length / classes
    for (let a = 0; a < k; a++) {
      const row = position[probe.columns === null ? a : probe.columns[a]]
      const target = row * outputs + p * classes
      for (let c = 0; c < classes; c++) stacked[target + c] = probe.weights[a * classes + c]
    }
  }
  return stacked
}

/** block[r, a] = features[rows[r], columns[a]] (null: every column), widened to float64. */
function gatherRows(
  features: Float32Array,
  dim: number,
  rows: Int32Array,
  columns: Int32Array | null,
  block: Float64Array,
): void {
  if (columns === null) {
    for (let r = 0; r < rows.length; r++) {
      block.set(features.subarray(rows[r] * dim, (rows[r] + 1) * dim), r * dim)
    }
    return
  }
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
