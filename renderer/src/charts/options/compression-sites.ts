import type {
  AcgcChoice,
  CompressionResult,
  CompressionSite,
  CompressionSiteKind,
} from '../../../../electron/api/contract/index.ts'

export const SITE_KIND_NAMES: Record<CompressionSiteKind, string> = {
  'conv-input': 'conv inputs',
  'bn-input': 'BatchNorm inputs',
}

/** The sites in depth order (their order from the input). */
export function sitesByDepth(result: CompressionResult): CompressionSite[] {
  return [...result.sites].sort((a, b) => a.depth - b.depth)
}

/** Every result's sites in depth order, the first result's order first, each id once. */
export function siteUnion(results: CompressionResult[]): CompressionSite[] {
  const byId = new Map<string, CompressionSite>()
  for (const r of results) for (const s of r.sites) if (!byId.has(s.id)) byId.set(s.id, s)
  return [...byId.values()].sort((a, b) => a.depth - b.depth)
}

/** Height of a chart with one row per site (heat strips), for the longest site list. */
export function siteRowsHeight(results: { payload: CompressionResult }[]): string {
  const sites = Math.max(...results.map((r) => r.payload.sites.length))
  return `${Math.max(420, 140 + 12 * sites)}px`
}

/** 'conv-input:layer1.0.conv1' → 'layer1.0.conv1' (the kind is drawn as a colour). */
export function siteLabel(site: Pick<CompressionSite, 'id'>): string {
  const colon = site.id.indexOf(':')
  return colon >= 0 ? site.id.slice(colon + 1) : site.id
}

/** Short labels, or the full ids when two sites would share one. */
export function siteLabels(sites: CompressionSite[]): string[] {
  const short = sites.map(siteLabel)
  return new Set(short).size === short.length ? short : sites.map((s) => s.id)
}

export interface Spread {
  mean: number
  min: number
  max: number
}

/** Mean, min and max over a site's channels (every channel holds H·W values per image). */
export function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) return null
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    sum += v
    min = Math.min(min, v)
    max = Math.max(max, v)
  }
  return { mean: sum / values.length, min, max }
}

/** AC-GC's per-channel widths of each site, by site id. */
export function acgcBitsBySite(acgc: AcgcChoice): Map<string, Spread> {
  return new Map(
    acgc.sites.flatMap((s) => {
      const spread = spreadOf(s.bits)
      return spread ? [[s.siteId, spread] as const] : []
    }),
  )
}

/** The zero fraction of each site, mean over its channels, by site id. */
export function zeroFractionBySite(result: CompressionResult): Map<string, number> {
  return new Map(
    result.statistics.flatMap((s) => {
      const spread = spreadOf(s.zeroFraction)
      return spread ? [[s.siteId, spread.mean] as const] : []
    }),
  )
}

/**
 * Per block of the structure diagram: the mean over its stored values of a per-site value (mean
 * bits per value, a zero fraction), each site weighted by the values it stores per image.
 */
export function meanByBlock(
  sites: readonly CompressionSite[],
  valueOf: (site: CompressionSite) => number | undefined,
): Record<string, number> {
  const sums = new Map<string, { weighted: number; values: number }>()
  for (const site of sites) {
    const value = valueOf(site)
    if (value === undefined || !Number.isFinite(value)) continue
    const entry = sums.get(site.blockKey) ?? { weighted: 0, values: 0 }
    entry.weighted += value * site.valuesPerImage
    entry.values += site.valuesPerImage
    sums.set(site.blockKey, entry)
  }
  return Object.fromEntries(
    [...sums].flatMap(([key, e]) => (e.values > 0 ? [[key, e.weighted / e.values]] : [])),
  )
}

/** The sweep points of every site together, by b in ascending order. */
export function togetherPoints(result: CompressionResult) {
  return result.sweep.filter((p) => p.siteId === null).sort((a, b) => a.bits - b.bits)
}

/** Whether the sweep has points of sites quantized alone. */
export function hasEachAlone(result: CompressionResult): boolean {
  return result.sweep.some((p) => p.siteId !== null)
}
