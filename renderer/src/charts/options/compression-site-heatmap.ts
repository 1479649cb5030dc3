import type { EChartsOption } from 'echarts'
import type {
  CompressionResult,
  OutputDivergence,
} from '../../../../electron/api/contract/index.ts'
import { ChartDataError, requireKind } from './chart-data.ts'
import type { ChartData, ChartSpec } from './chart-data.ts'
import { hasEachAlone, siteLabels, siteUnion } from './compression-sites.ts'
import { sweepMeasureOf } from './compression-sweep.ts'
import type { SweepMeasure } from './compression-text.ts'
import { heatmapOption } from './heatmap.ts'
import type { HeatmapMatrix } from './heatmap.ts'
import type { ChartTheme, FrameOptions } from './theme.ts'

const log10OrNull = (v: number): number | null => (v > 0 ? Math.log10(v) : null)

/** A cell's value and interval: Δtop-1 (paired) or log10 KL. */
function cellOf(d: OutputDivergence, measure: SweepMeasure) {
  if (measure === 'top1')
    return { value: d.top1Delta.estimate, lower: d.top1Delta.lower, upper: d.top1Delta.upper }
  return {
    value: log10OrNull(d.kl.estimate),
    lower: log10OrNull(d.kl.lower),
    upper: log10OrNull(d.kl.upper),
  }
}

function panelOf(
  payload: CompressionResult,
  siteIds: string[],
  bits: number[],
  measure: SweepMeasure,
  title: string | undefined,
): HeatmapMatrix {
  const at = new Map(payload.sweep.map((p) => [`${p.siteId}|${p.bits}`, p.divergence]))
  const grid = siteIds.map((id) =>
    bits.map((b) => {
      const d = at.get(`${id}|${b}`)
      return d ? cellOf(d, measure) : { value: null, lower: null, upper: null }
    }),
  )
  return {
    ...(title === undefined ? {} : { title }),
    values: grid.map((row) => row.map((c) => c.value)),
    interval: {
      lower: grid.map((row) => row.map((c) => c.lower)),
      upper: grid.map((row) => row.map((c) => c.upper)),
    },
  }
}

/**
 * Each site quantized alone: a site × b heatmap of the paired Δtop-1 (diverging around 0) or of
 * log10 KL, sites in depth order; one panel per result on one colour scale.
 */
export function compressionSiteHeatmapOption(
  spec: ChartSpec,
  data: ChartData,
  theme: ChartTheme,
  frameOptions: FrameOptions = {},
): EChartsOption {
  const results = requireKind<CompressionResult>(spec, data.results, 'compression')
  const missing = results.filter((r) => !hasEachAlone(r.payload))
  if (missing.length > 0)
    throw new ChartDataError(
      `Result ${missing[0].id} quantized no site alone: run it with 'each site alone' for this view.`,
    )
  const measure = sweepMeasureOf(spec)
  const sites = siteUnion(results.map((r) => r.payload))
  const bits = [...new Set(results.flatMap((r) => r.payload.sweep.map((p) => p.bits)))].sort(
    (a, b) => a - b,
  )
  const siteIds = sites.map((s) => s.id)
  const isSingle = results.length === 1
  return heatmapOption(
    {
      ...frameOptions,
      panels: results.map((r) =>
        panelOf(r.payload, siteIds, bits, measure, isSingle ? undefined : r.label),
      ),
      rowLabels: siteLabels(sites),
      colLabels: bits.map(String),
      rowName: 'site alone (depth ↓)',
      colName: 'bits b',
      valueName: measure === 'top1' ? 'Δ top-1 (paired)' : 'log10 KL (nats)',
      min: null,
      max: null,
      mode: measure === 'top1' ? 'difference' : 'absolute',
      showValues: false,
    },
    theme,
  )
}
