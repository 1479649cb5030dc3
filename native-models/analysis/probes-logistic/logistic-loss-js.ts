import type { LogisticData, LogisticLossFunction, LossAndGradient } from './types.ts'

/**
 * The mean multinomial cross-entropy and its gradient in float64 JavaScript: the reference the
 * ORT graph is checked against, and a loss for problems too small to be worth a session.
 */
export function javascriptLogisticLoss(data: LogisticData): Promise<LogisticLossFunction> {
  assertLogisticData(data)
  return Promise.resolve({
    evaluate: (weights, bias) => Promise.resolve(logisticLossAndGradient(data, weights, bias)),
    release: () => Promise.resolve(),
  })
}

export function logisticLossAndGradient(
  data: LogisticData,
  weights: Float64Array,
  bias: Float64Array,
): LossAndGradient {
  const { features, labels, n, k, classes } = data
  const weightGradient = new Float64Array(k * classes)
  const biasGradient = new Float64Array(classes)
  const logits = new Float64Array(classes)
  let total = 0
  for (let row = 0; row < n; row++) {
    const offset = row * k
    logits.set(bias)
    for (let j = 0; j < k; j++) {
      const x = features[offset + j]
      for (let c = 0; c < classes; c++) logits[c] += x * weights[j * classes + c]
    }
    const logNormaliser = logSumExp(logits)
    total += logNormaliser - logits[labels[row]]
    for (let c = 0; c < classes; c++) {
      logits[c] = Math.exp(logits[c] - logNormaliser) - (c === labels[row] ? 1 : 0)
    }
    for (let j = 0; j < k; j++) {
      const x = features[offset + j]
      for (let c = 0; c < classes; c++) weightGradient[j * classes + c] += x * logits[c]
    }
    for (let c = 0; c < classes; c++) biasGradient[c] += logits[c]
  }
  for (let i = 0; i < weightGradient.length; i++) weightGradient[i] /= n
  for (let c = 0; c < classes; c++) biasGradient[c] /= n
  return { loss: total / n, weightGradient, biasGradient }
}

function logSumExp(values: Float64Array): number {
  let largest = -Infinity
  for (const value of values) largest = Math.max(largest, value)
  let sum = 0
  for (const value of values) sum += Math.exp(value - largest)
  return largest + Math.log(sum)
}

/** Throws a RangeError when the arrays do not match n, k and classes. */
export function assertLogisticData(data: LogisticData): void {
  const { features, labels, n, k, classes } = data
  if (!Number.isInteger(n) || !Number.isInteger(k) || n < 1 || k < 1 || classes < 2) {
    throw new RangeError(
      `A logistic probe needs n ≥ 1, k ≥ 1 and 2+ classes, got n=${n}, k=${k}, C=${classes}.`,
    )
  }
  if (features.length !== n * k) {
    throw new RangeError(`Features hold ${features.length} values; n×k = ${n}×${k} needs ${n * k}.`)
  }
  if (labels.length !== n) {
    throw new RangeError(`There are ${labels.length} labels for ${n} rows.`)
  }
  const invalid = labels.findIndex((label) => !(label >= 0 && label < classes))
  if (invalid >= 0) {
    throw new RangeError(`Label ${labels[invalid]} at row ${invalid} is outside 0..${classes - 1}.`)
  }
}
