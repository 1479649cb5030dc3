import type { EChartsOption } from 'echarts'
import type { EvaluationResult } from '../../../../electron/api/contract/index.ts'
import {
  ChartDataError,
  baselineOf,
  booleanOption,
  isDifferenceMode,
  requireKind,
} from './chart-data.ts'
import type { ChartData, ChartSpec, LabeledResult } from './chart-data.ts'
import { heatmapOption } from './heatmap.ts'
import type { HeatmapMatrix } from './heatmap.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** Each row divided by its total: the fraction of a true class predicted as each class. */
export function rowNormalized(confusion: number[][]): (number | null)[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0)
    return row.map((v) => (total > 0 ? v / total : null))
  })
}

function difference(a: (number | null)[][], b: (number | null)[][]): (number | null)[][] {
  return a.map((row, i) =>
    row.map((v, j) => {
      const w = b[i]?.[j]
      return v === null || w === null || w === undefined ? null : v - w
    }),
  )
}

function assertSameClasses(results: LabeledResult<EvaluationResult>[]): void {
  const [first, ...rest] = results
  for (const r of rest)
    if (r.payload.classes.join('\n') !== first.payload.classes.join('\n'))
      throw new ChartDataError(
        `Results ${first.id} and ${r.id} have different classes: confusion matrices cannot be compared.`,
      )
}

/**
 * Confusion matrices side by side on one colour scale (options: normalize = rows as fractions,
 * mode = 'difference' for each result minus the baseline on a scale centred on 0).
 */
export function confusionOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  const results = requireKind<EvaluationResult>(spec, data.results, 'evaluate')
  assertSameClasses(results)
  const isNormalized = booleanOption(spec, 'normalize')
  const matrix = (r: LabeledResult<EvaluationResult>): (number | null)[][] =>
    isNormalized ? rowNormalized(r.payload.confusion) : r.payload.confusion
  const isDifference = isDifferenceMode(spec) && results.length > 1
  const baseline = baselineOf(spec, results)
  const panels: HeatmapMatrix[] = isDifference
    ? results
        .filter((r) => r !== baseline)
        .map((r) => ({
          title: `${r.label} − ${baseline.label}`,
          values: difference(matrix(r), matrix(baseline)),
        }))
    : results.map((r) => ({ title: r.label, values: matrix(r) }))
  const classes = results[0].payload.classes
  const valueName = isNormalized ? 'fraction of the true class' : 'images'
  return heatmapOption(
    {
      ...frame,
      panels,
      rowLabels: classes,
      colLabels: classes,
      rowName: 'true class',
      colName: 'predicted class',
      valueName: isDifference ? `Δ ${valueName}` : valueName,
      min: isNormalized && !isDifference ? 0 : null,
      max: isNormalized && !isDifference ? 1 : null,
      mode: isDifference ? 'difference' : 'absolute',
      showValues: 'auto',
    },
    theme,
  )
}
