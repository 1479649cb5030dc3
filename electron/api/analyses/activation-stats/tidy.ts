import type { ActivationStatsResult, TapStatistics } from '../../contract/index.ts'
import { tidyLookup } from '../tidy.ts'
import type { TidyValue } from '../tidy.ts'

const CHANNEL_QUANTITIES = [
  ['channel_mean', 'mean'],
  ['channel_std', 'std'],
  ['channel_max_abs', 'maxAbs'],
  ['channel_zero_fraction', 'zeroFraction'],
] as const

function tapValues(t: TapStatistics): TidyValue[] {
  const tap = t.key
  const rows: TidyValue[] = t.shape.map((value, dim) => ({
    quantity: 'tap_shape',
    tap,
    dim,
    value,
  }))
  for (const [quantity, field] of CHANNEL_QUANTITIES)
    t[field].forEach((value, channel) => rows.push({ quantity, tap, channel, value }))
  const h = t.histogram
  h.edges.forEach((value, bin) => rows.push({ quantity: 'histogram_edge', tap, bin, value }))
  h.counts.forEach((value, bin) => rows.push({ quantity: 'histogram_count', tap, bin, value }))
  rows.push({ quantity: 'histogram_sampled_values', tap, value: h.sampledValues })
  rows.push({ quantity: 'histogram_total_values', tap, value: h.totalValues })
  return rows
}

export function activationStatsValues(stats: ActivationStatsResult): TidyValue[] {
  return [{ quantity: 'num_images', value: stats.numImages }, ...stats.taps.flatMap(tapValues)]
}

function tapFrom(key: string, rows: TidyValue[]): TapStatistics {
  const { one, ordered } = tidyLookup(rows)
  return {
    key,
    shape: ordered('tap_shape', 'dim'),
    mean: ordered('channel_mean', 'channel'),
    std: ordered('channel_std', 'channel'),
    maxAbs: ordered('channel_max_abs', 'channel'),
    zeroFraction: ordered('channel_zero_fraction', 'channel'),
    histogram: {
      edges: ordered('histogram_edge', 'bin'),
      counts: ordered('histogram_count', 'bin'),
      sampledValues: one('histogram_sampled_values'),
      totalValues: one('histogram_total_values'),
    },
  }
}

export function activationStatsFromTidy(rows: TidyValue[]): ActivationStatsResult {
  const keys = [...new Set(rows.flatMap((r) => (r.tap === undefined ? [] : [r.tap])))]
  return {
    numImages: rows.find((r) => r.quantity === 'num_images' && r.tap === undefined)
      ?.value as number,
    taps: keys.map((key) =>
      tapFrom(
        key,
        rows.filter((r) => r.tap === key),
      ),
    ),
  }
}
