import type { EChartsOption, LineSeriesOption } from 'echarts'
import type { ActivationStatsResult } from '../../../../electron/api/contract.ts'
import {
  ChartDataError,
  baselineOf,
  booleanOption,
  requireKind,
  stringOption,
} from './chart-data.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { axisStyle, formatNumber, frame, legend, palette, seriesColor, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** Step outline of a histogram as fractions of its sampled values: [edge, fraction] pairs. */
export function histogramSteps(edges: number[], counts: number[]): [number, number][] {
  const total = counts.reduce((a, b) => a + b, 0) || 1
  const steps: [number, number][] = counts.map((c, i) => [edges[i], c / total])
  if (counts.length > 0) steps.push([edges[counts.length], counts[counts.length - 1] / total])
  return steps
}

/** The histogram of one tap (option tap; default the first) for several results, overlaid. */
export function tapHistogramOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<ActivationStatsResult>(spec, data.results, 'activation-stats')
  const tapKey = stringOption(spec, 'tap', results[0].payload.taps[0]?.key ?? '')
  const isLog = booleanOption(spec, 'logY')
  const baseline = baselineOf(spec, results)
  const p = palette(theme)
  const axes = axisStyle(theme)
  let colorIndex = 0
  const series: LineSeriesOption[] = results.map((r) => {
    const tap = r.payload.taps.find((t) => t.key === tapKey)
    if (!tap) throw new ChartDataError(`Result ${r.id} has no tap '${tapKey}'.`)
    const isBaseline = results.length > 1 && r === baseline
    const color = isBaseline ? p.baseline : seriesColor(theme, colorIndex++)
    const steps = histogramSteps(tap.histogram.edges, tap.histogram.counts)
    return {
      type: 'line',
      name: isBaseline ? `${r.label} (baseline)` : r.label,
      step: 'end',
      showSymbol: false,
      data: isLog ? steps.map(([x, y]) => [x, y > 0 ? y : null]) : steps,
      lineStyle: { color, width: 2, type: isBaseline ? 'dashed' : 'solid' },
      itemStyle: { color },
      areaStyle: results.length === 1 ? { color, opacity: 0.25 } : undefined,
    }
  })
  const names = series.map((s) => String(s.name))
  const base = frame(theme, frameOptions)
  return {
    ...base,
    legend: legend(theme, frameOptions, names),
    grid: { left: 16, right: 28, top: topMargin(frameOptions, names.length > 1) + 8, bottom: 12 },
    xAxis: {
      type: 'value',
      scale: true,
      name: `activation value at ${tapKey}`,
      nameLocation: 'middle',
      nameGap: 30,
      ...axes,
      splitLine: { show: false },
    },
    yAxis: {
      type: isLog ? 'log' : 'value',
      name: 'fraction of sampled values',
      nameLocation: 'middle',
      nameGap: 52,
      ...axes,
      axisLabel: { ...axes.axisLabel, formatter: (v: number) => formatNumber(v, 2) },
    },
    tooltip: {
      ...(base.tooltip as object),
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v) : 'n/a'),
    },
    series,
  }
}
