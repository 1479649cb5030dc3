import type { EChartsOption, LineSeriesOption } from 'echarts'
import type {
  T3aDomainResult,
  T3aFilter,
  T3aFilterResult,
  T3aResult,
} from '../../../../electron/api/contract/index.ts'
import { ChartDataError, isDifferenceMode, requireKind, stringOption } from './chart-data.ts'
import type { ChartData, ChartSpec, LabeledResult } from './chart-data.ts'
import { layerBarsOption } from './layer-bars.ts'
import type { BarGroup } from './layer-bars.ts'
import { axisStyle, formatNumber, frame, legend, palette, seriesColor, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** 'M = 20', 'M = all'. */
export function filterName(filter: T3aFilter): string {
  return `M = ${filter}`
}

/** options.filter ('all', '20'); absent: every filter of the result. */
export function filterOption(spec: ChartSpec): T3aFilter | null {
  const value = spec.options['filter']
  if (value === undefined || value === '') return null
  if (value === 'all') return 'all'
  const m = Number(value)
  if (!Number.isInteger(m) || m < 1)
    throw new ChartDataError(`options.filter must be a positive M or 'all', got '${value}'.`)
  return m
}

function filterResult(domain: T3aDomainResult, filter: T3aFilter): T3aFilterResult | undefined {
  return domain.filters.find((f) => f.filter === filter)
}

/** The domains of the results, in the first result's order, then any the others add. */
function domainLabels(results: LabeledResult<T3aResult>[]): string[] {
  return [...new Set(results.flatMap((r) => r.payload.domains.map((d) => d.label)))]
}

function bySeries(
  results: LabeledResult<T3aResult>[],
  filters: T3aFilter[],
  domains: string[],
  isSingle: boolean,
  isDifference: boolean,
): BarGroup[] {
  return results.flatMap((r) => {
    const domainOf = (label: string) => r.payload.domains.find((d) => d.label === label)
    const prefix = isSingle ? '' : `${r.label} · `
    const base: BarGroup = {
      name: `${prefix}base`,
      isBaseline: isSingle,
      values: domains.map((label) => domainOf(label)?.base.accuracy ?? null),
      intervals: domains.map((label) => domainOf(label)?.base.interval ?? null),
    }
    const adapted = filters.map((filter): BarGroup => {
      const cells = domains.map((label) => {
        const domain = domainOf(label)
        return domain ? filterResult(domain, filter) : undefined
      })
      return {
        name: `${prefix}T3A ${filterName(filter)}`,
        values: cells.map((c) => (c ? (isDifference ? c.delta.value : c.accuracy) : null)),
        intervals: cells.map((c) => (c ? (isDifference ? c.delta.interval : c.interval) : null)),
      }
    })
    return isDifference ? adapted : [base, ...adapted]
  })
}

/**
 * Top-1 per domain: the base classifier and T3A at each M (options.filter: one M), with Wilson
 * 95 % intervals; several results side by side. options.mode = 'difference': T3A − base on the
 * same images, with its paired bootstrap interval.
 */
export function t3aDomainsOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<T3aResult>(spec, data.results, 't3a')
  const chosen = filterOption(spec)
  const isDifference = isDifferenceMode(spec)
  const first = results[0].payload.domains[0]
  const filters = chosen === null ? (first?.filters.map((f) => f.filter) ?? []) : [chosen]
  if (filters.length === 0) throw new ChartDataError('These T3A results have no filter size.')
  const domains = domainLabels(results)
  return layerBarsOption(
    {
      ...frameOptions,
      categories: domains,
      groups: bySeries(results, filters, domains, results.length === 1, isDifference),
      xName: 'domain',
      yName: isDifference ? 'top-1 accuracy, T3A − base (paired)' : 'top-1 accuracy',
      mode: isDifference ? 'difference' : 'absolute',
      areDifferences: isDifference,
      isPercent: true,
      yRange: isDifference ? null : [0, 1],
    },
    theme,
  )
}

/** The lines per class drawn one by one; more classes are drawn as their min, median and max. */
const MAX_CLASS_LINES = 20

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo)
}

