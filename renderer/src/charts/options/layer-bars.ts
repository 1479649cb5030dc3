import type { BarSeriesOption, CustomSeriesOption, EChartsOption } from 'echarts'
import { errorBarSeries } from './error-bars.ts'
import { axisStyle, formatNumber, frame, legend, palette, seriesColor, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

export interface BarGroup {
  name: string
  /** One value per category, in the order of `categories`; null: not measured there. */
  values: (number | null)[]
  /** 95 % intervals of the values (absolute mode only: a difference needs a paired interval). */
  intervals?: ({ lower: number; upper: number } | null)[]
  isBaseline?: boolean
}

export interface LayerBarsInput extends FrameOptions {
  /** Layer keys (or class names): the x categories in order. */
  categories: string[]
  groups: BarGroup[]
  xName: string
  yName: string
  /** 'difference': each non-baseline group minus the baseline group, the baseline not drawn. */
  mode: 'absolute' | 'difference'
  yRange?: [number, number] | null
  /** Show values as percentages (fractions in the data). */
  isPercent?: boolean
  /** Difference mode with groups that already are differences (paired, with their intervals). */
  areDifferences?: boolean
}

/** The groups as drawn: unchanged, or as differences against the baseline (first when none). */
export function barGroupsForMode(input: LayerBarsInput): BarGroup[] {
  if (input.mode !== 'difference' || input.areDifferences) return input.groups
  const baseline = input.groups.find((g) => g.isBaseline) ?? input.groups[0]
  if (!baseline) return []
  return input.groups
    .filter((g) => g !== baseline)
    .map((g) => ({
      name: `${g.name} − ${baseline.name}`,
      values: g.values.map((v, i) => {
        const b = baseline.values[i]
        return v === null || b === null || b === undefined ? null : v - b
      }),
    }))
}

const BAR_MAX_WIDTH = 28

interface AxisTooltipItem {
  seriesName?: string
  seriesType?: string
  dataIndex: number
  value: unknown
  marker?: unknown
  axisValueLabel?: string
}

/** An axis tooltip: each bar's value, followed by its interval or spread text. */
export function tooltipWithIntervals(
  params: unknown,
  format: (v: number) => string,
  intervalText: (seriesName: string, index: number) => string,
): string {
  const items = (Array.isArray(params) ? params : [params]) as AxisTooltipItem[]
  const rows = items
    .filter((item) => item.seriesType === 'bar')
    .map((item) => {
      const name = item.seriesName ?? ''
      const value = typeof item.value === 'number' ? format(item.value) : 'n/a'
      const marker = typeof item.marker === 'string' ? item.marker : ''
      return `${marker}${name}: ${value}${intervalText(name, item.dataIndex)}`
    })
  return [items[0]?.axisValueLabel ?? '', ...rows].join('<br>')
}

function zeroLine(color: string): BarSeriesOption['markLine'] {
  return {
    silent: true,
    symbol: 'none',
    label: { show: false },
    lineStyle: { color, type: 'solid', width: 1 },
    data: [{ yAxis: 0 }],
  }
}

/** Per-category bars for one or several groups (checkpoints), optionally as baseline deltas. */
export function layerBarsOption(input: LayerBarsInput, theme: ChartTheme): EChartsOption {
  const p = palette(theme)
  const axes = axisStyle(theme)
  const groups = barGroupsForMode(input)
  const format = (v: number): string =>
    input.isPercent ? `${formatNumber(100 * v, 3)}%` : formatNumber(v)
  const isDifference = input.mode === 'difference'
  const rotate = input.categories.length > 10 ? 50 : input.categories.length > 5 ? 30 : 0
  let colorIndex = 0
  const bars: BarSeriesOption[] = groups.map((g, i) => {
    const color = g.isBaseline ? p.baseline : seriesColor(theme, colorIndex++)
    return {
      type: 'bar',
      name: g.name,
      data: g.values.map((v) => (v === null ? '-' : v)),
      itemStyle: { color },
      barMaxWidth: BAR_MAX_WIDTH,
      ...(isDifference && i === 0 ? { markLine: zeroLine(p.axisLine) } : {}),
    }
  })
  const whiskers: CustomSeriesOption[] = groups.flatMap((g, i) => {
    const data = (g.intervals ?? []).flatMap((interval, c) =>
      interval === null ? [] : [[c, interval.lower, interval.upper] as [number, number, number]],
    )
    if (data.length === 0) return []
    return [
      errorBarSeries(`${g.name} 95% interval`, data, p.text, {
        placement: { barCount: groups.length, barIndex: i, barMaxWidth: BAR_MAX_WIDTH },
      }),
    ]
  })
  const hasIntervals = whiskers.length > 0
  const intervalText = (seriesName: string, index: number): string => {
    const interval = groups.find((g) => g.name === seriesName)?.intervals?.[index]
    return interval ? ` [${format(interval.lower)}, ${format(interval.upper)}]` : ''
  }
  return {
    ...frame(theme, input),

    legend: {
      ...legend(
        theme,
        input,
        groups.map((g) => g.name),
      ),
      // A lone difference series still says what was subtracted from what.
      show: groups.length > 1 || isDifference,
    },
    grid: {
      left: 16,
      right: 20,
      top: topMargin(input, groups.length > 1 || isDifference) + 8,
      bottom: 12,
    },
    xAxis: {
      type: 'category',
      data: input.categories,
      name: input.xName,
      nameLocation: 'middle',
      ...axes,
      axisLabel: { ...axes.axisLabel, rotate, interval: 0, hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: isDifference ? `Δ ${input.yName}` : input.yName,
      nameLocation: 'middle',
      min: input.yRange?.[0],
      max: input.yRange?.[1],
      ...axes,
      axisLabel: { ...axes.axisLabel, formatter: (v: number) => format(v) },
    },
    tooltip: {
      ...(frame(theme, input).tooltip as object),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      ...(hasIntervals
        ? { formatter: (params: unknown) => tooltipWithIntervals(params, format, intervalText) }
        : { valueFormatter: (v) => (typeof v === 'number' ? format(v) : 'n/a') }),
    },
    series: [...bars, ...whiskers],
  }
}
