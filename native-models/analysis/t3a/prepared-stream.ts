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

/** Dot product of a[ao .. ao+d) and b[bo .. bo+d), accumulated in float64. */
export function dot(
  a: Float32Array | Float64Array,
  ao: number,
  b: Float32Array | Float64Array,
  bo: number,
  d: number,
): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let j = 0
  for (; j + 3 < d; j += 4) {
    s0 += a[ao + j] * b[bo + j]
    s1 += a[ao + j + 1] * b[bo + j + 1]
    s2 += a[ao + j + 2] * b[bo + j + 2]
    s3 += a[ao + j + 3] * b[bo + j + 3]
  }
  for (; j < d; j++) s0 += a[ao + j] * b[bo + j]
  return s0 + s1 + (s2 + s3)
}

/** Index of the largest value, the first one on ties. */
export function argmax(values: Float64Array): number {
  let best = 0
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k
  return best
}

/** −Σ softmax(x)·log_softmax(x), written as logsumexp(x) − Σ softmax(x)·x. */
export function softmaxEntropy(logits: Float64Array): number {
  let max = -Infinity
  for (const x of logits) if (x > max) max = x
  let total = 0
  let weighted = 0
  for (const x of logits) {
    const e = Math.exp(x - max)
    total += e
    weighted += e * (x - max)
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

/** Base classifier outputs for rows [first, first + rows) of `source` into slots from `slot`. */
function scoreRows(
  source: Float32Array,
  rows: number,
  c: LinearClassifier,
  slot: number,
  into: Pick<PreparedStream, 'pseudoLabels' | 'entropies' | 'inverseNorms'>,
): void {
  const { classes, dim, weights, bias } = c
  const logits = new Float64Array(classes)
  for (let i = 0; i < rows; i++) {
    const offset = i * dim
    const norm = Math.sqrt(dot(source, offset, source, offset, dim))
    if (!Number.isFinite(norm))
      throw new RangeError(
        `Row ${i} of ${slot === 0 ? 'the classifier' : 'the features'} is not finite.`,
      )
    for (let k = 0; k < classes; k++)
      logits[k] = dot(weights, k * dim, source, offset, dim) + bias[k]
    into.pseudoLabels[slot + i] = argmax(logits)
    into.entropies[slot + i] = softmaxEntropy(logits)
    into.inverseNorms[slot + i] = 1 / Math.max(norm, NORMALIZE_EPS)
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
  scoreRows(classifier.weights, classifier.classes, classifier, 0, scores)
  scoreRows(features, count, classifier, classifier.classes, scores)
  return { classifier, features, count, labels: labels ?? null, ...scores }
}
