import type { TapStatistics } from '../../../electron/api/contract.ts'

export type LayerMetric = 'zeroFraction' | 'meanAbs' | 'maxAbs' | 'std'

export const LAYER_METRICS: { key: LayerMetric; label: string; isPercent: boolean }[] = [
  { key: 'zeroFraction', label: 'zero fraction', isPercent: true },
  { key: 'meanAbs', label: 'mean |x|', isPercent: false },
  { key: 'maxAbs', label: 'max |x|', isPercent: false },
  { key: 'std', label: 'std', isPercent: false },
]

// Block outputs, the stem and the pooled features follow a ReLU in a ResNet, so |x| = x there and
// the exact channel means give mean |x|. Any other tap (e.g. 'fc' logits) has signed values: its
// mean |x| comes from the seeded histogram sample of |x| instead.
function isNonNegativeTap(key: string): boolean {
  return key === 'stem' || key === 'pooled' || /^layer\d+\.\d+$/.test(key)
}

function average(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length)
}

function sampledMeanAbs(histogram: TapStatistics['histogram']): number {
  let weighted = 0
  let total = 0
  histogram.counts.forEach((count, i) => {
    const lo = histogram.edges[i]
    const hi = histogram.edges[i + 1]
    // Log-spaced bins: the geometric centre; bin 0 starts at 0 and holds (near) zeros.
    const centre = lo > 0 ? Math.sqrt(lo * hi) : hi / 2
    weighted += count * centre
    total += count
  })
  return total > 0 ? weighted / total : 0
}

/** Whole-layer value of a metric; every channel holds the same number of values, so means are exact. */
export function layerValue(tap: TapStatistics, metric: LayerMetric): number {
  switch (metric) {
    case 'zeroFraction':
      return average(tap.zeroFraction)
    case 'maxAbs':
      return Math.max(...tap.maxAbs)
    case 'meanAbs':
      return isNonNegativeTap(tap.key) ? average(tap.mean) : sampledMeanAbs(tap.histogram)
    case 'std': {
      const mean = average(tap.mean)
      const secondMoment = average(tap.std.map((s, c) => s * s + tap.mean[c] * tap.mean[c]))
      return Math.sqrt(Math.max(0, secondMoment - mean * mean))
    }
  }
}

export function isMeanAbsSampled(taps: TapStatistics[]): boolean {
  return taps.some((tap) => !isNonNegativeTap(tap.key))
}
