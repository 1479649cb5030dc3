import type { EChartsOption } from 'echarts'
import type { MetricSeries, RunDetail } from '../../../../electron/api/contract/index.ts'
import { smoothScalars } from '../../../../native-models/analysis/metrics/index.ts'
import { booleanOption, ChartDataError, stringOption } from './chart-data.ts'
import type { ChartSpec } from './chart-data.ts'
import { curveSources, lineTypeOf, splitNames } from './curve-sources.ts'
import type { CurveSources, CurveSplit } from './curve-sources.ts'
import { seriesBandsOption } from './series-bands.ts'
import type { BandPoint, BandSeries } from './series-bands.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** One value per epoch: the last logged one (step-level logs end the epoch with it). */
function perEpoch(series: MetricSeries): Map<number, number> {
  const byEpoch = new Map<number, number>()
  for (const point of series.points)
    if (Number.isFinite(point.value)) byEpoch.set(point.epoch, point.value)
  return byEpoch
}

/** Mean and sample std per epoch over the runs that logged it; std null below two runs. */
export function meanStdPerEpoch(curves: Map<number, number>[]): BandPoint[] {
  const epochs = [...new Set(curves.flatMap((c) => [...c.keys()]))].sort((a, b) => a - b)
  return epochs.map((epoch) => {
    const values = curves.map((c) => c.get(epoch)).filter((v): v is number => v !== undefined)
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    const variance =
      values.length > 1
        ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)
        : null
    return { x: epoch, y: mean, spread: variance === null ? null : Math.sqrt(variance) }
  })
}

/** Runs carrying one of the group tags become one group per tag, in the order of the tags. */
export function groupRuns(
  runs: RunDetail[],
  groupTags: string[],
  baselineRunId: number | null,
): { name: string; runs: RunDetail[]; isBaseline: boolean }[] {
  const groups: { name: string; runs: RunDetail[]; isBaseline: boolean }[] = []
  const grouped = new Set<number>()
  for (const tag of groupTags) {
    const members = runs.filter(
      (r) => r.id !== baselineRunId && !grouped.has(r.id) && r.tags.includes(tag),
    )
    members.forEach((r) => grouped.add(r.id))
    if (members.length > 0) groups.push({ name: tag, runs: members, isBaseline: false })
  }
  const singles = runs
    .filter((r) => !grouped.has(r.id))
    .map((r) => ({ name: r.name, runs: [r], isBaseline: r.id === baselineRunId }))
  return [
    ...singles.filter((g) => g.isBaseline),
    ...groups,
    ...singles.filter((g) => !g.isBaseline),
  ]
}

type XAxis = 'epoch' | 'step'

/** The last step logged in each epoch: where a line logged without a step (an eval) belongs. */
function stepOfEpoch(run: RunDetail): Map<number, number> {
  const steps = new Map<number, number>()
  for (const series of run.metrics)
    for (const { epoch, step } of series.points)
      if (step !== null && step >= (steps.get(epoch) ?? -Infinity)) steps.set(epoch, step)
  return steps
}

/** One value per logged step (the last one); points without a step take their epoch's last. */
function perStep(series: MetricSeries, run: RunDetail): Map<number, number> {
  const epochSteps = stepOfEpoch(run)
  const byStep = new Map<number, number>()
  for (const point of series.points) {
    const step = point.step ?? epochSteps.get(point.epoch)
    if (step !== undefined && Number.isFinite(point.value)) byStep.set(step, point.value)
  }
  return byStep
}

function curveOf(series: MetricSeries, run: RunDetail, x: XAxis): Map<number, number> {
  const curve = x === 'step' ? perStep(series, run) : perEpoch(series)
  return new Map([...curve].sort(([a], [b]) => a - b))
}

function smoothed(curve: Map<number, number>, weight: number): Map<number, number> {
  if (weight === 0) return curve
  const values = smoothScalars([...curve.values()], weight)
  return new Map([...curve.keys()].map((x, i) => [x, values[i]]))
}

