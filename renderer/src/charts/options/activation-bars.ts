import type { EChartsOption } from 'echarts'
import type {
  ActivationStatsResult,
  TapStatistics,
} from '../../../../electron/api/contract/index.ts'
import {
  ChartDataError,
  baselineOf,
  isDifferenceMode,
  requireKind,
  stringOption,
} from './chart-data.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { layerBarsOption } from './layer-bars.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

export const LAYER_METRICS = ['zeroFraction', 'meanAbs', 'maxAbs', 'std'] as const
export type LayerMetric = (typeof LAYER_METRICS)[number]

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length

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

export const LAYER_METRIC_NAMES: Record<LayerMetric, string> = {
  zeroFraction: 'fraction of zero activations',
  meanAbs: 'mean |channel mean|',
  maxAbs: 'max |activation|',
  std: 'activation std (all channels)',
}

function metricOf(spec: ChartSpec): LayerMetric {
  const metric = stringOption(spec, 'metric', 'zeroFraction')
  if (!(LAYER_METRICS as readonly string[]).includes(metric))
    throw new ChartDataError(`Unknown layer metric '${metric}': use ${LAYER_METRICS.join(', ')}.`)
  return metric as LayerMetric
}

/** Per-tap bars of one activation statistic for several results, or their deltas vs the baseline. */
export function activationBarsOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  const results = requireKind<ActivationStatsResult>(spec, data.results, 'activation-stats')
  const metric = metricOf(spec)
  const baseline = baselineOf(spec, results)
  const taps = [...new Set(results.flatMap((r) => r.payload.taps.map((t) => t.key)))]
  const isDifference = isDifferenceMode(spec) && results.length > 1
  const hasBaseline = results.length > 1
  return layerBarsOption(
    {
      ...frame,
      categories: taps,
      groups: results.map((r) => {
        const byKey = new Map(r.payload.taps.map((t) => [t.key, t]))
        return {
          name: hasBaseline && r === baseline && !isDifference ? `${r.label} (baseline)` : r.label,
          isBaseline: hasBaseline && r === baseline,
          values: taps.map((key) => {
            const tap = byKey.get(key)
            return tap ? tapMetric(tap, metric) : null
          }),
        }
      }),
      xName: 'layer (tap)',
      yName: LAYER_METRIC_NAMES[metric],
      mode: isDifference ? 'difference' : 'absolute',
      isPercent: metric === 'zeroFraction',
    },
    theme,
  )
}
