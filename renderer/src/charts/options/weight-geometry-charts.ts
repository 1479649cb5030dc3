import type { EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts'
import type {
  LayerGeometry,
  WeightGeometryResult,
} from '../../../../electron/api/contract/analyses/weight-geometry.ts'
import {
  baselineOf,
  booleanOption,
  ChartDataError,
  requireKind,
  stringOption,
} from './chart-data.ts'
import type { ChartData, ChartSpec, LabeledResult } from './chart-data.ts'
import { trajectoryHeatmapOption, trajectoryRuns } from './trajectory.ts'
import { axisStyle, formatNumber, frame, legend, palette, seriesColor, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

export const GEOMETRY_MEASURES = [
  'orthogonality',
  'regularizer',
  'meanAbsCos',
  'stableRank',
  'effectiveRank',
  'effectiveRankRatio',
] as const
export type GeometryMeasure = (typeof GEOMETRY_MEASURES)[number]

export const GEOMETRY_MEASURE_NAMES: Record<GeometryMeasure, string> = {
  orthogonality: '‖ŴŴᵀ − I‖²/n² (rows normalised)',
  regularizer: '‖WWᵀ − I‖²/n² (filter-bases regularizer)',
  meanAbsCos: 'mean |cos| between filters',
  stableRank: 'stable rank ‖W‖²_F/σ²_max',
  effectiveRank: 'effective rank',
  effectiveRankRatio: 'effective rank / min(n, m)',
}

export function geometryMeasureOf(spec: ChartSpec): GeometryMeasure {
  const measure = stringOption(spec, 'measure', 'orthogonality')
  if (!(GEOMETRY_MEASURES as readonly string[]).includes(measure))
    throw new ChartDataError(
      `Unknown weight-geometry measure '${measure}': use ${GEOMETRY_MEASURES.join(', ')}.`,
    )
  return measure as GeometryMeasure
}

/** The name a weight goes by: its torchvision parameter name, else its initializer. */
export function weightName(layer: LayerGeometry): string {
  return (layer.parameterKey ?? layer.initializer).replace(/\.weight$/, '')
}

export function geometryValue(layer: LayerGeometry, measure: GeometryMeasure): number {
  if (measure === 'effectiveRankRatio')
    return layer.effectiveRank / Math.max(1, Math.min(layer.rows, layer.columns))
  return layer[measure]
}

function byDepth(result: WeightGeometryResult): LayerGeometry[] {
  return [...result.layers].sort((a, b) => a.depth - b.depth)
}

/** Every result's weights in depth order, the first result's order first. */
function weightNames(results: LabeledResult<WeightGeometryResult>[]): string[] {
  const depth = new Map<string, number>()
  for (const r of results)
    for (const l of r.payload.layers)
      if (!depth.has(weightName(l))) depth.set(weightName(l), l.depth)
  return [...depth].sort((a, b) => a[1] - b[1]).map(([key]) => key)
}

function positive(values: (number | null)[], isLog: boolean): (number | string)[] {
  return values.map((v) => (v === null || !Number.isFinite(v) || (isLog && v <= 0) ? '-' : v))
}

function cartesian(
  theme: ChartTheme,
  frameOptions: FrameOptions,
  names: string[],
  hasLegend: boolean,
): EChartsOption {
  return {
    ...frame(theme, frameOptions),
    legend: { ...legend(theme, frameOptions, names), show: hasLegend },
    grid: { left: 16, right: 20, top: topMargin(frameOptions, hasLegend) + 8, bottom: 12 },
    tooltip: {
      ...(frame(theme, frameOptions).tooltip as object),
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v) : 'n/a'),
    },
  }
}

/**
 * One measure per conv and linear weight (depth on x), a line per result; the regularizer's
 * floor (n − m)/n² is drawn dashed where n > m. options.measure, options.log.
 */
export function weightOrthogonalityOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<WeightGeometryResult>(spec, data.results, 'weight-geometry')
  const measure = geometryMeasureOf(spec)
  const isLog = booleanOption(spec, 'log')
  const categories = weightNames(results)
  const baseline = baselineOf(spec, results)
  const hasBaseline = results.length > 1
  const p = palette(theme)
  let colorIndex = 0
  const lines: LineSeriesOption[] = results.map((r) => {
    const byName = new Map(r.payload.layers.map((l) => [weightName(l), l]))
    const isBaseline = hasBaseline && r === baseline
    const color = isBaseline ? p.baseline : seriesColor(theme, colorIndex++)
    const values = categories.map((name) => {
      const layer = byName.get(name)
      return layer ? geometryValue(layer, measure) : null
    })
    return {
      type: 'line',
      name: isBaseline ? `${r.label} (baseline)` : r.label,
      data: positive(values, isLog),
      symbolSize: 5,
      lineStyle: { color, width: 2, type: isBaseline ? 'dashed' : 'solid' },
      itemStyle: { color },
    }
  })
  const floor =
    measure === 'regularizer' ? floorSeries(baseline.payload, categories, isLog, p.text) : null
  const axes = axisStyle(theme)
  const series = floor ? [...lines, floor] : lines
  const names = series.map((l) => String(l.name))
  return {
    ...cartesian(theme, frameOptions, names, names.length > 1),
    xAxis: {
      type: 'category',
      data: categories,
      name: 'weight (depth →)',
      nameLocation: 'middle',
      ...axes,
      axisLabel: { ...axes.axisLabel, rotate: categories.length > 10 ? 60 : 0 },
      splitLine: { show: false },
    },
    yAxis: {
      type: isLog ? 'log' : 'value',
      name: GEOMETRY_MEASURE_NAMES[measure],
      nameLocation: 'middle',
      ...axes,
      axisLabel: { ...axes.axisLabel, formatter: (v: number) => formatNumber(v, 3) },
    },
    series,
  }
}

