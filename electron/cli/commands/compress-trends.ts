import { siteTrends } from '../../../native-models/analysis/compression/index.ts'
import type {
  CheckpointSiteStatistics,
  SiteTrend,
  SiteTrendPoint,
} from '../../../native-models/analysis/compression/index.ts'
import type { CompressionResult } from '../../api/contract/index.ts'
import { formatTable } from '../format.ts'
import type { Output } from '../output.ts'
import { significant } from './compress-print.ts'
import type { CheckpointCompression } from './compress-print.ts'

/**
 * A stored result's per-channel statistics as `siteTrends` reads them. The payload keeps zero
 * fractions over all its images (N·H·W values per channel), so the counts are those back.
 */
export function checkpointSiteStatistics(
  checkpoint: string,
  result: CompressionResult,
): CheckpointSiteStatistics {
  const sites = new Map(result.sites.map((site) => [site.id, site]))
  return {
    checkpoint,
    sites: result.statistics.map((statistics) => {
      const site = sites.get(statistics.siteId)
      if (site === undefined)
        throw new RangeError(
          `Checkpoint '${checkpoint}' has statistics of site '${statistics.siteId}', which is not among its sites.`,
        )
      const elementsPerChannel = (result.numImages * site.valuesPerImage) / site.channels
      return {
        site: statistics.siteId,
        maxAbs: statistics.maxAbs,
        zeroCount: statistics.zeroFraction.map((f) => Math.round(f * elementsPerChannel)),
        elementsPerChannel,
      }
    }),
  }
}

/** Each site's channel means of max |x| and of the zero fraction over the run's checkpoints. */
export function compressionTrends(computed: readonly CheckpointCompression[]): SiteTrend[] {
  return siteTrends(
    computed.map(({ label, result }) => checkpointSiteStatistics(label, result.payload)),
  )
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`

/** 'seed0@1', 'seed0@2.bn' → '@1', '@2.bn' when every label names the same run; else as given. */
export function checkpointColumns(labels: readonly string[]): string[] {
  const runs = new Set(labels.map((label) => label.slice(0, label.lastIndexOf('@'))))
  const isOneRun = runs.size === 1 && labels.every((label) => label.includes('@'))
  return isOneRun ? labels.map((label) => label.slice(label.lastIndexOf('@'))) : [...labels]
}

function trendTable(trends: readonly SiteTrend[], cell: (point: SiteTrendPoint) => string): string {
  const labels = checkpointColumns(trends[0]?.points.map((point) => point.checkpoint) ?? [])
  const rows = trends.map((trend) => [trend.site, ...trend.points.map(cell)])
  return formatTable(['site', ...labels], rows)
}

/** Sites down, checkpoints across: the mean over channels of the zero fraction, then of max |x|. */
export function printSiteTrends(trends: readonly SiteTrend[], out: Output): void {
  if (trends.length === 0) return
  out.text('zero fraction per site (mean over channels; what zero-value compression saves):')
  out.text(trendTable(trends, (point) => percent(point.zeroFraction)))
  out.text("max |x| per site (mean over channels; each channel's quantization scale):")
  out.text(trendTable(trends, (point) => significant(point.meanMaxAbs)))
}
