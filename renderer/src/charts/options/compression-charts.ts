import type { BarSeriesOption, CustomSeriesOption, EChartsOption } from 'echarts'
import type {
  CompressionResult,
  CompressionSite,
  CompressionSiteKind,
} from '../../../../electron/api/contract/index.ts'
// Relative imports: the export service runs these builders in Node, which knows no '@analysis'.
import { baselineOf, ChartDataError, requireKind, stringOption } from './chart-data.ts'
import type { ChartData, ChartSpec, LabeledResult } from './chart-data.ts'
import { compressionSiteHeatmapOption } from './compression-site-heatmap.ts'
import {
  acgcBitsBySite,
  SITE_KIND_NAMES,
  siteLabels,
  siteUnion,
  zeroFractionBySite,
} from './compression-sites.ts'
import type { Spread } from './compression-sites.ts'
import { compressionCurvesOption } from './compression-sweep.ts'
import { percentText, SWEEP_VIEWS } from './compression-text.ts'
import { errorBarSeries } from './error-bars.ts'
import { axisStyle, formatNumber, frame, legend, palette, seriesColor, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** options.view: 'curves' (default) over b, or 'sites': the site × b heatmap. */
export function compressionSweepOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const view = stringOption(spec, 'view', 'curves')
  if (!(SWEEP_VIEWS as readonly string[]).includes(view))
    throw new ChartDataError(`Unknown sweep view '${view}': use ${SWEEP_VIEWS.join(', ')}.`)
  return view === 'sites'
    ? compressionSiteHeatmapOption(spec, data, theme, frameOptions)
    : compressionCurvesOption(spec, data, theme, frameOptions)
}

/** One bar series per kind (one result) or per result: per-site values, null where absent. */
interface BitsGroup {
  name: string
  color: string
  bits: (Spread | null)[]
  zeroFraction: (number | null)[]
}

const KIND_ORDER: CompressionSiteKind[] = ['conv-input', 'bn-input']

function kindGroups(
  result: CompressionResult,
  sites: CompressionSite[],
  theme: ChartTheme,
): BitsGroup[] {
  const bits = acgcBitsBySite(result.acgc!)
  const zeros = zeroFractionBySite(result)
  return KIND_ORDER.filter((kind) => sites.some((s) => s.kind === kind)).map((kind, i) => ({
    name: SITE_KIND_NAMES[kind],
    color: seriesColor(theme, i),
    bits: sites.map((s) => (s.kind === kind ? (bits.get(s.id) ?? null) : null)),
    zeroFraction: sites.map((s) => (s.kind === kind ? (zeros.get(s.id) ?? null) : null)),
  }))
}

function resultGroups(
  spec: ChartSpec,
  results: LabeledResult<CompressionResult>[],
  sites: CompressionSite[],
  theme: ChartTheme,
): BitsGroup[] {
  const baseline = baselineOf(spec, results)
  let colorIndex = 0
  return results.map((r) => {
    const bits = acgcBitsBySite(r.payload.acgc!)
    const zeros = zeroFractionBySite(r.payload)
    const isBaseline = r === baseline
    return {
      name: isBaseline ? `${r.label} (baseline)` : r.label,
      color: isBaseline ? palette(theme).baseline : seriesColor(theme, colorIndex++),
      bits: sites.map((s) => bits.get(s.id) ?? null),
      zeroFraction: sites.map((s) => zeros.get(s.id) ?? null),
    }
  })
}

const BAR_MAX_WIDTH = 18

function barsOf(groups: BitsGroup[], isStacked: boolean): BarSeriesOption[] {
  return groups.flatMap((g) => [
    {
      type: 'bar' as const,
      name: g.name,
      data: g.bits.map((b) => b?.mean ?? '-'),
      itemStyle: { color: g.color },
      barMaxWidth: BAR_MAX_WIDTH,
      ...(isStacked ? { stack: 'bits' } : {}),
    },
    {
      type: 'bar' as const,
      name: g.name,
      xAxisIndex: 1,
      yAxisIndex: 1,
      data: g.zeroFraction.map((z) => z ?? '-'),
      itemStyle: { color: g.color, opacity: 0.7 },
      barMaxWidth: BAR_MAX_WIDTH,
      ...(isStacked ? { stack: 'zeros' } : {}),
    },
  ])
}

