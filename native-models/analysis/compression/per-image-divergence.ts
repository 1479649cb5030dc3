import { firstArgmax } from '../evaluate/classifier-rows.ts'

/** How far a quantized model's outputs moved from the unquantized model's, image by image. */
export interface PerImageDivergence {
  /** KL(p_ref ‖ p_quant) in nats, from float64 log-softmaxes. */
  kl: Float64Array
  /** max over classes of |logit_quant − logit_ref|. */
  maxAbsLogitDelta: Float64Array
  /** Top-1 class of each model (first maximum on ties, like NumPy's argmax). */
  referencePredicted: Int32Array
  quantizedPredicted: Int32Array
}

/**
 * Per-image divergence of two logit matrices of the same images, each row-major float32 [N, classes].
 * @example perImageDivergence(Float32Array.of(0, 0), Float32Array.of(0, 0), 2).kl // Float64Array [0]
 */
export function perImageDivergence(
  referenceLogits: Float32Array,
  quantizedLogits: Float32Array,
  classes: number,
): PerImageDivergence {
  if (!Number.isInteger(classes) || classes < 1)
    throw new RangeError(`classes must be a positive integer, got ${classes}.`)
  if (referenceLogits.length !== quantizedLogits.length)
    throw new RangeError(
      `The logit matrices hold ${referenceLogits.length} and ${quantizedLogits.length} values: they must be of the same images.`,
    )
  if (referenceLogits.length % classes !== 0)
    throw new RangeError(
      `${referenceLogits.length} logits are not a whole number of rows of ${classes} classes.`,
    )
  const n = referenceLogits.length / classes
  const result: PerImageDivergence = {
    kl: new Float64Array(n),
    maxAbsLogitDelta: new Float64Array(n),
    referencePredicted: new Int32Array(n),
    quantizedPredicted: new Int32Array(n),
  }
  for (let i = 0; i < n; i += 1) {
    const offset = i * classes
    const reference = logSoftmaxRow(referenceLogits, offset, classes)
    const quantized = logSoftmaxRow(quantizedLogits, offset, classes)
    let kl = 0
    let maxDelta = 0
    for (let j = 0; j < classes; j += 1) {
      // In log space p·(log p − log q) stays finite where p underflows to 0.
      kl += Math.exp(reference[j]) * (reference[j] - quantized[j])
      maxDelta = Math.max(
        maxDelta,
        Math.abs(quantizedLogits[offset + j] - referenceLogits[offset + j]),
      )
    }
    result.kl[i] = kl
    result.maxAbsLogitDelta[i] = maxDelta
    result.referencePredicted[i] = firstArgmax(referenceLogits, offset, classes)
    result.quantizedPredicted[i] = firstArgmax(quantizedLogits, offset, classes)
  }
  return result
}

/** log softmax of one row in float64: x − max − log Σ exp(x − max). */
function logSoftmaxRow(logits: Float32Array, offset: number, classes: number): Float64Array {
  let max = -Infinity
  for (let j = 0; j < classes; j += 1) max = Math.max(max, logits[offset + j])
  let sumOfExp = 0
  for (let j = 0; j < classes; j += 1) sumOfExp += Math.exp(logits[offset + j] - max)
  const logSum = Math.log(sumOfExp)
  return Float64Array.from({ length: classes }, (_, j) => logits[offset + j] - max - logSum)
}
