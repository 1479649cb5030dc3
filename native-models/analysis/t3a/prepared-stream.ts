import { multiplyRowsByRows, rowDot, rowViews } from './row-products.ts'
import type { LinearClassifier } from './types.ts'

// torch.nn.functional.normalize's default eps: a zero vector stays zero.
const NORMALIZE_EPS = 1e-12

/**
 * What every M shares: base logits, pseudo-labels and entropies of the warm-up rows and of
 * the stream. Support ids 0..C-1 are the classifier rows, C + i is stream image i.
 */
export interface PreparedStream {
  readonly classifier: LinearClassifier
  /** N × d row-major float32, stream order. */
  readonly features: Float32Array
  readonly count: number
  readonly labels: Int32Array | null
  /** (C + N): argmax of W·v + b, first index on ties. */
  readonly pseudoLabels: Int32Array
  /** (C + N): softmax entropy of W·v + b, nats. */
  readonly entropies: Float64Array
  /** (C + N): 1 / max(‖v‖, 1e-12). */
  readonly inverseNorms: Float64Array
}

/** Index of the largest of values[offset .. offset + length), the first one on ties. */
export function argmax(values: Float64Array, offset = 0, length = values.length - offset): number {
  let best = 0
  for (let k = 1; k < length; k++) if (values[offset + k] > values[offset + best]) best = k
  return best
}

/**
 * −Σ softmax(x)·log_softmax(x) of x = values[offset .. offset + length), written as
 * logsumexp(x) − Σ softmax(x)·x.
 */
export function softmaxEntropy(
  values: Float64Array,
  offset = 0,
  length = values.length - offset,
): number {
  let max = -Infinity
  for (let k = 0; k < length; k++) if (values[offset + k] > max) max = values[offset + k]
  let total = 0
  let weighted = 0
  for (let k = 0; k < length; k++) {
    const x = values[offset + k] - max
    const e = Math.exp(x)
    total += e
    weighted += e * x
  }
  return Math.log(total) - weighted / total
}

function assertClassifier(c: LinearClassifier): void {
  if (!Number.isInteger(c.classes) || c.classes < 1 || !Number.isInteger(c.dim) || c.dim < 1)
    throw new RangeError(`Classifier needs C ≥ 1 and d ≥ 1, got C=${c.classes}, d=${c.dim}.`)
  if (c.weights.length !== c.classes * c.dim)
    throw new RangeError(
      `Classifier weights hold ${c.weights.length} values, expected C × d = ${c.classes * c.dim}.`,
    )
  if (c.bias.length !== c.classes)
    throw new RangeError(
      `Classifier bias holds ${c.bias.length} values, expected C = ${c.classes}.`,
    )
}

function assertStream(features: Float32Array, c: LinearClassifier, labels?: Int32Array): number {
  if (features.length % c.dim !== 0)
    throw new RangeError(
      `Features hold ${features.length} values, not a multiple of the classifier's d = ${c.dim}.`,
    )
  const count = features.length / c.dim
  if (labels === undefined) return count
  if (labels.length !== count)
    throw new RangeError(`Got ${labels.length} labels for ${count} feature rows.`)
  for (const [i, y] of labels.entries())
    if (y < 0 || y >= c.classes)
      throw new RangeError(`Label ${y} of image ${i} is outside 0..${c.classes - 1}.`)
  return count
}

// Rows are widened to float64 a block at a time: a multiple of the 2-row product kernel.
const SCORE_BLOCK_ROWS = 48

/** Base classifier outputs for every row of `source` (rows × d) into slots from `slot`. */
function scoreRows(
  source: Float32Array,
  weights: Float64Array,
  c: LinearClassifier,
  slot: number,
  into: Pick<PreparedStream, 'pseudoLabels' | 'entropies' | 'inverseNorms'>,
): void {
  const { classes, dim, bias } = c
  const rows = source.length / dim
  const block = new Float64Array(SCORE_BLOCK_ROWS * dim)
  const blockRows = rowViews(block, SCORE_BLOCK_ROWS, dim)
  const weightRows = rowViews(weights, classes, dim)
  const logits = new Float64Array(SCORE_BLOCK_ROWS * classes)
  for (let first = 0; first < rows; first += SCORE_BLOCK_ROWS) {
    const count = Math.min(SCORE_BLOCK_ROWS, rows - first)
    block.set(source.subarray(first * dim, (first + count) * dim))
    multiplyRowsByRows(blockRows, count, weightRows, logits)
    for (let r = 0; r < count; r++) {
      const norm = Math.sqrt(rowDot(blockRows[r], blockRows[r]))
      if (!Number.isFinite(norm))
        throw new RangeError(
          `Row ${first + r} of ${slot === 0 ? 'the classifier' : 'the features'} is not finite.`,
        )
      for (let k = 0; k < classes; k++) logits[r * classes + k] += bias[k]
      into.pseudoLabels[slot + first + r] = argmax(logits, r * classes, classes)
      into.entropies[slot + first + r] = softmaxEntropy(logits, r * classes, classes)
      into.inverseNorms[slot + first + r] = 1 / Math.max(norm, NORMALIZE_EPS)
    }
  }
}

/**
 * Runs the base classifier once over the warm-up rows and the stream, for every M to reuse.
 * @example prepareT3aStream(features, { weights, bias, classes: 10, dim: 2048 }, labels)
 */
export function prepareT3aStream(
  features: Float32Array,
  classifier: LinearClassifier,
  labels?: Int32Array,
): PreparedStream {
  assertClassifier(classifier)
  const count = assertStream(features, classifier, labels)
  const slots = classifier.classes + count
  const scores = {
    pseudoLabels: new Int32Array(slots),
    entropies: new Float64Array(slots),
    inverseNorms: new Float64Array(slots),
  }
  const weights = Float64Array.from(classifier.weights)
  scoreRows(classifier.weights, weights, classifier, 0, scores)
  scoreRows(features, weights, classifier, classifier.classes, scores)
  return { classifier, features, count, labels: labels ?? null, ...scores }
}
