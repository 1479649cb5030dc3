import { describe, expect, it } from 'vitest'
import { moduleOfKind } from '../../../electron/api/analyses/index.ts'
import { parseTidyCsv, TIDY_HEADER, tidyCsvLines } from '../../../electron/api/export/tidy-csv.ts'
import type { CompressionResult } from '../../../electron/api/contract/index.ts'
import { fullCompressionPayload } from '../../fixtures/data/compression-full-payload.ts'

const module = moduleOfKind('compression')

/** The payload through a CSV export and back, as the registry test does with stored results. */
function throughCsv(payload: CompressionResult): unknown {
  const context = {
    resultId: 7,
    kind: 'compression' as const,
    checkpoint: 'epoch_3.onnx',
    run: 'seed0',
    epoch: 3,
    dataset: 'fmnist',
  }
  const [parsed] = parseTidyCsv(TIDY_HEADER + tidyCsvLines(context, payload).text)
  return parsed.payload
}

describe('compression tidy rows', () => {
  it.each([
    ['a BN-folded result with a null kind in the AC-GC accounting', { isBnFolded: true }],
    ['a BN-kept result with both kinds', { isBnFolded: false }],
    ['a result without AC-GC', { hasAcgc: false }],
    ['a result of every site together only', { eachAlone: false, hasAcgc: false }],
  ])('give %s back exactly', (_, options) => {
    const payload = fullCompressionPayload(options)
    expect(module.payloadFromTidy(module.tidyValues(payload))).toEqual(payload)
    expect(throughCsv(payload)).toEqual(payload)
  })

  it('keep the null entry of byKind and the null site of a sweep point as nulls', () => {
    const back = module.payloadFromTidy(
      module.tidyValues(fullCompressionPayload()),
    ) as CompressionResult
    expect(back.acgc?.byKind['bn-input']).toBeNull()
    expect(back.acgc?.byKind['conv-input']?.meanBits).toBe(9.93)
    expect(back.sweep.filter((p) => p.siteId === null).map((p) => p.bits)).toEqual([2, 8])
    expect(back.monotonicity[1].violations).toHaveLength(2)
  })

  it('write one row per channel of every per-channel array', () => {
    const payload = fullCompressionPayload({ isBnFolded: false })
    const rows = module.tidyValues(payload)
    const channels = payload.sites.reduce((sum, site) => sum + site.channels, 0)
    expect(rows.filter((r) => r.quantity === 'max_abs')).toHaveLength(channels)
    expect(rows.filter((r) => r.quantity === 'acgc_site_bits')).toHaveLength(channels)
    const isAcgcValue = (quantity: string) => quantity.startsWith('acgc_') && quantity !== 'acgc_ms'
    expect(rows.filter((r) => isAcgcValue(r.quantity))).not.toHaveLength(0)
    const withoutAcgc = module.tidyValues(fullCompressionPayload({ hasAcgc: false }))
    expect(withoutAcgc.filter((r) => isAcgcValue(r.quantity))).toEqual([])
  })
})

describe('the compression headline', () => {
  it("holds AC-GC's ratio and mean bits, the unquantized top-1 and the images", () => {
    expect(module.headline(fullCompressionPayload())).toEqual({
      acgcRatio: 32 / 6.694,
      acgcMeanBits: 6.694,
      top1: 0.9,
      numImages: 16,
    })
  })

  it('leaves the AC-GC keys out of a result without the bit choice instead of storing NaN', () => {
    expect(module.headline(fullCompressionPayload({ hasAcgc: false }))).toEqual({
      top1: 0.9,
      numImages: 16,
    })
  })
})
