import type { EChartsOption, LineSeriesOption } from 'echarts'
import type {
  ActivationStatsResult,
  TapStatistics,
} from '../../../../electron/api/contract/index.ts'
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

export interface MagnitudeSteps {
  /** Share of the sampled values in bin 0, [0, first edge): exact zeros and negligible values. */
  nearZero: number
  nearZeroBelow: number
  /** [lower edge, share] per log-spaced bin, closed by [last edge, last share]. */
  steps: [number, number][]
}

/**
 * A tap's |x| histogram as drawn: bin 0 (zeros) apart, the log-spaced bins as a step outline of
 * shares of the sampled values, so results with different sample counts compare.
 */
export function magnitudeSteps(histogram: TapStatistics['histogram']): MagnitudeSteps {
  const { edges, counts } = histogram
  const total = counts.reduce((a, b) => a + b, 0) || 1
  const steps: [number, number][] = []
  for (let k = 1; k < counts.length; k++) steps.push([edges[k], counts[k] / total])
  if (counts.length > 1) steps.push([edges[counts.length], counts[counts.length - 1] / total])
  return { nearZero: (counts[0] ?? 0) / total, nearZeroBelow: edges[1] ?? 0, steps }
}

function tapOf(result: { id: number; payload: ActivationStatsResult }, key: string) {
  const tap = result.payload.taps.find((t) => t.key === key)
  if (!tap) throw new ChartDataError(`Result ${result.id} has no tap '${key}'.`)
  return tap
}

/** The |activation| histogram of one tap (option tap; default the first) for several results. */
export function tapHistogramOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<ActivationStatsResult>(spec, data.results, 'activation-stats')
  const tapKey = stringOption(spec, 'tap', results[0].payload.taps[0]?.key ?? '')
  const isLogY = booleanOption(spec, 'logY')
  const baseline = baselineOf(spec, results)
  const p = palette(theme)
  const axes = axisStyle(theme)
  let colorIndex = 0
  const series: LineSeriesOption[] = results.map((r) => {
    const magnitude = magnitudeSteps(tapOf(r, tapKey).histogram)
    const isBaseline = results.length > 1 && r === baseline
    const color = isBaseline ? p.baseline : seriesColor(theme, colorIndex++)
    const zeros = `${formatNumber(100 * magnitude.nearZero, 3)}% below ${formatNumber(magnitude.nearZeroBelow, 2)}`
    return {
      type: 'line',
      name: `${r.label}${isBaseline ? ' (baseline)' : ''} · ${zeros}`,
      step: 'end',
      showSymbol: false,
      data: isLogY ? magnitude.steps.map(([x, y]) => [x, y > 0 ? y : null]) : magnitude.steps,
      lineStyle: { color, width: 2, type: isBaseline ? 'dashed' : 'solid' },
      itemStyle: { color },
      areaStyle: results.length === 1 ? { color, opacity: 0.25 } : undefined,
    }
  })
  const names = series.map((s) => String(s.name))
  const base = frame(theme, frameOptions)
  return {
    ...base,
    legend: { ...legend(theme, frameOptions, names), show: true },
    grid: { left: 16, right: 28, top: topMargin(frameOptions, true) + 8, bottom: 12 },
    xAxis: {
      type: 'log',
      logBase: 10,
      name: `|activation| at ${tapKey} (log scale)`,
      nameLocation: 'middle',
      ...axes,
      axisLabel: { ...axes.axisLabel, formatter: (v: number) => formatNumber(v, 2) },
      splitLine: { show: false },
    },
    yAxis: {
      type: isLogY ? 'log' : 'value',
      name: 'share of sampled values per bin',
      nameLocation: 'middle',
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
