import type { CustomSeriesOption, EChartsOption, LineSeriesOption } from 'echarts'
import { intervalBandSeries } from './interval-band.ts'
import type { BandDatum } from './interval-band.ts'
import { axisStyle, formatNumber, frame, legend, palette, seriesColor, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

export interface BandPoint {
  x: number
  y: number
  /** Half-width of the band around y (a std); null or absent: no band at this x. */
  spread?: number | null
  /** An asymmetric band instead (a 95 % interval); wins over `spread`. */
  interval?: { lower: number; upper: number } | null
}

export interface BandSeries {
  name: string
  points: BandPoint[]
  /** Drawn dashed in the baseline grey. */
  isBaseline?: boolean
  /** Palette slot; series of one group (e.g. its splits) share it. Default: the series' position. */
  colorIndex?: number
  /** Dotted instead of solid (e.g. a train split next to its test split). */
  isSecondary?: boolean
  /** Overrides the line type isSecondary and isBaseline give. */
  lineType?: 'solid' | 'dashed' | 'dotted'
  /** The unsmoothed values behind a smoothed series of the same label: faint, in its tooltip. */
  isRaw?: boolean
  /**
   * What the tooltip calls the line (default: its name). Lines sharing a name share one legend
   * entry, e.g. a run's train and test splits under the run's name.
   */
  label?: string
}

export interface SeriesBandsInput extends FrameOptions {
  series: BandSeries[]
  xName: string
  yName: string
  /** Fixed y range, e.g. [0, 1] for accuracy; null: from the data. */
  yRange?: [number, number] | null
  /** Integer x values only (epochs). */
  isIntegerX?: boolean
  /** A logarithmic y axis (the points must be positive). */
  isLogY?: boolean
  /** A logarithmic x axis (the points must be positive), e.g. fractions from 0.0005 to 1. */
  isLogX?: boolean
  /** The x tick labels, e.g. 'clean' at severity 0; default: the number. */
  xTickLabel?: (x: number) => string
  /** Show the legend for a single series too (its name says what was subtracted). */
  isLegendShown?: boolean
}

function bandData(points: BandPoint[]): BandDatum[] {
  return points.flatMap((pt): BandDatum[] => {
    if (pt.interval) return [[pt.x, pt.interval.lower, pt.interval.upper]]
    const spread = pt.spread
    return spread !== null && spread !== undefined && Number.isFinite(spread)
      ? [[pt.x, pt.y - spread, pt.y + spread]]
      : []
  })
}

/** The ±spread (or interval) area of a series. */
function bandSeries(name: string, data: BandDatum[], color: string): CustomSeriesOption {
  return { ...intervalBandSeries(name, data, color, 0.18), itemStyle: { color } }
}

function lineSeries(series: BandSeries, color: string): LineSeriesOption {
  const lineType =
    series.lineType ?? (series.isSecondary ? 'dotted' : series.isBaseline ? 'dashed' : 'solid')
  const raw = series.isRaw ? { silent: true, showSymbol: false, z: 2 } : {}
  return {
    type: 'line',
    name: series.name,
    data: series.points.map((pt) =>
      pt.interval
        ? [pt.x, pt.y, pt.spread ?? NaN, pt.interval.lower, pt.interval.upper]
        : [pt.x, pt.y, pt.spread ?? NaN],
    ),
    encode: { x: 0, y: 1 },
    showSymbol: series.points.length <= 40,
    symbolSize: 5,
    z: 3,
    lineStyle: {
      color,
      width: series.isBaseline ? 2.5 : 2,
      type: lineType,
      opacity: series.isRaw ? 0.3 : 1,
    },
    itemStyle: { color },
    ...raw,
  }
}

type TooltipItem = { seriesIndex?: number; value?: unknown; marker?: unknown }

/** One line per series (by label); a smoothed series' line ends with its raw value. */
function tooltipText(items: TooltipItem[], sources: BandSeries[]): string {
  const valued = items.flatMap((item) => {
    const source = sources[item.seriesIndex ?? -1]
    return source && Array.isArray(item.value) ? [{ ...item, source }] : []
  })
  const labelOf = (series: BandSeries): string => series.label ?? series.name
  const rawOf = new Map(
    valued.filter((i) => i.source.isRaw).map((i) => [labelOf(i.source), (i.value as number[])[1]]),
  )
  const lines = valued
    .filter((item) => !item.source.isRaw)
    .map((item) => {
      const [, y, spread, lower, upper] = item.value as number[]
      const band = Number.isFinite(lower)
        ? ` [${formatNumber(lower)}, ${formatNumber(upper)}]`
        : Number.isFinite(spread)
          ? ` ± ${formatNumber(spread)}`
          : ''
      const marker = typeof item.marker === 'string' ? item.marker : ''
      const raw = rawOf.get(labelOf(item.source))
      const rawText = raw === undefined ? '' : ` (raw ${formatNumber(raw)})`
      return `${marker}${labelOf(item.source)}: ${formatNumber(y)}${band}${rawText}`
    })
  const x = (items[0]?.value as number[] | undefined)?.[0]
  return [x === undefined ? '' : formatNumber(x), ...lines].join('<br>')
}

/** Several series over x; a series with spreads gets a ±spread band; the baseline is dashed. */
export function seriesBandsOption(input: SeriesBandsInput, theme: ChartTheme): EChartsOption {
  const p = palette(theme)
  const axes = axisStyle(theme)
  const colored = input.series.map((s, i) => ({
    series: s,
    color: s.isBaseline ? p.baseline : seriesColor(theme, s.colorIndex ?? i),
  }))
  const names = [...new Set(input.series.map((s) => s.name))]
  const hasLegend = names.length > 1 || input.isLegendShown === true
  // The ECharts series in order, each with the input series it draws (a band follows its line).
  const drawn = colored.flatMap(({ series, color }) => {
    const band = bandData(series.points).filter(([, lo]) => !input.isLogY || lo > 0)
    const line = { option: lineSeries(series, color), source: series }
    return band.length > 1
      ? [line, { option: bandSeries(series.name, band, color), source: series }]
      : [line]
  })
  const sources = drawn.map((d) => d.source)
  return {
    ...frame(theme, input),
    legend: { ...legend(theme, input, names), show: hasLegend },
    grid: { left: 16, right: 28, top: topMargin(input, hasLegend) + 8, bottom: 12 },
    xAxis: {
      type: input.isLogX ? 'log' : 'value',
      name: input.xName,
      nameLocation: 'middle',
      minInterval: input.isIntegerX ? 1 : 0,
      scale: true,
      ...axes,
      ...(input.xTickLabel
        ? { axisLabel: { ...axes.axisLabel, formatter: input.xTickLabel } }
        : {}),
      splitLine: { show: false },
    },
    yAxis: {
      type: input.isLogY ? 'log' : 'value',
      name: input.yName,
      nameLocation: 'middle',
      scale: !input.yRange,
      min: input.yRange?.[0],
      max: input.yRange?.[1],
      ...axes,
    },
    tooltip: {
      ...(frame(theme, input).tooltip as object),
      trigger: 'axis',
      axisPointer: { type: 'line', lineStyle: { color: p.axisLine } },
      formatter: (params) => tooltipText(Array.isArray(params) ? params : [params], sources),
    },
    series: drawn.map((d) => d.option),
  }
}
