import type { CompressionResult } from '../../../../electron/api/contract/index.ts'
import { meanByBlock, zeroFractionBySite } from '../../charts/options/compression-sites.ts'
import type { LayerValues } from '../../composables/layer-metrics.ts'
import type { StructureOverlay } from '../analysis-ui.ts'

export type CompressionOverlayMeasure = 'meanBits' | 'meanBitsZeroValue' | 'zeroFraction'

const MEASURES: Record<CompressionOverlayMeasure, string> = {
  meanBits: 'AC-GC mean bits per stored activation',
  meanBitsZeroValue: 'AC-GC mean bits with zero-value compression',
  zeroFraction: 'Zero fraction of the stored activations',
}

/** Per block: the mean over its stored activation values (sites weighted by their size). */
export function compressionByLayer(
  result: CompressionResult,
  measure: CompressionOverlayMeasure,
): LayerValues {
  if (measure === 'zeroFraction') {
    const zeros = zeroFractionBySite(result)
    return meanByBlock(result.sites, (site) => zeros.get(site.id))
  }
  if (!result.acgc) return {}
  const accounting = new Map(result.acgc.sites.map((s) => [s.siteId, s.accounting]))
  return meanByBlock(result.sites, (site) => accounting.get(site.id)?.[measure])
}

export const compressionOverlay: StructureOverlay = {
  id: 'compression',
  kind: 'compression',
  measures: MEASURES,
  byLayer: (payload, measure) =>
    compressionByLayer(payload as CompressionResult, measure as CompressionOverlayMeasure),
  format: (measure) =>
    measure === 'zeroFraction' ? (v) => `${Number((100 * v).toPrecision(3))}%` : null,
  hint: 'An activation-compression result with AC-GC can colour the diagram by its bit widths.',
}
