import type {
  AcgcChoice,
  AcgcLayerGradient,
  AcgcSiteChoice,
  BitAccounting,
  CompressionSiteKind,
} from '../../contract/index.ts'
import type { TidyValue } from '../tidy.ts'
import type { TidyIndex } from './tidy-index.ts'
import {
  accountingFrom,
  accountingRows,
  divergenceFrom,
  divergenceRows,
  meanStdFrom,
  meanStdRows,
} from './tidy-parts.ts'

// AC-GC's choice as rows prefixed `acgc_`; a result without one has none of them. A site's and a
// layer's rows carry `dim` = their position and `tap` = their id; per-channel rows `channel`.
// A kind's accounting carries `tap` = the kind, and a kind with no sites has no rows.

const SITE_KINDS: readonly CompressionSiteKind[] = ['conv-input', 'bn-input']

function siteRows(site: AcgcSiteChoice, dim: number): TidyValue[] {
  const at = { dim, tap: site.siteId }
  return [
    { quantity: 'acgc_site_intrinsic_bits', ...at, value: site.intrinsicBits },
    ...accountingRows('acgc_site', site.accounting, at),
    ...site.bits.map((value, channel) => ({ quantity: 'acgc_site_bits', ...at, channel, value })),
    ...site.allowedSquaredError.map((value, channel) => ({
      quantity: 'acgc_site_allowed_squared_error',
      ...at,
      channel,
      value,
    })),
  ]
}

function gradientRows(layer: AcgcLayerGradient, dim: number): TidyValue[] {
  const at = { dim, tap: layer.layerKey }
  return [
    { quantity: 'acgc_gradient_depth', ...at, value: layer.depth },
    ...meanStdRows('acgc_gradient_exact', layer.exact, at),
    ...meanStdRows('acgc_gradient_quantized', layer.quantized, at),
    ...meanStdRows('acgc_gradient_relative_change', layer.relativeChange, at),
  ]
}

export function acgcRows(acgc: AcgcChoice | null): TidyValue[] {
  if (acgc === null) return []
  return [
    { quantity: 'acgc_tolerance', value: acgc.tolerance },
    { quantity: 'acgc_batches', value: acgc.batches },
    ...accountingRows('acgc', acgc.accounting),
    { quantity: 'acgc_intrinsic_bits', value: acgc.accounting.intrinsicBits },
    ...meanStdRows('acgc_mean_bits_over_batches', acgc.accounting.meanBitsOverBatches),
    ...SITE_KINDS.flatMap((kind) => {
      const accounting = acgc.byKind[kind]
      return accounting === null ? [] : accountingRows('acgc_kind', accounting, { tap: kind })
    }),
    ...divergenceRows('acgc_forward', acgc.forward),
    ...acgc.sites.flatMap(siteRows),
    ...acgc.gradients.flatMap(gradientRows),
    ...meanStdRows('acgc_total_gradient_exact', acgc.totalGradient.exact),
    ...meanStdRows('acgc_total_gradient_quantized', acgc.totalGradient.quantized),
    ...meanStdRows('acgc_total_gradient_relative_change', acgc.totalGradient.relativeChange),
  ]
}

function kindAccounting(index: TidyIndex): AcgcChoice['byKind'] {
  const byKind: Record<CompressionSiteKind, BitAccounting | null> = {
    'conv-input': null,
    'bn-input': null,
  }
  // Kinds are told apart by `tap`, so the rows of each field are read in the same order.
  const [meanBits, meanBitsZeroValue, ratio, ratioZeroValue] = [
    'acgc_kind_mean_bits',
    'acgc_kind_mean_bits_zero_value',
    'acgc_kind_ratio',
    'acgc_kind_ratio_zero_value',
  ].map((quantity) => new Map(index.all(quantity).map((row) => [row.tap, row.value as number])))
  for (const kind of SITE_KINDS)
    if (meanBits.has(kind))
      byKind[kind] = {
        meanBits: meanBits.get(kind)!,
        meanBitsZeroValue: meanBitsZeroValue.get(kind)!,
        ratio: ratio.get(kind)!,
        ratioZeroValue: ratioZeroValue.get(kind)!,
      }
  return byKind
}

function siteFrom(index: TidyIndex, row: TidyValue): AcgcSiteChoice {
  const at = { dim: row.dim }
  const channels = (quantity: string): number[] =>
    index.all(quantity, at).map((r) => r.value as number)
  return {
    siteId: row.tap ?? '',
    bits: channels('acgc_site_bits'),
    allowedSquaredError: channels('acgc_site_allowed_squared_error'),
    accounting: accountingFrom(index, 'acgc_site', at),
    intrinsicBits: row.value as number,
  }
}

function gradientFrom(index: TidyIndex, row: TidyValue): AcgcLayerGradient {
  const at = { dim: row.dim }
  return {
    layerKey: row.tap ?? '',
    depth: row.value as number,
    exact: meanStdFrom(index, 'acgc_gradient_exact', at),
    quantized: meanStdFrom(index, 'acgc_gradient_quantized', at),
    relativeChange: meanStdFrom(index, 'acgc_gradient_relative_change', at),
  }
}

export function acgcFrom(index: TidyIndex): AcgcChoice | null {
  if (!index.has('acgc_tolerance')) return null
  return {
    tolerance: index.value('acgc_tolerance'),
    batches: index.value('acgc_batches'),
    sites: index.all('acgc_site_intrinsic_bits').map((row) => siteFrom(index, row)),
    accounting: {
      ...accountingFrom(index, 'acgc'),
      intrinsicBits: index.value('acgc_intrinsic_bits'),
      meanBitsOverBatches: meanStdFrom(index, 'acgc_mean_bits_over_batches'),
    },
    byKind: kindAccounting(index),
    forward: divergenceFrom(index, 'acgc_forward'),
    gradients: index.all('acgc_gradient_depth').map((row) => gradientFrom(index, row)),
    totalGradient: {
      exact: meanStdFrom(index, 'acgc_total_gradient_exact'),
      quantized: meanStdFrom(index, 'acgc_total_gradient_quantized'),
      relativeChange: meanStdFrom(index, 'acgc_total_gradient_relative_change'),
    },
  }
}
