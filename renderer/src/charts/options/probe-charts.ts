import type { EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts'
import type {
  ProbeBasis,
  ProbeCurvePoint,
  ProbeSolver,
  ProbesResult,
} from '../../../../electron/api/contract/index.ts'
// Relative imports: the export service runs these builders in Node, which knows no '@analysis'.
import { meanStd } from '../../../../native-models/analysis/robustness/sweep/run-groups.ts'
import { booleanOption, ChartDataError, requireKind } from './chart-data.ts'
import type { ChartData, ChartSpec, LabeledResult } from './chart-data.ts'
import { seriesBandsOption } from './series-bands.ts'
import type { BandPoint, BandSeries } from './series-bands.ts'
import { formatNumber, palette, seriesColor } from './theme.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

export const BASIS_NAMES: Record<ProbeBasis, string> = {
  neurons: 'random neurons',
  'pca-top': 'PCA top-k',
  'pca-bottom': 'PCA bottom-k',
  'random-projection': 'random projection',
}

/** Log-axis ticks as written: 0.0001, not 0.00009999999. */
const fractionTick = (x: number): string => Number(x.toPrecision(3)).toString()

const BASELINE_BASES: readonly ProbeBasis[] = ['pca-top', 'pca-bottom', 'random-projection']

/** Results drawn as one mean ± std curve (runs sharing a tag): options.groups, a JSON list. */
export interface ProbeGroup {
  name: string
  resultIds: number[]
}

type Probed = LabeledResult<ProbesResult>

/** The curve of one basis and solver, by increasing fraction. */
export function probeCurve(
  result: ProbesResult,
  basis: ProbeBasis,
  solver: ProbeSolver,
): ProbeCurvePoint[] {
  return result.curve
    .filter((p) => p.basis === basis && p.solver === solver)
    .sort((a, b) => a.fraction - b.fraction)
}

/** options.groups: '[{"name":"seeds","resultIds":[3,4]}]'; absent or '': no groups. */
export function groupsOption(spec: ChartSpec): ProbeGroup[] {
  const text = spec.options['groups']
  if (text === undefined || text === '') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(String(text))
  } catch {
    throw new ChartDataError(`options.groups must be JSON, got '${String(text)}'.`)
  }
  const isGroup = (g: unknown): g is ProbeGroup =>
    typeof g === 'object' &&
    g !== null &&
    typeof (g as ProbeGroup).name === 'string' &&
    Array.isArray((g as ProbeGroup).resultIds) &&
    (g as ProbeGroup).resultIds.every((id) => Number.isInteger(id))
  if (!Array.isArray(parsed) || !parsed.every(isGroup))
    throw new ChartDataError(
      'options.groups must be a list of { "name": string, "resultIds": number[] }.',
    )
  return parsed
}

/** A curve drawn as one line: one result, or a group's members. */
interface Drawn {
  name: string
  members: Probed[]
}

/** Every result alone, except the members of a group, drawn once where the group's first is. */
function drawnCurves(results: Probed[], groups: ProbeGroup[]): Drawn[] {
  const drawn: Drawn[] = []
  const placed = new Set<number>()
  for (const r of results) {
    if (placed.has(r.id)) continue
    const group = groups.find((g) => g.resultIds.includes(r.id))
    const members = group ? results.filter((m) => group.resultIds.includes(m.id)) : [r]
    members.forEach((m) => placed.add(m.id))
    const name =
      group && members.length > 1 ? `${group.name} (mean ± std, ${members.length} runs)` : r.label
    drawn.push({ name, members })
  }
  return drawn
}

/**
 * One curve's points: a single result's mean ± std over seeds, or a group's mean ± std over its
 * members' seed means at the fractions every member has.
 */
export function curvePoints(
  members: ProbesResult[],
  basis: ProbeBasis,
  measure: 'accuracy' | 'cka',
): BandPoint[] {
  const valueOf = (p: ProbeCurvePoint) => (measure === 'accuracy' ? p.accuracy : p.cka)
  if (members.length === 1)
    return probeCurve(members[0], basis, 'ridge').flatMap((p) => {
      const value = valueOf(p)
      return value ? [{ x: p.fraction, y: value.mean, spread: p.seeds > 1 ? value.std : null }] : []
    })
  const curves = members.map((m) => probeCurve(m, basis, 'ridge'))
  return curves[0].flatMap(({ fraction }) => {
    const values = curves.map((c) => c.find((p) => p.fraction === fraction))
    const means = values.map((p) => (p ? valueOf(p)?.mean : undefined))
    if (!means.every((v): v is number => v !== undefined)) return []
    const spread = meanStd(means)
    return [{ x: fraction, y: spread.mean, spread: spread.std }]
  })
}

function logisticSeries(
  drawn: Drawn[],
  isSingle: boolean,
  theme: ChartTheme,
): ScatterSeriesOption[] {
  return drawn.flatMap(({ name, members }, i) => {
    const points = members.flatMap((m) => probeCurve(m.payload, 'neurons', 'logistic'))
    if (points.length === 0) return []
    return [
      {
        type: 'scatter',
        name: isSingle ? 'logistic probe (exact)' : `${name} · logistic (exact)`,
        symbol: 'diamond',
        symbolSize: 11,
        z: 4,
        itemStyle: {
          color: seriesColor(theme, i),
          borderColor: palette(theme).text,
          borderWidth: 1,
        },
        data: points.map((p) => [p.fraction, p.accuracy.mean, p.accuracy.std]),
        tooltip: {
          trigger: 'item',
          formatter: (item: { value?: unknown }) => {
            const [f, acc, std] = item.value as number[]
            return `logistic (exact), fraction ${formatNumber(f)}: ${formatNumber(acc)} ± ${formatNumber(std)}`
          },
        },
      },
    ]
  })
}

