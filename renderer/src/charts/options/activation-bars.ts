import type { EChartsOption } from 'echarts'
import type { ActivationStatsResult } from '../../../../electron/api/contract/index.ts'
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

// Relative imports: the export service runs these builders in Node, which knows no '@analysis'.
import {
  LAYER_METRICS,
  tapMetric,
} from '../../../../native-models/analysis/activation-stats/tap-metrics.ts'
import type { LayerMetric } from '../../../../native-models/analysis/activation-stats/tap-metrics.ts'

export { LAYER_METRICS, tapMetric }
export type { LayerMetric }

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
