import type {
  CompressionResult,
  CompressionSite,
  CompressionSiteKind,
  CompressionSweepPoint,
  MonotonicityReport,
  SiteActivationStatistics,
} from '../../contract/index.ts'
import type { TidyValue } from '../tidy.ts'
import { acgcFrom, acgcRows } from './acgc-tidy.ts'
import { tidyIndex } from './tidy-index.ts'
import type { TidyIndex } from './tidy-index.ts'
import { divergenceFrom, divergenceRows, flag, intervalFrom, intervalRows } from './tidy-parts.ts'

// Each list item's rows carry `dim` = its position (and `tap` = its site or layer id); per-channel
// values and a site's readers add `channel`. A sweep point or monotonicity report of every site
// together has no `tap` and `*_is_together` = 1.

function siteRows(site: CompressionSite, dim: number): TidyValue[] {
  const at = { dim, tap: site.id }
  return [
    { quantity: 'site_kind', ...at, text: site.kind, value: null },
    { quantity: 'site_block', ...at, text: site.blockKey, value: null },
    { quantity: 'site_depth', ...at, value: site.depth },
    { quantity: 'site_channels', ...at, value: site.channels },
    { quantity: 'site_values_per_image', ...at, value: site.valuesPerImage },
    ...site.readers.map((text, channel) => ({
      quantity: 'site_reader',
      ...at,
      channel,
      text,
      value: null,
    })),
  ]
}

function statisticsRows(statistics: SiteActivationStatistics, dim: number): TidyValue[] {
  const at = { dim, tap: statistics.siteId }
  return [
    { quantity: 'statistics_signed', ...at, value: flag(statistics.signed) },
    ...statistics.maxAbs.map((value, channel) => ({ quantity: 'max_abs', ...at, channel, value })),
    ...statistics.zeroFraction.map((value, channel) => ({
      quantity: 'zero_fraction',
      ...at,
      channel,
      value,
    })),
  ]
}

/** `tap` = the one site, or none for every site together. */
const siteAt = (siteId: string | null, dim: number) =>
  siteId === null ? { dim } : { dim, tap: siteId }

function sweepRows(point: CompressionSweepPoint, dim: number): TidyValue[] {
  const at = siteAt(point.siteId, dim)
  return [
    { quantity: 'sweep_bits', ...at, value: point.bits },
    { quantity: 'sweep_is_together', ...at, value: flag(point.siteId === null) },
    ...divergenceRows('sweep', point.divergence, at),
  ]
}

function monotonicityRows(report: MonotonicityReport, dim: number): TidyValue[] {
  const at = siteAt(report.siteId, dim)
  return [
    { quantity: 'monotonicity_measure', ...at, text: report.measure, value: null },
    { quantity: 'monotonicity_is_together', ...at, value: flag(report.siteId === null) },
    { quantity: 'monotonicity_is_monotonic', ...at, value: flag(report.isMonotonic) },
    ...report.violations.flatMap((v, channel) => [
      { quantity: 'violation_from_bits', ...at, channel, value: v.fromBits },
      { quantity: 'violation_to_bits', ...at, channel, value: v.toBits },
      { quantity: 'violation_increase', ...at, channel, value: v.increase },
    ]),
  ]
}

/** Every stored value as rows: the result's own, then sites, statistics, sweep, reports, AC-GC. */
export function compressionValues(result: CompressionResult): TidyValue[] {
  return [
    ...result.classes.map((text, dim) => ({ quantity: 'class_name', dim, text, value: null })),
    { quantity: 'num_images', value: result.numImages },
    { quantity: 'compression_batch', value: result.compressionBatch },
    { quantity: 'is_bn_folded', value: flag(result.isBnFolded) },
    ...intervalRows('top1', result.top1),
    ...result.bits.map((value, dim) => ({ quantity: 'bits', dim, value })),
    ...Object.entries(result.timings).map(([step, ms]) => ({ quantity: `${step}_ms`, value: ms })),
    ...result.sites.flatMap(siteRows),
    ...result.statistics.flatMap(statisticsRows),
    ...result.sweep.flatMap(sweepRows),
    ...result.monotonicity.flatMap(monotonicityRows),
    ...acgcRows(result.acgc),
  ]
}

const numbersOf = (rows: TidyValue[]): number[] => rows.map((row) => row.value as number)
const textsOf = (rows: TidyValue[]): string[] => rows.map((row) => row.text ?? '')

function siteFrom(index: TidyIndex, row: TidyValue): CompressionSite {
  const at = { dim: row.dim }
  return {
    id: row.tap ?? '',
    kind: row.text as CompressionSiteKind,
    readers: textsOf(index.all('site_reader', at)),
    blockKey: index.text('site_block', at),
    depth: index.value('site_depth', at),
    channels: index.value('site_channels', at),
    valuesPerImage: index.value('site_values_per_image', at),
  }
}

function statisticsFrom(index: TidyIndex, row: TidyValue): SiteActivationStatistics {
  const at = { dim: row.dim }
  return {
    siteId: row.tap ?? '',
    maxAbs: numbersOf(index.all('max_abs', at)),
    zeroFraction: numbersOf(index.all('zero_fraction', at)),
    signed: row.value === 1,
  }
}

/** The site a sweep point's or report's rows name: null when they are of every site together. */
const siteIdOf = (index: TidyIndex, quantity: string, row: TidyValue): string | null =>
  index.value(quantity, { dim: row.dim }) === 1 ? null : (row.tap ?? '')

function sweepFrom(index: TidyIndex, row: TidyValue): CompressionSweepPoint {
  return {
    bits: row.value as number,
    siteId: siteIdOf(index, 'sweep_is_together', row),
    divergence: divergenceFrom(index, 'sweep', { dim: row.dim }),
  }
}

function monotonicityFrom(index: TidyIndex, row: TidyValue): MonotonicityReport {
  const at = { dim: row.dim }
  const increases = numbersOf(index.all('violation_increase', at))
  const toBits = numbersOf(index.all('violation_to_bits', at))
  return {
    siteId: siteIdOf(index, 'monotonicity_is_together', row),
    measure: row.text as MonotonicityReport['measure'],
    isMonotonic: index.value('monotonicity_is_monotonic', at) === 1,
    violations: numbersOf(index.all('violation_from_bits', at)).map((fromBits, i) => ({
      fromBits,
      toBits: toBits[i],
      increase: increases[i],
    })),
  }
}

export function compressionFromTidy(rows: TidyValue[]): CompressionResult {
  const index = tidyIndex(rows)
  return {
    numImages: index.value('num_images'),
    classes: textsOf(index.all('class_name')),
    compressionBatch: index.value('compression_batch'),
    isBnFolded: index.value('is_bn_folded') === 1,
    top1: intervalFrom(index, 'top1'),
    sites: index.all('site_kind').map((row) => siteFrom(index, row)),
    statistics: index.all('statistics_signed').map((row) => statisticsFrom(index, row)),
    bits: numbersOf(index.all('bits')),
    sweep: index.all('sweep_bits').map((row) => sweepFrom(index, row)),
    monotonicity: index.all('monotonicity_measure').map((row) => monotonicityFrom(index, row)),
    acgc: acgcFrom(index),
    timings: {
      build: index.value('build_ms'),
      plain: index.value('plain_ms'),
      sweep: index.value('sweep_ms'),
      acgc: index.value('acgc_ms'),
    },
  }
}