/** Labels of nearby full-layer lines (compared checkpoints differ by a few points) apart. */
const FULL_LAYER_LABEL_PLACES = [
  'insideStartTop',
  'insideEndBottom',
  'insideMiddleTop',
  'insideStartBottom',
  'insideEndTop',
  'insideMiddleBottom',
] as const

/** The full layer's accuracy as a horizontal line over its 95 % interval, one per result. */
function fullLayerSeries(drawn: Drawn[], isSingle: boolean, theme: ChartTheme): LineSeriesOption[] {
  return drawn.flatMap(({ name, members }, i) => {
    if (members.length !== 1) return []
    const { accuracy, interval } = members[0].payload.fullLayer
    const color = isSingle ? palette(theme).text : seriesColor(theme, i)
    return [
      {
        type: 'line',
        name: isSingle ? 'full layer' : `${name} · full layer`,
        data: [],
        silent: true,
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color, type: 'dotted', width: 1.5 },
          label: {
            formatter: `full layer ${formatNumber(100 * accuracy, 3)}%`,
            position: FULL_LAYER_LABEL_PLACES[i % FULL_LAYER_LABEL_PLACES.length],
            color,
          },
          data: [{ yAxis: accuracy }],
        },
        markArea: {
          silent: true,
          itemStyle: { color, opacity: 0.08 },
          data: [[{ yAxis: interval.lower }, { yAxis: interval.upper }]],
        },
      },
    ]
  })
}

function withExtraSeries(
  option: EChartsOption,
  extra: (LineSeriesOption | ScatterSeriesOption)[],
  legendNames: string[],
): EChartsOption {
  const legend = option.legend as { data: string[]; show: boolean }
  const data = [...legend.data, ...legendNames]
  return {
    ...option,
    legend: { ...legend, data, show: data.length > 1 },
    series: [...(option.series as object[]), ...extra] as EChartsOption['series'],
  }
}

/**
 * Test accuracy of ridge probes against the fraction of neurons (log x): mean ± std over seeds
 * for random neuron subsets, the baselines dashed (one result, or options.baselines), exact
 * logistic probes as diamonds, the full layer as a dotted line over its 95 % interval.
 * options.groups draws runs sharing a tag as one mean ± std curve.
 */
export function probeAccuracyOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  const results = requireKind<ProbesResult>(spec, data.results, 'probes')
  const drawn = drawnCurves(results, groupsOption(spec))
  const isSingle = drawn.length === 1 && drawn[0].members.length === 1
  const hasBaselines = isSingle || booleanOption(spec, 'baselines')
  const series: BandSeries[] = drawn.flatMap(({ name, members }, i): BandSeries[] => {
    const payloads = members.map((m) => m.payload)
    const neurons: BandSeries = {
      name: isSingle ? `${BASIS_NAMES.neurons} (ridge)` : name,
      colorIndex: i,
      points: curvePoints(payloads, 'neurons', 'accuracy'),
    }
    const baselines = hasBaselines
      ? BASELINE_BASES.map((basis, j) => ({
          name: isSingle ? BASIS_NAMES[basis] : `${name} · ${BASIS_NAMES[basis]}`,
          colorIndex: isSingle ? j + 1 : i,
          lineType: 'dashed' as const,
          points: curvePoints(payloads, basis, 'accuracy'),
        })).filter((s) => s.points.length > 0)
      : []
    return [neurons, ...baselines]
  })
  if (series.every((s) => s.points.length === 0))
    throw new ChartDataError('These probe results have no ridge curve to draw.')
  const option = seriesBandsOption(
    {
      ...frame,
      series,
      xName: 'fraction of the layer’s neurons (log scale)',
      yName: 'test top-1 accuracy',
      isLogX: true,
      xTickLabel: fractionTick,
      isLegendShown: true,
    },
    theme,
  )
  const logistic = logisticSeries(drawn, isSingle, theme)
  return withExtraSeries(
    option,
    [...logistic, ...fullLayerSeries(drawn, isSingle, theme)],
    logistic.map((s) => String(s.name)),
  )
}

/** Linear CKA(random neuron subset, full layer) against the fraction (log x), mean ± std over seeds. */
export function probeCkaOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  const results = requireKind<ProbesResult>(spec, data.results, 'probes')
  const drawn = drawnCurves(results, groupsOption(spec))
  const series: BandSeries[] = drawn.map(({ name, members }, i) => ({
    name: drawn.length === 1 && members.length === 1 ? BASIS_NAMES.neurons : name,
    colorIndex: i,
    points: curvePoints(
      members.map((m) => m.payload),
      'neurons',
      'cka',
    ),
  }))
  if (series.every((s) => s.points.length === 0))
    throw new ChartDataError('These probe results have no subset CKA to draw.')
  return seriesBandsOption(
    {
      ...frame,
      series,
      xName: 'fraction of the layer’s neurons (log scale)',
      yName: 'linear CKA(subset, full layer)',
      yRange: [0, 1],
      isLogX: true,
      xTickLabel: fractionTick,
    },
    theme,
  )
}
