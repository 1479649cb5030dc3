import type {
  CustomSeriesOption,
  EChartsOption,
  LineSeriesOption,
  ScatterSeriesOption,
} from 'echarts'
import type {
  CompressionResult,
  CompressionSweepPoint,
  OutputDivergence,
} from '../../../../electron/api/contract/index.ts'
import {
  baselineOf,
  booleanOption,
  ChartDataError,
  requireKind,
  stringOption,
} from './chart-data.ts'
import type { ChartData, ChartSpec, LabeledResult } from './chart-data.ts'
import { sitesByDepth, togetherPoints } from './compression-sites.ts'
import { divergenceLines, percentText, sweepPointTip, SWEEP_MEASURES } from './compression-text.ts'
import type { SweepMeasure } from './compression-text.ts'
import { errorBarSeries } from './error-bars.ts'
import { intervalBandSeries } from './interval-band.ts'
import { axisStyle, formatNumber, frame, legend, palette, seriesColor, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

export function sweepMeasureOf(spec: ChartSpec): SweepMeasure {
  const measure = stringOption(spec, 'measure', 'top1')
  if (!(SWEEP_MEASURES as readonly string[]).includes(measure))
    throw new ChartDataError(
      `Unknown compression measure '${measure}': use ${SWEEP_MEASURES.join(', ')}.`,
    )
  return measure as SweepMeasure
}

/**
 * The widths of every result in ascending order as evenly spaced columns (b = 16 far right), and
 * any width between them (AC-GC's mean bits) placed linearly between its neighbours.
 */
export function bitsAxis(bits: readonly number[]): {
  bits: number[]
  position: (b: number) => number
} {
  const sorted = [...new Set(bits)].sort((a, b) => a - b)
  const position = (b: number): number => {
    if (sorted.length < 2 || b <= sorted[0]) return b - (sorted[0] ?? b)
    const last = sorted.length - 1
    if (b >= sorted[last]) return last + (b - sorted[last]) / (sorted[last] - sorted[last - 1])
    const i = sorted.findIndex((w, k) => b >= w && b <= sorted[k + 1])
    return i + (b - sorted[i]) / (sorted[i + 1] - sorted[i])
  }
  return { bits: sorted, position }
}

/** A series and the tooltip text of each of its points. */
interface Drawn {
  option: LineSeriesOption | ScatterSeriesOption | CustomSeriesOption
  tips: string[]
}

interface Place {
  x: (b: number) => number
  measure: SweepMeasure
  /** The background colour: it rings the AC-GC diamond. */
  outline: string
}

/** The y value of a pass; null where a log axis cannot draw it (KL = 0). */
function yOf(d: OutputDivergence, measure: SweepMeasure): number | null {
  if (measure === 'top1') return d.top1
  return d.kl.estimate > 0 ? d.kl.estimate : null
}

/** Top-1: the unquantized top-1 plus the paired Δ interval; KL: its bootstrap interval. */
function intervalOf(
  d: OutputDivergence,
  reference: number,
  measure: SweepMeasure,
): [number, number] | null {
  if (measure === 'top1') return [reference + d.top1Delta.lower, reference + d.top1Delta.upper]
  const lower = d.kl.lower > 0 ? d.kl.lower : d.kl.estimate
  return d.kl.estimate > 0 ? [lower, d.kl.upper] : null
}

const lerp = (a: number, b: number, t: number): number => Math.round(a + (b - a) * t)

/** A colour along the sequential palette for a depth fraction in [0, 1]. */
export function depthColor(theme: ChartTheme, fraction: number): string {
  const stops = palette(theme).sequential.map((hex) =>
    [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)),
  )
  const at = Math.min(1, Math.max(0, fraction)) * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(at))
  const rgb = stops[i].map((c, k) => lerp(c, stops[i + 1][k], at - i))
  return `rgb(${rgb.join(', ')})`
}

