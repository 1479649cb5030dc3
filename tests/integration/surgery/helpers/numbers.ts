/** The input the torch golden uses: exact in float64 and float32 on both sides, no file needed. */
export function formulaInput(dims: readonly number[]): Float32Array {
  const length = dims.reduce((a, b) => a * b, 1)
  return Float32Array.from({ length }, (_, i) => ((i * 7919) % 2003) / 1001.5 - 1)
}

export function maxAbs(values: ArrayLike<number>): number {
  let result = 0
  for (let i = 0; i < values.length; i += 1) result = Math.max(result, Math.abs(values[i] ?? 0))
  return result
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`)
  let result = 0
  for (let i = 0; i < a.length; i += 1)
    result = Math.max(result, Math.abs((a[i] ?? 0) - (b[i] ?? 0)))
  return result
}

/** max |a − b| / max |b|: the tolerance measure for logits, whose scale depends on the model. */
export function relativeMaxDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  return maxAbsDiff(actual, expected) / maxAbs(expected)
}

export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i += 1) if (!Number.isFinite(values[i])) return false
  return true
}

/** Batch-centered Gram Xc·Xcᵀ in float64 of an [N, …] tensor. */
export function centeredGram64(values: Float32Array, batch: number): Float64Array {
  const features = values.length / batch
  const mean = new Float64Array(features)
  for (let n = 0; n < batch; n += 1) {
    for (let f = 0; f < features; f += 1)
      mean[f] = (mean[f] ?? 0) + (values[n * features + f] ?? 0) / batch
  }
  const gram = new Float64Array(batch * batch)
  for (let a = 0; a < batch; a += 1) {
    for (let b = 0; b < batch; b += 1) {
      let sum = 0
      for (let f = 0; f < features; f += 1) {
        sum +=
          ((values[a * features + f] ?? 0) - (mean[f] ?? 0)) *
          ((values[b * features + f] ?? 0) - (mean[f] ?? 0))
      }
      gram[a * batch + b] = sum
    }
  }
  return gram
}

/** Per-channel reduction of an NCHW tensor over batch and space, in float64. */
export function channelReduce64(
  values: Float32Array,
  dims: readonly number[],
  reduce: 'mean' | 'max',
): Float64Array {
  const [batch = 1, channels = 1, height = 1, width = 1] = dims
  const plane = height * width
  const result = new Float64Array(channels).fill(reduce === 'max' ? -Infinity : 0)
  for (let n = 0; n < batch; n += 1) {
    for (let c = 0; c < channels; c += 1) {
      for (let p = 0; p < plane; p += 1) {
        const value = values[(n * channels + c) * plane + p] ?? 0
        result[c] =
          reduce === 'max'
            ? Math.max(result[c] ?? 0, value)
            : (result[c] ?? 0) + value / (batch * plane)
      }
    }
  }
  return result
}