function whiskersOf(groups: BitsGroup[], isStacked: boolean, color: string): CustomSeriesOption[] {
  return groups.flatMap((g, i) => {
    const data = g.bits.flatMap((b, c) =>
      b ? [[c, b.min, b.max] as [number, number, number]] : [],
    )
    if (data.length === 0) return []
    const placement = {
      barCount: isStacked ? 1 : groups.length,
      barIndex: isStacked ? 0 : i,
      barMaxWidth: BAR_MAX_WIDTH,
    }
    return [errorBarSeries(`${g.name} · channel min–max`, data, color, { placement })]
  })
}

function tooltipText(groups: BitsGroup[], categories: string[], index: number): string {
  const lines = groups.flatMap((g) => {
    const b = g.bits[index]
    const z = g.zeroFraction[index]
    if (!b && z === null) return []
    const bits = b
      ? `${formatNumber(b.mean, 3)} bits (channels ${formatNumber(b.min, 3)} – ${formatNumber(b.max, 3)})`
      : 'no AC-GC width'
    const zeros = z === null ? '' : `, zeros ${percentText(z)}`
    return [`${g.name}: ${bits}${zeros}`]
  })
  return [categories[index] ?? '', ...lines].join('<br>')
}

/**
 * AC-GC's widths per site in depth order: the mean over channels as bars (conv and BatchNorm
 * inputs in their own colours for one result, one colour per result otherwise) with the
 * channels' min–max as whiskers; below, each site's zero fraction (mean over channels), which
 * decides what zero-value compression saves.
 */
export function compressionBitsOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const all = requireKind<CompressionResult>(spec, data.results, 'compression')
  const results = all.filter((r) => r.payload.acgc !== null)
  if (results.length === 0)
    throw new ChartDataError(`Result ${all[0].id} has no AC-GC bit choice: run it with AC-GC.`)
  const sites = siteUnion(results.map((r) => r.payload))
  const categories = siteLabels(sites)
  const isStacked = results.length === 1
  const groups = isStacked
    ? kindGroups(results[0].payload, sites, theme)
    : resultGroups(spec, results, sites, theme)
  const p = palette(theme)
  const axes = axisStyle(theme)
  const top = topMargin(frameOptions, groups.length > 1)
  const xAxis = (gridIndex: number) => ({
    type: 'category' as const,
    gridIndex,
    data: categories,
    ...axes,
    name: gridIndex === 1 ? 'site (depth →)' : '',
    nameLocation: 'middle' as const,
    axisLabel: { ...axes.axisLabel, show: gridIndex === 1, rotate: 60, hideOverlap: true },
    splitLine: { show: false },
  })
  return {
    ...frame(theme, frameOptions),
    legend: {
      ...legend(
        theme,
        frameOptions,
        groups.map((g) => g.name),
      ),
      show: groups.length > 1,
    },
    grid: [
      { left: 16, right: 20, top: top + 8, bottom: '44%' },
      { left: 16, right: 20, top: '62%', bottom: 12 },
    ],
    xAxis: [xAxis(0), xAxis(1)],
    yAxis: [
      {
        type: 'value',
        gridIndex: 0,
        name: 'AC-GC bits per value',
        nameLocation: 'middle',
        ...axes,
      },
      {
        type: 'value',
        gridIndex: 1,
        name: 'zero fraction',
        nameLocation: 'middle',
        min: 0,
        ...axes,
        axisLabel: { ...axes.axisLabel, formatter: (v: number) => percentText(v, 2) },
      },
    ],
    tooltip: {
      ...(frame(theme, frameOptions).tooltip as object),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const items = (Array.isArray(params) ? params : [params]) as { dataIndex?: number }[]
        return tooltipText(groups, categories, items[0]?.dataIndex ?? -1)
      },
    },
    series: [...barsOf(groups, isStacked), ...whiskersOf(groups, isStacked, p.text)],
  }
}