function smoothingOption(spec: ChartSpec): number {
  const weight = Number(spec.options['smoothing'] ?? 0)
  if (!(weight >= 0 && weight < 1))
    throw new ChartDataError(
      `The smoothing must be a number from 0 to below 1, got '${String(spec.options['smoothing'])}'.`,
    )
  return weight
}

function xOption(spec: ChartSpec): XAxis {
  const x = stringOption(spec, 'x', 'epoch')
  if (x !== 'epoch' && x !== 'step')
    throw new ChartDataError(`Unknown x axis '${x}': use epoch or step.`)
  return x
}

/** A run group's line for one split (and its faint raw line when smoothed); none if unlogged. */
function groupLines(
  group: RunGroup,
  curve: CurveSplit,
  sources: CurveSources,
  look: { x: XAxis; weight: number; isLogY: boolean; colorIndex: number; name: string },
): BandSeries[] {
  const raw = group.runs.flatMap((run) => {
    const series = curve.series.get(run.id)
    return series ? [curveOf(series, run, look.x)] : []
  })
  if (raw.length === 0) return []
  const positive = (points: BandPoint[]): BandPoint[] =>
    look.isLogY ? points.filter((p) => p.y > 0) : points
  const style = {
    isBaseline: group.isBaseline,
    colorIndex: look.colorIndex,
    lineType:
      group.isBaseline && curve.split !== 'train' ? 'dashed' : lineTypeOf(curve.split, sources),
  } as const
  const runsText = group.runs.length > 1 ? ` (mean ± std, ${raw.length} runs)` : ''
  const name = `${look.name}${runsText}`
  const label = sources.splits.length > 1 ? `${name} · ${splitLabel(curve)}` : name
  const line = {
    ...style,
    name,
    label,
    points: positive(meanStdPerEpoch(raw.map((c) => smoothed(c, look.weight)))),
  }
  if (look.weight === 0) return [line]
  const rawPoints = meanStdPerEpoch(raw).map((p) => ({ x: p.x, y: p.y }))
  return [line, { ...style, name, label, points: positive(rawPoints), isRaw: true }]
}

type RunGroup = ReturnType<typeof groupRuns>[number]

const splitLabel = (curve: CurveSplit): string => curve.split ?? splitNames(curve).join(' / ')

/**
 * Runs' logged curves (options: role = loss | accuracy | lr, found by name whatever the run calls
 * it, or metric = a series name; split; group = comma-separated tags whose runs become mean ± std
 * bands; baselineRun = a run id drawn dashed; smoothing = TensorBoard's weight in [0, 1), the raw
 * curve drawn faint behind; logY; x = epoch | step). Default: the accuracy role.
 */
export function metricCurvesOption(
  spec: ChartSpec,
  runs: RunDetail[],
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  if (runs.length === 0) throw new ChartDataError("A 'metric-curves' chart needs at least one run.")
  const sources = curveSources(spec, runs)
  const split = spec.options['split'] === undefined ? null : String(spec.options['split'])
  const tags = stringOption(spec, 'group', '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
  const baselineRunId = Number(spec.options['baselineRun'] ?? NaN)
  const look = {
    x: xOption(spec),
    weight: smoothingOption(spec),
    isLogY: booleanOption(spec, 'logY'),
  }
  const groups = groupRuns(runs, tags, Number.isFinite(baselineRunId) ? baselineRunId : null)
  const colorOf = new Map(groups.filter((g) => !g.isBaseline).map((g, i) => [g, i]))
  const series: BandSeries[] = groups.flatMap((group) =>
    sources.splits.flatMap((curve) =>
      groupLines(group, curve, sources, {
        ...look,
        colorIndex: colorOf.get(group) ?? 0,
        name: `${group.name}${group.isBaseline ? ' (baseline)' : ''}`,
      }),
    ),
  )
  const yName = split === null ? sources.label : `${sources.label} (${split})`
  return seriesBandsOption(
    { ...frame, series, xName: look.x, yName, isIntegerX: true, isLogY: look.isLogY },
    theme,
  )
}