/**
 * The regularizer's floor (n − m)/n² of each weight with more rows than columns, as a dash at
 * that weight: such weights stand apart (1×1 expansions), so a line would not connect them.
 */
function floorSeries(
  result: WeightGeometryResult,
  categories: string[],
  isLog: boolean,
  color: string,
): ScatterSeriesOption | null {
  const byName = new Map(result.layers.map((l) => [weightName(l), l]))
  const floors = categories.map((name) => {
    const f = byName.get(name)?.regularizerFloor ?? 0
    return f > 0 ? f : null
  })
  if (!floors.some((f) => f !== null)) return null
  return {
    type: 'scatter',
    name: 'floor (n − m)/n² when n > m',
    data: positive(floors, isLog),
    symbol: 'rect',
    symbolSize: [14, 3],
    z: 4,
    itemStyle: { color },
  }
}

/** options.layers: comma-separated weight names; absent: every weight (one result) or the last. */
function chosenWeights(spec: ChartSpec, results: LabeledResult<WeightGeometryResult>[]): string[] {
  const all = weightNames(results)
  const asked = stringOption(spec, 'layers', '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  for (const name of asked)
    if (!all.includes(name))
      throw new ChartDataError(
        `No weight '${name}' in these results: use one of ${all.join(', ')}.`,
      )
  if (asked.length > 0) return asked
  return results.length === 1 ? all : all.slice(-1)
}

/**
 * Singular values, descending, a line per weight and result (log y unless options.log is
 * 'false'); options.normalizedIndex puts i / min(n, m) on x so different sizes line up.
 */
export function weightSpectraOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<WeightGeometryResult>(spec, data.results, 'weight-geometry')
  const weights = chosenWeights(spec, results)
  const isLog = spec.options['log'] === undefined ? true : booleanOption(spec, 'log')
  const isNormalized = booleanOption(spec, 'normalizedIndex')
  const p = palette(theme)
  const many = results.length * weights.length > 8
  const ramp = p.sequential
  const lines: LineSeriesOption[] = results.flatMap((r, ri) => {
    const byName = new Map(byDepth(r.payload).map((l) => [weightName(l), l]))
    return weights.flatMap((name, wi) => {
      const layer = byName.get(name)
      if (!layer) return []
      const k = layer.singularValues.length
      // Many lines: coloured by depth along the viridis ramp instead of a palette slot each.
      const color = many
        ? ramp[
            Math.min(
              ramp.length - 1,
              Math.floor((wi / Math.max(1, weights.length - 1)) * (ramp.length - 1)),
            )
          ]
        : seriesColor(theme, ri * weights.length + wi)
      return [
        {
          type: 'line' as const,
          name: results.length > 1 ? `${r.label} · ${name}` : name,
          data: layer.singularValues.flatMap((s, i) =>
            isLog && s <= 0 ? [] : [[isNormalized ? (i + 1) / k : i + 1, s]],
          ),
          showSymbol: false,
          lineStyle: {
            color,
            width: many ? 1 : 2,
            type: results.length > 1 && ri > 0 ? ('dashed' as const) : ('solid' as const),
          },
          itemStyle: { color },
        },
      ]
    })
  })
  const axes = axisStyle(theme)
  const names = lines.map((l) => String(l.name))
  return {
    ...cartesian(theme, frameOptions, names, names.length > 1 && !many),
    tooltip: {
      ...(frame(theme, frameOptions).tooltip as object),
      trigger: 'item',
      formatter: (item: unknown) => {
        const { seriesName, value } = item as { seriesName?: string; value?: number[] }
        return `${seriesName ?? ''}<br>σ_${value?.[0]}: ${formatNumber(value?.[1] ?? NaN)}`
      },
    },
    xAxis: {
      type: 'value',
      name: isNormalized ? 'index / min(n, m)' : 'index i (descending σ)',
      nameLocation: 'middle',
      min: isNormalized ? 0 : 1,
      max: isNormalized ? 1 : undefined,
      ...axes,
    },
    yAxis: {
      type: isLog ? 'log' : 'value',
      name: 'singular value σ_i',
      nameLocation: 'middle',
      ...axes,
      axisLabel: { ...axes.axisLabel, formatter: (v: number) => formatNumber(v, 3) },
    },
    series: lines,
  }
}

/**
 * A weight × epoch heat strip of one measure per run (options.points places each result in its
 * run), runs side by side on one scale. options.measure; log10 unless options.log is 'false'.
 */
export function weightGeometryTrajectoryOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<WeightGeometryResult>(spec, data.results, 'weight-geometry')
  const measure = geometryMeasureOf(spec)
  return trajectoryHeatmapOption(
    {
      ...frameOptions,
      runs: trajectoryRuns(spec, results),
      rows: weightNames(results),
      valuesOf: (payload) =>
        new Map(payload.layers.map((l) => [weightName(l), geometryValue(l, measure)])),
      valueName: GEOMETRY_MEASURE_NAMES[measure],
      // The stem's 7×7 conv dwarfs the others on a linear scale: log10 unless asked otherwise.
      isLog: spec.options['log'] === undefined ? true : booleanOption(spec, 'log'),
    },
    theme,
  )
}
