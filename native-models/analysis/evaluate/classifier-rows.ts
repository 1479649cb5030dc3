// Per-image scoring of one row of a classifier's outputs (logits or probabilities), in float64.

/** What one image contributes to the evaluation. */
export interface RowScore {
  predicted: number
  /** Probability of the predicted class (max softmax), in [0, 1]. */
  confidence: number
  /** −log p(true class), natural log. */
  nll: number
  /** Whether the true class is among the k highest outputs (ties: the lower index ranks first). */
  isInTopK: boolean
}

// A float32 softmax that underflowed to 0 still means p < 2^-149; clamping keeps the NLL finite
// (a lower bound of about 103.3) instead of an Infinity that JSON cannot carry.
const SMALLEST_FLOAT32_PROBABILITY = 2 ** -149

/** Index of the first maximum, like NumPy's argmax. */
export function firstArgmax(values: Float32Array, offset: number, length: number): number {
  let best = 0
  let bestValue = values[offset]
  for (let j = 1; j < length; j += 1) {
    const value = values[offset + j]
    if (value > bestValue) {
      best = j
      bestValue = value
    }
  }
  return best
}

/** How many rows of `logits` (one row per label) have their first maximum at the label. */
export function countTop1Correct(logits: Float32Array, labels: ArrayLike<number>): number {
  const classes = logits.length / labels.length
  let correct = 0
  for (let row = 0; row < labels.length; row += 1) {
    if (firstArgmax(logits, row * classes, classes) === labels[row]) correct += 1
  }
  return correct
}

/**
 * Whether `label` ranks among the first k when the row is sorted descending with a stable sort
 * (NumPy `argsort(-x, kind='stable')[:k]`): classes above it, plus equal ones with a lower index.
 */
export function isLabelInTopK(
  values: Float32Array,
  offset: number,
  length: number,
  label: number,
  k: number,
): boolean {
  const labelValue = values[offset + label]
  let ranksAbove = 0
  for (let j = 0; j < length; j += 1) {
    const value = values[offset + j]
    if (value > labelValue || (value === labelValue && j < label)) ranksAbove += 1
  }
  return ranksAbove < k
}

/** Scores a row of logits with a stable log-softmax: x − max − log Σ exp(x − max). */
export function scoreLogitRow(
  logits: Float32Array,
  offset: number,
  length: number,
  label: number,
  k: number,
): RowScore {
  const predicted = firstArgmax(logits, offset, length)
  const max = logits[offset + predicted]
  let sumOfExp = 0
  for (let j = 0; j < length; j += 1) sumOfExp += Math.exp(logits[offset + j] - max)
  const trueLogit = logits[offset + label]
  return {
    predicted,
    confidence: 1 / sumOfExp,
    nll: -(trueLogit - max - Math.log(sumOfExp)),
    isInTopK: isLabelInTopK(logits, offset, length, label, k),
  }
}

/** Scores a row of probabilities (a model ending in Softmax): the log is taken directly. */
export function scoreProbabilityRow(
  probabilities: Float32Array,
  offset: number,
  length: number,
  label: number,
  k: number,
): RowScore {
  const predicted = firstArgmax(probabilities, offset, length)
  const trueProbability = probabilities[offset + label]
  return {
    predicted,
    confidence: probabilities[offset + predicted],
    nll: -Math.log(Math.max(trueProbability, SMALLEST_FLOAT32_PROBABILITY)),
    isInTopK: isLabelInTopK(probabilities, offset, length, label, k),
  }
}
