import type { EChartsOption, LineSeriesOption } from 'echarts'
import type { CorruptionBreakdown } from '../../../../electron/api/contract/index.ts'
import { intervalBandSeries } from '../../charts/options/interval-band.ts'
import type { BandDatum } from '../../charts/options/interval-band.ts'
import {
  axisStyle,
  formatNumber,
  frame,
  legend,
  palette,
  seriesColor,
  topMargin,
} from '../../charts/options/theme.ts'
import type { ChartTheme } from '../../charts/options/theme.ts'

function severityLine(
  name: string,
  data: [number, number, number, number][],
  color: string,
): LineSeriesOption {
  return {
    type: 'line',
    name,
    data,
    encode: { x: 0, y: 1 },
    symbolSize: 6,
    z: 3,
    lineStyle: { color, width: 2 },
    itemStyle: { color },
  }
}

type TooltipItem = { value?: unknown; marker?: unknown; seriesName?: string }

function tooltipText(items: TooltipItem[], taps: string[]): string {
  const rows = items.flatMap((item) => {
    if (!Array.isArray(item.value)) return []
    const [, y, lower, upper] = item.value as number[]
    const range = Number.isFinite(lower) ? ` [${formatNumber(lower)}, ${formatNumber(upper)}]` : ''
    const marker = typeof item.marker === 'string' ? item.marker : ''
    return [`${marker}${item.seriesName ?? ''}: ${formatNumber(y)}${range}`]
  })
  const x = (items[0]?.value as number[] | undefined)?.[0]
  return [x === undefined ? '' : (taps[x] ?? ''), ...rows].join('<br>')
}

/**
 * Per-tap CKA (clean vs corrupted) against depth, one line per severity with its 95 % interval
 * band when the result has one, and the threshold as a dashed line.
 */
export function breakdownChartOption(
  result: CorruptionBreakdown,
  theme: ChartTheme,
  yRange: [number, number] | null,
): EChartsOption {
  const p = palette(theme)
  const axes = axisStyle(theme)
  const names = result.severities.map((s) => `severity ${s.severity}`)
  const series = result.severities.flatMap((entry, i) => {
    const color = seriesColor(theme, entry.severity - 1)
    const points = entry.values.flatMap((y, t) => {
      const interval = entry.intervals?.[t] ?? null
      return y === null
        ? []
        : [
            [t, y, interval?.lower ?? NaN, interval?.upper ?? NaN] as [
              number,
              number,
              number,
              number,
            ],
          ]
    })
    const band = points
      .filter(([, , lower]) => Number.isFinite(lower))
      .map(([x, , lower, upper]): BandDatum => [x, lower, upper])
    const line = severityLine(names[i], points, color)
    if (i === 0)
      line.markLine = {
        silent: true,
        symbol: 'none',
        label: { formatter: `threshold ${result.threshold}`, color: p.muted },
        lineStyle: { color: p.baseline, type: 'dashed' },
        data: [{ yAxis: result.threshold }],
      }
    // A severity's 95 % interval over the taps.
    return band.length > 1 ? [line, intervalBandSeries(names[i], band, color, 0.16)] : [line]
  })
  return {
    ...frame(theme, {}),
    legend: legend(theme, {}, names),
    grid: { left: 16, right: 90, top: topMargin({}, names.length > 1) + 8, bottom: 12 },
    xAxis: {
      type: 'value',
      name: 'tap (depth)',
      nameLocation: 'middle',
      min: 0,
      max: Math.max(0, result.taps.length - 1),
      interval: 1,
      ...axes,
      axisLabel: {
        ...axes.axisLabel,
        rotate: 40,
        formatter: (value: number) => result.taps[value] ?? '',
      },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: 'CKA (clean vs corrupted)',
      nameLocation: 'middle',
      scale: yRange === null,
      min: yRange?.[0],
      max: yRange?.[1],
      ...axes,
    },
    tooltip: {
      ...(frame(theme, {}).tooltip as object),
      trigger: 'axis',
      axisPointer: { type: 'line', lineStyle: { color: p.axisLine } },
      formatter: (params) => tooltipText(Array.isArray(params) ? params : [params], result.taps),
    },
    series,
  }
}

/** 0–1, or from just under the lowest value, interval or threshold up to 1 (steps of 0.05). */
export function breakdownAxisRange(
  result: CorruptionBreakdown,
  isFullScale: boolean,
): [number, number] {
  if (isFullScale) return [0, 1]
  const lows = result.severities.flatMap((s) =>
    s.values.flatMap((v, t) => (v === null ? [] : [s.intervals?.[t]?.lower ?? v])),
  )
  const lowest = Math.min(result.threshold, ...lows)
  return [Math.min(0.95, Math.max(0, Math.floor(lowest * 20) / 20)), 1]
}
