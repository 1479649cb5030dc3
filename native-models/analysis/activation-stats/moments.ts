/**
 * Per-channel moments of one activation tensor over every value seen so far, in float64.
 * `count` is the number of values per channel (images × spatial positions); it is the same for
 * every channel of a tap.
 */
export interface ChannelMoments {
  count: number
  mean: Float64Array
  /** Σ (x − mean)² per channel. */
  m2: Float64Array
  maxAbs: Float64Array
  /** Number of values exactly equal to 0, per channel. */
  zeros: Float64Array
}

/** The per-channel reductions the graph computes for one batch ([C] each, float32 from ORT). */
export interface BatchReductions {
  count: number
  mean: ArrayLike<number>
  /** Σ (x − batch mean)², centered in-graph. */
  m2: ArrayLike<number>
  max: ArrayLike<number>
  min: ArrayLike<number>
  zeros: ArrayLike<number>
}

export interface ChannelSummary {
  mean: number[]
  /** Population std: sqrt(M2 / count). */
  std: number[]
  maxAbs: number[]
  zeroFraction: number[]
}

export function emptyMoments(channels: number): ChannelMoments {
  return {
    count: 0,
    mean: new Float64Array(channels),
    m2: new Float64Array(channels),
    maxAbs: new Float64Array(channels),
    zeros: new Float64Array(channels),
  }
}

/** One batch's reductions as moments; max |x| is max(max, −min) per channel. */
export function batchMoments(batch: BatchReductions): ChannelMoments {
  const channels = batch.mean.length
  assertChannelCount(batch, channels)
  const maxAbs = Float64Array.from({ length: channels }, (_, c) =>
    Math.max(Math.abs(batch.max[c]), Math.abs(batch.min[c])),
  )
  return {
    count: batch.count,
    mean: Float64Array.from(batch.mean),
    m2: Float64Array.from(batch.m2),
    maxAbs,
    zeros: Float64Array.from(batch.zeros),
  }
}

function assertChannelCount(batch: BatchReductions, channels: number): void {
  const lengths = [batch.m2, batch.max, batch.min, batch.zeros].map((values) => values.length)
  if (lengths.some((length) => length !== channels)) {
    throw new RangeError(
      `Batch reductions disagree on the channel count: mean has ${channels}, others ${lengths.join(', ')}.`,
    )
  }
}

/**
 * The moments of the union of two disjoint sets of values (Chan, Golub & LeVeque 1979):
 * M2 = M2a + M2b + δ²·na·nb/n with δ = mean_b − mean_a, so no E[x²] − E[x]² cancellation occurs.
 */
export function combineMoments(a: ChannelMoments, b: ChannelMoments): ChannelMoments {
  if (a.mean.length !== b.mean.length) {
    throw new RangeError(`Cannot combine ${a.mean.length} channels with ${b.mean.length}.`)
  }
  const count = a.count + b.count
  if (a.count === 0 || b.count === 0) return copyMoments(a.count === 0 ? b : a)
  const weightB = b.count / count
  const cross = (a.count * b.count) / count
  const mean = a.mean.map((meanA, c) => meanA + (b.mean[c] - meanA) * weightB)
  const m2 = a.m2.map((m2A, c) => {
    const delta = b.mean[c] - a.mean[c]
    return m2A + b.m2[c] + delta * delta * cross
  })
  const maxAbs = a.maxAbs.map((value, c) => Math.max(value, b.maxAbs[c]))
  const zeros = a.zeros.map((value, c) => value + b.zeros[c])
  return { count, mean, m2, maxAbs, zeros }
}

function copyMoments(moments: ChannelMoments): ChannelMoments {
  return {
    count: moments.count,
    mean: moments.mean.slice(),
    m2: moments.m2.slice(),
    maxAbs: moments.maxAbs.slice(),
    zeros: moments.zeros.slice(),
  }
}

/** Mean, population std, max |x| and zero fraction per channel; all zeros before any value. */
export function summarizeMoments(moments: ChannelMoments): ChannelSummary {
  const perValue = (total: number): number => (moments.count === 0 ? 0 : total / moments.count)
  return {
    mean: Array.from(moments.mean),
    std: Array.from(moments.m2, (m2) => Math.sqrt(perValue(Math.max(0, m2)))),
    maxAbs: Array.from(moments.maxAbs),
    zeroFraction: Array.from(moments.zeros, perValue),
  }
}