function referenceMarks(result: CompressionResult, color: string) {
  const { estimate, lower, upper } = result.top1
  return {
    markLine: {
      silent: true,
      symbol: 'none',
      lineStyle: { color, type: 'dashed' as const, width: 1.5 },
      label: {
        formatter: `unquantized ${percentText(estimate)}`,
        position: 'insideStartTop' as const,
        color,
      },
      data: [{ yAxis: estimate }],
    },
    markArea: {
      silent: true,
      itemStyle: { color, opacity: 0.1 },
      data: [[{ yAxis: lower }, { yAxis: upper }]] as [{ yAxis: number }, { yAxis: number }][],
    },
  }
}

/** The bold curve of every site together, its intervals, and the AC-GC point of one result. */
function togetherSeries(
  result: LabeledResult<CompressionResult>,
  name: string,
  color: string,
  place: Place,
): Drawn[] {
  const payload = result.payload
  const points = togetherPoints(payload)
  const reference = payload.top1.estimate
  const drawn: Drawn[] = []
  if (points.length > 0) {
    drawn.push({
      option: {
        type: 'line',
        name,
        data: points.map((p) => [place.x(p.bits), yOf(p.divergence, place.measure) ?? '-']),
        lineStyle: { color, width: 3 },
        itemStyle: { color },
        symbolSize: 7,
        z: 4,
        ...(place.measure === 'top1' ? referenceMarks(payload, color) : {}),
      },
      tips: points.map((p) => sweepPointTip(name, p)),
    })
    drawn.push(...intervalSeries(points, name, color, place, reference))
  }
  if (payload.acgc) drawn.push(...acgcSeries(payload, name, color, place))
  return drawn
}

function intervalSeries(
  points: CompressionSweepPoint[],
  name: string,
  color: string,
  place: Place,
  reference: number,
): Drawn[] {
  const spans = points.flatMap((p) => {
    const interval = intervalOf(p.divergence, reference, place.measure)
    return interval ? [[place.x(p.bits), ...interval] as [number, number, number]] : []
  })
  if (spans.length === 0) return []
  if (place.measure === 'top1')
    return [
      {
        option: errorBarSeries(`${name} · paired Δ interval`, spans, color),
        tips: [],
      },
    ]
  return spans.length > 1
    ? [
        {
          option: intervalBandSeries(`${name} · KL interval`, spans, color, 0.16),
          tips: [],
        },
      ]
    : []
}

function acgcSeries(
  payload: CompressionResult,
  name: string,
  color: string,
  place: Place,
): Drawn[] {
  const acgc = payload.acgc!
  const bits = acgc.accounting.meanBits
  const x = place.x(bits)
  const y = yOf(acgc.forward, place.measure)
  const interval = intervalOf(acgc.forward, payload.top1.estimate, place.measure)
  const label = `${name} · AC-GC (e = ${acgc.tolerance})`
  const tip = [
    label,
    `mean ${formatNumber(bits, 3)} bits per value, ratio ${formatNumber(acgc.accounting.ratio, 3)}×`,
    ...divergenceLines(acgc.forward),
  ].join('<br>')
  return [
    {
      option: {
        type: 'scatter',
        name: label,
        data: [[x, y ?? '-']],
        symbol: 'diamond',
        symbolSize: 15,
        itemStyle: { color, borderColor: place.outline, borderWidth: 1 },
        z: 6,
      },
      tips: [tip],
    },
    ...(interval
      ? [{ option: errorBarSeries(`${label} interval`, [[x, ...interval]], color), tips: [] }]
      : []),
  ]
}

/** One thin line per site quantized alone, coloured by depth (one result only). */
function eachAloneSeries(result: CompressionResult, theme: ChartTheme, place: Place): Drawn[] {
  const sites = sitesByDepth(result)
  const deepest = Math.max(1, sites.length - 1)
  return sites.flatMap((site, i) => {
    const points = result.sweep.filter((p) => p.siteId === site.id).sort((a, b) => a.bits - b.bits)
    if (points.length === 0) return []
    const color = depthColor(theme, i / deepest)
    return [
      {
        option: {
          type: 'line',
          name: site.id,
          data: points.map((p) => [place.x(p.bits), yOf(p.divergence, place.measure) ?? '-']),
          lineStyle: { color, width: 1, opacity: 0.8 },
          itemStyle: { color },
          showSymbol: false,
          z: 2,
        } satisfies LineSeriesOption,
        tips: points.map((p) => sweepPointTip(site.id, p)),
      },
    ]
  })
}

