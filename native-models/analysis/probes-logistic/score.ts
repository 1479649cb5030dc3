/**
 * Top-1 accuracy of argmax(x W + b) over the rows of `features` (n×k row-major float32, W k×C
 * row-major, first class on ties), accumulated in float64.
 */
export function scoreLinearProbe(
  features: Float32Array,
  labels: Int32Array,
  weights: Float64Array,
  bias: Float64Array,
): number {
  const classes = bias.length
  const k = weights.length / classes
  const n = labels.length
  if (classes < 1 || !Number.isInteger(k) || features.length !== n * k) {
    throw new RangeError(
      `Scoring needs n×k features and k×C weights: got ${features.length} features, ` +
        `${n} labels, ${weights.length} weights and ${classes} biases.`,
    )
  }
  if (n === 0) return 0
  const scores = new Float64Array(classes)
  let correct = 0
  for (let row = 0; row < n; row++) {
    scores.set(bias)
    const offset = row * k
    for (let j = 0; j < k; j++) {
      const x = features[offset + j]
      if (x === 0) continue
      for (let c = 0; c < classes; c++) scores[c] += x * weights[j * classes + c]
    }
    if (argmax(scores) === labels[row]) correct++
  }
  return correct / n
}

function argmax(values: Float64Array): number {
  let best = 0
  for (let c = 1; c < values.length; c++) if (values[c] > values[best]) best = c
  return best
}
