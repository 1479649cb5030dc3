// Float64 statistics of full activations fetched from ORT: the oracle for the in-graph reductions.
import type { TapStatistics } from '../../../electron/api/contract/index.ts'

export interface FullActivations {
  /** Per-batch NCHW (or [N, C]) float32 values, in batch order. */
  batches: { data: Float32Array; dims: number[] }[]
}

export type ChannelStatistics = Pick<TapStatistics, 'mean' | 'std' | 'maxAbs' | 'zeroFraction'>

/** Two-pass float64 mean and population std, max |x| and zero fraction per channel. */
export function channelStatistics64({ batches }: FullActivations): ChannelStatistics {
  const channels = batches[0]?.dims[1] ?? 0
  const sum = new Float64Array(channels)
  const maxAbs = new Float64Array(channels)
  const zeros = new Float64Array(channels)
  let count = 0
  forEachValue(batches, (c, x) => {
    sum[c] += x
    maxAbs[c] = Math.max(maxAbs[c], Math.abs(x))
    if (x === 0) zeros[c] += 1
  })
  for (const { dims } of batches) count += dims.reduce((a, b) => a * b, 1) / channels
  const mean = Array.from(sum, (s) => s / count)
  const m2 = new Float64Array(channels)
  forEachValue(batches, (c, x) => (m2[c] += (x - mean[c]) ** 2))
  return {
    mean,
    std: Array.from(m2, (value) => Math.sqrt(value / count)),
    maxAbs: Array.from(maxAbs),
    zeroFraction: Array.from(zeros, (z) => z / count),
  }
}

function forEachValue(
  batches: FullActivations['batches'],
  visit: (channel: number, value: number) => void,
): void {
  for (const { data, dims } of batches) {
    const [batch, channels] = dims as [number, number]
    const plane = dims.slice(2).reduce((a, b) => a * b, 1)
    for (let n = 0; n < batch; n += 1) {
      for (let c = 0; c < channels; c += 1) {
        const start = (n * channels + c) * plane
        for (let p = 0; p < plane; p += 1) visit(c, data[start + p])
      }
    }
  }
}

/**
 * max over channels of |actual − expected| / |expected|; a channel whose expected value is 0 must
 * be exactly 0 (dead channels), else the result is Infinity.
 */
export function maxRelativeDiff(actual: readonly number[], expected: readonly number[]): number {
  if (actual.length !== expected.length) {
    throw new Error(`lengths differ: ${actual.length} vs ${expected.length}`)
  }
  return expected.reduce((worst, b, c) => {
    const a = actual[c]
    if (b === 0) return a === 0 ? worst : Infinity
    return Math.max(worst, Math.abs(a - b) / Math.abs(b))
  }, 0)
}

/** max |actual − expected| / max |expected|: error relative to the scale of the whole vector. */
export function scaleRelativeDiff(actual: readonly number[], expected: readonly number[]): number {
  const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
  const worst = expected.reduce((m, b, c) => Math.max(m, Math.abs(actual[c] - b)), 0)
  return scale === 0 ? worst : worst / scale
}

/**
 * Per channel, the fraction of values with 0 < |x| ≤ band · (max |x| of the whole tap): ReLU
 * outputs another runtime's float32 rounding may turn into exact zeros, or back.
 */
export function nearZeroFraction64({ batches }: FullActivations, band: number): number[] {
  const channels = batches[0]?.dims[1] ?? 0
  let tapMax = 0
  forEachValue(batches, (_c, x) => (tapMax = Math.max(tapMax, Math.abs(x))))
  const near = new Float64Array(channels)
  forEachValue(batches, (c, x) => {
    if (x !== 0 && Math.abs(x) <= band * tapMax) near[c] += 1
  })
  const count = batches.reduce((sum, { dims }) => sum + dims.reduce((a, b) => a * b, 1), 0)
  return Array.from(near, (n) => n / (count / channels))
}
