import type { EChartsOption } from 'echarts'
import type { MetricSeries, RunDetail } from '../../../../electron/api/contract/index.ts'
import { ChartDataError, stringOption } from './chart-data.ts'
import type { ChartSpec } from './chart-data.ts'
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

function splitsOf(runs: RunDetail[], metric: string, split: string | null): (string | null)[] {
  const all = runs.flatMap((r) => r.metrics.filter((m) => m.name === metric).map((m) => m.split))
  const unique = [...new Set(all)]
  if (split === null) return unique
  if (!unique.includes(split))
    throw new ChartDataError(
      `No run logs '${metric}' on the '${split}' split (logged: ${unique.map(String).join(', ') || 'none'}).`,
    )
  return [split]
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

/**
 * Runs' logged metric over epochs (options: metric, split, group = comma-separated tags whose
 * runs become mean ± std bands, baselineRun = a run id drawn dashed).
 */
export function metricCurvesOption(
  spec: ChartSpec,
  runs: RunDetail[],
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  if (runs.length === 0) throw new ChartDataError("A 'metric-curves' chart needs at least one run.")
  const metric = stringOption(spec, 'metric', 'accuracy')
  const split = spec.options['split'] === undefined ? null : String(spec.options['split'])
  const tags = stringOption(spec, 'group', '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
  const baselineRunId = Number(spec.options['baselineRun'] ?? NaN)
  const splits = splitsOf(runs, metric, split)
  if (splits.length === 0)
    throw new ChartDataError(`None of the runs logs a metric named '${metric}'.`)
  const groups = groupRuns(runs, tags, Number.isFinite(baselineRunId) ? baselineRunId : null)
  const colorOf = new Map(groups.filter((g) => !g.isBaseline).map((g, i) => [g, i]))
  const series: BandSeries[] = groups.flatMap((group) =>
    splits.flatMap((s) => {
      const curves = group.runs
        .map((r) => r.metrics.find((m) => m.name === metric && m.split === s))
        .filter((m): m is MetricSeries => m !== undefined)
        .map(perEpoch)
      if (curves.length === 0) return []
      const runsText = group.runs.length > 1 ? ` (mean ± std, ${curves.length} runs)` : ''
      const splitText = splits.length > 1 && s !== null ? ` · ${s}` : ''
      const baselineText = group.isBaseline ? ' (baseline)' : ''
      return [
        {
          name: `${group.name}${baselineText}${runsText}${splitText}`,
          points: meanStdPerEpoch(curves),
          isBaseline: group.isBaseline,
          colorIndex: colorOf.get(group) ?? 0,
          isSecondary: splits.length > 1 && s === 'train',
        },
      ]
    }),
  )
  const yName = split === null || splits.length > 1 ? metric : `${metric} (${split})`
  return seriesBandsOption(
    {
      ...frame,
      series,
      xName: 'epoch',
      yName,
      isIntegerX: true,
    },
    theme,
  )
}
