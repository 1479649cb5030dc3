import type { EChartsOption } from 'echarts'
import type {
  SweepAccuracy,
  SweepChartData,
  SweepCheckpoint,
} from '../../../../electron/api/contract/index.ts'
import { ChartDataError, isDifferenceMode, stringOption } from './chart-data.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { layerBarsOption } from './layer-bars.ts'
import type { BarGroup } from './layer-bars.ts'
import { seriesBandsOption } from './series-bands.ts'
import type { BandSeries } from './series-bands.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

/** The label 'all corruptions' is drawn under: the mean over every corrupted cell. */
export const ALL_CORRUPTIONS = 'mean'

function sweepOf(spec: ChartSpec): SweepChartData {
  if (!spec.sweep) throw new ChartDataError(`A '${spec.chart}' chart needs its sweep.`)
  return spec.sweep
}

interface Drawn {
  entry: SweepCheckpoint
  /** The legend name: the label, marked as the baseline, or as a difference to it. */
  name: string
  /** Drawn as the baseline (never in difference mode, where the baseline is left out). */
  isBaseline: boolean
}

const baselineLabel = (data: SweepChartData): string => {
  const i = data.sweep.checkpoints.findIndex(
    (c) => c.checkpointId === data.sweep.baselineCheckpointId,
  )
  return i >= 0 ? data.labels[i] : 'the baseline'
}

/** The checkpoints drawn: all, or in difference mode those that have a delta to the baseline. */
function drawnCheckpoints(data: SweepChartData, isDifference: boolean): Drawn[] {
  const baseline = data.sweep.baselineCheckpointId
  const drawn = data.sweep.checkpoints.map((entry, i) => {
    const isBaseline = entry.checkpointId === baseline
    return { entry, name: isBaseline ? `${data.labels[i]} (baseline)` : data.labels[i], isBaseline }
  })
  if (!isDifference) return drawn
  if (baseline === null)
    throw new ChartDataError('Deltas need a baseline checkpoint: choose one for the sweep.')
  const others = drawn.filter((d) => !d.isBaseline)
  if (others.length === 0)
    throw new ChartDataError('Deltas need a checkpoint besides the baseline.')
  return others.map((d) => ({ ...d, name: `${d.name} − ${baselineLabel(data)}` }))
}

function valueOf(point: SweepAccuracy | undefined, isDifference: boolean) {
  const value = isDifference ? point?.delta : point?.accuracy
  return value ?? null
}

/**
 * Top-1 per corruption, averaged over the severities, one bar per checkpoint with its 95 %
 * interval; the first group is the mean over every corrupted cell. options.mode = 'difference':
 * each checkpoint − the baseline, paired on the same images, with the paired interval.
 */
export function corruptionBarsOption(
  spec: ChartSpec,
  _data: ChartData,
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  const data = sweepOf(spec)
  const isDifference = isDifferenceMode(spec)
  const drawn = drawnCheckpoints(data, isDifference)
  const corruptions = drawn[0].entry.corruptionAccuracy.map((c) => c.corruption)
  const groups: BarGroup[] = drawn.map(({ entry, name, isBaseline }) => {
    const points = [
      entry.overall,
      ...corruptions.map((c) => entry.corruptionAccuracy.find((a) => a.corruption === c)),
    ].map((point) => valueOf(point, isDifference))
    return {
      name,
      isBaseline,
      values: points.map((p) => p?.estimate ?? null),
      intervals: points.map((p) => (p ? { lower: p.lower, upper: p.upper } : null)),
    }
  })
  return layerBarsOption(
    {
      ...frame,
      categories: [ALL_CORRUPTIONS, ...corruptions],
      groups,
      xName: 'corruption (top-1 averaged over the severities)',
      yName: 'top-1 accuracy',
      mode: isDifference ? 'difference' : 'absolute',
      areDifferences: isDifference,
      isPercent: true,
      yRange: isDifference ? null : [0, 1],
    },
    theme,
  )
}

/**
 * Top-1 against severity (0: clean), one line per checkpoint with its 95 % interval as a band:
 * averaged over the corruptions, or of one (options.corruption). options.mode = 'difference':
 * each checkpoint − the baseline, paired (averaged over the corruptions only).
 */
export function severityCurvesOption(
  spec: ChartSpec,
  _data: ChartData,
  theme: ChartTheme,
  frame: FrameOptions = {},
): EChartsOption {
  const data = sweepOf(spec)
  const isDifference = isDifferenceMode(spec)
  const corruption = stringOption(spec, 'corruption', ALL_CORRUPTIONS)
  const isAll = corruption === ALL_CORRUPTIONS
  if (isDifference && !isAll)
    throw new ChartDataError('Paired deltas by severity are drawn averaged over the corruptions.')
  const drawn = drawnCheckpoints(data, isDifference)
  // The palette slots the bars give: the baseline grey, the others in order.
  let nextColor = 0
  const series: BandSeries[] = drawn.map(({ entry, name, isBaseline }) => ({
    name,
    isBaseline,
    colorIndex: isBaseline ? 0 : nextColor++,
    points: entry.severityCurve.flatMap((point) => {
      if (isAll) {
        const value = valueOf(point, isDifference)
        return value ? [{ x: point.severity, y: value.estimate, interval: value }] : []
      }
      const cell = point.byCorruption.find((c) => c.corruption === corruption)
      return cell ? [{ x: point.severity, y: cell.top1, interval: cell.top1Interval }] : []
    }),
  }))
  if (series.every((s) => s.points.length === 0))
    throw new ChartDataError(`The sweep has no '${corruption}' cells.`)
  const what = isAll ? 'averaged over the corruptions' : corruption
  return seriesBandsOption(
    {
      ...frame,
      series,
      xName: `severity (${what})`,
      yName: isDifference ? 'Δ top-1 accuracy (paired)' : 'top-1 accuracy',
      isLegendShown: isDifference,
      yRange: isDifference ? null : [0, 1],
      isIntegerX: true,
      xTickLabel: (x) => (x === 0 ? 'clean' : String(x)),
    },
    theme,
  )
}
