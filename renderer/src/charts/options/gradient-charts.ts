import type { BarSeriesOption, CustomSeriesOption, EChartsOption } from 'echarts'
import type { MeanStd, RunDetail } from '../../../../electron/api/contract/index.ts'
import type { GradientsResult } from '../../../../electron/api/contract/analyses/gradients.ts'
// Relative imports: the export service runs these builders in Node, which knows no '@analysis'.
import { layerKeyOfParameterName } from '../../../../native-models/analysis/shared/parameter-names.ts'
import {
  baselineOf,
  booleanOption,
  ChartDataError,
  requireKind,
  stringOption,
} from './chart-data.ts'
import type { ChartData, ChartSpec, LabeledResult } from './chart-data.ts'
import { errorBarSeries } from './error-bars.ts'
import { tooltipWithIntervals } from './layer-bars.ts'
import { trajectoryHeatmapOption, trajectoryRuns } from './trajectory.ts'
import { axisStyle, formatNumber, frame, legend, palette, seriesColor, topMargin } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

export const GRADIENT_MEASURES = ['layer', 'weights', 'block-outputs'] as const
export type GradientMeasure = (typeof GRADIENT_MEASURES)[number]

export const GRADIENT_MEASURE_NAMES: Record<GradientMeasure, string> = {
  layer: 'all parameters ‖∂L/∂θ‖',
  weights: 'conv and linear weights ‖∂L/∂W‖',
  'block-outputs': 'block outputs ‖∂L/∂y‖',
}

/** The axis name: what the bars are, short. */
const AXIS_NAMES: Record<GradientMeasure, string> = {
  layer: '‖∂L/∂θ‖ (inference-mode BN)',
  weights: '‖∂L/∂W‖ (inference-mode BN)',
  'block-outputs': '‖∂L/∂y‖ (inference-mode BN)',
}

export function gradientMeasureOf(spec: ChartSpec): GradientMeasure {
  const measure = stringOption(spec, 'measure', 'layer')
  if (!(GRADIENT_MEASURES as readonly string[]).includes(measure))
    throw new ChartDataError(
      `Unknown gradient measure '${measure}': use ${GRADIENT_MEASURES.join(', ')}.`,
    )
  return measure as GradientMeasure
}

interface LayerNorm {
  layerKey: string
  depth: number
  norm: MeanStd
}

/** The per-layer norms a measure draws, in depth order. */
export function gradientLayers(result: GradientsResult, measure: GradientMeasure): LayerNorm[] {
  const rows: LayerNorm[] =
    measure === 'block-outputs'
      ? result.blockOutputs
      : result.layers.map((l) => ({
          layerKey: l.layerKey,
          depth: l.depth,
          norm: measure === 'weights' ? l.weightNorm : l.norm,
        }))
  return [...rows].sort((a, b) => a.depth - b.depth)
}

/** Every result's layers in depth order, the first result's order first. */
function layerKeys(results: LabeledResult<GradientsResult>[], measure: GradientMeasure): string[] {
  const depth = new Map<string, number>()
  for (const r of results)
    for (const l of gradientLayers(r.payload, measure))
      if (!depth.has(l.layerKey)) depth.set(l.layerKey, l.depth)
  return [...depth].sort((a, b) => a[1] - b[1]).map(([key]) => key)
}

export const LOGGED_NOTE = 'logged during training (train-mode BN, averaged over the epoch)'

interface Group {
  name: string
  color: string
  values: (number | null)[]
  /** Whiskers: [lower, upper] per category, or null. */
  whiskers: ([number, number] | null)[]
}

function computedGroups(
  spec: ChartSpec,
  results: LabeledResult<GradientsResult>[],
  categories: string[],
  measure: GradientMeasure,
  isLog: boolean,
  theme: ChartTheme,
): Group[] {
  const baseline = baselineOf(spec, results)
  const hasBaseline = results.length > 1
  let colorIndex = 0
  return results.map((r) => {
    const byKey = new Map(gradientLayers(r.payload, measure).map((l) => [l.layerKey, l.norm]))
    const isBaseline = hasBaseline && r === baseline
    const norms = categories.map((key) => byKey.get(key) ?? null)
    return {
      name: isBaseline ? `${r.label} (baseline)` : r.label,
      color: isBaseline ? palette(theme).baseline : seriesColor(theme, colorIndex++),
      values: norms.map((n) => n?.mean ?? null),
      whiskers: norms.map((n) => {
        if (!n || !Number.isFinite(n.std) || n.std === 0) return null
        // A log axis has no room below 0: only the upper whisker is drawn there.
        const lower = isLog && n.mean - n.std <= 0 ? n.mean : n.mean - n.std
        return [lower, n.mean + n.std]
      }),
    }
  })
}

/**
 * A run's logged norms at one epoch per layer key: √(Σ‖g_p‖²) over the layer's parameters of the
 * metrics.jsonl `grad_norms/<param>` epoch means.
 */
export function loggedLayerNorms(run: RunDetail, epoch: number): Map<string, number> {
  const squares = new Map<string, number>()
  for (const series of run.metrics) {
    if (!series.name.startsWith('grad_norms/')) continue
    const key = layerKeyOfParameterName(series.name.slice('grad_norms/'.length))
    const point = series.points.findLast((p) => p.epoch === epoch)
    if (key === null || !point || !Number.isFinite(point.value)) continue
    squares.set(key, (squares.get(key) ?? 0) + point.value ** 2)
  }
  return new Map([...squares].map(([key, sum]) => [key, Math.sqrt(sum)]))
}

