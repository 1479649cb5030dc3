import type { EChartsOption } from 'echarts'
import type { WeightNoiseResult } from '../../../../electron/api/contract/index.ts'
import { baselineOf, requireKind } from './chart-data.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { seriesBandsOption } from './series-bands.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** options.metric: 'top1' (default), 'top5' or 'nll'. */
function metricOf(spec: ChartSpec): 'top1' | 'top5' | 'nll' {
  const metric = spec.options['metric']
  return metric === 'top5' || metric === 'nll' ? metric : 'top1'
}

const AXIS_NAMES = { top1: 'top-1 accuracy', top5: 'top-5 accuracy', nll: 'NLL (nats)' }

/** Accuracy (or NLL) against σ, mean ± std over the noise samples, one line per result. */
export function weightNoiseOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  const results = requireKind<WeightNoiseResult>(spec, data.results, 'weight-noise')
  const baseline = results.length > 1 ? baselineOf(spec, results) : null
  const metric = metricOf(spec)
  return seriesBandsOption(
    {
      ...frame,
      series: results.map((r) => ({
        name: r === baseline ? `${r.label} (baseline)` : r.label,
        isBaseline: r === baseline,
        points: r.payload.levels.map((level) => ({
          x: level.sigma,
          y: level[metric].mean,
          spread: level.samples > 1 ? level[metric].std : null,
        })),
      })),
      xName: 'σ of the weight noise ξ ~ N(1, σ²)',
      yName: AXIS_NAMES[metric],
      yRange: metric === 'nll' ? null : [0, 1],
    },
    theme,
  )
}
