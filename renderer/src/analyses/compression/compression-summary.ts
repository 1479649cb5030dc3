import type {
  AcgcChoice,
  BitAccounting,
  CompressionResult,
  EstimateInterval,
  MeanStd,
} from '../../../../electron/api/contract/index.ts'
import { SITE_KIND_NAMES } from '../../charts/options/compression-sites.ts'
import { percent, signed } from '../../components/common/format.ts'

export const meanStd = (v: MeanStd, digits = 4): string =>
  `${Number(v.mean.toPrecision(digits))} ± ${Number(v.std.toPrecision(2))}`

export const ratioText = (ratio: number): string => `${ratio.toFixed(2)}×`

const signedPercent = (v: number): string => signed(100 * v, 2, ' %')

/** '[−0.40 %, +0.10 %]': a paired difference's interval. */
export function deltaInterval(v: EstimateInterval): string {
  return `${signedPercent(v.lower)} – ${signedPercent(v.upper)}`
}

/** '−1.00 % (−2.00 % – ±0.00 %)': a paired difference and its interval. */
export function deltaText(v: EstimateInterval): string {
  return `${signedPercent(v.estimate)} (${deltaInterval(v)})`
}

export interface HeadlineNumber {
  value: string
  name: string
  testid: string
  interval?: string
}

/** The big numbers above the charts: AC-GC's ratio and bits, and the unquantized top-1. */
export function compressionHeadline(result: CompressionResult): HeadlineNumber[] {
  const acgc = result.acgc
  const top1 = {
    value: percent(result.top1.estimate, 2),
    name: 'top-1 unquantized',
    testid: 'headline-compression-top1',
    interval: `${percent(result.top1.lower, 2)} – ${percent(result.top1.upper, 2)}`,
  }
  const images = {
    value: `${result.numImages}`,
    name: `images, scale per batch of ${result.compressionBatch}`,
    testid: 'headline-compression-images',
  }
  if (!acgc) return [top1, images]
  const delta = acgc.forward.top1Delta
  return [
    {
      value: ratioText(acgc.accounting.ratio),
      name: `AC-GC compression (32 / ${acgc.accounting.meanBits.toFixed(2)} mean bits; per batch ${meanStd(acgc.accounting.meanBitsOverBatches, 3)} bits, mean ± std over ${Math.ceil(result.numImages / result.compressionBatch)} batches)`,
      testid: 'headline-compression-ratio',
    },
    {
      value: ratioText(acgc.accounting.ratioZeroValue),
      name: `with zero-value compression (${acgc.accounting.meanBitsZeroValue.toFixed(2)} bits)`,
      testid: 'headline-compression-ratio-zvc',
    },
    {
      value: signedPercent(delta.estimate),
      name: `Δtop-1 at AC-GC's widths (paired, McNemar p = ${Number(delta.pValue.toPrecision(2))})`,
      testid: 'headline-compression-acgc-delta',
      interval: deltaInterval(delta),
    },
    top1,
    images,
  ]
}

export interface AccountingRow {
  key: string
  name: string
  accounting: BitAccounting | null
}

/** Every site, then conv inputs (AC-GC's CNV) and BatchNorm inputs (BN). */
export function accountingRows(acgc: AcgcChoice): AccountingRow[] {
  return [
    { key: 'all', name: 'every site', accounting: acgc.accounting },
    {
      key: 'conv-input',
      name: SITE_KIND_NAMES['conv-input'],
      accounting: acgc.byKind['conv-input'],
    },
    { key: 'bn-input', name: SITE_KIND_NAMES['bn-input'], accounting: acgc.byKind['bn-input'] },
  ]
}

/** The sweep's monotonicity findings, one sentence each, the monotonic ones left out. */
export function monotonicityLines(result: CompressionResult): string[] {
  return result.monotonicity
    .filter((m) => !m.isMonotonic)
    .map((m) => {
      const where = m.siteId === null ? 'every site together' : m.siteId
      const what = m.measure === 'kl' ? 'KL' : 'top-1 error'
      const pairs = m.violations
        .map((v) => `b ${v.fromBits} → ${v.toBits} (+${Number(v.increase.toPrecision(2))})`)
        .join(', ')
      return `${where}: ${what} rose at ${pairs}.`
    })
}
