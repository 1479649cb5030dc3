import { assertConfidence, centralPercentiles } from './confidence-level.ts'
import { linearPercentile } from './percentile.ts'
import { createRandomStream } from './xoshiro128.ts'

/** A statistic of the images whose indices are given (repeats count again); must be finite. */
export type ResampleStatistic = (indices: Int32Array) => number

export interface BootstrapOptions {
  /** Default 1000. */
  resamples?: number
  /** Default 0; the same seed gives the same resamples (see xoshiro128.ts). */
  seed?: number
  /** Default 0.95: the 2.5th and 97.5th percentiles. */
  confidence?: number
}

export interface BootstrapInterval {
  lower: number
  upper: number
  resamples: number
  seed: number
  confidence: number
}

export interface PairedBootstrapDelta extends BootstrapInterval {
  /** statisticB − statisticA on all n images. */
  estimate: number
}

/**
 * Calls `visit` once per resample with n indices drawn uniformly with replacement from 0..n − 1:
 * resample r holds draws r·n … r·n + n − 1 of `createRandomStream(seed).nextIndexBelow(n)`.
 * One buffer is reused for every resample, so `visit` must copy what it keeps.
 */
export function forEachBootstrapResample(
  n: number,
  resamples: number,
  seed: number,
  visit: (indices: Int32Array, resample: number) => void,
): void {
  assertPositiveInteger('n', n, 2 ** 31 - 1)
  assertPositiveInteger('resamples', resamples, Number.MAX_SAFE_INTEGER)
  const random = createRandomStream(seed)
  const indices = new Int32Array(n)
  for (let resample = 0; resample < resamples; resample += 1) {
    for (let i = 0; i < n; i += 1) indices[i] = random.nextIndexBelow(n)
    visit(indices, resample)
  }
}

/**
 * Percentile bootstrap interval of `statistic` over n images, as
 * `np.percentile(values, [2.5, 97.5])` of its value on each resample (for confidence 0.95).
 */
export function bootstrapInterval(
  statistic: ResampleStatistic,
  n: number,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const settings = withDefaults(options)
  const values = new Float64Array(settings.resamples)
  forEachBootstrapResample(n, settings.resamples, settings.seed, (indices, resample) => {
    values[resample] = finiteValue(statistic(indices), resample)
  })
  return { ...percentileInterval(values, settings.confidence), ...settings }
}

/**
 * Interval of statisticB − statisticA where both see the same resample each time (paired), so the
 * images they share cancel; `estimate` is the difference on all n images.
 */
export function pairedBootstrapDelta(
  statisticA: ResampleStatistic,
  statisticB: ResampleStatistic,
  n: number,
  options: BootstrapOptions = {},
): PairedBootstrapDelta {
  const delta: ResampleStatistic = (indices) => statisticB(indices) - statisticA(indices)
  const interval = bootstrapInterval(delta, n, options)
  const allImages = Int32Array.from({ length: n }, (_, i) => i)
  return { ...interval, estimate: delta(allImages) }
}

function percentileInterval(
  values: Float64Array,
  confidence: number,
): Pick<BootstrapInterval, 'lower' | 'upper'> {
  const [lowerPercent, upperPercent] = centralPercentiles(confidence)
  const sorted = values.slice().sort()
  return {
    lower: linearPercentile(sorted, lowerPercent),
    upper: linearPercentile(sorted, upperPercent),
  }
}

function withDefaults(options: BootstrapOptions): Required<BootstrapOptions> {
  const confidence = options.confidence ?? 0.95
  assertConfidence(confidence)
  return { resamples: options.resamples ?? 1000, seed: options.seed ?? 0, confidence }
}

function finiteValue(value: number, resample: number): number {
  if (!Number.isFinite(value)) {
    throw new RangeError(`The statistic gave ${value} on resample ${resample}; it must be finite.`)
  }
  return value
}

function assertPositiveInteger(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be an integer in 1..${max}, got ${value}.`)
  }
}