/** Support counts over batches: one line per class, or min/median/max over many classes. */
export function supportCountLines(
  supports: T3aFilterResult['supports'],
  classNames: string[],
): { name: string; values: number[] }[] {
  const classes = supports.counts[0]?.length ?? 0
  if (classes <= MAX_CLASS_LINES)
    return Array.from({ length: classes }, (_, k) => ({
      name: classNames[k] ?? `class ${k}`,
      values: supports.counts.map((row) => row[k]),
    }))
  const sorted = supports.counts.map((row) => [...row].sort((a, b) => a - b))
  return [
    { name: 'min over classes', values: sorted.map((s) => s[0]) },
    { name: 'median over classes', values: sorted.map((s) => quantile(s, 0.5)) },
    { name: 'max over classes', values: sorted.map((s) => s[s.length - 1]) },
  ]
}

type AxisItem = { seriesName?: string; value?: unknown; marker?: unknown }

function axisTooltip(items: AxisItem[]): string {
  const rows = items.map((item) => {
    const [, y] = item.value as number[]
    const marker = typeof item.marker === 'string' ? item.marker : ''
    return `${marker}${item.seriesName ?? ''}: ${formatNumber(y)}`
  })
  const batch = (items[0]?.value as number[] | undefined)?.[0]
  return [batch === undefined ? '' : `batch ${batch}`, ...rows].join('<br>')
}

/** The domain and filter an options pair names (default: the first domain, the last filter). */
function chosenSupports(spec: ChartSpec, result: T3aResult) {
  const label = stringOption(spec, 'domain', result.domains[0]?.label ?? '')
  const domain = result.domains.find((d) => d.label === label)
  if (!domain) throw new ChartDataError(`The T3A result has no domain '${label}'.`)
  const filter = filterOption(spec) ?? domain.filters.at(-1)?.filter
  const cell = filter === undefined ? undefined : filterResult(domain, filter)
  if (!cell) throw new ChartDataError(`Domain '${label}' has no T3A result at M = ${filter}.`)
  return { domain, cell }
}

/**
 * The support set of one domain and M over the stream (options.domain, options.filter): each
 * class's support count per batch (left axis) and the mean entropy of the supports (right axis,
 * dashed).
 */
export function t3aSupportsOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const [result] = requireKind<T3aResult>(spec, data.results, 't3a')
  const { domain, cell } = chosenSupports(spec, result.payload)
  const batches = cell.supports.batches
  const lines = supportCountLines(cell.supports, result.payload.classes)
  const p = palette(theme)
  const axes = axisStyle(theme)
  const entropyName = 'mean entropy of the supports'
  const countSeries: LineSeriesOption[] = lines.map((line, i) => ({
    type: 'line',
    name: line.name,
    data: line.values.map((v, b) => [batches[b], v]),
    showSymbol: false,
    lineStyle: { width: 1.5, color: seriesColor(theme, i) },
    itemStyle: { color: seriesColor(theme, i) },
  }))
  const entropy: LineSeriesOption = {
    type: 'line',
    name: entropyName,
    yAxisIndex: 1,
    data: cell.supports.meanEntropy.map((v, b) => [batches[b], v]),
    showSymbol: false,
    lineStyle: { width: 2.5, type: 'dashed', color: p.text },
    itemStyle: { color: p.text },
  }
  const names = [...lines.map((l) => l.name), entropyName]
  return {
    ...frame(theme, frameOptions),
    legend: { ...legend(theme, frameOptions, names), show: true },
    grid: { left: 16, right: 24, top: topMargin(frameOptions, true) + 8, bottom: 12 },
    xAxis: {
      type: 'value',
      name: `test batch of the stream (${domain.label}, ${filterName(cell.filter)})`,
      nameLocation: 'middle',
      minInterval: 1,
      ...axes,
      splitLine: { show: false },
    },
    yAxis: [
      {
        type: 'value',
        name: 'supports per class',
        nameLocation: 'middle',
        minInterval: 1,
        ...axes,
      },
      {
        type: 'value',
        name: 'mean entropy (nats)',
        nameLocation: 'middle',
        ...axes,
        splitLine: { show: false },
      },
    ],
    tooltip: {
      ...(frame(theme, frameOptions).tooltip as object),
      trigger: 'axis',
      formatter: (params) => axisTooltip(Array.isArray(params) ? params : [params]),
    },
    series: [...countSeries, entropy],
  }
}
