import type { BitAccounting, CompressionSiteKind } from '../../../electron/api/contract/index.ts'

/** The bits of one site on one batch (per-channel arrays of length C). */
export interface SiteBatchBits {
  site: string
  kind: CompressionSiteKind
  /** b_c: stored width per element of channel c, sign bit included. */
  bits: readonly number[]
  /** −½·log2(dx²_c). */
  intrinsicBits: readonly number[]
  /** n_c = N·H·W: elements per channel in this batch. */
  elementsPerChannel: number
  /** nnz_c: elements of channel c that are nonzero after quantization. */
  nonzerosPerChannel: readonly number[]
}

/**
 * Mean bits per stored element of a set of sites, weighted by elements over all batches:
 * meanBits = Σ b_c·n_c / Σ n_c; with zero-value compression (1-bit mask + b_c per nonzero)
 * meanBitsZeroValue = (Σ n_c + Σ b_c·nnz_c) / Σ n_c; ratio = 32 / meanBits.
 */
export interface BitSummary extends BitAccounting {
  elements: number
  /** Σ intrinsic_c·n_c / Σ n_c (the reference's intr_bits without ZVC). */
  intrinsicBits: number
}

/** main/bits, main/CNV/bits and main/BN/bits of the reference, with and without ZVC. */
export interface CompressionAccounting {
  overall: BitSummary
  /** 'conv-input' is the reference's CNV, 'bn-input' its BN; null when a kind has no sites. */
  byKind: Record<CompressionSiteKind, BitSummary | null>
  /** AutoQuantZ's configuration: ZVC on conv inputs only, BN inputs stored plain. */
  zeroValueOnConvInputsOnly: { meanBits: number; ratio: number }
  /** One summary per site, in order of first appearance. */
  sites: { site: string; kind: CompressionSiteKind; summary: BitSummary }[]
}

const FLOAT32_BITS = 32

interface BitTotals {
  elements: number
  bits: number
  zeroValueBits: number
  intrinsicBits: number
}

/** Sums bits over sites and batches (weighted by elements) into AC-GC's reported quantities. */
export function compressionAccounting(records: readonly SiteBatchBits[]): CompressionAccounting {
  if (records.length === 0) throw new RangeError('Bit accounting needs at least one site record.')
  const perSite = new Map<string, { kind: CompressionSiteKind; totals: BitTotals }>()
  for (const record of records) {
    const entry = perSite.get(record.site) ?? { kind: record.kind, totals: emptyTotals() }
    if (entry.kind !== record.kind)
      throw new RangeError(
        `Site '${record.site}' is listed both as '${entry.kind}' and '${record.kind}'.`,
      )
    addRecord(entry.totals, record)
    perSite.set(record.site, entry)
  }
  const entries = [...perSite.entries()]
  const totalsOf = (kind: CompressionSiteKind | null): BitTotals =>
    entries
      .filter(([, entry]) => kind === null || entry.kind === kind)
      .reduce((sum, [, entry]) => addTotals(sum, entry.totals), emptyTotals())
  const conv = totalsOf('conv-input')
  const bn = totalsOf('bn-input')
  const overall = totalsOf(null)
  const mixedBits = (conv.zeroValueBits + bn.bits) / overall.elements
  return {
    overall: summaryOf(overall),
    byKind: {
      'conv-input': conv.elements === 0 ? null : summaryOf(conv),
      'bn-input': bn.elements === 0 ? null : summaryOf(bn),
    },
    zeroValueOnConvInputsOnly: { meanBits: mixedBits, ratio: FLOAT32_BITS / mixedBits },
    sites: entries.map(([site, entry]) => ({
      site,
      kind: entry.kind,
      summary: summaryOf(entry.totals),
    })),
  }
}

function addRecord(totals: BitTotals, record: SiteBatchBits): void {
  const channels = record.bits.length
  if (record.intrinsicBits.length !== channels || record.nonzerosPerChannel.length !== channels)
    throw new RangeError(
      `Site '${record.site}' has ${channels} widths, ${record.intrinsicBits.length} intrinsic widths and ${record.nonzerosPerChannel.length} nonzero counts: give one per channel.`,
    )
  const n = record.elementsPerChannel
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(
      `Site '${record.site}' has elementsPerChannel ${n}; expected a positive integer.`,
    )
  for (let c = 0; c < channels; c += 1) {
    const nonzeros = record.nonzerosPerChannel[c]
    if (nonzeros < 0 || nonzeros > n)
      throw new RangeError(
        `Site '${record.site}' channel ${c} has ${nonzeros} nonzeros of ${n} elements.`,
      )
    totals.elements += n
    totals.bits += record.bits[c] * n
    totals.zeroValueBits += n + record.bits[c] * nonzeros
    totals.intrinsicBits += record.intrinsicBits[c] * n
  }
}

function summaryOf(totals: BitTotals): BitSummary {
  const meanBits = totals.bits / totals.elements
  const meanBitsZeroValue = totals.zeroValueBits / totals.elements
  return {
    elements: totals.elements,
    meanBits,
    meanBitsZeroValue,
    ratio: FLOAT32_BITS / meanBits,
    ratioZeroValue: FLOAT32_BITS / meanBitsZeroValue,
    intrinsicBits: totals.intrinsicBits / totals.elements,
  }
}

function emptyTotals(): BitTotals {
  return { elements: 0, bits: 0, zeroValueBits: 0, intrinsicBits: 0 }
}

function addTotals(a: BitTotals, b: BitTotals): BitTotals {
  return {
    elements: a.elements + b.elements,
    bits: a.bits + b.bits,
    zeroValueBits: a.zeroValueBits + b.zeroValueBits,
    intrinsicBits: a.intrinsicBits + b.intrinsicBits,
  }
}
