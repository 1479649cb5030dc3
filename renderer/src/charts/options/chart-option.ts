import type { EChartsOption } from 'echarts'
import { activationBarsOption } from './activation-bars.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { confusionOption } from './confusion.ts'
import { matrixOption } from './heatmap.ts'
import { metricCurvesOption } from './metric-curves.ts'
import { perClassOption } from './per-class.ts'
import { reliabilityOption } from './reliability.ts'
import { tapHistogramOption } from './tap-histogram.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** The option of any chart kind: what the views draw and what export renders, from one place. */
export function chartOption(spec: ChartSpec, data: ChartData, theme: ChartTheme): EChartsOption {
  const title = spec.options['title']
  const frame: FrameOptions = {
    title: typeof title === 'string' && title ? title : null,
    isSynthetic: data.isSynthetic || spec.options['synthetic'] === true,
  }
  switch (spec.chart) {
    case 'metric-curves':
      return metricCurvesOption(spec, data.runs, theme, frame)
    case 'reliability':
      return reliabilityOption(spec, data, theme, frame)
    case 'confusion':
      return confusionOption(spec, data, theme, frame)
    case 'per-class':
      return perClassOption(spec, data, theme, frame)
    case 'layer-bars':
      return activationBarsOption(spec, data, theme, frame)
    case 'tap-histogram':
      return tapHistogramOption(spec, data, theme, frame)
    case 'matrix':
      return matrixOption(spec, theme, frame)
  }
}
