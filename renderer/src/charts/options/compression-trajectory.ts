import type { EChartsOption } from 'echarts'
import type { CompressionResult } from '../../../../electron/api/contract/index.ts'
// Relative imports: the export service runs these builders in Node, which knows no '@analysis'.
import { booleanOption, ChartDataError, requireKind, stringOption } from './chart-data.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import {
  acgcBitsBySite,
  siteLabels,
  siteUnion,
  spreadOf,
  zeroFractionBySite,
} from './compression-sites.ts'
import { trajectoryHeatmapOption, trajectoryRuns } from './trajectory.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

export const TRAJECTORY_MEASURES = ['max-abs', 'zero-fraction', 'acgc-bits'] as const
export type TrajectoryMeasure = (typeof TRAJECTORY_MEASURES)[number]

/** What a cell holds: a site's mean over its channels at one checkpoint. */
export const TRAJECTORY_MEASURE_NAMES: Record<TrajectoryMeasure, string> = {
  'max-abs': 'mean max |x|',
  'zero-fraction': 'zero fraction',
  'acgc-bits': 'AC-GC mean bits',
}

export function trajectoryMeasureOf(spec: ChartSpec): TrajectoryMeasure {
  const measure = stringOption(spec, 'measure', 'max-abs')
  if (!(TRAJECTORY_MEASURES as readonly string[]).includes(measure))
    throw new ChartDataError(
      `Unknown compression trajectory measure '${measure}': use ${TRAJECTORY_MEASURES.join(', ')}.`,
    )
  return measure as TrajectoryMeasure
}

/** Each site's value of a measure in one result, by site id; sites without one are left out. */
export function trajectoryValues(
  result: CompressionResult,
  measure: TrajectoryMeasure,
): Map<string, number> {
  if (measure === 'zero-fraction') return zeroFractionBySite(result)
  if (measure === 'acgc-bits')
    return result.acgc === null
      ? new Map<string, number>()
      : new Map([...acgcBitsBySite(result.acgc)].map(([id, spread]) => [id, spread.mean]))
  return new Map(
    result.statistics.flatMap((s) => {
      const spread = spreadOf(s.maxAbs)
      return spread ? [[s.siteId, spread.mean] as const] : []
    }),
  )
}

/**
 * A site × epoch heat strip per run (options.points places each result in its run), runs side by
 * side on one scale: options.measure, each site's mean over its channels of max |x| (log10 unless
 * options.log is false), of the zero fraction, or of AC-GC's widths (linear unless options.log).
 */
export function compressionTrajectoryOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<CompressionResult>(spec, data.results, 'compression')
  const measure = trajectoryMeasureOf(spec)
  if (measure === 'acgc-bits' && results.every((r) => r.payload.acgc === null))
    throw new ChartDataError(
      `None of results ${results.map((r) => r.id).join(', ')} has AC-GC's bit choice: run them with AC-GC.`,
    )
  const sites = siteUnion(results.map((r) => r.payload))
  const labels = siteLabels(sites)
  const labelOf = new Map(sites.map((site, i) => [site.id, labels[i]]))
  const isLog =
    spec.options['log'] === undefined ? measure === 'max-abs' : booleanOption(spec, 'log')
  return trajectoryHeatmapOption(
    {
      ...frameOptions,
      runs: trajectoryRuns(spec, results),
      rows: labels,
      valuesOf: (payload) =>
        new Map(
          [...trajectoryValues(payload, measure)].flatMap(([id, value]) => {
            const label = labelOf.get(id)
            return label === undefined ? [] : [[label, value] as const]
          }),
        ),
      valueName: TRAJECTORY_MEASURE_NAMES[measure],
      rowName: 'site',
      isLog,
    },
    theme,
  )
}