function yAxisName(measure: SweepMeasure): string {
  return measure === 'top1'
    ? 'top-1 accuracy (quantized activations)'
    : 'KL(unquantized ‖ quantized), nats'
}

/**
 * Top-1 (or KL, log y) against the width b: every site together as a bold curve with the paired
 * Δtop-1 interval as whiskers (a band for KL), the unquantized top-1 dashed over its interval,
 * AC-GC's choice as a diamond at its mean bits; options.perSite adds a thin line per site
 * quantized alone (one result). Several results overlay their together curves.
 */
export function compressionCurvesOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<CompressionResult>(spec, data.results, 'compression')
  const measure = sweepMeasureOf(spec)
  const axis = bitsAxis(results.flatMap((r) => r.payload.sweep.map((p) => p.bits)))
  const acgcPositions = results.flatMap((r) =>
    r.payload.acgc ? [axis.position(r.payload.acgc.accounting.meanBits)] : [],
  )
  if (axis.bits.length === 0 && acgcPositions.length === 0)
    throw new ChartDataError('These results hold no sweep and no AC-GC choice to draw.')
  const place: Place = { x: axis.position, measure, outline: palette(theme).background }
  const isSingle = results.length === 1
  const baseline = isSingle ? null : baselineOf(spec, results)
  const perSite = isSingle && booleanOption(spec, 'perSite')
  let colorIndex = 0
  const drawn = results.flatMap((r) => {
    const isBaseline = r === baseline
    const color = isBaseline ? palette(theme).baseline : seriesColor(theme, colorIndex++)
    const name = isSingle ? 'every site together' : `${r.label}${isBaseline ? ' (baseline)' : ''}`
    return togetherSeries(r, name, color, place)
  })
  if (perSite) drawn.push(...eachAloneSeries(results[0].payload, theme, place))
  return sweepFrame(drawn, axis, acgcPositions, measure, theme, frameOptions)
}

function sweepFrame(
  drawn: Drawn[],
  axis: ReturnType<typeof bitsAxis>,
  acgcPositions: number[],
  measure: SweepMeasure,
  theme: ChartTheme,
  frameOptions: FrameOptions,
): EChartsOption {
  const axes = axisStyle(theme)
  const names = drawn.filter((d) => d.option.type !== 'custom').map((d) => String(d.option.name))
  const hasLegend = names.length > 1
  const last = Math.max(axis.bits.length - 1, ...acgcPositions)
  const first = Math.min(0, ...acgcPositions)
  const tips = drawn.map((d) => d.tips)
  const columns = axis.bits.map((_, i) => i)
  return {
    ...frame(theme, frameOptions),
    legend: { ...legend(theme, frameOptions, names), show: hasLegend },
    grid: { left: 16, right: 28, top: topMargin(frameOptions, hasLegend) + 8, bottom: 12 },
    xAxis: {
      type: 'value',
      name: 'bits b per stored value (as AC-GC counts them)',
      nameLocation: 'middle',
      min: first - 0.4,
      max: last + 0.4,
      ...axes,
      // One tick per swept width, wherever the AC-GC points widen the axis.
      axisTick: { ...axes.axisTick, customValues: columns },
      axisLabel: {
        ...axes.axisLabel,
        customValues: columns,
        formatter: (v: number) => String(axis.bits[Math.round(v)] ?? ''),
      },
      splitLine: { show: false },
    },
    yAxis: {
      type: measure === 'kl' ? 'log' : 'value',
      name: yAxisName(measure),
      nameLocation: 'middle',
      scale: true,
      ...axes,
      // At the left edge, not at b's column 0.
      axisLine: { ...axes.axisLine, onZero: false },
      axisLabel: {
        ...axes.axisLabel,
        formatter: (v: number) => (measure === 'top1' ? percentText(v) : formatNumber(v, 2)),
      },
    },
    tooltip: {
      ...(frame(theme, frameOptions).tooltip as object),
      trigger: 'item',
      formatter: (params) => {
        const item = Array.isArray(params) ? params[0] : params
        return tips[item.seriesIndex ?? -1]?.[item.dataIndex] ?? ''
      },
    },
    series: drawn.map((d) => d.option),
  }
}