/** options.loggedEpoch with runIds: each run's logged per-layer norms at that epoch. */
function loggedGroups(
  spec: ChartSpec,
  runs: RunDetail[],
  categories: string[],
  theme: ChartTheme,
): Group[] {
  const epoch = Number(spec.options['loggedEpoch'])
  if (spec.options['loggedEpoch'] === undefined || !Number.isInteger(epoch)) return []
  return runs.flatMap((run) => {
    const logged = loggedLayerNorms(run, epoch)
    if (logged.size === 0) return []
    return [
      {
        name: `${run.name} · epoch ${epoch} · ${LOGGED_NOTE}`,
        color: palette(theme).muted,
        values: categories.map((key) => logged.get(key) ?? null),
        whiskers: categories.map(() => null),
      },
    ]
  })
}

const BAR_MAX_WIDTH = 24

/** The power of ten at or below the smallest positive value or whisker end drawn. */
function logFloor(groups: Group[]): number {
  const drawn = groups.flatMap((g) => [
    ...g.values.filter((v): v is number => v !== null),
    ...g.whiskers.flatMap((w) => (w ? [w[0]] : [])),
  ])
  const smallest = Math.min(...drawn.filter((v) => v > 0))
  return Number.isFinite(smallest) ? 10 ** Math.floor(Math.log10(smallest)) : 1
}

/**
 * Per-layer gradient norms (depth on x): each result's mean over batches with ± std whiskers;
 * options.measure, options.log (log y), and with options.loggedEpoch the runs' norms logged in
 * training as bars of their own, named as the different quantity they are.
 */
export function gradientLayersOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<GradientsResult>(spec, data.results, 'gradients')
  const measure = gradientMeasureOf(spec)
  const isLog = booleanOption(spec, 'log')
  const categories = layerKeys(results, measure)
  const logged = measure === 'layer' ? loggedGroups(spec, data.runs, categories, theme) : []
  const groups = [...computedGroups(spec, results, categories, measure, isLog, theme), ...logged]
  const p = palette(theme)
  const axes = axisStyle(theme)
  const hasLegend = groups.length > 1
  const bars: BarSeriesOption[] = groups.map((g) => ({
    type: 'bar',
    name: g.name,
    data: g.values.map((v) => (v === null || (isLog && v <= 0) ? '-' : v)),
    itemStyle: { color: g.color },
    barMaxWidth: BAR_MAX_WIDTH,
  }))
  const whiskers: CustomSeriesOption[] = groups.flatMap((g, i) => {
    const data = g.whiskers.flatMap((w, c) =>
      w ? [[c, w[0], w[1]] as [number, number, number]] : [],
    )
    return data.length === 0
      ? []
      : [
          errorBarSeries(`${g.name} ± std`, data, p.text, {
            placement: { barCount: groups.length, barIndex: i, barMaxWidth: BAR_MAX_WIDTH },
          }),
        ]
  })
  const stdOf = (name: string, index: number): string => {
    const w = groups.find((g) => g.name === name)?.whiskers[index]
    const value = groups.find((g) => g.name === name)?.values[index]
    return w && value !== null && value !== undefined ? ` ± ${formatNumber(w[1] - value)}` : ''
  }
  return {
    ...frame(theme, frameOptions),
    legend: {
      ...legend(
        theme,
        frameOptions,
        groups.map((g) => g.name),
      ),
      show: hasLegend,
    },
    grid: { left: 16, right: 20, top: topMargin(frameOptions, hasLegend) + 8, bottom: 12 },
    xAxis: {
      type: 'category',
      data: categories,
      name: measure === 'block-outputs' ? 'block output (depth →)' : 'layer (depth →)',
      nameLocation: 'middle',
      ...axes,
      axisLabel: { ...axes.axisLabel, rotate: categories.length > 10 ? 50 : 0, interval: 0 },
      splitLine: { show: false },
    },
    yAxis: {
      type: isLog ? 'log' : 'value',
      // A log axis grows bars from 1 unless told otherwise: from the decade below every value.
      ...(isLog ? { startValue: logFloor(groups) } : {}),
      name: AXIS_NAMES[measure],
      nameLocation: 'middle',
      ...axes,
      axisLabel: { ...axes.axisLabel, formatter: (v: number) => formatNumber(v, 3) },
    },
    tooltip: {
      ...(frame(theme, frameOptions).tooltip as object),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => tooltipWithIntervals(params, (v) => formatNumber(v), stdOf),
    },
    series: [...bars, ...whiskers],
  }
}

/**
 * A layer × epoch heat strip of computed gradient norms per run (options.points places each
 * result in its run), runs side by side on one scale; log10 unless options.log is 'false'.
 */
export function gradientTrajectoryOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<GradientsResult>(spec, data.results, 'gradients')
  const measure = gradientMeasureOf(spec)
  const isLog = spec.options['log'] === undefined ? true : booleanOption(spec, 'log')
  return trajectoryHeatmapOption(
    {
      ...frameOptions,
      runs: trajectoryRuns(spec, results),
      rows: layerKeys(results, measure),
      valuesOf: (payload) =>
        new Map(gradientLayers(payload, measure).map((l) => [l.layerKey, l.norm.mean])),
      valueName: AXIS_NAMES[measure].split(' ')[0],
      isLog,
    },
    theme,
  )
}
