import type { EChartsOption } from 'echarts'
import type { EvaluationResult } from '../../../../electron/api/contract/index.ts'
import { baselineOf, isDifferenceMode, requireKind } from './chart-data.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { layerBarsOption } from './layer-bars.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** Accuracy per class for several results (option mode = 'difference': deltas vs the baseline). */
export function perClassOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  const results = requireKind<EvaluationResult>(spec, data.results, 'evaluate')
  const baseline = baselineOf(spec, results)
  const classes = [...new Set(results.flatMap((r) => r.payload.perClass.map((c) => c.name)))]
  const isDifference = isDifferenceMode(spec) && results.length > 1
  const hasBaseline = results.length > 1
  return layerBarsOption(
    {
      ...frame,
      categories: classes,
      groups: results.map((r) => ({
        name: hasBaseline && r === baseline && !isDifference ? `${r.label} (baseline)` : r.label,
        isBaseline: hasBaseline && r === baseline,
        values: classes.map(
          (name) => r.payload.perClass.find((c) => c.name === name)?.accuracy ?? null,
        ),
      })),
      xName: 'class',
      yName: 'accuracy',
      mode: isDifference ? 'difference' : 'absolute',
      isPercent: true,
      yRange: isDifference ? null : [0, 1],
    },
    theme,
  )
}
