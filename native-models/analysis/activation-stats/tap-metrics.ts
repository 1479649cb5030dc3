import type { TapStatistics } from '../../../electron/api/contract/index.ts'

export const LAYER_METRICS = ['zeroFraction', 'meanAbs', 'maxAbs', 'std'] as const
export type LayerMetric = (typeof LAYER_METRICS)[number]

const mean = (values: readonly number[]): number =>
  values.reduce((a, b) => a + b, 0) / values.length

/**
 * One number per tap from its per-channel statistics; every channel holds the same number of
 * values, so channel means weigh equally and the std is the pooled one over all channels.
 */
export function tapMetric(tap: TapStatistics, metric: LayerMetric): number {
  switch (metric) {
    case 'zeroFraction':
      return mean(tap.zeroFraction)
    case 'meanAbs':
      return mean(tap.mean.map(Math.abs))
    case 'maxAbs':
      return Math.max(...tap.maxAbs)
    case 'std': {
      const grandMean = mean(tap.mean)
      const secondMoment = mean(tap.mean.map((m, c) => tap.std[c] ** 2 + m ** 2))
      return Math.sqrt(Math.max(0, secondMoment - grandMean ** 2))
    }
  }
}

/** A metric's mean over the taps (every tap weighs the same), or its largest value. */
export function overTaps(
  taps: readonly TapStatistics[],
  metric: LayerMetric,
  how: 'mean' | 'max',
): number {
  const values = taps.map((tap) => tapMetric(tap, metric))
  if (values.length === 0) return 0
  return how === 'max' ? Math.max(...values) : mean(values)
}
