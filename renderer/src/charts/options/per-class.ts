import type { EChartsOption } from 'echarts'
import type { EvaluationResult } from '../../../../electron/api/contract/index.ts'
import { wilsonInterval } from '../../../../native-models/analysis/uncertainty/index.ts'
import { baselineOf, isDifferenceMode, requireKind } from './chart-data.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { layerBarsOption } from './layer-bars.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

type PerClass = EvaluationResult['perClass'][number]

/** The class's 95 % Wilson interval, from its image count (accuracy × count is its correct count). */
function classInterval(row: PerClass | undefined) {
  if (row === undefined || row.count === 0) return null
  return wilsonInterval(Math.round(row.accuracy * row.count), row.count)
}

/**
 * Accuracy per class for several results with 95 % Wilson intervals (option mode = 'difference':
 * deltas vs the baseline, without intervals: those need the paired per-image results).
 */
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
        intervals: classes.map((name) =>
          classInterval(r.payload.perClass.find((c) => c.name === name)),
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
