import type { EChartsOption } from 'echarts'
import { ChartDataError } from './chart-data.ts'
import type { ChartSpec, LabeledResult } from './chart-data.ts'
import { heatmapOption } from './heatmap.ts'
import type { HeatmapMatrix } from './heatmap.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** Where a result sits in a run's history: options.points, a JSON list of these. */
export interface TrajectoryPoint {
  resultId: number
  run: string
  epoch: number
}

function isPoint(value: unknown): value is TrajectoryPoint {
  const p = value as TrajectoryPoint
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isInteger(p.resultId) &&
    typeof p.run === 'string' &&
    Number.isFinite(p.epoch)
  )
}

/** options.points: '[{"resultId":3,"run":"seed0","epoch":1}]'; absent or '': none. */
export function trajectoryPointsOption(spec: ChartSpec): TrajectoryPoint[] {
  const text = spec.options['points']
  if (text === undefined || text === '') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(String(text))
  } catch {
    throw new ChartDataError(`options.points must be JSON, got '${String(text)}'.`)
  }
  if (!Array.isArray(parsed) || !parsed.every(isPoint))
    throw new ChartDataError(
      'options.points must be a list of { "resultId": number, "run": string, "epoch": number }.',
    )
  return parsed
}

/** One run's checkpoints in epoch order: a panel of the heat strip. */
export interface TrajectoryRun<P> {
  run: string
  columns: { label: string; result: LabeledResult<P> }[]
}

/**
 * The results grouped by run, epochs ascending, runs in the order they first appear. Results
 * without a point form one panel of their own, a column per result in the given order.
 */
export function trajectoryRuns<P>(
  spec: ChartSpec,
  results: LabeledResult<P>[],
): TrajectoryRun<P>[] {
  const points = new Map(trajectoryPointsOption(spec).map((p) => [p.resultId, p]))
  const runs = new Map<string, { epoch: number; result: LabeledResult<P> }[]>()
  const loose: LabeledResult<P>[] = []
  for (const result of results) {
    const point = points.get(result.id)
    if (!point) loose.push(result)
    else runs.set(point.run, [...(runs.get(point.run) ?? []), { epoch: point.epoch, result }])
  }
  const grouped = [...runs].map(([run, entries]) => ({
    run,
    columns: entries
      .sort((a, b) => a.epoch - b.epoch)
      .map((e) => ({ label: String(e.epoch), result: e.result })),
  }))
  if (loose.length === 0) return grouped
  return [...grouped, { run: '', columns: loose.map((r) => ({ label: r.label, result: r })) }]
}

export interface TrajectoryHeatmapInput<P> extends FrameOptions {
  runs: TrajectoryRun<P>[]
  /** The rows (layers) in order, and each result's value per row. */
  rows: string[]
  valuesOf: (payload: P) => Map<string, number>
  valueName: string
  /** What a row is; 'layer' unless given. */
  rowName?: string
  /** Colour by log10 of the values (norms spanning decades); non-positive values are n/a. */
  isLog: boolean
}

/** A layer × epoch heat strip per run, side by side on one colour scale. */
export function trajectoryHeatmapOption<P>(
  input: TrajectoryHeatmapInput<P>,
  theme: ChartTheme,
): EChartsOption {
  const labels = [...new Set(input.runs.flatMap((r) => r.columns.map((c) => c.label)))]
  if (labels.length === 0) throw new ChartDataError('A trajectory needs at least one result.')
  if (labels.every((l) => l !== '' && Number.isFinite(Number(l))))
    labels.sort((a, b) => Number(a) - Number(b))
  const transform = (v: number | undefined): number | null =>
    v === undefined || !Number.isFinite(v) ? null : input.isLog ? (v > 0 ? Math.log10(v) : null) : v
  const panels: HeatmapMatrix[] = input.runs.map((run) => {
    const byLabel = new Map(run.columns.map((c) => [c.label, input.valuesOf(c.result.payload)]))
    return {
      title: run.run,
      values: input.rows.map((row) => labels.map((l) => transform(byLabel.get(l)?.get(row)))),
    }
  })
  const allEpochs = input.runs.every((r) => r.run !== '')
  return heatmapOption(
    {
      ...input,
      panels,
      rowLabels: input.rows,
      colLabels: labels,
      rowName: input.rowName ?? 'layer',
      colName: allEpochs ? 'epoch' : 'checkpoint',
      valueName: input.isLog ? `log10 ${input.valueName}` : input.valueName,
      min: null,
      max: null,
      mode: 'absolute',
      showValues: false,
    },
    theme,
  )
}
